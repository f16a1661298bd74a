"""The suite as QA and CI run it, against live servers: the fake scores 100 % and covers every operation of every
API; broken variants drop the score and their violation names the operation; a stateless spec-only mock (what
Prism serves) fails the stateful contracts; --seed repeats a run; the HTML report renders in headless Chromium.

CI runs two representative broken variants per API (REPRESENTATIVE). The deeper run, every variant of
tests/broken_variants*.py with every scenario of its API:
    PIMKIT_QA_ALL_VARIANTS=1 python -m pytest -q tests/test_qa_live.py -k broken
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from pathlib import Path

import broken_variants
import broken_variants_jasper
import broken_variants_pims
import broken_variants_pixee
import broken_variants_wizart
import jsonschema
import pytest
from _live import REPO, LiveServer, fake_app
from _stateless import StatelessMock
from broken_variants import RewritingApp

from conformance.resources import load_spec

pytestmark = [pytest.mark.live, pytest.mark.slow]

SCHEMA = json.loads((REPO / "conformance" / "data" / "report.schema.json").read_text())
CHROMIUM = "/usr/bin/chromium"
UNMASKED = re.compile(r"(?i)(authorization|apikey): (?!((bearer|basic) )?\$TOKEN)")
APIS = ("productsmanager", "pixee", "pims", "jasper", "wizart")

# api -> variant -> (the scenario that shows it, an operation its violation must name)
REPRESENTATIVE = {
    "productsmanager": {
        "missing_field": ("import_catalogs", "GET /api/v1/imports/{id}"),
        "error_row_left_out": ("errors_paging", "GET /api/v1/imports/{id}/errors"),
    },
    "pixee": {
        "pause_ignored": ("pause_and_resume", "GET /api/v1/imports/jobs/{id}"),
        "has_next_wrong": ("logs_paging", "GET /api/v1/imports/jobs/{id}/logs"),
    },
    "pims": {
        "wrong_message": ("seed_error_messages", "POST /api/{locale}/pim/manage/products"),
        "pagination_repeat": ("pagination_covers_every_product", "POST /api/{locale}/pim/manage/products"),
    },
    "jasper": {
        "wrong_envelope": ("round_trips", "GET /api/v1/attributes/{attribute_id}"),
        "pagination_repeat": (
            "pages_cover_every_item", "GET /api/v1/generic-entities/{generic_entity_id}/concrete-entities"
        ),
    },
    "wizart": {
        # every answer has the wrong media type: any operation is the right one (each is a documented one)
        "wrong_media_type": ("jsonapi_negotiation", None),
        "device_token_uploads": ("token_kinds_per_operation", "POST /api/v2.1/imports"),
    },
}
VARIANTS = {
    "productsmanager": broken_variants.BROKEN,
    "pixee": broken_variants_pixee.BROKEN,
    "pims": broken_variants_pims.BROKEN,
    "jasper": broken_variants_jasper.BROKEN,
    "wizart": broken_variants_wizart.BROKEN,
}


def conformance(*args: str, cwd: Path, timeout: float = 420) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "PIMKIT_DATA_DIR": os.environ.get("PIMKIT_DATA_DIR", str(REPO))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "conformance", "run", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def explain(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\n--- stdout ---\n{done.stdout[-6000:]}\n--- stderr ---\n{done.stderr[-3000:]}"


def validated(path: Path) -> dict:
    document = json.loads(path.read_text())
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    return document


def rendered_dom(html: Path) -> str:
    """The page as headless Chromium has it once its scripts ran (--dump-dom), not the file as written."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the HTML report is tested in Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="qa-chromium-") as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--dump-dom", html.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 0 and 'data-rendered="true"' in done.stdout, done.stderr[-3000:]
    return done.stdout


