"""Variants of the fake's Wizart for testing the conformance suite, as ASGI rewrites (see broken_variants.py).
Five are broken (the suite must exit 1 on each); one is a different but correct vendor (it must pass without
--strict).

    Rewrite (broken_variants)
    ├── WrongMediaType             every JSON:API answer is served as text/plain
    ├── NumericErrorStatus         error objects carry `status` as a number
    ├── WarningImportedBadRow      wrongly typed values are "fixed" on the way in, so bad rows are imported,
    │                              and the import still reports `warning`
    ├── FailureImportedAfterFatal  the fatal row is "fixed" on the way in, so every row is imported, and the
    │                              import still reports `failure`
    ├── DeviceTokenUploads         an upload with a Web/Android/iOS/Direct token is taken (as the Bearer's)
    └── DifferentVendor            201 on create, 401 (not 403) for a token kind an operation does not take, 2.1
                                   read as the retired version (the lifetime table taken literally), error objects
                                   without `code`
"""

from __future__ import annotations

import re
from dataclasses import replace

from broken_variants import Request, Response, Rewrite

PREFIX = "/wizart"
IMPORTS = re.compile(rf"^{PREFIX}/api/v2\.[01]/imports$")
IMPORT = re.compile(rf"^{PREFIX}/api/v2\.[01]/imports/(?P<id>[^/]+)$")
ACCOUNTS = (b"wz_web_", b"wz_android_", b"wz_ios_", b"wz_direct_")


def _is_jsonapi(response: Response) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"application/vnd.api+json") for k, v in response.headers)


def _set_header(response: Response, name: bytes, value: bytes | None) -> Response:
    headers = [(k, v) for k, v in response.headers if k.lower() != name]
    if value is not None:
        headers.append((name, value))
    return replace(response, headers=headers)


def _csv_part(request: Request, edit) -> Request:
    """The multipart body with the `csv` part's content passed through `edit` (same length: no header changes)."""
    marker = b'name="csv"'
    start = request.body.find(marker)
    if start < 0:
        return request
    begin = request.body.find(b"\r\n\r\n", start) + 4
    end = request.body.find(b"\r\n--", begin)
    content = edit(request.body[begin:end])
    return replace(request, body=request.body[:begin] + content + request.body[end:])


class WrongMediaType(Rewrite):
    """(1) JSON:API answers are labelled text/plain: neither JSON nor JSON:API (WZ-05, JA-01). (Plain
    application/json is the seed's own "JSON format" and passes without --strict: X-95, QA-D20.)"""

    def response(self, request: Request, response: Response) -> Response:
        if _is_jsonapi(response):
            return _set_header(response, b"content-type", b"text/plain")
        return response


class NumericErrorStatus(Rewrite):
    """(2) error objects say `"status": 404` instead of `"404"` (JA-04)."""

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            for error in body["errors"]:
                error["status"] = int(error["status"])
            return response.with_json(body)
        return response


class _RewritesTerminal(Rewrite):
    """Edits the CSV of an upload, remembers the import it made, and reports `said` once that import ends in
    `success`."""

    said = ""

    def __init__(self) -> None:
        self.edited: set[str] = set()
        self.pending = False

    def edit(self, csv: bytes) -> bytes:
        raise NotImplementedError

    def request(self, request: Request) -> Request:
        self.pending = False
        if request.method == "POST" and IMPORTS.match(request.path):
            edited = _csv_part(request, self.edit)
            self.pending = edited.body != request.body
            return edited
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if self.pending and response.status == 202 and isinstance(body, dict):
            self.edited.add(body["data"]["id"])
        match = IMPORT.match(request.path)
        if request.method == "GET" and match and match["id"] in self.edited and isinstance(body, dict):
            attributes = body.get("data", {}).get("attributes", {})
            if attributes.get("status") == "success":
                attributes["status"] = self.said
                return response.with_json(body)
        return response


class WarningImportedBadRow(_RewritesTerminal):
    """(3) a row with a wrongly typed value is imported, and the import still says `warning` (WZ-19)."""

    said = "warning"

    def edit(self, csv: bytes) -> bytes:
        return re.sub(rb"(?<=,)wide(?=,)", b"1234", csv)


class FailureImportedAfterFatal(_RewritesTerminal):
    """(4) the rows after the fatal one are imported too, and the import still says `failure` (WZ-20)."""

    said = "failure"

    def edit(self, csv: bytes) -> bytes:
        return csv.replace(b"\x00", b" ")


class DeviceTokenUploads(Rewrite):
    """(5) an upload sent with an account token (meant for reading) is accepted (WZ-01, WZ-03)."""

    def __init__(self) -> None:
        self.bearer: bytes | None = None

    def request(self, request: Request) -> Request:
        authorization = request.header("authorization") or ""
        token = authorization.removeprefix("Bearer ").encode()
        if token.startswith(b"wzat_"):
            self.bearer = token
        if request.method == "POST" and IMPORTS.match(request.path) and token.startswith(ACCOUNTS) and self.bearer:
            headers = [(k, v) for k, v in request.headers if k.lower() != b"authorization"]
            return replace(request, headers=headers + [(b"authorization", b"Bearer " + self.bearer)])
        return request


class DifferentVendor(Rewrite):
    """(6) correct, but choosing differently where the seed is silent."""

    RETIRED = (b"deprecation", b"sunset", b"link")

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.method == "POST" and IMPORTS.match(request.path) and response.status == 202:
            response = replace(response, status=201)
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            for error in body["errors"]:
                error.pop("code", None)
                if error.get("status") == "403":
                    error.update(status="401", title="Unauthorized")
            response = response.with_json(body, status=401 if response.status == 403 else response.status)
        if request.path.startswith(f"{PREFIX}/api/v2.0/"):
            for name in self.RETIRED:
                response = _set_header(response, name, None)
        elif request.path.startswith(f"{PREFIX}/api/v2.1/"):
            response = _set_header(response, b"deprecation", b"@1672531200")
            response = _set_header(response, b"sunset", b"Sun, 01 Jan 2023 00:00:00 GMT")
        return response


BROKEN = {
    "wrong_media_type": WrongMediaType,
    "numeric_error_status": NumericErrorStatus,
    "warning_imported_bad_row": WarningImportedBadRow,
    "failure_imported_after_fatal": FailureImportedAfterFatal,
    "device_token_uploads": DeviceTokenUploads,
}
