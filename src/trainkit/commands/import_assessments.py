"""``trainkit import assessments``: a filled assessment sheet (CSV or xlsx) to records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, academy_root, add_root
from trainkit.edit import atomic
from trainkit.importers import assessment_sheet
from trainkit.importers.common import ImportProblem
from trainkit.load.records import write_csv
from trainkit.load.rowchecks import CSV_COLUMNS, row_is_valid
from trainkit.pipeline import check_dir

HELP = """\
Read an assessor's filled sheet and write the attempts to records/assessments/:

  trainkit import assessments FILE --cohort COHORT [--session SESSION]

FILE is the sheet 'trainkit build' writes for each session that hosts a
practical assessment, reports/assessments/sheets/<cohort>/<session>--<id>.xlsx
(or .csv), filled in: a rubric level under each criterion and pass or fail
under overall for every learner assessed. Empty date, assessor and attempt
cells mean the session's date, the session's qualified lead instructor and
the learner's next attempt. Rows left empty (learners not assessed) are
skipped. Every bad cell is reported as FILE:LINE:COLUMN and nothing is
written until all are fixed.

Output goes to records/assessments/<cohort>--<session>--<assessment>.csv (or
--output); an existing file is never replaced without --force.

exit codes: 0 written, 1 nothing written (the message says why).
"""


def add_parser(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = kinds.add_parser("assessments", help="a filled assessment sheet (CSV or xlsx)",
                         description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path, metavar="FILE", help="the filled sheet (.xlsx or .csv)")
    p.add_argument("--cohort", required=True, metavar="COHORT", help="the cohort assessed")
    p.add_argument("--session", metavar="SESSION",
                   help="the session (default: the one the sheet names)")
    p.add_argument("--output", type=Path, metavar="FILE",
                   help="where to write (default: under records/assessments/)")
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
    cohort = academy.cohorts.get(args.cohort)
    if cohort is None or cohort.program not in academy.programs:
        return _fail(f"cohort {args.cohort!r} is not defined (or its program is not)")
    try:
        grid = assessment_sheet.read_grid(args.file)
        session, assessment, found = assessment_sheet.build(
            academy, cohort, grid, str(args.file), args.session)
    except assessment_sheet.SheetProblems as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return _fail(f"{exc.path}: nothing written; fix the cells above and import again")
    except ImportProblem as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename or args.file}: {exc.strerror or exc}")
    columns = CSV_COLUMNS["assessments"][0] + CSV_COLUMNS["assessments"][1]
    refused = next((r for r in found if not row_is_valid("assessments", r)), None)
    if refused is not None:  # never write what 'trainkit check' rejects
        return _fail(f"not written, a row would not pass 'trainkit check': {refused}")
    output = args.output or (root / "records" / "assessments"
                             / f"{cohort.id}--{session.id}--{assessment.id}.csv")
    try:
        atomic.write_text(output, write_csv(found, columns), force=args.force)
    except atomic.Exists as exc:
        return _fail(str(exc))
    print(f"wrote {output}: {len(found)} attempt(s) at {assessment.key} in {session.key}; "
          "run 'trainkit check' to check them against the rest of the academy")
    return EXIT_OK
