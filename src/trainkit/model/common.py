"""What every part of the model shares: where a thing is declared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a thing is declared: repository-relative path, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1
