"""Access: the ApiKey's permissions (PI-03) and the View a request applies (PI-42, PI-43, X-80)."""

from __future__ import annotations

from mock_server.errors import Forbidden, NotFound
from mock_server.specs import Messages
from mock_server.vendors.pims import rules
from mock_server.vendors.pims.model import ApiKey, Model, View


def token_info(model: Model, presented: str) -> dict | None:
    """Connexion's security-function answer: the key's identity, or None (→ 401)."""
    key = model.keys.get(presented)
    if key is None:
        return None
    return {"sub": key.user, "key": key.key, "scope": sorted(key.permissions)}


def require(key: ApiKey, action: str, messages: Messages) -> None:
    """Writes need Data Editor; the reading actions need Data Viewer or Data Editor (PIMS-D05)."""
    if action in key.actions:
        return
    if action in rules.WRITE_ACTIONS and key.actions:
        raise Forbidden(messages("access", "editor_required", action=action), code="forbidden")
    raise Forbidden(messages("access", "no_permission"), code="forbidden")


def view_for(model: Model, key: ApiKey, requested: str | None, messages: Messages) -> View:
    """The View of a request (X-80): the one named by ApiView if the key may use it; else the key's default
    View; else every attribute. A key with no Views may select any View of the dictionary (PIMS-D06)."""
    name = (requested or "").strip()
    if name:
        view = model.views.get(name)
        if view is None:
            raise NotFound(messages("access", "unknown_view", view=name[:200]), code="unknown_view")
        if key.views and name not in key.views:
            raise Forbidden(messages("access", "view_not_allowed", view=name), code="forbidden")
        return view
    if key.default_view is not None:
        return model.views[key.default_view]
    return model.full_view
