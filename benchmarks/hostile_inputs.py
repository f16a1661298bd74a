"""Hostile inputs at the issue's sizes (issue 14, §2): peak RSS and the slowest request's server CPU, per class.

Each class runs on a fresh fake (`python -m mock_server.cli serve --clock manual`, free loopback port): the file
is uploaded, the clock advanced past the job's end, the job read until terminal. Reported per class: what the
job ended as (its error_message, or the answer's status), the server's peak RSS (VmHWM), the slowest request's
wall time and the server CPU spent while it ran (utime+stime of every thread, /proc/<pid>/stat), and the whole
class's server CPU. Targets (issue 14): ≤ 300 MB peak RSS, ≤ 2 s of CPU per request.

    .venv/bin/python benchmarks/hostile_inputs.py              # every class, at the issue's sizes
    .venv/bin/python benchmarks/hostile_inputs.py --only csv_row,reset
"""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _harness as h
from wizart_import import BASE as WZ
from wizart_import import token as wizart_token


class Probe:
    """Requests to one server, each timed (wall, and the server's CPU meanwhile)."""

    def __init__(self, server: h.Server) -> None:
        self.server = server
        self.slowest = (0.0, 0.0, "")

    def __call__(self, method: str, path: str, payload=None, headers=None, body=None, ctype=None, timeout=600):
        cpu0, t0 = h.cpu_seconds(self.server.pid), time.perf_counter()
        if body is not None:
            status, raw = h.request(self.server.port, method, path, body, {**(headers or {}), "Content-Type": ctype},
                                    timeout)
            data = json.loads(raw) if raw[:1] in (b"{", b"[") else raw
        else:
            status, data = h.request_json(self.server.port, method, path, payload, headers, timeout)
        wall, cpu = time.perf_counter() - t0, h.cpu_seconds(self.server.pid) - cpu0
        if wall > self.slowest[0]:
            self.slowest = (wall, cpu, f"{method} {path.split('?')[0][:40]}")
        return status, data


# --- files ---------------------------------------------------------------------------------------------------
def xlsx(sheet_data: bytes, shared: bytes | None = None) -> bytes:
    out = io.BytesIO()
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                   b'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   b"</Types>")
        z.writestr("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", b'<?xml version="1.0"?><workbook ' + ns + b" " + rel +
                   b'><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   b"</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><worksheet ' + ns + b"><sheetData>"
                   + sheet_data + b"</sheetData></worksheet>")
    return out.getvalue()


def inline(*values: str) -> bytes:
    return b"<row>" + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % v.encode() for v in values) + b"</row>"


def wide_xlsx_row() -> bytes:
    """358 KB in the issue: one row of 7 million cells."""
    return xlsx(inline("ean", "title") + b"<row>" + b"<c><v>1</v></c>" * 7_000_000 + b"</row>")


def error_rows_xlsx() -> bytes:
    """580 KB in the issue: 1,048,575 rows, every one an error."""
    return xlsx(inline("ean", "title") + inline("x", "t") * 1_048_575)


def one_record_xml() -> bytes:
    """17 MB, one record (the Pixee preview kept 1.4 GB of it)."""
    return b"<items><item>" + b"".join(b"<f%d>v</f%d>" % (i, i) for i in range(860_000)) + b"</item></items>"


def one_row_csv() -> bytes:
    """9.9 MB, one row (1 GB kept)."""
    return b"ean,title\n" + b"1," * 4_950_000 + b"\n"


def ean(n: int) -> str:
    d12 = f"20{n:010d}"
    return d12 + str((10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d12)) % 10) % 10)


def catalog_csv(megabytes: float) -> bytes:
    rows, size, n = [b"ean,title,price,description"], 0, 0
    while size < megabytes * 1024 * 1024:
        line = f"{ean(n)},Product {n},{n % 90 + 1}.50,A plain catalogue description of item {n}".encode()
        rows.append(line)
        size, n = size + len(line) + 1, n + 1
    return b"\n".join(rows) + b"\n"


