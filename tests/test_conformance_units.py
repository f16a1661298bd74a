"""Unit tests of the suite's parts other than checks: data files, generated catalogs, reports, the CLI's
usage errors, and how scenarios record checks."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings

from conformance import apis, cli
from conformance.checks import REGISTRY, CheckContext, counts, requests
from conformance.errors import DataNotFound, UsageError
from conformance.reporting import json_report, junit
from conformance.resources import load_spec
from conformance.results import Kind, Outcome, RunReport, Tally
from conformance.rules import RuleBook
from conformance.scenarios import SCENARIOS, RunOptions, ScenarioContext, ScenarioSpec
from conformance.scenarios.productsmanager import catalogs
from conformance.scenarios.productsmanager.catalogs import EanPool, RowPlan, ean13_check_digit
from conformance.schema_run import build_config, strict_only_checks
from conformance.spec import SpecIndex

PM = "productsmanager"


@pytest.fixture(scope="module")
def profile():
    return apis.get_profile(PM)


@pytest.fixture(scope="module")
def spec(profile):
    return SpecIndex(load_spec(profile.spec))


# --- data: profiles, rules, spec -------------------------------------------------------------------------


def test_apis_not_covered_yet_are_usage_errors():
    assert apis.supported() == ["admin", "jasper", "pims", "pixee", PM, "wizart"]
    for name in ("nope",):
        with pytest.raises(UsageError, match="supported: admin, jasper, pims, pixee, productsmanager, wizart"):
            apis.get_profile(name)


def test_the_default_token_is_the_fakes_first_fixture_key(profile):
    assert profile.default_token() == "pm_test_key_0001"


def test_pimkit_data_dir_names_the_data_root(monkeypatch, tmp_path):
    from conformance import resources

    monkeypatch.setattr(resources, "DATA_PACKAGE", "pimkit_data_that_is_not_installed")
    monkeypatch.setenv("PIMKIT_DATA_DIR", str(tmp_path))
    assert str(resources.data_root()) == str(tmp_path)
    monkeypatch.delenv("PIMKIT_DATA_DIR")
    with pytest.raises(DataNotFound, match="PIMKIT_DATA_DIR"):
        resources.data_root()


def test_every_rule_a_check_or_scenario_cites_is_quoted_in_the_rule_book(profile):
    book = RuleBook.load(profile.rules)
    profile.load_scenarios()
    cited = {rule for check in REGISTRY.values() for rule in check.rules}
    cited |= {rule for scenario in SCENARIOS[PM].values() for rule in scenario.rules}
    cited |= {rule for by_op in book.schema_checks.values() for rules in by_op.values() for rule in rules}
    assert cited - set(book.rules) == set()
    assert book.get("PM-16").quote == '"message": "Invalid EAN format."'


def test_every_operation_names_rules_the_book_knows(spec, profile):
    book = RuleBook.load(profile.rules)
    for op in spec.operations.values():
        assert op.rules and set(op.rules) <= set(book.rules), op.id


def test_the_lifecycle_matches_the_specs_status_enum(spec, profile):
    assert set(spec.enum_of("Status")) == set(profile.lifecycle.vocabulary)
    assert profile.lifecycle.terminal <= profile.lifecycle.vocabulary


def test_nullable_fields_become_json_schema_unions(spec):
    schema = spec.response_schema("getImport", 200)
    assert schema["properties"]["completed_at"]["type"] == ["string", "null"]
    assert spec.schema_errors(schema, {"completed_at": None}) and not any(
        "completed_at" in e for e in spec.schema_errors(schema, {"completed_at": None})
    )


def test_strict_only_schema_checks_come_from_the_profile_and_inferred_parameters(profile, spec):
    strict_only = strict_only_checks(profile, spec)
    assert strict_only["createImport"] == ("positive_data_acceptance", "negative_data_rejection")
    assert "negative_data_rejection" in strict_only["listImportErrors"]  # page/per_page are x-inferred
    assert "getImport" not in strict_only
    config = build_config(
        base_url="http://x.test/pm", token="t", seed=1, max_examples=3, strict_only=strict_only, request_timeout=5
    )
    project = config.projects.get_default()
    assert project.checks.unsupported_method.enabled is False and project.checks.ignored_auth.enabled is True
    strict = build_config(
        base_url="http://x.test/pm", token="t", seed=1, max_examples=3, strict_only={}, request_timeout=5
    )
    assert strict.projects.get_default().checks.unsupported_method.enabled is True


# --- generated catalogs ----------------------------------------------------------------------------------


def test_the_ean_pool_hands_out_unique_in_store_eans_with_valid_check_digits():
    pool = EanPool()
    eans = [pool.fresh() for _ in range(500)]
    assert len(set(eans)) == 500
    assert all(len(e) == 13 and 20 <= int(e[:2]) <= 29 and int(e[12]) == ean13_check_digit(e[:12]) for e in eans)
    wrong = pool.fresh_with_wrong_check_digit()
    assert int(wrong[12]) != ean13_check_digit(wrong[:12])


def test_the_known_real_ean_has_its_check_digit():
    assert ean13_check_digit("400638133393") == 1


def _decode(catalog: catalogs.Catalog) -> list[dict]:
    content = catalog.upload().content
    if catalog.file_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode())))
    if catalog.file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header, *rows = list(sheet.iter_rows(values_only=True))
        return [dict(zip(header, row, strict=True)) for row in rows]
    return json.loads(content)


@settings(max_examples=30, deadline=None)
@given(plans=catalogs.catalog_plans(), file_format=catalogs.st.sampled_from(["csv", "xlsx", "json"]))
def test_a_generated_catalog_holds_exactly_its_rows_and_defects(plans, file_format):
    catalog = catalogs.build(plans, EanPool(), file_format)
    decoded = _decode(catalog)
    assert len(decoded) == len(plans)
    for plan, row, expected in zip(plans, decoded, catalog.expected(), strict=True):
        assert expected.problem == catalogs.KINDS[plan.kind]
        assert (row.get("ean") or None) == expected.ean
        if plan.kind == "missing_title":
            assert not row.get("title")
        if plan.kind == "bad_ean_format":
            assert any(c.isalpha() for c in row["ean"])
    bad_eans = [row.ean for row in catalog.rows if row.kind == "bad_ean_format"]
    assert len(set(bad_eans)) == len(bad_eans)


def test_columns_can_be_renamed_for_the_mapping_scenario():
    columns = {"ean": "EAN", "title": "Titre", "price": "Prix"}
    catalog = catalogs.build([RowPlan("valid", "Stylo", Decimal("1.50"), "")], EanPool(), "csv", columns=columns)
    assert catalog.upload().content.decode().splitlines()[0] == "EAN,Titre,Prix"


# --- scenarios record checks -----------------------------------------------------------------------------


def _scenario_context(spec, profile, *, strict: bool) -> tuple[ScenarioContext, Tally]:
    tally = Tally()
    ctx = ScenarioContext(
        ScenarioSpec(name="probe", api=PM, func=lambda ctx: None, rules=("PM-15",), strict=False),
        target=None,  # type: ignore[arg-type]
        checks=CheckContext(spec=spec, lifecycle=profile.lifecycle, strict=strict),
        tally=tally,
        rulebook=RuleBook.load(profile.rules),
        options=RunOptions(seed=7, max_examples=3, timeout=5, strict=strict),
    )
    ctx.reproduction = lambda: "seed 7"  # type: ignore[method-assign]
    return ctx, tally


def test_verify_counts_passes_failures_and_skips_what_does_not_apply(spec, profile):
    ctx, tally = _scenario_context(spec, profile, strict=False)
    done = {"status": "completed", "total_rows": 2, "processed_rows": 2, "created_rows": 2, "updated_rows": 0,
            "error_rows": 0}  # fmt: skip
    assert ctx.verify(counts.row_counts_add_up, job=done)
    assert not ctx.verify(counts.row_counts_add_up, job={**done, "created_rows": 3})
    assert ctx.verify(counts.row_counts_add_up, job={**done, "status": "pending"})  # does not apply
    assert ctx.verify(counts.existing_rows_refused, job=done, existing=2)  # strict only: skipped
    results = {r.check: r for r in tally.results()}
    assert (results["row_counts_add_up"].passed, results["row_counts_add_up"].failed) == (1, 1)
    assert results["row_counts_add_up"].citations[0].startswith("PM-15 Row-count invariants")
    assert "Received:" in results["row_counts_add_up"].message
    assert results["existing_rows_refused"].status is Outcome.SKIPPED


def test_strict_checks_run_with_strict(spec, profile):
    ctx, tally = _scenario_context(spec, profile, strict=True)
    import httpx

    refused = httpx.Response(400, json={"oops": 1}, request=httpx.Request("POST", "http://x.test/"))
    assert not ctx.verify(requests.error_envelope, response=refused)
    assert tally.results()[0].status is Outcome.FAILED


# --- reports ---------------------------------------------------------------------------------------------


def _report() -> RunReport:
    tally = Tally()
    ok = tally.get(Kind.SCHEMA, "GET /api/v1/imports/{id}", "not_a_server_error", rules=["PM-09"])
    tally.record_pass(ok)
    bad = tally.get(Kind.SCENARIO, "import_catalogs", "row_counts_add_up", rules=["PM-15"])
    tally.record_failure(
        bad, title="Row counts do not add up", message="Received: 1\nExpected: 2", reproduction="seed 7"
    )
    tally.skip(tally.get(Kind.SCENARIO, "empty_file", "(scenario)", strict_only=True), "--strict only")
    return RunReport(api=PM, target="http://x.test/pm", strict=False, seed=7, max_examples=3, results=tally.results())


def test_the_json_report_has_its_documented_shape(tmp_path):
    path = tmp_path / "r.json"
    json_report.write(_report(), path)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and data["verdict"] == "violations"
    assert data["counts"] == {"results": 3, "passed": 1, "failed": 1, "skipped": 1, "assertions_passed": 1,
                              "assertions_failed": 1}  # fmt: skip
    failed = next(r for r in data["results"] if r["status"] == "failed")
    assert set(failed) >= {"id", "kind", "operation", "rules", "status", "message"}
    assert failed["id"] == "scenario:import_catalogs:row_counts_add_up" and failed["reproduction"] == "seed 7"


def test_junit_has_one_testcase_per_result_and_the_failure_message(tmp_path):
    path = tmp_path / "r.xml"
    junit.write(_report(), path)
    suite = ET.parse(path).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 3 and suite.get("failures") == "1" and suite.get("skipped") == "1"
    failure = cases[1].find("failure")
    assert failure.get("message") == "Row counts do not add up" and "Expected: 2" in failure.text


# --- the CLI's usage errors ------------------------------------------------------------------------------


def test_an_unknown_api_exits_2(capsys):
    assert cli.main(["run", "--api", "nope", "--base-url", "http://127.0.0.1:9/nope"]) == 2
    assert "is not a known API" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--api", PM],
        ["run", "--base-url", "http://x.test"],
        ["run", "--api", PM, "--base-url", "http://x.test", "--max-examples", "0"],
        ["run", "--api", PM, "--base-url", "http://x.test", "--timeout", "-1"],
        ["launch"],
    ],
)
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2


def test_a_base_url_that_is_not_http_exits_2(capsys):
    assert cli.main(["run", "--api", PM, "--base-url", "ftp://x.test/pm"]) == 2
    assert "absolute http(s) URL" in capsys.readouterr().err


def _unreachable_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/{PM}"


@pytest.mark.parametrize("option", ["--json", "--junit"])
def test_an_unwritable_report_path_exits_2_before_the_run(capsys, tmp_path, option):
    """2, not 3: the path is checked before the (unreachable) target is probed. A missing directory is created
    (below: the README's `reports/`), one under a file cannot be."""
    (tmp_path / "a-file").write_text("")
    for path in (tmp_path / "a-file" / "r.out", tmp_path):
        assert cli.main(["run", "--api", PM, "--base-url", _unreachable_url(), option, str(path)]) == 2
        err = capsys.readouterr().err
        assert option in err and "unreachable" not in err


def test_the_report_directory_is_created(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "run", lambda config, progress=None: _report())
    path = tmp_path / "reports" / "nested" / "pm.json"
    assert cli.main(["run", "--api", PM, "--base-url", "http://x.test/pm", "--json", str(path)]) in (0, 1)
    assert json.loads(path.read_text())["api"]


def test_a_report_that_cannot_be_written_after_the_run_exits_2(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cli, "run", lambda config, progress=None: _report())

    def refuse(report, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json_report, "write", refuse)
    assert cli.main(["run", "--api", PM, "--base-url", "http://x.test/pm", "--json", str(tmp_path / "r")]) == 2
    assert "could not be written" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://[::1", "http://x.test:port/pm", "http://:80/pm"])
def test_a_malformed_base_url_exits_2(capsys, url):
    assert cli.main(["run", "--api", PM, "--base-url", url]) == 2
    assert "absolute http(s) URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra",
    [
        ["--token", "clé"],
        ["--token", "a\nb"],
        ["--token", ""],
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--timeout", "-inf"],
        ["--timeout", "0"],
    ],
)
def test_a_token_that_is_no_header_value_or_a_timeout_that_is_not_finite_exits_2(extra):
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--api", PM, "--base-url", _unreachable_url(), *extra])
    assert exc.value.code == 2


