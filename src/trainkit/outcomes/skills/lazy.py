"""A sequence whose items are made on first read (gap rows, recommendations)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Lazy(Sequence[T]):
    """A read-only sequence over the list :meth:`_items` makes when first asked;
    subclasses give ``__len__`` without making it where they can."""

    @abstractmethod
    def _items(self) -> list[T]:
        """The items, made on the first call and kept."""

    def __iter__(self) -> Iterator[T]:
        return iter(self._items())

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        return self._items()[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._items() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
