"""Instructor and room assignments written into cohort files (``plan``, ``substitute``).

Values replace what the planner was asked to fill (``lead: auto`` becomes
``lead: [ajones]``, written in flow style like the lists people write), or
add a session's own ``instructors:`` for a substitute; nothing else in the
file changes.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedSeq

from trainkit.edit.changes import Changes
from trainkit.edit.yamldoc import EditError
from trainkit.model import Cohort, Session


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def assign_lead(changes: Changes, cohort: Cohort, instructor: str) -> None:
    doc = changes.open(cohort.loc.path)
    if not isinstance(doc.get(["instructors"]), dict):
        doc.set(["instructors"], {"lead": _flow([instructor])}, after=("room", "venue"))
        return
    doc.set(["instructors", "lead"], _flow([instructor]))


def assign_room(changes: Changes, cohort: Cohort, room: str) -> None:
    changes.open(cohort.loc.path).set(["room"], room, after=("venue",))


def assign_session(changes: Changes, cohort: Cohort, session: Session,
                   instructors: list[str]) -> None:
    """Give one session its own instructors (an entry is added for a generated session)."""
    doc = changes.open(cohort.loc.path)
    index = doc.find(["sessions"], "id", session.id)
    if index is None:
        if not session.generated:
            raise EditError(cohort.loc.path, f"session {session.id!r} is not in the file")
        index = doc.append(["sessions"], {"id": session.id}, after=("recurrence",))
    doc.set(["sessions", index, "instructors"], _flow(instructors))
