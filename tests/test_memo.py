"""Text remembered in the build cache: used only when made from the same arguments."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainkit.load import usercache
from trainkit.writers import charts, memo

calls: list[tuple[object, ...]] = []


@memo.remembered
def shout(words: object, *, times: int = 1) -> str:
    calls.append((words, times))
    return f"{words!r}" * times


@pytest.fixture(autouse=True)
def _fresh() -> None:
    calls.clear()


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


def test_outside_a_build_the_function_just_runs(tmp_path: Path) -> None:
    assert shout("a") == shout("a") == "'a'"
    assert len(calls) == 2
    assert not list(tmp_path.iterdir())


def test_same_arguments_are_made_once(tmp_path: Path) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        first = shout({"x": [1.5, 2]}, times=2)
        again = shout({"x": [1.5, 2]}, times=2)
    assert first == again == "{'x': [1.5, 2]}" * 2
    assert len(calls) == 1
    assert len(entries(tmp_path)) == 1


@pytest.mark.parametrize("other", [
    ({"x": [1.5, 2]}, 3),      # another keyword value
    ({"x": [1.5, 2.5]}, 2),    # another number
    ({"y": [1.5, 2]}, 2),      # another key
])
def test_other_arguments_are_made_again(tmp_path: Path, other: tuple[object, int]) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout({"x": [1.5, 2]}, times=2)
        shout(other[0], times=other[1])
    assert len(calls) == 2


def test_mapping_order_is_part_of_the_key(tmp_path: Path) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        a = shout({"a": 1, "b": 2})
        b = shout({"b": 2, "a": 1})
    assert len(calls) == 2 and a != b


def test_a_string_subclass_is_not_a_plain_string(tmp_path: Path) -> None:
    from markupsafe import Markup

    with memo.kept_in(tmp_path, lambda: "salt"):
        shout("<b>")
        shout(Markup("<b>"))
    assert len(calls) == 2


def test_another_salt_makes_it_again(tmp_path: Path) -> None:
    with memo.kept_in(tmp_path, lambda: "one"):
        shout("a")
    with memo.kept_in(tmp_path, lambda: "two"):
        shout("a")
    assert len(calls) == 2


def test_an_object_it_cannot_spell_out_is_not_remembered(tmp_path: Path) -> None:
    thing = object()
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout(thing)
        shout(thing)
        shout(float("nan"))
    assert len(calls) == 3
    assert len(entries(tmp_path)) == 1  # nan is spelled out; the object is not


@pytest.mark.parametrize("damage", ["cut", "edit", "empty", "plain digest"])
def test_a_damaged_entry_is_made_again_and_replaced(tmp_path: Path, damage: str) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        good = shout("a", times=3)
        [entry] = entries(tmp_path)
        data = entry.read_bytes()
        planted = b"<svg>planted</svg>"
        entry.write_bytes({"cut": data[:-2], "edit": data.replace(b"a", b"b"), "empty": b"",
                           "plain digest": hashlib.sha256(planted).hexdigest().encode()
                           + b"\n" + planted}[damage])
        assert shout("a", times=3) == good
        assert entry.read_bytes() == data
        assert shout("a", times=3) == good
    assert len(calls) == 2


def test_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "memo"
    blocker.write_text("a file where the folder should be")
    with memo.kept_in(blocker, lambda: "salt"):
        assert shout("a") == shout("a") == "'a'"
    assert len(calls) == 2


def test_prune_removes_what_was_not_used_for_a_month(tmp_path: Path) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout("old")
        shout("new")
    old, new = sorted(entries(tmp_path), key=lambda p: p.read_text().count("old"))[::-1]
    stray = old.parent / ".tmp-abandoned"
    stray.write_text("half")
    month = time.time() - (memo.KEEP_DAYS + 1) * 86400
    for path in (old, new, stray):
        os.utime(path, (month, month))
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout("new")  # used again: its clock starts over
    assert memo.prune(tmp_path) == 2
    assert entries(tmp_path) == [new]
    assert not stray.exists()


def test_a_remembered_chart_is_the_drawn_chart(tmp_path: Path) -> None:
    args = (["Jan", "Feb"], {"completed": [40.0, 72.5], "certified": [30.0, 60.0]})
    drawn = charts.bars(*args, title="Rates", ylabel="%", percent=True)
    with memo.kept_in(tmp_path, lambda: "salt"):
        first = charts.bars(*args, title="Rates", ylabel="%", percent=True)
        [entry] = entries(tmp_path)
        stamp = entry.stat().st_mtime_ns
        again = charts.bars(*args, title="Rates", ylabel="%", percent=True)
    assert drawn == first == again
    assert entry.stat().st_mtime_ns >= stamp
    assert drawn.startswith("<svg")


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    probe = ("import sys; from trainkit.cli import main; code = main(sys.argv[1:]); "
             "heavy = sorted(m for m in ('matplotlib', 'fpdf', 'ortools', 'openpyxl', 'pandas') "
             "if m in sys.modules); print('IMPORTED', heavy, file=sys.stderr); sys.exit(code)")
    return subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True,
                          check=False)


@pytest.mark.parametrize("command", ["check", "build", "diff", "serve"])
def test_a_command_starts_without_what_other_commands_need(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0, done.stderr
    assert f"usage: trainkit {command}" in done.stdout
    assert "IMPORTED []" in done.stderr


def test_top_level_help_still_lists_every_command() -> None:
    from trainkit.cli import COMMANDS

    done = run_cli("--help")
    assert done.returncode == 0
    for name in COMMANDS:
        assert f"    {name}" in done.stdout


def test_an_unknown_command_is_a_usage_error_naming_the_commands() -> None:
    done = run_cli("buidl")
    assert done.returncode == 64
    assert "invalid choice: 'buidl'" in done.stderr and "build" in done.stderr


def test_a_cache_folder_is_looked_through_at_most_once_a_day(tmp_path: Path) -> None:
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout("old")
    [old] = entries(tmp_path)
    month = time.time() - (memo.KEEP_DAYS + 1) * 86400
    now = time.time()
    assert memo.prune(tmp_path, now=now) == 0  # nothing old yet; the look is stamped
    os.utime(old, (month, month))
    assert memo.prune(tmp_path, now=now + 3600) == 0  # an hour later: not looked at again
    assert entries(tmp_path) == [old]
    assert memo.prune(tmp_path, now=now + usercache.PRUNE_EVERY + 1) == 1  # a day later
    assert entries(tmp_path) == []
    # a stamp from the future (a clock set back) does not stop the next look
    with memo.kept_in(tmp_path, lambda: "salt"):
        shout("again")
    [again] = entries(tmp_path)
    os.utime(again, (month, month))
    assert memo.prune(tmp_path, now=now) == 1
