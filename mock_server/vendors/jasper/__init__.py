"""Jasper Standard PIM v1 (seed 002): the catalog resources on a declared resource engine, Laravel-style."""

from __future__ import annotations

from mock_server.app_errors import schema_error
from mock_server.errors import BadRequest, FakeError
from mock_server.middleware.json_body import JsonBodyMiddleware
from mock_server.specs import Messages
from mock_server.vendors.base import Rendered, Vendor, envelope
from mock_server.vendors.jasper import barcodes, products, state
from mock_server.vendors.jasper.engine import seed_tables
from mock_server.vendors.jasper.operations import handler_table
from mock_server.vendors.jasper.products_setup import products_fixtures
from mock_server.vendors.jasper.resources import BY_NAME

# The seed documents no error body: Laravel's own, `{"message": …}` (JS-D01).
_envelope = envelope(lambda code, message: {"message": message})

# The seed's closed status vocabulary (J-003): a framework status outside it becomes the nearest one in it.
STATUSES = frozenset({400, 401, 403, 404, 429, 500, 503})
NEAREST = {405: 404}  # a documented path without that method: the route does not exist (J-042)


def _explained(error: FakeError) -> FakeError:
    """A body the spec's cross-field rules refused (a barcode's digits per type, a price's amounts), said as the
    fake's own rule says it."""
    context = schema_error(error)
    if context is None or context.validator not in ("oneOf", "anyOf") or not isinstance(context.instance, dict):
        return error
    body = context.instance
    if isinstance(body.get("type"), str) and "barcode" in body:
        try:
            barcodes.check(body["type"], body["barcode"])
        except BadRequest as problem:
            return problem
    if "base" in body:
        return products.price_problem(body) or error
    return error


def render_error(error: FakeError, messages: Messages) -> Rendered:
    error = _explained(error)
    if error.status not in STATUSES:
        status = NEAREST.get(error.status, 400 if error.status < 500 else 500)
        headers = {k: v for k, v in error.headers.items() if k != "Allow"}
        error = error.but(status=status, headers=headers, message="Resource not found." if status == 404 else None)
    return _envelope(error, messages)


def seed(fixtures: dict) -> dict[str, list]:
    return seed_tables(BY_NAME, {**fixtures["tables"], **products_fixtures()["tables"]})


def on_reset(runtime) -> None:
    state.state(runtime).engine.load()


def banner(fixtures: dict) -> list[str]:
    creds = fixtures["credentials"]
    lines = [f"Authorization: Bearer {t}" for t in creds["tokens"]]
    return lines + [f"Authorization: Bearer {t}   (read-only)" for t in creds.get("read_only_tokens", [])]


VENDOR = Vendor(
    name="jasper",
    spec="jasper",
    handlers="mock_server.vendors.jasper.handlers",
    operations=handler_table,  # operationIds name handler bindings (`getAttribute` -> `attributes.get`)
    render_error=render_error,
    seed=seed,
    state=state.create,
    banner=banner,
    on_reset=on_reset,
    middleware=(JsonBodyMiddleware,),  # a body without a JSON content type is read as JSON (J-009)
)
