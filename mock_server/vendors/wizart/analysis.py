"""The import worker's pass over one Wizart upload: the template's header, the archive, then every row.

Each row gets one outcome byte for the clock to replay (`mock_server.imports.timeline`): CREATED for a row that
will be imported when the clock reaches it (spooled meanwhile, `mock_server.imports.spool`), ERROR for a row with
a non-critical error that is skipped (a value of the wrong type, an image the archive lacks), SKIPPED for the
fatal row and every row after it. A required value left empty fails the whole file at `validating_csv`, so the
pass goes on past a fatal row to the end of the file (WZ-D11, WZ-D12).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from mock_server.imports.limits import ImportAborted, Limits
from mock_server.imports.rows import MAX_QUOTED_TEXT, parse_number
from mock_server.imports.spool import SpoolWriter
from mock_server.imports.timeline import CREATED, ERROR, SKIPPED
from mock_server.vendors.wizart import archive
from mock_server.vendors.wizart.rules import Settings


@dataclass
class Analysis:
    spool: SpoolWriter = field(default_factory=SpoolWriter)
    # skipped rows: (data index, CSV line, log message key, params), the first `keep_problems` of them (the log lists
    # those; its last line counts every skipped row)
    problems: list[tuple[int, int, str, dict]] = field(default_factory=list)
    fatal: tuple[int, int, str] | None = None  # (data index, CSV line, what was wrong)
    archive_failure: tuple[str, dict] | None = None
    # a required value left empty: the whole file fails validating_csv (found by the row pass, which must not
    # raise: the engine would hand the same batch to the sink again)
    invalid: tuple[str, dict] | None = None
    rows: int = 0


def template_problem(header: list[str], template: dict) -> tuple[str, dict] | None:
    columns = [c["name"] for c in template["columns"]]
    required = [c["name"] for c in template["columns"] if c["required"]]
    missing = [name for name in required if name not in header]
    if missing:
        return "missing_columns", {"columns": ", ".join(missing)}
    if header != columns:
        return "structure_changed", {"expected": ",".join(columns), "found": ",".join(header)}
    return None


def read_header(path: Path) -> list[str] | None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            for values in csv.reader(handle):
                if any(v.strip() for v in values):
                    return [v.strip() for v in values]
        except UnicodeDecodeError as exc:
            raise ImportAborted("not_utf8", row=1) from exc
        except csv.Error as exc:
            raise ImportAborted("bad_csv", row=1, detail=str(exc)) from exc
    return None


class AnalyseRows:
    """The engine `Sink` (and `prepare`) of one import."""

    def __init__(self, analysis: Analysis, *, template: dict, csv_path: Path, zip_path: Path,
                 settings: Settings, keep_problems: int = Limits.max_error_rows) -> None:
        self.analysis = analysis
        self.template = template
        self.csv_path = csv_path
        self.zip_path = zip_path
        self.settings = settings
        self.keep_problems = keep_problems
        self.images: dict[str, tuple[str, int]] = {}
        self.required = [c["name"] for c in template["columns"] if c["required"]]
        self.numbers = [c["name"] for c in template["columns"] if c["type"] == "number"]

    def prepare(self) -> None:
        try:
            header = read_header(self.csv_path)
            if header is None:
                raise ImportAborted("no_header")
            problem = template_problem(header, self.template)
            if problem is not None:
                code, params = problem
                raise ImportAborted(code, template=self.template["name"], **params)
            try:
                self.images = archive.image_index(archive.unpack(self.zip_path, self.settings))
            except ImportAborted as exc:  # the CSV is still validated: validating_csv comes first
                self.analysis.archive_failure = (exc.code, exc.params)
        finally:
            self.zip_path.unlink(missing_ok=True)

    def _problem(self, index: int, row: int, key: str, params: dict) -> None:
        if len(self.analysis.problems) < self.keep_problems:
            self.analysis.problems.append((index, row, key, params))

    def _row(self, row: int, record: dict) -> bytes:
        index = self.analysis.rows
        self.analysis.rows += 1
        if self.analysis.invalid is not None:
            return SKIPPED
        for name in self.required:
            value = record.get(name)
            if value is None or (isinstance(value, str) and not value):
                self.analysis.invalid = ("required_value_missing", {"row": row, "column": name})
                return SKIPPED
        if self.analysis.fatal is not None:
            return SKIPPED
        nul = next((name for name, value in record.items() if isinstance(value, str) and "\x00" in value), None)
        if nul is not None:
            self.analysis.fatal = (index, row, f"a NUL character in {nul}")
            return SKIPPED
        fields: dict[str, object] = {}
        for name, value in record.items():
            if name in self.numbers and value != "":
                parsed = parse_number(value)
                if parsed is None:
                    self._problem(index, row, "skipped_type", {"column": name, "value": value[:MAX_QUOTED_TEXT]})
                    return ERROR
                fields[name] = parsed
            elif value != "":
                fields[name] = value
        found = self.images.get(record["image"])
        if found is None:
            self._problem(index, row, "skipped_image", {"image": record["image"]})
            return ERROR
        fields["image"] = {"file_name": found[0], "size": found[1]}
        fields["csv_row"] = row
        self.analysis.spool.write(row, fields)
        return CREATED

    def __call__(self, batch: list[tuple[int, dict]]) -> list[tuple[bytes, None]]:
        return [(self._row(row, record), None) for row, record in batch]

    def finish(self) -> None:
        self.analysis.spool.close()
