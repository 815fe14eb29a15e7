"""``trainkit init DIR``: a new academy repository that checks and builds at once."""

from __future__ import annotations

import argparse
import json
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
from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from trainkit.load.schemas import schema_dir

HELP = """\
Create a new academy in DIR: trainkit.yaml, an example program with an
upcoming cohort, an instructor, a venue, a few learners and a small
self-paced course with a quiz; the JSON Schemas in schemas/ with editor
settings (.vscode/settings.json, a YAML modeline in every file); .gitignore;
.pre-commit-config.yaml running 'trainkit check'; requirements.txt naming
the trainkit to install; and a GitHub Actions workflow that checks pull
requests, comments with 'trainkit diff' and publishes the site to GitHub
Pages from the default branch.

Both the pre-commit hook (a local hook, 'language: system') and CI use the
trainkit that 'pip install -r requirements.txt' installs. --install-spec
says what that line is: a version on your package index, a git URL or a
wheel. Without it, init writes where this trainkit came from when pip
recorded a git or web URL, else 'trainkit==VERSION'.

The example cohort's dates are computed from today's date when init runs
(the first working day at least five weeks ahead that is not a public
holiday), so the new academy starts with an upcoming cohort. DIR is made a
git repository (branch main) unless it already is inside one.

examples:
  trainkit init my-academy
  trainkit init my-academy --name "Harbour Training"
  trainkit init . --force              add the files to an existing folder
  trainkit init ops --install-spec "trainkit @ git+https://HOST/OWNER/trainkit.git@v0.1.0"

DIR must be empty or missing; --force writes into a non-empty folder,
replacing only files with the same names and never deleting anything.

exit codes: 0 created; 1 DIR is a file, or not empty without --force;
64 the command line is wrong (e.g. an empty --install-spec).
"""


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
    p.add_argument("--install-spec", metavar="SPEC", default=None,
                   help="the requirements.txt line that installs trainkit, for CI and the "
                   "pre-commit hook (default: where this trainkit came from, else "
                   f"trainkit=={__version__})")
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
              f"'trainkit=={__version__}' or 'trainkit @ git+https://HOST/OWNER/trainkit.git'",
              file=sys.stderr)
        return EXIT_USAGE
    values = template_values(target.resolve().name, args.name, date.today())
    values["install_spec"] = spec or default_install_spec()
    written = scaffold(target, values)
    if not args.no_git:
        _git_init(target)
    print(f"trainkit: created {len(written)} files in {target}", file=sys.stderr)
    print(f"trainkit: requirements.txt installs '{values['install_spec']}' (in CI and for "
          "pre-commit); edit it if trainkit comes from elsewhere", file=sys.stderr)
    print(f"next: cd {target} && trainkit check && trainkit serve", file=sys.stderr)
    return EXIT_OK


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
        "install_spec": f"trainkit=={__version__}",
    }


def default_install_spec() -> str:
    """The requirements line for the trainkit running now, if pip recorded a usable source.

    pip writes ``direct_url.json`` (PEP 610) when a package came from a URL:
    a git repository or a web archive can be installed again from CI, a local
    folder or an editable checkout cannot, so those fall back to the version.
    """
    from importlib import metadata

    fallback = f"trainkit=={__version__}"
    try:
        raw = metadata.distribution("trainkit").read_text("direct_url.json")
        origin = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        return fallback
    url = str(origin.get("url", ""))
    if not url.startswith(("https://", "http://", "ssh://", "git@")):
        return fallback
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs"):
        rev = vcs.get("requested_revision") or vcs.get("commit_id")
        return f"trainkit @ {vcs['vcs']}+{url}" + (f"@{rev}" if rev else "")
    if "archive_info" in origin:
        return f"trainkit @ {url}"
    return fallback


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
