"""openapi/jasper.yaml is generated: regenerating it in memory gives the committed file byte for byte."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

SCRIPTS = Path(__file__).parent.parent / "scripts"


def test_committed_spec_is_what_the_generator_writes(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    for name in ("gen_jasper_spec", "gen_jasper_spec_products"):
        sys.modules.pop(name, None)
    import gen_jasper_spec

    committed = gen_jasper_spec.OUT.read_text(encoding="utf-8")
    generated = gen_jasper_spec.render()
    diff = list(difflib.unified_diff(committed.splitlines(), generated.splitlines(), "committed", "generated",
                                     lineterm="", n=1))
    assert not diff, "openapi/jasper.yaml differs from scripts/gen_jasper_spec.py's output; regenerate it:\n" + \
        "\n".join(diff[:40])
