"""Spec diff: what a change to an OpenAPI 3.0 document breaks for existing clients (`pim-conformance diff`)."""

from conformance.specdiff.engine import Finding, diff
from conformance.specdiff.rules import BREAKING, NON_BREAKING, RULES

__all__ = ["BREAKING", "NON_BREAKING", "RULES", "Finding", "diff"]
