"""Violations found in the target: one class per property a check asserts.

CheckFailure                      a property did not hold: what was received versus what was expected
├── ResponseMismatch              a response's status code, body or shape is not the contract's
│   ├── CreateRejected            a valid upload was not accepted (200/201/202)
│   ├── CreateResponseMismatch    the create response is not {id, status pending, format, total_rows 0, created_at}
│   ├── ImportIdUnprefixed        an import id does not start with "imp_"
│   ├── JobUnreadable             GET of a job the server just created did not answer 200
│   ├── JobShapeMismatch          a job body does not match the spec's schema (fields missing or mistyped)
│   ├── ErrorPageShapeMismatch    an errors page does not match the spec's schema
│   ├── AuthNotEnforced           a request without a valid token was not refused with 401
│   ├── NotFoundExpected          an unknown import id did not answer 404
│   ├── BadRequestAccepted        invalid input (no file, format=xml, bad mapping) was not refused with a 4xx
│   ├── FormatNotDetected         an upload without `format` reports a different format than its content
│   ├── StatusCodeNotChosen       (strict) a status code differs from the fake's documented choice
│   └── ErrorEnvelopeMismatch     (strict) an error body is not {"error": code, "message": text}
├── LifecycleViolation            the job's status history breaks the status machine
│   ├── UnknownStatus             a status outside the closed vocabulary
│   ├── StatusWentBack            a status earlier in the order than one already seen
│   ├── TerminalStatusChanged     a terminal status changed later
│   ├── NoTerminalStatus          the job did not finish within the timeout
│   ├── CompletedAtMisplaced      completed_at set before the end, or missing at the end
│   ├── ErrorStatusMismatch       completed_with_errors and error_rows > 0 disagree
│   ├── UnusableFileImported      a file the API cannot read did not end `failed` (nor was refused)
│   └── FailureNotExplained       (strict) a failed job has no error_message
├── CountMismatch                 row counts break an invariant or differ from what the file holds
│   ├── RowCountsDisagree         processed == total == created + updated + error does not hold
│   ├── UnexpectedCounts          counts differ from the generated file's valid and invalid rows
│   ├── ExistingNotUpdated        re-importing known EANs did not count them as updated
│   └── UpdatedDespiteFlag        update_existing=false still updated products
└── ErrorListingMismatch          the errors listing does not describe the failed rows
    ├── ErrorRowsMismatch         listed rows are not exactly the invalid rows (under one row offset)
    ├── RowMessageMismatch        a row's error or message is not the documented one
    ├── ErrorTotalMismatch        meta.total differs from the job's error_rows
    └── PagingBroken              pages have gaps, repeats, or the wrong size
"""

from __future__ import annotations


class CheckFailure(AssertionError):
    title = "Contract violation"

    def __init__(self, *, received: object, expected: object, context: str | None = None, title: str | None = None):
        self.received = received
        self.expected = expected
        self.context = context
        if title:
            self.title = title
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.title}\nReceived: {self.received}\nExpected: {self.expected}"
        return f"{text}\n{self.context}" if self.context else text


class ResponseMismatch(CheckFailure):
    title = "Response does not match the contract"


class CreateRejected(ResponseMismatch):
    title = "A valid upload was not accepted"


class CreateResponseMismatch(ResponseMismatch):
    title = "Create response differs from the documented one"


class ImportIdUnprefixed(ResponseMismatch):
    title = 'Import id does not start with "imp_"'


class JobUnreadable(ResponseMismatch):
    title = "A just-created import cannot be read back"


class JobShapeMismatch(ResponseMismatch):
    title = "Import status response does not match the spec"


class ErrorPageShapeMismatch(ResponseMismatch):
    title = "Errors page does not match the spec"


class AuthNotEnforced(ResponseMismatch):
    title = "Request without a valid API key was not refused"


class NotFoundExpected(ResponseMismatch):
    title = "Unknown import id did not answer 404"


class BadRequestAccepted(ResponseMismatch):
    title = "Invalid request was not refused with a 4xx"


class FormatNotDetected(ResponseMismatch):
    title = "File format was not auto-detected"


class StatusCodeNotChosen(ResponseMismatch):
    title = "Status code differs from the fake's choice"


class ErrorEnvelopeMismatch(ResponseMismatch):
    title = "Error body differs from the fake's envelope"


class LifecycleViolation(CheckFailure):
    title = "Import status history breaks the lifecycle"


class UnknownStatus(LifecycleViolation):
    title = "Status outside the closed vocabulary"


class StatusWentBack(LifecycleViolation):
    title = "Status moved backwards"


class TerminalStatusChanged(LifecycleViolation):
    title = "A terminal status changed"


class NoTerminalStatus(LifecycleViolation):
    title = "Import did not reach a terminal status in time"


class CompletedAtMisplaced(LifecycleViolation):
    title = "completed_at does not match the status"


class ErrorStatusMismatch(LifecycleViolation):
    title = "completed_with_errors does not match error_rows"


class UnusableFileImported(LifecycleViolation):
    title = "An unreadable file was neither refused nor failed"


class FailureNotExplained(LifecycleViolation):
    title = "Failed import carries no error_message"


class CountMismatch(CheckFailure):
    title = "Row counts are wrong"


class RowCountsDisagree(CountMismatch):
    title = "Row counts do not add up"


class UnexpectedCounts(CountMismatch):
    title = "Row counts differ from the uploaded file"


class ExistingNotUpdated(CountMismatch):
    title = "Existing products (matched by EAN) were not updated"


class UpdatedDespiteFlag(CountMismatch):
    title = "Products were updated although update_existing=false"


class ErrorListingMismatch(CheckFailure):
    title = "Errors listing is wrong"


class ErrorRowsMismatch(ErrorListingMismatch):
    title = "Errors listing does not name exactly the invalid rows"


class RowMessageMismatch(ErrorListingMismatch):
    title = "Row error message differs from the documented one"


class ErrorTotalMismatch(ErrorListingMismatch):
    title = "Errors total differs from error_rows"


class PagingBroken(ErrorListingMismatch):
    title = "Errors pages do not cover the errors exactly once"
