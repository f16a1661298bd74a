"""Why a request body was refused, in PIMS's words.

Connexion validates the body against the spec's `oneOf` of six actions before any handler runs, and says
only "… is not valid under any of the given schemas". Its problem keeps the jsonschema error it came from
(`__context__`), and with it the body: this module picks the action's own schema through the
discriminator, validates again, and names the first problem the way the seed does ("SKU list is not
provided!", "List of SKUs should be an ARRAY!", …) or with the field's path ("params.pagination.limit
should be in the range of 1 to 500!"). The schemas are the spec's; nothing here restates them.
"""

from __future__ import annotations

import json
from typing import Any

from connexion.exceptions import ProblemException
from connexion.json_schema import Draft4RequestValidator
from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from mock_server.errors import BadRequest, FakeError
from mock_server.specs import Messages, load_spec
from mock_server.vendors.pims import rules

# (path, with "#" for any array index) -> {jsonschema keyword -> (group, message)}; "*" is any keyword
FIELD_MESSAGES: dict[tuple[str, ...], dict[str, tuple[str, str]]] = {
    ("sku",): {"required": ("products", "sku_empty"), "minLength": ("products", "sku_empty"),
               "pattern": ("products", "sku_empty"), "type": ("products", "sku_not_string"),
               "maxLength": ("products", "sku_too_long")},
    ("skus",): {"required": ("products", "sku_list_missing"), "type": ("products", "sku_list_not_array"),
                "minItems": ("products", "sku_list_empty"), "maxItems": ("products", "sku_list_too_long")},
    ("skus", "#"): {"*": ("products", "sku_list_item_invalid")},
    ("params", "order", "#", "direction"): {"*": ("list", "order_direction")},
    ("params", "include_deleted"): {"*": ("body", "field_flag")},
    ("params", "include_variants"): {"*": ("body", "field_flag")},
    ("params", "subcategories"): {"*": ("body", "field_flag")},
}
# Connexion's own words for a body that is not there
MISSING_BODY = ("RequestBody is required", "Request body must not be empty")
TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
              "array": "an array", "object": "an object"}


def _inline(node: Any, schemas: dict[str, Any]) -> Any:
    """The schema with every `#/components/schemas/…` reference replaced by its target (the spec has no
    recursive schema)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _inline(schemas[ref.rsplit("/", 1)[-1]], schemas)
        return {k: _inline(v, schemas) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, schemas) for v in node]
    return node


class Explainer:
    def __init__(self) -> None:
        schemas = load_spec("pims")["components"]["schemas"]
        self.validators = {action: Draft4RequestValidator(_inline(schemas[name], schemas))
                           for action, name in rules.ACTION_SCHEMAS.items()}

    def body(self, body: object, messages: Messages) -> str | None:
        """The message for a body the spec refuses, or None if its action's schema accepts it."""
        if not isinstance(body, dict):
            return messages("body", "body_not_object")
        action = body.get("action")
        if action is None:
            return messages("body", "action_missing")
        if not isinstance(action, str) or action not in self.validators:
            shown = json.dumps(action)[:100] if not isinstance(action, str) else f"'{action[:100]}'"
            return messages("body", "action_unknown", action=shown, actions=", ".join(rules.ACTIONS))
        error = best_match(self.validators[action].iter_errors(body))
        return None if error is None else self.field(error, messages)

    @staticmethod
    def field(error: ValidationError, messages: Messages) -> str:
        path = list(error.absolute_path)
        keyword = str(error.validator)
        schema = error.schema if isinstance(error.schema, dict) else {}
        if keyword == "required":
            missing = next(name for name in error.validator_value if name not in error.instance)
            path.append(missing)
        pattern = tuple("#" if isinstance(p, int) else p for p in path)
        special = FIELD_MESSAGES.get(pattern, {})
        known = special.get(keyword) or special.get("*")
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        if known is not None:
            return messages(known[0], known[1], field=name, limit=schema.get("maxLength") or schema.get("maxItems")
                            or rules.SKU_MAX_LENGTH)
        if keyword == "required":
            return messages("body", "field_empty", field=name)
        if keyword == "type":
            expected = error.validator_value if isinstance(error.validator_value, str) else "valid"
            return messages("body", "field_type", field=name, expected=TYPE_NAMES.get(expected, expected))
        if keyword in ("minimum", "maximum"):
            low, high = schema.get("minimum"), schema.get("maximum")
            if low is not None and high is not None and high <= 1000:
                return messages("body", "field_range", field=name, minimum=low, maximum=high)
            if keyword == "minimum":
                return messages("body", "field_minimum", field=name, below=error.validator_value - 1)
            return messages("body", "field_maximum", field=name, maximum=high)
        if keyword in ("maxLength",):
            return messages("body", "field_too_long", field=name, limit=error.validator_value)
        if keyword in ("maxItems", "maxProperties"):
            return messages("body", "field_too_many", field=name, limit=error.validator_value)
        if keyword in ("minLength", "minItems"):
            return messages("body", "field_empty", field=name)
        if keyword == "enum":
            return messages("body", "field_enum", field=name, allowed=", ".join(map(str, error.validator_value)))
        if keyword == "anyOf" and any(s.get("type") == "boolean" for s in error.validator_value):
            return messages("body", "field_flag", field=name)
        return messages("body", "field_invalid", field=name)


_explainer: Explainer | None = None


def explainer() -> Explainer:
    global _explainer
    if _explainer is None:
        _explainer = Explainer()
    return _explainer


def problem(error: FakeError, messages: Messages) -> FakeError:
    """A framework 400 about the body, said in PIMS's words; any other error as it is."""
    cause = error.__cause__
    if error.status != 400 or not isinstance(cause, ProblemException):
        return error
    context = cause.__context__
    if isinstance(context, ValidationError) and not context.absolute_path:
        message = explainer().body(context.instance, messages)
        if message is not None:
            return BadRequest(message, code="invalid_body")
    elif isinstance(context, ValueError):  # json.JSONDecodeError is one
        return BadRequest(messages("body", "body_not_json"), code="invalid_json")
    elif cause.detail in MISSING_BODY:
        return BadRequest(messages("body", "body_missing"), code="invalid_body")
    return error
