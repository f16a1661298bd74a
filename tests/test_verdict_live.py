"""A verdict QA can trust (issue 15): pre-flight stops a run whose URL or credentials are wrong (exit 2, the
cause in one line); servers that differ from the fake only where HTTP or the seeds allow pass
(tests/fair_variants.py); what the schema layer creates on a target is undone."""

from __future__ import annotations

import pytest
from _live import fake_servers, run_suite
from fair_variants import Chain, CompletedWithErrorRows, NotImplementedMethods, PimsErrorExtras, Reformatted

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "2", "--seed", "20261206")


@pytest.fixture
def serve():
    """serve(rewrite=None) -> the root URL of a fresh fake (all five APIs), maybe wrapped; all stopped after."""
    yield from fake_servers("")


def _one_line_cause(run, *words: str) -> str:
    lines = [line for line in run.stderr.splitlines() if "pre-flight" in line]
    assert run.exit_code == 2 and len(lines) == 1, run.explain()
    assert all(word in lines[0] for word in words), lines[0]
    assert run.report is None  # nothing was judged
    return lines[0]


@pytest.mark.parametrize("api", ["productsmanager", "jasper"])
def test_a_wrong_token_exits_2_naming_the_refused_credentials(serve, tmp_path, api):
    run = run_suite(f"{serve()}/{api}", "--token", "not-a-real-token", *FAST, tmp_path=tmp_path, api=api)
    line = _one_line_cause(run, "credentials refused", "401", f"/{api}/api/")
    assert "not-a-real-token" not in line  # what was sent is described, the secret is not printed


@pytest.mark.parametrize("api", ["productsmanager", "pims", "wizart"])
def test_a_base_url_without_the_api_prefix_exits_2_saying_so(serve, tmp_path, api):
    run = run_suite(serve(), *FAST, tmp_path=tmp_path, api=api)
    _one_line_cause(run, "wrong base URL", "404")


def test_a_login_page_is_not_the_api(serve, tmp_path):
    class LoginPage(NotImplementedMethods):
        def request(self, request):
            from broken_variants import Response

            return Response(200, [(b"content-type", b"text/html")], b"<html><form>Sign in</form></html>")

    run = run_suite(f"{serve(LoginPage())}/jasper", *FAST, tmp_path=tmp_path, api="jasper")
    _one_line_cause(run, "not the API", "HTML")


def test_pims_error_bodies_with_extra_fields_pass_but_not_under_strict(serve, tmp_path):
    base = f"{serve(PimsErrorExtras())}/pims"
    run = run_suite(base, *FAST, tmp_path=tmp_path, api="pims")
    assert run.exit_code == 0, run.explain()
    strict = run_suite(base, "--strict", "--only", "scenarios", "--scenario", "seed_error_messages", *FAST,
                       tmp_path=tmp_path, api="pims")
    assert strict.exit_code == 1 and "error_envelope" in strict.failed_checks(), strict.explain()


def test_a_products_manager_differing_only_where_allowed_passes(serve, tmp_path):
    """501 to TRACE/QUERY (RFC 9110 §15.6.2), `completed` with error_rows > 0 as the seed's example (X-110),
    keys reordered, pretty JSON, Title-Case header names: all at once, the whole suite."""
    variant = Chain(NotImplementedMethods(), CompletedWithErrorRows(), Reformatted())
    run = run_suite(f"{serve(variant)}/productsmanager", *FAST, tmp_path=tmp_path)
    assert run.exit_code == 0, run.explain()
    held = {r["check"] for r in run.report["results"] if r["status"] == "passed"}
    assert {"not_a_server_error", "error_status_matches_error_rows", "counts_match_file"} <= held


def test_an_import_without_status_is_a_violation_at_once_not_a_timeout(serve, tmp_path):
    """No /__admin (so the suite would sleep and poll) and no `status` in GET /imports/{id}: the wait stops at
    the first answer, says why, and the missing field is the violation (was: every import waited --timeout)."""
    from broken_variants import JOB, Rewrite, _edit_job
    from fair_variants import NoAdmin

    class MissingStatus(Rewrite):
        def response(self, request, response):
            if request.method == "GET" and JOB.match(request.path):
                return _edit_job(response, lambda job: job.pop("status", None))
            return response

    run = run_suite(f"{serve(Chain(NoAdmin(), MissingStatus()))}/productsmanager", "--only", "scenarios",
                    "--scenario", "format_detection", "--timeout", "600", *FAST, tmp_path=tmp_path)
    assert run.exit_code == 1, run.explain()
    failed = [r for r in run.report["results"] if r["status"] == "failed"]
    assert failed and any("no `status` to wait on" in (r.get("reproduction") or "") + (r.get("message") or "")
                          for r in failed), failed
