"""Connexion 3.3's per-request work, done once per operation instead (docs/STACK-NOTES.md, benchmarks/README.md).

Connexion rebuilds on every request what never changes between requests: the handler's decorator chain
and URI parser (`AsyncOperation.fn`), the signature inspection of security functions, and a deep copy
plus a fresh jsonschema validator for every parameter. Swagger UI's middleware also routes every
request just to hand it on. Each change here keeps Connexion's behaviour and only caches what it
rebuilt; measured together they take the fake from ≈0.6× to ≈1.0× Prism's throughput.

Building an app also validated each spec against the OpenAPI schema every time (≈85 % of `create_app`'s
≈0.45 s): a spec whose content was already validated in this process is not validated again, so a process
that builds many apps (the test suite, the pytest plugin) pays once per spec, and a spec that fails still fails.
Loading it (a deep copy, then every `$ref` resolved into another deep copy) is likewise done once per content:
each app gets its own deep copy of the resolved document, a fraction of the cost of resolving it again.

Applied once, by `install()`; `mock_server.compat` checks the Connexion version before.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from starlette.types import Receive, Scope, Send


def _cache_operation_chain() -> None:
    from connexion.apps import asynchronous
    from connexion.context import receive as ctx_receive
    from connexion.context import scope as ctx_scope
    from connexion.decorators import StarletteDecorator

    class DecorateOnce(StarletteDecorator):
        def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
            decorated = self.decorate(function)
            parser: list = []

            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                if not parser:  # needs the operation context: built on the first request
                    parser.append(self.uri_parser)
                request = self.framework.get_request(uri_parser=parser[0], scope=ctx_scope, receive=ctx_receive)
                return await decorated(request)

            return wrapper

    def fn(self: Any) -> Any:
        built = self.__dict__.get("_pimkit_fn")
        if built is None:
            built = DecorateOnce(pythonic_params=self.pythonic_params, jsonifier=self.jsonifier)(self._fn)
            self.__dict__["_pimkit_fn"] = built
        return built

    asynchronous.AsyncOperation.fn = property(fn)


def _cache_security_signatures() -> None:
    from connexion import security

    security.inspect_function_arguments = functools.cache(security.inspect_function_arguments)


def _cache_parameter_validators() -> None:
    from connexion.utils import is_null, is_nullable
    from connexion.validators import parameter
    from jsonschema import Draft4Validator, ValidationError

    validators: dict[int, tuple[dict, Draft4Validator]] = {}

    def validate_parameter(parameter_type: str, value: Any, param: dict, param_name: str | None = None) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            entry = validators.get(id(param))
            if entry is None:  # the param dict is kept in the entry, so its id is never reused
                entry = validators[id(param)] = (
                    param, Draft4Validator(param.get("schema", param), format_checker=parameter.draft4_format_checker))
            try:
                entry[1].validate(value)
            except ValidationError as exception:
                return str(exception)
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None

    parameter.ParameterValidator.validate_parameter = staticmethod(validate_parameter)


def _swagger_ui_only_on_its_routes() -> None:
    from connexion.middleware.swagger_ui import SwaggerUIMiddleware

    original = SwaggerUIMiddleware.__call__

    async def call(self: Any, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and "/ui" not in path and not path.endswith("/openapi.json"):
            await self.app(scope, receive, send)
            return
        await original(self, scope, receive, send)

    SwaggerUIMiddleware.__call__ = call


def _digest(spec: dict[str, Any]) -> str:
    """A spec's content, as a key: equal for equal documents whatever their key order."""
    import hashlib

    import orjson

    content = orjson.dumps(spec, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(content).hexdigest()


def _validate_each_spec_once() -> None:
    from connexion.spec import Specification

    original = Specification._validate_spec.__func__
    validated: set[tuple[type, str]] = set()

    def validate_spec(cls: type, spec: dict[str, Any]) -> None:
        key = (cls, _digest(spec))
        if key not in validated:
            original(cls, spec)  # raises InvalidSpecification: nothing remembered
            validated.add(key)

    Specification._validate_spec = classmethod(validate_spec)


# How many loaded specs a process keeps (the fake's six and the few a test suite varies): bounded, least recent out.
LOADED_SPECS_KEPT = 32


def _load_each_spec_once() -> None:
    from collections import OrderedDict

    from connexion.spec import Specification

    original = Specification.from_dict.__func__
    loaded: OrderedDict[tuple[type, str, str], Any] = OrderedDict()

    def from_dict(cls: type, spec: dict[str, Any], *, base_uri: str = "") -> Any:
        key = (cls, base_uri, _digest(spec))
        template = loaded.get(key)
        if template is None:
            template = loaded[key] = original(cls, spec, base_uri=base_uri)
            while len(loaded) > LOADED_SPECS_KEPT:
                loaded.popitem(last=False)
        loaded.move_to_end(key)
        # Connexion changes what it loaded (an operation's `parameters` list grows by the path's own on every
        # operation built from it; a base path replaces `servers`): each load gets its own copy of the resolved
        # document, a plain deep copy that keeps the resolved references shared (~14 ms for all six specs,
        # against ~150 ms to load them), and its own top level of the raw one (only ever copied whole).
        fresh = object.__new__(type(template))
        fresh.__dict__.update(template.__dict__)
        fresh._raw_spec = dict(template._raw_spec)
        fresh._spec = copy.deepcopy(template._spec)
        return fresh

    Specification.from_dict = classmethod(from_dict)


def install() -> None:
    """Apply every cache (once: `mock_server.compat.install` guards it)."""
    _cache_operation_chain()
    _cache_security_signatures()
    _cache_parameter_validators()
    _swagger_ui_only_on_its_routes()
    _validate_each_spec_once()
    _load_each_spec_once()
