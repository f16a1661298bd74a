"""Schemathesis' `not_a_server_error` over every operation of every API, in-process: generated (positive) and
mutated (negative) requests with each API's fixture credentials must never get a 5xx.

The default run takes a few examples per operation; the deep run is a documented command (README, "Finding
server errors"): `PIMKIT_FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/test_no_server_error.py`.
"""

from __future__ import annotations

import os

import pytest

EXAMPLES = int(os.environ.get("PIMKIT_FUZZ_EXAMPLES", "1"))
APIS = ("productsmanager", "pixee", "pims", "jasper", "wizart", "__admin")


def _headers(app, client, api: str) -> dict[str, str]:
    from mock_server.tooling.credentials import headers_for

    rt = app.runtime
    if api == "__admin":
        return {}
    vendor = rt.vendors[api]
    path = vendor.extras.get("oauth_token_path")
    if path:
        oauth = rt.fixtures[api]["credentials"]["oauth_clients"][0]
        token = client.post(vendor.prefix + path, data={"grant_type": "client_credentials", **{
            k: oauth[k] for k in ("client_id", "client_secret")}}).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}
    return headers_for(vendor, rt.specs[api], rt.fixtures[api])


@pytest.mark.parametrize("api", APIS)
def test_no_operation_answers_a_server_error(make_app, api):
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.generation import GenerationMode

    app = make_app()
    with app.test_client() as client:
        headers = _headers(app, client, api)
    config = SchemathesisConfig.from_dict({"headers": headers})
    schema = schemathesis.openapi.from_asgi(f"/{api}/openapi.json", app, config=config)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, failures)
    assert not failures, "\n".join(failures)


def _fuzz(operation, mode, failures: list[str]) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 5,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call()
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} ({mode.value}): {response.status_code} "
                            f"{response.text[:200]}\n    {case.as_curl_command()[:600]}")

    try:
        run()
    except Unsatisfiable:  # nothing in the operation can be mutated (negative mode)
        pass
