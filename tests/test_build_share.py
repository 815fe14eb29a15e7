"""Writers shared between the build's own process and a forked worker (``--jobs 2``)."""

from __future__ import annotations

import os
import time

import pytest

from trainkit.writers import incremental


def _pid_of(name: str) -> incremental.Ran:
    time.sleep(0.05)
    return [f"{name}@{os.getpid()}"], [], None, {}, []


def _fails_here(name: str) -> incremental.Ran:
    if name == "last":
        raise RuntimeError("a bug in a writer")
    time.sleep(0.2)
    return [], [], None, {}, []


def test_each_writer_runs_once_in_this_process_or_the_worker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "_run", _pid_of)
    monkeypatch.setattr(incremental.importlib, "import_module", lambda name: None)
    names = [f"w{i}" for i in range(8)]
    done = incremental._share(names, 2)
    assert sorted(done) == names
    where = {name: ran[0][0].split("@")[1] for name, ran in done.items()}
    assert all(ran[0][0].startswith(f"{name}@") for name, ran in done.items())
    here = str(os.getpid())
    assert where["w7"] == here  # this process starts from the back
    assert where["w0"] != here  # the worker from the front
    assert len(set(where.values())) == 2


def test_a_writer_that_breaks_here_stops_the_build_without_hanging(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(incremental, "_run", _fails_here)
    monkeypatch.setattr(incremental.importlib, "import_module", lambda name: None)
    with pytest.raises(RuntimeError, match="a bug in a writer"):
        incremental._share(["first", "second", "third", "last"], 2)
    # nothing more was handed to the worker once the pool was shutting down
    assert not [r for r in caplog.records if r.name == "concurrent.futures"]
