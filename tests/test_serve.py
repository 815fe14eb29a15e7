"""``trainkit serve`` in a real subprocess: serve, break a file, keep serving, fix, rebuild."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.writers.build import PUBLIC_WRITERS, BuildOptions, run_build
from trainkit.writers.feedlinks import PERSONAL

COHORT = "programs/first-aid-basics/cohorts/fab-first.yaml"
PROGRAM = "programs/first-aid-basics/program.yaml"
WAIT = 120.0  # seconds; a full build of the small academy takes a few


class Server:
    def __init__(self, root: Path, *args: str, **env: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trainkit", "serve", "--root", str(root), "--port", "0",
             "--interval", "0.2", *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            # This tree's code, whichever copy of trainkit is installed; a cache folder of
            # the test's own (the preview is kept there).
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
                 "XDG_CACHE_HOME": str(root.parent / "cache"), **env},
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(lambda: any("serving http" in line for line in self.lines))
        url = next(line for line in self.lines if "serving http" in line)
        self.base = re.search(r"http://\S+/", url).group()  # type: ignore[union-attr]

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait(self, condition: Callable[[], object]) -> object:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            assert self.proc.poll() is None, "\n".join(self.lines)
            time.sleep(0.2)
        raise AssertionError("timed out; output:\n" + "\n".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path.lstrip("/"), timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def status(self) -> dict:
        return json.loads(self.get("/_trainkit/status")[1])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    target = tmp_path / "preview"
    assert main(["init", str(target), "--no-git"]) == 0
    return target


def test_serve_survives_broken_yaml_and_rebuilds(academy: Path) -> None:
    server = Server(academy)
    try:
        assert server.status() == {"generation": 1, "ok": True, "errors": []}
        code, page = server.get("/")
        assert code == 200 and "First Aid Basics" in page
        assert "/_trainkit/status" in page  # the reload script
        good = (academy / COHORT).read_text()
        (academy / COHORT).write_text(good.replace("status: open", "status: [open"))
        server.wait(lambda: server.status()["generation"] >= 2)
        status = server.status()
        assert not status["ok"] and any(COHORT in e for e in status["errors"])
        assert any(line.startswith(f"{COHORT}:") and "error[" in line for line in server.lines)
        code, page = server.get("/")  # still answering, with the last good site
        assert code == 200 and "First Aid Basics" in page
        assert 'id="trainkit-errors"' in page and COHORT in page
        (academy / COHORT).write_text(good)
        program = (academy / PROGRAM).read_text()
        (academy / PROGRAM).write_text(program.replace("title: First Aid Basics",
                                                       "title: First Aid Essentials"))
        server.wait(lambda: server.status()["ok"] and server.status()["generation"] >= 3)
        code, page = server.get("/")
        assert code == 200 and "First Aid Essentials" in page
        assert 'id="trainkit-errors"' not in page
        assert server.get("/no-such-page/")[0] == 404
    finally:
        server.stop()
    assert server.proc.returncode == 0
    assert any("stopped" in line for line in server.lines)


def test_the_build_notes_are_said_once_not_at_every_save(academy: Path) -> None:
    server = Server(academy)  # not in git: the build notes that SEQUENCE stays 0
    try:
        note = "trainkit: note: not in a git repository with commits"
        server.wait(lambda: any(line.startswith(note) for line in server.lines))
        (academy / PROGRAM).write_text((academy / PROGRAM).read_text().replace(
            "title: First Aid Basics", "title: First Aid Essentials"))
        # its notes are printed before a build is reported
        server.wait(lambda: server.status()["generation"] >= 2)
        assert len([line for line in server.lines if line.startswith(note)]) == 1
        assert server.status()["ok"]
        # a save that breaks the build, then its fix: the note is not said again
        good = (academy / COHORT).read_text()
        (academy / COHORT).write_text(good.replace("status: open", "status: [open"))
        server.wait(lambda: not server.status()["ok"])
        (academy / COHORT).write_text(good)
        server.wait(lambda: server.status()["ok"])
        assert len([line for line in server.lines if line.startswith(note)]) == 1
    finally:
        server.stop()


def test_serve_starts_even_when_the_first_build_fails(academy: Path) -> None:
    good = (academy / COHORT).read_text()
    (academy / COHORT).write_text(good.replace("status: open", "status: [open"))
    server = Server(academy)
    try:
        status = server.status()
        assert status["generation"] == 1 and not status["ok"]
        code, page = server.get("/")
        assert code == 503 and "No site yet" in page and COHORT in page
        (academy / COHORT).write_text(good)
        server.wait(lambda: server.status()["ok"])
        code, page = server.get("/")
        assert code == 200 and "First Aid Basics" in page
    finally:
        server.stop()


def test_a_crashing_build_is_reported_not_fatal(tmp_path: Path, monkeypatch, capsys) -> None:
    from trainkit.commands import serve_cmd

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("writer exploded")

    monkeypatch.setattr(serve_cmd, "run_build", broken)
    preview = serve_cmd.Preview(tmp_path, tmp_path / "work")
    preview.rebuild()
    status = preview.status()
    assert status["generation"] == 1 and not status["ok"]
    assert "writer exploded" in str(status["errors"])
    assert "RuntimeError: writer exploded" in capsys.readouterr().err


def _kept(academy: Path) -> Path:
    """The preview folder kept for ``academy`` in the test's cache folder."""
    found = [p for p in (academy.parent / "cache" / "trainkit" / "serve").iterdir()
             if p.is_dir()]
    assert len(found) == 1, found
    return found[0]


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_the_next_preview_starts_from_the_kept_one(academy: Path) -> None:
    server = Server(academy)
    try:
        assert server.status()["ok"]
        assert "First Aid Basics" in server.get("/")[1]
        # waiting for a save, the preview lays the spare tree the save is staged in
        spare = _kept(academy) / ".site.spare"
        server.wait(lambda: (spare / "CACHEDIR.TAG").is_file())
        page = "catalog/index.html"
        assert (spare / page).stat().st_ino == (_kept(academy) / "site" / page).stat().st_ino
    finally:
        server.stop()
    kept = _kept(academy)
    assert kept.stat().st_mode & 0o077 == 0  # this user's alone
    site = _files(kept / "site")
    assert "index.html" in site and len(site) > 50
    # the private reports are not served, so not made: only the personal address lists
    # the feeds and learner pages writers keep beside their files
    private = {p.relative_to(kept / "reports").parts[0]
               for p in (kept / "reports").rglob("*") if p.is_file()}
    assert not private & {"completion", "rosters", "sign-in", "index.html", "invoices"}
    again = Server(academy)
    try:
        assert again.status() == {"generation": 1, "ok": True, "errors": []}
        assert "First Aid Basics" in again.get("/")[1]
        # nothing changed: the second preview's first build took every file over
        assert _files(kept / "site") == site
        (academy / PROGRAM).write_text((academy / PROGRAM).read_text().replace(
            "title: First Aid Basics", "title: First Aid Essentials"))
        again.wait(lambda: again.status()["generation"] >= 2)
        assert "First Aid Essentials" in again.get("/")[1]
    finally:
        again.stop()
    assert again.proc.returncode == 0


