"""Generated catalogs for Products Manager imports: rows with known defects, written as CSV, XLSX or JSON.

Hypothesis draws what each row is (valid, or which one thing is wrong with it), its title and price; the
EANs come afterwards from a per-run `EanPool` of GS1 in-store numbers (prefixes 20-29) with random bodies,
so that no two runs, and no run and real catalog data, share a product. Everything else follows --seed.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import strategies as st

from conformance.observations import ExpectedRow
from conformance.scenarios import catalog_files
from conformance.scenarios.catalog_files import CONTENT_TYPES, EanPool, ean13_check_digit  # noqa: F401 (re-exported)
from conformance.scenarios.jobs import Upload

FIELDS = ("ean", "title", "price")
# What is wrong with a row -> the x-messages.rows key of the fake's message for it.
KINDS: dict[str, str | None] = {
    "valid": None,
    "bad_ean_format": "invalid_ean_format",
    "bad_check_digit": "invalid_ean_checksum",
    "missing_title": "missing_title",
    "negative_price": "invalid_price",
    "non_numeric_price": "invalid_price",
}
INVALID_KINDS = [kind for kind, problem in KINDS.items() if problem]
# The seed shows one row rule, "Invalid EAN format." (PM-16). A wrong check digit, a missing title and a bad
# price are rules of the fake (DECISIONS.md PM-D07) that a vendor may not share: only --strict draws them.
CONTRACT_INVALID_KINDS = ["bad_ean_format"]
# The first data row's number in the fake's errors listing: the sheet row (header = 1), or the JSON index + 1.
FIRST_ROW = {"csv": 2, "xlsx": 2, "json": 1}
TITLE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -,'\"&/éüßøÉ"
# Unmistakably not an EAN for any reader: letters in them (the seed's own "invalid-ean" first).
BAD_EANS = ["invalid-ean", "EAN-{n}", "ABC{n}", "12345ABC{n}", "x{n}x", "SKU/{n}"]
NOT_PRICES = ["abc", "free", "N/A", "twelve", "1O.5", "price"]


@dataclass(frozen=True)
class RowPlan:
    """What Hypothesis draws for one row; the EAN is filled in later from the pool."""

    kind: str
    title: str
    price: Decimal
    junk: str  # the bad EAN or bad price text, for the kinds that need one


@dataclass(frozen=True)
class Row:
    kind: str
    ean: str | None
    title: str | None
    price: Decimal | str | None


@dataclass
class Catalog:
    file_format: str
    rows: list[Row]
    columns: Mapping[str, str] = field(default_factory=lambda: {f: f for f in FIELDS})
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))

    def expected(self) -> list[ExpectedRow]:
        return [
            ExpectedRow(index=i, ean=row.ean, problem=KINDS.get(row.kind, row.kind)) for i, row in enumerate(self.rows)
        ]

    @property
    def first_row(self) -> int:
        return FIRST_ROW[self.file_format]

    def describe(self) -> str:
        kinds = [
            f"row {i + self.first_row}: {row.kind} ({row.ean!r})"
            for i, row in enumerate(self.rows)
            if row.kind != "valid"
        ]
        valid = sum(1 for row in self.rows if row.kind == "valid")
        return f"{self.file_format} catalog, {len(self.rows)} data rows, {valid} valid; " + (
            "; ".join(kinds) or "no bad rows"
        )

    def upload(self, extension: str | None = None) -> Upload:
        content = catalog_files.ENCODERS[self.file_format](self.table())
        name = f"pimkit-conformance-{self.nonce}.{extension or self.file_format}"
        return Upload(filename=name, content=content, content_type=CONTENT_TYPES[self.file_format])

    def table(self) -> catalog_files.Table:
        return catalog_files.Table(
            header=[self.columns[f] for f in FIELDS],
            records=[(row.ean, row.title, row.price) for row in self.rows],
            optional={self.columns["title"]},
        )


def build(plans: list[RowPlan], pool: EanPool, file_format: str, columns: Mapping[str, str] | None = None) -> Catalog:
    rows = []
    for n, plan in enumerate(plans):
        ean: str | None = pool.fresh()
        title: str | None = plan.title
        price: Decimal | str | None = plan.price
        if plan.kind == "bad_ean_format":
            ean = plan.junk.format(n=n) if "{n}" in plan.junk else f"{plan.junk}-{n}" if n else plan.junk
        elif plan.kind == "bad_check_digit":
            ean = pool.fresh_with_wrong_check_digit()
        elif plan.kind == "missing_title":
            title = None
        elif plan.kind == "negative_price":
            price = -plan.price
        elif plan.kind == "non_numeric_price":
            price = plan.junk
        rows.append(Row(kind=plan.kind, ean=ean, title=title, price=price))
    return Catalog(file_format=file_format, rows=rows, columns=dict(columns or {f: f for f in FIELDS}))



titles = st.text(alphabet=TITLE_CHARS, min_size=1, max_size=24).map(str.strip).filter(bool)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)


def row_plans(kinds: list[str]) -> st.SearchStrategy[RowPlan]:
    def junk_for(kind: str) -> st.SearchStrategy[str]:
        return st.sampled_from(NOT_PRICES if kind == "non_numeric_price" else BAD_EANS)

    return st.sampled_from(kinds).flatmap(
        lambda kind: st.builds(RowPlan, kind=st.just(kind), title=titles, price=prices, junk=junk_for(kind))
    )


def catalog_plans(max_rows: int = 10, *, strict: bool = True) -> st.SearchStrategy[list[RowPlan]]:
    """Clean files and files that mix valid rows with bad ones, in any order: every kind of bad row with
    `strict`, else only those the seed makes invalid."""
    clean = st.lists(row_plans(["valid"]), min_size=1, max_size=max_rows)
    bad = INVALID_KINDS if strict else CONTRACT_INVALID_KINDS
    mixed = st.lists(row_plans(["valid", "valid", *bad]), min_size=1, max_size=max_rows)
    return st.one_of(clean, mixed)
