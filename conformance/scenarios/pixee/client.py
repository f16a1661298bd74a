"""Pixee's import endpoints as the scenarios call them: jobs, controls, logs, preview, automations; waiting."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.checks.pixee.observed import LogPage, LogWalk
from conformance.scenarios.jobs import JobsClient, Upload
from conformance.target import DEFAULT

JOBS = "/api/v1/imports/jobs"
AUTOMATIONS = "/api/v1/imports/automations"
MAX_LOG_PAGES = 300  # a client reading 1 line at a time still gets to the end


class PixeeApi(JobsClient):
    jobs_path = JOBS

    # --- jobs ---------------------------------------------------------------------------------------------

    def create(
        self,
        upload: Upload | None,
        *,
        supplier_code: str | None = None,
        dry_run: bool | None = None,
        mapping: Mapping[str, str] | str | None = None,
        token: Any = DEFAULT,
    ) -> httpx.Response:
        fields = {"supplier_code": supplier_code, "dry_run": dry_run, "mapping": mapping}
        return self.post_form(upload, fields, token=token)

    def create_json(self, body: Mapping[str, Any], *, token: Any = DEFAULT) -> httpx.Response:
        """A create sent as JSON rather than multipart (so without a file)."""
        return self.target.request("POST", JOBS, token=token, json=body, describe=f"JSON {dict(body)}")

    def control(self, job_id: str, action: str, *, token: Any = DEFAULT) -> httpx.Response:
        """POST …/{action}: pause, resume, cancel, or the fake's confirm."""
        return self.target.request("POST", f"{JOBS}/{job_id}/{action}", token=token)

    def logs(self, job_id: str, *, token: Any = DEFAULT, **query: Any) -> httpx.Response:
        return self.target.request("GET", f"{JOBS}/{job_id}/logs", token=token, params=query)

    def preview(self, job_id: str, *, token: Any = DEFAULT, **query: Any) -> httpx.Response:
        return self.target.request("GET", f"{JOBS}/{job_id}/preview", token=token, params=query)

    def log_page(self, job_id: str, **query: Any) -> LogPage:
        response = self.logs(job_id, **query)
        return LogPage(requested=query, status=response.status_code, body=json_body(response))

    def walk_logs(self, job_id: str, *, limit: int, level: str | None = None) -> LogWalk:
        """Read `limit` lines at a time from skip=0, as a client does: on while has_next says so."""
        walk = LogWalk(job_id=job_id, level=level, limit=limit)
        base = {"level": level} if level else {}
        while len(walk.pages) < MAX_LOG_PAGES:
            page = self.log_page(job_id, **base, skip=len(walk.pages) * limit, limit=limit)
            walk.pages.append(page)
            if page.status != 200:
                walk.stopped = f"HTTP {page.status}"
                return walk
            if page.meta.get("has_next") is not True:
                walk.stopped = f"has_next {page.meta.get('has_next')!r} at skip {page.requested['skip']}"
                return walk
        walk.stopped = f"{MAX_LOG_PAGES} pages"
        return walk

    # --- automations --------------------------------------------------------------------------------------

    def create_automation(self, body: Mapping[str, Any], *, token: Any = DEFAULT) -> httpx.Response:
        return self.target.request("POST", AUTOMATIONS, token=token, json=body, describe=json.dumps(body)[:300])

    def get_automation(self, automation_id: str) -> httpx.Response:
        return self.target.request("GET", f"{AUTOMATIONS}/{automation_id}")

    def delete_automation(self, automation_id: str) -> httpx.Response:
        return self.target.request("DELETE", f"{AUTOMATIONS}/{automation_id}")

    # --- time -----------------------------------------------------------------------------------------------

    def watch(self, job_id: str, seconds: list[float]) -> list[dict[str, Any]]:
        """Read the job now, then again after each of `seconds` has passed for the target."""
        reads = [self.read(job_id) or {}]
        for step in seconds:
            self.target.clock.advance(step)
            reads.append(self.read(job_id) or {})
        return reads
