"""The academy's own notification templates follow the rule every file trainkit reads follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_site_support import copy_demo
from trainkit.cli import main


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = copy_demo(tmp_path / "demo")
    (root / "notifications" / "templates").mkdir(parents=True)
    return root


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_a_template_linked_outside_the_academy_is_refused(
        demo: Path, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    (demo / "notifications/templates/reminder.txt").symlink_to(target)
    outbox = demo / "reports" / "outbox"
    code = main(["notify", "--due", "--as-of", "2027-01-10T08:00:00Z", "--root", str(demo)])
    out = "".join(capsys.readouterr())
    assert code == 1
    assert ("notifications/templates/reminder.txt:1:1: error[outside-academy]: "
            f"notifications/templates/reminder.txt is a link to {target}") in out
    assert "root:" not in out  # nothing of the linked file is shown or sent
    assert not outbox.exists() or not any(outbox.iterdir())


def test_a_linked_templates_folder_is_refused(demo: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (demo / "notifications/templates").rmdir()
    (demo / "notifications/templates").symlink_to(elsewhere)
    code = main(["notify", "--due", "--as-of", "2027-01-10T08:00:00Z", "--root", str(demo)])
    assert code == 1
    assert "error[outside-academy]" in "".join(capsys.readouterr())
