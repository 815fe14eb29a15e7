"""``trainkit import``: turn Zoom/Teams/Meet and Google Forms/Moodle exports into records."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

from trainkit import importers
from trainkit.commands import import_assessments, import_payments, import_surveys
from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, academy_root, add_root
from trainkit.edit import atomic
from trainkit.importers import answers, attendance, quizzes
from trainkit.importers.attendance import Outcome
from trainkit.importers.common import ImportProblem, Participant, decode
from trainkit.importers.identity import Matcher, load_identity_map
from trainkit.load.records import write_csv
from trainkit.load.rowchecks import row_is_valid
from trainkit.model import Academy, Session
from trainkit.pipeline import check_dir
from trainkit.resolve.calendars import UTC, safe_zone

HELP = """\
Read an export from a meeting or quiz tool and write a canonical record file:

  trainkit import attendance --from zoom|teams|meet FILE --session COHORT/SESSION
  trainkit import quiz-results --from google-forms|moodle FILE --quiz COURSE/QUIZ
  trainkit import payments --from bank-csv FILE [--map FIELD=HEADER]
  trainkit import assessments FILE --cohort COHORT [--session SESSION]
  trainkit import survey-responses --from google-forms|microsoft-forms|csv FILE \
      --survey SURVEY --cohort COHORT     (see: trainkit import survey-responses --help)

Zoom: participant reports with or without the meeting block, old and new
column names, and "Show unique users" exports (total minutes only, so
nobody is marked late). Teams: the current report (1. Summary / 2.
Participants / 3. In-Meeting Activities), the 2021 layout (Full Name, Join
Time, Leave Time) and the older Joined/Left event list (no e-mail: match
people with --identity-map). Meet: the attendance sheet saved as CSV.
Google Forms: quiz responses (Score "7 / 10"). Moodle: quiz grades
("Grade/10.00"; unfinished attempts and "-" grades are skipped and listed).

People are matched by e-mail address to the learner directory, then by the
optional identity map (--identity-map FILE: YAML 'identities: {l-0101: [alias,
...]}' or CSV 'alias,learner'). Names are never guessed at: unmatched
participants are listed with what they were called, so you can add them to
the map and import again.

Attendance status: present with at least the program's present_threshold
(default 75%) of the session's minutes, late when also first joined more than
--late-after minutes after the start, absent otherwise; enrolled learners
missing from the export are written as absent. Export times without a zone
are read in the session's time zone.

Payments: see 'trainkit import payments --help'.

With --answers, quiz-results also writes each attempt's points per question
to records/answers/<course>--<quiz>.csv: Google Forms columns headed by the
questions' prompts (and their "[Score]" columns, if any), Moodle's "Q. 1
/1.00" marks (Grades report) or "Response 1" answers (Responses report);
answers without marks are marked against the quiz's key.

Output goes to records/attendance/<cohort>--<session>.csv,
records/quiz-results/<course>--<quiz>.csv or records/payments/<file>.csv (or
--output); an existing file is never replaced without --force. Without --from
the format is recognised from the file's columns.

