"""``trainkit init DIR``: a new academy repository that checks and builds at once."""

from __future__ import annotations

import argparse
import re
import shutil
import string
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from trainkit import __version__
from trainkit.commands import install_spec
from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from trainkit.commands.site_url import is_placeholder
from trainkit.load.schemas import schema_dir

HELP = """\
Create a new academy in DIR: trainkit.yaml, an example program with an
upcoming cohort, an instructor, a venue, a few learners and a small
self-paced course with a quiz; the JSON Schemas in schemas/ with editor
settings (.vscode/settings.json, a YAML modeline in every file); .gitignore;
.pre-commit-config.yaml running 'trainkit check'; requirements.txt naming
the trainkit to install; a GitHub Actions workflow that checks pull
requests, comments with 'trainkit diff' and publishes the site to GitHub
Pages from the default branch; and a registration issue form with a
workflow that turns a labelled registration issue into a pull request
('trainkit enroll --from-issue'). Issues are visible to everyone who can
see the repository: keep it private (docs/registration.md).

--url is the address the site will be published at (base_url in
trainkit.yaml): calendar subscribe buttons, feed links and certificate
verification links are built from it. Without it, init writes the
placeholder https://example.org/, and 'trainkit build' warns until you
change it (and refuses to build on CI).

Both the pre-commit hook (a local hook, 'language: system') and CI use the
trainkit that 'pip install -r requirements.txt' installs. trainkit is
distributed as 'trainkit-academy' and is not on the public package index
(the name 'trainkit' there is another project), so the line says where this
trainkit came from: the git repository and tag or commit pip installed it
from (or the remote and commit of the git checkout it runs from), a wheel's
web address, or a wheel file on this machine, which is copied into vendor/.
--install-spec writes another line instead.

The example cohort's dates are computed from today's date when init runs
(the first working day at least five weeks ahead that is not a public
holiday), so the new academy starts with an upcoming cohort. DIR is made a
git repository (branch main) unless it already is inside one.

examples:
  trainkit init my-academy
  trainkit init my-academy --name "Harbour Training"
  trainkit init my-academy --url https://OWNER.github.io/my-academy/
  trainkit init . --force              add the files to an existing folder
  trainkit init ops --install-spec "trainkit-academy @ git+https://HOST/OWNER/trainkit.git@v0.1.0"

DIR must be empty or missing; --force writes into a non-empty folder,
replacing only files with the same names and never deleting anything.

exit codes: 0 created; 1 DIR is a file, or not empty without --force;
64 the command line is wrong (e.g. an empty --install-spec, a --url that is
not an http(s) address).
"""


PLACEHOLDER_URL = "https://example.org/"


