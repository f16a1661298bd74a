"""Jasper products at 100,000 products with 3 variants each (400,000 product rows), on one keep-alive connection:

  (a) GET /jasper/api/v1/products?with=variants,attributes,all-prices,assets&limit=100&page=P, P drawn over the
      1,000 pages: p50 / p90 / p99 / max and server CPU per request; each answer checked (100 parents, 3
      variants each, their price, asset and attribute embedded);
  (b) POST /jasper/api/v1/products: req/s and latency with no webhook, then with two enabled product webhooks
      posting to a local receiver;
  (c) webhook delivery throughput: deliveries per second from the first of those POSTs until the receiver has
      every delivery (2 per product), and the delivery log's outcomes.

The fake runs with a manual clock on a data tree whose Jasper product fixtures are generated (`products.json`
replaced; the other vendors' fixtures copied).

    python benchmarks/jasper_products.py            # 100,000 parents, 300 list requests, 1,000 writes
    python benchmarks/jasper_products.py --quick    # 5,000 parents, 60 requests, 200 writes
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import _harness as h

TOKEN = "jasper-test-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
V1 = "/jasper/api/v1"
STAMP = "2024-03-15T08:00:00+00:00"


def product(pid: int, sku: str, parent: int | None) -> dict:
    return {"id": pid, "name": f"Product {sku}", "sku": sku, "product_url": None, "page_title": None,
            "style_id": None, "brand_id": None, "parent_id": parent, "option_set_id": None,
            "option_values": [{"option_id": 1, "option_value_id": 2}] if parent else [], "is_bundle": 0,
            "bundle_id": None, "category_ids": [], "concrete_entity_ids": [], "enabled": 1, "is_visible": 1,
            "featured": 0, "shipping_weight": "0.00", "shipping_override": "inherit", "special_order": 0,
            "desc_short": None, "desc_long": None, "created_at": STAMP, "updated_at": STAMP}


def big_fixtures(directory: Path, parents: int) -> Path:
    """fixtures/jasper with `parents` parents (ids 1, 5, 9, …) and 3 variants each, one price, asset and attribute
    value per parent; the seed's other product tables kept, those naming the seed's products emptied."""
    source = h.REPO / "fixtures" / "jasper"
    data = json.loads((source / "products.json").read_text())
    tables = data["tables"]
    for name in ("products__versions", "product_barcodes", "product_inventory", "product_relations",
                 "product_relation_attribute_values", "product_tags", "product_channels"):
        tables[name] = []
    rows, prices, assets, assigned, values = [], [], [], [], []
    for i in range(parents):
        pid = 4 * i + 1
        rows.append(product(pid, f"P{i}", None))
        rows += [product(pid + n, f"P{i}-V{n}", pid) for n in (1, 2, 3)]
        prices.append({"id": i + 1, "product_id": pid, "msrp": 10.0 + i % 90, "map": None, "cost": 5.0,
                       "sell_price": None, "from": None, "to": None, "currency_id": None, "tax_class_id": None,
                       "author": None, "booktype": None, "batch_id": None, "sell_price_reason": None, "base": "US",
                       "created_at": STAMP, "updated_at": STAMP})
        assets.append({"id": i + 1, "product_id": pid, "uri": f"https://cdn.example/{i}.png", "sort_order": 0,
                       "private": 0, "alttext": None, "name": None, "desc": None, "type": None, "thumbnail": 1})
        assigned.append({"id": i + 1, "product_id": pid, "attribute_id": 1, "user_defined_key": "{}"})
        values.append({"id": i + 1, "product_id": pid, "attribute_id": 1, "version_id": 0, "value": f"v{i}"})
    tables.update(products=rows, product_prices=prices, product_assets=assets, product_attributes=assigned,
                  product_attribute_values=values)
    out = directory / "jasper"
    shutil.copytree(source, out)
    (out / "products.json").write_text(json.dumps(data))
    return out


class Receiver:
    """Counts the webhook posts it receives (answers 200), with the time of the last one."""

    def __init__(self) -> None:
        self.count = 0
        self.last = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.count += 1
                    receiver.last = time.perf_counter()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((h.HOST, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self) -> str:
        return f"http://{h.HOST}:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def timed(conn: http.client.HTTPConnection, method: str, path: str, body: object = None) -> tuple[float, int, bytes]:
    began = time.perf_counter()
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=HEADERS)
    response = conn.getresponse()
    raw = response.read()
    return time.perf_counter() - began, response.status, raw


def check_page(raw: bytes) -> None:
    items = json.loads(raw)["products"]
    assert len(items) == 100, len(items)
    for item in items:
        assert len(item["variants"]) == 3 and len(item["all_prices"]) == 1 and len(item["assets"]) == 1
        assert item["attributes"][0]["values"][0]["value"].startswith("v")


def latency_row(label: str, seconds: list[float], cpu: float) -> list:
    ms = [s * 1000 for s in seconds]
    return [label, len(ms), h.median(ms), h.percentile(ms, 90), h.percentile(ms, 99), max(ms),
            cpu / len(ms) * 1000, len(ms) / sum(seconds)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--parents", type=int, default=None)
    ap.add_argument("--requests", type=int, default=None)
    ap.add_argument("--writes", type=int, default=None)
    args = ap.parse_args(argv)
    parents = args.parents or (5_000 if args.quick else 100_000)
    requests = args.requests or (60 if args.quick else 300)
    writes = args.writes or (200 if args.quick else 1_000)
    random.seed(20240315)
    with tempfile.TemporaryDirectory(prefix="pimkit-jasper-products-bench-") as tmp:
        data = h.data_dir_copy(Path(tmp) / "data", replace={"jasper": big_fixtures(Path(tmp) / "big", parents)})
        began = time.monotonic()
        with h.start_fake(data_dir=data) as fake, Receiver() as receiver:
            h.wait_until(fake, h.fake_ready(fake.port), timeout=900, interval=0.2)
            print(f"fake with {parents:,} parents x 3 variants ({4 * parents:,} products) ready in "
                  f"{time.monotonic() - began:.1f} s, RSS {h.status_kb(fake.pid, 'VmRSS') / 1024:.0f} MB",
                  flush=True)
            conn = http.client.HTTPConnection(h.HOST, fake.port, timeout=120)
            pages = parents // 100
            path = f"{V1}/products?with=variants,attributes,all-prices,assets&limit=100&page="
            for warm in (1, pages):
                _, status, raw = timed(conn, "GET", path + str(warm))
                assert status == 200, raw[:300]
                check_page(raw)
            rows = []
            cpu0, latencies = h.cpu_seconds(fake.pid), []
            for _ in range(requests):
                seconds, status, raw = timed(conn, "GET", path + str(random.randint(1, pages)))
                assert status == 200, raw[:300]
                check_page(raw)
                latencies.append(seconds)
            rows.append(latency_row("GET products with=4 relations, limit 100", latencies,
                                    h.cpu_seconds(fake.pid) - cpu0))
            cpu_get, latencies = 0.0, []
            for i in range(requests // 6):  # a write invalidates the merged id lists: the first read re-merges
                _, status, raw = timed(conn, "POST", f"{V1}/products", {"name": f"Pair {i}", "sku": f"PAIR-{i}"})
                assert status == 201, raw[:300]
                before = h.cpu_seconds(fake.pid)
                seconds, status, raw = timed(conn, "GET", path + str(random.randint(1, pages)))
                assert status == 200, raw[:300]
                latencies.append(seconds)
                cpu_get += h.cpu_seconds(fake.pid) - before
            rows.append(latency_row("  the same, right after a POST", latencies, cpu_get))

            def creates(label: str, prefix: str) -> float:
                cpu0, latencies = h.cpu_seconds(fake.pid), []
                first = time.perf_counter()
                for i in range(writes):
                    seconds, status, raw = timed(conn, "POST", f"{V1}/products",
                                                 {"name": f"New {prefix}{i}", "sku": f"{prefix}{i}"})
                    assert status == 201, raw[:300]
                    latencies.append(seconds)
                rows.append(latency_row(label, latencies, h.cpu_seconds(fake.pid) - cpu0))
                return first

            creates("POST product, no webhook", "NEW-A-")
            for n in (1, 2):
                _, status, raw = timed(conn, "POST", f"{V1}/webhooks", {
                    "name": f"Bench {n}", "callback_url": receiver.url(), "entity_type": "product",
                    "include_entity_data": 1, "retry_policy": "no_retry", "minimum_retry_interval": 60,
                    "retry_limit": 0})
                assert status == 201, raw[:300]
            first = creates("POST product, 2 webhooks enabled", "NEW-B-")
            expected = 2 * writes
            deadline = time.perf_counter() + 300
            while receiver.count < expected and time.perf_counter() < deadline:
                time.sleep(0.05)
            spent = receiver.last - first
            print(h.table(["request", "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req", "req/s"],
                          rows))
            _, _, raw = timed(conn, "GET", "/__admin/webhooks/deliveries?api=jasper")
            outcomes: dict[str, int] = {}
            for attempt in json.loads(raw)["deliveries"]:
                outcomes[attempt["outcome"]] = outcomes.get(attempt["outcome"], 0) + 1
            print(f"\nwebhook deliveries: {receiver.count:,} of {expected:,} received, "
                  f"{receiver.count / spent:,.0f} deliveries/s from the first POST to the last delivery "
                  f"({spent:.2f} s); delivery log outcomes {outcomes}")
            conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
