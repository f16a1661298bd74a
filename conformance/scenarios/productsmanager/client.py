"""Products Manager's import endpoints as the scenarios call them, and waiting for a job to finish."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.observations import ErrorListing, ErrorPage
from conformance.scenarios.jobs import JobsClient, Upload
from conformance.target import DEFAULT

IMPORTS = "/api/v1/imports"
MAX_ERROR_PAGES = 60


class ImportsApi(JobsClient):
    jobs_path = IMPORTS

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
        fields = {"format": file_format, "mapping": mapping, "update_existing": update_existing, "file": text_file}
        return self.post_form(upload, fields, token=token)

    def errors(self, job_id: str, *, token: Any = DEFAULT, **query: int) -> httpx.Response:
        return self.target.request("GET", f"{IMPORTS}/{job_id}/errors", token=token, params=query)

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
