"""What the schema layer created on a target, undone after it: the suite leaves a target as it found it.

Schemathesis creates resources with every accepted POST (webhooks to made-up addresses, attributes, brands…)
and may enable them. After the layer, each created resource is deleted where the spec has a DELETE for it,
else disabled where it has a `…/disable` (Jasper's webhooks have no DELETE), and each one it
enabled or rewrote is disabled, so no webhook to a made-up address stays live (QA-D19). Only 2xx answers are
undone; a cleanup request that fails is noted, never a violation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.spec import SpecIndex


def _created_id(body: Any) -> Any:
    if not isinstance(body, Mapping):
        return None
    if isinstance(body.get("id"), (int, str)) and not isinstance(body.get("id"), bool):
        return body["id"]
    inner = body.get("data") if "data" in body else (next(iter(body.values())) if len(body) == 1 else None)
    return _created_id(inner) if isinstance(inner, Mapping) else None


class Leftovers:
    """URLs to DELETE or to PUT …/disable, gathered from the layer's interactions."""

    def __init__(self, spec: SpecIndex) -> None:
        self.spec = spec
        self.undo: dict[str, tuple[str, str]] = {}  # resource URL -> (method, URL) that undoes it
        self._item_paths = {op.path for op in spec.operations.values()}
        self._methods = {(op.method, op.path) for op in spec.operations.values()}

    def _undo_for(self, collection: str) -> tuple[str, str] | None:
        """(method, path suffix) that undoes an item of `collection` (a path template), if the spec has one."""
        for path in self._item_paths:
            if path.startswith(collection + "/{") and path.count("/") == collection.count("/") + 1:
                if ("delete", path) in self._methods:
                    return "DELETE", ""
                if ("put", path + "/disable") in self._methods:
                    return "PUT", "/disable"
        return None

    def observe(self, method: str, url: str, label: str | None, status: int | None, content: bytes | None) -> None:
        if label is None or status is None or not 200 <= status < 300:
            return
        path = label.partition(" ")[2]
        url = url.split("?", 1)[0].rstrip("/")
        if method.upper() == "POST" and "{" not in path.rsplit("/", 1)[-1]:
            try:
                created = _created_id(json.loads(content or b""))
            except ValueError:
                return
            undo = self._undo_for(path) if created is not None else None
            if undo is not None:
                item = f"{url}/{created}"
                self.undo[item] = (undo[0], item + undo[1])
        elif method.upper() in ("PUT", "PATCH"):
            # Enabled, or rewritten (perhaps with "status": "enabled", to a made-up address): disabled after.
            item, item_path = (url[: -len("/enable")], path[: -len("/enable")]) if path.endswith("/enable") else (
                url, path)
            if ("put", item_path + "/disable") in self._methods:
                self.undo.setdefault(item, ("PUT", item + "/disable"))

    def remove(self, client: httpx.Client, headers: Mapping[str, str]) -> list[str]:
        """Undo everything gathered; the requests that failed, as text."""
        failed = []
        for method, url in self.undo.values():
            try:
                response = client.request(method, url, headers=dict(headers))
            except httpx.HTTPError as exc:
                failed.append(f"{method} {url}: {type(exc).__name__}")
                continue
            if response.status_code >= 300 and response.status_code not in (404, 410):
                failed.append(f"{method} {url} -> {response.status_code}")
        self.undo.clear()
        return failed

