"""How ``trainkit diff`` prints a :class:`~trainkit.history.semdiff.SemDiff`: text, markdown, json.

Without ``--private`` every format gives counts of learners, never their
names, ids or e-mails; problem messages and free text (a cancellation reason)
go through :class:`Redactor` as a last guard.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from trainkit.diagnostics import Diagnostic
from trainkit.history.changes import Change, SemDiff
from trainkit.history.revision import Side
from trainkit.history.skills_diff import skill_changes
from trainkit.model import Academy

# A pull-request comment holds at most 65536 characters: beyond these, count.
MAX_ROWS = 20  # problem rows
MAX_GROUPS = 60  # cohort and program tables
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[\w][\w.'-]*")
# An id a message calls a learner's is hidden even when no directory has it
# (a typo is usually one character away from a real person's id).
_LEARNER_REF = re.compile(r"\blearner '[^']*'")
# Suggestions that are all hidden ids tell the reader nothing.
_HIDDEN_HINT = re.compile(r" ?\(?did you mean '\[learner\]'(?: or '\[learner\]')*\?\)?")


class Redactor:
    """Replaces learner e-mails, ids and names in a text by neutral words."""

    def __init__(self, academies: Iterable[Academy | None]) -> None:
        self.ids: set[str] = set()
        self.names: dict[str, list[str]] = {}
        for academy in academies:
            for learner in (academy.learners.values() if academy else ()):
                self.ids.add(learner.id)
                first = learner.name.split(" ", 1)[0]
                if first:
                    self.names.setdefault(first, []).append(learner.name)
        for names in self.names.values():
            names.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = _LEARNER_REF.sub("learner [learner]", _EMAIL.sub("[e-mail]", text))
        spans: list[tuple[int, int]] = []
        for m in _WORD.finditer(text):
            if spans and m.start() < spans[-1][1]:
                continue
            word = m.group().rstrip(".'")
            if word in self.ids:
                spans.append((m.start(), m.start() + len(word)))
                continue
            for name in self.names.get(word, ()):
                if text.startswith(name, m.start()):
                    spans.append((m.start(), m.start() + len(name)))
                    break
        for start, end in reversed(spans):
            text = text[:start] + "[learner]" + text[end:]
        return _HIDDEN_HINT.sub("", text)


def render(fmt: str, d: SemDiff, old: Side, new: Side, *, as_of: datetime, private: bool) -> str:
    academies = [s.result.academy if s.result else None for s in (old, new)]
    view = _View(d, old, new, academies, as_of, private)
    return {"text": view.text, "markdown": view.markdown, "json": view.json}[fmt]()


class _View:
    def __init__(self, d: SemDiff, old: Side, new: Side, academies: list[Academy | None],
                 as_of: datetime, private: bool) -> None:
        self.d, self.old, self.new, self.as_of, self.private = d, old, new, as_of, private
        self.academies = academies
        self.redact = (lambda s: s) if private else Redactor(academies)
        self.skills = skill_changes(academies[0], academies[1], as_of)

    # -- shared pieces

    def notes(self) -> list[str]:
        out = []
        base, head = self.old.result, self.new.result
        bad_base = {d.path for d in base.errors} if base is not None else set()
        bad_head = {d.path for d in head.errors} if head is not None else set()
        if self.old.commit and base is not None and base.academy is None:
            out.append("BASE could not be loaded (see the resolved problems): everything in HEAD "
                       "is shown as added")
        elif bad_base - bad_head:
            out.append(f"BASE has {_files(bad_base - bad_head, 'did not load')}: what is in "
                       f"{_them(bad_base - bad_head)} now shows as added")
        if head is not None and head.academy is None:
            out.append("HEAD could not be loaded: fix the new problems below")
        elif bad_head - bad_base:
            out.append(f"HEAD has {_files(bad_head - bad_base, 'does not load')}: what was in "
                       f"{_them(bad_head - bad_base)} shows as removed or changed")
        both = bad_base & bad_head
        if both and base is not None and base.academy and head is not None and head.academy:
            out.append(f"Both revisions have {_files(both, 'does not load')}: changes to "
                       f"{_them(both)} are not shown ('trainkit check' says why)")
        return out

    def summary(self) -> str:
        d = self.d
        cohorts = {c.cohort for c in d.changes if c.cohort}
        line = (f"{_n(len(d.changes), 'change')} in {_n(len(cohorts), 'cohort')}, touching "
                f"{_n(len(d.learners()), 'learner')} and {_n(len(d.instructors()), 'instructor')}; "
                f"{_n(len(d.new_problems), 'new problem')}, {len(d.resolved_problems)} resolved")
        return line

    def groups(self) -> list[tuple[str, list[Change]]]:
        out: dict[str, list[Change]] = {}
        for c in self.d.changes:
            title = (f"{c.program} / {c.cohort}" if c.cohort and c.program else c.cohort
                     or (f"{c.program} (program)" if c.program else "academy-wide"))
            out.setdefault(title, []).append(c)
        return list(out.items())

    def people(self, c: Change, label: str = "learners") -> list[str]:
        """With --private: who a change touches, and how when that differs per learner."""
        if c.private:
            return [f"{self.name(lid)}: {what}" for lid, what in c.private]
        if not c.learners:
            return []
        return [f"{label}: " + ", ".join(self.name(lid) for lid in sorted(c.learners))]

    def name(self, lid: str) -> str:
        for academy in reversed(self.academies):
            if academy and lid in academy.learners:
                return f"{academy.learners[lid].name} ({lid})"
        return lid

    def problem(self, p: Diagnostic) -> str:
        return self.redact(p.text())

    # -- formats

    def text(self) -> str:
        lines = [f"trainkit diff: {self.old.label} -> {self.new.label}"]
        lines += [f"note: {n}" for n in self.notes()]
        for title, changes in self.groups():
            lines.append(f"{title}:")
            for c in changes:
                lines.append(f"  {self.redact(c.text)} [{_impact(c)}]")
                lines += [f"    {p}" for p in (self.people(c) if self.private else [])]
        if self.skills:
            lines.append("skills:")
            lines += [f"  {s}" for s in self.skills]
        for head, items in (("new problems (this change introduces them)", self.d.new_problems),
                            ("resolved problems", self.d.resolved_problems)):
            if items:
                lines.append(f"{head}:")
                lines += [f"  {self.problem(p)}" for p in items]
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        out = ["### trainkit diff", "",
               f"`{self.old.label}` → `{self.new.label}`: **{self.summary()}**", ""]
        out += [f"> {n}" for n in self.notes()] + ([""] if self.notes() else [])
        if not self.d.changes:
            out += ["No changes to programs, cohorts, sessions, enrollments or records.", ""]
        if self.skills:
            out += ["**Skills:** " + "; ".join(self.skills) + ".", ""]
        groups = self.groups()
        for title, changes in groups[:MAX_GROUPS]:
            out += [f"#### {title}", "", "| Change | Learners | Instructors |", "|---|---:|---:|"]
            out += [f"| {_cell(self.redact(c.text))} | {len(c.learners)} | {len(c.instructors)} |"
                    for c in changes]
            out.append("")
            people = ([p for c in changes for p in self.people(c, label=c.kind)]
                      if self.private else [])
            if people:
                out += ["<details><summary>Learners</summary>", ""]
                out += [f"- {_cell(p)}" for p in people] + ["", "</details>", ""]
        if len(groups) > MAX_GROUPS:
            rest = groups[MAX_GROUPS:]
            out += [f"… and {sum(len(c) for _, c in rest)} more change(s) in {len(rest)} more "
                    "group(s): run `trainkit diff` for all of them.", ""]
        for head, items in (("Problems this change introduces", self.d.new_problems),
                            ("Problems this change resolves", self.d.resolved_problems)):
            if items:
                out += [f"#### {head}", "", "| Where | Problem |", "|---|---|"]
                out += [f"| `{p.path}:{p.line}:{p.col}` | {p.severity.value}[{p.code}]: "
                        f"{_cell(self.redact(p.message))} |" for p in items[:MAX_ROWS]]
                if len(items) > MAX_ROWS:
                    out.append(f"| … | {len(items) - MAX_ROWS} more: run `trainkit check` |")
                out.append("")
        return "\n".join(out)

    def json(self) -> str:
        data: dict[str, Any] = {
            "base": {"label": self.old.label, "commit": self.old.commit},
            "head": {"label": self.new.label, "commit": self.new.commit},
            "as_of": self.as_of.isoformat(), "private": self.private, "notes": self.notes(),
            "summary": {"changes": len(self.d.changes),
                        "cohorts": len({c.cohort for c in self.d.changes if c.cohort}),
                        "learners": len(self.d.learners()),
                        "instructors": len(self.d.instructors()),
                        "new_problems": len(self.d.new_problems),
                        "resolved_problems": len(self.d.resolved_problems)},
            "changes": [self.change_json(c) for c in self.d.changes],
            "skills": self.skills,
            "new_problems": [self.problem_json(p) for p in self.d.new_problems],
            "resolved_problems": [self.problem_json(p) for p in self.d.resolved_problems],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def change_json(self, c: Change) -> dict[str, Any]:
        item: dict[str, Any] = {"kind": c.kind, "program": c.program, "cohort": c.cohort,
                                "text": self.redact(c.text), "learners": len(c.learners),
                                "instructors": len(c.instructors)}
        if self.private:
            item["learner_ids"] = sorted(c.learners)
            item["instructor_ids"] = sorted(c.instructors)
            item["people"] = self.people(c)
        return item

    def problem_json(self, p: Diagnostic) -> dict[str, Any]:
        data = p.as_json()
        data["message"] = self.redact(p.message)
        return data


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _files(paths: set[str], verb: str) -> str:
    """``1 file that does not load (a.yaml)``, ``2 files that do not load (a.yaml, b.yaml)``."""
    if len(paths) != 1:
        verb = {"does not load": "do not load"}.get(verb, verb)
    shown = sorted(paths)[:3]
    more = ", …" if len(paths) > 3 else ""
    return f"{_n(len(paths), 'file')} that {verb} ({', '.join(shown)}{more})"


def _them(paths: set[str]) -> str:
    return "it" if len(paths) == 1 else "them"


def _impact(c: Change) -> str:
    return f"{_n(len(c.learners), 'learner')}, {_n(len(c.instructors), 'instructor')}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