exit codes: 0 written, 1 nothing written (the message says why).
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="turn meeting and quiz exports into record files",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True,
                             parser_class=type(p))
    att = kinds.add_parser("attendance", help="a Zoom, Teams or Meet attendance export",
                           description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    att.add_argument("--from", dest="fmt", choices=sorted(importers.ATTENDANCE),
                     help="the export's format (default: recognised from its columns)")
    att.add_argument("--session", required=True, metavar="COHORT/SESSION",
                     help="the session the export is for, e.g. fa-lon-2026-03/day1")
    att.add_argument("--late-after", type=int, default=10, metavar="MINUTES",
                     help="first join this many minutes after the start counts as late "
                     "(default 10)")
    quiz = kinds.add_parser("quiz-results", help="a Google Forms or Moodle quiz export",
                            description=HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    quiz.add_argument("--from", dest="fmt", choices=sorted(importers.QUIZ_RESULTS),
                      help="the export's format (default: recognised from its columns)")
    quiz.add_argument("--quiz", required=True, metavar="COURSE/QUIZ",
                      help="the quiz the export is for, e.g. fire-safety-basics/final")
    import_payments.add_parser(kinds)
    pay = kinds.choices["payments"]
    quiz.add_argument("--answers", action="store_true",
                      help="also write each attempt's answers per question to "
                      "records/answers/<course>--<quiz>.csv (for item analysis)")
    for q in (att, quiz, pay):
        q.add_argument("file", type=Path, metavar="FILE", help="the exported file")
        if q is not pay:
            q.add_argument("--identity-map", type=Path, metavar="FILE",
                           help="YAML or CSV mapping other names and e-mails to learner ids")
        q.add_argument("--output", type=Path, metavar="FILE",
                       help="where to write (default: under records/)")
        q.add_argument("--force", action="store_true", help="replace an existing output file")
        add_root(q)
        q.set_defaults(run=run)
    import_assessments.add_parser(kinds)
    import_surveys.add_parser(kinds)


def _fail(message: str) -> int:
    print(f"trainkit import: {message}", file=sys.stderr)
    return EXIT_ERRORS


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    result = check_dir(root)
    if result.academy is None:
        return _fail("the academy could not be read; run 'trainkit check' first")
    try:
        return _import(args, root, result.academy)
    except ImportProblem as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename or args.file}: {exc.strerror or exc}")
    except csv.Error as exc:
        return _fail(f"{args.file}: not a readable CSV or tab-separated export ({exc})")


def _import(args: argparse.Namespace, root: Path, academy: Academy) -> int:
    if args.kind == "payments":
        return import_payments.run_payments(args, root, academy)
    raw = args.file.read_bytes()
    text = decode(raw, str(args.file))
    formats = importers.ATTENDANCE if args.kind == "attendance" else importers.QUIZ_RESULTS
    fmt = args.fmt or importers.detect(formats, text, str(args.file))
    if fmt is None:
        return _fail(f"{args.file}: not a format I know; known formats: "
                     f"{', '.join(formats)} (pass --from to choose one)")
    aliases = {}
    if args.identity_map is not None:
        aliases = load_identity_map(args.identity_map, set(academy.learners))
    matcher = Matcher(academy, aliases)
    module: ModuleType = formats[fmt]
    if args.kind == "attendance":
        return _attendance(args, root, academy, module, text, matcher)
    return _quiz(args, root, academy, module, text, matcher)


def _attendance(args: argparse.Namespace, root: Path, academy: Academy, module: ModuleType,
                text: str, matcher: Matcher) -> int:
    session = academy.session(args.session)
    if session is None:
        return _fail(_unknown_session(academy, args.session))
    if session.program not in academy.programs:
        return _fail(f"the program of {args.session!r} is not defined")
    if session.cancelled:
        return _fail(f"session {session.key} is cancelled; there is no attendance to import")
    zone = safe_zone(session.timezone) or UTC
    people = module.read(text, str(args.file), zone, session.start.date())
    elsewhere = _other_day(people, session)
    if elsewhere:
        return _fail(f"{args.file}: the export's times are on {elsewhere}, the session "
                     f"{session.key} on {session.start.date().isoformat()}; is --session right?")
    outcome = attendance.build(academy, session, people, matcher, late_after=args.late_after)
    default = root / "records" / "attendance" / f"{session.cohort}--{session.id}.csv"
    output = args.output or default
    others = sorted({r.loc.path for r in academy.attendance if r.session == session.key}
                    - {_rel(output, root)})
    if not _write(output, outcome, attendance.COLUMNS, args.force):
        return EXIT_ERRORS
    _report(output, outcome, module.NAME, f"{outcome.absent} enrolled learner(s) not in it")
    for path in others:
        print(f"note: {path} already has rows for {session.key}; 'trainkit check' will report "
              "the duplicates until one of them goes")
    return EXIT_OK


def _quiz(args: argparse.Namespace, root: Path, academy: Academy, module: ModuleType,
          text: str, matcher: Matcher) -> int:
    quiz = academy.quizzes().get(args.quiz)
    if quiz is None:
        return _fail(f"quiz {args.quiz!r} is not defined; write it as COURSE/QUIZ")
    zone = safe_zone(academy.settings.timezone) or UTC
    default = root / "records" / "quiz-results" / f"{quiz.course}--{quiz.slug}.csv"
    output = args.output or default
    recorded = quizzes.recorded_attempts(academy.quiz_results, quiz.id, _rel(output, root))
    submissions = module.read(text, str(args.file), zone)
    outcome = quizzes.build(quiz, submissions, matcher, recorded)
    per_question: Outcome | None = None
    missing: list[str] = []
    if args.answers:
        found, missing = answers.build(quiz, submissions, matcher, outcome.rows, str(args.file))
        per_question = Outcome(rows=found)
        target = root / "records" / "answers" / f"{quiz.course}--{quiz.slug}.csv"
        clash = next((p for p in (output, target) if p.exists()), None)
        if clash is not None and not args.force:
            return _fail(f"{clash} exists; nothing written (add --force to replace it)")
    if not _write(output, outcome, quizzes.COLUMNS, args.force):
        return EXIT_ERRORS
    _report(output, outcome, module.NAME, "")
    if per_question is not None:
        if not _write(target, per_question, answers.COLUMNS, args.force):
            return EXIT_ERRORS
        print(f"wrote {target}: {len(per_question.rows)} answer(s)"
              + (f"; no column for question(s) {', '.join(missing)}" if missing else ""))
    return EXIT_OK


# Exports read in the session's zone may be off by a zone's offset, never by this much.
_SAME_DAY = timedelta(hours=14)


def _other_day(people: list[Participant], session: Session) -> str:
    """The export's dates when none of its connections is near the session, else ""."""
    spans = [iv for p in people for iv in p.intervals]
    if not spans or any(a < session.end + _SAME_DAY and b > session.start - _SAME_DAY
                        for a, b in spans):
        return ""
    return ", ".join(sorted({a.date().isoformat() for a, _ in spans}))


def _unknown_session(academy: Academy, key: str) -> str:
    """Why ``key`` names no session, with the ids that would (a cohort's sessions)."""
    cohort = academy.cohorts.get(key.split("/")[0])
    message = f"session {key!r} is not defined; write it as COHORT/SESSION"
    if cohort is None:
        return message + f"; there is no cohort {key.split('/')[0]!r}"
    ids = ", ".join(f"{cohort.id}/{s.id}" for s in cohort.sessions)
    return message + f"; the sessions of {cohort.id} are: {ids}"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _write(output: Path, outcome: Outcome, columns: tuple[str, ...], force: bool) -> bool:
    kind = {attendance.COLUMNS: "attendance", quizzes.COLUMNS: "quiz-results",
            answers.COLUMNS: "answers"}[columns]
    refused = next((r for r in outcome.rows if not row_is_valid(kind, r)), None)
    if refused is not None:  # an importer must never write what 'trainkit check' rejects
        _fail(f"{output}: not written, a row would not pass 'trainkit check': "
              f"{','.join(refused.get(c, '') for c in columns)}")
        return False
    try:
        atomic.write_text(output, write_csv(outcome.rows, columns), force=force)
    except atomic.Exists as exc:
        _fail(str(exc))
        return False
    return True


def _report(output: Path, o: Outcome, fmt: str, extra: str) -> None:
    tail = f", {extra}" if extra else ""
    print(f"wrote {output}: {len(o.rows)} row(s) from a {fmt} export; {o.matched} learner(s) "
          f"matched, {len(o.unmatched)} participant(s) unmatched{tail}")
    if o.staff:
        print(f"skipped {o.staff} instructor(s)")
    for note in o.notes:
        print(note)
    if o.unmatched:
        print("unmatched (add them to an identity map and import again with --identity-map):")
        for line, name, email in sorted(o.unmatched):
            print(f"  line {line}: {name or '(no name)'} <{email or 'no e-mail'}>")
    for learner, why in o.not_enrolled:
        print(f"left out {learner}: {why}")
