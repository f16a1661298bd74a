"""`pim-conformance run --api admin` against the fake's own admin API (`--base-url …/__admin`), served live, and
against broken variants of it: the fake conforms (strictly too), each broken variant fails."""

from __future__ import annotations

import pytest
from _live import fake_servers, run_suite
from broken_variants_admin import BROKEN

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "2", "--seed", "20240315")
CAUGHT_BY = {
    "count_off_by_one": {"journal_counts_requests"},
    "faults_ignored": {"fault_answers"},
    "any_fault_accepted": {"invalid_definition_refused"},
}
SCENARIO_CHECKS = {"journal_counts_requests", "verify_follows_count", "fault_answers", "invalid_definition_refused"}


@pytest.fixture
def serve():
    yield from fake_servers("/__admin")


def test_the_fake_conforms_strictly_too(serve, tmp_path):
    base = serve()
    for mode in ((), ("--strict",)):
        run = run_suite(base, *FAST, *mode, tmp_path=tmp_path, api="admin")
        assert run.exit_code == 0, run.explain()
        passed = {r["check"] for r in run.report["results"] if r["status"] == "passed"}
        assert SCENARIO_CHECKS | {"negative_data_rejection", "not_a_server_error"} <= passed


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    run = run_suite(serve(BROKEN[variant]()), *FAST, "--only", "scenarios", tmp_path=tmp_path, api="admin")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[variant], f"caught by {sorted(run.failed_checks())}\n{run.explain()}"
