"""Admin operations of the integrator tooling: the request journal, verification, faults and loading data."""

from __future__ import annotations

from mock_server.context import runtime
from mock_server.errors import BadRequest, NotFound
from mock_server.responses import json_response
from mock_server.tooling import faults
from mock_server.tooling.journal import BadQuery, Criteria, Entry

EXPECTATIONS = ("count", "at_least", "at_most")


def _criteria(raw: dict) -> Criteria:
    try:
        return Criteria.parse(raw)
    except BadQuery as exc:
        raise BadRequest(str(exc), code="bad_query") from exc


def _with_near_misses(entry: Entry) -> dict:
    view = entry.view()
    rt = runtime()
    if entry.operation_id is None:
        view["near_misses"] = rt.operations.near_misses(entry.api, entry.method, entry.local_path,
                                                        entry.query_map(), entry.header_map())
    return view


# --- journal ------------------------------------------------------------------------------------------
async def list_requests(limit: int = 100, **query):
    found = runtime().journal.select(_criteria(query))
    shown = found[-limit:] if limit else []
    return json_response({"total": len(found), "requests": [_with_near_misses(e) for e in shown]})


async def list_unmatched_requests(limit: int = 100, **query):
    return await list_requests(limit=limit, **query, unmatched=True)


async def get_request(id: int):
    entry = runtime().journal.get(id)
    if entry is None:
        raise NotFound(f"No request {id} in the journal (it may have left the ring).")
    return json_response(_with_near_misses(entry))


async def clear_requests():
    journal = runtime().journal
    cleared = len(journal)
    journal.clear()
    return json_response({"cleared": cleared})


async def find_requests(body: dict, limit: int = 100):
    found = runtime().journal.select(_criteria(body))
    shown = found[-limit:] if limit else []
    return json_response({"total": len(found), "requests": [_with_near_misses(e) for e in shown]})


async def count_requests(body: dict):
    return json_response({"count": len(runtime().journal.select(_criteria(body)))})


def _describe(body: dict) -> str:
    parts = [f"{body[k]}" for k in ("method", "path") if body.get(k)]
    parts += [f"{k}={body[k]!r}" for k in ("api", "operation", "path_pattern", "status", "since", "until")
              if body.get(k) is not None]
    parts += [f"{where} {k} = {v!r}" for where in ("body", "query", "headers")
              for k, v in (body.get(where) or {}).items()]
    return " ".join(parts) or "any request"


async def verify_requests(body: dict):
    criteria = {k: v for k, v in body.items() if k not in EXPECTATIONS}
    expected = {k: body[k] for k in EXPECTATIONS if body.get(k) is not None}
    if not expected:
        expected = {"at_least": 1}
    found = runtime().journal.select(_criteria(criteria))
    count = len(found)
    ok = (count == expected.get("count", count) and count >= expected.get("at_least", count)
          and count <= expected.get("at_most", count))
    wanted = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in expected.items())
    message = (f"{count} request(s) matched {_describe(criteria)}" if ok else
               f"Expected {wanted} request(s) matching {_describe(criteria)}; received {count}.")
    return json_response({"ok": ok, "count": count, "expected": expected, "message": message,
                          "matched": [e.seq for e in found[-100:]]})


# --- faults -------------------------------------------------------------------------------------------
async def list_faults():
    return json_response({"faults": [f.view() for f in runtime().faults.all()]})


async def add_fault(body: dict):
    rt = runtime()
    try:
        fault = faults.parse(body, tuple(rt.vendors))
    except faults.BadFault as exc:
        raise BadRequest(str(exc), code="bad_fault") from exc
    return json_response(rt.faults.add(fault).view(), status=201)


async def clear_faults():
    rt = runtime()
    cleared = len(rt.faults.all())
    rt.faults.clear()
    return json_response({"cleared": cleared})


async def delete_fault(id: int):
    if not runtime().faults.remove(id):
        raise NotFound(f"No fault {id}.")
    return json_response({"deleted": id})


# --- data ---------------------------------------------------------------------------------------------
async def load_data(api: str, body: dict):
    rt = runtime()
    if api not in rt.vendors:
        raise NotFound(f"No API {api!r}; mounted: {', '.join(rt.vendors)}.")
    try:
        counts = rt.load(api, body)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest(f"The data does not fit {api}'s fixtures format: {exc}", code="bad_data") from exc
    return json_response({"api": api, "loaded": counts})
