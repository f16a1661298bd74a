"""Bad input to Wizart gets a JSON:API error document, never a 500: archives that are not ZIPs, bombs, unsafe
names, archives over the limit, missing parts, and whatever Schemathesis generates for every operation."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from _wizart import BASE, assert_jsonapi, csv_bytes, wall_catalog, wall_row, zip_bytes


def bomb_by_ratio() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("w-1.jpg", b"\0" * (8 * 1024 * 1024))  # 8 MiB of zeros: ~8 KB compressed
    return out.getvalue()


def bomb_by_declared_size() -> bytes:
    """A tiny member whose headers claim 300 MB (more than the 256 MB the fake inflates)."""
    data = bytearray(zip_bytes(["w-1.jpg"]))
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 300 * 1024 * 1024)  # uncompressed size in the central directory
    return bytes(data)


def member_named_with_a_nul() -> bytes:
    """ "evil.sh\\0.jpg" in both headers: zipfile cuts the name at the NUL, so only the raw name shows it."""
    return zip_bytes(["evil.shX.jpg"]).replace(b"evil.shX.jpg", b"evil.sh\x00.jpg")


@pytest.mark.parametrize(("images", "status", "code"), [
    (b"definitely not a zip", 422, "not_a_zip"),
    (member_named_with_a_nul(), 422, "unsafe_member_name"),
    (b"PK\x03\x04" + b"\0" * 40, 422, "not_a_zip"),
    (zip_bytes(["../../x.png"]), 422, "unsafe_member_name"),
    (zip_bytes(["/etc/passwd"]), 422, "unsafe_member_name"),
    (zip_bytes(["imgs\\..\\x.png"]), 422, "unsafe_member_name"),
    (zip_bytes(["C:/x.png"]), 422, "unsafe_member_name"),
    (bomb_by_ratio(), 422, "archive_bomb"),
    (bomb_by_declared_size(), 422, "archive_bomb"),
])
def test_unsafe_or_broken_archives_are_refused_at_upload(wz, images, status, code):
    response = wz.upload(csv_bytes([wall_row(1)]), images)
    error = assert_jsonapi(response)["errors"][0]
    assert response.status_code == status and (error["status"], error["code"]) == (str(status), code)
    assert error["source"]["pointer"] == "/images"
    assert wz.get(f"{BASE}/imports").json()["data"] == []


def test_an_archive_with_too_many_members_is_422(make_app):
    """Counted from the end record before any entry is parsed; an end record that understates the count is
    caught once the directory is read."""
    from _wizart import Wizart

    honest = zip_bytes([f"w-{n}.jpg" for n in range(6)])
    understated = bytearray(honest)
    struct.pack_into("<HH", understated, understated.rfind(b"PK\x05\x06") + 8, 2, 2)  # entries on disk, in all
    app = make_app(timings={"wizart": {"max_members": 5}})
    with app.test_client() as client:
        wz = Wizart(client)
        for images in (honest, bytes(understated)):
            response = wz.upload(csv_bytes([wall_row(1)]), images)
            error = assert_jsonapi(response)["errors"][0]
            assert (response.status_code, error["code"]) == (422, "too_many_members")


def test_an_archive_over_its_size_limit_is_413(make_app):
    from _wizart import Wizart

    app = make_app(timings={"wizart": {"max_archive_bytes": 1000}})
    with app.test_client() as client:
        response = Wizart(client).upload(csv_bytes([wall_row(1)]), zip_bytes([f"w-{n}.jpg" for n in range(20)]))
        assert response.status_code == 413 and response.json()["errors"][0]["code"] == "archive_too_large"


def test_an_upload_over_the_body_limit_is_413_in_jsonapi(make_app):
    from _wizart import Wizart

    app = make_app(max_upload_bytes=2000)
    with app.test_client() as client:
        wz = Wizart(client)
        wz.token()
        response = wz.upload(csv_bytes([wall_row(1)]), b"x" * 5000)
        assert response.status_code == 413 and assert_jsonapi(response)["errors"][0]["status"] == "413"


@pytest.mark.parametrize("missing", ["csv", "images", "product_type"])
def test_a_missing_part_is_400(wz, missing):
    csv, images = wall_catalog(1)
    files = {name: (f"{name}.bin", content) for name, content in (("csv", csv), ("images", images)) if name != missing}
    data = {} if missing == "product_type" else {"product_type": "wall"}
    response = wz.request("POST", f"{BASE}/imports", files=files, data=data)
    assert response.status_code == 400 and response.json()["errors"][0]["status"] == "400"


def test_an_unknown_product_type_is_400(wz):
    response = wz.upload(*wall_catalog(1), product_type="ceiling")
    assert response.status_code == 400


def test_a_csv_that_is_not_utf8_fails_validation(wz):
    import_id = wz.started(b"sku,name\n\xff\xfe\n", zip_bytes(["a.jpg"]))
    assert wz.finish(import_id)["meta"]["failure"]["code"] in ("not_utf8", "missing_columns")


def test_schemathesis_finds_no_server_error_and_only_jsonapi_answers(app):
    """Every operation, generated and mutated requests: never a 5xx, every JSON:API answer valid by the official
    schema (the tests' Schemathesis pass; the conformance suite runs the full one)."""
    import schemathesis
    from _wizart import CLIENT, validator
    from hypothesis import HealthCheck, given, settings
    from schemathesis.config import SchemathesisConfig

    with app.test_client() as client:
        token = client.post("/wizart/oauth/token", data=CLIENT).json()["access_token"]
    config = SchemathesisConfig.from_dict({"headers": {"Authorization": f"Bearer {token}"}})
    schema = schemathesis.openapi.from_asgi("/wizart/openapi.json", app, config=config)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call()
            assert response.status_code < 500, (case.path, response.text)
            if response.headers.get("content-type", [""])[0].startswith("application/vnd.api+json"):
                body = response.json()
                assert not list(validator().iter_errors(body)), body
                checked.append(case.operation.label)

        run()
    assert len(set(checked)) == len(list(schema.get_all_operations()))


@pytest.mark.parametrize("query", ["page[number][x]=1", "page[size][]=3", "filter[status][a][b]=x", "fields=abc",
                                   "page=3", "filter[import]=" + "x" * 200])
def test_misshapen_jsonapi_query_families_are_400(wz, query):
    response = wz.get(f"{BASE}/imports?{query}")
    assert response.status_code == 400 and response.json()["errors"][0]["status"] == "400"
