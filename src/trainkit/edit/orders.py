"""What ``trainkit enroll --order`` changes: a seat added to an order, or a new order.

A seat joins the order's line for its cohort (at that line's price), or a
new line priced by the cohort's price as it applied on the order's booking
date (:func:`trainkit.outcomes.pricing.quote`: early bird by that date, no
group discount for a single seat). A closed cohort (price ``basis:
cohort``) is one flat fee: its line says ``basis: cohort`` and carries the
fee (early bird by the booking date, never a group discount), charged once;
later learners join that line at no charge, up to the seats the fee covers,
and one more is refused at the line. A new order is written with its buyer
organisation, purchase order, booking date and currency. The full check that
follows the edit reports what is still wrong (an unknown organisation, a
missing purchase order, a currency that differs).
"""

from __future__ import annotations

from datetime import date

from trainkit.edit.changes import Changes
from trainkit.edit.enrollments import Refused
from trainkit.edit.yamldoc import EditError, YamlDocument
from trainkit.model import Academy
from trainkit.model.commerce import Price
from trainkit.outcomes.pricing import early_bird_applies, quote

ORDERS = "records/orders"


def discount_words(price: Price, seats: int, booked: date) -> str:
    """Why a quote is below the list price, as an invoice line says it."""
    words = []
    bird = price.early_bird
    if bird is not None and early_bird_applies(price, booked):
        words.append(f"early bird {bird.percent.normalize():f}%" if bird.percent is not None
                     else f"early bird, {bird.amount} off")
    reached = [g for g in price.group if seats >= g.min_seats] if price.basis == "seat" else []
    if reached:
        words.append(f"group of {reached[-1].min_seats}+ {reached[-1].percent.normalize():f}%")
    return ", ".join(words)


def _line(price: Price, cohort: str, learner: str, booked: date) -> dict[str, object]:
    q = quote(price, 1, booked)
    line: dict[str, object] = {"cohort": cohort, "learners": [learner],
                               "list_price": str(price.amount), "unit_price": str(q.unit),
                               "tax_rate": format(price.tax_rate.normalize(), "f")}
    if price.tax_label != "VAT":
        line["tax_label"] = price.tax_label
    if price.basis == "cohort":
        line["basis"] = "cohort"
    words = discount_words(price, 1, booked)
    if words:
        line["discount"] = words
    return line


def add_seat(changes: Changes, academy: Academy, order_id: str, cohort_id: str,
             learner_id: str, day: date, organisation: str | None,
             purchase_order: str | None) -> str:
    """Put the seat ``(cohort_id, learner_id)`` in order ``order_id``; returns what was done."""
    price = academy.cohorts[cohort_id].price
    path = f"{ORDERS}/{order_id}.yaml"
    if not (changes.root / path).exists():
        if price is None:
            raise Refused(f"cohort {cohort_id!r} has no price to put in a new order; add "
                          "'price' to its program or cohort")
        if organisation is None:
            raise Refused(f"order {order_id!r} is new: say who pays with --bill ORGANISATION")
        doc = changes.create(path, f"# yaml-language-server: $schema=../../schemas/"
                             f"order.schema.json\nversion: 1\norganisation: {organisation}\n")
        if purchase_order:
            doc.set(["purchase_order"], purchase_order)
        doc.set(["booked"], day.isoformat())
        doc.set(["currency"], price.currency)
        doc.set(["seats"], [_line(price, cohort_id, learner_id, day)])
        return f"created order {order_id!r} with the seat of {learner_id!r} in {cohort_id!r}"
    doc = changes.open(path)
    if purchase_order and not doc.get(["purchase_order"]):
        doc.set(["purchase_order"], purchase_order, after=("organisation", "buyer"))
    lines = doc.get(["seats"]) or []
    at = next((i for i, ln in enumerate(lines) if ln.get("cohort") == cohort_id), None)
    if at is not None and lines[at].get("basis") == "cohort":
        _check_limit(doc, at, price, order_id, cohort_id, learner_id)
        doc.append(["seats", at, "learners"], learner_id)
        return (f"added {learner_id!r} to order {order_id!r} in closed cohort {cohort_id!r}: "
                "no charge, its flat fee is already on the order")
    if at is not None:
        doc.append(["seats", at, "learners"], learner_id)
    elif price is None:
        raise Refused(f"cohort {cohort_id!r} has no price to add to order {order_id!r}")
    else:
        booked = date.fromisoformat(str(doc.get(["booked"])))
        doc.append(["seats"], _line(price, cohort_id, learner_id, booked))
    return f"added the seat of {learner_id!r} in {cohort_id!r} to order {order_id!r}"


def _check_limit(doc: YamlDocument, at: int, price: Price | None, order_id: str,
                 cohort_id: str, learner_id: str) -> None:
    """Refuse, at the order's line, a learner the closed cohort's flat fee does not cover."""
    taken = len(doc.get(["seats", at, "learners"]) or [])
    limit = price.seats if price is not None and price.basis == "cohort" else None
    if limit is None or taken < limit:
        return
    line = doc.get(["seats", at])
    col = int(line.lc.key("learners")[1]) + 1 if hasattr(line, "lc") else 1
    raise EditError(doc.path, f"the flat fee of closed cohort {cohort_id!r} on order "
                    f"{order_id!r} covers {limit} seats and the order's line lists {taken} "
                    f"learners (withdrawn ones keep their seat on it), so {learner_id!r} "
                    "cannot join it; raise the cohort's price 'seats' (and "
                    "its fee) and this line's price, or book them with --order on another "
                    "order or into another cohort",
                    doc.line_of(["seats", at, "learners"]), col)
