"""Pixee's behaviour checks (seed 003), registered in `REGISTRIES["pixee"]`; helpers they share.

A check here asserts either what seed 003 states (every server) or, with `strict=True`, a choice the fake
made where the seed is silent (status codes, the error body, `paused`, confirm, row numbering, …).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

# The report helpers the check modules import from here.
from conformance.bodies import answered as answered
from conformance.bodies import body_of as body_of
from conformance.bodies import sent as sent
from conformance.checks import check as _check
from conformance.checks import machine

API = "pixee"
check = functools.partial(_check, api=API)


def counts_of(job: Mapping[str, Any], *names: str) -> str:
    return machine.counts_text(job, names or COUNT_FIELDS)


COUNT_FIELDS = ("total_rows", "successful_rows", "failed_rows", "products_created", "products_updated")
