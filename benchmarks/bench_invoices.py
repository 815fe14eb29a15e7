"""How fast invoices are issued and rendered, against the PDF library alone.

    python benchmarks/bench_invoices.py [--invoices 10000] [--rounds 3] [--work DIR]

Generates the synthetic academy (``benchmarks/synth.py``) with one cohort per
five orders of three seats (10,000 orders: 2,000 cohorts, 30,000 learners),
client organisations, an SVG logo and ``invoicing`` settings, and loads it
once. Then, alternating, in the same process, CPU time:

* **baseline**: fpdf2 alone renders N one-page documents of the invoices'
  content and layout (the same logo drawn the same way, seller and buyer
  blocks, three wrapped seat lines, tax and totals, terms), no trainkit. It
  sets its text through the same ``Page`` as the invoices, so in the same
  embedded fonts (DejaVu Sans reduced once per process, ``invoice_fonts``,
  subset by fpdf2 in each document) with the same sRGB output intent, since
  PDF/A needs both: what is compared is what trainkit adds to the PDF
  library, not the cost of embedding a font (neither side's text leaves the
  reduced fonts, so neither is laid out twice);
* **trainkit**: what is due (``plan``), then for each of the N invoices its
  EN 16931 XML, its hash and its Factur-X PDF (fpdf2 page, factur-x
  embedding with pypdf).

Prints min and median of each and their ratio; exits 1 when the median ratio
is above 3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate  # noqa: E402
from synth_text import learner_id  # noqa: E402

from trainkit.model import Academy  # noqa: E402
from trainkit.outcomes.cii import cii_xml, sha256  # noqa: E402
from trainkit.outcomes.invoice_plan import plan  # noqa: E402
from trainkit.pipeline import check_dir  # noqa: E402
from trainkit.writers.invoice_pdf import Logo, Page, draw_svg, render  # noqa: E402
from trainkit.writers.invoices import read_logo  # noqa: E402

TARGET = 3.0
AS_OF = date(2026, 1, 10)
SEATS = 3
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">
<rect x="2" y="2" width="36" height="36" rx="6" fill="#00897b"/>
<path d="M10 30 L20 10 L30 30 Z" fill="#ffc107"/>
<text x="46" y="27" font-size="16" fill="#004d40">Synth</text></svg>
"""
INVOICING = """invoicing:
  legal_name: Synthetic Academy Ltd
  address: {lines: [1 Quay Street, London, E1 1AA], country: GB}
  tax_id: GB123456782
  email: accounts@synth.example
  iban: GB82WEST12345698765432
  logo: logo.svg
"""