def test_the_fake_scores_100_and_covers_every_operation_of_every_api(tmp_path):
    """`--api all` against one fake, two processes at once: every report written, validated and rendered."""
    with ExitStack() as stack:
        app = fake_app()
        stack.callback(app.runtime.close)
        server = stack.enter_context(LiveServer(app))
        json_path, junit_path, html_path = tmp_path / "r.json", tmp_path / "r.xml", tmp_path / "r.html"
        done = conformance(
            "--api", "all", "--base-url", server.origin, "--max-examples", "1", "--seed", "5", "--workers", "2",
            "--fail-under", "100", "--json", str(json_path), "--junit", str(junit_path), "--html", str(html_path),
            cwd=tmp_path,
        )
    assert done.returncode == 0, explain(done)
    report = validated(json_path)
    assert report["kind"] == "suite" and report["score"] == 100.0 and report["verdict"] == "conforms"
    assert [run["api"] for run in report["runs"]] == list(APIS)
    for run in report["runs"]:
        assert run["score"]["score"] == 100.0 and run["score"]["by_layer"]["scenario"]["applicable"] > 0, run["api"]
        operations = run["coverage"]["operations"]
        unexercised = [o["operation"] for o in run["coverage"]["by_operation"] if not o["exercised"]]
        assert operations["exercised"] == operations["documented"] > 0 and not unexercised, (run["api"], unexercised)
        assert run["coverage"]["statuses"]["exercised"] > 0
        if run["api"] != "jasper":  # Jasper's spec has no message catalog: n/a, not "covered"
            assert run["coverage"]["messages"]["exercised"] > 0, run["api"]
        assert run["replay"].startswith(f"pim-conformance run --api {run['api']} ") and "--seed 5" in run["replay"]
    assert "overall score 100.00 %" in done.stdout and "CONFORMS" in done.stdout

    suites = ET.parse(junit_path).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == [f"pim-conformance {api}" for api in APIS]
    for suite, run in zip(suites, report["runs"], strict=True):
        assert len(suite.findall("testcase")) == len(run["results"]) and suite.get("failures") == "0"

    dom = rendered_dom(html_path)
    assert "Score 100.00 %" in dom and "Violations (0)" in dom
    for api in APIS:
        assert f'id="api-{api}"' in dom
    assert "Route not resolved" not in dom and "<script" in html_path.read_text()
    assert "http://" not in html_path.read_text().split("<style>")[1].split("</style>")[0]  # no external asset


def _serve_variants(stack: ExitStack, chosen: dict[str, dict]) -> list[dict]:
    targets = []
    for api, variants in chosen.items():
        for name in variants:
            app = fake_app()
            stack.callback(app.runtime.close)
            server = stack.enter_context(LiveServer(RewritingApp(app, VARIANTS[api][name]())))
            targets.append({"name": f"{api}-{name}", "api": api, "base_url": f"{server.origin}/{api}"})
    return targets


def _toml(targets: list[dict]) -> str:
    lines = ["[defaults]", 'only = "scenarios"', ""]
    for target in targets:
        lines.append("[[target]]")
        for key, value in target.items():
            lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    return "\n".join(lines)


def test_broken_variants_drop_the_score_and_name_the_operation(tmp_path):
    deep = os.environ.get("PIMKIT_QA_ALL_VARIANTS") == "1"
    chosen = {api: dict.fromkeys(VARIANTS[api]) for api in APIS} if deep else REPRESENTATIVE
    with ExitStack() as stack:
        targets = _serve_variants(stack, chosen)
        for target in targets:
            expected = REPRESENTATIVE.get(target["api"], {}).get(target["name"].split("-", 1)[1])
            if expected and not deep:
                target["scenarios"] = [expected[0]]
        config = tmp_path / "targets.toml"
        config.write_text(_toml(targets))
        json_path, html_path = tmp_path / "r.json", tmp_path / "r.html"
        done = conformance(
            "--api", "all", "--config", str(config), "--max-examples", "1", "--seed", "20240315", "--workers", "2",
            "--json", str(json_path), "--html", str(html_path), cwd=tmp_path, timeout=1800 if deep else 420,
        )
    assert done.returncode == 1, explain(done)
    report = validated(json_path)
    shutil.copy(json_path, Path(tempfile.gettempdir()) / "qa-broken-variants.json")  # for a look after the test
    assert not report["errors"], report["errors"]
    for run in report["runs"]:
        api, variant = run["api"], run["label"].split("-", 1)[1]
        assert run["score"]["score"] is not None and run["score"]["score"] < 100, (run["label"], run["score"])
        assert run["violations"], run["label"]
        for violation in run["violations"]:
            assert "--seed 20240315" in violation["reproduction"], violation
            # a credential header, when the request had one, is masked (an auth probe sends none or a wrong one)
            assert not UNMASKED.search(violation["curl"] or ""), violation["curl"]
        documented = {o["operation"] for o in run["coverage"]["by_operation"]}
        assert {v["operation"] for v in run["violations"]} & documented, run["violations"]
        expected = REPRESENTATIVE.get(api, {}).get(variant)
        if expected and expected[1]:
            named = {v["operation"] for v in run["violations"]}
            assert expected[1] in named, (run["label"], named)
    dom = rendered_dom(html_path)
    first = report["violations"][0]
    assert f'class="bad op">{first["operation"]}<' in dom.replace("&amp;", "&")
    assert f"Violations ({len(report['violations'])})" in dom


