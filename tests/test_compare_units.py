"""`pim-conformance compare` on hand-built observations: the normaliser, the profile, the differ, the report."""

from __future__ import annotations

import json

import jsonschema
import pytest
from _live import REPO
from rich.console import Console

from conformance.compare import differ
from conformance.compare.choices import Choices
from conformance.compare.observe import Observation, Page, Recorder, normalise_message, page_of, shape_of
from conformance.compare.profile import Profile
from conformance.compare.report import DriftReport, Side, render, write_html, write_json
from conformance.results import CaseResult, Kind
from conformance.spec import SpecIndex

SPEC = SpecIndex(
    {
        "paths": {
            "/jobs": {
                "post": {
                    "operationId": "createJob",
                    "responses": {
                        "202": {"x-fake-choice": "status code of create", "$ref": "#/components/responses/Job"},
                        "400": {"$ref": "#/components/responses/Error"},
                    },
                },
                "get": {
                    "operationId": "list_jobs",
                    "parameters": [{"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 20}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}}},
                    }}}}},
                },
            },
            "/jobs/{id}": {
                "get": {
                    "operationId": "getJob",
                    "responses": {"200": {"$ref": "#/components/responses/Job"},
                                  "404": {"$ref": "#/components/responses/Error"}},
                }
            },
            "/hooks": {"get": {"operationId": "list_hooks", "x-inferred": True, "responses": {"200": {}}}},
        },
        "components": {
            "responses": {
                "Job": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                "Error": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
            "schemas": {
                "Job": {
                    "type": "object",
                    "required": ["id", "status", "error_rows"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"type": "string"},
                        "error_rows": {"type": "integer"},
                        "file_name": {"type": "string", "x-fake-choice": True},
                        "sku2": {"type": "string"},
                    },
                },
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            },
        },
        "x-messages": {"requests": {"not_found": "Import {id} not found.", "bare": "{id}"}},
    }
)
CHOICES = Choices(SPEC)
TERMINAL = frozenset({"completed", "failed"})


def seen(operation: str, status: int, body=None, *, section: str = "s", **extra) -> Observation:
    shape = shape_of(body, CHOICES.names) if body is not None else frozenset()
    return Observation(section, operation, True, status, shape, **extra)


def drifts(left: list[Observation], right: list[Observation]) -> list[differ.Drift]:
    return differ.diff(Profile.of(left), Profile.of(right), CHOICES, TERMINAL)


# The normaliser.


def test_shape_drops_values_merges_items_and_keeps_types():
    a = shape_of({"id": "imp_1", "rows": [{"n": 1}, {"n": 2, "x": None}], "price": 1.0, "ok": True})
    b = shape_of({"ok": False, "price": 7, "rows": [{"n": 9, "x": None}], "id": "imp_2"})
    assert a == b
    assert ("rows[].n", "integer") in a and ("price", "integer") in a and ("ok", "boolean") in a
    assert shape_of({"price": 1.5}) == {("$", "object"), ("price", "number")}


def test_shape_turns_data_keys_into_a_placeholder_but_keeps_named_fields():
    shape = shape_of({"matrix": {"PCT-3A78-C1": {}}, "sku2": "x"}, CHOICES.names)
    assert ("matrix.{…}", "object") in shape and ("sku2", "string") in shape


def test_messages_documented_texts_become_their_key_others_lose_ids():
    assert normalise_message("Import imp_01H9 not found.", CHOICES.catalog) == "x-messages:requests.not_found"
    assert "requests.bare" not in CHOICES.catalog  # a template that is all placeholder matches anything
    assert normalise_message("Job 4f1c-22  is  locked", CHOICES.catalog) == "Job <…> is locked"


def test_page_reads_the_size_asked_for_and_whether_more_follow():
    assert page_of({"data": [1, 2], "links": {"next": "/x?page=2"}}, {"per_page": "2"}) == Page(2, 2, True)
    assert page_of({"data": [1], "meta": {"page": 2, "per_page": 2, "total": 3}}, {}) == Page(None, 1, False)
    assert page_of([1, 2, 3], {}) == Page(None, 3, None)
    assert page_of({"id": "a"}, {}) is None


def test_recorder_files_answers_under_the_scenario_the_runner_names():
    recorder = Recorder(catalog=CHOICES.catalog, vocabulary=TERMINAL | {"pending"})
    told = recorder.progress(lambda _text: None)
    told("layer 2: scenario import_catalogs")
    recorder("GET /jobs/{id}", "GET", "http://h/jobs/j1", 200, b'{"id": "j1", "status": "pending"}')
    recorder(None, "TRACE", "http://h/jobs", 501, b"")
    recorder("GET /jobs/{id}", "GET", "http://h/jobs/j9", 404, b'{"message": "Import j9 not found."}')
    first, undocumented, missing = recorder.observations
    assert first.section == "import_catalogs" and first.job == ("j1", "pending")
    assert undocumented.operation == "TRACE (undocumented)" and not undocumented.documented
    assert missing.messages == ("x-messages:requests.not_found",)


# The differ.


