"""docs/adding-a-vendor.md followed with a throwaway vendor: its spec, fixtures and package, and nothing else in the
fake changed, give a served, validated, resettable API with its own error envelope."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SPEC = """\
openapi: 3.0.3
info: {title: Acme widgets, version: "1"}
tags: [{name: Widgets}]
paths:
  /api/v1/widgets:
    post:
      operationId: createWidget
      tags: [Widgets]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name]
              properties: {name: {type: string, minLength: 1}}
      responses:
        "201": {description: Created}
        "400": {description: Invalid}
        "401": {description: No credentials}
  /api/v1/widgets/{id}:
    get:
      operationId: getWidget
      tags: [Widgets]
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: The widget}
        "404": {description: No such widget}
        "401": {description: No credentials}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
x-messages:
  requests: {widget_not_found: "Widget {id} does not exist."}
"""

PACKAGE = {
    "__init__.py": '''
        """Acme widgets: a throwaway vendor following docs/adding-a-vendor.md."""
        from mock_server.vendors.base import Vendor, api_key_banner, envelope

        VENDOR = Vendor(
            name="acme",
            spec="acme",
            handlers="acme_vendor.handlers",
            render_error=envelope(lambda code, message: {"fault": {"code": code, "text": message}}),
            seed=lambda fixtures: {"acme.widgets": fixtures.get("widgets", [])},
            setup=lambda runtime: runtime.store.declare_index("acme.widgets", "id"),
            banner=api_key_banner,
        )
    ''',
    "handlers.py": '''
        """Acme's operations: parse, call the store, shape the answer."""
        from mock_server.auth import fixture_credential
        from mock_server.context import runtime
        from mock_server.errors import NotFound
        from mock_server.responses import json_response

        def check_token(token, required_scopes=None):
            return fixture_credential("acme", "api_keys", token)

        async def get_widget(id):
            store = runtime().store
            with store.lock:
                doc_id = store.lookup("acme.widgets", "id", id)
                widget = None if doc_id is None else store.get("acme.widgets", doc_id)
            if widget is None:
                raise NotFound(runtime().messages["acme"]("requests", "widget_not_found", id=id), code="not_found")
            return json_response(widget)

        async def create_widget(body):
            store = runtime().store
            with store.lock:
                widget = {"id": 1 + max((w["id"] for w in store.all("acme.widgets")), default=0), **body}
                store.insert("acme.widgets", widget)
            return json_response(widget, status=201)
    ''',
}


@pytest.fixture
def acme(tmp_path, monkeypatch):
    """The recipe's files, laid out in a data root and a package of their own."""
    (tmp_path / "openapi").mkdir()
    shutil.copy(REPO / "openapi" / "admin.yaml", tmp_path / "openapi" / "admin.yaml")
    (tmp_path / "openapi" / "acme.yaml").write_text(SPEC)
    (tmp_path / "fixtures" / "acme").mkdir(parents=True)
    (tmp_path / "fixtures" / "acme" / "fixtures.json").write_text(json.dumps(
        {"credentials": {"api_keys": ["acme_test_key"]}, "widgets": [{"id": 7, "name": "sprocket"}]}))
    package = tmp_path / "pkg" / "acme_vendor"
    package.mkdir(parents=True)
    for name, source in PACKAGE.items():
        (package / name).write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    monkeypatch.setenv("PIMKIT_DATA_DIR", str(tmp_path))

    from mock_server import vendors
    from mock_server.specs import load_spec

    monkeypatch.setitem(vendors.REGISTRY, "acme", "acme_vendor")  # the recipe's one line in the vendor list
    load_spec.cache_clear()
    yield
    load_spec.cache_clear()
    for module in [m for m in sys.modules if m.startswith("acme_vendor")]:
        del sys.modules[module]


def test_a_new_vendor_is_served_validated_and_reset_from_its_own_files(acme, make_app):
    app = make_app(vendors=("acme",))
    auth = {"Authorization": "Bearer acme_test_key"}
    with app.test_client() as client:
        assert client.get("/__admin/health").json()["apis"] == {"acme": "/acme"}
        assert client.get("/acme/api/v1/widgets/7", headers=auth).json() == {"id": 7, "name": "sprocket"}
        missing = client.get("/acme/api/v1/widgets/8", headers=auth)
        assert (missing.status_code, missing.json()) == (
            404, {"fault": {"code": "not_found", "text": "Widget 8 does not exist."}})
        assert client.get("/acme/api/v1/widgets/7").status_code == 401
        refused = client.post("/acme/api/v1/widgets", json={"name": "x", "colour": "red"}, headers=auth)
        assert refused.status_code == 400 and set(refused.json()) == {"fault"}
        created = client.post("/acme/api/v1/widgets", json={"name": "gear"}, headers=auth)
        assert (created.status_code, created.json()) == (201, {"id": 8, "name": "gear"})
        assert client.post("/__admin/reset").status_code == 200
        assert client.get("/acme/api/v1/widgets/8", headers=auth).status_code == 404
        assert client.get("/acme/ui/").status_code == 200


def test_the_default_vendor_list_is_the_registry():
    from mock_server.config import Config
    from mock_server.vendors import REGISTRY

    assert Config().vendors == tuple(REGISTRY)
