"""Pixee operations (openapi/pixee.yaml): read what the clock has brought about, call the domain, shape the answer."""

from __future__ import annotations

import json
import math
from pathlib import Path

from starlette.responses import Response

from mock_server.auth import fixture_credential
from mock_server.context import runtime
from mock_server.errors import BadRequest, Conflict
from mock_server.imports.formats import detect_format
from mock_server.imports.rows import parse_price
from mock_server.responses import json_response
from mock_server.uploads import save_upload
from mock_server.vendors.pixee import automations, jobs, rules
from mock_server.vendors.pixee.state import state as vendor_state


def check_token(token: str, required_scopes=None) -> dict | None:
    """Bearer {api_key} (PX-01)."""
    return fixture_credential("pixee", "api_keys", token)


def _messages():
    return runtime().messages["pixee"]


async def _ready():
    """The runtime; the clock's progression (not the request) has brought Pixee up to the clock."""
    return runtime()


def _options(form: dict) -> jobs.Options:
    mapping = form.get("mapping") or {}
    if isinstance(mapping, str):  # sent as text/plain: still JSON
        try:
            mapping = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise BadRequest(_messages()("requests", "invalid_form_json"), code="invalid_mapping") from exc
    if not isinstance(mapping, dict) or any(v not in rules.PRODUCT_FIELDS for v in mapping.values()):
        raise BadRequest(_messages()("requests", "invalid_form_json"), code="invalid_mapping")
    return jobs.Options(supplier_code=form.get("supplier_code") or None, dry_run=bool(form.get("dry_run", False)),
                        mapping=mapping)


async def create_job(body: dict | None = None, file=None):
    rt = await _ready()
    options = _options(body or {})
    upload = await save_upload(file, missing_message=_messages()("requests", "missing_file"))
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix and suffix not in rules.ACCEPTED_EXTENSIONS:
        upload.path.unlink(missing_ok=True)
        raise BadRequest(_messages()("requests", "unsupported_extension", extension=suffix),
                         code="unsupported_file_type")
    file_type = rules.ACCEPTED_EXTENSIONS.get(suffix) or detect_format(upload.filename, upload.head)
    job = jobs.create(rt, upload, file_type, options)
    return json_response({"id": job["id"], "status": "analyzing", "file_name": job["file_name"],
                          "file_type": job["file_type"]}, status=202)


async def get_job(id: str):
    rt = await _ready()
    job = jobs.find(rt, id)
    return json_response(jobs.body(job, await jobs.observe(rt, job)))


async def _control(job_id: str, action: str):
    rt = await _ready()
    return json_response(await jobs.control(rt, jobs.find(rt, job_id), action))


async def pause_job(id: str):
    return await _control(id, "pause")


async def resume_job(id: str):
    return await _control(id, "resume")


async def cancel_job(id: str):
    return await _control(id, "cancel")


async def confirm_job(id: str):
    return await _control(id, "confirm")


async def list_job_logs(id: str, level: str | None = None, skip: int = 0, limit: int = 50):
    rt = await _ready()
    job = jobs.find(rt, id)
    view = await jobs.observe(rt, job)
    state = vendor_state(rt).jobs.get(id)
    total, items = 0, []
    if state is not None and view.analysed is not None:
        total, items = state.log.count(level), state.log.window(level, skip, limit)
    meta = {"total": total, "page": skip // limit + 1, "per_page": limit, "total_pages": math.ceil(total / limit),
            "has_next": skip + limit < total, "has_previous": skip > 0}
    return json_response({"items": items, "meta": meta})


def _preview_row(fields: dict) -> dict:
    price = fields.get("price")
    parsed = parse_price(price) if price not in (None, "") else None
    return {**fields, "price": float(parsed)} if parsed is not None else dict(fields)


async def preview_job(id: str, limit: int = 10):
    rt = await _ready()
    job = jobs.find(rt, id)
    view = await jobs.observe(rt, job)
    if view.analysed is None:
        key = "preview_never" if view.status in rules.TERMINAL else "preview_not_ready"
        raise Conflict(_messages()("requests", key, status=view.status), code="preview_not_ready")
    rows = vendor_state(rt).jobs[id].analysis.preview[:limit]
    errors = [{k: error[k] for k in ("row_number", "field", "message", "value")} for _, _, error in rows if error]
    return json_response({"total_rows": view.total_rows, "preview": [_preview_row(fields) for _, fields, _ in rows],
                          "validation_errors": errors})


async def create_automation(body: dict):
    rt = await _ready()
    return json_response(automations.view(automations.create(rt, body)), status=201)


async def list_automations():
    rt = await _ready()
    docs = sorted(rt.store.all(rules.AUTOMATIONS), key=lambda d: d["created_at"])
    return json_response({"items": [automations.view(d) for d in docs]})


async def get_automation(id: str):
    rt = await _ready()
    return json_response(automations.view(automations.find(rt, id)))


async def delete_automation(id: str):
    rt = await _ready()
    automations.delete(rt, id)
    return Response(status_code=204)
