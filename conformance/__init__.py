"""pimkit's conformance suite: checks any server (the fake or the vendor's own) against the specs in `openapi/`.

Two layers, both over plain HTTP (this package never imports `mock_server`):
Schemathesis over every operation of the spec (`schema_run`), then behaviour scenarios written with
Hypothesis and httpx (`scenarios`), whose checks (`checks`) each assert one property and cite the seed rule
it comes from. `runner` runs both and `reporting` renders the results.
"""
