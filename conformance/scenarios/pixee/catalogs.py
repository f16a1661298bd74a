"""Generated catalogs for Pixee imports: rows with known defects, written as CSV, XLSX, JSON or XML.

Hypothesis draws what each row is (valid, or which one thing is wrong with it), its name and price; the
EANs come afterwards from a per-run `EanPool` of GS1 in-store numbers (prefixes 20-29), so no two runs
share a product. Without --strict the only defect drawn is the seed's own: an EAN that is not 13 digits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import strategies as st

from conformance.checks.pixee.observed import FileFacts, FileRow
from conformance.scenarios import catalog_files
from conformance.scenarios.catalog_files import CONTENT_TYPES, EanPool, ean13_check_digit  # noqa: F401 (re-exported)
from conformance.scenarios.jobs import Upload

FIELDS = ("ean", "name", "price")
FORMATS = ("csv", "xlsx", "json", "xml")


@dataclass(frozen=True)
class Kind:
    """What a kind of row is to Pixee: the x-messages.logs key of its error and the field it names, or of
    the warning a valid row gets."""

    problem: str | None = None
    field: str | None = None
    warning: str | None = None


KINDS = {
    "valid": Kind(),
    "bad_ean_format": Kind("invalid_ean_format", "ean"),  # the seed's rule (PX-25)
    # The fake's choices (DECISIONS.md PX-D07): a wrong check digit is accepted, as the seed's own preview
    # EAN 3760000000001 is; a missing name and a negative price are errors; an empty price is a warning.
    "wrong_check_digit": Kind(),
    "missing_name": Kind("missing_title", "name"),
    "negative_price": Kind("invalid_price", "price"),
    "empty_price": Kind(warning="empty_price"),
}
CONTRACT_KINDS = ["valid", "bad_ean_format"]
# The fake numbers a sheet's rows as the sheet does (header = 1) and JSON items / XML records from 1.
FIRST_ROW = {"csv": 2, "xlsx": 2, "json": 1, "xml": 1}
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -,'\"&/<>éüßøÉ"
SEED_BAD_EAN = "123ABC7890"  # the seed's log example
# Not 13 digits, for any reader: letters, too few digits, too many.
BAD_EANS = [SEED_BAD_EAN, "ABC{n}", "12345{n}", "2{n:013d}", "EAN-{n}", "{n}x"]


@dataclass(frozen=True)
class RowPlan:
    kind: str
    name: str
    price: Decimal
    junk: str  # the bad-EAN template, for bad_ean_format


@dataclass(frozen=True)
class Row:
    kind: str
    ean: str
    name: str | None
    price: Decimal | None


@dataclass
class Catalog:
    file_format: str
    rows: list[Row]
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    extra_sheet: list[str] = field(default_factory=list)  # xlsx: EANs on a second sheet, to be ignored (PX-05)

    def facts(self) -> FileFacts:
        rows = []
        for i, row in enumerate(self.rows):
            kind = KINDS[row.kind]
            rows.append(FileRow(i, row.ean, row.name, row.price, kind.problem, kind.field, kind.warning))
        return FileFacts(tuple(rows), first_row=FIRST_ROW[self.file_format])

    @property
    def file_name(self) -> str:
        return f"pimkit-conformance-{self.nonce}.{self.file_format}"

    def describe(self) -> str:
        bad = [f"data row {i + 1}: {row.kind} ({row.ean!r})" for i, row in enumerate(self.rows) if row.kind != "valid"]
        shown = "; ".join(bad[:8]) + (f"; … {len(bad) - 8} more" if len(bad) > 8 else "")
        return f"{self.file_format} catalog {self.file_name}, {len(self.rows)} data rows; " + (shown or "all valid")

    def upload(self, extension: str | None = None) -> Upload:
        name = self.file_name if extension is None else f"pimkit-conformance-{self.nonce}.{extension}"
        return Upload(
            filename=name,
            content=catalog_files.ENCODERS[self.file_format](self.table()),
            content_type=CONTENT_TYPES[self.file_format],
        )

    def table(self) -> catalog_files.Table:
        extra = [(ean, f"Second sheet {n}", 1.0) for n, ean in enumerate(self.extra_sheet)]
        return catalog_files.Table(
            header=FIELDS,
            records=[(row.ean, row.name, row.price) for row in self.rows],
            optional={"name"},
            extra_sheets={"Ignored": extra} if extra else {},
        )


def build(plans: list[RowPlan], pool: EanPool, file_format: str) -> Catalog:
    rows, used = [], set()
    for n, plan in enumerate(plans):
        name: str | None = plan.name
        price: Decimal | None = plan.price
        ean = pool.fresh()
        if plan.kind == "bad_ean_format":
            ean = plan.junk.format(n=n)
            ean = ean if ean not in used else f"{ean}-{n}"
        elif plan.kind == "wrong_check_digit":
            ean = pool.fresh_with_wrong_check_digit()
        elif plan.kind == "missing_name":
            name = None
        elif plan.kind == "negative_price":
            price = -plan.price
        elif plan.kind == "empty_price":
            price = None
        used.add(ean)
        rows.append(Row(kind=plan.kind, ean=ean, name=name, price=price))
    return Catalog(file_format=file_format, rows=rows)


def valid_rows(pool: EanPool, count: int, file_format: str = "csv") -> Catalog:
    """A large clean catalog, built without Hypothesis (pause and cancel need rows to watch)."""
    plans = [RowPlan("valid", f"Row {n}", Decimal(n % 1000) / 10 + Decimal("0.99"), "") for n in range(count)]
    return build(plans, pool, file_format)



names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=24).map(str.strip).filter(bool)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)


def row_plans(kinds: list[str]) -> st.SearchStrategy[RowPlan]:
    return st.sampled_from(kinds).flatmap(
        lambda kind: st.builds(RowPlan, kind=st.just(kind), name=names, price=prices, junk=st.sampled_from(BAD_EANS))
    )


def catalog_plans(min_rows: int = 1, max_rows: int = 10, *, strict: bool = False) -> st.SearchStrategy[list[RowPlan]]:
    """Clean files and files mixing valid and bad rows in any order: every kind with `strict`, else only
    the seed's bad EAN."""
    kinds = list(KINDS) if strict else CONTRACT_KINDS
    clean = st.lists(row_plans(["valid"]), min_size=min_rows, max_size=max_rows)
    mixed = st.lists(row_plans(["valid", *kinds]), min_size=min_rows, max_size=max_rows)
    return st.one_of(clean, mixed)