def _report_with_suite_error(violations: bool) -> RunReport:
    report = _report()
    if not violations:
        report.results = [r for r in report.results if r.status is not Outcome.FAILED]
    report.suite_errors = ["scenario import_catalogs crashed: KeyError: 'x'"]
    return report


@pytest.mark.parametrize(("violations", "code"), [(False, 4), (True, 1)])
def test_a_suite_error_exits_4_unless_a_violation_was_also_found(monkeypatch, capsys, tmp_path, violations, code):
    monkeypatch.setattr(cli, "run", lambda config, progress=None: _report_with_suite_error(violations))
    path = tmp_path / "r.json"
    assert cli.main(["run", "--api", PM, "--base-url", "http://x.test/pm", "--json", str(path)]) == code
    data = json.loads(path.read_text())
    assert data["suite_errors"] == ["scenario import_catalogs crashed: KeyError: 'x'"]
    assert data["verdict"] == ("violations" if violations else "suite_error")
    assert "suite error" in capsys.readouterr().out


def test_junit_reports_suite_errors_as_errors(tmp_path):
    path = tmp_path / "r.xml"
    junit.write(_report_with_suite_error(False), path)
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite.get("errors") == "1" and suite.find("testcase/error") is not None


def test_a_crash_of_the_suites_own_code_is_a_suite_error_not_a_violation(spec, profile):
    import httpx

    ctx, tally = _scenario_context(spec, profile, strict=False)
    ctx.crashed(KeyError("status"))
    assert tally.suite_errors and "KeyError" in tally.suite_errors[0]
    assert not [r for r in tally.results() if r.status is Outcome.FAILED]
    ctx.crashed(httpx.ConnectError("refused"))  # the target going silent is its failure
    assert [r.check for r in tally.results() if r.status is Outcome.FAILED] == ["scenario_completed"]


def test_schemathesis_internal_errors_are_suite_errors_and_network_errors_failures(spec, profile):
    from types import SimpleNamespace

    from schemathesis.engine.errors import RuntimeErrorKind

    from conformance.schema_run import SchemaRun

    tally = Tally()
    run = SchemaRun(spec, RuleBook.load(profile.rules), tally, strict_only={})

    def event(kind):
        info = SimpleNamespace(_kind=kind, format=lambda base_url_is_set: f"error of kind {kind}")
        return SimpleNamespace(label="POST /api/v1/imports", info=info)

    run._error(event(RuntimeErrorKind.SERIALIZATION_NOT_POSSIBLE))
    assert tally.suite_errors and not tally.results()
    run._error(event(RuntimeErrorKind.CONNECTION_OTHER))
    assert [r.status for r in tally.results()] == [Outcome.FAILED]
