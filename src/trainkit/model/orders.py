"""Orders (``records/orders/<id>.yaml``) and how the academy invoices them.

Private, like every commercial record: nothing here reaches ``site/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainkit.model.common import Loc


@dataclass(frozen=True, slots=True)
class Buyer:
    """A private buyer, written in the order itself (no organisation file)."""

    name: str
    email: str
    country: str  # ISO 3166 alpha-2
    address_lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderLine:
    """Seats of one cohort in an order, at the price that applied when it was booked.

    With ``basis`` "cohort" the line is a closed cohort's flat fee: the
    prices are the fee's, charged once whatever the number of learners (up
    to the seats the cohort's price covers).
    """

    cohort: str
    learners: tuple[str, ...]  # one seat each
    list_price: Decimal  # per seat, net of tax, before discounts
    unit_price: Decimal  # per seat, net of tax, after discounts
    tax_rate: Decimal  # percent
    tax_label: str
    discount: str  # why unit_price is below list_price, e.g. "early bird 10%"
    loc: Loc
    learner_locs: tuple[Loc, ...] = ()
    basis: str = "seat"  # "seat": each learner at unit_price | "cohort": one flat fee

    @property
    def flat(self) -> bool:
        """A closed cohort's flat fee: ``unit_price`` once for all its learners."""
        return self.basis == "cohort"


@dataclass(frozen=True, slots=True)
class Order:
    """Who buys which seats, under which purchase order and at which price."""

    id: str
    organisation: str | None  # an organisation's id; None for a private buyer
    buyer: Buyer | None  # the private buyer; None with an organisation
    purchase_order: str | None
    booked: date
    currency: str
    lines: tuple[OrderLine, ...]
    loc: Loc
    organisation_loc: Loc | None = None
    currency_loc: Loc | None = None

    def seats(self) -> list[tuple[str, str]]:
        """Every seat as ``(cohort, learner)``, in the order's order."""
        return [(line.cohort, learner) for line in self.lines for learner in line.learners]


@dataclass(frozen=True, slots=True)
class InvoicePolicy:
    """When a program's seats are invoiced."""

    when: str  # "booking" | "before-start" | "after-delivery"
    days: int = 0  # for "before-start": how many days before the first session


@dataclass(frozen=True, slots=True)
class InvoiceSettings:
    """``invoicing`` in ``trainkit.yaml``: who invoices, and how invoices look."""

    legal_name: str
    address_lines: tuple[str, ...]
    country: str
    tax_id: str | None
    email: str
    iban: str | None
    bic: str | None
    logo: str | None  # repository-relative path of an image (PNG, JPEG or SVG)
    learner_names: bool  # name the learner on each seat's line
    policy: InvoicePolicy  # the default; a program's ``invoice`` overrides it
    program_policies: dict[str, InvoicePolicy]
    loc: Loc


@dataclass(frozen=True, slots=True)
class BilledSeat:
    """One seat on an issued document, at the price it was billed."""

    cohort: str
    learner: str
    list_price: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    tax_label: str
    discount: str
    text: str  # what the line says: program, cohort, dates, the learner's name


@dataclass(frozen=True, slots=True)
class Party:
    """A seller or a buyer as a document prints it."""

    name: str  # legal name, or a private buyer's name
    address_lines: tuple[str, ...]
    country: str  # ISO 3166 alpha-2
    email: str
    tax_id: str | None = None
    contact: str = ""  # the buyer's contact ("Attn.")
    iban: str | None = None  # the seller's bank details
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class Parties:
    """Who a document is from and to, as issued (the snapshot a ledger entry keeps)."""

    seller: Party
    buyer: Party | None
    purchase_order: str | None
    logo: str | None = None  # the seller's logo, a repository-relative path
    logo_sha256: str | None = None  # that file's SHA-256 when the document was issued


@dataclass(frozen=True, slots=True)
class LedgerSeats:
    """What one ledger document covers beyond the shared contract: seats, reason, parties.

    The prices, line texts and parties are the ones issued: a document is
    rebuilt from its ledger entry, so a later change of the order's prices, a
    program's title, a learner's name, a client's address or the academy's
    bank details leaves it as it was.
    """

    number: str
    lines: tuple[BilledSeat, ...]
    reason: str  # a credit note's reason; "" for an invoice
    parties: Parties | None = None  # None: an entry written before parties were kept

    @property
    def seats(self) -> tuple[tuple[str, str], ...]:
        return tuple((x.cohort, x.learner) for x in self.lines)
