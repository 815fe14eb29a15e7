"""The fonts invoices are set in: DejaVu Sans, reduced once per process.

PDF/A embeds every font. fpdf2 reads a whole TrueType file for every
document it is added to, and subsets it again when the document is written:
with the full DejaVu Sans (some 6,000 glyphs, regular and bold) that is most
of an invoice's time. So the invoices use, first, DejaVu Sans reduced with
fontTools to the characters an invoice is usually written in (Latin-1,
Latin Extended-A, the Romanian comma-below letters, general punctuation,
currency symbols, a few signs), made once per process and written to a file
named by its content in the temporary folder (fpdf2 takes fonts as paths).
A document with a character outside that set is laid out again with the
full fonts (see :func:`trainkit.writers.invoice_pdf.render_page`).

The reduced font is the same bytes in every run (fontTools does not stamp it
with the clock here), so invoices stay byte-identical from build to build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont

_DIR = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
FULL = {"": os.path.join(_DIR, "DejaVuSans.ttf"), "B": os.path.join(_DIR, "DejaVuSans-Bold.ttf")}
# what an invoice is usually written in: (first, last) code points, inclusive
RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x218, 0x21B), (0x2C6, 0x2C7), (0x2D8, 0x2DD),
          (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2116, 0x2116), (0x2122, 0x2122),
          (0x2212, 0x2212))
# layout tables: fpdf2 sets text without shaping, and drops them from what it embeds
_DROPPED = ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "hdmx", "MATH"]


def covered() -> frozenset[int]:
    """The code points the reduced fonts are meant to cover."""
    return frozenset(c for first, last in RANGES for c in range(first, last + 1))


def reduced_bytes(path: str) -> bytes:
    """The TrueType font at ``path`` reduced to :func:`covered`, as bytes."""
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options(notdef_outline=True, recommended_glyphs=True,
                             layout_features=[])
    options.drop_tables += _DROPPED
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(covered()))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _stored(data: bytes) -> str:
    """``data`` in a file named by its hash in the temporary folder, written once
    (in a folder of this process's own when the shared one is not writable)."""
    try:
        return _stored_in(Path(tempfile.gettempdir()) / "trainkit-fonts", data)
    except OSError:
        return _stored_in(Path(tempfile.mkdtemp(prefix="trainkit-fonts-")), data)


def _stored_in(folder: Path, data: bytes) -> str:
    folder.mkdir(exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:24]}.ttf"
    if not path.is_file() or path.read_bytes() != data:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # whole, even if another process writes it too
    return str(path)


@functools.cache
def reduced() -> dict[str, str]:
    """The reduced fonts' paths by fpdf2 style (``""`` regular, ``"B"`` bold)."""
    return {style: _stored(reduced_bytes(path)) for style, path in FULL.items()}
