"""Admin path patterns (journal queries, fault scopes) that could backtrack for ever are refused with a 400."""

from __future__ import annotations

import time

import pytest

from mock_server.tooling import faults, journal, patterns
from mock_server.tooling.journal import BadQuery, Criteria, Entry, Journal
from mock_server.tooling.patterns import UnsafePattern, compile_path_pattern, search

CATASTROPHIC = ["(a*)*b", "(a+)+b", "(?:a{2,})*b", "(a|a)*b", "(a|aa)+$", r"(\w+)\1", "(.*a){12}",
                ".*a.*a.*a.*b", "x" * (patterns.MAX_PATTERN_CHARS + 1)]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_patterns_that_can_backtrack_for_ever_are_refused(pattern):
    with pytest.raises(UnsafePattern):
        compile_path_pattern(pattern)
    with pytest.raises(BadQuery):
        Criteria.parse({"path_pattern": pattern})
    with pytest.raises(faults.BadFault):
        faults.parse({"kind": "drop", "path_pattern": pattern})


@pytest.mark.parametrize("pattern", [r"/imports/[^/]+$", "^/productsmanager/", "__admin", "imports/[ab]$",
                                     "^/pixee/.*/jobs/.*", r"/v\d+/(products|imports)/", "a{3}b"])
def test_ordinary_patterns_still_work(pattern):
    assert compile_path_pattern(pattern).pattern == pattern


def test_a_pattern_is_matched_against_the_start_of_a_path_and_quickly():
    hostile = "/" + "a" * 100_000
    started = time.perf_counter()
    assert not search(compile_path_pattern("a*a*b"), hostile)
    assert time.perf_counter() - started < 1  # generous: unbounded, this search takes minutes
    assert search(compile_path_pattern("^/a"), hostile)
    assert not search(compile_path_pattern("z$"), "/" + "a" * patterns.MATCHED_CHARS + "z")


def test_a_journal_query_stops_with_a_400_past_its_time_budget(monkeypatch):
    ring = Journal(size=200)
    for seq in range(200):
        ring.append(Entry(seq, 0.0, 0.0, "pixee", "GET", f"/pixee/{seq}", f"/{seq}", b"", (), {}))
    criteria = Criteria.parse({"path_pattern": "^/pixee/1"})
    assert len(ring.select(criteria)) == 111  # 1, 10-19, 100-199
    monkeypatch.setattr(journal, "QUERY_BUDGET_SECONDS", -1.0)
    with pytest.raises(BadQuery, match="took more than"):
        ring.select(criteria)
