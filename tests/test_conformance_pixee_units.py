"""Unit tests of the suite's Pixee parts other than checks: the profile and rule data, how Schemathesis is
told apart contract from choice, generated catalogs, the suite's own catalog server, the CLI listing."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import httpx
import openpyxl
import pytest
from hypothesis import given, settings

from conformance import apis, cli
from conformance.checks import REGISTRIES, REGISTRY
from conformance.resources import load_spec
from conformance.rules import RuleBook
from conformance.scenarios import SCENARIOS
from conformance.scenarios.pixee import catalogs
from conformance.scenarios.pixee.catalogs import EanPool, RowPlan
from conformance.scenarios.pixee.source_server import CatalogServer
from conformance.schema_run import INFERRED_OPERATION_CHECKS, build_config, relax_fake_choices, strict_only_checks
from conformance.spec import SpecIndex

PX = "pixee"
SEED_RULES = Path(__file__).resolve().parent.parent / "docs" / "SEED-RULES.md"


@pytest.fixture(scope="module")
def profile():
    profile = apis.get_profile(PX)
    profile.load_scenarios()
    return profile


@pytest.fixture(scope="module")
def spec(profile):
    return SpecIndex(load_spec(profile.spec))


@pytest.fixture(scope="module")
def book(profile):
    return RuleBook.load(profile.rules)


# --- data: profile, rules, spec --------------------------------------------------------------------------


def test_pixee_is_supported_with_the_fakes_first_key(profile):
    assert PX in apis.supported() and "productsmanager" in apis.supported()
    assert profile.default_token() == "pixee_test_key_0001"


def test_every_rule_a_pixee_check_or_scenario_cites_is_quoted(book):
    cited = {rule for check in REGISTRIES[PX].values() for rule in check.rules}
    cited |= {rule for scenario in SCENARIOS[PX].values() for rule in scenario.rules}
    cited |= {rule for by_op in book.schema_checks.values() for rules in by_op.values() for rule in rules}
    assert cited - set(book.rules) == set()
    assert book.get("PX-25").quote == '"message": "EAN format invalid (expected 13 digits)"'
    assert {f"PX-{n:02d}" for n in range(1, 34)} | {f"X-{n}" for n in range(100, 108)} == set(book.rules)


def test_pixee_checks_have_their_own_registry(profile):
    assert {"pause_freezes_progress", "dry_run_persisted_nothing", "due_automation_ran"} <= set(REGISTRIES[PX])
    # Products Manager's registry (and the tests that walk it) never sees a Pixee check
    assert not any(rule.startswith("PX-") for check in REGISTRY.values() for rule in check.rules)


def test_rule_quotes_are_copied_verbatim_from_seed_rules(book):
    text = SEED_RULES.read_text(encoding="utf-8")
    for rule in book.rules.values():
        line = next(line for line in text.splitlines() if re.match(rf"^- (\[ \] )?{re.escape(rule.id)} ", line))
        for part in rule.quote.split(" / "):
            assert part in line, (rule.id, part)


def test_every_operation_names_rules_the_book_knows(spec, book):
    for op in spec.operations.values():
        assert op.rules and set(op.rules) <= set(book.rules), op.id


def test_the_lifecycle_is_the_seeds_seven_statuses_and_paused(spec, profile):
    assert set(spec.enum_of("Status")) == set(profile.lifecycle.vocabulary)
    assert profile.lifecycle.ranks["paused"] == profile.lifecycle.ranks["processing"]
    assert profile.lifecycle.terminal == {"completed", "failed", "cancelled"}


# --- Schemathesis: contract versus choice ----------------------------------------------------------------


def test_on_inferred_operations_only_crashes_and_auth_are_contract(profile, spec):
    strict_only = strict_only_checks(profile, spec)
    inferred = [op.id for op in spec.operations.values() if op.raw.get("x-inferred")]
    assert set(inferred) == {"confirmJob", "listAutomations", "getAutomation", "deleteAutomation"}
    for op in inferred:
        assert not set(INFERRED_OPERATION_CHECKS) & set(strict_only[op])
        assert "response_schema_conformance" in strict_only[op]
    assert "status_code_conformance" in strict_only["*"]  # no status code is documented


def test_checks_that_cannot_judge_an_operation_are_off_even_with_strict(profile):
    config = build_config(base_url="http://x.test/px", token="t", seed=1, max_examples=2, strict_only={},
                          request_timeout=5, never=profile.never_schema_checks)  # fmt: skip
    by_op = {str(op._filter_set): op for op in config.projects.get_default().operations.operations}
    create = next(op for name, op in by_op.items() if "createAutomation" in name)
    assert create.checks.positive_data_acceptance.enabled is False


def test_without_strict_the_fakes_choices_in_the_spec_accept_anything(spec):
    relaxed = relax_fake_choices(spec.raw)
    schemas = relaxed["components"]["schemas"]
    assert "properties" not in schemas["Error"]  # the error body is the fake's
    assert schemas["Job"]["properties"]["supplier_code"] == {}
    assert schemas["Job"]["properties"]["total_rows"] == {"type": "integer", "minimum": 0}  # the seed's stay
    assert "detail" in spec.raw["components"]["schemas"]["Error"]["properties"]  # the original is untouched


# --- generated catalogs ----------------------------------------------------------------------------------


def _decode(catalog: catalogs.Catalog) -> list[dict]:
    content = catalog.upload().content
    if catalog.file_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    if catalog.file_format == "json":
        return json.loads(content)
    if catalog.file_format == "xml":
        return [{field.tag: field.text or "" for field in record} for record in ET.fromstring(content)]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("file_format", catalogs.FORMATS)
@settings(max_examples=10, deadline=None)
@given(plans=catalogs.catalog_plans(strict=True))
def test_a_generated_catalog_holds_exactly_its_rows_and_defects(plans, file_format):
    catalog = catalogs.build(plans, EanPool(), file_format)
    decoded = _decode(catalog)
    facts = catalog.facts()
    assert [str(item["ean"]) for item in decoded] == [row.ean for row in facts.rows]
    assert facts.first_row == (2 if file_format in ("csv", "xlsx") else 1)
    for item, row, plan in zip(decoded, facts.rows, plans, strict=True):
        assert (row.problem is None) == (plan.kind in ("valid", "wrong_check_digit", "empty_price"))
        if row.name is not None:
            assert item["name"] == row.name
        if plan.kind == "bad_ean_format":
            assert not re.fullmatch(r"\d{13}", row.ean)
        elif plan.kind != "wrong_check_digit":
            assert int(row.ean[12]) == catalogs.ean13_check_digit(row.ean[:12])


@settings(max_examples=20, deadline=None)
@given(plans=catalogs.catalog_plans(strict=False))
def test_contract_catalogs_hold_only_the_seeds_defect(plans):
    assert {plan.kind for plan in plans} <= {"valid", "bad_ean_format"}


def test_an_extra_sheet_is_written_after_the_first():
    pool = EanPool()
    catalog = catalogs.build([RowPlan("valid", "One", Decimal("1.00"), "")], pool, "xlsx")
    catalog.extra_sheet = [pool.fresh(), pool.fresh()]
    book = openpyxl.load_workbook(io.BytesIO(catalog.upload().content))
    assert [sheet.max_row for sheet in book.worksheets] == [2, 3]
    assert catalog.facts().total == 1


def test_the_catalog_server_serves_its_one_file():
    upload = catalogs.valid_rows(EanPool(), 3).upload()
    with CatalogServer(upload) as server:
        assert server.file_url.startswith("http://127.0.0.1:")
        assert httpx.get(server.file_url).content == upload.content
        assert httpx.get(server.file_url.rsplit("/", 1)[0] + "/other.csv").status_code == 404
    assert server.fetches == 1


def test_list_shows_pixees_scenarios_and_checks(capsys):
    assert cli.main(["list", "--api", PX]) == 0
    out = capsys.readouterr().out
    assert "scenario pause_and_resume" in out and "check due_automation_ran [PX-29]" in out
    assert "check row_counts_add_up [PX-16]" in out and "[PM-15]" not in out