# --- the classes -----------------------------------------------------------------------------------------------
# api -> (upload path, its auth, the job's path, extra reads after the job ends)
APIS = {
    "pm": (f"{h.PM}/imports", h.AUTH, f"{h.PM}/imports/{{id}}", ()),
    "pixee": (f"{h.PIXEE}/imports/jobs", h.PIXEE_AUTH, f"{h.PIXEE}/imports/jobs/{{id}}",
              (f"{h.PIXEE}/imports/jobs/{{id}}/preview",)),
}


def vendor_import(probe: Probe, content: bytes, filename: str, api: str = "pm") -> str:
    """Upload, advance the clock past the job's end, read it: its status and error message."""
    upload_path, auth, job_path, reads = APIS[api]
    body, ctype = h.multipart({}, {"file": (filename, content, "application/octet-stream")})
    status, job = probe("POST", upload_path, headers=auth, body=body, ctype=ctype)
    if status not in (201, 202):
        return f"upload {status}: {str(job)[:120]}"
    probe("POST", "/__admin/clock/advance", {"seconds": 86400 * 30})
    status, seen = probe("GET", job_path.format(id=job["id"]), headers=auth)
    for path in reads:
        probe("GET", path.format(id=job["id"]), headers=auth)
    errors = f" ({seen['error_rows']:,} error rows)" if "error_rows" in seen else ""
    return f"{seen['status']}: {seen['error_message'] or ''}{errors}"


def case_wide_xlsx(probe):
    return vendor_import(probe, wide_xlsx_row(), "wide.xlsx")


def case_error_rows(probe):
    return vendor_import(probe, error_rows_xlsx(), "errors.xlsx")


def case_xml_record(probe):
    return vendor_import(probe, one_record_xml(), "one.xml", "pixee")


def case_csv_row(probe):
    return vendor_import(probe, one_row_csv(), "one.csv")


def case_reset(probe):
    """20 finished 5 MB CSV imports (Products Manager and Pixee alternately), then /__admin/reset."""
    content = catalog_csv(5)
    rss = lambda: h.status_kb(probe.server.pid, "VmRSS") / 1024  # noqa: E731
    start = rss()
    for n in range(20):
        vendor_import(probe, content, "catalog.csv", "pm" if n % 2 == 0 else "pixee")
    after = rss()
    probe("POST", "/__admin/reset")
    time.sleep(1)
    return f"RSS {start:.0f} MB → {after:.0f} MB after 20 imports → {rss():.0f} MB after reset"


class Sources(BaseHTTPRequestHandler):
    """/big: 500 MB; /slow: a byte every 5 s."""

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()
        try:
            if self.path.startswith("/big"):
                block = b"ean,title\n" + b"x" * (1024 * 1024 - 10)
                for _ in range(500):
                    self.wfile.write(block)
            else:
                for _ in range(60):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(5)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def case_http_sources(probe):
    server = ThreadingHTTPServer((h.HOST, 0), Sources)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://{h.HOST}:{server.server_address[1]}"
    try:
        for name in ("big", "slow"):
            probe("POST", f"{h.PIXEE}/imports/automations", {"name": name, "schedule": "* * * * *", "file_source":
                                                             {"type": "http", "url": f"{base}/{name}.csv"}},
                  headers=h.PIXEE_AUTH)
        timings: list[float] = []
        advance = threading.Thread(target=probe, args=("POST", "/__admin/clock/advance", {"seconds": 60}))
        advance.start()
        time.sleep(0.5)
        while advance.is_alive():  # other Pixee requests meanwhile
            t0 = time.perf_counter()
            h.request(probe.server.port, "GET", f"{h.PIXEE}/imports/automations", headers=h.PIXEE_AUTH)
            timings.append(time.perf_counter() - t0)
            time.sleep(0.2)
        advance.join()
        _, listing = probe("GET", f"{h.PIXEE}/imports/automations", headers=h.PIXEE_AUTH)
        reasons = []
        for automation in listing["items"]:
            _, job = probe("GET", f"{h.PIXEE}/imports/jobs/{automation['last_job_id']}", headers=h.PIXEE_AUTH)
            reasons.append(f"{automation['name']}: {job['status']} ({job['error_message'][-60:]})")
        worst = max(timings, default=0.0)
        return "; ".join(reasons) + f"; other Pixee GETs meanwhile: {len(timings)}, slowest {worst * 1000:.0f} ms"
    finally:
        server.shutdown()
        server.server_close()


