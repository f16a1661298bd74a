"""Unit tests of the conformance checks on hand-built observations: a check that should fail does, one that
should pass does, and a check that does not apply says so (None)."""

from __future__ import annotations

import httpx
import pytest

from conformance.apis import get_profile
from conformance.checks import CheckContext, counts, lifecycle, listing, requests
from conformance.checks.failures import (
    AuthNotEnforced,
    BadRequestAccepted,
    CheckFailure,
    CompletedAtMisplaced,
    CreateRejected,
    CreateResponseMismatch,
    ErrorEnvelopeMismatch,
    ErrorRowsMismatch,
    ErrorStatusMismatch,
    ErrorTotalMismatch,
    ExistingNotUpdated,
    ImportIdUnprefixed,
    JobShapeMismatch,
    NoTerminalStatus,
    PagingBroken,
    RowCountsDisagree,
    RowMessageMismatch,
    StatusWentBack,
    TerminalStatusChanged,
    UnexpectedCounts,
    UnknownStatus,
    UnusableFileImported,
    UpdatedDespiteFlag,
)
from conformance.observations import ErrorListing, ErrorPage, ExpectedCounts, ExpectedRow, JobTrace
from conformance.resources import load_spec
from conformance.spec import SpecIndex

URL = "http://vendor.test/api/v1/imports"


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    profile = get_profile("productsmanager")
    return CheckContext(spec=SpecIndex(load_spec(profile.spec)), lifecycle=profile.lifecycle, strict=True)


def job(**overrides) -> dict:
    base = {
        "id": "imp_01HQ3ZK7Y8C2W5M4N6P9R0S1T2",
        "status": "completed_with_errors",
        "total_rows": 1250,
        "processed_rows": 1250,
        "created_rows": 980,
        "updated_rows": 265,
        "error_rows": 5,
        "created_at": "2024-03-15T09:00:00Z",
        "completed_at": "2024-03-15T09:02:34Z",
    }
    return {**base, **overrides}


def pending(**overrides) -> dict:
    zero = dict.fromkeys(("total_rows", "processed_rows", "created_rows", "updated_rows", "error_rows"), 0)
    return job(**{"status": "pending", "completed_at": None, **zero, **overrides})


def trace(*snapshots: dict, timed_out: bool = False) -> JobTrace:
    return JobTrace(job_id="imp_1", snapshots=list(snapshots), timed_out=timed_out, waited="3 waits")


def response(status: int, body=None, method: str = "GET") -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request(method, URL))


def page(entries: list[dict], total: int | None = None, requested: dict | None = None, per_page: int = 20) -> ErrorPage:
    meta = {
        "page": (requested or {}).get("page", 1),
        "per_page": per_page,
        "total": len(entries) if total is None else total,
    }
    return ErrorPage(requested=requested or {}, status=200, body={"data": entries, "meta": meta})


def entry(row: int, ean: str = "2000000000008", message: str = "Invalid EAN format.") -> dict:
    return {"row": row, "ean": ean, "error": "validation_error", "message": message}


def check(func, ctx, **observed):
    return func.check_spec.func(ctx, **observed)


# --- lifecycle -------------------------------------------------------------------------------------------


def test_the_seeds_own_example_job_matches_the_schema(ctx):
    assert check(lifecycle.job_matches_schema, ctx, job=job(), operation="getImport") is True


def test_a_job_without_error_rows_does_not_match_the_schema(ctx):
    broken = job()
    del broken["error_rows"]
    with pytest.raises(JobShapeMismatch, match="error_rows"):
        check(lifecycle.job_matches_schema, ctx, job=broken, operation="getImport")


def test_status_vocabulary_is_closed(ctx):
    assert check(lifecycle.status_in_vocabulary, ctx, trace=trace(pending(), job())) is True
    with pytest.raises(UnknownStatus, match="'done'"):
        check(lifecycle.status_in_vocabulary, ctx, trace=trace(pending(), job(status="done")))


