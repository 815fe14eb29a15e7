"""The reference of every diagnostic code, as Markdown (``docs/rules.md``).

Cross-file rules document themselves: a rule module's docstring is its user
documentation and its ``CODES`` name what it reports. Problems found while
reading one file (syntax, schema, CSV rows) come from the loader, not from a
rule module, so their codes are described here. ``docs/rules.md`` is this
module's output (``trainkit check --list-rules --format markdown``); a test
fails when the two differ.
"""

from __future__ import annotations

import json

from trainkit.model.settings import NAV_PAGES
from trainkit.rules import Rule, all_rules

# code -> (severity, what it means and what to do)
FILE_CODES: dict[str, tuple[str, str]] = {
    "no-academy": ("error", "there is no `trainkit.yaml` at the academy root"),
    "unknown-file": ("warning", "a `.yaml` file where trainkit reads nothing; move or rename it "
                                "(see docs/format.md)"),
    "unreadable": ("error", "a file cannot be read (permissions, a broken link) or a folder is "
                            "named like an input file"),
    "id-name": ("error", "a file or folder name that gives an id (program, cohort, instructor, "
                         "venue, course, quiz) is not an id: use lower-case letters, digits, "
                         "`-`, `_` and `.`"),
    "outside-academy": ("error", "a link (or a path in `trainkit.yaml`) that leads out of the "
                                 "academy folder; trainkit reads and publishes only files inside "
                                 "it (see docs/security.md)"),
    "special-file": ("error", "a named pipe, device or socket where trainkit expects a file"),
    "private-link": ("error", "a published file (course or program file, `site-extra/`, logo, "
                              "favicon) that is a link to private data: learners, records, "
                              "hidden or `.yaml`/`.csv` files; or `site.extra_dir` naming an "
                              "input folder"),
    "unknown-nav-page": ("error", "`site.nav` names a page that is neither one of the site's "
                                  f"own ({', '.join(f'`{p}`' for p in NAV_PAGES)}) nor a "
                                  "Markdown page in `site-extra/`"),
    "raw-html": ("error", "an `.html`/`.xhtml` file where trainkit publishes files; write the "
                          "page in Markdown, or put theme templates in `site-extra/overrides/`"),
    "encoding": ("error", "the file is not UTF-8; reported at the first byte that is not"),
    "file-too-large": ("error", "the file is over 64 MiB; split it"),
    "yaml-syntax": ("error", "the YAML cannot be parsed (a control character such as NUL "
                             "included), or holds more than one document"),
    "yaml-tag": ("error", "an explicit tag (`!!python/object`, `!custom`, or `!!int` on a value "
                          "that is not one); write the value plainly"),
    "yaml-key": ("error", "a mapping key that is not plain text"),
    "yaml-merge": ("error", "`<<` merges something that is not a mapping"),
    "yaml-too-large": ("error", "anchors and aliases expand to far more data than the file holds "
                                "(an alias bomb)"),
    "yaml-too-deep": ("error", "values nested more than 500 levels deep, counting what an "
                               "alias or a `<<` merge repeats where it is used"),
    "duplicate-key": ("warning", "a key appears twice in one mapping; the last one wins"),
    "schema": ("error", "the document does not match its JSON Schema (a wrong type, an unknown "
                        "or missing key, a malformed date, time, id or e-mail, a number or "
                        "duration beyond its bound); the message names the key path, e.g. "
                        "`sessions[3].start`"),
    "csv-header": ("error", "a record CSV file lacks a required column or has an unknown one"),
    "csv-row": ("error", "a record CSV row has a bad value, reported at its line and column, "
                         "or a cell runs on past 131,072 characters (a quote left open)"),
    "tax-id": ("error", "an organisation's `tax_id` fails its billing country's check "
                        "(python-stdnum: format, length, check digits); copy it again from "
                        "the client's records"),
    "currency": ("error", "a price's `currency` is not an ISO 4217 code; write one such as "
                          "GBP, EUR or USD"),
    "money-precision": ("error", "an amount has more decimals than its currency (2 for GBP, "
                                 "0 for JPY); round it as the message says"),
    "price": ("error", "a price lacks what it needs: `amount` and `currency` when the program "
                       "has no price, `seats` for a closed cohort (`basis: cohort`)"),
}


def _rule_section(rule: Rule) -> str:
    codes = "\n".join(f"| `{code}` | {severity} |" for code, severity in rule.codes.items())
    return (f"## {rule.name}\n\n| code | severity |\n|---|---|\n{codes}\n\n"
            f"{rule.doc}\n")


def markdown() -> str:
    """``docs/rules.md``: file-level codes, then every rule with its codes and doc."""
    rules = all_rules()
    head = (
        "# Rules and diagnostic codes\n\n"
        "<!-- Generated by `trainkit check --list-rules --format markdown > docs/rules.md`;"
        " edit the rule docstrings in src/trainkit/rules/, not this file. -->\n\n"
        "`trainkit check` prints every problem as `path:line:col: severity[code]: message`. "
        "Errors make it exit 1; warnings alone exit 0, or 2 with `--strict`.\n\n"
        "## Reading files\n\n"
        "Problems found in one file while it is read and validated against its schema.\n\n"
        "| code | severity | meaning |\n|---|---|---|\n"
        + "".join(f"| `{c}` | {s} | {m} |\n" for c, (s, m) in FILE_CODES.items())
        + "\n## Cross-file rules\n\n"
        + "".join(f"- [{r.name}](#{r.name}): " + ", ".join(f"`{c}`" for c in r.codes) + "\n"
                  for r in rules)
        + "\n"
    )
    return head + "\n".join(_rule_section(r) for r in rules)


def as_json() -> str:
    """The same reference as JSON, for editors and bots."""
    data = {
        "file_codes": {c: {"severity": s, "meaning": m} for c, (s, m) in FILE_CODES.items()},
        "rules": [{"name": r.name, "codes": r.codes, "doc": r.doc} for r in all_rules()],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
