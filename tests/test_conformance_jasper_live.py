"""`pim-conformance run --api jasper` against the fake served live, against broken variants (each must fail)
and against a correct variant that chose differently where the seed is silent (it must pass)."""

from __future__ import annotations

import pytest
from _live import JASPER_PREFIX, fake_servers, run_suite
from broken_variants_jasper import BROKEN, OtherChoices

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "1", "--seed", "20240315")
# The checks that must catch each broken variant (at least one of them fails).
CAUGHT_BY = {
    "wrong_envelope": {"envelope_holds", "version_isolated"},
    "pagination_repeat": {"pages_cover_every_item_once"},
    "version_leak": {"version_isolated"},
    "delete_keeps_readable": {"gone_after_delete"},
}


@pytest.fixture
def serve():
    yield from fake_servers(JASPER_PREFIX)


def test_the_fake_conforms_strictly(serve, tmp_path):
    """Its own choices included (--strict): a superset of what every server is held to."""
    run = run_suite(serve(), *FAST, "--strict", tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 0, run.explain()
    passed = {r["check"] for r in run.report["results"] if r["status"] == "passed"}
    assert {"envelope_holds", "reads_back", "gone_after_delete", "version_isolated", "pages_cover_every_item_once",
            "reference_removed", "refused", "auth_required", "use_after_free"} <= passed


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_variant_fails(serve, tmp_path, name):
    # The scenarios alone catch each of them; the schema layer runs against the fake and the correct variant.
    run = run_suite(serve(BROKEN[name]()), *FAST, "--only", "scenarios", tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[name], (name, run.failed_checks())


def test_a_server_that_chose_differently_passes(serve, tmp_path):
    run = run_suite(serve(OtherChoices()), *FAST, tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 0, run.explain()
