"""Helpers for the Wizart tests: tokens, catalog and archive builders, and a client whose every JSON:API answer is
validated against the official JSON:API 1.1 schema (openapi/jsonapi/schema-1.1.json)."""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parent.parent
BASE = "/wizart/api/v2.1"
BASE_20 = "/wizart/api/v2.0"
CLIENT = {"grant_type": "client_credentials", "client_id": "wizart_test_client",
          "client_secret": "wizart_test_secret_0001"}
ACCOUNT = {"web": "wz_web_test_0001", "android": "wz_android_test_0001", "ios": "wz_ios_test_0001",
           "direct": "wz_direct_test_0001"}
WALL = ["sku", "name", "collection", "width_cm", "height_cm", "pattern_repeat_cm", "price", "image"]
FLOORING = ["sku", "name", "collection", "plank_length_mm", "plank_width_mm", "thickness_mm", "price", "image"]
JSONAPI = "application/vnd.api+json"


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "openapi" / "jsonapi" / "schema-1.1.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def assert_jsonapi(response) -> dict:
    """A JSON:API answer: the media type, and a body the official schema accepts."""
    assert response.headers["content-type"].split(";")[0] == JSONAPI, response.headers
    body = response.json()
    errors = [e.message for e in validator().iter_errors(body)]
    assert not errors, (errors, body)
    assert body["jsonapi"] == {"version": "1.1"}
    return body


class Wizart:
    """A test client speaking to /wizart; JSON:API answers are validated on the way."""

    def __init__(self, client) -> None:
        self.client = client
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            response = self.client.post("/wizart/oauth/token", data=CLIENT)
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return self._token

    def auth(self, kind: str = "bearer") -> dict:
        return {"Authorization": f"Bearer {self.token() if kind == 'bearer' else ACCOUNT[kind]}"}

    def request(self, method: str, path: str, *, kind: str = "bearer", headers=None, **kwargs):
        response = self.client.request(method, path, headers={**self.auth(kind), **(headers or {})}, **kwargs)
        if response.status_code == 401 and kind == "bearer" and "token_expired" in response.text:
            self._token = None  # a client renews an expired access token, as the clock moves hours at a time
            response = self.client.request(method, path, headers={**self.auth(kind), **(headers or {})}, **kwargs)
        if not path.endswith("/log") or response.status_code != 200:
            assert_jsonapi(response)
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def upload(self, csv: bytes, images: bytes, product_type: str = "wall", base: str = BASE, **kwargs):
        files = {"csv": ("catalog.csv", csv, "text/csv"), "images": ("images.zip", images, "application/zip")}
        return self.request("POST", f"{base}/imports", files=files, data={"product_type": product_type}, **kwargs)

    def started(self, csv: bytes, images: bytes, product_type: str = "wall") -> str:
        response = self.upload(csv, images, product_type)
        assert response.status_code == 202, response.text
        return response.json()["data"]["id"]

    def status(self, import_id: str, base: str = BASE) -> dict:
        response = self.get(f"{base}/imports/{import_id}")
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def advance(self, seconds: float) -> None:
        assert self.client.post("/__admin/clock/advance", json={"seconds": seconds}).status_code == 200

    def watch(self, import_id: str, steps: int = 40, seconds: float = 1.0) -> list[str]:
        """The distinct statuses seen polling once per `seconds`, until terminal."""
        seen: list[str] = []
        for _ in range(steps):
            status = self.status(import_id)["attributes"]["status"]
            if not seen or seen[-1] != status:
                seen.append(status)
            if status in ("success", "warning", "failure"):
                return seen
            self.advance(seconds)
        return seen

    def finish(self, import_id: str) -> dict:
        self.advance(3600)
        return self.status(import_id)

    def products_of(self, import_id: str) -> list[dict]:
        items, path = [], f"{BASE}/products?filter[import]={import_id}&page[size]=100"
        while path:
            body = self.get(path).json()
            items += body["data"]
            path = body["links"].get("next")
        return items


def wall_row(n: int, *, width: object = 53, image: str | None = None, name: str | None = None) -> list:
    return [f"W-{n:05d}", name if name is not None else f"Wall {n}", "Test", width, 1005, 64, "19.90",
            image or f"w-{n}.jpg"]


def csv_bytes(rows: list[list], header: list[str] = WALL) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def zip_bytes(names: list[str], payload: bytes = b"\xff\xd8\xff\xe0" + b"x" * 200) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, payload)
    return out.getvalue()


def wall_catalog(count: int, *, bad_width: tuple[int, ...] = (), missing_image: tuple[int, ...] = (),
                 fatal: int | None = None) -> tuple[bytes, bytes]:
    """`count` wall rows numbered 1…; the ones named are broken; the ZIP lacks the images of `missing_image`."""
    rows = []
    for n in range(1, count + 1):
        rows.append(wall_row(n, width="wide" if n in bad_width else 53,
                             name=f"Wall\x00{n}" if n == fatal else None))
    images = [f"w-{n}.jpg" for n in range(1, count + 1) if n not in missing_image]
    return csv_bytes(rows), zip_bytes(images)