def test_two_previews_of_one_academy_at_once(academy: Path, tmp_path: Path) -> None:
    spare = tmp_path / "tmp"
    spare.mkdir()
    first = Server(academy)
    try:
        second = Server(academy, TMPDIR=str(spare))  # the kept folder is held: a fresh one
        try:
            assert [p.name[:15] for p in spare.iterdir()] == ["trainkit-serve-"]
            for server in (first, second):
                assert server.status()["ok"]
                assert "First Aid Basics" in server.get("/")[1]
        finally:
            second.stop()
        assert not list(spare.iterdir())  # the fresh folder went with its preview
        assert "First Aid Basics" in first.get("/")[1]
    finally:
        first.stop()
    assert (_kept(academy) / "site" / "index.html").is_file()


def test_a_save_during_the_first_build_is_built_next(academy: Path, monkeypatch) -> None:
    """The first build of a large academy takes a minute: a file saved meanwhile must not
    wait for the next save to show."""
    from trainkit.commands import serve_cmd

    monkeypatch.setenv("XDG_CACHE_HOME", str(academy.parent / "cache"))
    monkeypatch.setattr(serve_cmd.signal, "signal", lambda *_: None)  # pytest's own handlers
    program = academy / PROGRAM
    builds: list[str] = []
    real = serve_cmd.Preview.rebuild

    def rebuild(self: serve_cmd.Preview) -> None:
        builds.append(program.read_text())
        if len(builds) == 1:  # saved while the first build runs
            program.write_text(builds[0].replace("title: First Aid Basics",
                                                 "title: First Aid Essentials"))
        real(self)
        if len(builds) == 2:
            raise KeyboardInterrupt  # stop the preview: the test has what it needs

    ticks = []

    def sleep(seconds: float) -> None:
        ticks.append(seconds)
        assert len(ticks) < 400, "the save made during the first build was never built"

    monkeypatch.setattr(serve_cmd.Preview, "rebuild", rebuild)
    monkeypatch.setattr(serve_cmd.time, "sleep", sleep)
    args = serve_cmd.argparse.Namespace(root=str(academy), host="127.0.0.1", port=0,
                                        interval=0.01, personal=False)
    assert serve_cmd.run(args) == serve_cmd.EXIT_OK
    assert len(builds) == 2 and "First Aid Essentials" in builds[1]
    site = (_kept(academy) / "site" / "index.html").read_text()
    assert "First Aid Essentials" in site


