"""Extract the Jasper seed's curl examples into fixtures/jasper/seed_curls.json: `python scripts/seed_curls.py [SEED]`.

Each example is one `curl` block of seed 002 (method from `-X`, GET without it; path after the host; the `-d`
body, parsed as JSON where it is JSON, else kept as text) with the section heading it sits under. Tests replay
the committed file against a fresh fake, and check that extracting again from the seed gives the same file.
`--check` exits 1 when the committed file differs from what the seed gives.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "jasper" / "seed_curls.json"
HOST = "https://yourpim.com"
# The seed's introduction shows the token header on a bare ping; the example proper follows under "Ping".
SKIP_SECTIONS = {"Authentication"}


def find_seed() -> Path:
    """Seed 002, as the repository keeps it (docs/seeds/)."""
    return next((ROOT / "docs" / "seeds").glob("002_*.txt"))


def _block(lines: list[str], start: int) -> tuple[str, int]:
    """The curl command starting at `start`: its continuation lines and any multi-line `-d '…'` body."""
    parts = [lines[start]]
    i = start
    while i + 1 < len(lines):
        text = "\n".join(parts)
        unclosed = text.replace("\\'", "").count("'") % 2 == 1
        continued = re.search(r"\\\s*(//.*)?$", parts[-1]) is not None
        if not (unclosed or continued or lines[i + 1].strip().startswith("-")):
            break
        i += 1
        parts.append(lines[i])
    return "\n".join(parts), i


def _heading(lines: list[str], start: int) -> str:
    """The nearest title-like line above the curl (the seed's operation heading)."""
    for j in range(start - 1, max(start - 12, -1), -1):
        text = lines[j].strip()
        if text and not text.startswith(("#", "{", "}", "curl", "-")) and len(text) < 80:
            return text
    return ""


PLACEHOLDER = re.compile(r"<(\w+)>")
# The one curl written with placeholders: filled with the ids its neighbouring examples use.
FILLED = {"ATTRIBUTE_ID": "2", "VERSION_ID": "1"}
# Slips in the seed's -d bodies that make them invalid JSON (X-11 and kin: "read as the JSON they meant").
REPAIRS = [
    (re.compile(r"\\'"), "'"),                            # Men\'s: a shell escape inside single quotes
    (re.compile(r'""(\s*\[)'), r'":\1'),                   # "barcodes"" [
    (re.compile(r",(\s*[}\]])"), r"\1"),                   # trailing commas
    (re.compile(r'([\d"el])(\s*\n\s*")'), r"\1,\2"),      # a missing comma at a line's end
]


def _body(raw: str) -> dict:
    """`{"body": json}`, marked `"repaired": true` when the seed's text needed a REPAIRS fix to parse."""
    try:
        return {"body": json.loads(raw)}
    except ValueError:
        pass
    text = raw
    for pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    return {"body": json.loads(text), "repaired": True, "seed_body": raw}


def parse(seed_text: str) -> list[dict]:
    lines = seed_text.split("\n")
    examples, i = [], 0
    while i < len(lines):
        if not lines[i].strip().startswith("curl "):
            i += 1
            continue
        command, end = _block(lines, i)
        heading = _heading(lines, i)
        url = re.search(r'"?(https?://[^"\s]+)', command).group(1)
        method = re.search(r"-X\s+(\w+)", command)
        body = re.search(r"-d\s+'(.*)'", command, re.S)  # to the last quote: a body may hold `'` (webhook headers)
        path = url.removeprefix(HOST)
        example = {"line": i + 1, "heading": heading, "method": method.group(1).upper() if method else "GET",
                   "path": PLACEHOLDER.sub(lambda m: FILLED[m.group(1)], path)}
        if example["path"] != path:
            example["seed_path"] = path
        if body:
            example.update(_body(body.group(1)))
        if heading not in SKIP_SECTIONS:
            examples.append(example)
        i = end + 1
    return examples


def render(examples: list[dict]) -> str:
    return "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in examples) + "\n]\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    seed = Path(args[0]) if args else find_seed()
    if seed is None:
        print("seed 002 not found: pass its path", file=sys.stderr)
        return 2
    text = render(parse(seed.read_text(encoding="utf-8")))
    if check:
        same = OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from {seed}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 2} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
