"""The APIs the suite can check, as profiles read from `data/apis.yaml`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.errors import DataNotFound, UsageError
from conformance.resources import load_fixtures, load_package_yaml


@dataclass(frozen=True)
class Lifecycle:
    """An import job's status machine: a rank per status, the statuses that never change again, and those
    in which every row has been processed (so the row counts must add up)."""

    ranks: Mapping[str, int]
    terminal: frozenset[str]
    counted: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lifecycle:
        ranks: dict[str, int] = {}
        for rank, step in enumerate(data["order"]):
            for status in step if isinstance(step, list) else [step]:
                ranks[status] = rank
        return cls(ranks=ranks, terminal=frozenset(data["terminal"]), counted=frozenset(data.get("counted", ())))

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.ranks)


@dataclass(frozen=True)
class ApiProfile:
    name: str
    spec: str
    rules: str | tuple[str, ...]  # one rules file, or several merged (an API covered in parts)
    scenarios: str | tuple[str, ...]  # one scenario module, or several
    credentials: Mapping[str, str] | None  # None: the API takes no credentials (the fake's admin API)
    lifecycle: Lifecycle | None = None
    strict_only_schema_checks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    never_schema_checks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # How the token is sent: `Authorization: Bearer <token>` unless the profile's `auth` says otherwise
    # (PIMS: a bare `ApiKey: <token>` header).
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    # Schemathesis runs again with each fixture account token (`credentials.accounts`) over the operations whose
    # `x-token-types` list its kind (Wizart).
    schema_per_token_kind: bool = False
    preflight: Mapping[str, Any] | None = None  # the read sent before any check (conformance/preflight.py)

    def auth_headers(self, token: str | None) -> dict[str, str]:
        if token is None:
            return {}
        return {self.auth_header: f"{self.auth_scheme} {token}" if self.auth_scheme else token}

    def default_token(self) -> str | None:
        """The fake's first fixture credential (the token `pim-conformance` uses when given none)."""
        if self.credentials is None:
            return None
        data: Any = load_fixtures(self.credentials["fixtures"])
        path = self.credentials["path"]
        try:
            for part in path.split("."):
                data = data[int(part)] if isinstance(data, list) else data[part]
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise DataNotFound(f"no credential at {path!r} in the {self.name} fixtures") from exc
        if isinstance(data, Mapping):  # {"key": ..., "name": ...} rather than a bare token
            data = next((data[k] for k in ("key", "token", "api_key", "value") if k in data), None)
        if not isinstance(data, str) or not data:
            raise DataNotFound(f"the credential at {path!r} in the {self.name} fixtures is not a token")
        return data

    @property
    def oauth_path(self) -> str | None:
        """Where to exchange the fixture client's credentials for a Bearer token, for APIs that need one (Wizart)."""
        return (self.credentials or {}).get("oauth")

    def client_credentials(self) -> tuple[str, str]:
        path = self._credentials()["path"]
        client = self._fixture_value(path)
        if not isinstance(client, Mapping) or not client.get("client_id") or not client.get("client_secret"):
            raise DataNotFound(f"no OAuth client at {path!r} in the {self.name} fixtures")
        return str(client["client_id"]), str(client["client_secret"])

    def account_tokens(self) -> dict[str, str]:
        """kind -> the first fixture token of that kind (`credentials.accounts`), for APIs with several kinds."""
        path = (self.credentials or {}).get("accounts")
        found = self._fixture_value(path) if path else {}
        return {kind: tokens[0] for kind, tokens in found.items() if isinstance(tokens, list) and tokens}

    def _credentials(self) -> Mapping[str, str]:
        if self.credentials is None:
            raise UsageError(f"the {self.name} API takes no credentials")
        return self.credentials

    def _fixture_value(self, path: str) -> Any:
        data: Any = load_fixtures(self._credentials()["fixtures"])
        try:
            for part in path.split("."):
                data = data[int(part)] if isinstance(data, list) else data[part]
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise DataNotFound(f"nothing at {path!r} in the {self.name} fixtures") from exc
        return data

    def load_scenarios(self) -> None:
        for module in (self.scenarios,) if isinstance(self.scenarios, str) else self.scenarios:
            importlib.import_module(module)


def _profiles() -> dict[str, Mapping[str, Any]]:
    profiles: dict[str, Mapping[str, Any]] = load_package_yaml("apis.yaml")  # YAML: the shape apis.yaml has
    return profiles


def supported() -> list[str]:
    return sorted(name for name, item in _profiles().items() if not item.get("planned"))


def vendor_apis() -> list[str]:
    """The vendor APIs (not `control` ones), in the order data/apis.yaml lists them: the suite's one API list."""
    return [name for name, item in _profiles().items() if not item.get("planned") and not item.get("control")]


def get_profile(name: str) -> ApiProfile:
    profiles = _profiles()
    item = profiles.get(name)
    if item is None or item.get("planned"):
        state = "is not covered by the conformance suite yet" if item else "is not a known API"
        raise UsageError(f"--api {name!r} {state}; supported: {', '.join(supported())}")
    schema = item.get("schema", {})
    strict_only = {op: tuple(checks) for op, checks in schema.get("strict_only", {}).items()}
    never = {op: tuple(checks) for op, checks in schema.get("never", {}).items()}
    return ApiProfile(
        name=name,
        spec=item["spec"],
        rules=item["rules"] if isinstance(item["rules"], str) else tuple(item["rules"]),
        scenarios=item["scenarios"] if isinstance(item["scenarios"], str) else tuple(item["scenarios"]),
        credentials=item.get("credentials"),
        lifecycle=Lifecycle.from_dict(item["lifecycle"]) if "lifecycle" in item else None,
        strict_only_schema_checks=strict_only,
        never_schema_checks=never,
        auth_header=item.get("auth", {}).get("header", "Authorization"),
        auth_scheme=item.get("auth", {}).get("scheme", "Bearer"),
        schema_per_token_kind=bool(schema.get("per_token_kind")),
        preflight=item.get("preflight"),
    )
