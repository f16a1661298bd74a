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
    # a vendor's other credentials (CREDENTIALS below), each from the variable named:
    # credentials_env = { client_id = "WZ_CLIENT_ID", client_secret = "WZ_CLIENT_SECRET", web = "WZ_WEB_TOKEN",
    #                     android = "WZ_ANDROID_TOKEN", ios = "WZ_IOS_TOKEN", direct = "WZ_DIRECT_TOKEN" }
    # optional: strict, max_examples, timeout, seed, only = "schema" | "scenarios", scenarios = ["…"]

A secret is never written in the file: `token = "…"` is refused (QA-D06); `token_env` names the variable that
holds it, and a variable that is unset or empty is a usage error before anything runs. A target with neither
uses PIM_CONFORMANCE_<API>_TOKEN when set, else the fake's fixture credentials, as `pim-conformance run` does
without --token; each other credential likewise PIM_CONFORMANCE_<API>_<NAME> (PIM_CONFORMANCE_WIZART_WEB…).
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
    {"name", "api", "base_url", "token_env", "strict", "max_examples", "timeout", "seed", "only", "scenarios",
     "credentials_env"}
)
# A vendor's credentials besides the main token, by API: Wizart's OAuth client (client credentials) and its
# account tokens per kind, a PIMS key without Data Editor rights, a Jasper read-only token. Each comes from the
# variable `credentials_env` names, else from PIM_CONFORMANCE_<API>_<NAME> when set (QA-D22).
CREDENTIALS = {
    "wizart": ("client_id", "client_secret", "web", "android", "ios", "direct"),
    "pims": ("readonly",),
    "jasper": ("readonly",),
}


def env_name(api: str, name: str) -> str:
    return f"PIM_CONFORMANCE_{api.upper()}_{name.upper()}"


def _visible(value: str, where: str, variable: str) -> str:
    if any(not (0x21 <= ord(c) <= 0x7E) for c in value):
        raise UsageError(f"{where}: ${variable} must be visible ASCII characters only (it is sent in a header)")
    return value


def credentials_from_env(api: str, named: Mapping[str, Any] | None = None, where: str = "") -> dict[str, str]:
    """`named` (credentials_env: name -> variable) first, then PIM_CONFORMANCE_<API>_<NAME> for the rest."""
    known = CREDENTIALS.get(api, ())
    named = dict(named or {})
    unknown = sorted(set(named) - set(known))
    if unknown:
        raise UsageError(f"{where}: credentials_env names {', '.join(unknown)}; {api} takes: "
                         f"{', '.join(known) or 'none'}")
    found = {}
    for name in known:
        variable = named.get(name) or env_name(api, name)
        value = os.environ.get(variable, "") if isinstance(variable, str) else ""
        if name in named and not value:
            raise UsageError(f"{where}: the environment variable {variable!r} (credentials_env.{name}) is unset "
                             "or empty")
        if value:
            found[name] = _visible(value, where, variable)
    if ("client_id" in found) != ("client_secret" in found):
        raise UsageError(f"{where}: an OAuth client needs both client_id and client_secret")
    return found


def token_from_env(api: str) -> str | None:
    """PIM_CONFORMANCE_<API>_TOKEN, the main token when neither --token nor token_env gives one."""
    value = os.environ.get(env_name(api, "token"), "")
    return _visible(value, "environment", env_name(api, "token")) if value else None
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
        _visible(token, where, variable)
    else:
        token = token_from_env(merged["api"])
    named = merged.get("credentials_env", {})
    if not isinstance(named, Mapping):
        raise UsageError(f"{where}: credentials_env must be a table of name = \"VARIABLE\"")
    credentials = credentials_from_env(merged["api"], named, where)
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
        credentials=credentials,
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
    labels = [c.name for c in configs]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise UsageError(f"--config {path!r}: target names must be unique; give `name` to {', '.join(duplicates)}")
    return configs


def all_on_one_fake(base_url: str, base: RunConfig) -> list[RunConfig]:
    """`--api all --base-url http://127.0.0.1:8080`: each vendor API under its prefix on one server."""
    root = base_url.rstrip("/")
    return [
        RunConfig(**{**base.__dict__, "api": name, "base_url": f"{root}/{name}", "label": name,
                     "token": token_from_env(name), "credentials": credentials_from_env(name, where="environment")})
        for name in vendor_apis()
    ]
