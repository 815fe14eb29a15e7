"""Writers with nothing to do for an academy are neither run nor imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_site_support import DEMO
from trainkit.cli import main

_SCRIPT = """
import json, sys
from trainkit.writers.build import BuildOptions, run_build
from pathlib import Path
root, out, only = Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3:])
result, _ = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                         jobs=1, only=only))
print(json.dumps({"errors": [d.text() for d in result.errors],
                  "pdf": sorted({"fpdf", "facturx"} & sys.modules.keys()),
                  "invoices": (out / "reports" / "invoices").exists()}))
"""


def _build(root: Path, out: Path, *only: str) -> dict[str, object]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600",
           "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).parents[1] / "src"),
                                                     os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(root), str(out), *only], env=env,
                          capture_output=True, text=True, check=True)
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_an_academy_without_a_ledger_never_loads_the_pdf_toolchain(tmp_path: Path) -> None:
    academy = tmp_path / "academy"
    assert main(["init", str(academy), "--no-git"]) == 0
    assert not (academy / "records" / "invoices.yaml").exists()
    built = _build(academy, tmp_path / "out")
    assert built == {"errors": [], "pdf": [], "invoices": False}


def test_an_academy_with_a_ledger_gets_its_documents(tmp_path: Path) -> None:
    built = _build(DEMO, tmp_path / "out", "invoices")  # the demo has issued documents
    assert built == {"errors": [], "pdf": ["facturx", "fpdf"], "invoices": True}
    assert sorted(p.suffix for p in (tmp_path / "out/reports/invoices").iterdir())[-1] == ".xml"


def test_the_private_writers_write_nothing_public(tmp_path: Path) -> None:
    """What the live preview leaves out (``PRIVATE_WRITERS``) puts no file in the site, and
    the demo's private writers do have work: its ledger's invoices, its reports."""
    from trainkit.writers.build import PRIVATE_WRITERS, PUBLIC_WRITERS, WRITERS

    assert set(PUBLIC_WRITERS) | PRIVATE_WRITERS == set(WRITERS)
    assert "site" in PUBLIC_WRITERS and not set(PUBLIC_WRITERS) & PRIVATE_WRITERS
    found = _build(DEMO, tmp_path, *sorted(PRIVATE_WRITERS))
    assert found["errors"] == [] and found["invoices"] is True
    site = sorted(str(p.relative_to(tmp_path / "site")) for p in (tmp_path / "site").rglob("*"))
    assert site == [".trainkit-output"]  # the output folder's own marker, nothing else
    assert (tmp_path / "reports" / "index.html").is_file()
