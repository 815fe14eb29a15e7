"""``trainkit serve`` in a real subprocess: serve, break a file, keep serving, fix, rebuild."""

from __future__ import annotations

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

COHORT = "programs/first-aid-basics/cohorts/fab-first.yaml"
PROGRAM = "programs/first-aid-basics/program.yaml"
WAIT = 120.0  # seconds; a full build of the small academy takes a few


class Server:
    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trainkit", "serve", "--root", str(root), "--port", "0",
             "--interval", "0.2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            # This tree's code, whichever copy of trainkit is installed.
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
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