def test_a_stateless_spec_mock_fails_the_stateful_contracts(tmp_path):
    """What Prism would answer: each operation's documented example, nothing stored. It passes a stateless
    check or two, but reading back what was created, the import lifecycle and the row counts all fail."""
    apis = ("productsmanager", "pixee", "pims")
    mock = StatelessMock({f"/{api}": load_spec(api) for api in apis})
    with LiveServer(mock) as server:
        config = tmp_path / "targets.toml"
        config.write_text(_toml([{"api": api, "base_url": f"{server.origin}/{api}", "timeout": 5} for api in apis]))
        json_path = tmp_path / "r.json"
        done = conformance(
            "--api", "all", "--config", str(config), "--max-examples", "1", "--seed", "3", "--workers", "2",
            "--json", str(json_path), cwd=tmp_path,
        )
    assert done.returncode == 1, explain(done)
    report = validated(json_path)
    failed = {run["api"]: {v["check"] for v in run["violations"]} for run in report["runs"]}
    for run in report["runs"]:
        assert run["score"]["score"] < 75, (run["api"], run["score"])
    # stateful contracts: what an import makes of the file it was given, an id nothing was created under
    assert {"unusable_file_not_imported", "unknown_import_not_found"} <= failed["productsmanager"], failed
    assert {"counts_match_file", "unknown_job_not_found", "unusable_file_not_imported"} <= failed["pixee"], failed
    # a write with no key or a read-only one leaves nothing behind; the example answer says it created the product
    assert {"write_refused", "seed_error_message"} <= failed["pims"], failed


def test_the_same_seed_repeats_a_run_exactly(tmp_path):
    def once() -> list[tuple]:
        with ExitStack() as stack:
            app = fake_app()
            stack.callback(app.runtime.close)
            server = stack.enter_context(LiveServer(app))
            path = tmp_path / f"r{len(list(tmp_path.iterdir()))}.json"
            done = conformance("--api", "pims", "--base-url", f"{server.origin}/pims", "--seed", "99",
                               "--max-examples", "3", "--json", str(path), cwd=tmp_path)
            assert done.returncode == 0, explain(done)
        report = validated(path)
        assert report["replay"].endswith("--seed 99")
        return [(r["id"], r["status"], r["passed"], r["failed"]) for r in report["results"]] + [
            tuple(o["statuses_seen"]) for o in report["coverage"]["by_operation"]
        ]

    assert once() == once()


def test_ci_installs_chromium_for_the_html_report_test():
    ci = (REPO / ".ci" / "run").read_text()
    assert "apt-get install -y chromium" in ci


def test_the_html_report_shows_what_a_server_answered_as_text_never_as_markup(tmp_path):
    from conformance.reporting import html_report
    from conformance.results import CaseResult, Kind, RunReport

    hostile = '</script><img id="injected" src="x"><b>bold</b>'
    result = CaseResult(kind=Kind.SCHEMA, check="response_schema_conformance", operation="GET /x", failed=1,
                        title="Response violates schema", message=hostile, received=hostile, expected="a schema",
                        failed_operation="GET /x", curl="curl -sS -X GET 'http://h/x'")
    report = RunReport(api="pixee", target="http://h/pixee", strict=False, seed=1, max_examples=1, results=[result],
                       coverage={"operations": {"documented": 1, "exercised": 1},
                                 "statuses": {"documented": 1, "exercised": 0},
                                 "messages": {"documented": 0, "exercised": 0, "not_exercised": [],
                                              "exercised_keys": []},
                                 "by_operation": [], "unmatched_requests": 0},
                       replay="pim-conformance run --api pixee --base-url http://h/pixee --seed 1")
    path = tmp_path / "r.html"
    html_report.write([report], path, verdict="violations")
    dom = rendered_dom(path)
    assert '<img id="injected"' not in dom and "<b>bold</b>" not in dom
    assert "&lt;img id=\"injected\"" in dom and "Score 0.00 %" in dom and 'class="bad op">GET /x<' in dom
