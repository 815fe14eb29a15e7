"""CSV text in and out, safe for the files people hand to trainkit and for spreadsheets.

Reading: the ``csv`` module stops on a cell over 131,072 characters (almost
always a quote left open, which swallows the rest of the file) with an error
that names no line; :func:`read_records` says where the record that failed
starts.

Writing: with ``lineterminator="\\n"`` the ``csv`` module quotes a cell that
holds a line feed but not one that holds a carriage return, and a
spreadsheet starts a new row at that carriage return. :func:`csv_text` quotes
every cell holding either, and still ends lines with a line feed.
:func:`safe_cell` keeps a cell from being run as a formula, on every line of
it, not only the first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# What a spreadsheet reads as the start of a formula (or as a cell break).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LATER_LINE = re.compile(r"([\r\n])(?=[=+\-@\t])")


class CsvProblem(Exception):
    """A CSV text the ``csv`` module cannot read, at the line its record starts on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def read_records(text: str, dialect: type[csv.Dialect] | csv.Dialect = csv.excel
                 ) -> tuple[list[list[str]], int]:
    """Every record of ``text`` and the number of physical lines they took."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        # line_num of the last record read: the failing one starts on the next line.
        start = _last_line(text, len(records), dialect) + 1
        raise CsvProblem(start, _explain(exc)) from None
    return records, reader.line_num


def _last_line(text: str, count: int, dialect: type[csv.Dialect] | csv.Dialect) -> int:
    """The physical line the first ``count`` records end on (read again, stopping there)."""
    if count <= 0:
        return 0
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    for i, _ in enumerate(reader, 1):
        if i == count:
            break
    return reader.line_num


def _explain(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (f"a cell starting on this line is longer than {csv.field_size_limit():,} "
                "characters; add the closing quote (\") if one is missing, else shorten it")
    return f"not readable as CSV ({exc}); check the quotes on this line"


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula.

    A cell (or any line of a cell) that starts like a formula gets a leading
    apostrophe, which spreadsheets hide and which makes the rest plain text.
    """
    text = "" if value is None else str(value)
    if "\r" in text or "\n" in text:
        text = _LATER_LINE.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_START) else text


class _LineFeeds:
    """A sink for ``csv.writer`` that ends each row with ``\\n`` instead of ``\\r\\n``.

    The writer is made with ``lineterminator="\\r\\n"`` so that it quotes cells
    holding either character; each ``writerow`` hands over exactly one row.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, row: str) -> int:
        self.parts.append(row[:-2] + "\n")
        return len(row)


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV text of ``rows``: LF line ends, every cell holding CR or LF quoted."""
    sink = _LineFeeds()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerows(rows)
    return "".join(sink.parts)
