"""An import job as every scenario client sees it: the file it uploads, the multipart form, waiting for it to rest.

Products Manager's `ImportsApi` and Pixee's `PixeeApi` are `JobsClient`s at their own collection path, each
naming its own fields; Wizart's `WizartApi` (JSON:API, OAuth) calls `wait_for_job` with its own reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.observations import JobTrace
from conformance.target import DEFAULT, Clock, Target

FormParts = list[tuple[str, tuple[str | None, Any, str | None]]]


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


def form_field(value: bool | Mapping[str, str] | str) -> str:
    """A form field's text: booleans as "true"/"false", a mapping as JSON, text as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def multipart(upload: Upload | None, fields: Mapping[str, Any]) -> tuple[FormParts, str]:
    """The multipart parts for `fields` (those not None) and the file, and how the request is described."""
    texts = {name: form_field(value) for name, value in fields.items() if value is not None}
    parts: FormParts = [(name, (None, value, None)) for name, value in texts.items()]
    if upload is not None:
        parts.append(("file", (upload.filename, upload.content, upload.content_type)))
    sent = [f"file=@{upload.filename}"] if upload else []
    sent += [f"{k}={v[:60]!r}" for k, v in texts.items()]
    return parts, " ".join(sent) or "an empty form"


def job_read(response: httpx.Response) -> dict[str, Any] | str:
    """A job as one GET read it, or why it could not be read (for `wait_for_job`)."""
    body = json_body(response)
    return body if response.status_code == 200 and isinstance(body, dict) else f"GET answered {response.status_code}"


def wait_for_job(
    clock: Clock,
    read: Callable[[], dict[str, Any] | str],
    job_id: str,
    timeout: float,
    resting: Collection[str],
) -> JobTrace:
    """Read the job (`read` gives its snapshot, or why it could not be read) until its status is in `resting`
    (then once more after time passes, to see that it stays), or time runs out."""
    trace = JobTrace(job_id=job_id)
    clock.start(timeout)
    attempt, extra_reads = 0, 1
    while True:
        snapshot = read()
        if isinstance(snapshot, str):
            trace.waited, trace.timed_out = f"{clock.describe(attempt)}, then {snapshot}", True
            return trace
        trace.snapshots.append(snapshot)
        if trace.statusless(clock, attempt):
            return trace
        if snapshot.get("status") in resting:
            if extra_reads == 0:
                break
            extra_reads -= 1
        if not clock.wait(attempt):
            trace.timed_out = snapshot.get("status") not in resting
            break
        attempt += 1
    trace.waited = clock.describe(attempt)
    return trace


class JobsClient:
    """A collection of import jobs at `jobs_path` (`POST` a form, `GET …/{id}`), read until they rest."""

    jobs_path: str

    def __init__(self, target: Target, terminal: frozenset[str]) -> None:
        self.target = target
        self.terminal = terminal

    def post_form(self, upload: Upload | None, fields: Mapping[str, Any], *, token: Any = DEFAULT) -> httpx.Response:
        parts, describe = multipart(upload, fields)
        return self.target.request("POST", self.jobs_path, token=token, files=parts, describe=describe)

    def get(self, job_id: str, *, token: Any = DEFAULT) -> httpx.Response:
        return self.target.request("GET", f"{self.jobs_path}/{job_id}", token=token)

    def read(self, job_id: str) -> dict[str, Any] | None:
        """The job as read now, or None when it could not be read."""
        job = job_read(self.get(job_id))
        return job if isinstance(job, dict) else None

    def wait(self, job_id: str, timeout: float, *, rest: Collection[str] = ()) -> JobTrace:
        """Read the job until it is terminal or rests in `rest` (then once more after time passes, to see that
        it stays), or time runs out."""
        resting = set(self.terminal) | set(rest)
        return wait_for_job(self.target.clock, lambda: job_read(self.get(job_id)), job_id, timeout, resting)