def test_the_same_behaviour_with_other_ids_and_order_is_no_drift():
    left = [seen("GET /jobs/{id}", 200, {"id": "a", "status": "completed", "error_rows": 0}, job=("a", "completed"))]
    right = [seen("GET /jobs/{id}", 200, {"error_rows": 3, "status": "completed", "id": "zz"}, job=("zz", "completed"))]
    assert drifts(left, right) == []


def test_a_documented_field_missing_is_contract_and_names_the_operation():
    left = [seen("GET /jobs/{id}", 200, {"id": "a", "status": "completed", "error_rows": 0})]
    right = [seen("GET /jobs/{id}", 200, {"id": "a", "status": "completed"})]
    (drift,) = drifts(left, right)
    assert (drift.operation, drift.kind, drift.contract) == ("GET /jobs/{id}", "field", True)
    assert "`error_rows` present on the left only" in drift.what and drift.right == "(absent)"


def test_a_field_marked_as_the_fakes_choice_or_not_in_the_spec_is_open():
    left = [seen("GET /jobs/{id}", 200, {"id": "a", "file_name": "f.csv"})]
    right = [seen("GET /jobs/{id}", 200, {"id": "a", "vendor_extra": {"deep": 1}})]
    found = {d.what: d for d in drifts(left, right)}
    assert not found["200: `file_name` present on the left only"].contract
    extra = found["200: `vendor_extra` present on the right only"]
    assert not extra.contract and "not in the spec" in extra.reason
    assert not any("deep" in what for what in found)  # only the topmost path of a one-sided field


def test_a_json_body_against_none_or_another_media_type_is_contract():
    left = [seen("GET /jobs/{id}", 200, {"id": "a"})]
    (drift,) = drifts(left, [seen("GET /jobs/{id}", 200)])
    assert drift.contract and drift.what == "200: a JSON body present on the left only"
    html = Observation("s", "GET /jobs/{id}", True, 200, frozenset({("$", "(not JSON)")}))
    (drift,) = drifts(left, [html])
    assert drift.contract and (drift.kind, drift.left, drift.right) == ("type", "object", "(not JSON)")


def test_types_differ_in_contract_but_null_goes_with_any_type():
    left = [seen("GET /jobs/{id}", 200, {"id": "a", "error_rows": 0})]
    assert drifts(left, [seen("GET /jobs/{id}", 200, {"id": None, "error_rows": 0})]) == []
    (drift,) = drifts(left, [seen("GET /jobs/{id}", 200, {"id": "a", "error_rows": "0"})])
    assert (drift.kind, drift.left, drift.right, drift.contract) == ("type", "integer", "string", True)
    (drift,) = drifts([seen("GET /jobs/{id}", 200, {"error_rows": {"n": 1}})],
                      [seen("GET /jobs/{id}", 200, {"error_rows": [1]})])  # nothing listed below a retyped field
    assert (drift.what, drift.left, drift.right) == ("200: `error_rows` has another JSON type", "object", "array")


def test_a_status_the_fake_chose_answered_otherwise_is_open_a_server_error_is_not():
    body = {"id": "a", "status": "pending", "error_rows": 0}
    (drift,) = drifts([seen("POST /jobs", 202, body)], [seen("POST /jobs", 201, body)])
    assert drift.kind == "status" and not drift.contract and "x-fake-choice" in drift.reason
    (drift,) = drifts([seen("POST /jobs", 202, body)], [seen("POST /jobs", 500, {})])
    assert drift.contract
    (drift,) = drifts([seen("GET /jobs/{id}", 404, {})], [seen("GET /jobs/{id}", 410, {})])
    assert drift.contract and drift.left == "404" and drift.right == "410"


def test_the_check_registrys_choice_markers_open_codes_of_one_class_and_body_shapes():
    registry = Choices(SPEC, {"*": ("status_code_conformance",), "getJob": ("response_schema_conformance",)})

    def found(left, right):
        return differ.diff(Profile.of(left), Profile.of(right), registry, TERMINAL)

    (drift,) = found([seen("GET /jobs/{id}", 404, {})], [seen("GET /jobs/{id}", 422, {})])
    assert not drift.contract and "status_code_conformance is the fake's choice" in drift.reason
    (drift,) = found([seen("GET /jobs/{id}", 200, {})], [seen("GET /jobs/{id}", 404, {})])  # another class
    assert drift.contract
    job = [seen("GET /jobs/{id}", 200, {})]
    (drift,) = found(job, [*job, seen("GET /jobs/{id}", 500, {})])
    assert drift.contract and drift.right == "200, 500"
    full, short = {"id": "a", "error_rows": 1}, {"id": "a"}
    (drift,) = found([seen("GET /jobs/{id}", 200, full)], [seen("GET /jobs/{id}", 200, short)])
    assert not drift.contract and "response_schema_conformance" in drift.reason
    assert drifts([seen("GET /jobs/{id}", 404, {})], [seen("GET /jobs/{id}", 422, {})])[0].contract  # no marker


