"""Unit tests of Wizart's pure parts, in the fake (negotiation, archive names, templates, numbers) and in the
suite (the JSON:API, version, pagination and row-semantics checks on hand-built observations, the profile)."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from conformance import apis
from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.wizart import imports as import_checks
from conformance.checks.wizart import protocol
from conformance.observations import JobTrace
from conformance.resources import load_spec
from conformance.rules import RuleBook
from conformance.scenarios import SCENARIOS
from conformance.spec import SpecIndex
from mock_server.imports.rows import parse_number as number
from mock_server.vendors.wizart.analysis import template_problem
from mock_server.vendors.wizart.archive import unsafe_name
from mock_server.vendors.wizart.negotiation import accept_problem, content_type_problem

JA = "application/vnd.api+json"


@pytest.mark.parametrize(("value", "problem"), [
    (JA, None), (f"{JA}; charset=utf-8", "jsonapi_content_type_params"), (f'{JA}; profile="p"', None),
    (f'{JA}; ext="https://e"', "unsupported_extension"), ("multipart/form-data; boundary=x", None)])
def test_content_type_rule(value, problem):
    assert content_type_problem(value) == problem


@pytest.mark.parametrize(("value", "problem"), [
    (JA, None), (f"{JA}; charset=utf-8", "jsonapi_accept_params"), (f"{JA}; q=0.5", None),
    (f"{JA}; charset=utf-8, {JA}; profile=x", None), ("text/html, */*", None),
    (f'{JA}; ext="x"', "unsupported_extension")])
def test_accept_rule(value, problem):
    assert accept_problem(value) == problem


@pytest.mark.parametrize(("name", "unsafe"), [("a.jpg", False), ("img/a.jpg", False), ("../a", True),
                                              ("a/../../b", True), ("/etc/x", True), ("a\\b", True),
                                              ("C:x", True), ("a\x00b", True), ("", True), ("..a.jpg", False)])
def test_unsafe_member_names(name, unsafe):
    assert unsafe_name(name) is unsafe


def test_template_structure():
    template = {"name": "wall", "columns": [{"name": "sku", "required": True}, {"name": "note", "required": False}]}
    assert template_problem(["sku", "note"], template) is None
    assert template_problem(["note"], template)[0] == "missing_columns"
    assert template_problem(["note", "sku"], template)[0] == "structure_changed"
    assert template_problem(["sku", "note", "extra"], template)[0] == "structure_changed"


@pytest.mark.parametrize(("text", "value"), [("53", 53), ("42.50", 42.5), ("-1", -1), ("1e3", None), ("", None),
                                             ("٣", None), ("nan", None)])
def test_numbers(text, value):
    assert number(text) == value


# --- the suite ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ctx():
    profile = apis.get_profile("wizart")
    return CheckContext(spec=SpecIndex(load_spec("wizart")), lifecycle=profile.lifecycle, strict=False)


def response(status: int, body: bytes, content_type: str = JA, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": content_type, **(headers or {})},
                          request=httpx.Request("GET", "http://t/wizart/api/v2.1/imports"))


def test_response_is_jsonapi_judges_media_type_schema_and_status(ctx):
    good = b'{"jsonapi":{"version":"1.1"},"errors":[{"status":"404","title":"Not Found"}]}'
    assert protocol.response_is_jsonapi(ctx, response=response(404, good))
    for bad in (response(404, good, f"{JA}; charset=utf-8"), response(404, b'{"errors":[{"status":404}]}'),
                response(400, good), response(200, b"{}"), response(200, b"not json")):
        with pytest.raises(CheckFailure):
            protocol.response_is_jsonapi(ctx, response=bad)
    # Plain JSON: the seed says "based on JSON format", JSON:API's media type is its goal (X-95, QA-D20); the
    # fake's own JSON:API media type is held only with --strict.
    plain = response(404, good, "application/json")
    assert protocol.response_is_jsonapi(ctx, response=plain)
    with pytest.raises(CheckFailure):
        protocol.response_is_jsonapi(replace(ctx, strict=True), response=plain)


def test_retired_version_is_either_one_but_must_say_2023(ctx):
    notice = {"deprecation": "@1649894400", "sunset": "Sun, 01 Jan 2023 00:00:00 GMT"}
    plain, retired = response(200, b"{}"), response(200, b"{}", headers=notice)
    assert protocol.retired_version_announced(ctx, responses={"2.0": retired, "2.1": plain})
    assert protocol.retired_version_announced(ctx, responses={"2.0": plain, "2.1": retired})
    wrong = response(200, b"{}", headers={**notice, "sunset": "Mon, 01 Jan 2024 00:00:00 GMT"})
    for responses in ({"2.0": plain, "2.1": plain}, {"2.0": wrong, "2.1": plain}):
        with pytest.raises(CheckFailure):
            protocol.retired_version_announced(ctx, responses=responses)


def trace(*statuses: str) -> JobTrace:
    return JobTrace(job_id="i", snapshots=[{"status": s} for s in statuses])


def test_failure_semantics(ctx):
    rows = [f"r{n}" for n in range(6)]
    failed = trace("importing_data", "failure")
    check = import_checks.failure_kept_only_rows_before_the_fatal_one
    assert check(ctx, trace=failed, rows=rows, fatal=3, bad={"r1"}, imported={"r0", "r2"})
    with pytest.raises(CheckFailure):  # a row after the fatal one
        check(ctx, trace=failed, rows=rows, fatal=3, bad=set(), imported={"r0", "r1", "r2", "r4"})
    with pytest.raises(CheckFailure):  # a good row before it lost while importing
        check(ctx, trace=failed, rows=rows, fatal=3, bad=set(), imported={"r0", "r2"})
    assert check(ctx, trace=trace("validating_csv", "failure"), rows=rows, fatal=3, bad=set(), imported=set())
    assert check(ctx, trace=trace("success"), rows=rows, fatal=3, bad=set(), imported=set(rows)) is None


def test_warning_semantics(ctx):
    rows = ["a", "b", "c"]
    check = import_checks.warning_skipped_exactly_the_bad_rows
    assert check(ctx, trace=trace("warning"), rows=rows, bad={"b"}, imported={"a", "c"})
    for final, imported in (("warning", {"a", "b", "c"}), ("success", {"a", "c"}), ("warning", {"a"})):
        with pytest.raises(CheckFailure):
            check(ctx, trace=trace(final), rows=rows, bad={"b"}, imported=imported)


def test_pagination_check(ctx):
    check = protocol.pagination_walks_the_collection
    pages = [{"prev": None, "next": "/p2"}, {"prev": "/p1", "next": None}]
    assert check(ctx, walked=["a", "b", "c"], links=pages, created={"a", "c"}, size=2)
    with pytest.raises(CheckFailure):
        check(ctx, walked=["a", "b", "b"], links=pages, created=set(), size=2)
    with pytest.raises(CheckFailure):
        check(ctx, walked=["a", "b"], links=pages, created={"z"}, size=2)


def test_profile_rules_and_scenarios_agree():
    profile = apis.get_profile("wizart")
    assert profile.oauth_path == "/oauth/token" and profile.schema_per_token_kind
    assert profile.client_credentials() == ("wizart_test_client", "wizart_test_secret_0001")
    assert set(profile.account_tokens()) == {"web", "android", "ios", "direct"}
    profile.load_scenarios()
    book = RuleBook.load("wizart")
    cited = {rule for spec in SCENARIOS["wizart"].values() for rule in spec.rules}
    assert cited <= set(book.rules)
    assert {f"WZ-{n:02d}" for n in range(1, 21)} <= cited, "every Wizart rule is probed by some scenario"
    spec = SpecIndex(load_spec("wizart"))
    assert all(op.raw.get("x-inferred") and "x-token-types" in op.raw for op in spec.operations.values())
    assert set(spec.enum_of("Status")) == profile.lifecycle.vocabulary


def test_the_schemathesis_jsonapi_check_reads_the_official_schema():
    from conformance import jsonapi_check

    assert jsonapi_check.problems(b'{"errors":[{"status":"400"}]}') == []
    assert jsonapi_check.problems(b'{"errors":[{"status":400}]}')
    assert jsonapi_check.problems(b'{"data":{"type":"x","id":"1","links":{"log":"/l"}}}')
    assert jsonapi_check.problems(b"<html>") == ["the body is not JSON"]
