"""Every touch of Connexion's internals, in one place, for the one Connexion minor version they were tested on.

The fake reaches past Connexion 3's public API in five places, all here:
- `fast.py`: per-operation objects Connexion rebuilds on every request, built once (throughput);
- `validation.py`: `--lenient` wired into `RequestValidationOperation` (repair and re-validate);
- `add_outermost`: a middleware placed outside Connexion's own exception handling (the journal, faults);
- `build_middleware_stack`: the stack Connexion builds lazily, built at start-up (before `gc.freeze()`);
- `parsing_error`: which internal module raised an exception Connexion lets escape (app_errors.TRANSLATIONS).

On any other Connexion version these may silently break or do nothing, so start-up refuses it outright
(`IncompatibleConnexion`), instead of running with `--lenient` quietly off. pyproject.toml pins the same minor.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

TESTED_CONNEXION = "3.3"
_installed = False


class IncompatibleConnexion(RuntimeError):
    """The installed Connexion is not the minor version whose internals mock_server.compat was written for."""


def check(installed: str | None = None) -> None:
    installed = installed or version("connexion")
    if installed.split(".")[:2] != TESTED_CONNEXION.split("."):
        raise IncompatibleConnexion(
            f"pimkit needs Connexion {TESTED_CONNEXION}.x (mock_server/compat patches its internals), but "
            f"Connexion {installed} is installed: reinstall pimkit (`pip install .`) to get the pinned version.")


def install() -> None:
    """Check the version, then apply every patch once per process."""
    global _installed
    check()
    if _installed:
        return
    from mock_server.compat import fast, validation

    fast.install()
    validation.install()
    _installed = True


def build_middleware_stack(app: Any) -> None:
    """Build the app's middleware stack (every operation, validator and route) now: Connexion builds it on the
    first request, after start-up is over."""
    middleware = app.middleware
    if middleware.middleware_stack is None:
        middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()


def add_outermost(app: Any, middleware_factory: Any) -> None:
    """Put an ASGI middleware outside every one Connexion builds, its server-error handler included."""
    app.middleware.middlewares.insert(0, middleware_factory)


# Which part of the request Connexion was parsing, told by the modules on the traceback; most specific first
# (a form field's JSON is decoded by the URI parser called from the form validator: a form problem).
PARSING_STAGES = (("connexion.validators.json", "json_body"), ("connexion.validators.form_data", "form"),
                  ("starlette.formparsers", "form"), ("connexion.uri_parsing", "parameters"),
                  ("connexion.validators", "parameters"))


def parsing_error(exc: BaseException) -> str | None:
    """"json_body", "form" or "parameters" for an exception raised while Connexion parsed that part of the
    request (a client error it does not translate itself); None for any other."""
    modules = set()
    frames = exc.__traceback__
    while frames is not None:
        modules.add(frames.tb_frame.f_globals.get("__name__", ""))
        frames = frames.tb_next
    return next((stage for prefix, stage in PARSING_STAGES if any(m.startswith(prefix) for m in modules)), None)
