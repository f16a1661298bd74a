"""Wizart import scenarios: each terminal status and what it means for the rows left in the catalogue."""

from __future__ import annotations

import io
import math
import zipfile

from hypothesis import strategies as st

from conformance.bodies import json_body
from conformance.checks.wizart import imports as checks
from conformance.observations import JobTrace
from conformance.scenarios import Abort, ScenarioContext, scenario
from conformance.scenarios.wizart.catalogs import Catalog, templates
from conformance.scenarios.wizart.client import WizartApi

API = "wizart"


def examples(ctx: ScenarioContext) -> int:
    return max(1, math.ceil(ctx.options.max_examples / 10))


def start(ctx: ScenarioContext, api: WizartApi, catalog: Catalog) -> tuple[int, str | None]:
    ctx.note(catalog.describe())
    response = api.upload(catalog.csv(), catalog.images(), catalog.product_type, describe=catalog.describe())
    body = json_body(response)
    data = body.get("data") if isinstance(body, dict) else None
    import_id = data.get("id") if isinstance(data, dict) and 200 <= response.status_code < 300 else None
    if import_id:
        ctx.note(f"import {import_id}")
    return response.status_code, import_id


def run(ctx: ScenarioContext, api: WizartApi, catalog: Catalog) -> tuple[JobTrace, set[str]]:
    """Upload, wait for the end (judging the history), and read which rows it left."""
    created, import_id = start(ctx, api, catalog)
    if import_id is None:
        ctx.tally.record_suite_error(f"a valid {catalog.describe()} upload was refused: {created}")
        raise Abort("upload refused")
    trace = api.wait(import_id)
    ctx.note(f"import {import_id} went {trace.history()}")
    ctx.verify(checks.status_in_vocabulary, trace=trace)
    ctx.verify(checks.status_moves_forward, trace=trace)
    ctx.require(checks.reaches_terminal_status, trace=trace)
    ctx.verify(checks.terminal_status_is_final, trace=trace)
    return trace, api.imported_keys(import_id)


def catalogs(*, bad: bool = False, missing: bool = False, fatal: bool = False) -> st.SearchStrategy[Catalog]:
    @st.composite
    def build(draw: st.DrawFn) -> Catalog:
        count = draw(st.integers(min_value=4 if (bad or missing or fatal) else 1, max_value=40))
        catalog = Catalog(draw(st.sampled_from(sorted(templates()))), count)
        rows = st.integers(min_value=0, max_value=count - 1)
        if bad:
            catalog.bad_type = set(draw(st.lists(rows, min_size=1, max_size=3)))
        if missing:
            catalog.missing_image = set(draw(st.lists(rows, min_size=1, max_size=2)))
        if fatal:
            catalog.fatal = draw(st.integers(min_value=1, max_value=count - 2))
            catalog.bad_type = set(draw(st.lists(st.integers(0, catalog.fatal - 1), max_size=1)))
        return catalog

    return build()


@scenario(API, rules=["WZ-09", "WZ-10", "WZ-11", "WZ-12", "WZ-13", "WZ-15", "WZ-18"])
def clean_import_succeeds(ctx: ScenarioContext) -> None:
    """A clean CSV + ZIP passes the statuses in order and ends `success` with every row imported."""
    api = WizartApi(ctx)

    def body(catalog: Catalog) -> None:
        trace, imported = run(ctx, api, catalog)
        ctx.verify(checks.success_imported_every_row, trace=trace, rows=catalog.skus, imported=imported)

    ctx.for_examples(catalogs(), body, count=examples(ctx), label="clean")


@scenario(API, rules=["WZ-19"])
def warning_skips_bad_rows(ctx: ScenarioContext) -> None:
    """Rows with a value of the wrong type are skipped; the import ends `warning` with the others imported."""
    api = WizartApi(ctx)

    def body(catalog: Catalog) -> None:
        trace, imported = run(ctx, api, catalog)
        ctx.verify(checks.warning_skipped_exactly_the_bad_rows, trace=trace, rows=catalog.skus, bad=catalog.bad,
                   imported=imported)

    ctx.for_examples(catalogs(bad=True), body, count=examples(ctx), label="bad types")


