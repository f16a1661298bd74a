"""Attribute values sent for writing (PI-29..PI-32, PI-37, PI-50): named as the View names them, checked
against their attribute's type, dictionary and validation rule, and stored as text.

Unknown names are ignored, as the seed says (PI-30); read-only attributes are refused (PI-38, PI-39). An
empty value ("", null, []) clears the attribute.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from mock_server.errors import BadRequest
from mock_server.specs import Messages
from mock_server.vendors.pims import rules
from mock_server.vendors.pims.model import Attribute, Model, View

DECIMAL = re.compile(r"-?\d{1,30}(\.\d{1,15})?")
WHOLE = re.compile(r"-?\d{1,30}")
URL = re.compile(r"(https?://|/)\S+")

Stored = str | list[str] | None  # an attribute's stored value: its text, a Collection's texts, or none

# type -> what a value must be, in the messages
EXPECTED = {
    "string": "a text", "text": "a text", "number": "a number", "integer": "a whole number",
    "dropdown": "one of its dictionary's values", "url": "a URL (http://, https:// or a /path)",
    "category": "a category path ('Parent > Child') or a category id", "sku": "a SKU",
    "attribute": "an attribute name",
}


def preview(value: object, limit: int = 100) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Values:
    """Checks one request's attributes; `messages` are the vendor's catalog."""

    def __init__(self, model: Model, view: View, messages: Messages) -> None:
        self.model, self.view, self.messages = model, view, messages
        self.scalars: dict[str, Callable[[Attribute, str | float], str | None]] = {
            "string": self.text, "text": self.text, "url": self.url, "number": self.number,
            "integer": self.integer, "dropdown": self.dropdown, "category": self.category,
            "sku": self.sku, "attribute": self.attribute,
        }

    def fail(self, key: str, **params: object) -> BadRequest:
        return BadRequest(self.messages("values", key, **params), code="invalid_value")

    def changes(self, sent: dict, sku: str) -> dict[str, Stored]:
        """Internal attribute name -> the value to store, for the attributes of `sent` the View knows."""
        out: dict[str, Stored] = {}
        for external, raw in sent.items():
            if external == rules.VARIATION_MATRIX:
                raise self.fail("read_only", attribute=external)
            internal = self.view.to_internal.get(external)
            if internal is None:
                continue  # PI-30: an incorrect attribute name is ignored
            if internal in rules.READ_ONLY:
                raise self.fail("read_only", attribute=external)
            attr = self.model.attributes[internal]
            if internal == rules.SKU:
                if not isinstance(raw, str) or raw.strip() != sku:
                    raise self.fail("sku_mismatch", attribute=external)
                continue
            out[internal] = self.value(attr, raw, external)
        return out

    def value(self, attr: Attribute, raw: object, external: str) -> Stored:
        if attr.collection:
            if raw is None:
                return []
            items = raw if isinstance(raw, list) else [raw]
            stored: list[str] = []
            for item in items:
                value = self.scalar(attr, item, external)
                if value is not None and value not in stored:
                    stored.append(value)
            return stored
        value = self.scalar(attr, raw, external)
        if attr.name == rules.STATUS and value not in rules.STATUSES:
            raise self.fail("invalid_status", allowed=", ".join(rules.STATUSES))
        return value

    def scalar(self, attr: Attribute, raw: object, external: str) -> str | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise self.fail("invalid_type", attribute=external, expected=EXPECTED[attr.type])
        value = self.scalars[attr.type](attr, raw)
        if value is None:
            raise self.fail("invalid_type", attribute=external, expected=EXPECTED[attr.type])
        limit = rules.TEXT_LIMITS.get(attr.type)
        if limit is not None and len(value) > limit:
            raise self.fail("too_long", attribute=external, limit=limit)
        if attr.validation is not None and attr.name != rules.STATUS and not attr.validation.search(value):
            raise self.fail("failed_validation", value=preview(value), attribute=external,
                            rule=attr.validation.pattern)
        return value

    # --- one converter per type: the stored text, or None when the value is not of the type ----------
    @staticmethod
    def text(attr: Attribute, raw: str | float) -> str | None:
        if isinstance(raw, float) and not math.isfinite(raw):
            return None
        return raw if isinstance(raw, str) else str(raw)

    def url(self, attr: Attribute, raw: str | float) -> str | None:
        return raw.strip() if isinstance(raw, str) and URL.fullmatch(raw.strip()) else None

    @staticmethod
    def _digits(raw: str | float, pattern: re.Pattern) -> str | None:
        if isinstance(raw, float):
            if not math.isfinite(raw):
                return None
            raw = repr(raw)
        text = raw.strip() if isinstance(raw, str) else str(raw)
        return text if pattern.fullmatch(text) else None

    def number(self, attr: Attribute, raw: str | float) -> str | None:
        """Decimals keep the text sent: "100.00" stays "100.00" (PI-50); 110.5 becomes "110.5"."""
        return self._digits(raw, DECIMAL)

    def integer(self, attr: Attribute, raw: str | float) -> str | None:
        if isinstance(raw, float):
            return str(int(raw)) if raw.is_integer() and abs(raw) < 1e30 else None
        return self._digits(raw, WHOLE)

    def dropdown(self, attr: Attribute, raw: str | float) -> str | None:
        """PI-31: a dropdown value must be one of its dictionary's values (exactly)."""
        value = raw if isinstance(raw, str) else str(raw)
        if value not in (attr.dictionary or ()):
            raise self.fail("not_in_dictionary", value=preview(value), attribute=self.view.to_external[attr.name],
                            allowed=", ".join(attr.dictionary or ()))
        return value

    def category(self, attr: Attribute, raw: str | float) -> str | None:
        if isinstance(raw, float):
            return None
        path = self.model.categories.resolve(raw)
        if path is None:
            raise self.fail("unknown_category", category=preview(str(raw)))
        return path

    @staticmethod
    def sku(attr: Attribute, raw: str | float) -> str | None:
        text = raw.strip() if isinstance(raw, str) else None
        return text if text and len(text) <= rules.SKU_MAX_LENGTH else None

    def attribute(self, attr: Attribute, raw: str | float) -> str | None:
        """A variation attribute: an attribute of the View that is neither a Collection nor a variation_* one."""
        if not isinstance(raw, str):
            return None
        internal = self.view.to_internal.get(raw.strip())
        if internal is None:
            raise self.fail("unknown_variation_attribute", name=preview(raw), reason="no such attribute")
        chosen = self.model.attributes[internal]
        if chosen.collection:
            raise self.fail("unknown_variation_attribute", name=raw, reason="it is a Collection")
        if internal in (rules.SKU, rules.STATUS, rules.VARIATION_OF):
            raise self.fail("unknown_variation_attribute", name=raw, reason="it identifies the product")
        return internal
