"""Helpers for the PIMS tests: the endpoint, the fixture keys, and one-line calls of each action."""

from __future__ import annotations

PIMS = "/pims/api/en-us/pim/manage/products"
EDITOR = {"ApiKey": "api_pims_editor_0009"}  # Data Editor, no View: every attribute
VIEWER = {"ApiKey": "api_pims_viewer_0001"}  # Data Viewer, Views Catalog (default) and Marketing
MARKETING = {"ApiKey": "api_pims_marketing_0002"}  # Data Editor, Marketing View only (renames attributes)

# Products of fixtures/pims/fixtures.json by status
ACTIVE_PARENTS = ["ABC-2001", "IMP-1001", "IMP-1002", "Part-number00", "TEST-SKU"]
INACTIVE = ["ABC-2002"]
DELETED = ["OLD-0001"]
VARIANTS = ["Part-number01", "Part-number02"]


def post(client, body, headers=None, path: str = PIMS):
    return client.post(path, json=body, headers=EDITOR if headers is None else headers)


def ok(client, body, headers=None) -> dict:
    response = post(client, body, headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "OK"
    return data


def error(client, body, status: int, headers=None) -> str:
    response = post(client, body, headers)
    assert response.status_code == status, response.text
    data = response.json()
    assert set(data) == {"status", "status_message"} and data["status"] == "Error", data
    return data["status_message"]


def product(client, sku: str, headers=None) -> dict:
    return ok(client, {"action": "listProduct", "sku": sku}, headers)["data"]["attributes"]


def create(client, sku: str, headers=None, **attributes) -> dict:
    return ok(client, {"action": "createProduct", "sku": sku, "data": {"attributes": attributes}}, headers)


def edit(client, sku: str, headers=None, **attributes) -> dict:
    return ok(client, {"action": "editProduct", "sku": sku, "data": {"attributes": attributes}}, headers)


def get_list(client, headers=None, **params) -> dict:
    return ok(client, {"action": "getList", "params": params}, headers)


def skus(body: dict) -> list[str]:
    return [item["sku"] for item in body["products"]]


def history(client, sku: str, headers=None, **pagination) -> dict:
    params = {"pagination": pagination} if pagination else {}
    return ok(client, {"action": "historyProduct", "sku": sku, "params": params}, headers)
