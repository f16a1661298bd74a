"""The targets of a run: `--config targets.toml` (several APIs and servers), or `--api all` against one fake.

    # targets.toml
    [defaults]                      # optional: any key a target may set
    max_examples = 15
    strict = false

    [[target]]
    name = "pixee-staging"          # optional; default: the API's name (names must be unique)
    api = "pixee"
    base_url = "https://staging.example.com/pixee"
    token_env = "PIXEE_TOKEN"       # the secret comes from this environment variable
    # optional: strict, max_examples, timeout, seed, only = "schema" | "scenarios", scenarios = ["…"]

A secret is never written in the file: `token = "…"` is refused (QA-D06); `token_env` names the variable that
holds it, and a variable that is unset or empty is a usage error before anything runs. A target with neither
uses the fake's fixture credentials, as `pim-conformance run` does without --token.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance import apis
from conformance.errors import UsageError
from conformance.runner import LAYERS, RunConfig

TARGET_KEYS = frozenset(
    {"name", "api", "base_url", "token_env", "strict", "max_examples", "timeout", "seed", "only", "scenarios"}
)
SECRET_KEYS = frozenset({"token", "password", "api_key", "secret", "client_secret"})
def vendor_apis() -> list[str]:
    """`--api all`: every vendor API of data/apis.yaml, in its order (the fake's own admin API, `control`, is
    checked on its own: it resets and faults the fake it checks)."""
    return apis.vendor_apis()


def _number(value: Any, key: str, where: str, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int) or value <= 0:
        raise UsageError(f"{where}: {key} must be a positive {'number' if kind is float else 'integer'}")
    return kind(value)


def _target(item: Mapping[str, Any], defaults: Mapping[str, Any], where: str, base: RunConfig) -> RunConfig:
    merged = {**defaults, **item}
    secrets = sorted(SECRET_KEYS & set(merged))
    if secrets:
        raise UsageError(
            f"{where}: {', '.join(secrets)} given literally; secrets come from the environment: "
            f'token_env = "NAME_OF_VARIABLE"'
        )
    unknown = sorted(set(merged) - TARGET_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(TARGET_KEYS))}")
    for key in ("api", "base_url"):
        if not isinstance(merged.get(key), str) or not merged[key]:
            raise UsageError(f"{where}: {key} is required (a string)")
    apis.get_profile(merged["api"])  # an unknown API is a usage error
    token = None
    if "token_env" in merged:
        variable = merged["token_env"]
        token = os.environ.get(variable, "") if isinstance(variable, str) else ""
        if not token:
            raise UsageError(f"{where}: the environment variable {variable!r} (token_env) is unset or empty")
        if any(not (0x21 <= ord(c) <= 0x7E) for c in token):
            raise UsageError(f"{where}: ${variable} must be visible ASCII characters only (it is sent in a header)")
    only = merged.get("only")
    if only is not None and only not in LAYERS:
        raise UsageError(f"{where}: only must be one of {', '.join(LAYERS)}")
    scenarios = merged.get("scenarios", [])
    if not isinstance(scenarios, list) or not all(isinstance(s, str) for s in scenarios):
        raise UsageError(f"{where}: scenarios must be a list of scenario names")
    seed = merged.get("seed", base.seed)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"{where}: seed must be an integer >= 0")
    return RunConfig(
        api=merged["api"],
        base_url=merged["base_url"],
        token=token,
        strict=bool(merged.get("strict", base.strict)),
        seed=seed,
        max_examples=_number(merged.get("max_examples", base.max_examples), "max_examples", where, int),
        timeout=_number(merged.get("timeout", base.timeout), "timeout", where, float),
        layers=(only,) if only else base.layers,
        scenarios=frozenset(scenarios) or base.scenarios,
        label=merged.get("name") or merged["api"],
    )


def from_file(path: str | Path, base: RunConfig, api: str | None = None) -> list[RunConfig]:
    """The targets in `path`, those of `api` only unless it is None or "all"; `base` holds the command line's
    options (seed, examples, strict, …), which a file's [defaults] and targets override."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--config {path!r} cannot be read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--config {path!r} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"defaults", "target"})
    if unknown:
        raise UsageError(f"--config {path!r}: unknown table(s) {', '.join(unknown)}; expected [defaults], [[target]]")
    defaults = data.get("defaults", {})
    items = data.get("target", [])
    if not isinstance(defaults, dict) or not isinstance(items, list) or not items:
        raise UsageError(f"--config {path!r}: no [[target]] tables")
    configs = [_target(item, defaults, f"--config {path}: target {n}", base) for n, item in enumerate(items, 1)]
    if api and api != "all":
        configs = [c for c in configs if c.api == api]
        if not configs:
            raise UsageError(f"--config {path!r} has no target for --api {api}")
    labels = [c.label for c in configs]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise UsageError(f"--config {path!r}: target names must be unique; give `name` to {', '.join(duplicates)}")
    return configs


def all_on_one_fake(base_url: str, base: RunConfig) -> list[RunConfig]:
    """`--api all --base-url http://127.0.0.1:8080`: each vendor API under its prefix on one server."""
    root = base_url.rstrip("/")
    return [
        RunConfig(**{**base.__dict__, "api": name, "base_url": f"{root}/{name}", "label": name})
        for name in vendor_apis()
    ]
