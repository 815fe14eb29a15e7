"""``reports/invoices/``: every document of the ledger as a Factur-X PDF and its XML.

The ledger (``records/invoices.yaml``) is the record of what was issued; the
PDFs are rebuilt from it on every build, byte for byte the same. Before a
PDF is written its XML is hashed and compared with the ledger: ``trainkit
check`` reports a difference as ``ledger-hash`` first, so a build never
writes a document other than the one issued. Private output only.

Everything a document prints comes from its ledger entry, the parties
included; the logo is drawn from the file the entry names, and only while
that file is the one issued (same SHA-256), so a new logo belongs in a new
file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from trainkit.load import containment
from trainkit.model import Academy
from trainkit.outcomes.cii import cii_xml, sha256
from trainkit.outcomes.invoicing import draft_of, has_documents, snapshot_differs
from trainkit.writers.build import BuildContext, BuildError
from trainkit.writers.invoice_pdf import Logo, logo_image, render


def logo_bytes(root: str, name: str | None) -> bytes | None:
    """The logo file ``name``, when it is a readable file inside the academy."""
    if not name or containment.repo_path_problem(name, "invoicing.logo") is not None:
        return None
    base = Path(root).resolve()
    if containment.file_problem(base, name) is not None or not (base / name).is_file():
        return None
    return (base / name).read_bytes()


def read_logo(academy: Academy, name: str | None, digest: str | None = None) -> Logo:
    """The logo ``name`` (when its SHA-256 is ``digest``, if given), ready to draw."""
    data = logo_bytes(academy.root, name)
    if data is None or (digest is not None and hashlib.sha256(data).hexdigest() != digest):
        return None
    return logo_image(data, name or "")


def write(ctx: BuildContext) -> None:
    academy = ctx.academy
    if not has_documents(academy):
        return
    out = ctx.private / "invoices"
    out.mkdir(parents=True, exist_ok=True)
    logos: dict[tuple[str | None, str | None], Logo] = {}
    for index, doc in enumerate(academy.ledger):
        draft = draft_of(academy, doc, index)
        if draft is None:
            raise BuildError(f"{doc.loc.path}:{doc.loc.line}: {doc.number} cannot be rebuilt "
                             "(its order or seats are gone); run 'trainkit check'")
        xml = cii_xml(academy, draft)
        if sha256(xml) != doc.sha256 or snapshot_differs(academy, doc, draft) is not None:
            raise BuildError(f"{doc.loc.path}:{doc.loc.line}: {doc.number} does not match the "
                             "ledger's hash; run 'trainkit check' (ledger-hash)")
        (out / f"{doc.number}.xml").write_bytes(xml)
        key = (draft.parties.logo, draft.parties.logo_sha256) if draft.parties else (None, None)
        if key not in logos:
            logos[key] = read_logo(academy, *key)
        (out / f"{doc.number}.pdf").write_bytes(render(academy, draft, xml, logos[key]))
    ctx.say(f"wrote {len(academy.ledger)} invoices and credit notes")
