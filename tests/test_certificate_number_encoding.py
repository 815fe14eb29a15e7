"""A certificate number is the first 16 base32 characters of the SHA-256 of its parts.

``certificate_id`` encodes only the first 10 bytes of the digest (80 bits, exactly
16 characters); this checks it against encoding the whole digest and cutting.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from trainkit.outcomes.certificates import certificate_id

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@given(text, text, text, st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_number_is_the_cut_of_the_whole_digest(academy: str, program: str, learner: str,
                                               on: date) -> None:
    digest = hashlib.sha256(
        f"{academy}\x1f{program}\x1f{learner}\x1f{on.isoformat()}".encode()).digest()
    code = base64.b32encode(digest).decode()[:16]
    expected = "TK-" + "-".join(code[i:i + 4] for i in range(0, 16, 4))
    assert certificate_id(academy, program, learner, on) == expected
