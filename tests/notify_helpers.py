"""A git repository holding the notify fixture academy, and ways to read what notify wrote."""

from __future__ import annotations

import csv
import email
import os
import shutil
import subprocess
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from trainkit.cli import main

FIXTURE = Path(__file__).parent / "cases" / "notify-fixture" / "academy"
OCT = "programs/first-aid/cohorts/fa-2026-10.yaml"
LEARNERS = "people/learners/acme.yaml"


class Repo:
    """The fixture academy in a fresh git repository; commits have fixed dates."""

    def __init__(self, path: Path) -> None:
        self.root = path
        shutil.copytree(FIXTURE, path)
        self.day = 0
        self.git("init", "-q", "-b", "main")
        self.commit("fixture academy")

    def git(self, *args: str) -> str:
        date = f"2026-06-{1 + self.day:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
               "GIT_CONFIG_GLOBAL": "/dev/null"}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True)
        return done.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        self.day += 1

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.root / path
        text = file.read_text()
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1))


def notify(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["notify", "--root", str(repo.root), "--reports-dir",
                 str(repo.root / "reports"), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def outbox(repo: Repo) -> list[tuple[dict[str, str], EmailMessage]]:
    """(index row, parsed message) of every message in the outbox, in order."""
    folder = repo.root / "reports" / "outbox"
    with (folder / "index.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        raw = (folder / row["file"]).read_bytes()
        msg = email.message_from_bytes(raw, policy=default)
        assert isinstance(msg, EmailMessage)
        out.append((row, msg))
    return out


def calendar_part(msg: EmailMessage) -> tuple[str, str]:
    """(method parameter, text) of the text/calendar part."""
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return str(part.get_param("method")), str(part.get_content())
    raise AssertionError("no text/calendar part")


def kinds_by_person(repo: Repo) -> dict[tuple[str, str], str]:
    """(recipient address, session summary start) -> kind, for quick assertions."""
    return {(str(m["To"].addresses[0].addr_spec), row["subject"]): row["kind"]
            for row, m in outbox(repo)}
