"""Keys for what one cohort's file and the academy's other files make, or files of a
few kinds alone.

A cohort's page on the site is made from the cohort's own file and from
files that are not cohorts: its program, venue and instructors, the
settings, survey responses. No other cohort's file goes into it (a cohort
is resolved from its own document, its program and the settings and venues,
and the page reads nothing of other cohorts). So after an edit to one
cohort file, every other cohort's page is the same as in the last build,
and can be taken from the build cache without being made again: at 2,000
cohorts, making every page again cost about 1.1 CPU s per build.

:class:`CohortScope` gives such an output its key: a digest of trainkit
itself (:func:`trainkit.load.usercache.toolchain`), the writer, the build's
moment, every file the writer reads (:data:`trainkit.writers.fingerprint.SLICES`)
except the cohort files, and the one cohort file, by content. Without the
build cache, or for a cohort whose file was not digested, there is no key
and the output is made as before. :meth:`CohortScope.key_of_all` keys an
output made from a few cohorts in the same way (the list of a program's
cohorts on its page): every one of their files goes into the key, in order.

:func:`kinds_key` does the same for an output made from the files of a few
kinds alone (:func:`trainkit.load.loader.kind_of`): the list of learners'
feed and page addresses is made from the settings and the learner files,
and an edit to a cohort leaves it as it was.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from trainkit.load.loader import kind_of
from trainkit.load.usercache import toolchain
from trainkit.model import Cohort
from trainkit.writers import fingerprint
from trainkit.writers.context import BuildContext


def _moment(ctx: BuildContext, what: str, timeless: bool = False) -> hashlib._Hash:
    if timeless:  # what neither the build's moment nor its secret goes into
        return hashlib.sha256(f"{toolchain()}|{what}|any moment\n".encode())
    secret = "" if ctx.secret is None else hmac.digest(
        ctx.secret, b"trainkit cohort scope", "sha256").hex()
    return hashlib.sha256(f"{toolchain()}|{what}|{ctx.epoch.isoformat()}|{secret}\n".encode())


def kinds_key(ctx: BuildContext, what: str, kinds: frozenset[str]) -> str | None:
    """The key of output ``what``, made from the files of ``kinds`` (and the build's
    moment and secret) alone; None without the build cache."""
    if not ctx.inputs:  # no build cache
        return None
    digest = _moment(ctx, what)
    fingerprint.add_files(digest, ctx.inputs, lambda rel: kind_of(rel) in kinds)
    return digest.hexdigest()


class CohortScope:
    """The keys of one writer's per-cohort outputs in one build."""

    def __init__(self, ctx: BuildContext, writer: str, timeless: bool = False) -> None:
        """``timeless``: keys of outputs the build's moment and secret do not go into."""
        self.files = ctx.inputs  # empty without the build cache: no key
        cohort_files = {c.loc.path for c in ctx.academy.cohorts.values()}
        reads = fingerprint.reads(writer)
        digest = _moment(ctx, writer, timeless)
        fingerprint.add_files(digest, self.files,
                              lambda rel: reads(rel) and rel not in cohort_files)
        self.others = digest.hexdigest()

    def key(self, cohort: Cohort, what: str) -> str | None:
        """The key of output ``what`` of ``cohort``; None: make it, it has no key."""
        found = self.files.get(cohort.loc.path)
        if found is None:
            return None
        return hashlib.sha256(
            f"{self.others}|{what}|{cohort.loc.path}\0{found}".encode()).hexdigest()

    def key_of_all(self, cohorts: Sequence[Cohort], what: str) -> str | None:
        """The key of output ``what`` made from ``cohorts``, in this order, and from no
        other cohort; None: make it, a cohort has no key."""
        digest = hashlib.sha256(f"{self.others}|{what}|{len(cohorts)}".encode())
        for cohort in cohorts:
            found = self.files.get(cohort.loc.path)
            if found is None:
                return None
            digest.update(f"\0{cohort.id}\0{cohort.loc.path}\0{found}".encode())
        return digest.hexdigest()
