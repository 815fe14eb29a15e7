"""``reports/invoices/``: every document of the ledger as a Factur-X PDF and its XML.

The ledger (``records/invoices.yaml``) is the record of what was issued; the
PDFs are rebuilt from it on every build, byte for byte the same. Before a
PDF is written its XML is hashed and compared with the ledger: ``trainkit
check`` reports a difference as ``ledger-hash`` first, so a build never
writes a document other than the one issued. Private output only.
"""

from __future__ import annotations

from pathlib import Path

from trainkit.load import containment
from trainkit.model import Academy
from trainkit.outcomes.cii import cii_xml, sha256
from trainkit.outcomes.invoicing import draft_of
from trainkit.writers.build import BuildContext, BuildError
from trainkit.writers.invoice_pdf import Logo, logo_image, render


def read_logo(academy: Academy) -> Logo:
    """The invoices' logo, when it is a readable file inside the academy."""
    name = academy.invoicing.logo if academy.invoicing else None
    if not name or containment.repo_path_problem(name, "invoicing.logo") is not None:
        return None
    root = Path(academy.root).resolve()
    if containment.file_problem(root, name) is not None or not (root / name).is_file():
        return None
    return logo_image((root / name).read_bytes(), name)


def write(ctx: BuildContext) -> None:
    academy = ctx.academy
    if not academy.ledger or academy.invoicing is None:
        return
    out = ctx.private / "invoices"
    out.mkdir(parents=True, exist_ok=True)
    logo = read_logo(academy)
    for index, doc in enumerate(academy.ledger):
        draft = draft_of(academy, doc, index)
        if draft is None:
            raise BuildError(f"{doc.loc.path}:{doc.loc.line}: {doc.number} cannot be rebuilt "
                             "(its order or seats are gone); run 'trainkit check'")
        xml = cii_xml(academy, draft)
        if sha256(xml) != doc.sha256:
            raise BuildError(f"{doc.loc.path}:{doc.loc.line}: {doc.number} does not match the "
                             "ledger's hash; run 'trainkit check' (ledger-hash)")
        (out / f"{doc.number}.xml").write_bytes(xml)
        (out / f"{doc.number}.pdf").write_bytes(render(academy, draft, xml, logo))
    ctx.say(f"wrote {len(academy.ledger)} invoices and credit notes")
