"""The `pim_mock` fixture under pytest-xdist: two workers share one server, each test in its own tenant, and
clocks advanced at the same moment in two workers do not see each other (an inner `pytest -n 2` run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.live

INNER = textwrap.dedent('''
    import json, os, pathlib, time

    import pytest

    MEET = pathlib.Path(os.environ["MEET_DIR"])

    @pytest.mark.parametrize("seconds", [600, 7200])
    def test_advance_alone(pim_mock, seconds):
        start = pim_mock.now()
        pim_mock.advance(seconds)
        mine = MEET / f"{seconds}.json"
        mine.write_text(json.dumps({"worker": os.environ["PYTEST_XDIST_WORKER"], "origin": pim_mock.origin,
                                    "tenant": pim_mock.tenant}))
        deadline = time.monotonic() + 60
        while len(list(MEET.glob("*.json"))) < 2:  # both tests have advanced before either looks again
            assert time.monotonic() < deadline, "the other worker never came"
            time.sleep(0.05)
        assert pim_mock.now() == start + seconds
        assert pim_mock.count() == 0  # the other test's requests are not in this tenant's journal
''')


def test_two_xdist_workers_share_one_server_and_never_see_each_others_clock(tmp_path):
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "test_inner.py").write_text(INNER)
    meet = tmp_path / "meet"
    meet.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}  # not this run's worker
    env["MEET_DIR"] = str(meet)
    env.pop("PIM_MOCK_URL", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q",
                          "--basetemp", str(tmp_path / "base"), str(inner)],
                         cwd=inner, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    seen = [json.loads(p.read_text()) for p in sorted(meet.glob("*.json"))]
    assert {s["worker"] for s in seen} == {"gw0", "gw1"}  # two workers, at the same time…
    assert len({s["origin"] for s in seen}) == 1  # …on one server…
    assert len({s["tenant"] for s in seen}) == 2  # …each test in its own tenant
    state = json.loads((tmp_path / "base" / "pim-mock.json").read_text())
    assert state["origin"] == seen[0]["origin"]
    deadline = time.monotonic() + 15  # the run over, its server stops by itself
    while _alive(state["pid"]):
        assert time.monotonic() < deadline, "the shared server outlived the run"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) is gone too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False
