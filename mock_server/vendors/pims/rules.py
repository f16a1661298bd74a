"""PIMS's vocabulary as data: tables, actions and who may call them, statuses, read-only attributes, limits.

Defaults and limits are read from `openapi/pims.yaml`, so the spec stays the one place they are written.
"""

from __future__ import annotations

from mock_server.specs import load_spec

PRODUCTS = "pims.products"


def history_table(sku: str) -> str:
    """One table per product: a write rewrites only that product's history (TinyDB rewrites whole tables)."""
    return f"pims.history.{sku}"


_SCHEMAS = load_spec("pims")["components"]["schemas"]

# action -> request schema name, in the spec's order (PI-04)
ACTION_SCHEMAS: dict[str, str] = {
    action: ref.rsplit("/", 1)[-1] for action, ref in _SCHEMAS["ActionRequest"]["discriminator"]["mapping"].items()
}
ACTIONS: tuple[str, ...] = tuple(ACTION_SCHEMAS)
WRITE_ACTIONS = frozenset({"createProduct", "editProduct"})

# permission -> the actions it allows (PI-03; a read-only key is the fake's choice, DECISIONS.md PIMS-D05)
PERMISSIONS: dict[str, frozenset[str]] = {
    "data_editor": frozenset(ACTIONS),
    "data_viewer": frozenset(ACTIONS) - WRITE_ACTIONS,
}

STATUSES: tuple[str, ...] = tuple(_SCHEMAS["Attributes"]["properties"]["status"]["enum"])  # PI-37
DEFAULT_STATUS = "active"
DELETED = "deleted"  # PI-35: deleting is setting this status

SKU = "sku"
STATUS = "status"
CATEGORIES = "categories"
VARIATION_OF = "variation_of"
VARIATION_SKUS = "variation_skus"
VARIATION_ATTRIBUTES = "variation_attributes"
# Computed on every read from the variation family, never stored, always under this name (PI-39).
VARIATION_MATRIX = "variation_matrix"
# Attributes the PIMS maintains itself: sending them for writing is refused (PI-38, PI-39).
READ_ONLY = frozenset({VARIATION_SKUS})
# Attributes every product has in the store, whatever the fixtures or the request give.
ALWAYS_INDEXED = (SKU, STATUS, CATEGORIES, VARIATION_OF)

SKU_MAX_LENGTH: int = _SCHEMAS["Sku"]["maxLength"]
_PAGINATION = _SCHEMAS["Pagination"]["properties"]
DEFAULT_LIMIT: int = _PAGINATION["limit"]["default"]  # PI-12, PI-45
DEFAULT_PAGE: int = _PAGINATION["page"]["default"]  # PI-14
DEFAULT_CAT_ID: int = _SCHEMAS["GetListParams"]["properties"]["cat_id"]["default"]  # PI-17: 0 is every category

# Definition flags are strings: "1" is true.
DEFINITION_TRUE = "1"
# pauseReIndexing="Y" pauses the recalculation of category filter values (PI-44); the fake's indexes are
# always current, so the flag is accepted and changes nothing a client can observe (PIMS-D13).
PAUSE_REINDEXING = "Y"


def flag(value: object) -> bool:
    """A request flag (X-73): JSON true or the string "true"; the schema has refused anything else."""
    return value is True or value == "true"


def mask_key(key: str) -> str:
    """The history's `user` for an API key, as the seed shows it: `axxx...xxx9` (PI-47)."""
    return f"{key[:1]}xxx...xxx{key[-1:]}"


# Attribute types whose values compare and sort as numbers; every other type compares as text.
NUMERIC_TYPES = frozenset({"number", "integer"})
# Longest value a text attribute takes (the fake's choice, PIMS-D07).
TEXT_LIMITS = {"string": 255, "text": 65535, "url": 2048}
