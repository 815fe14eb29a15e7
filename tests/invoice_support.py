"""Helpers shared by the invoicing tests: a demo copy, the command, the ledger."""

from __future__ import annotations

import re
from pathlib import Path

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import Result, check_dir

LEDGER = "records/invoices.yaml"


def demo_copy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def invoice(root: Path, *argv: str) -> int:
    return main(["invoice", *argv, "--root", str(root)])


def codes(result: Result, prefix: str = "") -> list[str]:
    return [f"{d.path}:{d.line}:{d.code}" for d in result.diagnostics
            if d.code.startswith(prefix) and d.severity.value == "error"]


def check(root: Path) -> Result:
    return check_dir(root)


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def entry_line(root: Path, number: str) -> int:
    """The line of ``- number: NUMBER`` in the ledger."""
    lines = (root / LEDGER).read_text(encoding="utf-8").splitlines()
    return next(i for i, x in enumerate(lines, 1) if re.search(rf"number: {number}$", x))
