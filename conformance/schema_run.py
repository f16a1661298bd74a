"""Layer 1: Schemathesis over every operation of the spec, run through its engine, failures into our results.

Which Schemathesis checks run is a contract decision: the ones every correct server passes run always;
the ones that probe the fake's own choices (`schema.strict_only` in data/apis.yaml) only with --strict,
and without --strict the schemas the spec marks `x-fake-choice` accept any value (`relax_fake_choices`).
`object_level_authorization` needs several identities and is off.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Mapping
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.errors import RuntimeErrorKind
from schemathesis.schemas import BaseSchema

from conformance import curl, jsonapi_check
from conformance.apis import ApiProfile
from conformance.cleanup import Leftovers
from conformance.coverage import Coverage
from conformance.results import CaseResult, Kind, Tally
from conformance.rules import RuleBook
from conformance.spec import Operation, SpecIndex

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
    "unsupported_method",
    "allow_header_conformance",
    jsonapi_check.NAME,
)
OFF = ("object_level_authorization",)
# What holds even of an operation a vendor does not have: it does not crash, and it does not serve anyone.
INFERRED_OPERATION_CHECKS = ("not_a_server_error", "ignored_auth", jsonapi_check.NAME)
# Schemathesis errors that mean the target did not answer: its failure. Every other engine error is the suite's.
TARGET_ERROR_KINDS = frozenset(
    {
        RuntimeErrorKind.CONNECTION_SSL,
        RuntimeErrorKind.CONNECTION_OTHER,
        RuntimeErrorKind.NETWORK_OTHER,
        RuntimeErrorKind.SERVER_UNAVAILABLE,
    }
)
# 413 (file too large) refuses a request as surely as 400 does.
NEGATIVE_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]


def strict_only_checks(profile: ApiProfile, spec: SpecIndex) -> dict[str, tuple[str, ...]]:
    """operationId (or "*") -> the Schemathesis checks that probe the fake's choices there.

    The profile names them; besides, an operation with `x-inferred` parameters (ones the seed never
    documents, such as the errors listing's page/per_page) may be bounded differently by a vendor, so
    refusing "out of range" values there is the fake's choice too. An `x-inferred` operation (one the seed
    never shows, such as Pixee's confirm) may not exist on a vendor's server at all: there only "no crash"
    and "auth enforced" are contract.
    """
    found = {op: list(checks) for op, checks in profile.strict_only_schema_checks.items()}
    for op in spec.operations.values():
        if op.raw.get("x-inferred"):
            found[op.id] = [name for name in CHECKS if name not in INFERRED_OPERATION_CHECKS]
            continue
        params = [spec.resolve(p) for p in op.raw.get("parameters", [])]
        if any(p.get("x-inferred") for p in params) and "negative_data_rejection" not in found.get(op.id, []):
            found.setdefault(op.id, []).append("negative_data_rejection")
    return {op: tuple(checks) for op, checks in found.items()}


def relax_fake_choices(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The spec as Schemathesis checks it without --strict: every schema or property marked `x-fake-choice`
    (an error body the seed never shows, the fake's extra fields) accepts any value, so a vendor that chose
    differently is not failed for it."""
    relaxed = copy.deepcopy(dict(raw))
    schemas = relaxed.get("components", {}).get("schemas", {})
    for name, schema in list(schemas.items()):
        if isinstance(schema, Mapping) and schema.get("x-fake-choice"):
            schemas[name] = {"description": f"{name}: the fake's choice, not checked without --strict"}
    _relax_properties(relaxed)
    return relaxed


def _relax_properties(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _relax_properties(item)
    if not isinstance(node, dict):
        return
    if node.get("x-fake-choice-closed"):  # no extra field: the fake's choice; a vendor may add some
        node.pop("additionalProperties", None)
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, schema in properties.items():
            if isinstance(schema, Mapping) and schema.get("x-fake-choice"):
                properties[name] = {}
    for value in node.values():
        _relax_properties(value)


def build_config(
    *,
    base_url: str,
    token: str | None,
    seed: int,
    max_examples: int,
    strict_only: Mapping[str, tuple[str, ...]],
    request_timeout: float,
    never: Mapping[str, tuple[str, ...]] | None = None,
    auth_headers: Mapping[str, str] | None = None,
) -> SchemathesisConfig:
    """`strict_only` is empty with --strict; otherwise those checks are switched off where it says.
    `never` (operationId, or "*" for every operation -> checks) are switched off in both modes."""
    everywhere = set(strict_only.get("*", ())) | set((never or {}).get("*", ()))
    checks: dict[str, Any] = {name: {"enabled": name not in everywhere} for name in CHECKS}
    checks.update({name: {"enabled": False} for name in OFF})
    checks["negative_data_rejection"]["expected-statuses"] = NEGATIVE_STATUSES
    disabled: dict[str, list[str]] = {}
    for by_op in (strict_only, never or {}):
        for op, names in by_op.items():
            if op != "*":
                disabled.setdefault(op, []).extend(name for name in names if name not in disabled.get(op, []))
    operations = [
        {"include-operation-id": op, "checks": {name: {"enabled": False} for name in names}}
        for op, names in disabled.items()
    ]
    return SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "base-url": base_url,
            "headers": dict(auth_headers) if auth_headers is not None else (
                {"Authorization": f"Bearer {token}"} if token is not None else {}),
            "workers": 1,
            "request-timeout": request_timeout,
            "suppress-health-check": ["all"],
            "cache": {"enabled": False},
            "generation": {"max-examples": max_examples, "database": "none"},
            "checks": checks,
            "operations": operations,
        }
    )


