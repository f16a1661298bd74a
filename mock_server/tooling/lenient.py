"""`--lenient`: a request the spec rejects for unknown fields or loose types is repaired, re-validated and served.

Connexion validates first as usual. Only when that fails with a 400 does lenient mode step in: it drops the
query parameters and JSON body fields the operation does not declare, converts loose scalar types where
the conversion loses nothing (`"12.5"` → 12.5, `"true"` → true, 3 → `"3"`), and validates the repaired
request again with Connexion's own validators. If it now passes, the handler gets the repaired, schema-valid
request and the journal entry records what was wrong; if not, the client gets the original 400. Handlers
therefore never see data the spec does not allow (openapi/DECISIONS.md TL-D04).

This module is the repairing (pure); how it is wired into Connexion's validation is in
`mock_server/compat/validation.py`, with every other touch of Connexion's internals.
"""

from __future__ import annotations

from jsonschema import Draft4Validator


# --- repairing a value against its schema (pure) ------------------------------------------------
def _to_number(value, integer: bool):
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return value
    elif isinstance(value, float) and integer:
        number = value
    else:
        return value
    if integer:
        return int(number) if number.is_integer() else value
    return int(number) if isinstance(value, str) and number.is_integer() and "." not in value else number


def _to_boolean(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _to_string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


SCALARS = {"integer": lambda v: _to_number(v, True), "number": lambda v: _to_number(v, False),
           "boolean": _to_boolean, "string": _to_string}


def repair(schema: dict, value, notes: list[str], where: str = "body"):
    """`value` with undeclared fields dropped and loose scalars converted, following `schema`; each change
    is described in `notes`."""
    if not isinstance(schema, dict):
        return value
    for part in schema.get("allOf", ()):
        value = repair(part, value, notes, where)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        return _repair_one_of(schema, branches, value, notes, where)
    kind = schema.get("type")
    if isinstance(value, dict) and (kind == "object" or "properties" in schema):
        properties = schema.get("properties", {})
        out = {}
        for key, item in value.items():
            if key in properties:
                out[key] = repair(properties[key], item, notes, f"{where}.{key}")
            elif schema.get("additionalProperties") is False and not schema.get("allOf"):
                notes.append(f"unknown field {where}.{key} ignored")
            else:
                extra = schema.get("additionalProperties")
                out[key] = repair(extra, item, notes, f"{where}.{key}") if isinstance(extra, dict) else item
        return out
    if isinstance(value, list) and kind == "array":
        return [repair(schema.get("items", {}), item, notes, f"{where}[{i}]") for i, item in enumerate(value)]
    convert = SCALARS.get(kind) if isinstance(kind, str) else None
    if convert is not None and not isinstance(value, dict | list) and value is not None:
        fixed = convert(value)
        if type(fixed) is not type(value):
            notes.append(f"{where}: {value!r} taken as {kind} {fixed!r}")
        return fixed
    return value


def _repair_one_of(schema: dict, branches: list, value, notes: list[str], where: str):
    """The branch the discriminator names (by its property's enum), else the first branch the repaired value
    fits; the value unchanged when none does."""
    discriminator = (schema.get("discriminator") or {}).get("propertyName")
    if discriminator and isinstance(value, dict):
        named = [b for b in branches if value.get(discriminator) in
                 ((b.get("properties") or {}).get(discriminator) or {}).get("enum", ())]
        branches = named or branches
    for branch in branches:
        tried: list[str] = []
        candidate = repair(branch, value, tried, where)
        if Draft4Validator(branch).is_valid(candidate):
            notes.extend(tried)
            return candidate
    return value
