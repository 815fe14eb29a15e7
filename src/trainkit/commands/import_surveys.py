"""``trainkit import survey-responses``: a form tool's export as ``records/surveys/*.csv``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, academy_root, add_root
from trainkit.diagnostics import did_you_mean
from trainkit.edit import atomic
from trainkit.importers import surveys as survey_import
from trainkit.importers.common import ImportProblem
from trainkit.load.records import write_csv
from trainkit.load.rowchecks import row_is_valid
from trainkit.model import RESPONSE_COLUMNS, Academy, Survey
from trainkit.pipeline import check_dir
from trainkit.resolve.calendars import UTC, safe_zone

HELP = """\
Read the responses a form tool exported for one survey and one cohort and
write them as a canonical record file:

  trainkit import survey-responses --from google-forms|microsoft-forms|csv FILE \\
      --survey SURVEY --cohort COHORT [--session SESSION]

Google Forms: Responses > Download responses (.csv): Timestamp, then one
column per question titled with its text. Microsoft Forms: Responses > Open
in Excel (.xlsx): ID, Start time, Completion time, Email, Name, then one
column per question. csv: submitted_at (or timestamp), then a column per
question id or text. Columns are matched to the survey's questions by their
text; a rating becomes its number, a choice the survey's wording. A column
named "cohort" (the form's pre-filled cohort) keeps only this cohort's rows.

Responses are anonymous unless the survey says 'anonymous: false': names and
e-mail addresses in the export are dropped and never written.

A survey asked after each session ('when: session') needs --session: the
session of the cohort the export is about (one form export per session).

Output goes to records/surveys/<survey>--<cohort>.csv (with --session,
<survey>--<cohort>--<session>.csv; or --output); an
existing file is never replaced without --force. Response ids are
<cohort>-0001, … skipping ids the survey already has in other files.

exit codes: 0 written, 1 nothing written (the message says why).
"""


def add_parser(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = kinds.add_parser("survey-responses", help="a Google Forms, Microsoft Forms or CSV "
                         "export of a feedback survey", description=HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="fmt", required=True, choices=survey_import.FORMATS,
                   help="the export's format")
    p.add_argument("file", type=Path, metavar="FILE", help="the exported file")
    p.add_argument("--survey", required=True, metavar="SURVEY",
                   help="the survey answered (surveys/<id>.yaml), e.g. course-feedback")
    p.add_argument("--cohort", required=True, metavar="COHORT",
                   help="the cohort whose learners answered, e.g. fa-lon-2026-03")
    p.add_argument("--session", metavar="SESSION",
                   help="for a survey asked after each session: the session's id within "
                   "the cohort, e.g. day1")
    p.add_argument("--output", type=Path, metavar="FILE",
                   help="where to write (default: under records/surveys/)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    add_root(p)
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"trainkit import: {message}", file=sys.stderr)
    return EXIT_ERRORS


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    academy = check_dir(root).academy
    if academy is None:
        return _fail("the academy could not be read; run 'trainkit check' first")
    try:
        return _import(args, root, academy)
    except ImportProblem as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename or args.file}: {exc.strerror or exc}")


def _import(args: argparse.Namespace, root: Path, academy: Academy) -> int:
    survey = academy.surveys.get(args.survey)
    if survey is None:
        return _fail(f"survey {args.survey!r} is not defined in surveys/; "
                     f"{did_you_mean(args.survey, academy.surveys)}")
    cohort = academy.cohorts.get(args.cohort)
    if cohort is None:
        return _fail(f"cohort {args.cohort!r} is not defined; "
                     f"{did_you_mean(args.cohort, academy.cohorts)}")
    program = academy.programs.get(cohort.program)
    if program is None or survey.id not in program.surveys:
        return _fail(f"program {cohort.program!r} does not ask survey {survey.id!r}; add it "
                     "to surveys: in its program.yaml first")
    session = None
    if args.session is not None:
        session = next((x for x in cohort.sessions if x.id == args.session), None)
        if survey.when != "session":
            return _fail(f"survey {survey.id!r} is asked once per cohort ('when: "
                         f"{survey.when}'), not per session; leave out --session")
        if session is None:
            return _fail(f"cohort {cohort.id} has no session {args.session!r}; "
                         f"{did_you_mean(args.session, [x.id for x in cohort.sessions])}")
    elif survey.when == "session":
        return _fail(f"survey {survey.id!r} is asked after each session: say which one with "
                     f"--session (one of {', '.join(x.id for x in cohort.sessions)})")
    zone = safe_zone(cohort.timezone) or UTC
    table = survey_import.table_of(args.fmt, args.file.read_bytes(), str(args.file))
    end = session.end if session else cohort.end
    day = end.date() if end else None
    got = survey_import.read(args.fmt, table, survey, cohort.id, zone, day, str(args.file))
    name = f"{survey.id}--{cohort.id}" + (f"--{session.id}" if session else "")
    output = args.output or root / "records" / "surveys" / f"{name}.csv"
    rows = _rows(academy, survey, cohort.id, got, _rel(output, root),
                 session.id if session else "")
    columns = (*RESPONSE_COLUMNS, *(q.id for q in survey.questions))
    refused = next((r for r in rows if not row_is_valid("surveys", r)), None)
    if refused is not None:  # an importer must never write what 'trainkit check' rejects
        return _fail(f"{output}: not written, a row would not pass 'trainkit check': "
                     f"{','.join(refused.get(c, '') for c in columns)}")
    try:
        atomic.write_text(output, write_csv(rows, columns), force=args.force)
    except atomic.Exists as exc:
        return _fail(str(exc))
    kept = "with the respondent" if not survey.anonymous else "anonymous (names and e-mails " \
        "dropped)"
    print(f"wrote {output}: {len(rows)} response(s) to {survey.id!r} from cohort {cohort.id} "
          f"({args.fmt} export), {kept}")
    if got.other_cohorts:
        print(f"left out {got.other_cohorts} response(s) whose cohort is not {cohort.id}")
    return EXIT_OK


def _rows(academy: Academy, survey: Survey, cohort: str, got: survey_import.Read,
          output: str, session: str) -> list[dict[str, str]]:
    taken = {r for f in academy.survey_responses if f.path != output
             for s, r in zip(f.columns["survey"], f.columns["response"], strict=True)
             if s == survey.id}
    out: list[dict[str, str]] = []
    n = 0
    for _, when, who, answers in sorted(got.answers, key=lambda a: (a[1], a[0])):
        n += 1
        while f"{cohort}-{n:04d}" in taken:
            n += 1
        out.append({"response": f"{cohort}-{n:04d}", "survey": survey.id, "cohort": cohort,
                    "session": session, "submitted_at": when.isoformat(timespec="seconds"),
                    "respondent": who, **answers})
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
