"""Prices: the required fields, no update or delete, and activity by from/to against the server's clock
(J-100, J-135 … J-139)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conformance.bodies import json_body
from conformance.checks import jasper_products as checks
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper_products.client import (
    API,
    VERSION,
    JasperProductsApi,
    id_of,
    jasper_products_api,
    new_product,
)
from conformance.target import AdminClock


def server_now(api: JasperProductsApi) -> datetime:
    """The server's time from GET /ping (J-002, `Tue Feb 7 19:05:03 UTC 2017`), else the suite's own."""
    body = json_body(api.get("/ping"))
    text = body.get("time") if isinstance(body, dict) else None
    try:
        return datetime.strptime(" ".join(str(text).split()), "%a %b %d %H:%M:%S UTC %Y").replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@scenario(API, rules=["J-136", "J-137", "J-138", "J-139"])
def price_rules(ctx: ScenarioContext) -> None:
    """A price needs base and one amount; it can be neither updated nor deleted."""
    api = jasper_products_api(ctx)
    pid = new_product(ctx, api, "PRICES")
    ctx.verify(checks.invalid_refused, response=api.post(f"/products/{pid}/prices", {"msrp": 75.99}),
               why="a price without base")
    ctx.verify(checks.invalid_refused, response=api.post(f"/products/{pid}/prices", {"base": "US"}),
               why="a price without msrp, cost, map or sell_price")
    price = api.post(f"/products/{pid}/prices", {"base": "US", "map": 5})
    ctx.require(checks.change_accepted, response=price, what="a price with base and map")
    path = f"/products/{pid}/prices/{id_of(price, ('product_price',))}"
    for response, why in ((api.delete(path), "a price DELETE"), (api.put(path, {"map": 6}), "a price PUT")):
        ctx.verify(checks.invalid_refused, response=response, why=why, statuses=(400, 403, 404))
    ctx.verify(checks.change_accepted, response=api.get(path), what="reading the price after the refused writes")


@scenario(API, rules=["J-100", "J-135"])
def price_activity_by_date(ctx: ScenarioContext) -> None:
    """with=active-prices holds the prices whose from/to include the server's now; moving the clock moves them."""
    api = jasper_products_api(ctx)
    pid = new_product(ctx, api, "ACTIVE")
    now = server_now(api)
    windows = {"past": (now - timedelta(days=10), now - timedelta(days=5)),
               "current": (now - timedelta(days=1), now + timedelta(days=1)),
               "future": (now + timedelta(days=5), None), "open": (None, None)}
    ids = {}
    for name, (start, end) in windows.items():
        body = {"base": "US", "sell_price": 1.0, "from": stamp(start) if start else None,
                "to": stamp(end) if end else None}
        response = api.post(f"/products/{pid}/prices", body)
        ctx.require(checks.change_accepted, response=response, what=f"a {name} price")
        ids[name] = id_of(response, ("product_price",))
    ctx.note(f"server time {now.isoformat()}; prices {ids}")
    sku = api.sku("ACTIVE")

    def item() -> dict:
        items = api.listed(VERSION, sku=sku, **{"with": "active-prices"})
        return dict(items[0]) if items else {}

    ctx.verify(checks.active_prices_by_date, item=item(), expected={ids["current"], ids["open"]}, label="now")
    if isinstance(ctx.target.clock, AdminClock):
        ctx.target.clock.advance(6 * 86400)
        ctx.verify(checks.active_prices_by_date, item=item(), expected={ids["future"], ids["open"]},
                   label="six days later")
