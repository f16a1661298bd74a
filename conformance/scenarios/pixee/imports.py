"""Imports of generated catalogs in the four formats: statuses, counts and error lines agree with the file."""

from __future__ import annotations

from conformance.checks import CheckFunction
from conformance.checks.pixee import counts, lifecycle, requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jobs import Upload
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import FORMATS, EanPool, RowPlan
from conformance.scenarios.pixee.client import PixeeApi, json_body


@scenario(
    flow.API,
    rules=["PX-02", "PX-03", "PX-10", "PX-11", "PX-12", "PX-13", "PX-14", "PX-15", "PX-16", "PX-17", "PX-25", "PX-26"],
)
def import_catalogs(ctx: ScenarioContext) -> None:
    """Generated CSV, XLSX, JSON and XML catalogs, clean or with bad EANs, import with exactly the expected counts."""
    api, pool = flow.pixee_api(ctx), EanPool()
    for file_format in FORMATS:

        def one(plans: list[RowPlan], file_format: str = file_format) -> None:
            catalog = catalogs.build(plans, pool, file_format)
            ctx.note(catalog.upload().describe())
            code = flow.supplier_code()
            job = flow.import_catalog(ctx, api, catalog, supplier_code=code)
            facts = catalog.facts()
            flow.judge_counts(ctx, job, facts)
            ctx.verify(counts.supplier_code_recorded, job=job, supplier_code=code)
            flow.judge_error_logs(ctx, api, job, facts)

        plans = catalogs.catalog_plans(strict=ctx.strict)
        ctx.for_examples(plans, one, count=flow.examples_per_format(ctx), label=file_format)


@scenario(flow.API, rules=["PX-05", "PX-16"])
def first_sheet_only(ctx: ScenarioContext) -> None:
    """Only the first sheet of a workbook is imported: a second sheet's rows are not counted."""
    api, pool = flow.pixee_api(ctx), EanPool()
    catalog = catalogs.valid_rows(pool, 4, "xlsx")
    catalog.extra_sheet = [pool.fresh() for _ in range(3)]
    job = flow.import_catalog(ctx, api, catalog)
    flow.judge_counts(ctx, job, catalog.facts())


def _judge_unusable(ctx: ScenarioContext, api: PixeeApi, upload: Upload,
                    check: CheckFunction = lifecycle.unusable_file_not_imported) -> None:
    ctx.note(upload.describe(300))
    response = api.create(upload)
    body, trace = json_body(response), None
    if 200 <= response.status_code < 300 and isinstance(body, dict) and isinstance(body.get("id"), str):
        trace = api.wait(body["id"], ctx.options.timeout)
        if trace.final:
            ctx.verify(lifecycle.failed_job_explained, job=trace.final)
    else:
        ctx.verify(requests.error_envelope, response=response)
    ctx.verify(check, created=response.status_code, trace=trace)


@scenario(flow.API, rules=["PX-03", "PX-04", "PX-06", "PX-07", "PX-15"])
def unreadable_files(ctx: ScenarioContext) -> None:
    """Files Pixee cannot read as their format are refused or end `failed`; misshapen ones import no row."""
    api, pool = flow.pixee_api(ctx), EanPool()
    ean = pool.fresh()
    _judge_unusable(ctx, api, Upload("catalog.json", b'{"ean": "%s"}' % ean.encode(), "application/json"))
    _judge_unusable(ctx, api, Upload("catalog.xlsx", b"this is not a workbook", catalogs.CONTENT_TYPES["xlsx"]))
    _judge_unusable(ctx, api, Upload("catalog.xml", b"<products><product><ean>", "application/xml"))
    _judge_unusable(ctx, api, Upload("catalog.txt", f"ean,name\n{pool.fresh()},Text\n".encode(), "text/plain"))
    misshapen = lifecycle.misshapen_file_not_imported
    semicolons = f"ean;name;price\n{pool.fresh()};Semicolon;1.00\n{pool.fresh()};Colon;2.00\n".encode()
    _judge_unusable(ctx, api, Upload("semicolons.csv", semicolons, "text/csv"), misshapen)
    nested = (
        f"<products><product><identifiers><ean>{pool.fresh()}</ean></identifiers><name>Nested</name></product>"
        "</products>"
    ).encode()
    _judge_unusable(ctx, api, Upload("nested.xml", nested, "application/xml"), misshapen)

    response = api.create(Upload("catalog.txt", f"ean,name\n{pool.fresh()},Text\n".encode(), "text/plain"))
    ctx.verify(requests.unsupported_extension_refused_at_upload, response=response)
