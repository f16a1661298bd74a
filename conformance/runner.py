"""One conformance run: resolve the API, probe the target, run both layers, hand back a `RunReport`."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from conformance import preflight
from conformance.apis import ApiProfile, Lifecycle, get_profile
from conformance.checks import CheckContext
from conformance.coverage import Coverage, Recorder
from conformance.errors import ConformanceError
from conformance.oauth import obtain_token
from conformance.resources import load_spec
from conformance.results import RunReport, Tally
from conformance.rules import RuleBook
from conformance.scenarios import RunOptions, run_scenarios
from conformance.schema_run import SchemaRun, build_config, strict_only_checks
from conformance.spec import SpecIndex
from conformance.target import AdminClock, Target

LAYERS = ("schema", "scenarios")
ACCOUNT_KINDS = ("web", "android", "ios", "direct")  # Wizart's account token kinds (x-token-types)


@dataclass
class RunConfig:
    api: str
    base_url: str
    token: str | None = None
    strict: bool = False
    seed: int = 0
    max_examples: int = 15
    timeout: float = 120.0
    layers: tuple[str, ...] = LAYERS
    scenarios: frozenset[str] = frozenset()
    label: str | None = None  # the target's name in a multi-target run
    # A vendor's other credentials, by name (targets.CREDENTIALS): Wizart's OAuth client and account tokens,
    # a read-only key or token. Empty: the fake's fixtures, where a scenario may use them (against the fake).
    credentials: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The target's name in reports: its label, else its API."""
        return self.label or self.api

    def replay(self) -> str:
        """The command that repeats this run exactly (the token, if one was given, stays out of it)."""
        extra = " --strict" if self.strict else ""
        if tuple(self.layers) != LAYERS:
            extra += "".join(f" --only {layer}" for layer in self.layers)
        extra += "".join(f" --scenario {name}" for name in sorted(self.scenarios))
        return (
            f"pim-conformance run --api {self.api} --base-url {self.base_url}{extra} --max-examples {self.max_examples}"
        )


