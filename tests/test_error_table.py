"""Issue 17 §5-6: one error hierarchy, renderers that leave the error they render alone, typed vendor state."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import mock_server
from mock_server import errors
from mock_server.app_errors import TRANSLATIONS, translate
from mock_server.specs import Messages
from mock_server.vendors import REGISTRY, load_vendor


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_error_class_the_fake_answers_with_is_declared_in_errors_py():
    for module in pkgutil.walk_packages(mock_server.__path__, "mock_server."):
        if module.name.endswith(("__main__", "pytest_plugin")):
            continue
        importlib.import_module(module.name)
    elsewhere = sorted(f"{c.__module__}.{c.__qualname__}" for c in _subclasses(errors.FakeError)
                       if c.__module__ != "mock_server.errors" and not c.__module__.startswith("tests"))
    assert elsewhere == []


@pytest.mark.parametrize("api", sorted(REGISTRY))
@pytest.mark.parametrize("error", [
    errors.Unauthorized("Who are you?", code="unauthorized"),
    errors.MethodNotAllowed("Method not allowed.", code="method_not_allowed", headers={"Allow": "GET"},
                            generic=True),
    errors.FakeError("I'm a teapot", code="teapot"),
], ids=["401", "405", "418"])
def test_a_vendor_renderer_leaves_the_error_it_renders_as_it_was(api, error):
    error.status = 418 if error.code == "teapot" else error.status
    before = (error.status, error.message, error.code, dict(error.headers), dict(error.extra))
    answer = load_vendor(api).render_error(error, Messages({}))
    assert (error.status, error.message, error.code, dict(error.headers), dict(error.extra)) == before
    if error.status == 401:
        assert "WWW-Authenticate" in answer.headers  # every vendor challenges; the error itself did not change
    assert answer.status >= 400 and isinstance(answer.headers, dict) and answer.body


def test_jasper_says_a_status_outside_its_vocabulary_as_the_nearest_one_on_a_copy():
    error = errors.MethodNotAllowed("Method not allowed.", headers={"Allow": "GET"}, generic=True)
    answer = load_vendor("jasper").render_error(error, Messages({}))
    assert (answer.status, answer.body, answer.headers) == (404, {"message": "Resource not found."}, {})
    assert (error.status, error.headers) == (405, {"Allow": "GET"})


@pytest.mark.parametrize(("exc", "status", "code"), [
    (TimeoutError(), 503, "unavailable"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"), 400, "bad_request"),
    (RuntimeError("no operation context"), 404, "not_found"),
    (RuntimeError("something else"), 500, "internal"),
    (KeyError("x"), 500, "internal"),  # outside Connexion's parsing a KeyError is a bug of the fake's
])
def test_third_party_errors_are_translated_through_the_table(exc, status, code):
    error = translate(exc)
    assert (error.status, error.code) == (status, code)


def test_the_table_names_each_exception_class_once_per_parsing_stage():
    keys = [(cls, where) for classes, where, _ in TRANSLATIONS for cls in classes]
    assert len(keys) == len(set(keys))


def test_each_vendor_state_is_its_own_typed_object(app):
    rt = app.runtime
    assert set(rt.vendor_state) == set(rt.vendors)
    for name, state in rt.vendor_state.items():
        module = importlib.import_module(f"{REGISTRY[name]}.state")
        assert module.state(rt) is state  # the package's typed accessor
        assert not isinstance(state, dict)
    with pytest.raises(TypeError):
        rt.state_of("pixee", type(rt.vendor_state["wizart"]))
