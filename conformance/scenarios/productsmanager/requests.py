"""Requests the API must refuse: no or wrong API key (PM-01), unknown ids (PM-09), no file or format=xml (PM-02..04)."""

from __future__ import annotations

import secrets

from conformance.checks import requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jobs import Upload
from conformance.scenarios.productsmanager import catalogs, flow
from conformance.scenarios.productsmanager.catalogs import EanPool, RowPlan


def _small_catalog(pool: EanPool, file_format: str = "csv") -> catalogs.Catalog:
    return catalogs.build([RowPlan("valid", "Probe", catalogs.Decimal("1.00"), "")], pool, file_format)


@scenario(flow.API, rules=["PM-01"])
def authentication(ctx: ScenarioContext) -> None:
    """Every operation refuses a request without `Authorization: Bearer {api_key}` or with a wrong key."""
    api, pool = flow.imports_api(ctx), EanPool()
    job_id = flow.create(ctx, api, _small_catalog(pool).upload(), expect_format="csv", file_format="csv")
    wrong = f"pm_wrong_{secrets.token_hex(8)}"
    for credentials, token in (("none", None), ("wrong", wrong)):
        ctx.note(f"{credentials} token")
        for response in (
            api.get(job_id, token=token),
            api.errors(job_id, token=token),
            api.create(_small_catalog(pool).upload(), file_format="csv", token=token),
        ):
            ctx.verify(requests.auth_required, response=response, credentials=credentials)
            ctx.verify(requests.error_envelope, response=response)


@scenario(flow.API, rules=["PM-09"])
def unknown_import(ctx: ScenarioContext) -> None:
    """An id no import has answers 404, for the job and for its errors."""
    api = flow.imports_api(ctx)
    for job_id in (f"imp_{secrets.token_hex(13).upper()}", "does-not-exist"):
        for response in (api.get(job_id), api.errors(job_id)):
            ctx.verify(requests.unknown_import_not_found, response=response)
            ctx.verify(requests.error_envelope, response=response)


@scenario(flow.API, rules=["PM-02", "PM-03", "PM-04"])
def refused_uploads(ctx: ScenarioContext) -> None:
    """An upload without a file is refused with a 4xx; one with format=xml is refused or its job ends `failed`."""
    api, pool = flow.imports_api(ctx), EanPool()
    catalog = _small_catalog(pool)

    response = api.create(None, file_format="csv")
    ctx.verify(requests.missing_file_rejected, response=response)
    ctx.verify(requests.error_envelope, response=response)

    response = api.create(None, file_format="csv", text_file=catalog.upload().content.decode())
    ctx.verify(requests.text_file_field_rejected, response=response)

    xml = f"<products><product><ean>{pool.fresh()}</ean><title>Probe</title></product></products>".encode()
    for upload in (Upload("catalog.xml", xml, "application/xml"), catalog.upload()):
        ctx.note(f"{upload.filename} with format=xml")
        response = api.create(upload, file_format="xml")
        trace = flow.late_refusal(ctx, api, response)
        ctx.verify(requests.unsupported_format_rejected, response=response, trace=trace)
        ctx.verify(requests.bad_input_refused_at_upload, response=response, what="format=xml")
        ctx.verify(requests.error_envelope, response=response)
