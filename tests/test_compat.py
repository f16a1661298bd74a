"""Connexion's internals are patched for one minor version only: any other is refused at start-up, loudly."""

from __future__ import annotations

import pytest

from mock_server import cli, compat


@pytest.mark.parametrize("installed", ["3.3.0", "3.3.7"])
def test_the_tested_minor_is_accepted(installed):
    compat.check(installed)


@pytest.mark.parametrize("installed", ["3.4.0", "3.2.9", "4.0.0"])
def test_any_other_version_is_refused_with_what_to_do(installed):
    with pytest.raises(compat.IncompatibleConnexion, match=rf"needs Connexion 3\.3\.x .* Connexion {installed} is"):
        compat.check(installed)


def test_serve_exits_2_with_one_clear_line_on_an_untested_connexion(monkeypatch, capsys):
    monkeypatch.setattr(compat, "version", lambda name: "3.4.0")
    assert cli.main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "pim-mock: pimkit needs Connexion 3.3.x" in err and "3.4.0" in err


def test_the_pin_in_pyproject_matches_the_tested_minor():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    pin = next(d for d in project["dependencies"] if d.startswith("connexion"))
    major, minor = compat.TESTED_CONNEXION.split(".")
    assert pin.endswith(f">={major}.{minor},<{major}.{int(minor) + 1}"), pin


def test_a_spec_is_validated_once_per_process_and_an_invalid_one_fails_every_time(monkeypatch):
    """Building an app validates its specs against the OpenAPI schema: once per spec content (the suite builds
    hundreds of apps), and a spec that fails validation fails again the next time it is loaded."""
    import copy

    from connexion import spec as connexion_spec
    from connexion.exceptions import InvalidSpecification

    compat.install()
    validators = []
    real = connexion_spec.create_spec_validator
    monkeypatch.setattr(connexion_spec, "create_spec_validator",
                        lambda spec: validators.append(spec) or real(spec))
    fresh = id(validators)  # content no other test validated
    valid = {"openapi": "3.0.3", "info": {"title": f"once {fresh}", "version": "1"}, "paths": {}}
    for _ in range(3):
        connexion_spec.Specification.load(copy.deepcopy(valid))
    assert len(validators) == 1
    invalid = {"openapi": "3.0.3", "info": {"title": f"bad {fresh}"}, "paths": {}}  # no info.version
    for _ in range(2):
        with pytest.raises(InvalidSpecification):
            connexion_spec.Specification.load(copy.deepcopy(invalid))
    assert len(validators) == 3


def test_a_spec_is_resolved_once_per_content_and_each_load_is_its_own():
    """Loading a spec (two deep copies and every `$ref` resolved) is done once per content. Each load is still its
    own: Connexion grows an operation's parameters by the path's on every operation it builds, and sets the base
    path, and neither may reach another load; a document that differs is loaded afresh."""
    import copy

    from connexion.operations import OpenAPIOperation
    from connexion.resolver import Resolver
    from connexion.spec import Specification

    compat.install()
    document = {"openapi": "3.0.3", "info": {"title": f"resolved once {id(object())}", "version": "1"},
                "paths": {"/things/{id}": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                            "responses": {"200": {"$ref": "#/components/responses/Thing"}}}}},
                "components": {"responses": {"Thing": {"description": "a thing"}}}}
    resolver = Resolver(function_resolver=lambda operation_id: lambda: None)

    def build(spec: Specification) -> list[str]:
        operation = OpenAPIOperation.from_spec(spec, path="/things/{id}", method="get", resolver=resolver)
        return [parameter["name"] for parameter in operation.parameters]

    first = Specification.load(copy.deepcopy(document))
    assert first.get_operation("/things/{id}", "get")["responses"]["200"] == {"description": "a thing"}
    assert build(first) == ["q", "id"]
    for _ in range(3):  # six middlewares build each operation, and each app is loaded again
        second = Specification.load(copy.deepcopy(document))
        assert build(second) == ["q", "id"]
    first.base_path = "/one"
    second.base_path = "/two"
    assert (first.base_path, second.base_path) == ("/one", "/two")
    assert Specification.load(copy.deepcopy(document)).base_path == ""
    changed = copy.deepcopy(document)
    changed["components"]["responses"]["Thing"]["description"] = "another thing"
    third = Specification.load(changed)
    assert third.get_operation("/things/{id}", "get")["responses"]["200"] == {"description": "another thing"}


def test_the_middleware_stack_is_built_before_the_first_request_and_serves_it(make_app):
    """`pim-mock serve` builds Connexion's stack at start-up (then freezes it out of the garbage collector's
    sight), instead of on the first request; the app built early answers as one built lazily does."""
    app = make_app()
    assert app.middleware.middleware_stack is None
    compat.build_middleware_stack(app)
    stack = app.middleware.middleware_stack
    assert stack is not None
    with app.test_client() as client:
        assert client.get("/__admin/health").status_code == 200
    assert app.middleware.middleware_stack is stack


