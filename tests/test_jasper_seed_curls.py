"""Every curl example of the Jasper seed, pasted as written, works on a fresh fake (but the seed's own contradictions).

The examples are `fixtures/jasper/seed_curls.json`, extracted from seed 002 by `scripts/seed_curls.py`; each one is
replayed alone on a just-reset fake: its method, path and `-d` body sent as curl sends it (form content type), with
the README's token.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = json.loads((REPO / "fixtures" / "jasper" / "seed_curls.json").read_text(encoding="utf-8"))
TOKEN = {"Authorization": "Bearer jasper-test-token"}  # the README's read-and-write token
# Where the seed contradicts itself, the example that loses, by seed line: (status it gets, the DECISIONS entry).
CONTRADICTIONS = {
    2734: (404, "X-31"),  # create a concrete entity: the curl's trailing /1 vs the HTTP Request line
    4437: (400, "X-42"),  # barcode upserts: the curls' …/barcodes/1 vs the HTTP Request lines' …/barcodes/upsert
    4495: (404, "X-42"),
    6174: (400, "X-54"),  # webhooks: include_entity_data a URL, retry_limit 15, against the property table
    6220: (400, "X-54"),
}


def _spec():
    spec = importlib.util.spec_from_file_location("seed_curls", REPO / "scripts" / "seed_curls.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def replay(client, example: dict):
    client.post("/__admin/reset")
    body = json.dumps(example["body"]).encode() if "body" in example else None
    headers = {**TOKEN, "Content-Type": "application/x-www-form-urlencoded"} if body is not None else TOKEN
    return client.request(example["method"], "/jasper" + example["path"], headers=headers, content=body)


def test_every_seed_curl_succeeds_on_a_fresh_fake_but_the_seeds_contradictions(client):
    failed = {}
    for example in EXAMPLES:
        response = replay(client, example)
        if not 200 <= response.status_code < 300:
            failed[example["line"]] = response.status_code
    assert failed == {line: status for line, (status, _) in CONTRADICTIONS.items()}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{len(EXAMPLES) - len(failed)} of {len(EXAMPLES)}" in readme
    decisions = (REPO / "openapi" / "DECISIONS.md").read_text(encoding="utf-8")
    assert all(f"**{x_id}" in decisions or f", {x_id}" in decisions for _, x_id in CONTRADICTIONS.values())


def test_the_examples_cover_every_method_and_part_of_the_seed():
    methods = {e["method"] for e in EXAMPLES}
    assert methods == {"GET", "POST", "PUT", "DELETE"}
    assert sum("body" in e for e in EXAMPLES) >= 60
    assert {"/api/v1/ping", "/api/v1/webhooks", "/api/v1/exports/2"} <= {e["path"] for e in EXAMPLES}


def test_a_repaired_body_is_only_the_seeds_json_slips():
    module = _spec()
    assert module._body('{"name": "Finish",\n}') == {"body": {"name": "Finish"}, "repaired": True,
                                                     "seed_body": '{"name": "Finish",\n}'}
    assert module._body('{\n "parent_id" : 2\n "name":"Men\\\'s"\n}')["body"] == {"parent_id": 2, "name": "Men's"}
    assert module._body('{"a": 1}') == {"body": {"a": 1}}
    with pytest.raises(ValueError):
        module._body("not json at all")


SEED = _spec().find_seed()


def test_the_committed_examples_are_what_the_seed_gives():
    module = _spec()
    assert module.render(module.parse(SEED.read_text(encoding="utf-8"))) == (
        REPO / "fixtures" / "jasper" / "seed_curls.json").read_text(encoding="utf-8")
