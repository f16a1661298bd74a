"""PIMS' live state outside the store: the attribute model read from the fixtures and the products' query index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.vendors.pims.index import ProductIndex
from mock_server.vendors.pims.model import Model

if TYPE_CHECKING:
    from mock_server.runtime import Runtime

NAME = "pims"


@dataclass
class PimsState:
    model: Model  # attributes, views, API keys (fixtures)
    index: ProductIndex  # rebuilt from the store on every reset


def create(runtime: Runtime) -> PimsState:
    model = Model(runtime.fixtures[NAME])
    return PimsState(model, ProductIndex(model))


def state(rt: Runtime) -> PimsState:
    return rt.state_of(NAME, PimsState)
