"""The suite's QA and CI parts on hand-built input: masked curl reproducers, the score and its weights, the
targets file, coverage matching, the exit code of a gated run."""

from __future__ import annotations

import httpx
import pytest

from conformance import curl, targets
from conformance.cli import _exit_code
from conformance.coverage import Coverage
from conformance.errors import UsageError
from conformance.parallel import Outcome
from conformance.results import CaseResult, Kind, RunReport
from conformance.runner import RunConfig
from conformance.score import overall_score, run_score, violations
from conformance.spec import SpecIndex

SECRET = "pm_live_very_secret_0001"


def test_curl_masks_every_credential_header_and_secret_field():
    request = httpx.Request(
        "POST",
        "https://staging.example.com/pixee/api/v1/x?q=1",
        headers={"Authorization": f"Bearer {SECRET}", "ApiKey": SECRET, "Content-Type": "application/json"},
        content=b'{"client_secret": "s3cr3t-value", "name": "a b"}',
    )
    command = curl.from_httpx(request, [SECRET])
    assert SECRET not in command and "s3cr3t-value" not in command
    assert command.startswith("curl -sS -X POST 'https://staging.example.com/pixee/api/v1/x?q=1'")
    assert '-H "authorization: Bearer $TOKEN"' in command and '-H "apikey: $TOKEN"' in command
    assert "-H 'content-type: application/json'" in command and '"name": "a b"' in command


def test_a_schemathesis_code_sample_is_masked():
    sample = f"curl -X GET -H 'Authorization: Bearer {SECRET}' -H 'X-Other: 1' http://h/api"
    masked = curl.mask(sample)
    assert SECRET not in masked and "Authorization: Bearer $TOKEN" in masked and "X-Other: 1" in masked


def _report(*results: CaseResult, api: str = "pixee") -> RunReport:
    return RunReport(api=api, target="http://h/" + api, strict=False, seed=1, max_examples=1, results=list(results))


def _result(kind: Kind, passed: int, failed: int, op: str = "GET /a", check: str = "c") -> CaseResult:
    return CaseResult(kind=kind, check=check, operation=op, passed=passed, failed=failed)


def test_the_score_weighs_both_layers_half_and_leaves_skipped_checks_out():
    schema = [_result(Kind.SCHEMA, 3, 0, check=f"s{i}") for i in range(9)] + [_result(Kind.SCHEMA, 0, 1, check="x")]
    scenario = [_result(Kind.SCENARIO, 1, 0, "flow", "a"), _result(Kind.SCENARIO, 0, 2, "flow", "b")]
    skipped = CaseResult(kind=Kind.SCENARIO, check="strict_one", operation="flow", skip_reason="--strict only")
    report = _report(*schema, *scenario, skipped)
    # schema 9/10 = 90 %, scenarios 1/2 = 50 %: half each
    assert run_score(report) == 70.0
    assert run_score(_report(*schema)) == 90.0  # one layer ran: it is the whole score
    assert run_score(_report(skipped)) is None
    # the overall score is the mean of the APIs', each counting once
    assert overall_score([report, _report(_result(Kind.SCHEMA, 5, 0), api="pims")]) == 85.0


def test_a_violation_names_the_operation_its_request_went_to():
    failed = _result(Kind.SCENARIO, 0, 1, "import_catalogs", "job_matches_schema")
    failed.failed_operation, failed.curl = "GET /api/v1/imports/{id}", "curl -sS -X GET 'http://h/x'"
    failed.expected, failed.received, failed.citations = "error_rows", "no error_rows", ["PM-11 …"]
    (violation,) = violations(_report(failed, api="productsmanager"))
    assert violation["operation"] == "GET /api/v1/imports/{id}" and violation["scenario"] == "import_catalogs"
    assert violation["curl"].startswith("curl ") and violation["citations"] == ["PM-11 …"]


def test_fail_under_gates_on_the_score_not_on_any_violation():
    report = _report(*[_result(Kind.SCHEMA, 5, 0, check=f"a{i}") for i in range(9)], _result(Kind.SCHEMA, 0, 1))  # 90 %
    outcome = [Outcome(RunConfig(api="pixee", base_url="http://h"), report=report)]
    assert _exit_code(outcome, None) == (1, "violations")
    assert _exit_code(outcome, 85.0) == (0, "conforms")
    assert _exit_code(outcome, 95.0) == (1, "below_threshold")
    unreachable = Outcome(RunConfig(api="pims", base_url="http://h"), exit_code=3, error="refused")
    assert _exit_code([*outcome, unreachable], 85.0) == (3, "incomplete")


