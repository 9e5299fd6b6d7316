// Renderers of the comparison report: HTML safety and self-containment, Markdown table shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBaseline } from '../../src/core/compare/baseline';
import { compareRuns } from '../../src/core/compare/report';
import { renderHtml, renderMarkdown, renderText } from '../../src/core/compare/render';
import { fakeRun, point } from './runFixtures';

const T0 = Date.parse('2026-01-23T14:30:00Z');
const EVIL = '</style><script>alert(1)</script>';
const PIPE = 'GET /a|b <img src=x onerror=alert(1)>';

function evilReport() {
  const routes = { [EVIL]: [1, 2, 3], [PIPE]: [4, 5, 6] } as Record<string, [number, number, number]>;
  const a = fakeRun({ name: `run ${EVIL}`, points: [point(T0, { routes })] });
  const b = fakeRun({ seed: 2, scale: 1.3, name: 'x"y\'z & <b>', points: [point(T0, { routes })] });
  return compareRuns(makeBaseline(a, { name: `base ${EVIL}` }), b, { seed: 1, bootstrap: 300 });
}

test('HTML: strings from records are escaped; no script, no network, one nonce’d style', () => {
  const r = evilReport();
  assert.equal(r.endpoints.rows.length, 2);
  const html = renderHtml(r, { nonce: 'abc123' });
  assert.ok(!/<script/i.test(html), 'no <script');
  assert.ok(!/https?:\/\//i.test(html), 'no http(s) URL anywhere');
  assert.ok(!/\s(src|href)=/i.test(html.replace(/&lt;img src=x/g, '')), 'no resource attributes');
  assert.ok(!/\sstyle=/i.test(html), 'no inline style attributes (CSP without unsafe-inline)');
  assert.equal(html.match(/<style/g)!.length, 1);
  assert.equal(html.match(/<\/style>/g)!.length, 1);
  assert.match(html, /<style nonce="abc123">/);
  assert.match(html, /style-src 'nonce-abc123'/);
  assert.ok(html.includes('&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'the route shows, escaped');
  assert.ok(html.includes('x&quot;y&#39;z &amp; &lt;b&gt;'));
  assert.ok(!html.includes('<img'));
  assert.match(html, /var\(--vscode-editor-foreground, #222\)/);
  assert.equal((html.match(/<svg class="chart"/g) ?? []).length, 3, 'CDF and two timelines');
  assert.match(html, /latency \(ms, log scale\)/);
  // Without a nonce the one style is allowed by its hash.
  const file = renderHtml(r);
  assert.match(file, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(file, /<style>/);
});

test('HTML: the CDF polylines are drawn on a log axis that spans both runs', () => {
  const html = renderHtml(evilReport());
  const cdf = html.slice(html.indexOf('<svg class="chart"'), html.indexOf('</svg>'));
  assert.equal((cdf.match(/<polyline class="line base"/g) ?? []).length, 1);
  assert.equal((cdf.match(/<polyline class="line cur"/g) ?? []).length, 1);
  const labels = [...cdf.matchAll(/text-anchor="middle">([\d.k]+)<\/text>/g)].map((m) => m[1]);
  assert.ok(labels.includes('10') && labels.includes('100'), labels.join(' '));
});

/** Cells of a Markdown table row, splitting on pipes that are not escaped. */
function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

test('Markdown: verdict line, well-formed tables (pipes in routes escaped), "~" verdicts, warnings', () => {
  const r = evilReport();
  const md = renderMarkdown(r);
  const lines = md.split('\n');
  assert.match(lines[0]!, /^### .* Pulse: \*\*regressed\*\*$/);
  assert.ok(!md.includes('<script') && !md.includes('<img'), 'HTML in records is escaped');
  // Every table: header, separator, rows with the same number of cells.
  const tables: string[][] = [];
  let cur: string[] | null = null;
  for (const l of lines) {
    if (l.startsWith('|')) (cur ??= []).push(l);
    else if (cur) {
      tables.push(cur);
      cur = null;
    }
  }
  assert.ok(tables.length >= 3, `targets, latency, endpoints: ${tables.length}`);
  for (const t of tables) {
    const n = cells(t[0]!).length;
    assert.match(t[1]!, /^\|( :?-{3,}:? \|)+$/);
    for (const row of t) assert.equal(cells(row).length, n, row);
  }
  const targets = tables[0]!;
  assert.deepEqual(cells(targets[0]!).map((c) => c.trim()), ['Metric', 'Baseline', 'Target', 'Current', 'Change']);
  assert.equal(targets.length, 2 + r.targets.length);
  assert.ok(targets.some((l) => /p95 latency .*< 200 ms/.test(l)));
  // Identical runs: every latency verdict is "~".
  const same = renderMarkdown(compareRuns(fakeRun(), fakeRun(), { seed: 1, bootstrap: 200 }));
  assert.match(same, /Pulse: \*\*~ no significant regression\*\*/);
  const latencyRows = same.split('\n').filter((l) => /^\| (p50|p95|p99|mean) \|/.test(l));
  assert.equal(latencyRows.length, 4);
  for (const l of latencyRows) assert.match(l, /\| ~ \|$/);
  assert.match(md, /\*\*Warnings\*\*|\*\*Rules\*\*/);
});

test('text: verdict first, then tables', () => {
  const t = renderText(evilReport());
  assert.match(t.split('\n')[0]!, /^Pulse comparison: regressed: p95 \+/);
  assert.match(t, /Targets:\n\s+metric\s+baseline\s+target\s+current\s+change/);
});