def _age(root: Path) -> None:
    """Every folder's modification time an hour back, as if nothing had changed lately."""
    old = time.time() - 3600
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, (old, old))


def test_the_watcher_lists_the_academy_again_only_when_a_folder_changed(
        academy: Path, monkeypatch) -> None:
    from trainkit.commands import serve_cmd

    listings = []
    real = serve_cmd.DirSource.list

    def counted(self: serve_cmd.DirSource) -> list[str]:
        listings.append(1)
        return real(self)

    monkeypatch.setattr(serve_cmd.DirSource, "list", counted)
    _age(academy)
    files = serve_cmd.Files(academy)
    first = files.look()
    assert str(academy / COHORT) in first and len(listings) == 1
    assert files.look() == first and len(listings) == 1  # nothing changed: no listing

    # an edit in place: seen from the file alone
    cohort = academy / COHORT
    cohort.write_text(cohort.read_text() + "# edited\n")
    edited = files.look()
    assert edited[str(cohort)] != first[str(cohort)] and len(listings) == 1

    # a file in a folder that held none: that folder changed, so the academy is listed
    empty = academy / "programs" / "first-aid-basics" / "cohorts" / "later"
    empty.mkdir()
    _age(academy)
    files.look()
    assert len(listings) == 2
    added = empty / "fab-later.yaml"
    added.write_text(cohort.read_text().replace("fab-first", "fab-later"))
    assert str(added) in files.look() and len(listings) == 3

    # a save by renaming a new file over the old one (what many editors do)
    _age(academy)
    files.look()
    listed = len(listings)
    tmp = cohort.with_name(".fab-first.yaml.tmp")
    tmp.write_text(cohort.read_text() + "# saved by rename\n")
    os.replace(tmp, cohort)
    after = files.look()
    assert after[str(cohort)] != edited[str(cohort)] and len(listings) == listed + 1

    # removed: gone from what the build reads
    added.unlink()
    assert str(added) not in files.look()


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def test_personal_feeds_and_pages_are_previewed_only_when_asked(academy: Path) -> None:
    """With the feed secret set, the preview leaves out the personal feeds and "My
    training" pages unless run with --personal; the rest of the site is the same."""
    secret = {"TRAINKIT_FEED_SECRET": "a long random secret for the serve test"}
    server = Server(academy, **secret)
    try:
        assert server.status()["ok"]
        assert any("--personal" in line for line in server.lines)  # says what it left out
    finally:
        server.stop()
    site = _kept(academy) / "site"
    public = _contents(site)
    assert not [rel for rel in public if rel.startswith(f"{PERSONAL}/")]
    assert [rel for rel in public if rel.endswith(".ics")]  # the public feeds are there

    server = Server(academy, "--personal", **secret)
    try:
        assert server.status()["ok"]
        assert not any("--personal" in line for line in server.lines)
        both = _contents(site)
        mine = sorted(rel for rel in both if rel.startswith(f"{PERSONAL}/"))
        feeds = [rel for rel in mine if rel.endswith(".ics")]
        pages = [rel for rel in mine if rel.endswith(".html")]
        assert feeds and pages  # the learners' and the instructor's feeds, the pages
        code, body = server.get(feeds[0])
        assert code == 200 and body.startswith("BEGIN:VCALENDAR")
        assert server.get(pages[0])[0] == 200
        # everything else byte for byte as without them
        assert {rel: data for rel, data in both.items() if rel not in mine} == public
    finally:
        server.stop()

    server = Server(academy, **secret)  # and without again: they are gone from it
    try:
        assert server.status()["ok"]
        assert _contents(site) == public
    finally:
        server.stop()


