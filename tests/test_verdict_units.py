"""Units of issue 15's fairness and hygiene: the schema layer's leftovers undone, Jasper's "(boolean)" fields
taken as 0/1 or true/false, and the pre-flight's verdict on one answer."""

from __future__ import annotations

import json

import httpx
import pytest

from conformance import preflight
from conformance.cleanup import Leftovers
from conformance.resources import load_fixtures, load_spec
from conformance.spec import SpecIndex

BASE = "http://vendor.test/jasper"


@pytest.fixture(scope="module")
def jasper() -> SpecIndex:
    return SpecIndex(load_spec("jasper"))


def test_created_webhooks_and_enabled_ones_are_disabled_after_the_layer(jasper):
    left = Leftovers(jasper)
    left.observe("POST", f"{BASE}/api/v1/webhooks", "POST /api/v1/webhooks", 201,
                 json.dumps({"webhooks": {"id": 7, "status": "enabled"}}).encode())
    left.observe("PUT", f"{BASE}/api/v1/webhooks/1/enable", "PUT /api/v1/webhooks/{webhook_id}/enable", 200, b"{}")
    left.observe("POST", f"{BASE}/api/v1/webhooks", "POST /api/v1/webhooks", 422, b'{"id": 9}')  # refused: nothing
    left.observe("POST", f"{BASE}/api/v1/brands", "POST /api/v1/brands", 201, b'{"brands": {"id": 4}}')
    sent = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append((r.method, str(r.url), r.headers.get(
        "authorization"))) or httpx.Response(200 if "brands" not in str(r.url) else 500)))
    failed = left.remove(client, {"Authorization": "Bearer t"})
    assert sorted(sent) == [
        ("DELETE", f"{BASE}/api/v1/brands/4", "Bearer t"),
        ("PUT", f"{BASE}/api/v1/webhooks/1/disable", "Bearer t"),
        ("PUT", f"{BASE}/api/v1/webhooks/7/disable", "Bearer t"),
    ]
    assert failed == [f"DELETE {BASE}/api/v1/brands/4 -> 500"] and left.undo == {}


def test_jasper_booleans_are_0_1_or_json_booleans(jasper):
    """The seed types them "(boolean)" and shows 1/0 (X-15, X-30): both pass the spec, nothing else does."""
    asset = dict(load_fixtures("jasper")["tables"]["brand_assets"][0])
    schema = jasper.component_schema("BrandAsset")
    for value in (0, 1, True, False):
        assert jasper.schema_errors(schema, {**asset, "thumbnail": value}) == []
    assert jasper.schema_errors(schema, {**asset, "thumbnail": 2}) != []
    assert jasper.schema_errors(schema, {**asset, "thumbnail": "true"}) != []


def _client(answer) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(answer))


@pytest.mark.parametrize(
    ("read", "answer", "cause"),
    [
        ({"method": "GET", "path": "/api/v1/ping"}, httpx.Response(401, json={"message": "no"}), "credentials refused"),
        ({"method": "GET", "path": "/api/v1/ping"}, httpx.Response(403, json={}), "credentials refused"),
        ({"method": "GET", "path": "/api/v1/ping"}, httpx.Response(404, json={}), "wrong base URL"),
        ({"method": "GET", "path": "/api/v1/ping"}, httpx.Response(302, headers={"location": "/login"}), "login"),
        ({"method": "GET", "path": "/api/v1/ping"}, httpx.Response(200, html="<html/>"), "HTML"),
        # an unknown id's 404 that looks exactly like a route that cannot exist: the prefix is wrong
        ({"method": "GET", "path": "/i/0", "unknown": True}, httpx.Response(404, text="Not Found"), "prefix"),
    ],
)
def test_preflight_names_the_cause(read, answer, cause):
    with pytest.raises(preflight.PreflightFailed, match=cause):
        preflight.check(_client(lambda r: answer), BASE, read, {}, credentials="the token given")


def test_preflight_takes_the_apis_own_404_for_an_unknown_id():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(preflight.NO_SUCH_ROUTE):
            return httpx.Response(404, text="Not Found")
        return httpx.Response(404, json={"error": "not_found", "message": "Import not found."})

    read = {"method": "GET", "path": "/api/v1/imports/0", "unknown": True}
    preflight.check(_client(answer), BASE, read, {}, credentials="the token given")  # no exception


def _catalog_server(count: int, loop_at: int | None = None):
    """A JSON:API listing of `count` products, `page[number]`/`page[size]` links; `loop_at`: that page's `next`
    points back to page 1."""
    from urllib.parse import parse_qs

    def answer(request: httpx.Request) -> httpx.Response:
        query = parse_qs(request.url.query.decode())
        number, size = int(query.get("page[number]", ["1"])[0]), int(query.get("page[size]", ["20"])[0])
        data = [{"type": "products", "id": str(i)} for i in range((number - 1) * size, min(count, number * size))]
        links = {"prev": None if number == 1 else f"/api/v2.1/products?page[number]={number - 1}&page[size]={size}"}
        if number * size < count:
            target = 1 if loop_at == number else number + 1
            links["next"] = f"/wizart/api/v2.1/products?page[number]={target}&page[size]={size}"
        return httpx.Response(200, json={"data": data, "links": links},
                              headers={"content-type": "application/vnd.api+json"})

    return answer


