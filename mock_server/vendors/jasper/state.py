"""Jasper's live state outside the store: the resource engine, the product list index and webhook deliveries
that listen to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.products import ProductLists
from mock_server.vendors.jasper.resources import RESOURCES
from mock_server.vendors.jasper.webhooks import Deliveries

if TYPE_CHECKING:
    from mock_server.runtime import Runtime

NAME = "jasper"


@dataclass
class JasperState:
    engine: Engine  # every declared resource over the store (resources.py)
    product_lists: ProductLists  # the orderings the product listings ask for, kept by the engine's events
    deliveries: Deliveries  # webhook deliveries, queued on the engine's events


def create(runtime: Runtime) -> JasperState:
    versions = [v["id"] for v in runtime.fixtures[NAME].get("versions", [])]
    engine = Engine(runtime.store, runtime.clock, RESOURCES, versions)
    return JasperState(engine, ProductLists(engine), Deliveries(engine, runtime.webhooks))


def state(rt: Runtime) -> JasperState:
    return rt.state_of(NAME, JasperState)