def _routers(app):
    """The RoutingMiddleware's router (the APIs' mounts) and each API's router, as the app built them."""
    from connexion.middleware.routing import RoutingMiddleware

    with app.test_client() as client:  # Connexion builds its middleware stack on the first request
        client.get("/__admin/health")
    layer = app.middleware.app
    while not isinstance(layer, RoutingMiddleware):
        layer = layer.app
    return [layer.router, *(mount.app for mount in layer.router.routes)]


def _paths(route_path: str) -> set[str]:
    """Request paths near a route's own: each parameter filled with a sample value, then with a segment more,
    one less, a trailing slash, and a first segment changed."""
    from starlette.routing import PARAM_REGEX

    out = set()
    for sample in ("1", "a.b", ""):
        path = PARAM_REGEX.sub(sample, route_path)
        out |= {path, path + "/", path + "/x", path.rsplit("/", 1)[0], "/other" + path, path + "\n",
                path + "/x\n", path + "/a" * 40}
    return out


def test_each_api_router_picks_the_route_starlette_would_from_the_routes_its_index_keeps(module_app):
    """IndexedRouter (compat/fast.py) tries only the routes whose literal start and depth fit the path: for paths
    at and around every route of every API, with a method most routes have, one some have and one almost none
    have, it chooses exactly what trying every route in order chooses (the full match, else the 405 candidate,
    else nothing) — and it tries far fewer routes for Jasper."""
    from mock_server.compat.fast import first_match

    routers = _routers(module_app)
    assert all(type(router).__name__ == "IndexedRouter" for router in routers)
    checked = 0
    for router in routers:
        paths = set().union(*(_paths(route.path) for route in router.routes)) | {"/", "", "x"}
        for path in sorted(paths):
            for method in ("GET", "POST", "PATCH"):
                scope = {"type": "http", "path": path, "root_path": "", "method": method, "path_params": {}}
                chosen, expected = first_match(router.candidates(scope), scope), first_match(router.routes, scope)
                assert (chosen and (chosen[0], chosen[1])) == (expected and (expected[0], expected[1])), (path, method)
                checked += expected is not None
    assert checked > 400, checked  # many sample paths are routes of some API (555 today)
    jasper = next(mount.app for mount in routers[0].routes if mount.path == "/jasper")
    scope = {"type": "http", "path": "/api/v1/products/1", "root_path": "", "method": "GET", "path_params": {}}
    assert first_match(jasper.candidates(scope), scope) is not None
    assert len(jasper.candidates(scope)) < len(jasper.routes) / 10


def test_a_path_of_any_length_costs_the_index_what_one_as_deep_as_its_routes_does(module_app):
    """The index looks at a path's starts no deeper than its deepest route's literal start: a 60 KB path of
    30,000 segments (which uvicorn accepts) costs no more memory than a short one, where building every start
    of it took ~1 GB."""
    import tracemalloc

    router = _routers(module_app)[0]
    scope = {"type": "http", "path": "/jasper/api/v1/" + "a/" * 30_000, "root_path": "", "method": "GET",
             "path_params": {}}
    tracemalloc.start()
    try:
        router.candidates(scope)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak


def test_routing_through_the_index_answers_as_before(client):
    """A route found through the index (in a tenant too), a trailing slash, a known path with a method it does not
    have (the admin API's 405; Jasper's own 404), and an unknown path."""
    auth = {"Authorization": "Bearer jasper-test-token"}
    for path in ("/jasper/api/v1/products/1", "/t/routing/jasper/api/v1/products/1", "/jasper/api/v1/products/1/"):
        assert client.get(path, headers=auth).json()["product"]["id"] == 1, path
    assert client.put("/__admin/clock/advance").json()["error"] == "method_not_allowed"
    assert client.request("PATCH", "/jasper/api/v1/products/1", headers=auth).json() == {
        "message": "Resource not found."}
    assert client.get("/jasper/api/v1/no-such-thing", headers=auth).status_code == 404


def test_two_specs_that_differ_only_in_a_value_s_type_are_two_specs():
    """A YAML date and its text, `True` and "true": equal as JSON text, different specs. The second is loaded
    and validated as itself, not answered from the first."""
    import datetime

    from connexion.spec import Specification

    compat.install()

    def document(value: object) -> dict:
        return {"openapi": "3.0.3", "info": {"title": f"typed {id(compat)}", "version": "1"}, "paths": {},
                "components": {"schemas": {"Day": {"type": "string", "enum": [value]}}}}

    for first, second in ((datetime.date(2020, 1, 1), "2020-01-01"), (True, "true")):
        Specification.load(document(first))
        assert Specification.load(document(second)).components["schemas"]["Day"]["enum"] == [second]