SPEC = {
    "openapi": "3.0.3",
    "x-messages": {"requests": {"missing": "Import {id} not found.", "bad": "The file is empty."}},
    "paths": {
        "/api/v1/imports/{id}": {"get": {"operationId": "get", "responses": {"200": {}, "404": {}}}},
        "/api/v1/imports/export": {"get": {"operationId": "export", "responses": {"200": {}}}},
    },
}


def test_coverage_matches_urls_to_operations_and_finds_documented_messages():
    coverage = Coverage.for_spec(SpecIndex(SPEC), "http://h/productsmanager")
    coverage.observe("GET", "http://h/productsmanager/api/v1/imports/export", 200, b"[]")
    coverage.observe("GET", "http://h/productsmanager/api/v1/imports/imp_1?x=1", 404,
                     b'{"message": "Import imp_1 not found."}')
    coverage.observe("DELETE", "http://h/productsmanager/api/v1/imports/imp_1", 405, b"")
    data = coverage.as_dict()
    by_op = {o["operation"]: o for o in data["by_operation"]}
    assert by_op["GET /api/v1/imports/export"]["statuses_seen"] == [200]
    assert by_op["GET /api/v1/imports/{id}"]["statuses_seen"] == [404]
    assert by_op["GET /api/v1/imports/{id}"]["statuses_not_seen"] == [200]
    assert data["operations"] == {"documented": 2, "exercised": 2} and data["unmatched_requests"] == 1
    assert data["messages"]["exercised_keys"] == ["requests.missing"]
    assert data["messages"]["not_exercised"] == ["requests.bad"]


def _write(tmp_path, text: str):
    path = tmp_path / "targets.toml"
    path.write_text(text)
    return path


BASE = RunConfig(api="all", base_url="", seed=3, max_examples=4)


def test_targets_take_their_secrets_from_the_environment(tmp_path, monkeypatch):
    path = _write(tmp_path, """
[defaults]
max_examples = 2
[[target]]
name = "pixee-staging"
api = "pixee"
base_url = "https://staging.example.com/pixee"
token_env = "QA_PIXEE_TOKEN"
[[target]]
api = "pims"
base_url = "http://127.0.0.1:8080/pims"
only = "scenarios"
scenarios = ["seed_error_messages"]
""")
    monkeypatch.setenv("QA_PIXEE_TOKEN", "tok_from_env_1")
    staging, pims = targets.from_file(path, BASE)
    assert (staging.label, staging.token, staging.max_examples) == ("pixee-staging", "tok_from_env_1", 2)
    assert staging.seed == 3
    assert (pims.label, pims.token, pims.layers, pims.scenarios) == (
        "pims", None, ("scenarios",), frozenset({"seed_error_messages"})
    )
    assert [c.label for c in targets.from_file(path, BASE, "pims")] == ["pims"]
    monkeypatch.delenv("QA_PIXEE_TOKEN")
    with pytest.raises(UsageError, match="QA_PIXEE_TOKEN"):
        targets.from_file(path, BASE)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[target]]\napi = "pixee"\nbase_url = "http://h"\ntoken = "literal"', "given literally"),
        ('[[target]]\napi = "nope"\nbase_url = "http://h"', "not a known API"),
        ('[[target]]\napi = "pixee"', "base_url is required"),
        ('[[target]]\napi = "pixee"\nbase_url = "http://h"\nworkers = 2', "unknown key"),
        ('[[target]]\napi = "pixee"\nbase_url = "http://a"\n[[target]]\napi = "pixee"\nbase_url = "http://b"',
         "unique"),
        ("[[target]\n", "not valid TOML"),
    ],
)
def test_a_bad_targets_file_is_a_usage_error(tmp_path, body, message):
    with pytest.raises(UsageError, match=message):
        targets.from_file(_write(tmp_path, body), BASE)


def test_all_on_one_fake_appends_each_prefix():
    configs = targets.all_on_one_fake("http://127.0.0.1:8080/", BASE)
    five = ("productsmanager", "pixee", "pims", "jasper", "wizart")  # the vendor APIs, admin left out
    assert [c.base_url for c in configs] == [f"http://127.0.0.1:8080/{n}" for n in five]
    assert all(c.seed == 3 and c.label == c.api for c in configs)
