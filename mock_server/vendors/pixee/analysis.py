"""Pixee's analysis pass, run by the import worker: validate every row, log it, spool the valid ones."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mock_server.clock import iso
from mock_server.imports.logs import JobLog
from mock_server.imports.rows import PROBLEM_FIELDS, ColumnMapper, is_blank, normalise_product, product_problem
from mock_server.imports.spool import SpoolWriter
from mock_server.imports.timeline import ERROR, VALID
from mock_server.specs import Messages
from mock_server.vendors.pixee import rules


def problem_field(problem: str) -> str:
    field_name = PROBLEM_FIELDS.get(problem, "ean")
    return rules.TITLE_FIELD if field_name == "title" else field_name


@dataclass
class Analysis:
    """What analysing one file found, besides each row's outcome byte."""

    spool: SpoolWriter = field(default_factory=SpoolWriter)
    failed_by_field: Counter = field(default_factory=Counter)
    # the first rows as parsed, for GET …/preview: (row_number, fields, validation error or None)
    preview: list[tuple[int, dict, dict | None]] = field(default_factory=list)


class AnalyseRows:
    """The engine `Sink` of a Pixee job: one outcome per row (VALID or ERROR) and its log lines."""

    def __init__(self, analysis: Analysis, log: JobLog, mapper: ColumnMapper, messages: Messages,
                 logged_at: float) -> None:
        self.analysis = analysis
        self.log = log
        self.mapper = mapper
        self.messages = messages
        self.timestamp = iso(logged_at)  # analysis lines are stamped when analysis ends
        self._first_row: dict[str, int] = {}
        self._warned_columns: set[str] = set()
        self._preview_bytes = 0

    def _line(self, row: int, level: str, field_name: str | None, key: str, value: object, **params: object
              ) -> dict:
        return {"row_number": row, "level": level, "field": field_name,
                "message": self.messages("logs", key, **params), "value": value, "timestamp": self.timestamp}

    def _problem(self, row: int, fields: dict) -> tuple[str, dict] | None:
        problem = product_problem(fields, rules.TITLE_FIELD, check_digit=rules.CHECK_DIGIT)
        if problem:
            return problem, {}
        first = self._first_row.setdefault(str(fields["ean"]).strip(), row)
        return ("duplicate_ean", {"first_row": first}) if first != row else None

    def _row(self, row: int, record: dict) -> tuple[bytes, list[dict]]:
        fields = self.mapper(record)
        lines = [self._line(row, "warning", None, "unmapped_column", column, column=column)
                 for column in self.mapper.ignored(record) if column not in self._warned_columns]
        self._warned_columns.update(line["value"] for line in lines)
        found = self._problem(row, fields)
        error = None
        if found is not None:
            problem, params = found
            name = problem_field(problem)
            self.analysis.failed_by_field[name] += 1
            error = self._line(row, "error", name, problem, fields.get(name), **params)
            lines.append(error)
            byte = ERROR
        else:
            self.analysis.spool.write(row, normalise_product(fields))
            if is_blank(fields.get("price")):
                lines.append(self._line(row, "warning", "price", "empty_price", fields.get("price")))
            byte = VALID
        if len(self.analysis.preview) < rules.PREVIEW_ROWS_KEPT and self._preview_bytes < rules.PREVIEW_BYTES_KEPT:
            self._preview_bytes += sum(len(v) for v in fields.values() if isinstance(v, str))
            self.analysis.preview.append((row, fields, error))
        return byte, lines

    def __call__(self, batch: list[tuple[int, dict]]) -> list[tuple[bytes, list[dict]]]:
        return [self._row(row, record) for row, record in batch]

    def write(self, lines: list[dict]) -> None:
        self.log.append(lines)

    def finish(self) -> None:
        self.analysis.spool.close()