def _walk(count: int, size: int, loop_at: int | None = None, pages: int | None = None):
    from conformance.checks import CheckContext
    from conformance.checks.wizart import protocol
    from conformance.scenarios.wizart.client import WizartApi
    from conformance.target import Target

    target = Target("http://vendor.test/wizart", "t")
    target.client = httpx.Client(transport=httpx.MockTransport(_catalog_server(count, loop_at)))
    api = object.__new__(WizartApi)
    api.target, api.ctx = target, type("Ctx", (), {"verify": lambda *a, **k: True})()
    items, links = api.walk(f"/api/v2.1/products?page%5Bsize%5D={size}", **({"pages": pages} if pages else {}))
    ctx = CheckContext(spec=None, lifecycle=None, strict=False)
    walked = [i["id"] for i in items]
    return walked, lambda **kw: protocol.pagination_walks_the_collection(
        ctx, walked=walked, links=links, size=size, **{"created": {"0", str(count - 1)}, **kw})


def test_a_wizart_catalog_of_any_size_is_walked_whole():
    """1,500 products (the fake after a few runs holds more than the 600 a walk of 200 pages of 3 reached)."""
    walked, judge = _walk(1500, 100)
    assert len(walked) == 1500 and judge() is True


def test_a_first_pages_walk_does_not_claim_the_whole_listing():
    walked, judge = _walk(1500, 2, pages=4)
    assert walked == [str(i) for i in range(8)] and judge(whole=False, created=set()) is True
    from conformance.checks.failures import CheckFailure

    with pytest.raises(CheckFailure) as caught:
        judge(created=set())
    assert "walk stopped with next" in str(caught.value.received)


def test_a_next_link_that_loops_back_is_a_violation_not_a_hang():
    from conformance.checks.failures import CheckFailure

    walked, judge = _walk(1500, 100, loop_at=3)
    assert len(walked) == 400  # pages 1-3, page 1 again, then the walk sees page 2 coming round again
    with pytest.raises(CheckFailure) as caught:
        judge()
    assert "listed twice" in str(caught.value.received)


def _config_file(tmp_path, body: str):
    path = tmp_path / "targets.toml"
    path.write_text(body)
    return path


def test_targets_take_each_vendor_credential_from_the_variable_named(tmp_path, monkeypatch):
    from conformance import targets
    from conformance.errors import UsageError
    from conformance.runner import RunConfig

    monkeypatch.setenv("WZ_ID", "client-1")
    monkeypatch.setenv("WZ_SECRET", "s3cret")
    monkeypatch.setenv("PIM_CONFORMANCE_WIZART_IOS", "ios-token")  # the default variable, no table entry
    monkeypatch.setenv("PIM_CONFORMANCE_JASPER_TOKEN", "jasper-main")
    path = _config_file(tmp_path, '[[target]]\napi = "wizart"\nbase_url = "http://w.test/wizart"\n'
                        'credentials_env = { client_id = "WZ_ID", client_secret = "WZ_SECRET" }\n'
                        '[[target]]\napi = "jasper"\nbase_url = "http://j.test/jasper"\n')
    wizart, jasper = targets.from_file(path, RunConfig(api="all", base_url=""))
    assert wizart.credentials == {"client_id": "client-1", "client_secret": "s3cret", "ios": "ios-token"}
    assert (jasper.token, jasper.credentials) == ("jasper-main", {})
    for bad, says in (('credentials_env = { web = "UNSET_VARIABLE_X" }', "UNSET_VARIABLE_X"),
                      ('credentials_env = { nope = "WZ_ID" }', "nope"),
                      ('credentials_env = { client_id = "WZ_ID" }', "both client_id and client_secret")):
        path = _config_file(tmp_path, f'[[target]]\napi = "wizart"\nbase_url = "http://w.test/wizart"\n{bad}\n')
        with pytest.raises(UsageError, match=says):
            targets.from_file(path, RunConfig(api="all", base_url=""))


def test_a_suites_json_duration_is_the_runs_wall_time_not_a_targets(tmp_path, monkeypatch):
    """Two targets that each report an hour, run (here: at once, instantly): the suite took its own wall time."""
    from conformance import cli
    from conformance.parallel import Outcome
    from conformance.results import RunReport

    def run_all(configs, workers, progress=None):
        return [Outcome(c, report=RunReport(api=c.api, target=c.base_url, strict=False, seed=1, max_examples=1,
                                            results=[], duration=3600.0, label=c.label)) for c in configs]

    monkeypatch.setattr(cli, "run_all", run_all)
    monkeypatch.setattr(cli, "preflight_all", lambda configs: [])
    path = tmp_path / "targets.toml"
    path.write_text('[[target]]\napi = "pims"\nbase_url = "http://a.test/pims"\n'
                    '[[target]]\napi = "jasper"\nbase_url = "http://b.test/jasper"\n')
    out = tmp_path / "reports" / "suite.json"
    assert cli.main(["run", "--api", "all", "--config", str(path), "--quiet", "--json", str(out)]) == 0
    document = json.loads(out.read_text())
    assert [run["duration_seconds"] for run in document["runs"]] == [3600.0, 3600.0]
    assert document["duration_seconds"] < 3600.0


def test_a_config_target_failing_the_preflight_stops_the_run_before_any_check(tmp_path, monkeypatch, capsys):
    from conformance import cli
    from conformance.preflight import PreflightFailed

    ran = []
    monkeypatch.setattr(cli, "run_all", lambda *a, **k: ran.append(a) or [])
    monkeypatch.setattr(cli, "preflight_all", lambda configs: [
        (configs[1], PreflightFailed("pre-flight: credentials refused: GET http://b.test/jasper/api/v1/ping …"))])
    path = tmp_path / "targets.toml"
    path.write_text('[[target]]\napi = "pims"\nbase_url = "http://a.test/pims"\n'
                    '[[target]]\napi = "jasper"\nbase_url = "http://b.test/jasper"\n')
    assert cli.main(["run", "--api", "all", "--config", str(path)]) == 2 and ran == []
    err = capsys.readouterr().err
    assert "jasper: pre-flight: credentials refused" in err and "1 of 2 targets failed the pre-flight" in err
