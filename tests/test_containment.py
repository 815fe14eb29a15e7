"""Nothing outside the academy, and nothing private, is read or published.

Probes from a hostile pull request: links to /proc/self/environ, /etc/passwd
and folders outside the academy, FIFOs, a module that is a link to the
learner directory, raw HTML files, paths in trainkit.yaml that leave the
repository. Each is reported by ``trainkit check`` at the link or setting,
and ``trainkit build`` refuses to publish it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_site_support import copy_demo, public_texts, source_date_epoch
from trainkit.cli import main
from trainkit.pipeline import check_dir
from trainkit.rules import _catalog
from trainkit.writers.build import BuildError
from trainkit.writers.site.project import published_bytes

MODULES = "courses/fire-safety-basics/modules"
CODES = ("outside-academy", "special-file", "private-link", "raw-html")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def _problems(root: Path) -> list[str]:
    result = check_dir(root)
    return sorted(f"{d.path}:{d.line}:{d.col}: {d.code}" for d in result.errors)


def _set_site(root: Path, key: str, value: str) -> None:
    path = root / "trainkit.yaml"
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith(f"  {key}:")]
    at = lines.index("site:") + 1
    lines.insert(at, f"  {key}: {value}")
    path.write_text("\n".join(lines) + "\n")


def test_every_code_is_documented() -> None:
    assert set(CODES) <= set(_catalog.FILE_CODES)


def test_link_to_proc_environ_is_refused_by_check_and_build(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    link = demo / MODULES / "img/env.txt"
    link.symlink_to("/proc/self/environ")
    assert _problems(demo) == [f"{MODULES}/img/env.txt:1:1: outside-academy"]
    assert main(["check", "--root", str(demo)]) == 1
    out = capsys.readouterr().out
    assert f"{MODULES}/img/env.txt:1:1: error[outside-academy]: " in out
    assert "link to /proc/self/environ, outside the academy folder" in out
    monkeypatch.setenv("TRAINKIT_FEED_SECRET", "s3cret-value-from-ci")
    site = tmp_path / "out/site"
    assert main(["build", "--root", str(demo), "--site-dir", str(site),
                 "--reports-dir", str(tmp_path / "out/reports"), "-q"]) == 1
    assert not site.exists()


def test_program_file_linked_to_etc_passwd_is_refused(demo: Path) -> None:
    (demo / "programs/first-aid/map.png").symlink_to("/etc/passwd")
    assert _problems(demo) == ["programs/first-aid/map.png:1:1: outside-academy"]


def test_linked_folders_out_of_the_academy_are_refused(demo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "img").mkdir(parents=True)
    (outside / "img/a.png").write_bytes(b"\x89PNG")
    (demo / MODULES / "shared").symlink_to(outside / "img")
    (demo / "site-extra/etc").symlink_to("/etc")
    assert _problems(demo) == [f"{MODULES}/shared:1:1: outside-academy",
                               "site-extra/etc:1:1: outside-academy"]


def test_an_input_folder_linked_out_of_the_academy_is_refused(demo: Path,
                                                              tmp_path: Path) -> None:
    (tmp_path / "venues").mkdir()
    os.rename(demo / "venues", tmp_path / "venues/real")
    (demo / "venues").symlink_to(tmp_path / "venues/real")
    assert "venues:1:1: outside-academy" in _problems(demo)


def test_site_extra_link_to_a_system_file_is_refused(demo: Path) -> None:
    (demo / "site-extra/notes.txt").symlink_to("/etc/passwd")
    assert _problems(demo) == ["site-extra/notes.txt:1:1: outside-academy"]


def test_a_fifo_is_refused_and_never_opened(demo: Path) -> None:
    os.mkfifo(demo / MODULES / "img/pipe.png")
    os.mkfifo(demo / "records/attendance/pipe.csv")
    # In a child process with a time limit: reading a FIFO would block for ever.
    code = ("import sys; from pathlib import Path; from trainkit.pipeline import check_dir; "
            "r = check_dir(Path(sys.argv[1])); "
            "print(sorted(f'{d.path} {d.code}' for d in r.errors))")
    done = subprocess.run([sys.executable, "-c", code, str(demo)], capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip() == str(sorted([f"{MODULES}/img/pipe.png special-file",
                                              "records/attendance/pipe.csv special-file"]))


def test_module_linked_to_the_learner_directory_publishes_nothing(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learners = sorted((demo / "people/learners").glob("*.yaml"))[0]
    module = demo / MODULES / "02-prevention.md"
    module.unlink()
    module.symlink_to(os.path.relpath(learners, module.parent))
    assert _problems(demo) == [f"{MODULES}/02-prevention.md:1:1: private-link"]
    site = tmp_path / "out/site"
    assert main(["build", "--root", str(demo), "--site-dir", str(site),
                 "--reports-dir", str(tmp_path / "out/reports"), "-q"]) == 1
    assert "private data and is never published" in capsys.readouterr().out
    assert not site.exists()


def test_link_inside_the_academy_to_a_public_file_is_fine(demo: Path) -> None:
    image = demo / MODULES / "img/fire-triangle.svg"
    (demo / "courses/manual-handling/modules/img/triangle.svg").symlink_to(
        os.path.relpath(image, demo / "courses/manual-handling/modules/img"))
    assert _problems(demo) == []


def test_raw_html_is_refused_beside_modules_and_programs_and_in_site_extra(demo: Path) -> None:
    (demo / MODULES / "page.html").write_text("<script>alert(1)</script>")
    (demo / "programs/first-aid/flyer.xhtml").write_text("<html/>")
    (demo / "site-extra/raw.htm").write_text("<script>alert(2)</script>")
    (demo / "site-extra/overrides").mkdir()
    (demo / "site-extra/overrides/main.html").write_text('{% extends "base.html" %}')
    assert _problems(demo) == [f"{MODULES}/page.html:1:1: raw-html",
                               "programs/first-aid/flyer.xhtml:1:1: raw-html",
                               "site-extra/raw.htm:1:1: raw-html"]


@pytest.mark.parametrize(("key", "value", "code"), [
    ("logo", "/etc/passwd", "outside-academy"),
    ("favicon", "../../../etc/passwd", "outside-academy"),
    ("extra_dir", "../outside", "outside-academy"),
    ("extra_dir", "people", "private-link"),
    ("extra_dir", ".", "private-link"),
    ("logo", "people/learners/acme-logistics.yaml", "private-link"),
    ("favicon", "records/revocations.yaml", "private-link"),
])
def test_paths_in_settings_stay_inside_the_repository(demo: Path, key: str, value: str,
                                                      code: str) -> None:
    _set_site(demo, key, value)
    result = check_dir(demo)
    found = [d for d in result.errors if d.path == "trainkit.yaml"]
    line = (demo / "trainkit.yaml").read_text().splitlines().index(f"  {key}: {value}") + 1
    assert [(d.line, d.col, d.code) for d in found] == [(line, len(key) + 5, code)]
    assert found[0].message.startswith(f"site.{key}")


def test_logo_linked_out_of_the_academy_is_refused(demo: Path) -> None:
    logo = demo / "site-extra/assets/logo.svg"
    logo.unlink()
    logo.symlink_to("/etc/passwd")
    assert ("trainkit.yaml" in {d.path for d in check_dir(demo).errors}
            and "site-extra/assets/logo.svg:1:1: outside-academy" in _problems(demo))


def test_the_copy_step_refuses_links_out_by_itself(demo: Path) -> None:
    link = demo / MODULES / "img/pw.png"
    link.symlink_to("/etc/passwd")
    with pytest.raises(BuildError) as err:
        published_bytes(link, demo)
    assert err.value.diagnostics[0].code == "outside-academy"
    with pytest.raises(BuildError):
        published_bytes(Path("/etc/passwd"), demo)


def test_only_referenced_course_files_are_published(demo: Path, tmp_path: Path) -> None:
    (demo / MODULES / "img/notes.txt").write_text("internal planning notes, not for learners")
    (demo / MODULES / "img/handout.txt").write_text("handout for learners")
    module = demo / MODULES / "01-fire-triangle.md"
    module.write_text(module.read_text() + "\n[The handout](img/handout.txt)\n")
    with source_date_epoch(1772323200):
        assert main(["build", "--root", str(demo), "--site-dir", str(tmp_path / "site"),
                     "--reports-dir", str(tmp_path / "reports"), "--only", "site", "-q"]) == 0
    course = tmp_path / "site/courses/fire-safety-basics"
    assert (course / "img/handout.txt").is_file()
    assert (course / "img/fire-triangle.svg").is_file()
    assert not (course / "img/notes.txt").exists()
    assert not any("internal planning notes" in text for _, text in public_texts(tmp_path / "site"))


def test_the_branding_logo_is_read_only_from_inside_the_academy(demo: Path,
                                                               tmp_path: Path) -> None:
    from trainkit.writers.branding import logo_uri

    assert logo_uri(demo, "site-extra/assets/logo.svg").startswith("data:image/svg+xml;base64,")
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG not for the site")
    (demo / "site-extra/assets/linked.png").symlink_to(outside)
    assert logo_uri(demo, str(outside)) == ""
    assert logo_uri(demo, "site-extra/assets/linked.png") == ""
    assert logo_uri(demo, os.path.relpath(outside, demo)) == ""
