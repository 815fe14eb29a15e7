"""``trainkit schema``: the JSON Schemas of every kind of file, for editors and other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from trainkit.diagnostics import did_you_mean
from trainkit.load.schemas import KINDS, iter_kinds, load_schema

HELP = """\
Without KIND, list the kinds of file and where each lives. With KIND, print
that kind's JSON Schema (draft 2020-12) to standard output. With --output DIR,
write every schema as DIR/<kind>.schema.json, the names the YAML modelines
and .vscode/settings.json of 'trainkit init' refer to; existing files are
only replaced with --force.

examples:
  trainkit schema                      the kinds of file
  trainkit schema cohort > cohort.schema.json
  trainkit schema --output schemas --force

exit codes: 0 done, 1 --output would overwrite files (use --force),
64 unknown KIND.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("schema", help="print or write the JSON Schemas of the file formats",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", nargs="?", metavar="KIND", help="one kind of file, e.g. cohort")
    p.add_argument("--output", type=Path, metavar="DIR", help="write all schemas into DIR")
    p.add_argument("--force", action="store_true", help="with --output, replace existing files")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        return _write_all(args.output, args.force)
    if args.kind is None:
        width = max(len(k) for k in KINDS)
        for kind in KINDS:
            print(f"{kind:<{width}}  {load_schema(kind).get('title', '')}")
        return EXIT_OK
    if args.kind not in KINDS:
        print(f"trainkit: unknown kind {args.kind!r}; {did_you_mean(args.kind, KINDS)} "
              "('trainkit schema' lists them)", file=sys.stderr)
        return EXIT_USAGE
    _, path = next((k, p) for k, p in iter_kinds() if k == args.kind)
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return EXIT_OK


def _write_all(out: Path, force: bool) -> int:
    targets = [(path, out / path.name) for _, path in iter_kinds()]
    existing = [dest for _, dest in targets if dest.exists()]
    if existing and not force:
        names = ", ".join(d.name for d in existing[:3]) + (" …" if len(existing) > 3 else "")
        print(f"trainkit: {out} already has {names}; pass --force to replace them",
              file=sys.stderr)
        return EXIT_ERRORS
    out.mkdir(parents=True, exist_ok=True)
    for source, dest in targets:
        dest.write_bytes(source.read_bytes())
    print(f"trainkit: wrote {len(targets)} schemas to {out}", file=sys.stderr)
    return EXIT_OK
