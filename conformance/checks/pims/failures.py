"""Violations a PIMS check finds (seed 001).

CheckFailure
├── PimsResponseMismatch     a response's body is not the documented one
│   ├── ErrorMessageMismatch   an error is not {"status": "Error", "status_message": <the seed's text>}
│   ├── WriteRefused           a valid create or edit was not answered "OK"
│   ├── WriteNotRefused        a write without Data Editor rights (or with no key) was carried out
│   └── ErrorStatusNotChosen   (strict) an error's HTTP status differs from the fake's (X-77)
├── ProductStateMismatch     what a read shows differs from what was written (edit, soft delete, restore)
├── HistoryMismatch          historyProduct does not show a change with its old and new values
├── ListingMismatch          getList pages repeat, skip or miscount products
└── ViewMismatch             a View's attribute set or names are not applied
"""

from __future__ import annotations

from conformance.checks.failures import CheckFailure


class PimsResponseMismatch(CheckFailure):
    title = "PIMS response differs from seed 001"


class ErrorMessageMismatch(PimsResponseMismatch):
    title = "Error body differs from the seed's"


class WriteRefused(PimsResponseMismatch):
    title = "A valid write was not answered OK"


class WriteNotRefused(PimsResponseMismatch):
    title = "A write without Data Editor rights was not refused"


class ErrorStatusNotChosen(PimsResponseMismatch):
    title = "Error HTTP status differs from the fake's choice"


class ProductStateMismatch(CheckFailure):
    title = "A product read back differs from what was written"


class HistoryMismatch(CheckFailure):
    title = "Product history does not show the change"


class ListingMismatch(CheckFailure):
    title = "getList pages do not list every product once"


class ViewMismatch(CheckFailure):
    title = "The View is not applied"
