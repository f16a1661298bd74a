"""Products Manager's vocabulary as data: tables, the import lifecycle, error kinds, product fields."""

from __future__ import annotations

from mock_server.imports.timeline import Flow, Stage
from mock_server.specs import load_spec

PRODUCTS = "productsmanager.products"
IMPORTS = "productsmanager.imports"


def errors_table(job_id: str) -> str:
    return f"productsmanager.import_errors.{job_id}"


# pending -> processing -> completed | completed_with_errors | failed (seed 004, "Import statuses").
# Timings are the fake's choice (DECISIONS.md PM-D06): a second in the queue, then 500 rows a second.
FLOW = Flow(
    waiting=(Stage("pending", 1.0),),
    running="processing",
    rows_per_second=500.0,
    terminal={"clean": "completed", "with_errors": "completed_with_errors", "aborted": "failed"},
)

# "The import file (CSV, XLSX, or JSON)." (PM-03): anything else detected fails the job.
FORMATS = frozenset({"csv", "xlsx", "json"})

# The product fields a column can map to (the spec's ProductField enum; DECISIONS.md PM-D05).
PRODUCT_FIELDS = frozenset(load_spec("productsmanager")["components"]["schemas"]["ProductField"]["enum"])

# row problem -> the `error` of its entry in GET /imports/{id}/errors ("validation_error" is the seed's)
ERROR_KINDS = {
    "missing_ean": "validation_error",
    "invalid_ean_format": "validation_error",
    "invalid_ean_checksum": "validation_error",
    "missing_title": "validation_error",
    "invalid_price": "validation_error",
    "duplicate_ean": "duplicate_ean",
    "product_exists": "product_exists",
}