@contextmanager
def _hypothesis_storage() -> Iterator[None]:
    """Keep Hypothesis's files (`.hypothesis/`) out of the user's working directory."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pim-conformance-") as directory:
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = directory
        try:
            yield
        finally:
            os.environ.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)


class _Layer1(NamedTuple):
    """What every Schemathesis pass of one run shares."""

    profile: ApiProfile
    spec: SpecIndex
    rulebook: RuleBook
    tally: Tally
    config: RunConfig
    target: Target
    strict_only: dict
    notes: list  # the run's notes: what the layer could not clean up


def _schema_layer(ctx: _Layer1, token: str | None, *, secrets: tuple[str | None, ...], label: str,
                  say: Callable[[str], None], only: list[str] | None = None) -> None:
    """One Schemathesis pass (layer 1) with `token`, over every operation or `only` these operationIds."""
    profile, spec, rulebook, tally, config, target, strict_only, notes = ctx
    schema_config = build_config(
        base_url=target.base_url,
        token=token,
        seed=config.seed,
        max_examples=config.max_examples,
        strict_only=strict_only,
        request_timeout=min(30.0, config.timeout),
        never=profile.never_schema_checks,
        auth_headers=profile.auth_headers(token),
    )
    schema_run = SchemaRun(
        spec, rulebook, tally, strict_only=strict_only, relaxed=not config.strict, coverage=target.coverage,
        secrets=secrets,
    )
    schema_run.replay = config.replay() + ("" if tuple(config.layers) == ("schema",) else " --only schema")
    try:
        schema_run.execute(schema_config, progress=lambda phase: say(f"{label}: {phase}"), only=only)
    finally:
        left = schema_run.leftovers.remove(target.client, profile.auth_headers(token))
        if left:
            notes.append(f"{label}: {len(left)} resources it created could not be removed: {'; '.join(left[:3])}")


def _schema_per_token_kind(ctx: _Layer1, say: Callable[[str], None]) -> None:
    """Layer 1 again with each account token, over the operations its kind may call (`x-token-types`)."""
    given = {kind: ctx.target.credentials[kind] for kind in ACCOUNT_KINDS if kind in ctx.target.credentials}
    for kind, token in (given or ctx.profile.account_tokens()).items():
        operations = [op.id for op in ctx.spec.operations.values() if kind in op.raw.get("x-token-types", ())]
        if operations:
            _schema_layer(ctx, token, secrets=(token, ctx.target.token), label=f"layer 1 ({kind} token)", say=say,
                          only=operations)


def connect(config: RunConfig, profile: ApiProfile) -> Target:
    """The target, answering (exit 3 otherwise), with a token it takes, proven to be the API (pre-flight, exit 2)."""
    # An OAuth API (Wizart) has no static token: one is asked for once the target answers (conformance/oauth.py).
    token = config.token or (None if profile.oauth_path else profile.default_token())
    target = Target(
        config.base_url,
        token,
        request_timeout=min(30.0, config.timeout),
        auth_header=profile.auth_header,
        auth_scheme=profile.auth_scheme,
    )
    target.credentials = dict(config.credentials)
    try:
        target.probe()
        if token is None and profile.oauth_path:
            target.token = obtain_token(target, profile)
        if profile.preflight:
            given = "the token given" if config.token else "the fake's fixture credentials"
            preflight.check(target.client, target.base_url, profile.preflight, target.headers(), credentials=given)
    except BaseException:
        target.close()
        raise
    return target


def preflight_all(configs: list[RunConfig]) -> list[tuple[RunConfig, ConformanceError]]:
    """Every target of a multi-target run proven reachable and the API before any runs: those that are not."""
    stopped = []
    for config in configs:
        try:
            connect(config, get_profile(config.api)).close()
        except ConformanceError as exc:
            stopped.append((config, exc))
    return stopped


def run(config: RunConfig, progress: Callable[[str], None] | None = None, recorder: Recorder | None = None
        ) -> RunReport:
    """`recorder(label, method, url, status, content)` is told of every answer (pim-conformance compare)."""
    say = progress or (lambda _: None)
    profile = get_profile(config.api)
    # An API without import jobs (PIMS) has no status machine: its checks get an empty one.
    lifecycle = profile.lifecycle or Lifecycle(ranks={}, terminal=frozenset())
    spec = SpecIndex(load_spec(profile.spec))
    rulebook = RuleBook.load(profile.rules)
    started = time.monotonic()
    target = connect(config, profile)
    token = target.token
    target.coverage = Coverage.for_spec(spec, target.base_url)
    target.coverage.recorder = recorder
    notes = []
    admin = False
    tally = Tally()
    try:
        admin = target.detect_admin()
        if isinstance(target.clock, AdminClock):
            notes.append(f"{target.admin_url} answered: the fake's manual clock is advanced instead of waiting")
        elif admin:
            notes.append(f"{target.admin_url} answered, but its clock is real: imports are polled")
        vocabulary = (
            set(spec.enum_of("Status")) if "Status" in spec.raw.get("components", {}).get("schemas", {}) else None
        )
        if vocabulary is not None and profile.lifecycle and vocabulary != set(profile.lifecycle.vocabulary):
            notes.append(f"spec Status enum {sorted(vocabulary)} differs from the profile's lifecycle")
        with _hypothesis_storage():
            if "schema" in config.layers:
                say("layer 1: Schemathesis over every operation")
                strict_only = {} if config.strict else strict_only_checks(profile, spec)
                ctx = _Layer1(profile, spec, rulebook, tally, config, target, strict_only, notes)
                _schema_layer(ctx, token, secrets=(token,), label="layer 1", say=say)
                # The account tokens given (credentials), else the fake's fixtures against the fake.
                if profile.schema_per_token_kind and (admin or set(ACCOUNT_KINDS) & set(config.credentials)):
                    _schema_per_token_kind(ctx, say)
                elif profile.schema_per_token_kind:
                    notes.append(
                        "the account-token passes did not run, and the token-kind scenario judged the Bearer token "
                        f"only: no {'/'.join(ACCOUNT_KINDS)} tokens given (targets.toml credentials_env, or "
                        f"PIM_CONFORMANCE_{profile.name.upper()}_WEB …)"
                    )
            if "scenarios" in config.layers:
                profile.load_scenarios()
                checks = CheckContext(spec=spec, lifecycle=lifecycle, strict=config.strict)
                options = RunOptions(
                    seed=config.seed, max_examples=config.max_examples, timeout=config.timeout, strict=config.strict
                )
                run_scenarios(
                    profile.name,
                    target=target,
                    checks=checks,
                    tally=tally,
                    rulebook=rulebook,
                    options=options,
                    only=set(config.scenarios) or None,
                    progress=lambda name: say(f"layer 2: scenario {name}"),
                )
    finally:
        target.close()
    return RunReport(
        api=profile.name,
        target=target.base_url,
        strict=config.strict,
        seed=config.seed,
        max_examples=config.max_examples,
        results=tally.results(),
        duration=time.monotonic() - started,
        admin_api=admin,
        notes=notes,
        suite_errors=list(tally.suite_errors),
        coverage=target.coverage.as_dict(),
        label=config.label or profile.name,
        replay=f"{config.replay()} --seed {config.seed}",
    )
