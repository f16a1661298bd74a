"""Requests Pixee must refuse: no or wrong API key (PX-01), unknown job ids (PX-12), a create without a file."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from conformance.checks.pixee import requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import EanPool

SEED_AUTOMATION: dict[str, Any] = {
    "name": "Daily Supplier A Import",
    "supplier_code": "SUPPLIER_A",
    "schedule": "0 2 * * *",
    "file_source": {"type": "sftp", "host": "sftp.supplier.com", "username": "user", "path": "/exports/products.csv"},
    "mapping": {"EAN": "ean", "Titre": "name", "Prix HT": "price"},
    "is_active": False,  # refused anyway; never let a stray one run
}


@scenario(flow.API, rules=["PX-01"])
def authentication(ctx: ScenarioContext) -> None:
    """Every operation refuses a request without `Authorization: Bearer {api_key}` or with a wrong key."""
    api, pool = flow.pixee_api(ctx), EanPool()
    job_id = flow.create(ctx, api, catalogs.valid_rows(pool, 2).upload(), file_type="csv")
    wrong = f"pixee_wrong_{secrets.token_hex(8)}"
    for credentials, token in (("none", None), ("wrong", wrong)):
        ctx.note(f"{credentials} token")
        for response in (
            api.get(job_id, token=token),
            api.logs(job_id, token=token),
            api.preview(job_id, token=token),
            api.control(job_id, "pause", token=token),
            api.control(job_id, "cancel", token=token),
            api.create(catalogs.valid_rows(pool, 1).upload(), token=token),
            api.create_automation(SEED_AUTOMATION, token=token),
        ):
            ctx.verify(requests.auth_required, response=response, credentials=credentials)
            ctx.verify(requests.error_envelope, response=response, code="unauthorized", message="unauthorized")


@scenario(flow.API, rules=["PX-12"])
def unknown_job(ctx: ScenarioContext) -> None:
    """A UUID no job has answers 404 for the job and its logs, preview and controls; a non-UUID 404 or 400."""
    api = flow.pixee_api(ctx)
    for job_id, malformed in ((str(uuid.uuid4()), False), ("not-a-uuid", True)):
        ctx.note(f"job id {job_id}")
        for response in (
            api.get(job_id),
            api.logs(job_id),
            api.preview(job_id),
            api.control(job_id, "pause"),
            api.control(job_id, "cancel"),
        ):
            ctx.verify(requests.unknown_job_not_found, response=response, malformed=malformed)
            if malformed:
                ctx.verify(requests.malformed_id_not_found, response=response)
            ctx.verify(requests.error_envelope, response=response, message="job_not_found")


@scenario(flow.API, rules=["PX-02", "X-106"])
def refused_uploads(ctx: ScenarioContext) -> None:
    """A create without a file (a JSON body, or a form with no file part) is refused with a 4xx."""
    api, pool = flow.pixee_api(ctx), EanPool()
    response = api.create_json({"supplier_code": "SUPPLIER_A", "dry_run": False})
    ctx.verify(requests.missing_file_rejected, response=response)
    ctx.verify(requests.error_envelope, response=response)

    response = api.create(None, supplier_code="SUPPLIER_A")
    ctx.verify(requests.missing_file_rejected, response=response)
    ctx.verify(requests.error_envelope, response=response)

    if ctx.strict:  # the job form's mapping is the fake's addition
        for bad in ("notjson", '["EAN", "ean"]', '{"EAN": "barcode"}'):
            ctx.note(f"mapping={bad}")
            response = api.create(catalogs.valid_rows(pool, 1).upload(), mapping=bad)
            ctx.verify(requests.malformed_job_mapping_rejected, response=response)
            ctx.verify(requests.error_envelope, response=response)