def academy_for(work: Path, invoices: int) -> Path:
    cohorts = -(-invoices // 5)
    learners = cohorts * 15
    root = work / "academy"
    generate(root, programs=20, cohorts=cohorts, sessions=cohorts * 2,
             instructors=max(20, cohorts // 20), learners=learners)
    with (root / "trainkit.yaml").open("a", encoding="utf-8") as f:
        f.write(INVOICING)
    (root / "logo.svg").write_text(LOGO, encoding="utf-8")
    (root / "organisations").mkdir()
    for part in range(1, -(-learners // 1000) + 1):
        (root / f"organisations/org-{part:03d}.yaml").write_text(
            f"version: 1\nname: Organisation {part:03d}\nlegal_name: Organisation {part:03d} "
            f"Ltd\nbilling_address: {{lines: [{part} Mill Lane, Leeds, LS1 4AB], country: GB}}"
            f"\nbilling_contact: {{name: Sam Carter, email: ap@org{part:03d}.example}}\n"
            "currency: GBP\n", encoding="utf-8")
    (root / "records/orders").mkdir(parents=True)
    for n in range(invoices):
        first = (n // 5) * 15 + (n % 5) * SEATS
        part = first // 1000 + 1
        people = ", ".join(learner_id(first + i) for i in range(SEATS))
        (root / f"records/orders/o-{n:05d}.yaml").write_text(
            f"version: 1\norganisation: org-{part:03d}\npurchase_order: PO-{n:05d}\n"
            f"booked: 2026-01-05\ncurrency: GBP\nseats:\n  - cohort: c-{n // 5:05d}\n"
            f"    learners: [{people}]\n    list_price: \"650.00\"\n"
            f"    unit_price: \"585.00\"\n    tax_rate: \"20\"\n"
            f"    discount: early bird 10%\n", encoding="utf-8")
    return root


def baseline(count: int, logo: Logo) -> None:
    """fpdf2 alone: one-page documents with the invoices' content and layout."""
    for n in range(count):
        page = Page(AS_OF)
        pdf = page.pdf
        if logo is not None and not isinstance(logo, bytes):
            draw_svg(pdf, logo, 10, 10, 16)
        page.text(18, bold=True)
        pdf.set_xy(110, 10)
        pdf.cell(90, 10, f"Invoice 2026-{n + 1:05d}", align="R")
        page.text(8)
        pdf.set_xy(110, 21)
        pdf.multi_cell(90, 4, "Synthetic Academy Ltd\n1 Quay Street\nLondon\nE1 1AA\nGB\n"
                              "accounts@synth.example\nVAT: GB123456782", align="R")
        pdf.set_xy(10, 50)
        page.text(9, bold=True)
        pdf.cell(90, 5, "Bill to")
        pdf.ln(5)
        page.text(9)
        pdf.multi_cell(90, 4.5, "Organisation 001 Ltd\n1 Mill Lane\nLeeds\nLS1 4AB\nGB\n"
                                "Attn. Sam Carter")
        for i, (label, value) in enumerate([("Issue date", "2026-01-10"),
                                            ("Due date", "2026-02-09"),
                                            ("Order", f"o-{n:05d}"),
                                            ("Your PO number", f"PO-{n:05d}")]):
            pdf.set_xy(120, 50 + 5 * i)
            page.text(9, bold=True)
            pdf.cell(35, 5, label)
            page.text(9)
            pdf.cell(45, 5, value, align="R")
        pdf.set_y(90)
        page.text(9, bold=True)
        page.row([(8, "#", "L"), (112, "Description", "L"), (22, "List", "R"),
                  (22, "Net GBP", "R"), (26, "Tax", "R")])
        page.text(8.5)
        for i in range(SEATS):
            y = pdf.get_y()
            pdf.set_xy(18, y)
            pdf.multi_cell(112, 5, f"Program 00{i}, Cohort c-{n // 5:05d}, from 2026-02-02: "
                                   f"Learner Name {i} (early bird 10%)")
            bottom = pdf.get_y()
            pdf.set_xy(10, y)
            pdf.cell(8, 5, str(i + 1))
            pdf.set_xy(130, y)
            page.row([(22, "650.00", "R"), (22, "585.00", "R"), (26, "VAT 20%", "R")], 5)
            pdf.set_y(max(bottom, pdf.get_y()))
        page.text(9)
        for label, value in [("VAT 20% on 1,755.00", "351.00 GBP"),
                             ("Net total", "1,755.00 GBP"), ("Tax total", "351.00 GBP"),
                             ("Total due", "2,106.00 GBP")]:
            page.row([(140, label, "R"), (50, value, "R")], 5)
        pdf.multi_cell(190, 5, f"Payment within 30 days, by 2026-02-09, quoting 2026-{n:05d}."
                               "\nBank transfer to IBAN GB82WEST12345698765432.")
        bytes(pdf.output())


def trainkit_invoices(academy: Academy, count: int, logo: Logo) -> int:
    """Issue what is due and render every invoice as Factur-X."""
    drafts = plan(academy, AS_OF)[:count]
    for draft in drafts:
        xml = cii_xml(academy, draft)
        sha256(xml)
        render(academy, draft, xml, logo)
    return len(drafts)


def cpu(step: Callable[[], object]) -> float:
    t0 = time.process_time()
    step()
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        t0 = time.perf_counter()
        root = academy_for(work, args.invoices)
        result = check_dir(root)
        academy = result.academy
        assert academy is not None and not result.errors, [d.text() for d in result.errors[:5]]
        print(f"academy: {len(academy.orders)} orders, {len(academy.cohorts)} cohorts, "
              f"{len(academy.learners)} learners; generated and checked in "
              f"{time.perf_counter() - t0:.1f} s")
        logo = read_logo(academy, academy.invoicing.logo if academy.invoicing else None)
        if logo is None or isinstance(logo, bytes):
            print("the synthetic logo did not parse as SVG")
            return 1
        trainkit_invoices(academy, 5, logo)  # warm caches (fonts, schemas)
        baseline(5, logo)
        base: list[float] = []
        ours: list[float] = []
        issued: list[int] = []
        for r in range(args.rounds):
            base.append(cpu(lambda: baseline(args.invoices, logo)))
            ours.append(cpu(lambda: issued.append(
                trainkit_invoices(academy, args.invoices, logo))))
            print(f"round {r + 1}: fpdf2 alone {base[-1]:.1f} s, trainkit {ours[-1]:.1f} s "
                  f"({issued[-1]} invoices)")
    ratio_min = min(ours) / min(base)
    ratio_med = statistics.median(ours) / statistics.median(base)
    n = args.invoices
    print(f"fpdf2 alone: min {min(base):.1f} s, median {statistics.median(base):.1f} s "
          f"({1000 * min(base) / n:.2f} ms per document)")
    print(f"trainkit:    min {min(ours):.1f} s, median {statistics.median(ours):.1f} s "
          f"({1000 * min(ours) / n:.2f} ms per invoice)")
    print(f"ratio: min {ratio_min:.2f}x, median {ratio_med:.2f}x (target <= {TARGET:.0f}x)")
    return 0 if ratio_med <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
