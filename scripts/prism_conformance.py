"""Run by hand: the conformance suite against Stoplight Prism serving pimkit's own specs (a spec-only mock that
keeps no state), to show what QA would miss by trusting one. Prints each API's score and the stateful contracts
it violated. CI runs the same comparison against a tiny stand-in (tests/_stateless.py, tests/test_qa_live.py).

    npm install --prefix /tmp/prism @stoplight/prism-cli
    python scripts/prism_conformance.py [--prism /tmp/prism/node_modules/.bin/prism] [--apis pixee,pims]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance.apis import vendor_apis

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"prism did not listen on {port}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prism", default="/tmp/prism/node_modules/.bin/prism")
    parser.add_argument("--apis", default=",".join(vendor_apis()))
    parser.add_argument("--max-examples", default="1")
    args = parser.parse_args()
    env = {**os.environ, "PIMKIT_DATA_DIR": str(REPO), "PYTHONPATH": str(REPO)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="prism-conformance-") as tmp:
        for api, layer in ((api, layer) for api in args.apis.split(",") for layer in ("schema", "scenarios")):
            # each layer against a fresh Prism: Schemathesis's generated bodies can crash it (exit 1 in its body
            # validator), and the scenarios should meet a live one
            port = free_port()
            log = open(Path(tmp) / f"{api}-prism.log", "w+")  # noqa: SIM115 - closed below
            prism = subprocess.Popen(
                [args.prism, "mock", "-h", "127.0.0.1", "-p", str(port), str(REPO / "openapi" / f"{api}.yaml")],
                stdout=log, stderr=subprocess.STDOUT,
            )
            try:
                wait_for(port, time.monotonic() + 60)
                report = Path(tmp) / f"{api}.json"
                started = time.monotonic()
                done = subprocess.run(
                    [sys.executable, "-m", "conformance", "run", "--api", api, "--base-url", f"http://127.0.0.1:{port}",
                     "--max-examples", args.max_examples, "--seed", "3", "--timeout", "10", "--quiet", "--only", layer,
                     "--json", str(report),
                     # Prism's token endpoint answers its example ("eyJ…"), no usable token: give one; any will do
                     *(["--token", "prism-any-token"] if api == "wizart" else [])],
                    env=env, capture_output=True, text=True, timeout=1800,
                )
                data = json.loads(report.read_text()) if report.exists() else None
                died = ""
                if prism.poll() is not None:  # Prism itself died during the run: say so, with its last words
                    log.seek(0)
                    last = [line for line in log.read().splitlines() if line.strip()][-2:]
                    died = f"prism exited {prism.returncode} during the run: {' | '.join(last)[:300]}"
                rows.append((f"{api} {layer}", done.returncode, data, time.monotonic() - started, done.stderr[-500:],
                             died))
            finally:
                prism.terminate()
                prism.wait(timeout=15)
                log.close()
    print(f"{'API, layer':26} {'exit':>4} {'score':>8} {'schema':>9} {'scenarios':>10}  violated (scenario checks)")
    for api, code, data, seconds, stderr, died in rows:
        if data is None:
            print(f"{api:26} {code:>4}  no report: {stderr}")
            continue
        if died:
            print(f"{'':26} {died}")
        layers = data["score"]["by_layer"]
        scenario_checks = sorted({v["check"] for v in data["violations"] if v["kind"] == "scenario"})
        print(
            f"{api:26} {code:>4} {data['score']['score']:>7}% "
            f"{layers['schema']['passed']:>4}/{layers['schema']['applicable']:<4} "
            f"{layers['scenario']['passed']:>4}/{layers['scenario']['applicable']:<5} "
            f"{', '.join(scenario_checks)[:300]}  ({seconds:.0f}s)"
        )
        stopped = [v for v in data["violations"] if v["check"] == "scenario_completed"]
        if stopped:  # a scenario that could not go on: say why (the first one)
            print(f"{'':26} first stop: {stopped[0]['operation']}: {(stopped[0]['received'] or '')[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
