"""PIMS's behaviour checks (seed 001), registered in `REGISTRIES["pims"]`; helpers they share.

A check here asserts either what seed 001 states (every server) or, with `strict=True`, a choice the fake
made where the seed is silent (the HTTP status of an error body, X-77; `sku_count` over all pages, X-82).
Errors are judged by their body, `{"status": "Error", "status_message": ...}`, whatever the HTTP status.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.bodies import body_of
from conformance.checks import check as _check

API = "pims"
check = functools.partial(_check, api=API)


def sent(response: httpx.Response) -> str:
    content = (response.request.content or b"")[:300].decode("utf-8", "replace")
    view = response.request.headers.get("ApiView")
    return f"{response.request.method} {response.request.url}{f' (ApiView {view})' if view else ''} {content}"


def answered(response: httpx.Response) -> str:
    return f"{response.status_code} {json.dumps(body_of(response))[:300]}"


def is_ok(response: httpx.Response) -> bool:
    body = body_of(response)
    return response.status_code == 200 and isinstance(body, Mapping) and body.get("status") == "OK"


def is_error(response: httpx.Response) -> bool:
    body = body_of(response)
    return response.status_code < 500 and isinstance(body, Mapping) and body.get("status") == "Error"


def attributes_of(response: httpx.Response) -> Mapping[str, Any]:
    body = body_of(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    attributes = data.get("attributes") if isinstance(data, Mapping) else None
    return attributes if isinstance(attributes, Mapping) else {}


def skus_of(response: httpx.Response) -> list[Any]:
    body = body_of(response)
    products = body.get("products") if isinstance(body, Mapping) else None
    return [item.get("sku") for item in products if isinstance(item, Mapping)] if isinstance(products, list) else []
