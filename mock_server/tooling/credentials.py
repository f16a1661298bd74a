"""The request headers that authenticate to a mounted API with its fixture credentials.

A vendor may say it itself (`Vendor.credentials`); otherwise they follow from its spec's security scheme
(HTTP bearer, or an API key in a header) and the first key its fixtures list under `credentials`.
"""

from __future__ import annotations

from collections.abc import Mapping

KEY_LISTS = ("api_keys", "tokens", "keys")
KEY_FIELDS = ("key", "token", "value", "api_key")


def first_key(fixtures: Mapping) -> str | None:
    credentials = fixtures.get("credentials") or {}
    for name in KEY_LISTS:
        keys = credentials.get(name)
        if isinstance(keys, list) and keys:
            first = keys[0]
            if isinstance(first, str):
                return first
            if isinstance(first, Mapping):
                return next((str(first[f]) for f in KEY_FIELDS if f in first), None)
    return None


def _schemes(spec: Mapping) -> list[Mapping]:
    defined = spec.get("components", {}).get("securitySchemes", {})
    used = [name for requirement in spec.get("security", []) for name in requirement]
    return [defined[name] for name in used if name in defined] or list(defined.values())


def headers_for(vendor, spec: Mapping, fixtures: Mapping) -> dict[str, str]:
    if vendor.credentials is not None:
        return dict(vendor.credentials(fixtures))
    key = first_key(fixtures)
    if key is None:
        return {}
    for scheme in _schemes(spec):
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return {"Authorization": f"Bearer {key}"}
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            return {scheme["name"]: key}
    return {}
