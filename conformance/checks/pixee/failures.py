"""Violations only Pixee's checks find; those shared with Products Manager come from `checks.failures`.

ResponseMismatch (checks.failures)
├── JobIdNotUuid                   a job id is not a UUID
├── ControlRefused                 pause, resume or cancel of a job in the right state was not accepted
├── ControlResponseMismatch        a control answer is not {"id": the job, "status": …} as documented
└── AutomationResponseMismatch     an automation create answer lacks or changes a documented field
LifecycleViolation (checks.failures)
├── ReadyWithoutDryRun             a job that is not a dry run reached `ready`
├── DryRunNotReady                 a dry run did not stop at `ready`, or did not stay there
├── PauseIgnored                   a paused job kept processing rows, or finished
├── PausedNotReported              (strict) a paused job does not say `paused`
├── ResumeDidNotContinue           a resumed job did not go on to `completed`
├── CancelNotFinal                 a cancelled job did not stay `cancelled`, or kept processing rows
├── FinishedJobControlled          a control changed a finished job, or claimed to
└── AutomationNotRun               an automation whose due time passed produced no job
CountMismatch (checks.failures)
├── DryRunPersisted                a dry run wrote products (seen as updates by a later import)
├── ErrorSummaryMismatch           error_summary missing while rows failed (or, strict, not the fake's text)
└── ImportedRowsLost               (strict) rows imported before a cancel were rolled back
LogMismatch                        GET …/logs does not describe the job
├── LogPageShapeMismatch           a logs page does not match the spec's schema
├── LogMetaMismatch                meta does not agree with skip, limit, total and the items returned
├── LogPagingBroken                reading page after page (has_next) misses or repeats lines
├── LogLevelFilterBroken           ?level= returned other levels, or level totals do not add up
├── LogTotalMismatch               the error lines are not one per failed row
└── LogLinesMismatch               the error lines do not name exactly the bad rows, with the seed's message
PreviewMismatch                    GET …/preview does not describe the file
├── PreviewShapeMismatch           the body does not match the spec's schema
├── PreviewSizeWrong               not `limit` rows (10 by default), or total_rows not the file's
├── PreviewDisagreesWithFile       a previewed row differs from the file's row
└── PreviewErrorsMissing           validation_errors does not flag the previewed bad rows
"""

from __future__ import annotations

from conformance.checks.failures import CheckFailure, CountMismatch, LifecycleViolation, ResponseMismatch


class JobIdNotUuid(ResponseMismatch):
    title = "Import job id is not a UUID"


class ControlRefused(ResponseMismatch):
    title = "A documented control of a job in the right state was not accepted"


class ControlResponseMismatch(ResponseMismatch):
    title = "Control response differs from the documented one"


class AutomationResponseMismatch(ResponseMismatch):
    title = "Automation response differs from the documented one"


class ReadyWithoutDryRun(LifecycleViolation):
    title = "A job that is not a dry run reached ready"


class DryRunNotReady(LifecycleViolation):
    title = "A dry run did not stop at ready"


class PauseIgnored(LifecycleViolation):
    title = "A paused job kept progressing"


class PausedNotReported(LifecycleViolation):
    title = "A paused job does not say paused"


class ResumeDidNotContinue(LifecycleViolation):
    title = "A resumed job did not go on to finish"


class CancelNotFinal(LifecycleViolation):
    title = "A cancelled job did not stay cancelled"


class FinishedJobControlled(LifecycleViolation):
    title = "A control changed a finished job"


class AutomationNotRun(LifecycleViolation):
    title = "A due automation produced no import job"


class DryRunPersisted(CountMismatch):
    title = "A dry run persisted products"


class ErrorSummaryMismatch(CountMismatch):
    title = "error_summary does not describe the failed rows"


class ImportedRowsLost(CountMismatch):
    title = "Rows imported before a cancel were discarded"


class LogMismatch(CheckFailure):
    title = "Import logs are wrong"


class LogPageShapeMismatch(LogMismatch):
    title = "Logs page does not match the spec"


class LogMetaMismatch(LogMismatch):
    title = "Logs meta does not agree with skip, limit and total"


class LogPagingBroken(LogMismatch):
    title = "Log pages do not cover the logs exactly once"


class LogLevelFilterBroken(LogMismatch):
    title = "Log level filter is wrong"


class LogTotalMismatch(LogMismatch):
    title = "Error log total differs from failed_rows"


class LogLinesMismatch(LogMismatch):
    title = "Error logs do not name exactly the bad rows with the documented message"


class PreviewMismatch(CheckFailure):
    title = "Preview is wrong"


class PreviewShapeMismatch(PreviewMismatch):
    title = "Preview does not match the spec"


class PreviewSizeWrong(PreviewMismatch):
    title = "Preview does not hold the requested number of rows"


class PreviewDisagreesWithFile(PreviewMismatch):
    title = "Preview differs from the uploaded file"


class PreviewErrorsMissing(PreviewMismatch):
    title = "Preview validation_errors do not flag the bad rows"
