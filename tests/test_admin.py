"""The admin API: health, reset, clock."""

from __future__ import annotations


def test_health_lists_the_mounted_apis_and_the_clock(client):
    body = client.get("/__admin/health").json()
    assert body["status"] == "ok"
    assert body["apis"] == {"productsmanager": "/productsmanager", "pixee": "/pixee", "pims": "/pims",
                            "jasper": "/jasper"}
    assert body["clock"] == {"mode": "manual", "now": "2024-03-15T09:00:00Z", "epoch": 1710493200.0}


def test_clock_advance_moves_only_forward(client):
    assert client.post("/__admin/clock/advance", json={"seconds": 2.5}).json()["epoch"] == 1710493202.5
    assert client.get("/__admin/clock").json()["now"] == "2024-03-15T09:00:02Z"
    for bad in ({"seconds": -1}, {"seconds": "soon"}, {}, {"seconds": 1, "extra": 1}):
        response = client.post("/__admin/clock/advance", json=bad)
        assert response.status_code == 400 and set(response.json()) == {"error", "message"}
    assert client.get("/__admin/clock").json()["epoch"] == 1710493202.5


def test_each_api_serves_its_spec_and_swagger_ui(client):
    spec = client.get("/productsmanager/openapi.json")
    assert spec.status_code == 200 and "/api/v1/imports" in spec.json()["paths"]
    assert client.get("/productsmanager/ui/").status_code == 200