def test_status_moves_forward_only(ctx):
    forward = trace(pending(), job(status="processing", completed_at=None), job())
    assert check(lifecycle.status_moves_forward, ctx, trace=forward) is True
    with pytest.raises(StatusWentBack):
        check(lifecycle.status_moves_forward, ctx, trace=trace(job(status="processing", completed_at=None), pending()))


def test_a_terminal_job_never_changes(ctx):
    assert check(lifecycle.terminal_status_is_final, ctx, trace=trace(pending(), job(), job())) is True
    assert check(lifecycle.terminal_status_is_final, ctx, trace=trace(pending(), job())) is None  # read once only
    with pytest.raises(TerminalStatusChanged):
        check(lifecycle.terminal_status_is_final, ctx, trace=trace(job(status="completed", error_rows=0), job()))


def test_reaching_a_terminal_status(ctx):
    assert check(lifecycle.reaches_terminal_status, ctx, trace=trace(pending(), job())) is True
    with pytest.raises(NoTerminalStatus):
        check(lifecycle.reaches_terminal_status, ctx, trace=trace(pending(), timed_out=True))


def test_completed_at_only_when_terminal(ctx):
    assert check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(pending(), job())) is True
    with pytest.raises(CompletedAtMisplaced):
        check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(pending(completed_at="2024-03-15T09:00:01Z")))
    with pytest.raises(CompletedAtMisplaced):
        check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(job(completed_at=None)))


def test_completed_with_errors_iff_error_rows(ctx):
    assert check(lifecycle.error_status_matches_error_rows, ctx, job=job()) is True
    assert check(lifecycle.error_status_matches_error_rows, ctx, job=pending()) is None
    with pytest.raises(ErrorStatusMismatch):  # the seed's own contradictory example
        check(lifecycle.error_status_matches_error_rows, ctx, job=job(status="completed"))
    with pytest.raises(ErrorStatusMismatch):
        check(lifecycle.error_status_matches_error_rows, ctx, job=job(error_rows=0, created_rows=985))


def test_an_unusable_file_is_refused_or_fails(ctx):
    assert check(lifecycle.unusable_file_not_imported, ctx, created=400, trace=None) is True
    assert check(lifecycle.unusable_file_not_imported, ctx, created=202, trace=trace(job(status="failed"))) is True
    with pytest.raises(UnusableFileImported):
        check(
            lifecycle.unusable_file_not_imported, ctx, created=202, trace=trace(job(status="completed", error_rows=0))
        )


# --- counts ----------------------------------------------------------------------------------------------


def test_row_counts_add_up(ctx):
    assert check(counts.row_counts_add_up, ctx, job=job()) is True
    assert check(counts.row_counts_add_up, ctx, job=pending(total_rows=9)) is None  # not finished yet
    with pytest.raises(RowCountsDisagree):
        check(counts.row_counts_add_up, ctx, job=job(created_rows=981))
    with pytest.raises(RowCountsDisagree, match="integer"):
        check(counts.row_counts_add_up, ctx, job=job(error_rows=None))


def test_counts_match_the_file(ctx):
    expected = ExpectedCounts(total=1250, created=980, updated=265, errors=5)
    assert check(counts.counts_match_file, ctx, job=job(), expected=expected) is True
    with pytest.raises(UnexpectedCounts):
        check(counts.counts_match_file, ctx, job=job(), expected=ExpectedCounts(1250, 979, 265, 6))


def test_update_by_ean(ctx):
    updated = job(status="completed", total_rows=3, processed_rows=3, created_rows=0, updated_rows=3, error_rows=0)
    assert check(counts.existing_products_updated, ctx, job=updated, existing=3) is True
    with pytest.raises(ExistingNotUpdated):
        check(counts.existing_products_updated, ctx, job={**updated, "created_rows": 3, "updated_rows": 0}, existing=3)
    skipped = {**updated, "updated_rows": 0, "error_rows": 3, "status": "completed_with_errors"}
    assert check(counts.no_updates_when_disabled, ctx, job=skipped) is True
    with pytest.raises(UpdatedDespiteFlag):
        check(counts.no_updates_when_disabled, ctx, job=updated)


