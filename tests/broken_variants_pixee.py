"""Variants of the fake's Pixee for testing the conformance suite, as ASGI rewrites (see broken_variants.py).
Five are broken (the suite must exit 1 on each); one is a different but correct vendor (it must pass
without --strict).

    Rewrite (broken_variants)
    ├── PauseIgnored         pause answers 200 "paused" (and GET says so) while the rows go on being processed
    ├── CancelledResumes     cancel answers "cancelled", the next read too, then the job is processing again
    ├── HasNextWrong         logs meta.has_next is false already on the last page but one
    ├── DryRunPersisted      a dry run is imported for real behind the client's back, and shown as `ready`
    ├── MissedSchedule       automations are stored inactive (shown active): none ever produces a job
    └── DifferentVendor      201 on create, "pending", {"message"} errors, 403 for a wrong key, no `paused`,
                             204 for pause/resume, rows numbered from 1, limit > 200 clamped, no inferred routes,
                             422 for a job id that is not a UUID
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from broken_variants import Request, Response, Rewrite, json_response

PREFIX = "/pixee/api/v1/imports"
JOBS = f"{PREFIX}/jobs"
JOB = re.compile(rf"^{JOBS}/(?P<id>[^/]+)$")
CONTROL = re.compile(rf"^{JOBS}/(?P<id>[^/]+)/(?P<action>pause|resume|cancel|confirm)$")
LOGS = re.compile(rf"^{JOBS}/(?P<id>[^/]+)/logs$")
AUTOMATIONS = f"{PREFIX}/automations"
AUTOMATION = re.compile(rf"^{AUTOMATIONS}/(?P<id>[^/]+)$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TOKEN = "pixee_test_key_0001"


def with_body(request: Request, body: bytes) -> Request:
    headers = [(k, v) for k, v in request.headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return replace(request, headers=headers, body=body)


def _job_id(match: re.Match | None) -> str | None:
    return match["id"] if match else None


def _edit(response: Response, edit) -> Response:
    body = response.json()
    if response.status == 200 and isinstance(body, dict):
        edit(body)
        return response.with_json(body)
    return response


class _AnswersControls(Rewrite):
    """Answers some controls itself: the request goes on as a GET of the job (so auth and unknown ids are
    the fake's), and the job's status there decides the answer."""

    actions: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.answering: tuple[str, str] | None = None  # (action, job id) of the request in flight

    def request(self, request: Request) -> Request | Response:
        match = CONTROL.match(request.path)
        self.answering = None
        if request.method == "POST" and match and match["action"] in self.actions:
            self.answering = (match["action"], match["id"])
            return replace(with_body(request, b""), method="GET", path=f"{JOBS}/{match['id']}")
        return request

    def response(self, request: Request, response: Response) -> Response:
        if self.answering is None:
            return self.seen(request, response)
        (action, job_id), self.answering = self.answering, None
        job = response.json()
        if response.status != 200 or not isinstance(job, dict):
            return response
        status = self.control(action, job_id, job["status"])
        if status is None:
            detail = f"Cannot {action} a job that is {job['status']}."
            return json_response(409, {"detail": detail, "code": "invalid_transition"})
        return json_response(200, {"id": job_id, "status": status})

    def control(self, action: str, job_id: str, status: str) -> str | None:
        """The status to answer, or None for a 409."""
        raise NotImplementedError

    def seen(self, request: Request, response: Response) -> Response:
        return response


class PauseIgnored(_AnswersControls):
    """(1) pause of a processing job answers 200 {"status": "paused"}, and reads say paused, but the job is
    never paused: its rows go on being processed (PX-18)."""

    actions = ("pause", "resume")

    def __init__(self) -> None:
        super().__init__()
        self.paused: set[str] = set()

    def control(self, action: str, job_id: str, status: str) -> str | None:
        if action == "pause" and status == "processing":
            self.paused.add(job_id)
            return "paused"
        if action == "resume" and job_id in self.paused:
            self.paused.discard(job_id)
            return "processing"
        return None

    def seen(self, request: Request, response: Response) -> Response:
        job_id = _job_id(JOB.match(request.path))
        if request.method == "GET" and job_id in self.paused:
            return _edit(response, lambda job: job.update(status="paused") if job["status"] == "processing" else None)
        return response


class CancelledResumes(_AnswersControls):
    """(2) cancel of a running job answers {"status": "cancelled"} and the next read agrees; after that the
    job is processing again, as if the cancel had been forgotten (PX-20)."""

    actions = ("cancel",)

    def __init__(self) -> None:
        super().__init__()
        self.cancelled: dict[str, int] = {}  # job id -> reads left that still say cancelled

    def control(self, action: str, job_id: str, status: str) -> str | None:
        if status in ("completed", "failed", "cancelled"):
            return None
        self.cancelled[job_id] = 1
        return "cancelled"

    def seen(self, request: Request, response: Response) -> Response:
        job_id = _job_id(JOB.match(request.path))
        if request.method == "GET" and self.cancelled.get(job_id or "", 0) > 0:
            self.cancelled[job_id] -= 1
            return _edit(response, lambda job: job.update(status="cancelled"))
        return response


class HasNextWrong(Rewrite):
    """(3) logs meta.has_next turns false one page early: a client following it never reads the last page."""

    def response(self, request: Request, response: Response) -> Response:
        if request.method == "GET" and LOGS.match(request.path):

            def early(body: dict) -> None:
                meta = body["meta"]
                meta["has_next"] = meta["page"] < meta["total_pages"] - 1

            return _edit(response, early)
        return response


class DryRunPersisted(Rewrite):
    """(4) a dry run is sent on as an ordinary import, so its rows are written; the client is shown a dry run
    that rests at `ready` with nothing created or updated (PX-09)."""

    DRY_RUN = re.compile(rb'(name="dry_run"\r\n\r\n)true')

    def __init__(self) -> None:
        self.dry_runs: set[str] = set()
        self.pending = False

    def request(self, request: Request) -> Request | Response:
        self.pending = False
        if request.method == "POST" and request.path == JOBS and self.DRY_RUN.search(request.body):
            self.pending = True
            return with_body(request, self.DRY_RUN.sub(rb"\1false", request.body))
        return request

    def response(self, request: Request, response: Response) -> Response:
        if self.pending and 200 <= response.status < 300:
            self.dry_runs.add(response.json()["id"])
        job_id = _job_id(JOB.match(request.path))
        if request.method == "GET" and job_id in self.dry_runs:

            def disguise(job: dict) -> None:
                if job["status"] in ("processing", "completed"):
                    job.update(status="ready", completed_at=None, products_created=0, products_updated=0)
                job["dry_run"] = True

            return _edit(response, disguise)
        return response


class MissedSchedule(Rewrite):
    """(5) automations are stored inactive, though every answer shows them active: none ever runs (PX-29)."""

    ACTIVE = re.compile(rb'"is_active":\s*true')

    def __init__(self) -> None:
        self.shown_active: set[str] = set()
        self.creating = False

    def request(self, request: Request) -> Request | Response:
        self.creating = request.method == "POST" and request.path == AUTOMATIONS
        if self.creating and not re.search(rb'"is_active":\s*false', request.body):
            body = self.ACTIVE.sub(b'"is_active": false', request.body)
            if body == request.body:  # is_active omitted: it defaults to true
                body = re.sub(rb"^\s*\{", b'{"is_active": false, ', request.body, count=1)
            return with_body(request, body)
        self.creating = False
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if self.creating and 200 <= response.status < 300 and isinstance(body, dict):
            self.shown_active.add(body["id"])
        automation_id = body.get("id") if isinstance(body, dict) else None
        if automation_id in self.shown_active:
            return response.with_json({**body, "is_active": True})
        return response


class DifferentVendor(Rewrite):
    """A correct server that chose differently wherever seed 003 is silent (X-100..X-107): 201 on create and
    200 on automation create, "pending" in the create answer, {"message"} error bodies, 403 for a wrong key,
    no `paused` status (a paused job says processing and stands still), 204 for pause and resume, log rows
    numbered from the first data row, limit > 200 clamped rather than refused, no confirm and no automation
    list/get/delete (404), none of the fake's extra job fields, started_at null until analysis is done, and
    a FastAPI-style 422 for a job id that is not a UUID."""

    EXTRA_FIELDS = ("supplier_code", "dry_run", "created_at", "error_message", "automation_id")
    INFERRED = (re.compile(rf"^{JOBS}/[^/]+/confirm$"), re.compile(rf"^{AUTOMATIONS}(/[^/]+)?$"))

    def __init__(self) -> None:
        self.file_types: dict[str, str] = {}

    def request(self, request: Request) -> Request | Response:
        inferred = any(p.match(request.path) for p in self.INFERRED)
        if inferred and not (request.method == "POST" and request.path == AUTOMATIONS):
            return json_response(404, {"message": "Not Found"})
        job = re.match(rf"^{JOBS}/(?P<id>[^/]+)", request.path)
        if job and not UUID.match(job["id"]) and request.header("authorization") == f"Bearer {TOKEN}":
            problem = {"loc": ["path", "id"], "msg": "value is not a valid uuid", "type": "type_error.uuid"}
            return json_response(422, {"detail": [problem]})  # a FastAPI-style validation error
        if request.method == "GET" and LOGS.match(request.path):
            query = dict(parse_qsl(request.query.decode()))
            if query.get("limit", "").isdigit() and int(query["limit"]) > 200:
                return replace(request, query=urlencode({**query, "limit": "200"}).encode())
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if response.status >= 400 and isinstance(body, dict) and "detail" in body:
            wrong_key = response.status == 401 and request.header("authorization")
            return response.with_json({"message": body["detail"]}, status=403 if wrong_key else None)
        if request.method == "POST" and request.path == JOBS and response.status == 202:
            self.file_types[body["id"]] = body["file_type"]
            return response.with_json({**body, "status": "pending"}, status=201)
        if request.method == "POST" and request.path == AUTOMATIONS and response.status == 201:
            return response.with_json(body, status=200)
        control = CONTROL.match(request.path)
        if request.method == "POST" and control and control["action"] in ("pause", "resume"):
            return Response(status=204, headers=[], body=b"") if response.status == 200 else response
        if request.method == "GET" and JOB.match(request.path):
            return _edit(response, self._job)
        logs = LOGS.match(request.path) if request.method == "GET" else None
        if logs and self.file_types.get(logs["id"]) in ("csv", "xlsx"):
            return _edit(response, self._renumber)
        return response

    def _job(self, job: dict) -> None:
        for name in self.EXTRA_FIELDS:
            job.pop(name, None)
        if job["status"] == "paused":
            job["status"] = "processing"
        if job["status"] in ("pending", "analyzing"):
            job["started_at"] = None

    @staticmethod
    def _renumber(page: dict) -> None:
        for item in page["items"]:
            if isinstance(item.get("row_number"), int):
                item["row_number"] -= 1


BROKEN = {
    "pause_ignored": PauseIgnored,
    "cancelled_resumes": CancelledResumes,
    "has_next_wrong": HasNextWrong,
    "dry_run_persisted": DryRunPersisted,
    "missed_schedule": MissedSchedule,
}
