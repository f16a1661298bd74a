"""What the file itself decides: its detected format (PM-04), unreadable files (PM-03, PM-14), edge cases."""

from __future__ import annotations

from conformance.checks import counts, lifecycle, requests
from conformance.observations import ExpectedCounts
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jobs import Upload
from conformance.scenarios.productsmanager import catalogs, flow
from conformance.scenarios.productsmanager.catalogs import EanPool, RowPlan
from conformance.scenarios.productsmanager.client import ImportsApi


def _plans(n: int) -> list[RowPlan]:
    return [RowPlan("valid", f"Detected {i}", catalogs.Decimal("4.20"), "") for i in range(n)]


@scenario(flow.API, rules=["PM-04"])
def format_detection(ctx: ScenarioContext) -> None:
    """A .csv, .xlsx or .json file sent without `format` is detected as such and imported."""
    api, pool = flow.imports_api(ctx), EanPool()
    for file_format in ("json", "csv", "xlsx"):
        catalog = catalogs.build(_plans(2), pool, file_format)
        upload = catalog.upload()
        ctx.note(f"{upload.filename} without format")
        response = api.create(upload)
        ctx.verify(requests.format_detected, response=response, file_format=file_format)
        job = flow.follow(ctx, api, flow.accepted(ctx, response, expect_format=file_format))
        ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(catalog.expected()))


def _judge_unusable(ctx: ScenarioContext, api: ImportsApi, upload: Upload, file_format: str | None = None) -> None:
    ctx.note(f"{upload.filename} with {f'format {file_format}' if file_format else 'no format'}")
    response = api.create(upload, file_format=file_format)
    trace = flow.late_refusal(ctx, api, response)  # the create body and the job's states against the spec
    if trace is None:
        ctx.verify(requests.error_envelope, response=response)
    ctx.verify(lifecycle.unusable_file_not_imported, created=response.status_code, trace=trace)


@scenario(flow.API, rules=["PM-03", "PM-14"])
def unreadable_files(ctx: ScenarioContext) -> None:
    """An XML file, a broken workbook or broken JSON is refused at upload or ends `failed`, never imported."""
    api, pool = flow.imports_api(ctx), EanPool()
    xml = f"<products><product><ean>{pool.fresh()}</ean></product></products>".encode()
    _judge_unusable(ctx, api, Upload("catalog.xml", xml, "application/xml"))
    _judge_unusable(
        ctx, api, Upload("catalog.xlsx", b"this is not a workbook", catalogs.CONTENT_TYPES["xlsx"]), file_format="xlsx"
    )
    broken = f'[{{"ean": "{pool.fresh()}", "title": "Broken'.encode()
    _judge_unusable(ctx, api, Upload("catalog.json", broken, "application/json"), file_format="json")


@scenario(flow.API, rules=["PM-14"], strict=True)
def empty_file(ctx: ScenarioContext) -> None:
    """(The fake's choice) a CSV with a header and no data rows ends `failed` with an error_message."""
    api = flow.imports_api(ctx)
    upload = Upload("header-only.csv", b"ean,title,price\n", "text/csv")
    job = flow.import_file(ctx, api, upload, expect_format="csv", file_format="csv")
    ctx.verify(lifecycle.empty_file_fails, job=job)


@scenario(flow.API, rules=["PM-16"], strict=True)
def duplicate_eans(ctx: ScenarioContext) -> None:
    """(The fake's choice) an EAN repeated within one file: the later row is listed as `duplicate_ean`."""
    api, pool = flow.imports_api(ctx), EanPool()
    catalog = catalogs.build(_plans(3), pool, "csv")
    catalog.rows.append(
        catalogs.Row(kind="duplicate_ean", ean=catalog.rows[0].ean, title="Again", price=catalogs.Decimal("1"))
    )
    ctx.note(catalog.describe())
    job = flow.import_file(ctx, api, catalog.upload(), expect_format="csv", file_format="csv")
    rows = catalog.expected()
    ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(rows))
    flow.judge_listing(ctx, api, job, rows, first_row=catalog.first_row)
