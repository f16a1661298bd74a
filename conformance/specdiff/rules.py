"""The rules of `pim-conformance diff`: one row per kind of change, whether it breaks existing clients.

Direction matters. A *request* schema is what clients send: narrowing it (a value, field or type no longer
accepted, a new requirement) breaks them, widening it does not. A *response* schema is what clients read:
taking something away breaks them, and so does widening where a client cannot have been written for the new
value (a new enum value, null, a new oneOf variant) — see `openapi/DECISIONS.md`, "Spec diff" (SD-D01…).
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, NON_BREAKING = "breaking", "non-breaking"


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    summary: str  # one line; the finding's message is "<summary>: <subject>"


_TABLE = (
    # operations
    ("operation-removed", BREAKING, "operation removed"),
    ("operation-added", NON_BREAKING, "operation added"),
    # parameters
    ("new-required-request-parameter", BREAKING, "new required parameter"),
    ("new-optional-request-parameter", NON_BREAKING, "new optional parameter"),
    ("request-parameter-became-required", BREAKING, "parameter became required"),
    ("request-parameter-became-optional", NON_BREAKING, "parameter became optional"),
    ("request-parameter-removed", NON_BREAKING, "parameter removed (clients that still send it are not refused)"),
    # request body
    ("request-body-added-required", BREAKING, "new required request body"),
    ("request-body-added-optional", NON_BREAKING, "new optional request body"),
    ("request-body-became-required", BREAKING, "request body became required"),
    ("request-body-became-optional", NON_BREAKING, "request body became optional"),
    ("request-body-removed", NON_BREAKING, "request body removed"),
    ("request-media-type-removed", BREAKING, "request media type no longer accepted"),
    ("request-media-type-added", NON_BREAKING, "request media type added"),
    # request schemas (what clients send)
    ("new-required-request-property", BREAKING, "new required request field"),
    ("new-optional-request-property", NON_BREAKING, "new optional request field"),
    ("request-property-became-required", BREAKING, "request field became required"),
    ("request-property-became-optional", NON_BREAKING, "request field became optional"),
    ("request-property-removed", BREAKING, "request field removed (clients sending it may be refused)"),
    ("request-enum-value-removed", BREAKING, "request enum value removed"),
    ("request-enum-value-added", NON_BREAKING, "request enum value added"),
    ("request-enum-added", BREAKING, "request value restricted to an enum"),
    ("request-enum-removed", NON_BREAKING, "request enum lifted"),
    ("request-type-changed", BREAKING, "request type changed"),
    ("request-type-widened", NON_BREAKING, "request type widened"),
    ("request-became-not-nullable", BREAKING, "request value no longer nullable"),
    ("request-became-nullable", NON_BREAKING, "request value became nullable"),
    ("request-format-changed", BREAKING, "request format changed"),
    ("request-format-removed", NON_BREAKING, "request format removed"),
    ("request-constraint-tightened", BREAKING, "request constraint tightened"),
    ("request-constraint-loosened", NON_BREAKING, "request constraint loosened"),
    ("request-variant-removed", BREAKING, "request oneOf/anyOf variant removed"),
    ("request-variant-added", NON_BREAKING, "request oneOf/anyOf variant added"),
    # responses
    ("response-status-removed", BREAKING, "response status removed"),
    ("response-status-added", NON_BREAKING, "response status added"),
    ("response-media-type-removed", BREAKING, "response media type removed"),
    ("response-media-type-added", NON_BREAKING, "response media type added"),
    ("response-header-removed", BREAKING, "response header removed"),
    ("response-header-added", NON_BREAKING, "response header added"),
    # response schemas (what clients read)
    ("response-property-removed", BREAKING, "response field removed"),
    ("response-property-added", NON_BREAKING, "response field added"),
    ("response-property-became-optional", BREAKING, "response field became optional"),
    ("response-property-became-required", NON_BREAKING, "response field became required"),
    ("response-enum-value-added", BREAKING, "response enum value added (clients may not handle it)"),
    ("response-extensible-enum-value-added", NON_BREAKING, "response enum value added (x-extensible-enum)"),
    ("response-enum-value-removed", NON_BREAKING, "response enum value removed"),
    ("response-enum-removed", BREAKING, "response value no longer restricted to an enum"),
    ("response-enum-added", NON_BREAKING, "response value restricted to an enum"),
    ("response-type-changed", BREAKING, "response type changed"),
    ("response-type-narrowed", NON_BREAKING, "response type narrowed"),
    ("response-became-nullable", BREAKING, "response value became nullable"),
    ("response-became-not-nullable", NON_BREAKING, "response value no longer nullable"),
    ("response-format-changed", BREAKING, "response format changed"),
    ("response-format-added", NON_BREAKING, "response format added"),
    ("response-variant-added", BREAKING, "response oneOf/anyOf variant added"),
    ("response-variant-removed", NON_BREAKING, "response oneOf/anyOf variant removed"),
    # security
    ("security-added", BREAKING, "authentication now required"),
    ("security-removed", NON_BREAKING, "authentication no longer required"),
    ("security-alternative-removed", BREAKING, "security alternative removed"),
    ("security-alternative-added", NON_BREAKING, "security alternative added"),
    ("security-scope-added", BREAKING, "new required scope"),
    ("security-scope-removed", NON_BREAKING, "scope no longer required"),
    ("security-scheme-changed", BREAKING, "security scheme definition changed"),
)

RULES: dict[str, Rule] = {rule_id: Rule(rule_id, kind, summary) for rule_id, kind, summary in _TABLE}
