"""`pim-conformance run --api jasper` (the products' scenarios) against the fake served live and against broken variants
of it: the fake conforms (strictly too), each broken variant fails, a vendor with other choices passes."""

from __future__ import annotations

import pytest
from _live import JASPER_PREFIX, fake_servers, passed_checks, run_suite
from broken_variants import Several
from broken_variants_jasper_products import BROKEN, SEED_RULE_PROBES, OtherChoices

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "2", "--seed", "20240315", "--only", "scenarios")
# The scenario that shows each variant, and the checks of which at least one must fail.
CAUGHT_BY = {
    "upsert_keeps_untouched": ("barcode_upserts", {"barcodes_after_upsert"}),
    "with_embeds_nothing": ("with_relations_embed_what_they_name", {"relation_embedded"}),
    "active_ignores_dates": ("price_activity_by_date", {"active_prices_by_date"}),
    "child_still_listed": ("variants_and_remove_from_parent", {"removed_child_unpublished"}),
    "version_leak": ("product_versions_isolated", {"product_version_isolated"}),
    "barcode_length_ignored": ("barcode_lengths_per_type", {"invalid_refused"}),
    "webhook_not_delivered": ("webhook_delivered_signed", {"delivery_arrived"}),
    "bad_signature": ("webhook_delivered_signed", {"delivery_signed"}),
    "retries_beyond_limit": ("webhook_retries_spaced_per_policy", {"retries_spaced_by_policy"}),
}
# What the fake's conformance must have shown, not merely not contradicted.
CONTRACT_CHECKS = {
    "change_accepted", "invalid_refused", "children_listed", "type_filter_applied", "removed_child_unpublished",
    "relation_embedded", "barcodes_after_upsert", "product_version_isolated", "active_prices_by_date",
    "webhook_created_enabled", "delivery_arrived", "delivery_signed", "disabled_webhook_silent",
    "retries_spaced_by_policy",
    # seed-rule probes (issue #15)
    "listed_as_written", "upsert_kept_one_row", "deleted_message", "values_in_enum", "ping_tells_server_time",
    "read_only_token_forbidden", "rate_limit_answers_429", "items_have_fields", "value_one_of", "read_only_ignored",
    "default_page_size", "filtered_to", "grouped_by_type", "tags_shown",
}


@pytest.fixture
def serve():
    """serve(rewrite=None) -> the Jasper base URL of a fresh fake, maybe wrapped; all stopped after."""
    yield from fake_servers(JASPER_PREFIX)


def test_the_fake_conforms_strictly_too(serve, tmp_path):
    base = serve()
    run = run_suite(base, *FAST, tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 0, run.explain()
    assert CONTRACT_CHECKS <= passed_checks(run), sorted(CONTRACT_CHECKS - passed_checks(run))
    rules = run.report["seed_rules"]  # both parts' scenarios probe every Jasper seed rule (issue #15)
    assert (rules["probed"], rules["total"], rules["failed"]) == (181, 181, []), rules["not_probed"]
    strict = run_suite(base, "--strict", *FAST, "--scenario", "export_finishes_and_downloads", tmp_path=tmp_path,
                       api="jasper")
    assert strict.exit_code == 0, strict.explain()
    assert "export_finishes_with_a_file" in passed_checks(strict)


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    scenario, checks = CAUGHT_BY[variant]
    run = run_suite(serve(BROKEN[variant]()), *FAST, "--scenario", scenario, tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & checks, f"caught by {sorted(run.failed_checks())}\n{run.explain()}"


def test_the_seed_rule_probes_catch_their_broken_variants(serve, tmp_path):
    """Four variants at once (one server, one run): each breaks one probe's rule, and that probe's check fails."""
    rewrite = Several(*(variant() for variant, _, _ in SEED_RULE_PROBES.values()))
    scenarios = [arg for _, scenario, _ in SEED_RULE_PROBES.values() for arg in ("--scenario", scenario)]
    run = run_suite(serve(rewrite), *FAST, *scenarios, tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 1, run.explain()
    failed = {(r["operation"], r["check"]) for r in run.report["results"] if r["status"] == "failed"}
    for name, (_, scenario, checks) in SEED_RULE_PROBES.items():
        assert any((scenario, check) in failed for check in checks), (name, sorted(failed))


def test_a_vendor_with_other_choices_passes(serve, tmp_path):
    scenarios = ("--scenario", "variants_and_remove_from_parent", "--scenario", "with_relations_embed_what_they_name",
                 "--scenario", "price_activity_by_date")
    run = run_suite(serve(OtherChoices()), *FAST, *scenarios, tmp_path=tmp_path, api="jasper")
    assert run.exit_code == 0, run.explain()
    assert {"removed_child_unpublished", "relation_embedded", "active_prices_by_date"} <= passed_checks(run)
