"""Prices and client organisations: located errors, exact values in the model."""

from __future__ import annotations

from decimal import Decimal

from conftest import PROGRAM, CheckAcademy, lines

ORG = """\
version: 1
name: Acme
legal_name: Acme Logistics Ltd
billing_address:
  lines: [1 Dock Road, Dartford]
  country: {country}
tax_id: "{tax_id}"
billing_contact: {{name: Dana Whitfield, email: accounts@acme.example}}
"""

PRICE = """\
price:
  amount: "650.00"
  currency: GBP
  tax_rate: "20"
  early_bird: {until: 2026-08-31, percent: "10"}
  group:
    - {min_seats: 10, percent: "15"}
    - {min_seats: 5, percent: "10"}
"""

COHORT = """\
version: 1
title: London
{extra}"""


def _org(country: str = "GB", tax_id: str = "GB980780684") -> str:
    return ORG.format(country=country, tax_id=tax_id)


def test_valid_gb_vat_and_us_ein_are_accepted(check_academy: CheckAcademy) -> None:
    result = check_academy({"organisations/acme.yaml": _org(),
                            "organisations/hudson.yaml": _org("US", "04-2103594")
                            .replace("name: Acme\n", "name: Hudson\n")})
    assert result.errors == []
    assert result.academy is not None
    acme = result.academy.organisations["acme"]
    assert (acme.legal_name, acme.country, acme.tax_id) == ("Acme Logistics Ltd", "GB",
                                                            "GB980780684")
    assert acme.payment_terms_days == 30 and acme.purchase_order_required is False


def test_a_gb_vat_number_with_a_wrong_check_digit(check_academy: CheckAcademy) -> None:
    result = check_academy({"organisations/acme.yaml": _org(tax_id="GB980780685")})
    assert lines(result, "tax-id") == [
        "organisations/acme.yaml:7:9: error[tax-id]: 'GB980780685' is not a valid GB VAT "
        "(the number's checksum or check digit is invalid); copy it from the client's "
        "invoice or registration record, check digits included",
    ]


def test_a_us_tax_id_of_the_wrong_shape(check_academy: CheckAcademy) -> None:
    result = check_academy({"organisations/acme.yaml": _org("US", "12-34")})
    assert lines(result, "tax-id") == [
        "organisations/acme.yaml:7:9: error[tax-id]: '12-34' is not a valid US EIN "
        "(the number has an invalid format); copy it from the client's invoice or "
        "registration record, check digits included",
    ]


def test_a_country_without_rules_is_taken_as_written(check_academy: CheckAcademy) -> None:
    result = check_academy({"organisations/acme.yaml": _org("AQ", "anything-42")})
    assert lines(result, "tax-id") == []


def test_a_learner_organisation_that_names_no_organisation(
        check_academy: CheckAcademy) -> None:
    learners = ("version: 1\norganisation: Acme\nlearners:\n"
                "  - {id: l-0001, name: Priya Shah, email: priya@example.org}\n"
                "  - {id: l-0002, name: Tom Bell, email: tom@example.org,"
                " organisation: Acne}\n"
                "  - {id: l-0003, name: Ana Silva, email: ana@example.org,"
                " organisation: ACME}\n")
    result = check_academy({"organisations/acme.yaml": _org(),
                            "people/learners/acme.yaml": learners})
    assert lines(result, "unknown-organisation") == [
        "people/learners/acme.yaml:5:72: error[unknown-organisation]: organisation 'Acne' "
        "has no file in organisations/; did you mean 'Acme'? (add "
        "organisations/<id>.yaml or correct the name)",
    ]


def test_a_file_default_organisation_is_reported_once(check_academy: CheckAcademy) -> None:
    result = check_academy({"organisations/globex.yaml": _org().replace(
        "name: Acme\n", "name: Globex\n")})
    assert lines(result, "unknown-organisation") == [
        "people/learners/acme.yaml:2:15: error[unknown-organisation]: organisation 'Acme' "
        "has no file in organisations/; known: Globex (add organisations/<id>.yaml or "
        "correct the name)",
    ]


def test_without_organisation_files_learner_organisations_are_free(
        check_academy: CheckAcademy) -> None:
    assert lines(check_academy({}), "unknown-organisation") == []


def test_prices_resolve_to_exact_decimals(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "programs/first-aid/program.yaml": PROGRAM + PRICE,
        "programs/first-aid/cohorts/c1.yaml": COHORT.format(
            extra='price: {currency: USD, amount: "795.00", tax_rate: "0"}\n'),
        "programs/first-aid/cohorts/c2.yaml": COHORT.format(extra=""),
    })
    assert result.errors == []
    assert result.academy is not None
    program = result.academy.programs["first-aid"].price
    assert program is not None
    assert program.amount == Decimal("650.00") and isinstance(program.amount, Decimal)
    assert [g.min_seats for g in program.group] == [5, 10]
    c1 = result.academy.cohorts["c1"].price
    assert c1 is not None and (c1.currency, c1.amount, c1.tax_rate) == (
        "USD", Decimal("795.00"), Decimal("0"))
    assert c1.early_bird == program.early_bird  # kept from the program
    assert result.academy.cohorts["c2"].price == program


def test_price_errors_are_located(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "programs/first-aid/program.yaml": PROGRAM + PRICE.replace('"650.00"', '"650.005"'),
        "programs/first-aid/cohorts/c1.yaml": COHORT.format(extra="price: {currency: XYZ}\n"),
        "programs/first-aid/cohorts/c2.yaml": COHORT.format(
            extra='capacity: 12\nprice: {basis: cohort, amount: "4800.00", seats: 6}\n'),
        "programs/first-aid/cohorts/c3.yaml": COHORT.format(
            extra='price: {basis: cohort, amount: "4800.00"}\n'),
    })
    assert lines(result, "money-precision", "currency", "price", "price-seats-exceeded") == [
        "programs/first-aid/cohorts/c1.yaml:3:19: error[currency]: 'XYZ' is not an ISO 4217 "
        "currency code; write one such as GBP, EUR or USD",
        "programs/first-aid/cohorts/c2.yaml:4:8: error[price-seats-exceeded]: the cohort has "
        "12 places but its flat fee covers 6 seats; lower 'capacity' or raise the price's "
        "'seats'",
        "programs/first-aid/cohorts/c3.yaml:3:8: error[price]: a closed-cohort price (basis: "
        "cohort) needs 'seats', the most people the flat fee covers, e.g. 'seats: 12'",
        "programs/first-aid/program.yaml:12:11: error[money-precision]: '650.005' has more "
        "decimals than the currency's 2; round it to 650.01",
    ]


def test_a_cohort_price_without_a_program_price_needs_amount_and_currency(
        check_academy: CheckAcademy) -> None:
    result = check_academy({"programs/first-aid/cohorts/c1.yaml": COHORT.format(
        extra='price: {amount: "100.00"}\n')})
    assert lines(result, "price") == [
        "programs/first-aid/cohorts/c1.yaml:3:8: error[price]: this price needs 'amount' and "
        "'currency': its program has no price to take them from",
    ]
