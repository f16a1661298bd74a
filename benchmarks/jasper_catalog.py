"""Jasper's catalog at 100,000 stored items: cold start, GET by id and a paginated list, beside Stoplight Prism.

  * cold start: `pim-mock serve` with every spec (Jasper's full catalog included) and the stock fixtures, from
    process start to /__admin/health answering 200 (median of --starts runs);
  * the fake is then started on a data tree whose Jasper fixtures hold 100,000 attributes and 100,000 generic
    entities besides the seed's rows, and wrk measures, beside Prism mocking the same spec (static examples, no
    state) in the same run, alternating fake/prism per round:
      GET /jasper/api/v1/attributes/{id}            an attribute in the middle of the 100k
      GET /jasper/api/v1/generic-entities?page=50   a 1000-item page in the middle (the seed's page size)
Reported: req/s and p99 per run, medians and the ratio fake/prism. wrk shares the 2 cores with both servers.

    python benchmarks/jasper_catalog.py            # 3 rounds of 10 s
    python benchmarks/jasper_catalog.py --quick    # 1 round of 3 s
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _harness as h
import yaml
from throughput_vs_prism import parse_wrk

SPEC = h.REPO / "openapi" / "jasper.yaml"
TOKEN = "jasper-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ITEMS = 100_000


def big_fixtures(directory: Path) -> Path:
    """fixtures/jasper with ITEMS more attributes and generic entities (rows built in the stored shape)."""
    data = json.loads((h.REPO / "fixtures" / "jasper" / "fixtures.json").read_text())
    tables = data["tables"]
    stamp = "2024-03-15T09:00:00+00:00"
    tables["attributes"] += [
        {"id": i, "name": f"Attribute {i}", "type": "text", "display_group_id": None, "note": None, "length": None,
         "sort_order": 0, "slug": f"Attribute {i}", "publish": True, "version_id": 0, "created_at": stamp,
         "updated_at": stamp} for i in range(3, ITEMS + 3)]
    tables["generic_entities"] += [
        {"id": i, "name": f"Entity {i}", "description": None, "is_tree": 0, "is_product_attribute": 0, "priority": i,
         "parent_id": None, "publishable": 1, "display_on_navigation": 0, "options": []} for i in range(3, ITEMS + 3)]
    out = directory / "jasper"
    out.mkdir(parents=True)
    (out / "fixtures.json").write_text(json.dumps(data))
    return out


def prism_spec(directory: Path) -> Path:
    spec = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec.pop("servers", None)
    spec["paths"] = {"/jasper" + path: item for path, item in spec["paths"].items()}

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    out = directory / "jasper-prism.yaml"
    out.write_text(yaml.dump(spec, Dumper=NoAliases, sort_keys=False, allow_unicode=True))
    return out


def wrk(url: str, seconds: float, connections: int) -> str:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "-H",
           f"Authorization: Bearer {TOKEN}", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout


def cold_start(starts: int) -> float:
    times = []
    for _ in range(starts):
        began = time.monotonic()
        with h.start_fake() as fake:
            h.wait_until(fake, h.fake_ready(fake.port), timeout=60)
            times.append(time.monotonic() - began)
    return h.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--prism", default=None)
    args = ap.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    print(f"cold start (all specs, Jasper's {len(yaml.safe_load(SPEC.read_text())['paths'])} paths): "
          f"median {cold_start(args.starts):.2f} s of {args.starts}", flush=True)
    prism = h.prism_bin(args.prism)
    paths = {"GET attribute by id": f"/jasper/api/v1/attributes/{ITEMS // 2}",
             "GET generic-entities page 50": "/jasper/api/v1/generic-entities?page=50"}
    with tempfile.TemporaryDirectory(prefix="pimkit-jasper-bench-") as tmp:
        data = h.data_dir_copy(Path(tmp) / "data", replace={"jasper": big_fixtures(Path(tmp) / "big")})
        spec = prism_spec(Path(tmp))
        prism_port = h.free_port()
        began = time.monotonic()
        with h.start_fake(data_dir=data) as fake, \
                h.Server([prism, "mock", "-h", h.HOST, "-p", str(prism_port), "-v", "silent", str(spec)],
                         port=prism_port, name="prism") as prism_server:
            h.wait_until(fake, h.fake_ready(fake.port), timeout=180)
            print(f"fake with {ITEMS:,} attributes + {ITEMS:,} generic entities ready in "
                  f"{time.monotonic() - began:.1f} s", flush=True)
            first = next(iter(paths.values()))
            h.wait_until(prism_server, lambda: h.request(prism_port, "GET", first, headers=AUTH, timeout=2)[0] == 200,
                         timeout=120, interval=0.2)
            rows = []
            for label, path in paths.items():
                for port in (fake.port, prism_port):
                    status, body = h.request(port, "GET", path, headers=AUTH)
                    assert status == 200, (port, path, status, body[:200])
                    wrk(f"http://{h.HOST}:{port}{path}", 1, args.connections)
                runs: dict[str, list] = {"fake": [], "prism": []}
                for rnd in range(rounds):
                    for name, port in (("fake", fake.port), ("prism", prism_port)):
                        rps, _p50, p99, *_ = parse_wrk(wrk(f"http://{h.HOST}:{port}{path}", seconds, args.connections))
                        runs[name].append((rps, p99))
                        print(f"  {label} round {rnd + 1} {name:<5} {rps:8.0f} req/s  p99 {p99:7.2f} ms", flush=True)
                med = {n: (h.median([r[0] for r in v]), h.median([r[1] for r in v])) for n, v in runs.items()}
                rows.append([label, med["fake"][0], med["fake"][1], med["prism"][0], med["prism"][1],
                             med["fake"][0] / med["prism"][0]])
    print()
    print(h.table(["median", "fake req/s", "fake p99 ms", "prism req/s", "prism p99 ms", "req/s fake/prism"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
