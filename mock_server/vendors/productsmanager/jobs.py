"""Products Manager import jobs: options, creation, and what a client observes of them on the clock."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from mock_server.clock import iso
from mock_server.errors import BadRequest, NotFound
from mock_server.ids import ulid
from mock_server.imports.engine import Work
from mock_server.imports.formats import detect_format
from mock_server.imports.products import DescribeError, ProductUpsert, first_errors
from mock_server.imports.rows import ColumnMapper, unknown_targets
from mock_server.imports.timeline import Observation, Outcome, waiting_status
from mock_server.imports.timeline import observe as replay
from mock_server.pagination import page_positions
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.uploads import SavedUpload
from mock_server.vendors.productsmanager import rules
from mock_server.vendors.productsmanager.state import state as vendor_state


@dataclass(frozen=True)
class Options:
    format: str | None
    mapping: dict[str, str]
    update_existing: bool


def parse_options(form: Mapping[str, object], messages: Messages) -> Options:
    """The form fields besides `file`; Connexion has checked their types against the spec."""
    mapping = form.get("mapping") or {}
    if isinstance(mapping, str):  # a client that sends the field as text/plain: still JSON
        try:
            mapping = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise BadRequest(messages("requests", "invalid_mapping"), code="invalid_mapping") from exc
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in mapping.items()):
        raise BadRequest(messages("requests", "invalid_mapping"), code="invalid_mapping")
    unknown = unknown_targets(mapping, rules.PRODUCT_FIELDS)
    if unknown:
        raise BadRequest(messages("requests", "unknown_mapping_field", fields=", ".join(unknown),
                                  known=", ".join(sorted(rules.PRODUCT_FIELDS))), code="invalid_mapping")
    update_existing = form.get("update_existing", True)
    fmt = form.get("format")  # a string of the spec's enum when given
    return Options(format=fmt if isinstance(fmt, str) and fmt else None, mapping=mapping,
                   update_existing=bool(update_existing))


def _describe(messages: Messages) -> DescribeError:
    def describe(row: int, fields: Mapping[str, object], code: str, params: dict) -> dict:
        ean = fields.get("ean")
        return {"row": row, "ean": None if ean is None else str(ean), "error": rules.ERROR_KINDS[code],
                "message": messages("rows", code, **params)}

    return describe


def file_format(upload: SavedUpload, options: Options, messages: Messages) -> str:
    """The format given, else the one detected; a file detected as anything but CSV, XLSX or JSON (an
    .xml file) is refused at the request (PM-03)."""
    fmt = options.format or detect_format(upload.filename, upload.head)
    if fmt not in rules.FORMATS:
        upload.path.unlink(missing_ok=True)
        raise BadRequest(messages("requests", "unsupported_file_type", format=fmt), code="unsupported_file_type")
    return fmt


def create(rt: Runtime, upload: SavedUpload, options: Options) -> dict:
    now = rt.clock.now()
    job_id, fmt = "imp_" + ulid(now), file_format(upload, options, rt.messages["productsmanager"])
    job = {
        "id": job_id,
        "format": fmt,
        "file_name": upload.filename,
        "file_size": upload.size,
        "update_existing": options.update_existing,
        "mapping": options.mapping,
        "created_at": now,
    }
    rt.store.insert(rules.IMPORTS, job)
    errors_table = rules.errors_table(job_id)

    def write_errors(documents: list[dict]) -> None:
        rt.store.insert_many(errors_table, documents, handed_over=True)

    sink = ProductUpsert(
        rt.store, rules.PRODUCTS,
        mapper=ColumnMapper(options.mapping, rules.PRODUCT_FIELDS),
        update_existing=options.update_existing,
        describe=_describe(rt.messages["productsmanager"]),
        stamp={"import_id": job_id, "updated_at": iso(now)},
    )
    rt.imports.submit(Work(job_id=job_id, path=upload.path, fmt=fmt, sink=sink, formats=rules.FORMATS,
                           lane=rules.PRODUCTS,  # it writes the catalogue as it reads: imports in upload order
                           write_errors=first_errors(write_errors, rt.imports.limits.max_error_rows)))
    return job


def find(rt: Runtime, job_id: str) -> dict | None:
    return rt.store.find(rules.IMPORTS, "id", job_id)


async def observe(rt: Runtime, job: dict) -> Observation:
    flow = vendor_state(rt).flow
    now = rt.clock.now()
    outcome: Outcome | None = None
    if waiting_status(flow, job["created_at"], now) is None:
        try:
            outcome = await rt.imports.outcome(job["id"])
        except KeyError as exc:  # the fake was reset while this request waited
            raise NotFound(rt.messages["productsmanager"]("requests", "import_not_found", id=job["id"])) from exc
    return replay(flow, job["created_at"], now, outcome)


def created_view(rt: Runtime, job: dict) -> dict:
    first_status = vendor_state(rt).flow.waiting[0].status
    return {"id": job["id"], "status": first_status, "format": job["format"], "total_rows": 0,
            "created_at": iso(job["created_at"])}


def status_view(job: dict, seen: Observation, messages: Messages) -> dict:
    failure = None
    if seen.failure is not None:
        code, params = seen.failure
        failure = messages("failures", code, **params)
    return {
        "id": job["id"],
        "status": seen.status,
        "format": job["format"],
        "file_name": job["file_name"],
        "update_existing": job["update_existing"],
        "total_rows": seen.total_rows,
        "processed_rows": seen.processed_rows,
        "created_rows": seen.created_rows,
        "updated_rows": seen.updated_rows,
        "error_rows": seen.error_rows,
        "created_at": iso(job["created_at"]),
        "started_at": iso(seen.started_at),
        "completed_at": iso(seen.completed_at),
        "error_message": failure,
    }


def error_page(rt: Runtime, job: dict, seen: Observation, page: int, per_page: int) -> list[dict]:
    """Rows `(page-1)*per_page + 1 …` of the errors found so far; error documents are stored in row order
    with doc ids 1, 2, …, so a page is a direct id lookup."""
    return rt.store.get_many(rules.errors_table(job["id"]), page_positions(page, per_page, seen.error_rows))
