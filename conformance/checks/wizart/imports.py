"""Checks of Wizart imports: the status machine (WZ-09..WZ-13) and what each terminal status means for the rows
the catalogue holds afterwards (WZ-17..WZ-20). `imported` is the set of row keys (SKUs) the import left readable."""

from __future__ import annotations

from collections.abc import Collection

from conformance.checks import CheckContext, machine
from conformance.checks.failures import UnusableFileImported
from conformance.checks.wizart import RowsMisimported, check
from conformance.observations import JobTrace


@check(rules=["WZ-09", "X-92"])
def status_in_vocabulary(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.in_vocabulary(ctx, trace, "import", note=" (the seed's nine)")


@check(rules=["WZ-13", "X-93"])
def status_moves_forward(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.moves_forward(ctx, trace, "import")


@check(rules=["WZ-12"])
def terminal_status_is_final(ctx: CheckContext, *, trace: JobTrace) -> bool | None:
    return machine.terminal_is_final(ctx, trace, "import")


@check(rules=["WZ-07", "WZ-10", "WZ-11", "WZ-12"])
def reaches_terminal_status(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.comes_to_rest(ctx, trace, "import")


def _final(trace: JobTrace) -> str | None:
    return (trace.final or {}).get("status")


def _describe(keys: Collection[str]) -> str:
    keys = sorted(keys)
    return f"{len(keys)}: {', '.join(keys[:6])}{' …' if len(keys) > 6 else ''}"


@check(rules=["WZ-18"])
def success_imported_every_row(ctx: CheckContext, *, trace: JobTrace, rows: list[str], imported: set[str]) -> bool:
    """A clean file ends `success`, with every product imported."""
    if _final(trace) != "success" or imported != set(rows):
        raise RowsMisimported(received=f"{_final(trace)!r}, imported {_describe(imported)}",
                              expected=f"'success' with all {len(rows)} rows imported", context=trace.history())
    return True


@check(rules=["WZ-19"])
def warning_skipped_exactly_the_bad_rows(ctx: CheckContext, *, trace: JobTrace, rows: list[str], bad: set[str],
                                         imported: set[str]) -> bool:
    """Rows with a value of the wrong type are skipped, the others imported, and the import ends `warning`."""
    return _warning_with_good_rows(trace, rows, bad, imported)


def _warning_with_good_rows(trace: JobTrace, rows: list[str], bad: set[str], imported: set[str]) -> bool:
    want = set(rows) - bad
    if _final(trace) != "warning" or imported != want:
        extra, lost = imported - want, want - imported
        raise RowsMisimported(
            received=f"{_final(trace)!r}; bad rows imported {_describe(extra)}; good rows missing {_describe(lost)}",
            expected=f"'warning' with exactly the {len(want)} good rows imported and the {len(bad)} bad ones skipped",
            context=trace.history())
    return True


@check(rules=["WZ-20"])
def failure_kept_only_rows_before_the_fatal_one(ctx: CheckContext, *, trace: JobTrace, rows: list[str], fatal: int,
                                                bad: set[str], imported: set[str]) -> bool | None:
    """A `failure` import keeps no row from the fatal one on; when it failed while importing data, it kept every
    good row before the fatal one. (Which error is fatal is the vendor's: another status does not apply here.)"""
    if _final(trace) != "failure":
        return None
    after = set(rows[fatal:]) & imported
    before = set(rows[:fatal]) - bad
    problems = []
    if after:
        problems.append(f"rows from the fatal one on imported: {_describe(after)}")
    if "importing_data" in trace.statuses and imported & set(rows[:fatal]) != before:
        problems.append(f"good rows before the fatal one missing: {_describe(before - imported)}")
    if problems:
        raise RowsMisimported(received="; ".join(problems), context=trace.history(),
                              expected=f"the {len(before)} good rows before the fatal row {fatal + 1} and none after")
    return True


@check(rules=["WZ-20"], strict=True)
def nul_row_is_fatal(ctx: CheckContext, *, trace: JobTrace) -> bool:
    if _final(trace) != "failure":
        raise RowsMisimported(received=trace.history(), expected="'failure': a NUL character in a row is the fake's "
                              "fatal (server) error (DECISIONS.md WZ-D12)")
    return True


@check(rules=["WZ-17"])
def missing_image_is_not_success(ctx: CheckContext, *, trace: JobTrace) -> bool:
    if _final(trace) == "success":
        raise RowsMisimported(received=trace.history(),
                              expected="not 'success': the archive lacks an image the CSV names")
    return True


@check(rules=["WZ-17"], strict=True)
def missing_image_rows_skipped(ctx: CheckContext, *, trace: JobTrace, rows: list[str], bad: set[str],
                               imported: set[str]) -> bool:
    """The fake skips a row whose image is missing and ends `warning` (DECISIONS.md WZ-D11)."""
    return _warning_with_good_rows(trace, rows, bad, imported)


@check(rules=["WZ-14", "WZ-15"])
def template_mismatch_fails_validation(ctx: CheckContext, *, created: int, trace: JobTrace | None,
                                       imported: set[str]) -> bool:
    """A CSV of another template is refused at upload (4xx) or fails (`failure`) before any row is imported."""
    if 400 <= created < 500:
        return True
    final = _final(trace) if trace else None
    if final != "failure" or imported or (trace and "importing_data" in trace.statuses):
        raise UnusableFileImported(
            received=f"create {created}, then {trace.history() if trace else 'no import'}, imported "
            f"{_describe(imported)}", expected="a 4xx, or 'failure' at validating_csv with nothing imported")
    return True


@check(rules=["WZ-16"])
def unusable_archive_not_imported(ctx: CheckContext, *, created: int, trace: JobTrace | None,
                                  imported: set[str]) -> bool:
    """An images archive that is no ZIP, is unsafe, or does not inflate is refused at upload (4xx) or fails the
    import; no row is imported."""
    if 400 <= created < 500:
        return True
    final = _final(trace) if trace else None
    if final != "failure" or imported:
        raise UnusableFileImported(
            received=f"create {created}, then {trace.history() if trace else 'no import'}, imported "
            f"{_describe(imported)}", expected="a 4xx, or 'failure' (unpacking_archive) with nothing imported")
    return True
