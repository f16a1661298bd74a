"""`pim-conformance compare` as a user runs it (a subprocess), between live fakes: itself, a broken variant
(tests/broken_variants.py), and a variant that differs only where the seed leaves the answer open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from _live import PM_PREFIX, REPO, fake_servers
from broken_variants import IMPORTS, JOB, MissingField, Request, Response, Rewrite, _edit_job

from conformance.cli import main

# A few Products Manager scenarios, few examples (cheap): imports followed to the end, an unknown id, auth.
pytestmark = [pytest.mark.live, pytest.mark.slow]

SCENARIOS = ("import_catalogs", "unknown_import", "authentication")
SCHEMA = json.loads((REPO / "conformance" / "data" / "drift.schema.json").read_text())


class ChoicesOnly(Rewrite):
    """Differs from the fake only where the seed leaves the answer open: 201 on create (PM-D01), none of the
    fake's own job fields (x-fake-choice), its own error envelope (PM-D02) with the documented texts, and no
    visible `pending` (a job is `processing` from its create on: a transient status)."""

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if response.status >= 400 and isinstance(body, dict) and "message" in body:
            return response.with_json({"errors": [{"code": body.get("error"), "detail": body["message"]}]})
        if request.method == "POST" and request.path == IMPORTS and response.status == 202:
            return response.with_json({**body, "status": "processing"}, status=201)
        if request.method == "GET" and JOB.match(request.path):
            return _edit_job(response, self._edit_job)
        return response

    @staticmethod
    def _edit_job(job: dict) -> None:
        for name in ("file_name", "started_at"):
            job.pop(name, None)
        if job.get("status") == "pending":
            job["status"] = "processing"


@pytest.fixture
def serve():
    yield from fake_servers(PM_PREFIX)


def arguments(left: str, right: str, report: Path, *extra: str) -> list[str]:
    command = ["compare", "--api", "productsmanager", "--left", left, "--right", right, "--seed", "11",
               "--max-examples", "3", "--json", str(report), *extra]
    return command + [arg for name in SCENARIOS for arg in ("--scenario", name)]


def read(report: Path) -> dict:
    document = json.loads(report.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    return document


def compare(left: str, right: str, tmp_path: Path, capsys) -> tuple[int, str, dict]:
    """In this process (cheaper); the subprocess path is the first test's."""
    code = main(arguments(left, right, tmp_path / "drift.json"))
    return code, capsys.readouterr().out, read(tmp_path / "drift.json")


def test_the_fake_against_itself_shows_no_drift(serve, tmp_path):
    """As a user runs it: a subprocess, JSON and HTML written."""
    html, json_path = tmp_path / "drift.html", tmp_path / "drift.json"
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "conformance", *arguments(serve(), serve(), json_path, "--html", str(html))]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = read(json_path)
    assert report["verdict"] == "no_drift" and report["contract"] == [] and report["seed_open"] == []
    assert report["left"]["counts"]["passed"] > 0 and report["left"]["counts"] == report["right"]["counts"]
    assert "NO_DRIFT" in done.stdout and "Drift report · productsmanager" in html.read_text()


def test_a_broken_variant_is_a_contract_drift_naming_the_operation_and_the_field(serve, tmp_path, capsys):
    code, out, report = compare(serve(), serve(MissingField()), tmp_path, capsys)
    assert code == 1, out
    fields = [d for d in report["contract"] if d["kind"] == "field"]
    assert [(d["operation"], d["what"], d["left"], d["right"]) for d in fields] == [
        ("GET /api/v1/imports/{id}", "200: `error_rows` present on the left only", "integer", "(absent)")
    ]
    assert any(d["kind"] == "verdict" and d["right"] == "failed" for d in report["contract"])
    assert "error_rows" in out and "CONTRACT_DRIFT" in out


def test_a_variant_differing_only_where_the_seed_is_open_exits_0_with_the_choices_listed_apart(
    serve, tmp_path, capsys
):
    code, out, report = compare(serve(), serve(ChoicesOnly()), tmp_path, capsys)
    assert code == 0, out
    assert report["verdict"] == "seed_open_only" and report["contract"] == []
    found = {(d["operation"], d["kind"], d["what"]): d for d in report["seed_open"]}
    create = found[("POST /api/v1/imports", "status", "status codes: 202 on the left only, 201 on the right only")]
    assert "x-fake-choice" in create["reason"]
    assert ("GET /api/v1/imports/{id}", "field", "200: `file_name` present on the left only") in found
    assert ("GET /api/v1/imports/{id}", "field", "404: `errors` present on the right only") in found
    # each job is filed under the scenario that followed it: "import_catalogs job #1", …
    (statuses,) = [d for d in report["seed_open"] if "import_catalogs job #1," in d["what"] + ","]
    assert statuses["kind"] == "import_status" and statuses["reason"].startswith("transient statuses")
    assert statuses["left"].startswith("pending -> ") and not statuses["right"].startswith("pending")
    assert "Differences the seed leaves open" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--left", "http://127.0.0.1:9/productsmanager"],
        ["--api", "all", "--left", "http://127.0.0.1:9/a", "--right", "http://127.0.0.1:9/b"],
        ["--left", "http://127.0.0.1:9/a", "--right", "http://127.0.0.1:9/b", "--base-url", "http://127.0.0.1:9/c"],
    ],
)
def test_anything_but_two_targets_of_one_api_is_a_usage_error(args, capsys):
    argv = ["compare", *args] if "--api" in args else ["compare", "--api", "productsmanager", *args]
    assert main(argv) == 2
    assert "error:" in capsys.readouterr().err


def test_two_named_targets_of_a_config_file(serve, tmp_path, monkeypatch):
    left, right = serve(), serve(MissingField())
    config = tmp_path / "targets.toml"
    config.write_text(
        "".join(f'[[target]]\nname = "{n}"\napi = "productsmanager"\nbase_url = "{u}"\n\n'
                for n, u in (("fake", left), ("staging", right), ("other", left)))
    )
    assert main(["compare", "--api", "productsmanager", "--config", str(config)]) == 2  # three: which two?
    report = tmp_path / "named.json"
    code = main(["compare", "--api", "productsmanager", "--config", str(config), "--left", "fake", "--right",
                 "staging", "--scenario", "import_catalogs", "--seed", "3", "--max-examples", "2",
                 "--json", str(report), "--quiet"])
    document = read(report)
    assert code == 1 and (document["left"]["name"], document["right"]["name"]) == ("fake", "staging")