@scenario(API, rules=["WZ-17"])
def missing_images_are_not_success(ctx: ScenarioContext) -> None:
    """A CSV naming images the archive lacks does not end `success` (the fake skips those rows: warning)."""
    api = WizartApi(ctx)

    def body(catalog: Catalog) -> None:
        trace, imported = run(ctx, api, catalog)
        ctx.verify(checks.missing_image_is_not_success, trace=trace)
        ctx.verify(checks.missing_image_rows_skipped, trace=trace, rows=catalog.skus, bad=catalog.bad,
                   imported=imported)

    ctx.for_examples(catalogs(missing=True), body, count=examples(ctx), label="missing images")


@scenario(API, rules=["WZ-20", "X-94"])
def failure_keeps_rows_before_the_fatal_one(ctx: ScenarioContext) -> None:
    """A row with a fatal error stops the import in `failure`: the rows before it imported, none after."""
    api = WizartApi(ctx)

    def body(catalog: Catalog) -> None:
        trace, imported = run(ctx, api, catalog)
        ctx.verify(checks.nul_row_is_fatal, trace=trace)
        ctx.verify(checks.failure_kept_only_rows_before_the_fatal_one, trace=trace, rows=catalog.skus,
                   fatal=catalog.fatal, bad=catalog.bad, imported=imported)

    ctx.for_examples(catalogs(fatal=True), body, count=examples(ctx), label="fatal")


@scenario(API, rules=["WZ-14", "WZ-15"])
def another_template_fails_validation(ctx: ScenarioContext) -> None:
    """A flooring CSV uploaded as wall (and the reverse) fails validating_csv and imports nothing."""
    api = WizartApi(ctx)
    kinds = sorted(templates())
    for product_type in kinds:
        other = next(k for k in kinds if k != product_type)
        catalog = Catalog(product_type, 3, header=[c["name"] for c in templates()[other]["columns"]])
        created, import_id = start(ctx, api, catalog)
        trace = api.wait(import_id) if import_id else None
        imported = api.imported_keys(import_id) if import_id else set()
        ctx.verify(checks.template_mismatch_fails_validation, created=created, trace=trace, imported=imported)


def broken_archives(catalog: Catalog) -> dict[str, bytes]:
    """Archives a PIM cannot unpack: not a ZIP, a path-traversal name, a member whose data fails its CRC."""
    traversal = io.BytesIO()
    with zipfile.ZipFile(traversal, "w") as archive:
        archive.writestr("../../" + catalog.sku(0).lower() + ".jpg", b"x")
    good = catalog.images()
    crc = io.BytesIO()
    with zipfile.ZipFile(crc, "w", zipfile.ZIP_STORED) as archive:
        for name in zipfile.ZipFile(io.BytesIO(good)).namelist():
            archive.writestr(name, b"A" * 300)
    return {"not a ZIP": b"this is not a zip archive", "a ../../ member name": traversal.getvalue(),
            "a member failing its CRC": crc.getvalue().replace(b"A" * 100, b"B" * 100, 1)}


@scenario(API, rules=["WZ-16"])
def unusable_archives_are_not_imported(ctx: ScenarioContext) -> None:
    """An images archive that is no ZIP, names a file outside itself, or does not inflate imports nothing."""
    api = WizartApi(ctx)
    catalog = Catalog("wall", 2)
    for what, archive in broken_archives(catalog).items():
        ctx.note(f"images: {what}")
        response = api.upload(catalog.csv(), archive, "wall", describe=f"wall CSV + {what}")
        body = json_body(response)
        data = body.get("data") if isinstance(body, dict) else None
        import_id = data.get("id") if isinstance(data, dict) and response.status_code < 300 else None
        trace = api.wait(import_id) if import_id else None
        imported = api.imported_keys(import_id) if import_id else set()
        ctx.verify(checks.unusable_archive_not_imported, created=response.status_code, trace=trace, imported=imported)
