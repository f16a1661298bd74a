"""Products Manager's import endpoints as the scenarios call them, and waiting for a job to finish."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.observations import ErrorListing, ErrorPage, JobTrace
from conformance.target import DEFAULT, Target

IMPORTS = "/api/v1/imports"
MAX_ERROR_PAGES = 60


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str

    def describe(self, limit: int = 600) -> str:
        if self.content_type.startswith(("text/", "application/json")):
            text = self.content.decode("utf-8", "replace")
            text = text if len(text) <= limit else text[:limit] + "…"
            return f"{self.filename}:\n{text}"
        return f"{self.filename} ({len(self.content)} bytes, {self.content_type})"


class ImportsApi:
    def __init__(self, target: Target, lifecycle_terminal: frozenset[str]) -> None:
        self.target = target
        self.terminal = lifecycle_terminal

    def create(
        self,
        upload: Upload | None,
        *,
        file_format: str | None = None,
        mapping: Mapping[str, str] | str | None = None,
        update_existing: bool | None = None,
        text_file: str | None = None,
        token: Any = DEFAULT,
    ) -> httpx.Response:
        """POST a multipart form; `text_file` sends `file` as a plain form field instead of a file part."""
        fields: dict[str, str] = {}
        if file_format is not None:
            fields["format"] = file_format
        if mapping is not None:
            fields["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
        if update_existing is not None:
            fields["update_existing"] = "true" if update_existing else "false"
        if text_file is not None:
            fields["file"] = text_file
        parts: list[tuple[str, tuple[str | None, Any, str | None]]] = [
            (name, (None, value, None)) for name, value in fields.items()
        ]
        if upload is not None:
            parts.append(("file", (upload.filename, upload.content, upload.content_type)))
        sent = [f"file=@{upload.filename}"] if upload else []
        sent += [f"{k}={v[:60]!r}" for k, v in fields.items()]
        return self.target.request(
            "POST", IMPORTS, token=token, files=parts, describe=" ".join(sent) or "an empty form"
        )

    def get(self, job_id: str, *, token: Any = DEFAULT) -> httpx.Response:
        return self.target.request("GET", f"{IMPORTS}/{job_id}", token=token)

    def errors(self, job_id: str, *, token: Any = DEFAULT, **query: int) -> httpx.Response:
        return self.target.request("GET", f"{IMPORTS}/{job_id}/errors", token=token, params=query)

    def wait(self, job_id: str, timeout: float) -> JobTrace:
        """Read the job until it is terminal (then once more, to see that it stays so) or time runs out."""
        trace = JobTrace(job_id=job_id)
        clock = self.target.clock
        clock.start(timeout)
        attempt = 0
        extra_reads = 1
        while True:
            response = self.get(job_id)
            body = _json(response)
            if response.status_code != 200 or not isinstance(body, dict):
                trace.waited = f"{clock.describe(attempt)}, then GET answered {response.status_code}"
                trace.timed_out = True
                return trace
            trace.snapshots.append(body)
            if trace.statusless(clock, attempt):
                return trace
            if body.get("status") in self.terminal:
                if extra_reads == 0:
                    break
                extra_reads -= 1
            if not clock.wait(attempt):
                trace.timed_out = body.get("status") not in self.terminal
                break
            attempt += 1
        trace.waited = clock.describe(attempt)
        return trace

    def listing(self, job_id: str, *, per_page: int | None = None) -> ErrorListing:
        """Every page of the errors listing: the default first page, then `page=2…` until all are read."""
        listing = ErrorListing(job_id=job_id)
        query: dict[str, int] = {} if per_page is None else {"per_page": per_page}
        page = 1
        while page <= MAX_ERROR_PAGES:
            requested = dict(query) if page == 1 else {**query, "page": page}
            response = self.errors(job_id, **requested)
            listing.pages.append(ErrorPage(requested=requested, status=response.status_code, body=_json(response)))
            current = listing.pages[-1]
            total = current.meta.get("total")
            if response.status_code != 200 or not current.data or not isinstance(total, int):
                break
            if len(listing.entries) >= total:
                break
            page += 1
        return listing


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:300]
