"""`--data` as a process dies: SIGTERM, SIGINT and SIGHUP stop cleanly with the state saved; kill -9 in a write storm
loses no acknowledged write and no id is handed out twice (3 rounds here; benchmarks/durability.py runs 20)."""

from __future__ import annotations

import random
import signal

import httpx
import pytest
from _crash_storm import J_AUTH, J, crash_round, kill, present, serve

from mock_server.tooling import wal

pytestmark = pytest.mark.live


def last_record(state) -> list:
    *_, (_, newest) = wal.segments(state)
    return wal.decode(newest.read_bytes().splitlines()[-1])


def test_sigterm_sigint_and_sighup_each_stop_cleanly_with_the_state_saved(tmp_path):
    state = tmp_path / "state.json"
    base, process = serve(state)
    made: dict[int, str] = {}
    try:
        for n, sig in enumerate((signal.SIGTERM, signal.SIGINT, signal.SIGHUP)):
            answer = httpx.post(f"{base}{J}/products", json={"name": f"Kept {n}", "sku": f"SIG-{n}"}, headers=J_AUTH)
            assert answer.status_code == 201, answer.text
            made[answer.json()["product"]["id"]] = f"SIG-{n}"
            httpx.post(f"{base}/__admin/clock/advance", json={"seconds": 60})
            code = kill(process, sig)
            output = process.stdout.read()
            assert code == 0, f"{sig.name}: exit {code}\n{output}"  # not killed by the signal: it stopped
            record = last_record(state)  # the stop's own save: the state outside the store, last in the log
            assert record[0] == "state" and record[1]["clock"]["manual_now"] == 1710493200 + 60 * (n + 1), sig.name
            base, process = serve(state)
            assert httpx.get(f"{base}/__admin/clock").json()["epoch"] == 1710493200 + 60 * (n + 1)
            assert {i: s for i, s in present(base).items() if i in made} == made, sig.name
    finally:
        if process.poll() is None:
            kill(process)


def test_kill_9_in_a_write_storm_loses_no_acknowledged_write_and_reuses_no_id(tmp_path):
    state, rng, acknowledged = tmp_path / "state.json", random.Random(14), {}
    rounds = [crash_round(state, acknowledged, rng, tag=f"R{n}") for n in range(3)]
    final = crash_round(state, acknowledged, rng, tag="FINAL", storm_seconds=(0.05, 0.1))  # checks round 3
    for result in (*rounds, final):
        assert result.missing == [] and result.reused == [], result
    assert all(r.acknowledged > 0 for r in rounds), rounds  # each storm was acknowledging writes when killed
