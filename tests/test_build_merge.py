"""The merge of the writers' folders, with files taken over straight into the staged output.

Writers run into folders of their own and are merged in the fixed order of
``WRITERS``; a file one writer took over from the last build is already in
the staged output. Whichever way a file came, the later writer's stays, and
a writer that lost a file is not remembered by the build cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trainkit.writers import incremental, settle
from trainkit.writers.buildcache import Part
from trainkit.writers.context import BuildContext, Earlier
from trainkit.writers.units import SameBytes


def _ctx(tmp_path: Path) -> BuildContext:
    site, reports = tmp_path / "stage-site", tmp_path / "stage-reports"
    site.mkdir()
    reports.mkdir()
    return BuildContext(academy=None, root=tmp_path, public=site,  # type: ignore[arg-type]
                        private=reports, work=tmp_path / "work", epoch=None,  # type: ignore[arg-type]
                        commit=None, secret=None)


def _made(ctx: BuildContext, writer: str, rel: str, text: str) -> None:
    path = ctx.public / incremental.PARTS / writer / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    (ctx.private / incremental.PARTS / writer).mkdir(parents=True, exist_ok=True)


def _kept(ctx: BuildContext, rel: str, text: str) -> str:
    path = ctx.public / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return f"site/{rel}"


def _merge(ctx: BuildContext, names: list[str], kept: dict[str, list[str]]) -> dict[str, Part]:
    for name in names:
        for side in (ctx.public, ctx.private):
            (side / incremental.PARTS / name).mkdir(parents=True, exist_ok=True)
    parts = {name: Part(f"key-{name}") for name in names}
    return incremental._merge(ctx, names, parts, kept).parts


def test_files_made_and_taken_over_are_all_listed(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    _made(ctx, "feeds", "calendars/p/a.ics", "feed a")
    kept = {"learner_pages": [_kept(ctx, "calendars/p/a.html", "page a"),
                              _kept(ctx, "calendars/p/b.html", "page b")]}
    _made(ctx, "learner_pages", "calendars/p/c.html", "page c")
    parts = _merge(ctx, ["feeds", "learner_pages"], kept)
    assert set(parts) == {"feeds", "learner_pages"}
    assert parts["learner_pages"].public == ["calendars", "calendars/p", "calendars/p/a.html",
                                             "calendars/p/b.html", "calendars/p/c.html"]
    assert parts["feeds"].public == ["calendars", "calendars/p", "calendars/p/a.ics"]
    assert {p.relative_to(ctx.public).as_posix() for p in ctx.public.rglob("*")
            if p.is_file()} == {"calendars/p/a.ics", "calendars/p/a.html",
                                "calendars/p/b.html", "calendars/p/c.html"}
    assert not (ctx.public / incremental.PARTS).exists()


def test_a_later_writer_made_file_replaces_an_earlier_writers_kept_one(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    kept = {"site": [_kept(ctx, "index.html", "from site, kept")]}
    _made(ctx, "feeds", "index.html", "from feeds, made")
    parts = _merge(ctx, ["site", "feeds"], kept)
    assert (ctx.public / "index.html").read_text() == "from feeds, made"
    assert set(parts) == {"feeds"}  # the site lost a file: not remembered


def test_an_earlier_writers_made_file_does_not_replace_a_later_kept_one(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    _made(ctx, "site", "index.html", "from site, made")
    kept = {"feeds": [_kept(ctx, "index.html", "from feeds, kept")]}
    parts = _merge(ctx, ["site", "feeds"], kept)
    assert (ctx.public / "index.html").read_text() == "from feeds, kept"
    assert set(parts) == {"feeds"}


def test_two_made_files_the_later_wins(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    _made(ctx, "site", "x/y.txt", "site")
    _made(ctx, "feeds", "x/y.txt", "feeds")
    _made(ctx, "site", "x/z.txt", "only site")
    parts = _merge(ctx, ["site", "feeds"], {})
    assert (ctx.public / "x/y.txt").read_text() == "feeds"
    assert (ctx.public / "x/z.txt").read_text() == "only site"
    assert set(parts) == {"feeds"}


def _same(tmp_path: Path, current: dict[str, bytes | str]) -> tuple[BuildContext, SameBytes]:
    ctx = _ctx(tmp_path)
    old = tmp_path / "site"
    for rel, data in current.items():
        path = old / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.symlink_to(data)
    ctx.cache = tmp_path / "cache"
    # ``now``: the current output as the build found it (incremental.plan snapshots it)
    ctx.earlier = Earlier({}, {"site": old, "reports": tmp_path / "reports"},
                          {"site": settle.snapshot(old), "reports": {}}, {})
    ctx.staging = {"site": ctx.public, "reports": ctx.private}
    ctx.public = ctx.public / incremental.PARTS / "feeds"
    return ctx, SameBytes(ctx, "site")


def test_a_file_with_the_same_bytes_is_the_same_file(tmp_path: Path) -> None:
    ctx, same = _same(tmp_path, {"calendars/p/a.ics": b"BEGIN:VCALENDAR\r\n"})
    placed = same.keep("calendars/p/a.ics", b"BEGIN:VCALENDAR\r\n")
    assert placed == f"{ctx.staging['site']}/calendars/p/a.ics"
    assert os.stat(placed).st_ino == (tmp_path / "site/calendars/p/a.ics").stat().st_ino
    assert ctx.kept == ["site/calendars/p/a.ics"]


@pytest.mark.parametrize("data", [b"BEGIN:VCALENDAR\r\nX\r\n", b"BEGIN:VCALENDAR\r",
                                  b"BEGIN:VCALENDAR\r\r"])
def test_other_bytes_are_written(tmp_path: Path, data: bytes) -> None:
    ctx, same = _same(tmp_path, {"a.ics": b"BEGIN:VCALENDAR\r\n"})
    assert same.keep("a.ics", data) is None
    assert ctx.kept == [] and not (ctx.staging["site"] / "a.ics").exists()


def test_a_link_in_the_current_output_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"private")
    ctx, same = _same(tmp_path, {"a.ics": str(secret)})
    assert same.keep("a.ics", b"private") is None
    assert ctx.kept == []


def test_without_a_last_build_or_the_cache_nothing_is_taken_over(tmp_path: Path) -> None:
    ctx, _ = _same(tmp_path, {"a.ics": b"x"})
    ctx.cache = None
    assert SameBytes(ctx, "site").keep("a.ics", b"x") is None
    ctx.cache, ctx.earlier = tmp_path / "cache", None
    assert SameBytes(ctx, "site").keep("a.ics", b"x") is None


def test_a_twin_linked_to_a_taken_over_file_is_taken_over_unread(tmp_path: Path) -> None:
    ctx, same = _same(tmp_path, {"p/a.ics": b"shared", "p/c.ics": b"shared"})
    os.link(tmp_path / "site/p/a.ics", tmp_path / "site/p/b.ics")  # the last build linked them
    assert ctx.earlier is not None
    ctx.earlier.now["site"].update(settle.snapshot(tmp_path / "site"))  # as the build found it
    first = same.keep("p/a.ics", b"shared")
    assert first is not None
    twin = same.keep_twin("p/b.ics", first)
    assert twin is not None and os.stat(twin).st_ino == os.stat(first).st_ino
    # same bytes but its own file: not taken over unread (the caller links or writes it)
    assert same.keep_twin("p/c.ics", first) is None
    assert same.keep_twin("p/missing.ics", first) is None
    assert ctx.kept == ["site/p/a.ics", "site/p/b.ics"]


def test_a_report_file_with_the_same_bytes_is_taken_over(tmp_path: Path) -> None:
    from trainkit.writers.units import keyed, same_bytes

    ctx, _ = _same(tmp_path, {})
    old = tmp_path / "reports" / "completion" / "c1.csv"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"learner,status\r\nl-1,completed\r\n")
    ctx.private = ctx.staging["reports"] / incremental.PARTS / "reports"
    target = ctx.private / "completion" / "c1.csv"
    assert not same_bytes(target, old.read_bytes())  # outside a keyed writer: write it
    with keyed(ctx, "reports"):
        assert not same_bytes(target, b"learner,status\r\nl-1,withdrawn\r\n")
        assert same_bytes(target, old.read_bytes())
    staged = ctx.staging["reports"] / "completion" / "c1.csv"
    assert staged.stat().st_ino == old.stat().st_ino
    assert "reports/completion/c1.csv" in ctx.kept


def test_a_folder_the_staged_output_lacks_is_moved_whole_unless_a_later_writer_shares_it(
        tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    _made(ctx, "site", "cohorts/a/index.html", "cohort a")
    _made(ctx, "site", "cohorts/b/index.html", "cohort b")
    _made(ctx, "site", "calendars/x.txt", "site's")
    _made(ctx, "site", "calendars/keep.txt", "the site's alone")
    _made(ctx, "feeds", "calendars/x.txt", "feeds'")  # the later writer gives it
    _made(ctx, "feeds", "calendars/c/a.ics", "feed")
    _kept(ctx, "cohorts-old/index.html", "taken over")
    folder = ctx.public / incremental.PARTS / "site" / "cohorts"
    before = folder.stat().st_ino
    parts = _merge(ctx, ["site", "feeds"], {"site": ["site/cohorts-old/index.html"]})
    assert (ctx.public / "cohorts").stat().st_ino == before  # one rename, not two files
    assert (ctx.public / "cohorts/b/index.html").read_text() == "cohort b"
    assert (ctx.public / "calendars/x.txt").read_text() == "feeds'"
    assert (ctx.public / "calendars/keep.txt").read_text() == "the site's alone"
    assert (ctx.public / "calendars/c/a.ics").read_text() == "feed"
    assert (ctx.public / "cohorts-old/index.html").read_text() == "taken over"
    assert set(parts) == {"feeds"}  # the site lost a file: not remembered
    assert not (ctx.public / incremental.PARTS).exists()
    assert sorted(p.relative_to(ctx.public).as_posix() for p in ctx.public.rglob("*")) == [
        "calendars", "calendars/c", "calendars/c/a.ics", "calendars/keep.txt",
        "calendars/x.txt", "cohorts", "cohorts-old", "cohorts-old/index.html", "cohorts/a",
        "cohorts/a/index.html", "cohorts/b", "cohorts/b/index.html"]