def test_rows_skipped_with_update_existing_false_may_be_counted_nowhere(ctx):
    """A vendor that skips the existing product's row silently: created 0, updated 0, error 0 of total 1."""
    skipped = job(status="completed", total_rows=1, processed_rows=1, created_rows=0, updated_rows=0, error_rows=0)
    assert check(counts.skipped_rows_within_total, ctx, job=skipped) is True
    refused = {**skipped, "error_rows": 1, "status": "completed_with_errors"}  # the fake's way
    assert check(counts.skipped_rows_within_total, ctx, job=refused) is True
    assert check(counts.existing_rows_refused, ctx, job=refused, existing=1) is True
    with pytest.raises(UnexpectedCounts):
        check(counts.existing_rows_refused, ctx, job=skipped, existing=1)  # --strict: the fake's counting
    for wrong in ({"updated_rows": 1}, {"created_rows": 1, "error_rows": 1}, {"error_rows": None}):
        with pytest.raises(RowCountsDisagree):
            check(counts.skipped_rows_within_total, ctx, job={**skipped, **wrong})


# --- errors listing --------------------------------------------------------------------------------------

ROWS = [
    ExpectedRow(0, "2000000000008"),
    ExpectedRow(1, "invalid-ean", "invalid_ean_format"),
    ExpectedRow(2, "2000000000015"),
    ExpectedRow(3, "2000000000023", "missing_title"),
]


def listing_of(*entries: dict, total: int | None = None) -> ErrorListing:
    return ErrorListing(job_id="imp_1", pages=[page(list(entries), total)])


@pytest.mark.parametrize("offset", [2, 1, 0], ids=["sheet rows", "data rows from 1", "data rows from 0"])
def test_error_rows_listed_under_one_consistent_offset(ctx, offset):
    found = listing_of(entry(1 + offset, "invalid-ean"), entry(3 + offset, message="Title is required."))
    assert check(listing.error_rows_listed, ctx, rows=ROWS, listing=found) is True


def test_error_rows_listed_fails_on_a_missing_row_or_mixed_offsets(ctx):
    with pytest.raises(ErrorRowsMismatch):
        check(listing.error_rows_listed, ctx, rows=ROWS, listing=listing_of(entry(3, "invalid-ean")))
    with pytest.raises(ErrorRowsMismatch):
        check(listing.error_rows_listed, ctx, rows=ROWS, listing=listing_of(entry(3, "invalid-ean"), entry(4)))


def test_the_seeds_exact_message_for_a_bad_ean_format(ctx):
    found = listing_of(entry(3, "invalid-ean"), entry(5, message="Title is required."))
    assert check(listing.invalid_ean_format_message, ctx, rows=ROWS, listing=found) is True
    reworded = listing_of(entry(3, "invalid-ean", message="EAN is malformed"), entry(5))
    with pytest.raises(RowMessageMismatch):
        check(listing.invalid_ean_format_message, ctx, rows=ROWS, listing=reworded)


def test_strict_row_numbering_and_messages_follow_the_fakes_choices(ctx):
    sheet = listing_of(entry(3, "invalid-ean"), entry(5, message="Title is required."))
    assert check(listing.rows_numbered_like_the_sheet, ctx, rows=ROWS, listing=sheet, first_row=2) is True
    assert check(listing.row_messages_from_catalog, ctx, rows=ROWS, listing=sheet) is True
    from_one = listing_of(entry(2, "invalid-ean"), entry(4, message="Title is required."))
    with pytest.raises(ErrorRowsMismatch):
        check(listing.rows_numbered_like_the_sheet, ctx, rows=ROWS, listing=from_one, first_row=2)
    with pytest.raises(RowMessageMismatch):
        check(listing.row_messages_from_catalog, ctx, rows=ROWS, listing=listing_of(entry(3, "invalid-ean"), entry(5)))


