"""Exports: an unknown export is 404; (the fake's choice, --strict) a started export finishes on the clock and its
file_url downloads a file (J-067, X-27)."""

from __future__ import annotations

from conformance.checks import jasper_products as checks
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper_products.client import API, id_of, item_of, jasper_products_api


@scenario(API, rules=["J-067", "J-005"])
def unknown_export_is_404(ctx: ScenarioContext) -> None:
    """GET /exports/<unknown id> answers 404."""
    api = jasper_products_api(ctx)
    ctx.verify(checks.invalid_refused, response=api.get("/exports/987654321"), why="an unknown export",
               statuses=(404,))


@scenario(API, rules=["J-067", "X-27"], strict=True)
def export_finishes_and_downloads(ctx: ScenarioContext) -> None:
    """POST /exports (x-inferred) is queued, finishes as the clock passes, and its file_url downloads a file."""
    api = jasper_products_api(ctx)
    response = api.post("/exports", {"profile_id": 1})
    ctx.require(checks.change_accepted, response=response, what="starting an export (x-inferred)")
    export = id_of(response, ("export",))
    statuses = [item_of(response, ("export",)).get("status")]
    ctx.target.clock.start(ctx.options.timeout)
    attempt = 0
    while statuses[-1] != "finished" and ctx.target.clock.wait(attempt):
        attempt += 1
        statuses.append(item_of(api.get(f"/exports/{export}"), ("export",)).get("status"))
    url = item_of(api.get(f"/exports/{export}"), ("export",)).get("file_url")
    download = ctx.target.client.get(url, headers=ctx.target.headers()) if url else None
    ctx.verify(checks.export_finishes_with_a_file, statuses=statuses, download=download)