def test_a_preview_after_edits_is_what_a_build_from_scratch_makes(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview keeps what it resolved for the files that did not change (and the
    page, template and event caches): after each edit its site is, byte for byte, the
    public site a build from scratch makes of the academy as it then is."""
    first = academy / COHORT
    text = first.read_text()
    # `trainkit init` dates its cohort from today: the second meets five weeks after it
    day = re.search(r"date: (\d{4}-\d\d-\d\d)", text[text.index("\nsessions:"):])[1]  # type: ignore[index]
    later = (dt.date.fromisoformat(day) + dt.timedelta(days=35)).isoformat()
    first.with_name("fab-second.yaml").write_text(re.sub(
        r"^title: .*$", 'title: "Main Office, the second cohort"', text.replace(day, later),
        count=1, flags=re.M))
    epoch = "1772323200"
    edits = [
        (COHORT, 'start: "09:30"', 'start: "10:00"'),  # a session moved
        (COHORT, "capacity: 2", "capacity: 3"),  # seats
        (PROGRAM, "title: First Aid Basics", "title: First Aid Essentials"),
        ("venues/main-office.yaml", "name: Main Office", "name: Head Office"),
        # every session of the cohorts there an hour earlier in UTC
        ("venues/main-office.yaml", "timezone: Europe/London", "timezone: Europe/Paris"),
        ("people/learners/example-org.yaml", "name: Sam Patel", "name: Sam Patel-Jones"),
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    server = Server(academy, SOURCE_DATE_EPOCH=epoch)
    try:
        assert server.status()["ok"]
        for n, (rel, old, new) in enumerate(edits):
            generation = server.status()["generation"]
            text = (academy / rel).read_text()
            assert old in text, (rel, old)
            (academy / rel).write_text(text.replace(old, new, 1))
            server.wait(lambda g=generation: server.status()["generation"] > g)
            assert server.status()["ok"], server.status()
            scratch = tmp_path / f"scratch-{n}"
            result, _ = run_build(academy, BuildOptions(
                site_dir=scratch / "site", reports_dir=scratch / "reports",
                only=PUBLIC_WRITERS, personal=False, cache=False))
            assert not result.errors
            assert _contents(_kept(academy) / "site") == _contents(scratch / "site"), rel
    finally:
        server.stop()