def test_errors_total_matches_error_rows(ctx):
    assert (
        check(listing.errors_total_matches, ctx, job=job(error_rows=2), listing=listing_of(entry(3), entry(5))) is True
    )
    with pytest.raises(ErrorTotalMismatch):
        check(listing.errors_total_matches, ctx, job=job(error_rows=3), listing=listing_of(entry(3), entry(5)))


def test_paging_covers_every_error_once(ctx):
    pages = [page([entry(n) for n in range(2, 22)], total=25), page([entry(n) for n in range(22, 27)], 25, {"page": 2})]
    good = ErrorListing("imp_1", pages)
    assert check(listing.errors_paging_complete, ctx, listing=good) is True
    assert check(listing.default_page_size, ctx, listing=good) is True
    repeated = ErrorListing("imp_1", [pages[0], page([entry(21)] + [entry(n) for n in range(23, 27)], 25, {"page": 2})])
    with pytest.raises(PagingBroken, match="twice"):
        check(listing.errors_paging_complete, ctx, listing=repeated)
    with pytest.raises(PagingBroken):
        check(listing.default_page_size, ctx, listing=ErrorListing("imp_1", [page([entry(2)], 25, per_page=50)]))


def test_rows_listed_twice_are_reported_when_some_entries_have_no_row_number(ctx):
    # mypy found it: sorting the repeated rows raised TypeError (None < int) instead of reporting them
    rowless = {"error": "validation_error", "message": "Invalid EAN format."}
    mixed = listing_of(entry(3), entry(3), rowless, rowless, total=4)
    with pytest.raises(PagingBroken, match=r"rows listed twice: \[3, None\]"):
        check(listing.errors_paging_complete, ctx, listing=mixed)


# --- single responses ------------------------------------------------------------------------------------

CREATED = {
    "id": "imp_01HQ",
    "status": "pending",
    "format": "csv",
    "total_rows": 0,
    "created_at": "2024-03-15T09:00:00Z",
}


@pytest.mark.parametrize("status", [200, 201, 202])
def test_any_success_code_of_a_create_is_accepted(ctx, status):
    assert check(requests.create_accepted, ctx, response=response(status, CREATED, "POST")) is True
    assert check(
        requests.create_response_documented, ctx, response=response(status, CREATED, "POST"), file_format="csv"
    )


def test_a_refused_valid_upload_and_a_wrong_create_body_fail(ctx):
    with pytest.raises(CreateRejected):
        check(requests.create_accepted, ctx, response=response(400, {"error": "x"}, "POST"))
    for wrong, why in (
        ({"status": "queued"}, "status"),
        ({"total_rows": -1}, "total_rows"),
        ({"total_rows": "3"}, "total_rows"),
        ({"format": "json"}, "format"),
    ):
        with pytest.raises(CreateResponseMismatch, match=why):
            body = {**CREATED, **wrong}
            check(requests.create_response_documented, ctx, response=response(202, body, "POST"), file_format="csv")
    for name in ("id", "status", "total_rows"):
        with pytest.raises(CreateResponseMismatch, match=name):
            body = {k: v for k, v in CREATED.items() if k != name}
            check(requests.create_response_documented, ctx, response=response(201, body, "POST"), file_format="csv")
    with pytest.raises(CreateResponseMismatch, match="date-time"):
        body = {**CREATED, "created_at": "yesterday"}
        check(requests.create_response_documented, ctx, response=response(202, body, "POST"), file_format="csv")


