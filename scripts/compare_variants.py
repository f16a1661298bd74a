"""By hand: `pim-conformance compare` between a fresh fake and each variant of it in tests/broken_variants*.py.

Every broken variant must come out as a contract drift (exit 1); each "different vendor" (correct, other choices)
is listed with what compare still calls contract, since a choice the spec does not mark cannot be told apart.

    .venv/bin/python scripts/compare_variants.py [--api NAME] [--max-examples N] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import broken_variants  # noqa: E402
import broken_variants_jasper  # noqa: E402
import broken_variants_pims  # noqa: E402
import broken_variants_pixee  # noqa: E402
import broken_variants_wizart  # noqa: E402
from _live import fake_servers  # noqa: E402

from conformance.cli import main  # noqa: E402

MODULES = {
    "productsmanager": broken_variants,
    "pixee": broken_variants_pixee,
    "pims": broken_variants_pims,
    "jasper": broken_variants_jasper,
    "wizart": broken_variants_wizart,
}


def compare(api: str, rewrite, seed: int, examples: int) -> tuple[int, dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "drift.json"
        started = time.monotonic()
        for start in fake_servers(f"/{api}"):
            argv = ["compare", "--api", api, "--left", start(), "--right", start(rewrite), "--seed", str(seed),
                    "--max-examples", str(examples), "--json", str(report), "--quiet"]
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = main(argv)
        return code, json.loads(report.read_text()) if report.exists() else {}, time.monotonic() - started


def main_script() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", choices=sorted(MODULES), action="append")
    parser.add_argument("--max-examples", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    missed = 0
    print("| API | variant | exit | contract | seed-open | seconds | first contract difference |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for api in args.api or sorted(MODULES):
        module = MODULES[api]
        variants = {name: cls for name, cls in module.BROKEN.items()}
        if hasattr(module, "DifferentVendor"):
            variants["(different vendor)"] = module.DifferentVendor
        for name, cls in variants.items():
            code, report, seconds = compare(api, cls(), args.seed, args.max_examples)
            contract = report.get("contract", [])
            first = f"{contract[0]['operation']}: {contract[0]['what']}" if contract else ""
            missed += name != "(different vendor)" and code != 1
            print(f"| {api} | {name} | {code} | {len(contract)} | {len(report.get('seed_open', []))} | "
                  f"{seconds:.1f} | {first[:110]} |", flush=True)
    print(f"broken variants not found: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main_script())