def case_zip_members(probe):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(180_000):
            archive.writestr(f"{n:x}", b"")  # short names: 180,000 members under the 16 MB archive limit
    auth = {"Authorization": f"Bearer {wizart_token(probe.server.port)}"}
    csv = b"sku,name,collection,width_cm,height_cm,pattern_repeat_cm,price,image\nS,N,C,53,1005,64,1.00,i1.jpg\n"
    body, ctype = h.multipart({"product_type": "wall"}, {"csv": ("c.csv", csv, "text/csv"),
                                                         "images": ("i.zip", out.getvalue(), "application/zip")})
    timings: list[float] = []
    upload = threading.Thread(target=lambda: timings.append(
        probe("POST", f"{WZ}/imports", headers=auth, body=body, ctype=ctype)[0]))
    upload.start()
    gaps = []
    while upload.is_alive():
        t0 = time.perf_counter()
        h.request(probe.server.port, "GET", "/__admin/health")
        gaps.append(time.perf_counter() - t0)
    upload.join()
    return f"{len(out.getvalue()) / 1e6:.1f} MB ZIP → {timings[0]}; health meanwhile: slowest " \
           f"{max(gaps, default=0) * 1000:.0f} ms of {len(gaps)}"


CASES = {
    "wide_xlsx": ("358 KB XLSX, one 7M-cell row (was 4.5 GB, 89 s)", case_wide_xlsx),
    "error_rows": ("580 KB XLSX, 1,048,575 error rows (was 976 MB kept)", case_error_rows),
    "xml_record": ("17 MB one-record XML, Pixee preview (was 1.4 GB)", case_xml_record),
    "csv_row": ("9.9 MB one-row CSV (was 1 GB)", case_csv_row),
    "reset": ("20 finished 5 MB CSV imports, then reset (was 1,825 MB, 702 MB after reset)", case_reset),
    "http": ("Pixee http sources: 500 MB, and a byte every 5 s (was 1.1 GB; API held 117 s)", case_http_sources),
    "zip": ("Wizart ZIP of 180,000 members (stalled every client ~1.3 s)", case_zip_members),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    args = parser.parse_args()
    rows = []
    for name in args.only.split(","):
        title, run = CASES[name]
        with h.start_fake(clock="manual") as server:
            h.wait_until(server, h.fake_ready(server.port), timeout=60)
            probe = Probe(server)
            cpu0, t0 = h.cpu_seconds(server.pid), time.perf_counter()
            outcome = run(probe)
            cpu, wall = h.cpu_seconds(server.pid) - cpu0, time.perf_counter() - t0
            peak = h.status_kb(server.pid, "VmHWM") / 1024
            slow_wall, slow_cpu, slow_what = probe.slowest
        rows.append([title, outcome, f"{peak:.0f}", f"{slow_wall:.2f} ({slow_what})", f"{slow_cpu:.2f}",
                     f"{cpu:.1f}", f"{wall:.1f}"])
        print(f"{name}: {rows[-1]}", flush=True)
    print()
    print(h.table(["class", "outcome", "peak RSS MB", "slowest request s", "its server CPU s", "class CPU s",
                   "class wall s"], rows))


if __name__ == "__main__":
    main()
