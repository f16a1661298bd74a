"""Products Manager's live state outside the store: its import flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_server.imports.timeline import Flow, configured_flow
from mock_server.vendors.productsmanager import rules

if TYPE_CHECKING:
    from mock_server.runtime import Runtime

NAME = "productsmanager"


@dataclass
class ProductsManagerState:
    flow: Flow  # the import timings, as configured (README "Import timings")


def create(runtime: Runtime) -> ProductsManagerState:
    return ProductsManagerState(configured_flow(rules.FLOW, runtime.config.timings, NAME))


def state(rt: Runtime) -> ProductsManagerState:
    return rt.state_of(NAME, ProductsManagerState)
