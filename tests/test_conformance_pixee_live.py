"""`pim-conformance run --api pixee` as a user runs it, against the fake served live and against variants of
it: the fake conforms (strictly too), each broken variant fails, a different-but-correct vendor passes."""

from __future__ import annotations

import pytest
from _live import PIXEE_PREFIX, fake_servers, passed_checks, run_suite
from broken_variants_pixee import BROKEN, DifferentVendor

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "2", "--seed", "20240315")
# The checks that must catch each broken variant (at least one of them fails).
CAUGHT_BY = {
    "pause_ignored": {"pause_freezes_progress"},
    "cancelled_resumes": {"cancelled_stays_cancelled"},
    "has_next_wrong": {"log_meta_consistent", "log_paging_complete"},
    "dry_run_persisted": {"dry_run_persisted_nothing"},
    "missed_schedule": {"due_automation_ran"},
}
# What the fake's conformance must have shown, not merely not contradicted.
CONTRACT_CHECKS = {
    "job_matches_schema",
    "status_moves_forward",
    "counts_match_file",
    "bad_eans_logged_with_seed_message",
    "error_logs_one_per_failed_row",
    "pause_freezes_progress",
    "resume_continues",
    "cancelled_stays_cancelled",
    "finished_job_left_alone",
    "dry_run_rests_at_ready",
    "dry_run_persisted_nothing",
    "log_meta_consistent",
    "log_paging_complete",
    "log_level_filter",
    "log_default_paging",
    "log_limit_within_200",
    "preview_size",
    "preview_agrees_with_file",
    "preview_flags_bad_rows",
    "automation_created",
    "invalid_cron_refused",
    "due_automation_ran",
    "auth_required",
    "unknown_job_not_found",
    "unusable_file_not_imported",
}
# The fake's own choices a different vendor need not share: each must fail it under --strict.
FAKE_CHOICES = {
    "create_answers_202",
    "create_says_analyzing",
    "error_envelope",
    "paused_status_reported",
    "control_answer_is_the_fakes",
    "automation_readable",
    "automation_answers_201",
    "log_lines_are_the_fakes",
}


@pytest.fixture
def serve():
    """serve(rewrite=None) -> the pixee base URL of a fresh fake, maybe wrapped; all stopped after."""
    yield from fake_servers(PIXEE_PREFIX)


def test_the_fake_conforms_to_the_contract_and_to_its_own_choices(serve, tmp_path):
    """One --strict run (every check a plain run makes, and the fake's own choices); the plain run of the fake
    is tests/test_qa_live.py's `--api all` (score 100 on every API)."""
    run = run_suite(serve(), "--strict", *FAST, tmp_path=tmp_path, api="pixee")
    assert run.exit_code == 0, run.explain()
    assert run.report["api"] == "pixee" and run.report["verdict"] == "conforms"
    assert {r["kind"] for r in run.report["results"] if r["status"] == "passed"} == {"schema", "scenario"}
    assert CONTRACT_CHECKS <= passed_checks(run), sorted(CONTRACT_CHECKS - passed_checks(run))
    assert "CONFORMS" in run.stdout
    strict_passed = passed_checks(run, strict_only=True)
    more = {"confirmed_dry_run_imports", "cancel_kept_imported_rows", "control_conflict"}
    assert FAKE_CHOICES | more <= strict_passed, sorted(FAKE_CHOICES | more - strict_passed)
    assert {"status_code_conformance", "negative_data_rejection"} <= passed_checks(run)  # Schemathesis, strict-only


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    run = run_suite(serve(BROKEN[variant]()), *FAST, tmp_path=tmp_path, api="pixee")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[variant], f"caught by {sorted(run.failed_checks())}\n{run.explain()}"
    assert "VIOLATIONS" in run.stdout


def test_a_different_but_correct_vendor_passes_without_strict(serve, tmp_path):
    base = serve(DifferentVendor())
    run = run_suite(base, *FAST, tmp_path=tmp_path, api="pixee")
    assert run.exit_code == 0, run.explain()
    # no GET /imports/automations/{id}: that an automation ran cannot be seen, so it is not judged
    assert "automation_created" in passed_checks(run) and "due_automation_ran" not in passed_checks(run)

    strict = run_suite(base, "--strict", "--only", "scenarios", *FAST, tmp_path=tmp_path, api="pixee")
    assert strict.exit_code == 1, strict.explain()
    assert FAKE_CHOICES <= strict.failed_checks(), sorted(FAKE_CHOICES - strict.failed_checks())


def test_a_crash_of_the_suites_own_code_exits_4_not_1(serve, tmp_path, monkeypatch):
    """Pixee shares the runner: a bug in one of its scenarios is a suite error (exit 4), never a violation."""
    import json

    from conformance import cli
    from conformance.scenarios.pixee import flow

    def broken(ctx):
        raise AttributeError("a bug in the suite")

    monkeypatch.setattr(flow, "pixee_api", broken)
    report = tmp_path / "r.json"
    argv = ["run", "--api", "pixee", "--base-url", serve(), "--only", "scenarios", "--json", str(report), *FAST]
    assert cli.main(argv) == 4
    data = json.loads(report.read_text())
    assert data["verdict"] == "suite_error" and data["counts"]["failed"] == 0
    assert any("AttributeError" in error for error in data["suite_errors"])