class _Template(string.Template):
    # '$' and '{{ }}' are taken by JSON Schema modelines and GitHub workflows.
    delimiter = "@@"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="create a new academy repository",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder to create")
    p.add_argument("--name", default=None, help="the academy's name (default: from DIR)")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty folder (same-named files are replaced)")
    p.add_argument("--no-git", action="store_true", help="do not run 'git init'")
    p.add_argument("--url", default=None, metavar="URL",
                   help="the address the site will be published at, e.g. "
                   "https://OWNER.github.io/REPO/ (base_url in trainkit.yaml)")
    p.add_argument("--install-spec", metavar="SPEC", default=None,
                   help="the requirements.txt line that installs trainkit, for CI and the "
                   "pre-commit hook (default: where this trainkit came from)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.dir
    if target.exists() and not target.is_dir():
        print(f"trainkit: {target} is a file; choose a folder name", file=sys.stderr)
        return EXIT_ERRORS
    if target.is_dir() and any(target.iterdir()) and not args.force:
        print(f"trainkit: {target} is not empty; choose a new folder, or pass --force to add "
              "the academy files to it (files with the same names are replaced)", file=sys.stderr)
        return EXIT_ERRORS
    spec = (args.install_spec or "").strip()
    if args.install_spec is not None and (not spec or "\n" in spec):
        print("trainkit: --install-spec takes one requirements.txt line, e.g. "
              f"'{install_spec.DIST} @ git+https://HOST/OWNER/trainkit.git@v{__version__}'",
              file=sys.stderr)
        return EXIT_USAGE
    url = site_url(args.url)
    if url is None:
        print(f"trainkit: --url {args.url!r} is not a web address; give the address the site "
              "will be published at, e.g. https://OWNER.github.io/REPO/", file=sys.stderr)
        return EXIT_USAGE
    source = install_spec.Spec(spec) if spec else install_spec.default_spec()
    values = template_values(target.resolve().name, args.name, date.today())
    values["install_spec"], values["base_url"] = source.line, url
    written = scaffold(target, values)
    install_spec.vendor(source, target)
    if not args.no_git:
        _git_init(target)
    _tell(target, len(written), source, url)
    return EXIT_OK


def site_url(given: str | None) -> str | None:
    """``--url`` as base_url (ending in ``/``); the placeholder without it; None if invalid."""
    if given is None:
        return PLACEHOLDER_URL
    url = given.strip()
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        return None
    return url if url.endswith("/") else url + "/"


def _tell(target: Path, count: int, source: install_spec.Spec, url: str) -> None:
    print(f"trainkit: created {count} files in {target}", file=sys.stderr)
    print(f"trainkit: requirements.txt installs '{source.line}' (in CI and for pre-commit)",
          file=sys.stderr)
    if source.wheel is not None:
        print(f"trainkit: copied {source.wheel.name} into vendor/; commit it", file=sys.stderr)
    if source.note:
        print(f"trainkit: note: {source.note}", file=sys.stderr)
    if is_placeholder(url):
        print(f"trainkit: note: base_url in trainkit.yaml is the placeholder {url}; set it to "
              "the address the site will be published at (or use --url)", file=sys.stderr)
    print(f"next: cd {target} && trainkit check && trainkit serve", file=sys.stderr)


def template_values(folder: str, name: str | None, today: date) -> dict[str, str]:
    """What the scaffold's ``@@name`` placeholders become."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.lower()).strip("-") or "academy"
    title = name or " ".join(w.capitalize() for w in slug.split("-")) + " Academy"
    day = first_session_day(today)
    return {
        "academy_id": slug if slug[0].isalnum() else f"a{slug}",
        "academy_name": _yaml_text(title),  # in YAML files
        "academy_title": title,  # in Markdown files
        "cohort_title": f"Main Office, {day:%B %Y}",
        "session_date": day.isoformat(),
        "today": today.isoformat(),
        "version": __version__,
        "install_spec": install_spec.fallback().line,
        "base_url": PLACEHOLDER_URL,
    }


def default_install_spec() -> str:
    """The requirements line for the trainkit running now (see :mod:`.install_spec`)."""
    return install_spec.default_spec().line


def _yaml_text(text: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.()'&-]*", text)
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def first_session_day(today: date) -> date:
    """A working day at least five weeks after ``today`` that is not a holiday in England."""
    import holidays

    day = today + timedelta(days=35)
    closed = holidays.country_holidays("GB", subdiv="ENG", years=range(day.year, day.year + 2))
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def scaffold(target: Path, values: dict[str, str]) -> list[Path]:
    """Write the template files and the schemas into ``target``; returns what was written."""
    written = []
    root = resources.files("trainkit").joinpath("scaffold")
    for rel, item in _walk(root, ""):
        dest = target / _real_name(rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = item.read_text(encoding="utf-8")
        dest.write_text(_Template(text).safe_substitute(values), encoding="utf-8")
        written.append(dest)
    (target / "schemas").mkdir(parents=True, exist_ok=True)
    for schema in sorted(schema_dir().glob("*.schema.json")):
        shutil.copyfile(schema, target / "schemas" / schema.name)
        written.append(target / "schemas" / schema.name)
    return written


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name == "__pycache__":
            continue
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            yield from _walk(item, rel + "/")
        else:
            yield rel, item


def _real_name(rel: str) -> str:
    # Dot-files are stored as dot-NAME so they are not hidden, or taken as the
    # package's own .gitignore, in the source tree.
    return "/".join("." + p[4:] if p.startswith("dot-") else p for p in rel.split("/"))


def _git_init(target: Path) -> None:
    import git

    try:
        git.Repo(target, search_parent_directories=True)
        return  # already inside a repository
    except git.InvalidGitRepositoryError:
        pass
    try:
        git.Repo.init(target, initial_branch="main")
    except git.GitCommandError as exc:  # an old git without --initial-branch
        print(f"trainkit: note: git init failed ({exc.stderr.strip()}); run it yourself",
              file=sys.stderr)
