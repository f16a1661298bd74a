"""`pim-conformance run --api wizart` as a user runs it, against the fake served live and against variants of
it: the fake conforms (strictly too), each broken variant fails, a different-but-correct vendor passes."""

from __future__ import annotations

import pytest
from _live import fake_servers, passed_checks, run_suite
from broken_variants_wizart import BROKEN, DifferentVendor

pytestmark = [pytest.mark.live, pytest.mark.slow]

WIZART_PREFIX = "/wizart"
FAST = ("--max-examples", "2", "--seed", "20240315")
# Broken variants are judged by the scenarios (the Schemathesis layer adds nothing to what they catch).
SCENARIOS = ("--only", "scenarios")
CAUGHT_BY = {
    "wrong_media_type": {"response_is_jsonapi"},
    "numeric_error_status": {"response_is_jsonapi"},
    "warning_imported_bad_row": {"warning_skipped_exactly_the_bad_rows"},
    "failure_imported_after_fatal": {"failure_kept_only_rows_before_the_fatal_one"},
    "device_token_uploads": {"token_kind_respected"},
}
CONTRACT_CHECKS = {
    "response_is_jsonapi", "status_in_vocabulary", "status_moves_forward", "reaches_terminal_status",
    "terminal_status_is_final", "success_imported_every_row", "warning_skipped_exactly_the_bad_rows",
    "failure_kept_only_rows_before_the_fatal_one", "missing_image_is_not_success",
    "template_mismatch_fails_validation", "token_endpoint_answers_oauth", "bad_credentials_refused",
    "expired_token_refused", "token_kind_respected", "retired_version_announced", "content_type_parameters_415",
    "accept_parameters_406", "unknown_query_parameter_400", "pagination_walks_the_collection",
    "unusable_archive_not_imported",
}
FAKE_CHOICES = {"refused_kind_answers_403", "version_2_0_is_the_retired_one"}


@pytest.fixture
def serve():
    yield from fake_servers(WIZART_PREFIX)


def test_the_fake_conforms_strictly_too(serve, tmp_path):
    """One --strict run: it runs every check a plain run does (and Schemathesis's, which a plain run switches off
    on inferred operations), so the fake conforms both ways."""
    run = run_suite(serve(), "--strict", *FAST, tmp_path=tmp_path, api="wizart")
    assert run.exit_code == 0, run.explain()
    assert {r["kind"] for r in run.report["results"] if r["status"] == "passed"} == {"schema", "scenario"}
    wanted = CONTRACT_CHECKS | FAKE_CHOICES | {"nul_row_is_fatal", "missing_image_rows_skipped"}
    assert wanted <= passed_checks(run), sorted(wanted - passed_checks(run))
    assert {"status_code_conformance", "response_schema_conformance", "not_a_server_error",
            "jsonapi_document"} <= passed_checks(run)


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    run = run_suite(serve(BROKEN[variant]()), *SCENARIOS, *FAST, tmp_path=tmp_path, api="wizart")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[variant], f"caught by {sorted(run.failed_checks())}\n{run.explain()}"


def test_a_different_but_correct_vendor_passes_without_strict(serve, tmp_path):
    base = serve(DifferentVendor())
    # one example per operation is enough for Schemathesis to meet every difference (201, 401, headers)
    run = run_suite(base, "--max-examples", "1", "--seed", "20240315", tmp_path=tmp_path, api="wizart")
    assert run.exit_code == 0, run.explain()
    strict = run_suite(base, "--strict", *SCENARIOS, *FAST, tmp_path=tmp_path, api="wizart")
    assert strict.exit_code == 1, strict.explain()
    assert FAKE_CHOICES <= strict.failed_checks(), sorted(FAKE_CHOICES - strict.failed_checks())


def test_schemathesis_alone_catches_a_numeric_error_status(serve, tmp_path):
    """The suite's own Schemathesis check judges every JSON:API answer by the official schema."""
    from broken_variants_wizart import NumericErrorStatus

    run = run_suite(serve(NumericErrorStatus()), "--only", "schema", "--max-examples", "1", "--seed", "1",
                    tmp_path=tmp_path, api="wizart")
    assert run.exit_code == 1, run.explain()
    assert "jsonapi_document" in run.failed_checks(), sorted(run.failed_checks())
