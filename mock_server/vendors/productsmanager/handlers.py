"""Products Manager operations (openapi/productsmanager.yaml): parse, call the job domain, shape the answer."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mock_server.auth import fixture_credential
from mock_server.context import runtime
from mock_server.errors import NotFound
from mock_server.responses import json_response
from mock_server.specs import Messages
from mock_server.uploads import save_upload
from mock_server.vendors.productsmanager import jobs


def check_token(token: str, required_scopes: list[str] | None = None) -> dict | None:
    """Bearer {api_key} (PM-01): one of the fixture keys, or 401."""
    return fixture_credential("productsmanager", "api_keys", token)


def _messages() -> Messages:
    return runtime().messages["productsmanager"]


async def create_import(body: dict | None = None, file: object = None, **_kwargs: Any) -> Response:
    form = body or {}
    options = jobs.parse_options(form, _messages())
    upload = await save_upload(file, missing_message=_messages()("requests", "missing_file"))
    job = jobs.create(runtime(), upload, options)
    return json_response(jobs.created_view(runtime(), job), status=202)


def _job_or_404(job_id: str) -> dict:
    job = jobs.find(runtime(), job_id)
    if job is None:
        raise NotFound(_messages()("requests", "import_not_found", id=job_id), code="not_found")
    return job


async def get_import(id: str) -> Response:
    rt = runtime()
    job = _job_or_404(id)
    observation = await jobs.observe(rt, job)
    return json_response(jobs.status_view(job, observation, _messages()))


async def list_import_errors(id: str, page: int = 1, per_page: int = 20) -> Response:
    rt = runtime()
    job = _job_or_404(id)
    observation = await jobs.observe(rt, job)
    rows = jobs.error_page(rt, job, observation, page, per_page)
    return json_response({"data": rows, "meta": {"page": page, "per_page": per_page,
                                                 "total": observation.error_rows}})
