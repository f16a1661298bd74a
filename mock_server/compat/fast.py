"""Connexion 3.3's per-request work, done once per operation instead (docs/STACK-NOTES.md, benchmarks/README.md).

Connexion rebuilds on every request what never changes between requests: the handler's decorator chain
and URI parser (`AsyncOperation.fn`), the signature inspection of security functions, and a deep copy
plus a fresh jsonschema validator for every parameter. Swagger UI's middleware also routes every
request just to hand it on. Each change here keeps Connexion's behaviour and only caches what it
rebuilt; measured together they take the fake from ≈0.6× to ≈1.0× Prism's throughput.

Routing tried every route of an API in turn (Starlette's `Router`: 248 for Jasper, ~90 regular-expression
matches for a `GET /products/{id}`): each API's router now looks only at the routes that can match the request's
path — those whose first path segment and number of segments fit — in the same order, so it picks the same
route (`IndexedRouter`).

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


# Convertors whose pattern never matches a "/" (Starlette's str, int, float, uuid; Connexion's int and float): a
# route made only of these matches paths with exactly as many "/" as its own path has.
_NO_SLASH_PATTERNS = frozenset({
    "[^/]+", "[0-9]+", r"[0-9]+(\.[0-9]+)?", r"[+-]?[0-9]+", r"[+-]?[0-9]*(\.[0-9]*)?",
    "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"})


def route_key(route: Any) -> tuple[str, int | None]:
    """What every path `route` can match shares: the path up to the end of its last whole literal segment before a
    parameter ("" for any path), and its number of "/" (None: any)."""
    from starlette.routing import PARAM_REGEX, Route

    if not isinstance(route, Route) or not route.path.startswith("/"):
        return "", None  # a Mount, or anything else: looked at for every path
    first_param = PARAM_REGEX.search(route.path)
    prefix = route.path if first_param is None else route.path[:first_param.start()].rpartition("/")[0]
    slashes = route.path.count("/") if all(c.regex in _NO_SLASH_PATTERNS for c in route.param_convertors.values()) \
        else None
    return prefix, slashes


def first_match(routes: list, scope: Scope) -> tuple[Any, dict] | None:
    """Starlette's choice among `routes`: the first that matches fully, else the first that matches the path but
    not the method (answered 405), else None."""
    from starlette.routing import Match

    partial = None
    for route in routes:
        match, child_scope = route.matches(scope)
        if match is Match.FULL:
            return route, child_scope
        if match is Match.PARTIAL and partial is None:
            partial = route, child_scope
    return partial


def _index_routes() -> None:
    from connexion.middleware import routing
    from starlette._utils import get_route_path
    from starlette.routing import Router

    class IndexedRouter(Router):
        """Starlette's Router that tries, in their order, only the routes that can match the path — those whose
        literal start is the path's start, whole segments, and whose number of "/" is the path's — so it makes
        the same choice as trying every route: the first FULL match, else the first PARTIAL (a 405). With neither,
        Starlette's own `app` runs (slash redirects, the default), which finds nothing either."""

        _built_for = -1  # len(routes) the index was built for: built on the first request, after every add_route
        _by_prefix: dict[str, list[tuple[int, int | None]]]
        _most_slashes: int  # the most "/" in a route of fixed depth: a deeper path matches none of them
        _deepest_prefix: int  # the most "/" in a route's literal start
        _chosen: dict[tuple[tuple[str, ...], int], list]

        def candidates(self, scope: Scope) -> list:
            """The routes, in order, that may match `scope`'s path (all of them for a path not starting "/")."""
            path = get_route_path(scope) if scope["type"] == "http" else ""
            if not path.startswith("/") or path.endswith("\n"):  # a route's `$` also matches before a final
                return self.routes  # newline, where a literal route may match a path one "/" deeper than its own
            if self._built_for != len(self.routes):
                by_prefix: dict[str, list[tuple[int, int | None]]] = {}
                for i, route in enumerate(self.routes):
                    prefix, slashes = route_key(route)
                    by_prefix.setdefault(prefix, []).append((i, slashes))
                self._most_slashes = max((s for entries in by_prefix.values() for _, s in entries if s is not None),
                                         default=0)
                self._deepest_prefix = max(prefix.count("/") for prefix in by_prefix) if by_prefix else 0
                self._by_prefix, self._chosen, self._built_for = by_prefix, {}, len(self.routes)
            by_prefix = self._by_prefix
            # The path's starts that end a whole segment ("", "/api", "/api/v1", ...), no deeper than the deepest
            # prefix a route has: a path of any length costs as much as one that deep.
            starts = [""]
            for segment in path[1:].split("/", self._deepest_prefix)[:self._deepest_prefix]:
                starts.append(f"{starts[-1]}/{segment}")
            slashes = path.count("/")
            key = (tuple(start for start in starts if start in by_prefix), slashes if slashes <= self._most_slashes
                   else -1)
            chosen = self._chosen.get(key)
            if chosen is None:  # one entry per combination of the routes' own prefixes: bounded by the routes
                indices = sorted(i for start in key[0] for i, depth in by_prefix[start]
                                 if depth is None or depth == key[1])
                chosen = self._chosen[key] = [self.routes[i] for i in indices]
            return chosen

        async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await super().app(scope, receive, send)
                return
            if "router" not in scope:
                scope["router"] = self
            chosen = first_match(self.candidates(scope), scope)
            if chosen is None:
                await super().app(scope, receive, send)
                return
            route, child_scope = chosen
            scope["route"] = route
            scope.update(child_scope)
            await route.handle(scope, receive, send)

    routing.Router = IndexedRouter  # what RoutingAPI and RoutingMiddleware build their routers from


def _digest(spec: dict[str, Any]) -> str | None:
    """A spec's content as a key, exact to the type of every key and value (a YAML date is not its text, `True` is
    not "true"); None for a spec that cannot be pickled, which is then neither remembered nor looked up."""
    import hashlib
    import pickle

    try:
        content = pickle.dumps(spec, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(content).hexdigest()


def _validate_each_spec_once() -> None:
    from connexion.spec import Specification

    original = Specification._validate_spec.__func__
    validated: set[tuple[type, str]] = set()

    def validate_spec(cls: type, spec: dict[str, Any]) -> None:
        digest = _digest(spec)
        if digest is None or (cls, digest) not in validated:
            original(cls, spec)  # raises InvalidSpecification: nothing remembered
            if digest is not None:
                validated.add((cls, digest))

    Specification._validate_spec = classmethod(validate_spec)


# How many loaded specs a process keeps (the fake's six and the few a test suite varies): bounded, least recent out.
LOADED_SPECS_KEPT = 32


def _load_each_spec_once() -> None:
    import threading
    from collections import OrderedDict

    from connexion.spec import Specification

    original = Specification.from_dict.__func__
    loaded: OrderedDict[tuple[type, str, str], Any] = OrderedDict()
    lock = threading.Lock()

    def from_dict(cls: type, spec: dict[str, Any], *, base_uri: str = "") -> Any:
        digest = _digest(spec)
        if digest is None:
            return original(cls, spec, base_uri=base_uri)
        key = (cls, base_uri, digest)
        with lock:
            template = loaded.get(key)
            if template is not None:
                loaded.move_to_end(key)
        if template is None:
            template = original(cls, spec, base_uri=base_uri)  # outside the lock: two threads may both load it
            with lock:
                loaded[key] = template
                while len(loaded) > LOADED_SPECS_KEPT:
                    loaded.popitem(last=False)
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
    _index_routes()
