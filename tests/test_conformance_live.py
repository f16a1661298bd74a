"""The suite run as a user runs it (`python -m conformance run …`) against the fake served live, and against
variants of the fake: broken ones must fail it, a different-but-correct vendor must pass it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from _live import PM_PREFIX, fake_servers, free_port, run_suite
from broken_variants import BROKEN, DifferentVendor

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "3", "--seed", "20240315")
# The checks that must catch each broken variant (at least one of them fails).
CAUGHT_BY = {
    "missing_field": {"job_matches_schema", "response_schema_conformance"},
    "wrong_status_name": {"status_in_vocabulary"},
    "miscounted_rows": {"row_counts_add_up", "counts_match_file"},
    "error_row_left_out": {"error_rows_listed", "errors_paging_complete"},
    "auth_not_enforced": {"auth_required", "ignored_auth"},
    "server_error_on_bad_input": {"not_a_server_error", "missing_file_rejected"},
}


@pytest.fixture
def serve():
    """serve(rewrite=None) -> the productsmanager base URL of a fresh fake, maybe wrapped; all stopped after."""
    yield from fake_servers(PM_PREFIX)


def test_the_fake_conforms_and_reports_are_written(serve, tmp_path):
    junit = tmp_path / "report.xml"
    run = run_suite(serve(), "--seed", "7", "--junit", str(junit), tmp_path=tmp_path)
    assert run.exit_code == 0, run.explain()
    report = run.report
    assert report["verdict"] == "conforms" and report["counts"]["failed"] == 0
    kinds = {r["kind"] for r in report["results"] if r["status"] == "passed"}
    assert kinds == {"schema", "scenario"}
    scenarios = {r["operation"] for r in report["results"] if r["kind"] == "scenario" and r["status"] == "passed"}
    assert {"import_catalogs", "errors_paging", "update_by_ean", "column_mapping", "authentication"} <= scenarios
    suite = ET.parse(junit).getroot().find("testsuite")
    assert int(suite.get("tests")) == len(report["results"]) and suite.get("failures") == "0"
    assert "CONFORMS" in run.stdout


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    run = run_suite(serve(BROKEN[variant]()), *FAST, tmp_path=tmp_path)
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[variant], f"caught by {sorted(run.failed_checks())}\n{run.explain()}"
    assert "VIOLATIONS" in run.stdout


def test_a_different_but_correct_vendor_passes_without_strict(serve, tmp_path):
    base = serve(DifferentVendor())
    run = run_suite(base, *FAST, tmp_path=tmp_path)
    assert run.exit_code == 0, run.explain()

    passed = {r["check"] for r in run.report["results"] if r["status"] == "passed"}
    # its choices were seen and judged, not skipped: skipped rows, a late refusal, no pending, JSON rows from 0
    assert {"skipped_rows_within_total", "malformed_mapping_rejected", "create_response_documented"} <= passed
    assert {"error_rows_listed", "create_body_matches_schema"} <= passed

    strict = run_suite(base, "--strict", "--only", "scenarios", *FAST, tmp_path=tmp_path)
    assert strict.exit_code == 1, strict.explain()
    assert {
        "create_answers_202",
        "error_envelope",
        "rows_numbered_like_the_sheet",
        "create_response_pending",
        "existing_rows_refused",
        "bad_input_refused_at_upload",
    } <= strict.failed_checks()


def test_a_crash_of_the_suites_own_code_exits_4_not_1(serve, tmp_path, monkeypatch, capsys):
    """A bug in a scenario is the suite's error, never the target's violation."""
    from conformance import cli
    from conformance.scenarios.productsmanager import flow

    def broken(ctx):
        raise KeyError("a bug in the suite")

    monkeypatch.setattr(flow, "imports_api", broken)
    report = tmp_path / "r.json"
    argv = ["run", "--api", "productsmanager", "--base-url", serve(), "--only", "scenarios", "--json", str(report)]
    assert cli.main([*argv, "--scenario", "unknown_import", *FAST]) == 4
    data = json.loads(report.read_text())
    assert data["verdict"] == "suite_error" and "KeyError" in data["suite_errors"][0]
    assert data["counts"]["failed"] == 0


def test_an_unreachable_target_exits_3(tmp_path):
    run = run_suite(f"http://127.0.0.1:{free_port()}{PM_PREFIX}", *FAST, tmp_path=tmp_path)
    assert run.exit_code == 3, run.explain()
    assert "unreachable" in run.stderr


def test_the_fake_conforms_strictly_in_both_layers(serve, tmp_path):
    """Its own choices included (one --strict run of both layers: a superset of the scenarios-only one)."""
    run = run_suite(serve(), "--strict", "--seed", "1", tmp_path=tmp_path)
    assert run.exit_code == 0, run.explain()
    strict_passed = {r["check"] for r in run.report["results"] if r["strict_only"] and r["status"] == "passed"}
    assert {
        "create_answers_202",
        "error_envelope",
        "rows_numbered_like_the_sheet",
        "row_messages_from_catalog",
    } <= strict_passed
