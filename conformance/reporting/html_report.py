"""`--html FILE`: one self-contained page for people (no external asset: the CSS and the script are inline).

The page carries the suite's JSON document (json_report.suite_dict) in a `<script type="application/json">`
and a small script renders it: the summary and overall score, one table per API (score, checks, coverage of
operations, status codes and messages), the violations with their curl reproducers and seed passages, and
a filter. Text is only ever set through `textContent`, so nothing a server answered can become markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.reporting import json_report
from conformance.results import RunReport

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1400px}section{background:#fff;border:1px solid #d0d7de;border-radius:6px;
margin:0 0 16px;padding:12px 16px}h2{font-size:17px;margin:4px 0 10px}h3{font-size:15px;margin:12px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.dim{color:#656d76}
.score{font-size:32px;font-weight:700}.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;
background:#eaeef2}pre{background:#f6f8fa;border:1px solid #eaeef2;border-radius:4px;padding:8px;overflow:auto;
white-space:pre-wrap;word-break:break-all;margin:4px 0}.violation{border-left:4px solid #cf222e;padding:4px 12px;
margin:10px 0}details summary{cursor:pointer}input[type=search]{padding:4px 8px;width:320px;margin:0 0 8px}
"""

SCRIPT = r"""
(function () {
  var doc = JSON.parse(document.getElementById('report-data').textContent);
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function pct(v) { return v === null || v === undefined ? 'n/a' : v.toFixed(2) + ' %'; }
  function pair(part) { return part && part.documented ? part.exercised + '/' + part.documented : 'n/a'; }
  function row(cells, cls) {
    return el('tr', {}, cells.map(function (c, i) {
      return el(i ? 'td' : 'td', {text: String(c), class: (cls && cls[i]) || ''});
    }));
  }
  function table(head, rows, numeric) {
    var t = el('table');
    t.appendChild(el('thead', {}, [el('tr', {}, head.map(function (h, i) {
      return el('th', {text: h, class: numeric && numeric[i] ? 'num' : ''});
    }))]));
    var body = el('tbody');
    rows.forEach(function (r) { body.appendChild(r); });
    t.appendChild(body);
    return t;
  }
  var root = document.getElementById('app');
  var good = doc.verdict === 'conforms';
  document.getElementById('verdict').textContent = doc.verdict;
  // Summary
  var summary = el('section', {id: 'summary'}, [
    el('h2', {text: 'Summary'}),
    el('div', {class: 'score ' + (good ? 'ok' : 'bad'), id: 'overall-score', text: 'Score ' + pct(doc.score)}),
    el('p', {text: 'Verdict: ' + doc.verdict + (doc.fail_under !== null ? ' · gate --fail-under ' + doc.fail_under : '')
      + ' · ' + doc.runs.length + ' target(s) · ' + doc.violations.length + ' violation(s)'}),
  ]);
  var numeric = [0, 0, 1, 1, 1, 1, 1, 1, 1, 0];
  summary.appendChild(table(
    ['Target', 'API', 'Score', 'Checks passed', 'Violations', 'Operations', 'Statuses', 'Messages', 'Seconds',
     'Verdict'],
    doc.runs.map(function (r) {
      return row([r.label, r.api, pct(r.score.score), r.score.passed + '/' + r.score.applicable, r.violations.length,
        pair(r.coverage.operations), pair(r.coverage.statuses), pair(r.coverage.messages),
        r.duration_seconds.toFixed(1), r.verdict],
        ['', '', 'num', 'num', 'num ' + (r.violations.length ? 'bad' : ''), 'num', 'num', 'num', 'num',
         r.verdict === 'conforms' ? 'ok' : 'bad']);
    }), numeric));
  if (doc.seed_rules) {
    summary.appendChild(el('p', {id: 'seed-rules', text: 'Seed rules probed ' + doc.seed_rules.probed + ' / ' +
      doc.seed_rules.total + ' (' + Object.keys(doc.seed_rules.by_api).map(function (a) {
        var s = doc.seed_rules.by_api[a];
        return a + ' ' + s.probed + '/' + s.total + (s.failed.length ? ', failed ' + s.failed.join(' ') : '');
      }).join(' · ') + ')'}));
  }
  (doc.errors || []).forEach(function (e) {
    summary.appendChild(el('p', {class: 'bad', text: e.target + ': not run (exit ' + e.exit_code + '): ' + e.message}));
  });
  root.appendChild(summary);
  // Violations
  var vs = el('section', {id: 'violations'}, [el('h2', {text: 'Violations (' + doc.violations.length + ')'})]);
  var filter = el('input', {type: 'search', placeholder: 'filter by API, operation, check, rule…', id: 'filter'});
  vs.appendChild(filter);
  if (!doc.violations.length) vs.appendChild(el('p', {class: 'ok', text: 'None: every applicable check held.'}));
  var items = doc.violations.map(function (v) {
    var box = el('div', {class: 'violation', 'data-operation': v.operation}, [
      el('h3', {}, [el('span', {class: 'bad op', text: v.operation}), el('span', {text: ' — ' + v.check + ' '}),
        el('span', {class: 'badge', text: v.target}), el('span', {class: 'dim', text: ' ' + v.rules.join(' ')})]),
      v.title ? el('p', {text: v.title}) : null,
      v.scenario ? el('p', {class: 'dim', text: 'scenario ' + v.scenario}) : null,
      el('div', {text: 'Expected:'}), el('pre', {class: 'expected', text: v.expected || '(see message)'}),
      el('div', {text: 'Received:'}), el('pre', {class: 'received', text: v.received || '(see message)'}),
      v.curl ? el('div', {text: 'Request (credentials masked, set $TOKEN):'}) : null,
      v.curl ? el('pre', {class: 'curl', text: v.curl}) : null,
      v.citations.length ? el('div', {text: 'Seed:'}) : null,
      v.citations.length ? el('pre', {class: 'seed', text: v.citations.join('\n')}) : null,
      v.reproduction ? el('details', {}, [el('summary', {text: 'Replay'}), el('pre', {text: v.reproduction})]) : null,
    ]);
    box.dataset.search = [v.target, v.api, v.operation, v.check, v.rules.join(' '), v.title || '']
      .join(' ').toLowerCase();
    vs.appendChild(box);
    return box;
  });
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    items.forEach(function (box) { box.style.display = box.dataset.search.indexOf(q) >= 0 ? '' : 'none'; });
  });
  root.appendChild(vs);
  // One section per API: coverage by operation, then the checks that did not pass.
  doc.runs.forEach(function (r) {
    var sec = el('section', {class: 'api', id: 'api-' + r.label}, [
      el('h2', {text: r.label + ' (' + r.api + ') — ' + pct(r.score.score)}),
      el('p', {class: 'dim', text: r.target + ' · seed ' + r.seed + ' · ' + r.max_examples +
        ' examples · replay: ' + r.replay}),
    ]);
    var sr = r.seed_rules;
    sec.appendChild(el('h3', {class: sr.failed.length ? 'bad' : '', text: 'Seed rules probed ' + sr.probed + ' / ' +
      sr.total + (sr.failed.length ? ' · failed: ' + sr.failed.join(' ') : '') +
      (sr.not_probed.length ? ' · not probed in this run: ' + sr.not_probed.join(' ') : '')}));
    var cov = r.coverage;
    sec.appendChild(el('h3', {text: 'Coverage: operations ' + pair(cov.operations) + ', status codes ' +
      pair(cov.statuses) + ', documented messages ' + pair(cov.messages)}));
    sec.appendChild(table(['Operation', 'Exercised', 'Documented statuses', 'Seen', 'Not seen', 'Undocumented seen'],
      cov.by_operation.map(function (o) {
        return row([o.operation, o.exercised ? 'yes' : 'NO', o.statuses_documented.join(' '), o.statuses_seen.join(' '),
          o.statuses_not_seen.join(' '), o.statuses_undocumented.join(' ')], ['', o.exercised ? 'ok' : 'bad']);
      })));
    if (cov.messages.not_exercised.length) {
      sec.appendChild(el('details', {}, [el('summary', {text: 'Documented messages not exercised (' +
        cov.messages.not_exercised.length + ')'}), el('pre', {text: cov.messages.not_exercised.join('\n')})]));
    }
    // Failed and skipped apart, each named for what it is: a skipped check is not a failed one (issue 15).
    [['failed', 'Checks failed'], ['skipped', 'Checks skipped (not run: the reason beside each)']].forEach(
      function (kind) {
        var shown = r.results.filter(function (x) { return x.status === kind[0]; });
        if (!shown.length) { return; }
        sec.appendChild(el('details', {'data-status': kind[0]}, [el('summary', {text: kind[1] + ' (' +
          shown.length + ' of ' + r.results.length + ')'}), table(['Check', 'Operation / scenario', 'Rules',
          'Status', 'Why'], shown.map(function (x) {
            return row([x.check, x.kind + ': ' + x.operation, x.rules.join(' '), x.status,
              x.skip_reason || x.message || ''], ['', '', '', x.status === 'failed' ? 'bad' : 'dim']);
          }))]));
      });
    root.appendChild(sec);
  });
  document.body.setAttribute('data-rendered', 'true');
})();
"""


def page(document: dict[str, Any]) -> str:
    # "<" escaped: no "</script>" in a server's answer can end the data block early.
    data = json.dumps(document, ensure_ascii=False).replace("<", "\\u003c")
    title = f"pim-conformance report — score {document['score'] if document['score'] is not None else 'n/a'}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        '<header><h1>pim-conformance report · <span id="verdict"></span></h1></header>'
        '<main id="app"><noscript>This report is drawn by its inline script; the data is in the page\'s '
        "report-data block (JSON).</noscript></main>"
        f'<script type="application/json" id="report-data">{data}</script>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def write(
    reports: Sequence[RunReport],
    path: str | Path,
    *,
    fail_under: float | None = None,
    verdict: str,
    errors: list[dict[str, Any]] | None = None,
) -> None:
    document = json_report.suite_dict(list(reports), verdict=verdict, fail_under=fail_under, errors=errors or [])
    Path(path).write_text(page(document), encoding="utf-8")