def test_a_create_that_already_counted_its_rows_is_documented_but_not_the_fakes_pending_job(ctx):
    """The seed's example says pending / 0; that is an example, not a rule: strict only."""
    for status in ("processing", "completed"):
        body = {**CREATED, "status": status, "total_rows": 3}
        assert check(requests.create_response_documented, ctx, response=response(201, body, "POST"), file_format="csv")
        with pytest.raises(CreateResponseMismatch):
            check(requests.create_response_pending, ctx, response=response(201, body, "POST"))
    assert check(requests.create_response_pending, ctx, response=response(202, CREATED, "POST")) is True


def test_a_create_body_is_checked_against_the_schema(ctx):
    assert check(requests.create_body_matches_schema, ctx, response=response(202, CREATED, "POST")) is True
    assert check(requests.create_body_matches_schema, ctx, response=response(400, {}, "POST")) is None
    with pytest.raises(CreateResponseMismatch):
        body = {**CREATED, "total_rows": "none"}
        check(requests.create_body_matches_schema, ctx, response=response(202, body, "POST"))


@pytest.mark.parametrize("func", [requests.unsupported_format_rejected, requests.malformed_mapping_rejected])
def test_a_bad_format_or_mapping_is_refused_at_upload_or_its_job_fails(ctx, func):
    assert check(func, ctx, response=response(400, {"errors": []}, "POST")) is True
    assert check(func, ctx, response=response(422, {}, "POST"), trace=None) is True
    accepted = response(201, CREATED, "POST")
    assert check(func, ctx, response=accepted, trace=trace(pending(), job(status="failed"))) is True
    for outcome in (trace(job(status="completed", error_rows=0)), trace(pending(), timed_out=True), None):
        with pytest.raises(BadRequestAccepted):
            check(func, ctx, response=accepted, trace=outcome)
    for status in (401, 404, 500):
        with pytest.raises(BadRequestAccepted):
            check(func, ctx, response=response(status, {}, "POST"))


def test_the_fake_refuses_a_bad_format_or_mapping_at_upload(ctx):
    assert check(requests.bad_input_refused_at_upload, ctx, response=response(400, {}, "POST"), what="x") is True
    with pytest.raises(BadRequestAccepted):
        check(requests.bad_input_refused_at_upload, ctx, response=response(201, CREATED, "POST"), what="x")


def test_import_ids_carry_the_imp_prefix(ctx):
    assert check(requests.import_id_prefixed, ctx, job_id="imp_01HQ3ZK7") is True
    for bad in ("01HQ3ZK7", "imp_", None):
        with pytest.raises(ImportIdUnprefixed):
            check(requests.import_id_prefixed, ctx, job_id=bad)


def test_auth_is_required(ctx):
    assert check(requests.auth_required, ctx, response=response(401, {}), credentials="none") is True
    assert check(requests.auth_required, ctx, response=response(403, {}), credentials="wrong") is True
    with pytest.raises(AuthNotEnforced):
        check(requests.auth_required, ctx, response=response(403, {}), credentials="none")
    with pytest.raises(AuthNotEnforced):
        check(requests.auth_required, ctx, response=response(200, job()), credentials="wrong")


@pytest.mark.parametrize("status", [200, 202, 401, 404, 500])
def test_bad_input_must_get_a_4xx_refusal(ctx, status):
    with pytest.raises(BadRequestAccepted):
        check(requests.missing_file_rejected, ctx, response=response(status, {}, "POST"))


def test_error_envelope_is_the_fakes_choice(ctx):
    fake = response(404, {"error": "not_found", "message": "Import imp_X not found."})
    assert check(requests.error_envelope, ctx, response=fake) is True
    assert check(requests.error_envelope, ctx, response=response(200, {})) is None
    with pytest.raises(ErrorEnvelopeMismatch):
        check(requests.error_envelope, ctx, response=response(404, {"errors": [{"detail": "Not found"}]}))


def test_every_failure_reads_received_then_expected():
    failure = CheckFailure(received="a", expected="b", context="c")
    assert failure.message.splitlines() == ["Contract violation", "Received: a", "Expected: b", "c"]
