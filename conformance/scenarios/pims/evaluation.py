"""getList against a reference evaluation: this run's products, with chosen titles, prices and statuses, are
selected by condition_query and filter_values and sorted by order; the expected SKUs are computed in Python
from what the scenario wrote (PI-16, PI-22, PI-23, PI-24).

Only what the seed states is asserted: the values are chosen so that the open questions (LIKE's case
sensitivity, NULLs, text or numeric comparison of "12.50", whether range bounds are inclusive) do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import groupby

from conformance.checks.pims import evaluation, products
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, pims_api

# name -> (title, price, status). Prices all have two digits and two decimals, so text and numeric
# comparison agree; titles are never compared with a pattern in another case.
CATALOGUE: Mapping[str, tuple[str, str, str]] = {
    "A": ("Red Widget", "12.50", "active"),
    "B": ("Blue Widget", "15.00", "active"),
    "C": ("Red Gadget", "15.00", "active"),
    "D": ("Green Gizmo", "18.25", "active"),
    "E": ("Blue Gadget", "22.00", "active"),
    "F": ("Red Gizmo", "27.75", "active"),
    "G": ("Silver Widget", "31.00", "inactive"),
    "H": ("Green Widget", "45.00", "active"),
}

Row = tuple[str, float, str]  # title, price, status
# condition (inside `[[sku]] LIKE '<prefix>%' AND (...)`) -> the same predicate in Python
CONDITIONS: tuple[tuple[str, Callable[[Row], bool]], ...] = (
    ("[[price]] > 14 AND [[price]] < 25", lambda r: 14 < r[1] < 25),
    (
        "[[title]] LIKE '%Widget' AND NOT [[title]] LIKE 'Red%'",
        lambda r: r[0].endswith("Widget") and not r[0].startswith("Red"),
    ),
    ("[[title]] NOT LIKE '%Widget%'", lambda r: "Widget" not in r[0]),
    ("[[title]] IN ('Red Gadget', 'Green Gizmo', 'No Such Title')", lambda r: r[0] in ("Red Gadget", "Green Gizmo")),
    (
        "([[title]] LIKE 'Blue%' OR [[title]] LIKE 'Green%') AND [[price]] > 20",
        lambda r: r[0].startswith(("Blue", "Green")) and r[1] > 20,
    ),
    ("NOT ([[price]] < 20 OR [[title]] LIKE '%Gizmo')", lambda r: not (r[1] < 20 or r[0].endswith("Gizmo"))),
    ("[[status]] = 'inactive' OR [[price]] < 13", lambda r: r[2] == "inactive" or r[1] < 13),
    (
        "[[price]] < 13 OR [[price]] > 40 AND [[title]] LIKE 'Green%'",  # AND binds tighter than OR, as in SQL
        lambda r: r[1] < 13 or (r[1] > 40 and r[0].startswith("Green")),
    ),
)
# filter_values -> the same predicate in Python; range bounds never equal a price (inclusiveness is open)
FILTERS: tuple[tuple[Mapping[str, str], Callable[[Row], bool]], ...] = (
    ({"price": "14;;20"}, lambda r: 14 <= r[1] <= 20),
    ({"price": "20.5;;35"}, lambda r: 20.5 <= r[1] <= 35),
    ({"price": "12.50|22.00"}, lambda r: r[1] in (12.5, 22.0)),
    ({"title": "Red Widget|Blue Gadget"}, lambda r: r[0] in ("Red Widget", "Blue Gadget")),
)


@scenario(API, rules=["PI-16", "PI-22", "PI-23", "PI-24", "PI-29", "X-72"])
def listing_matches_reference_evaluation(ctx: ScenarioContext) -> None:
    """condition_query, filter_values and order over this run's products give what Python computes."""
    api = pims_api(ctx)
    rows: dict[str, Row] = {}
    for name, (title, price, status) in CATALOGUE.items():
        sku = api.sku(f"EVAL-{name}")
        response = api.create(sku, title=title, price=price, status=status)
        ctx.require(products.write_accepted, response=response, sku=sku)
        rows[sku] = (title, float(price), status)
    ctx.note(f"products {', '.join(f'{sku} {row}' for sku, row in rows.items())}")
    own = f"[[sku]] LIKE '{api.prefix}%'"

    for condition, predicate in CONDITIONS:
        query = f"{own} AND ({condition})"
        ctx.verify(
            evaluation.selection_matches_reference,
            response=api.get_list(condition_query=query),
            expected=[sku for sku, row in rows.items() if predicate(row)],
            query=f"condition_query {query}",
        )
    for filters, predicate in FILTERS:
        ctx.verify(
            evaluation.selection_matches_reference,
            response=api.own(filter_values=dict(filters)),
            expected=[sku for sku, row in rows.items() if predicate(row)],
            query=f"filter_values {dict(filters)}",
        )
    for direction in ("ASC", "DESC"):
        by_price = sorted(rows, key=lambda sku: rows[sku][1], reverse=direction == "DESC")
        groups = [list(group) for _, group in groupby(by_price, key=lambda sku: rows[sku][1])]
        ctx.verify(
            evaluation.order_matches_reference,
            response=api.own(order=[{"attribute": "price", "direction": direction}]),
            groups=groups,
            order=f"price {direction}",
        )
