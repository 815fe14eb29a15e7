"""Assessor checklists and assessment results in reports/; nothing of them under site/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import write_academy
from test_assessments import COHORT, HEADER, RESULTS, _files
from trainkit.writers.build import BuildOptions, run_build

ROWS = ("l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=not-yet;recovery=exceeds,fail,"
        "form 17,Compressions too shallow\n"
        "l-0001,first-aid/cpr,2,2026-03-10,ajones,rate-depth=competent;recovery=competent,"
        "pass,form 23,\n"
        "l-0002,first-aid/cpr,1,2026-03-04,ajones,rate-depth=exceeds;recovery=not-yet,pass,,\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("assessed")
    files = _files(ROWS)
    # a cancelled day-2 session hosts no checklist; a second cohort's learners stay out
    files["programs/first-aid/cohorts/fa-1.yaml"] = COHORT + "  - id: day2b\n" \
        "    template: day2\n    date: 2026-03-05\n    start: \"09:00\"\n    status: cancelled\n" \
        "    reason: Trainer ill\n"
    write_academy(out / "academy", files)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1775000000")  # 2026-03-31
    try:
        result, _ = run_build(out / "academy", BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=b"s"))
    finally:
        mp.undo()
    assert not result.errors, [d.text() for d in result.errors]
    return out


def test_checklist_has_a_page_per_learner_with_rubric_and_signatures(built: Path) -> None:
    page = (built / "reports/assessments/checklists/fa-1.html").read_text(encoding="utf-8")
    assert page.count('<section class="sheet">') == 3  # three learners, one held day-2 session
    for name in ("Priya Shah", "Tom Bell", "Ana Silva"):
        assert page.count(f"<strong>{name}</strong>") == 1
    assert page.count("CPR rate and depth <strong>(critical)</strong>") == 3
    assert page.count("Recovery position <span") == 3
    header = ('<th class="box">not-yet</th><th class="box">competent ✓</th>'
              '<th class="box">exceeds ✓</th>')
    assert page.count(header) == 3
    assert page.count('<td class="box">☐</td>') == 3 * 2 * 3  # learners x criteria x levels
    assert page.count("<td>Signature</td>") == 3 and page.count("Attempt: ______ of 2") == 3
    assert "break-before:page" in page


def test_results_csv_lists_every_attempt_and_whether_it_counts(built: Path) -> None:
    text = (built / "reports/assessments/results/fa-1.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["cohort", "learner", "name", "assessment", "attempt", "date", "assessor", "results",
         "overall", "counts", "evidence", "note"],
        ["fa-1", "l-0001", "Priya Shah", "first-aid/cpr", "1", "2026-03-04", "ajones",
         "rate-depth=not-yet;recovery=exceeds", "fail", "no", "form 17",
         "Compressions too shallow"],
        ["fa-1", "l-0001", "Priya Shah", "first-aid/cpr", "2", "2026-03-10", "ajones",
         "rate-depth=competent;recovery=competent", "pass", "yes", "form 23", ""],
        ["fa-1", "l-0002", "Tom Bell", "first-aid/cpr", "1", "2026-03-04", "ajones",
         "rate-depth=exceeds;recovery=not-yet", "pass", "yes", "", ""],
    ]


def test_results_page_and_completion_report_give_the_standing(built: Path) -> None:
    page = (built / "reports/assessments/results/fa-1.html").read_text(encoding="utf-8")
    assert "<th>CPR rate and depth</th>" in page
    assert "practical assessment &#39;CPR practical&#39; not yet taken" in page  # Ana Silva
    assert page.count("<td>passed</td>") == 2
    index = (built / "reports/index.html").read_text(encoding="utf-8")
    assert 'href="assessments/checklists/fa-1.html"' in index
    assert 'href="assessments/results/fa-1.html"' in index
    completion = (built / "reports/completion/fa-1.csv").read_text(encoding="utf-8")
    assert "practical assessment 'CPR practical' not yet taken" in completion


def test_no_assessment_result_under_site(built: Path) -> None:
    site = built / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        for secret in (b"Compressions too shallow", b"form 23", b"form 17", b"not-yet;",
                       RESULTS.encode()):
            assert secret not in data, (path, secret)
    assert not list(site.rglob("*assessments*"))
    assert HEADER  # the header used by the records written above