def test_undocumented_requests_and_inferred_operations_are_open():
    trace = Observation("s", "TRACE (undocumented)", False, 405)
    (drift,) = drifts([trace], [Observation("s", "TRACE (undocumented)", False, 501)])
    assert not drift.contract and "no documented operation" in drift.reason
    (drift,) = drifts([seen("GET /hooks", 200, {"a": 1})], [seen("GET /hooks", 200, {"a": "1"})])
    assert not drift.contract and "x-inferred" in drift.reason


def test_a_documented_message_replaced_is_contract_one_side_refusing_more_is_open():
    nf = "x-messages:requests.not_found"
    left = [seen("GET /jobs/{id}", 404, {"message": "m"}, messages=(nf,))]
    (drift,) = drifts(left, [seen("GET /jobs/{id}", 404, {"message": "m"}, messages=("Not found",))])
    assert drift.contract and drift.left == nf and drift.right == "Not found"
    (drift,) = drifts(left, [seen("GET /jobs/{id}", 404, {"message": "m"})])  # no message at all
    assert drift.contract
    more = [*left, seen("GET /jobs/{id}", 404, {"message": "m"}, messages=("Locked <…>",), section="t")]
    (drift,) = drifts(more, left)
    assert not drift.contract and drift.reason == "the seed documents neither text"


def test_import_status_final_terminal_difference_is_contract_transient_is_open():
    def job(statuses, name="j"):
        return [seen("GET /jobs/{id}", 200, {"id": name}, job=(name, s)) for s in statuses]

    (drift,) = drifts(job(["pending", "completed"]), job(["pending", "failed"], "k"))
    assert drift.kind == "import_status" and drift.contract and "final status of 1 job(s): s job #1" in drift.what
    (drift,) = drifts(job(["pending", "processing", "completed"]), job(["completed"]))
    assert not drift.contract and drift.left == "pending -> processing -> completed"
    (drift,) = drifts(job(["pending"]), job(["processing"]))  # neither finished: where the scenario stopped
    assert not drift.contract


def test_pagination_a_page_over_the_size_asked_for_is_contract():
    left = [seen("GET /jobs", 200, {"data": []}, page=Page(2, 2, True))]
    right = [seen("GET /jobs", 200, {"data": []}, page=Page(2, 5, True))]
    found = drifts(left, right)
    assert {(d.kind, d.contract) for d in found} == {("pagination", True)}
    assert any("longer than asked for" in d.what for d in found)
    default = drifts([seen("GET /jobs", 200, {"data": []}, page=Page(None, 20, True))],
                     [seen("GET /jobs", 200, {"data": []}, page=Page(None, 50, True))])
    assert [(d.what, d.contract) for d in default] == [("default page size: items per page while more follow", True)]


def test_verdicts_a_contract_check_failing_on_one_side_only_is_contract():
    def result(check, passed=0, failed=0, strict=False, skip=None):
        r = CaseResult(Kind.SCENARIO, check, "import_catalogs", passed=passed, failed=failed, strict_only=strict)
        r.failed_operation, r.skip_reason = ("GET /jobs/{id}" if failed else None), skip
        return r

    left = [result("counts", passed=3), result("own", passed=1, strict=True), result("clock", passed=1)]
    right = [result("counts", failed=1), result("own", failed=1, strict=True), result("clock", skip="no /__admin")]
    found = {d.what.split(" (in")[0]: d for d in differ.verdicts(left, right)}
    counts = found["scenario check counts"]
    assert counts.contract and counts.operation == "GET /jobs/{id}" and "(in import_catalogs)" in counts.what
    assert not found["scenario check own"].contract and "--strict" in found["scenario check own"].reason
    assert not found["scenario check clock"].contract and "no /__admin" in found["scenario check clock"].reason


# The report.


@pytest.fixture
def report() -> DriftReport:
    side = Side("left", "http://a", "conforms", {"results": 1}, 1.0, True)
    found = drifts([seen("GET /jobs/{id}", 200, {"error_rows": 0, "file_name": "<b>x</b>"})],
                   [seen("GET /jobs/{id}", 200, {"<script>": "x"})])
    return DriftReport("demo", 7, side, Side("right", "http://b", "violations", {}, 2.0, False), found)


def test_json_report_matches_its_schema_and_splits_contract_from_open(report, tmp_path):
    path = tmp_path / "drift.json"
    write_json(report, path)
    document = json.loads(path.read_text())
    schema = json.loads((REPO / "conformance" / "data" / "drift.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["verdict"] == "contract_drift" and document["counts"]["contract"] == 1
    assert [d["what"] for d in document["contract"]] == ["200: `error_rows` present on the left only"]
    assert all(not d["contract"] and d["reason"] for d in document["seed_open"])


def test_html_escapes_what_servers_said_and_console_shows_both_lists(report, tmp_path):
    path = tmp_path / "drift.html"
    write_html(report, path)
    page = path.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Differences in contract (1)" in page and "error_rows" in page
    console = Console(record=True, width=200)
    render(report, console)
    text = console.export_text()
    assert "Differences the seed leaves open (2)" in text and "CONTRACT_DRIFT" in text