def _received(response: Any) -> str:
    if response is None:
        return ""
    body = (response.content or b"")[:300].decode("utf-8", "replace")
    return f"Received: {response.status_code} {body}"


class SchemaRun:
    """Runs the engine once and folds its events into a `Tally`."""

    def __init__(
        self,
        spec: SpecIndex,
        rulebook: RuleBook,
        tally: Tally,
        *,
        strict_only: Mapping[str, tuple[str, ...]],
        relaxed: bool = False,
        coverage: Coverage | None = None,
        secrets: Collection[str | None] = (),  # None: a token not given
    ):
        self.coverage = coverage
        self.secrets = tuple(s for s in secrets if s)  # masked out of every reproducer
        self.spec = spec
        self.rulebook = rulebook
        self.tally = tally
        self.strict_only = strict_only
        self.relaxed = relaxed  # without --strict: the fake's choices in the spec are not judged
        self.seed: int | None = None
        self.leftovers = Leftovers(spec)  # what the layer created, undone after it (conformance/cleanup.py)

    def execute(
        self,
        config: SchemathesisConfig,
        progress: Callable[[str], None] | None = None,
        only: Collection[str] | None = None,
    ) -> None:
        """`only`: the operationIds to test (all when None), e.g. those a token kind may call."""
        self.seed = config.seed
        raw = relax_fake_choices(self.spec.raw) if self.relaxed else copy.deepcopy(dict(self.spec.raw))
        schema: BaseSchema = schemathesis.openapi.from_dict(raw, config=config)
        if only is not None:
            schema = schema.include(operation_id=list(only))
        for event in from_schema(schema).execute():
            if isinstance(event, events.PhaseStarted) and progress:
                progress(event.phase.name.value)
            elif isinstance(event, events.ScenarioFinished):
                self._scenario(event)
            elif isinstance(event, events.NonFatalError):
                self._error(event)
            elif isinstance(event, events.FatalError):
                raise RuntimeError(f"Schemathesis stopped: {event.exception}") from event.exception
        self._mark_skipped()

    def _result(self, check: str, label: str) -> CaseResult:
        op = self.spec.operation_by_label(label)
        rules = self.rulebook.for_schema_check(check, op.id if op else None, op.rules if op else ())
        result = self.tally.get(Kind.SCHEMA, label, check, rules=rules, strict_only=self._is_strict_only(check, op))
        if not result.citations:
            result.citations = self.rulebook.citations(rules)
        return result

    def _is_strict_only(self, check: str, op: Operation | None) -> bool:
        return check in self.strict_only.get("*", ()) or bool(op and check in self.strict_only.get(op.id, ()))

    def _scenario(self, event: events.ScenarioFinished) -> None:
        if event.status == Status.SKIP:
            return
        recorder = event.recorder
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            response = interaction.response
            status = response.status_code if response is not None else None
            content = response.content if response is not None else None
            label = node.value.operation.label if node else None
            self.leftovers.observe(interaction.request.method, interaction.request.uri, label, status, content)
            if self.coverage is not None:
                self.coverage.observe(interaction.request.method, interaction.request.uri, status, content, label=label)
        for case_id, nodes in recorder.checks.items():
            node = recorder.cases.get(case_id)
            label = node.value.operation.label if node else (event.label or "(unknown operation)")
            for check in nodes:
                result = self._result(check.name, label)
                if check.status == Status.SUCCESS:
                    self.tally.record_pass(result)
                elif check.failure_info is not None:
                    failure = check.failure_info.failure
                    response = recorder.find_response(case_id=failure.case_id or case_id)
                    if self._not_implemented(check.name, recorder, failure.case_id or case_id, label, response):
                        self.tally.record_pass(result)
                        continue
                    sample = curl.mask(check.failure_info.code_sample, self.secrets)
                    self.tally.record_failure(
                        result,
                        title=failure.title,
                        message=curl.mask_secrets(
                            f"{failure.title}\n{failure.message}\n{_received(response)}".strip(), self.secrets
                        ),
                        reproduction=self._reproduction(sample, event.phase.value),
                        failed_operation=label,
                        curl=sample,
                        expected=curl.mask_secrets((failure.message or failure.title).strip(), self.secrets)[:1500],
                        received=curl.mask_secrets(_received(response).removeprefix("Received: "), self.secrets)
                        or "(no response)",
                    )

    replay = "pim-conformance run ... --only schema"  # the runner sets the full command

    def _not_implemented(self, check: str, recorder: Any, case_id: str, label: str, response: Any) -> bool:
        """501 Not Implemented to a method the path does not declare (TRACE, QUERY) is RFC 9110's own answer
        (§15.6.2), as 405 is: not a server error (QA-D15)."""
        if check != "not_a_server_error" or response is None or response.status_code != 501:
            return False
        interaction = recorder.interactions.get(case_id)
        method = (interaction.request.method if interaction is not None else "").lower()
        path = label.partition(" ")[2]
        declared = {op.method for op in self.spec.operations.values() if op.path == path}
        return bool(method) and method not in declared

    def _reproduction(self, code_sample: str, phase: str) -> str:
        return f"{code_sample}\n(Schemathesis {phase} phase; replay: {self.replay} --seed {self.seed})"

    def _error(self, event: events.NonFatalError) -> None:
        """Schemathesis could not test an operation. When it could not reach the target (connection, TLS,
        network, server unavailable) that is the target's failure; anything else (a schema it cannot generate
        from, a serialisation problem, an internal error) is the suite's, never a violation."""
        text = event.info.format(base_url_is_set=True)
        if getattr(event.info, "_kind", None) in TARGET_ERROR_KINDS:
            label = event.label if self.spec.operation_by_label(event.label) else "(run)"
            result = self._result("schemathesis_run", label)
            self.tally.record_failure(
                result,
                title="Schemathesis could not reach the target",
                message=text[:2000],
                reproduction=self._reproduction("", ""),
            )
            return
        self.tally.record_suite_error(f"Schemathesis could not test {event.label}: {text[:2000]}")

    def _mark_skipped(self) -> None:
        """Show strict-only checks as skipped, so a report says what it left out."""
        for op in self.spec.operations.values():
            for check in (*self.strict_only.get("*", ()), *self.strict_only.get(op.id, ())):
                self.tally.skip(self._result(check, op.label), "checks the fake's own choice: --strict only")
