"""Variants of the fake's admin API for testing the conformance suite's `admin` profile (see broken_variants.py).
Each is broken: `pim-conformance run --api admin` must exit 1 on it.

    Rewrite (broken_variants)
    ├── CountOffByOne        /requests/count answers one more than the journal holds
    ├── FaultsIgnored        POST /faults answers 201 but the fault never reaches the server
    └── AnyFaultAccepted     an invalid fault definition is answered 201 instead of 400
"""

from __future__ import annotations

import json

from broken_variants import Request, Response, Rewrite, json_response

FAULTS = "/__admin/faults"


class CountOffByOne(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.path == "/__admin/requests/count" and isinstance(body, dict) and "count" in body:
            return response.with_json({"count": body["count"] + 1})
        return response


class FaultsIgnored(Rewrite):
    def request(self, request: Request) -> Request | Response:
        if request.method == "POST" and request.path == FAULTS:
            definition = json.loads(request.body or b"{}")
            return json_response(201, {**definition, "id": 1, "probability": 1, "count": None, "remaining": None,
                                       "applied": 0})
        return request


class AnyFaultAccepted(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        if request.method == "POST" and request.path == FAULTS and response.status == 400:
            return json_response(201, {"id": 1, "kind": "latency", "ms": 0, "probability": 1, "count": None,
                                       "remaining": None, "applied": 0})
        return response


BROKEN = {"count_off_by_one": CountOffByOne, "faults_ignored": FaultsIgnored, "any_fault_accepted": AnyFaultAccepted}
