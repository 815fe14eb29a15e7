"""Bank statements saved as CSV: money received, matched to invoices by their number.

Banks write CSV every way there is: commas, semicolons or tabs between
cells, decimal commas (``1.234,56``) or points (``1,234.56``), days first
(``14/02/2027``, ``14.02.2027``) or ISO dates, blocks of account details
above the table, and debits beside credits. So:

* the delimiter is ``csv.Sniffer``'s guess only if the header row it gives
  has the columns wanted and the rows below it have the header's width;
  otherwise each of ``;``, ``,`` and tab is tried the same way (a
  semicolon file with decimal commas has a comma in every row too, so the
  sniffer alone picks the wrong one);
* the decimal mark is decided once for the file, from the amounts that end
  in a mark and two digits (``--decimal comma|point`` decides it instead);
* the columns are found by name (:data:`NAMES`; ``--map field=Header``
  names others);
* an invoice is matched only when the reference text holds exactly one
  invoice number of the ledger, as a whole number: nothing is guessed, every
  row left out is listed with why.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from trainkit.importers.common import ImportProblem, norm
from trainkit.load.csvtext import CsvProblem, read_records

NAME = "bank-csv"
COLUMNS = ("date", "invoice", "amount", "currency", "reference", "payer", "note")
# field -> header names banks use for it (compared after importers.common.norm)
NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "transaction date", "value date", "posting date",
             "buchungstag", "datum", "date de valeur"),
    "amount": ("amount", "credit", "paid in", "money in", "credit amount", "betrag",
               "montant"),
    "reference": ("reference", "description", "details", "memo", "narrative",
                  "payment reference", "transaction description", "verwendungszweck",
                  "libellé"),
    "payer": ("payer", "name", "counterparty", "counter party", "from", "payer name",
              "auftraggeber", "beneficiary"),
    "currency": ("currency", "ccy", "währung", "devise"),
}
REQUIRED = ("date", "amount", "reference")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")
_AMOUNT = re.compile(r"^[+-]?[0-9][0-9.,' ]*$")


@dataclass
class BankImport:
    rows: list[dict[str, str]] = field(default_factory=list)
    left_out: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why)
    debits: int = 0  # money going out: not payments received


def parse_map(items: Iterable[str]) -> dict[str, str]:
    """``--map amount="Paid in"`` items as field -> header; unknown fields are refused."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or name.strip() not in NAMES or not header.strip():
            raise ImportProblem("--map", 1, f"{item!r} is not FIELD=HEADER with FIELD one of "
                                f"{', '.join(NAMES)}, e.g. --map amount='Paid in'")
        out[name.strip()] = header.strip()
    return out


def table(text: str, path: str, mapping: Mapping[str, str]
          ) -> tuple[list[list[str]], int, dict[str, int]]:
    """The rows, the header row's index and each field's column (see the module's rule)."""
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    tried: list[str] = []
    with contextlib.suppress(csv.Error):
        tried.append(csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter)
    tried += [d for d in (";", ",", "\t") if d not in tried]
    for delimiter in tried:
        found = _with(text, delimiter, mapping)
        if found is not None:
            return found
    wanted = ", ".join(mapping.get(f, NAMES[f][0]) for f in REQUIRED)
    raise ImportProblem(path, 1, f"no header row with columns for {wanted}; name the file's "
                        "own headers with --map, e.g. --map reference='Payment details'")


def _with(text: str, delimiter: str, mapping: Mapping[str, str]
          ) -> tuple[list[list[str]], int, dict[str, int]] | None:
    class Dialect(csv.excel):
        pass
    Dialect.delimiter = delimiter
    try:
        rows = read_records(text, Dialect)[0]
    except CsvProblem:
        return None
    for at in range(len(rows)):
        cols = _columns(rows[at], mapping)
        if all(f in cols for f in REQUIRED):
            body = [r for r in rows[at + 1:] if any(c.strip() for c in r)]
            if all(len(r) == len(rows[at]) for r in body):
                return rows, at, cols
    return None


def _columns(header: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    normed = [norm(h) for h in header]
    out: dict[str, int] = {}
    for name, options in NAMES.items():
        wanted = [norm(mapping[name])] if name in mapping else [norm(o) for o in options]
        hit = next((normed.index(w) for w in wanted if w in normed), None)
        if hit is not None:
            out[name] = hit
    return out


def decimal_comma(cells: Iterable[str]) -> bool:
    """Whether the file's amounts use a decimal comma: most end in ``,dd`` rather than ``.dd``."""
    commas = points = 0
    for cell in cells:
        text = cell.strip()
        commas += bool(re.search(r",\d{1,2}$", text))
        points += bool(re.search(r"\.\d{1,2}$", text))
    return commas > points


def amount(text: str, comma: bool) -> Decimal | None:
    """``1.234,56`` (comma) or ``1,234.56`` as a Decimal; ``None`` when it is no amount."""
    cleaned = re.sub(r"[^\d,.'+\- ]", "", text).strip()
    if not cleaned or not _AMOUNT.match(cleaned):
        return None
    mark, group = (",", ".") if comma else (".", ",")
    cleaned = cleaned.replace(group, "").replace("'", "").replace(" ", "").replace(mark, ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def day(text: str, formats: tuple[str, ...] = DATE_FORMATS) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def invoices_in(text: str, numbers: Iterable[str]) -> list[str]:
    """The invoice numbers ``text`` holds, each as a whole number (``2027-0001`` is not in
    ``2027-00012``), in ledger order."""
    return [n for n in numbers
            if re.search(rf"(?<![0-9]){re.escape(n)}(?![0-9])", text, re.IGNORECASE)]


def read(text: str, path: str, invoices: Mapping[str, str], *,
         mapping: Mapping[str, str] | None = None, currency: str = "",
         decimal: str | None = None, date_format: str | None = None) -> BankImport:
    """Payment rows for the credits of the statement that name one invoice of ``invoices``
    (number -> currency); every other credit is left out with why.

    The currency is the row's (a currency column), else ``currency``, else the
    matched invoice's (a bank account holds one currency).
    """
    rows, at, cols = table(text, path, mapping or {})
    body = [(i + 1, r) for i, r in enumerate(rows) if i > at and any(c.strip() for c in r)]
    comma = decimal == "comma" if decimal else decimal_comma(r[cols["amount"]] for _, r in body)
    formats = (date_format,) if date_format else DATE_FORMATS
    out = BankImport()
    for line, r in body:
        got = {f: r[c].strip() for f, c in cols.items()}
        ref = got["reference"]
        value = amount(got["amount"], comma)
        when = day(got["date"], formats)
        why = ("the amount is not a number" if value is None else
               "the date is not a date I can read (pass --date-format, e.g. %m/%d/%Y)"
               if when is None else "")
        if value is not None and value <= 0:
            out.debits += 1
            continue
        found = invoices_in(ref, invoices) if not why else []
        if not why and len(found) != 1:
            why = ("no invoice number of the ledger in the reference" if not found else
                   f"the reference names several invoices ({', '.join(found)}); record it "
                   "by hand")
        if why or value is None or when is None:
            out.left_out.append((line, f"{got['date']} {got['amount']} {ref}".strip(), why))
            continue
        out.rows.append({
            "date": when.isoformat(), "invoice": found[0], "amount": f"{value:f}",
            "currency": (got.get("currency") or currency or invoices[found[0]]).upper(),
            "reference": ref, "payer": got.get("payer", ""), "note": ""})
    return out
