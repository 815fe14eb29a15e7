"""``trainkit build``: the public site and feeds, and the private reports."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from trainkit.commands import site_url
from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_WARNINGS,
    academy_root,
    add_format,
    add_root,
    print_diagnostics,
    progress_printer,
    resolve_format,
)
from trainkit.writers.build import WRITERS, BuildError, BuildOptions, run_build

HELP = """\
Check the academy, then write:

  site/      the public website (MkDocs + Material), calendar feeds under
             site/calendars/, JSON Schemas, certificate verification pages.
             Safe to publish: no learner names, e-mails or records.
  reports/   private outputs, never to be published: rosters, sign-in sheets,
             completion and attendance reports, certificates, utilization,
             and the list of personal feed URLs.

Personal calendar feeds (one per learner and instructor) are written only when
the secret named in trainkit.yaml (feeds.secret_env, default
TRAINKIT_FEED_SECRET) is set: their file names are keyed hashes of it.

The build is atomic: if anything fails, site/ and reports/ keep their previous
content; both are swapped in together, and a build killed part way is
finished by the next one. An output folder must be new, empty or written by
trainkit (it holds a .trainkit-output marker): never the academy, an input
folder such as records/, or the other output (see docs/security.md).

Output is byte-identical for the same inputs and commit; the build time used
in feeds is the commit time, or SOURCE_DATE_EPOCH when set.

Builds are incremental: .trainkit-cache/ in the academy (ignored by git, safe
to delete) remembers what each writer read and wrote, so only the writers
whose inputs changed run, in parallel (--jobs); inside the reports,
certificates and learner pages, a page whose content would not change is
taken over instead of rendered again; files whose bytes did not
change are kept as the same files (same inode and modification time, so rsync
and CDNs see no change), and a build with nothing changed writes nothing.
--no-cache runs every writer; the output is the same either way.

While base_url in trainkit.yaml is still the example.org placeholder that
'trainkit init' writes, build warns; with --strict, or on CI (the CI
environment variable is true, as GitHub Actions sets it), it refuses to
build: every feed, calendar and certificate link would point at example.org.

To look at the result, serve the folder ('python -m http.server -d site', or
'trainkit serve' for a live preview): opened from disk, links show folder
listings. To publish, upload site/ as it is to any static host.

exit codes: 0 built, 1 errors in the academy, the base_url placeholder on CI,
or an output folder refused or not writable (nothing written), 2 warnings and
--strict (nothing written), 3 internal error.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="build the site, calendar feeds and reports",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_root(p)
    add_format(p)
    p.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                   help="where the public site goes (default: site/ in the academy)")
    p.add_argument("--reports-dir", type=Path, default=None, metavar="DIR",
                   help="where private reports go (default: reports/ in the academy)")
    p.add_argument("--strict", action="store_true", help="refuse to build when there are warnings")
    p.add_argument("--only", action="append", choices=WRITERS, default=[],
                   help="run only this writer (repeatable); for quick previews")
    p.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="writers run in up to N processes at once (default: one per CPU; "
                        "1: one after the other); the learner pages are made in N processes, and "
                        "the site's pages in those no other writer needs")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="run every writer, ignoring the build cache in .trainkit-cache/")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(run=run)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    fmt = resolve_format(args.format)
    site_dir = (args.site_dir or root / "site").resolve()
    reports_dir = (args.reports_dir or root / "reports").resolve()
    placeholder = site_url.placeholder_check(root, error=site_url.in_ci())
    if placeholder is not None and (args.strict or site_url.in_ci()):
        print_diagnostics([placeholder], fmt)
        why = "on CI (CI=true)" if site_url.in_ci() else "--strict"
        print(f"trainkit: not built ({why}): set base_url in trainkit.yaml", file=sys.stderr)
        return EXIT_ERRORS if site_url.in_ci() else EXIT_WARNINGS
    options = BuildOptions(
        site_dir=site_dir, reports_dir=reports_dir, strict=args.strict, only=tuple(args.only),
        progress=progress_printer(not args.quiet), jobs=args.jobs, cache=args.cache,
    )
    try:
        result, notes = run_build(root, options)
        gc.freeze()  # the process ends soon: its last collection need not walk the academy
    except BuildError as exc:
        if exc.diagnostics:
            print_diagnostics(exc.diagnostics, fmt)
        print(f"trainkit: build failed: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    if placeholder is not None:
        result.diagnostics.append(placeholder)
    print_diagnostics(result.diagnostics, fmt, quiet=not result.diagnostics)
    if result.errors:
        print("trainkit: not built: fix the errors above; site/ and reports/ are unchanged",
              file=sys.stderr)
        return EXIT_ERRORS
    if args.strict and result.warnings:
        print("trainkit: not built (--strict): fix the warnings above", file=sys.stderr)
        return EXIT_WARNINGS
    for note in notes:
        print(f"trainkit: note: {note}", file=sys.stderr)
    print(f"trainkit: built {site_dir} (public) and {reports_dir} (private)", file=sys.stderr)
    print(f"trainkit: {site_url.how_to_look(site_dir, reports_dir)}", file=sys.stderr)
    return EXIT_OK
