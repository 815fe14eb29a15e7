"""The fonts invoices are set in: DejaVu Sans, reduced once per process.

PDF/A embeds every font. fpdf2 reads a whole TrueType file for every
document it is added to, and subsets it again when the document is written:
with the full DejaVu Sans (some 6,000 glyphs, regular and bold) that is most
of an invoice's time. So the invoices use, first, DejaVu Sans reduced with
fontTools to the characters an invoice is usually written in (Latin-1,
Latin Extended-A, the Romanian comma-below letters, general punctuation,
currency symbols, a few signs), made once per process and written, named
by its content, to the user's own cache folder (fpdf2 takes fonts as paths).
A document with a character outside that set is laid out again with the
full fonts (see :func:`trainkit.writers.invoice_pdf.render_page`).

The reduced font is the same bytes in every run (fontTools does not stamp it
with the clock here), so invoices stay byte-identical from build to build.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont

from trainkit.load.usercache import private_folder, write_whole

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
    """``data`` in a file named by its content, in the user's own cache folder
    (``$XDG_CACHE_HOME/trainkit/fonts``, mode 0700), written once and kept, so runs
    leave nothing behind; a folder another user could write to is never used, and
    when the cache folder can't be used, one private to this process is."""
    name = f"{hashlib.sha256(data).hexdigest()[:24]}.ttf"
    folder = private_folder("fonts")
    try:
        if folder is None:
            raise PermissionError("the user's cache folder cannot be used")
        return _written(folder / name, data)
    except OSError:
        private = tempfile.mkdtemp(prefix="trainkit-fonts-")
        owner = os.getpid()

        def remove() -> None:
            if os.getpid() == owner:
                shutil.rmtree(private, ignore_errors=True)
        atexit.register(remove)
        return _written(Path(private) / name, data)


def _written(path: Path, data: bytes) -> str:
    """``path``, holding ``data``: written whole (another process may write it too)."""
    if not (path.is_file() and path.read_bytes() == data):
        write_whole(path, data)
    return str(path)


@functools.cache
def reduced() -> dict[str, str]:
    """The reduced fonts' paths by fpdf2 style (``""`` regular, ``"B"`` bold)."""
    return {style: _stored(reduced_bytes(path)) for style, path in FULL.items()}
