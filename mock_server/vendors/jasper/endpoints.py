"""HTTP endpoints of one declared resource: Connexion's arguments in, the engine called, the envelope out.

`handlers.py` binds one `Endpoints` per resource declaring operations (`resources.py`), under its name
(`getAttribute` → `handlers.declared.attributes.get`). Every method takes Connexion's keyword arguments (path
parameters by their spec names, `body`, `page`, `token_info`).
"""

from __future__ import annotations

from typing import Self

from connexion import request

from mock_server.context import public_url, runtime
from mock_server.errors import Forbidden
from mock_server.responses import json_response
from mock_server.vendors.jasper import paging
from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.model import Resource
from mock_server.vendors.jasper.state import state as vendor_state

DELETED = {"message": "Deleted."}  # the seed's delete body (J-080, J-084, J-087), used for every delete


def engine() -> Engine:
    return vendor_state(runtime()).engine


def require_write(kwargs: dict) -> None:
    """A read-only token may read but not write (J-007)."""
    info = kwargs.get("token_info") or {}
    if info.get("read_only"):
        raise Forbidden("This API token may only read.")


def request_path() -> str:
    return public_url(request).split("?", 1)[0]


class Endpoints:
    def __init__(self, resource: str, *, id_param: str, parent_param: str | None = None) -> None:
        self.name = resource
        self.id_param = id_param
        self.parent_param = parent_param

    @classmethod
    def of(cls, res: Resource) -> Self:
        """The binding of a declared resource: its rows by `id_param`, under the parent's `parent_field`."""
        assert res.id_param is not None, f"{res.name} declares no id_param"
        return cls(res.name, id_param=res.id_param, parent_param=res.parent_field)

    @property
    def res(self):
        return engine().resources[self.name]

    def _parent(self, kwargs: dict) -> int | None:
        return kwargs.get(self.parent_param) if self.parent_param else None

    def _one(self, view: dict, status: int = 200):
        return json_response({self.res.singular: view}, status)

    def _key(self, kwargs: dict):
        return kwargs[self.id_param]

    def _row(self, kwargs: dict) -> dict:
        eng, res = engine(), self.res
        if res.address_by:
            return eng.address(res, self._parent(kwargs), self._key(kwargs))
        return eng.get(res, self._key(kwargs), self._parent(kwargs))

    async def list(self, **kwargs):
        return self._listing(kwargs, 0)

    def _listing(self, kwargs: dict, version: int):
        """The whole list, or one page of it where the seed paginates (`page` only, JS-D08)."""
        eng, res = engine(), self.res
        if res.per_page is None:
            return json_response({res.plural: eng.list(res, self._parent(kwargs), version)})
        page = kwargs.get("page", 1)
        with eng.store.lock:
            items, total = eng.page(res, self._parent(kwargs), page, res.per_page, version)
            body = {res.plural: items, **paging.envelope(request_path(), page, res.per_page, total, len(items))}
            return json_response(body)

    async def get(self, **kwargs):
        eng, res = engine(), self.res
        return self._one(eng.view(res, self._row(kwargs)))

    async def create(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng, res = engine(), self.res
        if res.address_by:
            view, created = eng.upsert(res, body or {}, self._parent(kwargs))
            return self._one(view, 201 if created else 200)
        return self._one(eng.create(res, body or {}, self._parent(kwargs)), 201)

    async def update(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng, res = engine(), self.res
        return self._one(eng.update(res, self._row(kwargs)["id"], body or {}, self._parent(kwargs)))

    async def delete(self, **kwargs):
        require_write(kwargs)
        eng, res = engine(), self.res
        eng.delete(res, self._row(kwargs)["id"], self._parent(kwargs))
        return json_response(DELETED)

    # --- versions -----------------------------------------------------------------------------
    async def list_version(self, version_id: int, **kwargs):
        engine().require_version(version_id)
        return self._listing(kwargs, version_id)

    async def get_version(self, version_id: int, **kwargs):
        eng, res = engine(), self.res
        view = eng.get_version(res, self._key(kwargs), version_id, self._parent(kwargs))
        return self._one(view)

    async def update_version(self, version_id: int, body: dict | None = None, **kwargs):
        require_write(kwargs)
        view = engine().put_version(self.res, self._key(kwargs), version_id, body or {}, self._parent(kwargs))
        return self._one(view)

    async def delete_version(self, version_id: int, **kwargs):
        require_write(kwargs)
        engine().delete_version(self.res, self._key(kwargs), version_id, self._parent(kwargs))
        return json_response(DELETED)
