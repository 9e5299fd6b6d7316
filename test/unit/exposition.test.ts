// The exposition parser on real client output (prom-client, both formats) and on each feature
// of the Prometheus 0.0.4 and OpenMetrics 1.0 text formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import {
  decodeLabels,
  formatFromContentType,
  parseExposition,
  parseToFamilies,
  type ExpositionFormat,
  type ParsedFamily,
} from '../../src/core/exposition';
import type { FamilyInfo } from '../../src/core/types';

type Event = ['family', FamilyInfo] | ['sample', string, string, number, number | undefined];

function events(text: string, format?: ExpositionFormat): Event[] {
  const out: Event[] = [];
  parseExposition(
    text,
    {
      onFamily: (f) => out.push(['family', f]),
      onSample: (n, l, v, t) => out.push(['sample', n, l, v, t]),
    },
    format,
  );
  return out;
}

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `family ${name} not found among ${families.map((x) => x.name).join(', ')}`);
  return f;
}

function value(f: ParsedFamily, name: string, labels: Record<string, string>): number {
  const s = f.samples.filter((x) => x.name === name && JSON.stringify(x.labels) === JSON.stringify(labels));
  assert.equal(s.length, 1, `exactly one ${name} ${JSON.stringify(labels)} in ${f.name}`);
  return s[0]!.value;
}

/** A registry like a real service's: HTTP histogram, counter, gauge, summary and default metrics. */
function serviceRegistry(openMetrics: boolean) {
  const registry = new Registry();
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
  collectDefaultMetrics({ register: registry });
  const hist = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds',
    labelNames: ['method', 'endpoint', 'status'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
    enableExemplars: openMetrics,
  });
  const counter = new Counter({
    name: 'http_requests_total',
    help: 'Requests served, by "route" \\ status\nsecond line',
    labelNames: ['method', 'endpoint', 'status'],
    registers: [registry],
    enableExemplars: openMetrics,
  });
  const gauge = new Gauge({ name: 'db_pool_active_connections', help: 'Active DB connections', labelNames: ['pool'], registers: [registry] });
  const summary = new Summary({ name: 'cache_lookup_seconds', help: 'Cache lookups', labelNames: ['cache'], percentiles: [0.5, 0.9, 0.99], registers: [registry] });

  // Observations, with the cumulative bucket counts they must produce.
  const obs: [string, string, string, number][] = [
    ['GET', '/api/users', '200', 0.003],
    ['GET', '/api/users', '200', 0.007],
    ['GET', '/api/users', '200', 0.07],
    ['GET', '/api/users', '200', 0.7],
    ['GET', '/api/users', '200', 7],
    ['POST', '/api/orders/{id}', '500', 0.2],
    ['POST', '/api/orders/{id}', '500', 0.04],
    ['GET', 'weird "path" \\ with\nnewline', '404', 0.0001],
  ];
  for (const [method, endpoint, status, v] of obs) {
    if (openMetrics) {
      hist.observe({ labels: { method, endpoint, status }, value: v, exemplarLabels: { trace_id: `t${Math.round(v * 1e4)}` } as never });
      counter.inc({ labels: { method, endpoint, status }, value: 1, exemplarLabels: { trace_id: 'abc' } as never });
    } else {
      hist.observe({ method, endpoint, status }, v);
      counter.inc({ method, endpoint, status });
    }
  }
  gauge.set({ pool: 'primary' }, 7);
  gauge.set({ pool: 'replica' }, -2.5);
  for (let i = 1; i <= 100; i++) summary.observe({ cache: 'sessions' }, i / 1000);
  return { registry, obs };
}

const BOUNDS = ['0.005', '0.01', '0.05', '0.1', '0.5', '1', '5', '+Inf'];

function checkServiceFamilies(families: ParsedFamily[], obs: [string, string, string, number][], om: boolean): void {
  const h = family(families, 'http_request_duration_seconds');
  assert.equal(h.type, 'histogram');
  assert.equal(h.help, 'Duration of HTTP requests in seconds');
  const series = new Map<string, number[]>();
  for (const [m, e, s, v] of obs) {
    const k = JSON.stringify([m, e, s]);
    series.set(k, [...(series.get(k) ?? []), v]);
  }
  for (const [k, values] of series) {
    const [method, endpoint, status] = JSON.parse(k) as string[];
    const labels = { method: method!, endpoint: endpoint!, status: status! };
    for (const le of BOUNDS) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      const expected = values.filter((v) => v <= bound).length;
      assert.equal(value(h, 'http_request_duration_seconds_bucket', { le, ...labels }), expected, `bucket le=${le} of ${k}`);
    }
    assert.equal(value(h, 'http_request_duration_seconds_count', labels), values.length);
    assert.ok(Math.abs(value(h, 'http_request_duration_seconds_sum', labels) - values.reduce((a, b) => a + b, 0)) < 1e-9);
  }
  // Every sample of the histogram family has a histogram sample name.
  for (const s of h.samples) assert.match(s.name, /^http_request_duration_seconds_(bucket|sum|count)$/);

  const c = family(families, om ? 'http_requests' : 'http_requests_total');
  assert.equal(c.type, 'counter');
  assert.equal(c.help, 'Requests served, by "route" \\ status\nsecond line');
  assert.equal(value(c, 'http_requests_total', { method: 'GET', endpoint: '/api/users', status: '200' }), 5);
  assert.equal(value(c, 'http_requests_total', { method: 'POST', endpoint: '/api/orders/{id}', status: '500' }), 2);
  assert.equal(value(c, 'http_requests_total', { method: 'GET', endpoint: 'weird "path" \\ with\nnewline', status: '404' }), 1);

  const g = family(families, 'db_pool_active_connections');
  assert.equal(g.type, 'gauge');
  assert.equal(value(g, 'db_pool_active_connections', { pool: 'primary' }), 7);
  assert.equal(value(g, 'db_pool_active_connections', { pool: 'replica' }), -2.5);

  const sm = family(families, 'cache_lookup_seconds');
  assert.equal(sm.type, 'summary');
  assert.equal(value(sm, 'cache_lookup_seconds_count', { cache: 'sessions' }), 100);
  assert.ok(Math.abs(value(sm, 'cache_lookup_seconds_sum', { cache: 'sessions' }) - 5.05) < 1e-9);
  const p50 = value(sm, 'cache_lookup_seconds', { quantile: '0.5', cache: 'sessions' });
  assert.ok(p50 > 0.04 && p50 < 0.06, `p50 ${p50}`);
  assert.ok(value(sm, 'cache_lookup_seconds', { quantile: '0.99', cache: 'sessions' }) > 0.09);
}

test('prom-client 0.0.4 output: values match what was observed, default metrics included', async () => {
  const { registry, obs } = serviceRegistry(false);
  const text = await registry.metrics();
  const { families, stats } = parseToFamilies(text, 'prometheus');
  checkServiceFamilies(families, obs, false);
  assert.equal(stats.format, 'prometheus');
  assert.equal(stats.families, families.length);
  assert.equal(stats.samples, families.reduce((n, f) => n + f.samples.length, 0));
  assert.equal(stats.lines, text.split('\n').length - 1);

  // Default metrics: every family prom-client reports is there, with its type and label sets.
  const json = await registry.getMetricsAsJSON();
  for (const m of json) {
    const f = family(families, m.name);
    assert.equal(f.type, String(m.type));
    assert.equal(f.help, m.help);
    if (m.name.startsWith('http_') || m.name.startsWith('cache_') || m.name.startsWith('db_')) {
      // Our own metrics are stable between the two calls: compare every value.
      for (const v of m.values as { value: number; labels: Record<string, string | number>; metricName?: string }[]) {
        const labels = Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)]));
        const name = v.metricName ?? m.name;
        const found = f.samples.find((s) => s.name === name && sameLabels(s.labels, labels));
        assert.ok(found, `${name} ${JSON.stringify(labels)}`);
        assert.equal(found.value, v.value);
      }
    }
  }
  assert.ok(family(families, 'process_cpu_user_seconds_total').samples[0]!.value >= 0);
  assert.equal(family(families, 'nodejs_eventloop_lag_seconds').type, 'gauge');
  assert.equal(family(families, 'nodejs_gc_duration_seconds').type, 'histogram');
});

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

test('prom-client OpenMetrics output: counters by base name, exemplars validated and dropped, # EOF', async () => {
  const { registry, obs } = serviceRegistry(true);
  const text = await registry.metrics();
  assert.match(text, / # \{trace_id="[^"]+"\} /, 'the body carries exemplars');
  assert.ok(text.endsWith('# EOF\n'));
  const { families, stats } = parseToFamilies(text, 'openmetrics');
  assert.equal(stats.format, 'openmetrics');
  checkServiceFamilies(families, obs, true);
  // prom-client writes counters as `# TYPE x counter` + `x_total`: the family is the base name.
  assert.equal(family(families, 'process_cpu_user_seconds').type, 'counter');
  assert.equal(family(families, 'process_cpu_user_seconds').samples[0]!.name, 'process_cpu_user_seconds_total');
  // The same body is not valid 0.0.4 (exemplars).
  assert.throws(() => parseExposition(text, { onSample() {} }, 'prometheus'), /line \d+, column \d+: expected/);
});

test('onFamily: once per family, base names, HELP/TYPE/UNIT together, before the first sample', () => {
  const text = [
    '# TYPE req_seconds histogram',
    '# HELP req_seconds Request latency.',
    'req_seconds_bucket{le="1"} 1',
    'req_seconds_bucket{le="+Inf"} 2',
    'req_seconds_sum 3',
    'req_seconds_count 2',
    '# HELP only_help no type here',
    '# HELP lonely_metadata never sampled',
    '# TYPE lonely_metadata gauge',
    'no_metadata{a="1"} 4',
    'no_metadata{a="2"} 5',
    '',
  ].join('\n');
  assert.deepEqual(events(text), [
    ['family', { name: 'req_seconds', type: 'histogram', help: 'Request latency.' }],
    ['sample', 'req_seconds_bucket', 'le="1"', 1, undefined],
    ['sample', 'req_seconds_bucket', 'le="+Inf"', 2, undefined],
    ['sample', 'req_seconds_sum', '', 3, undefined],
    ['sample', 'req_seconds_count', '', 2, undefined],
    ['family', { name: 'only_help', type: 'untyped', help: 'no type here' }],
    ['family', { name: 'lonely_metadata', type: 'gauge', help: 'never sampled' }],
    ['family', { name: 'no_metadata', type: 'untyped' }],
    ['sample', 'no_metadata', 'a="1"', 4, undefined],
    ['sample', 'no_metadata', 'a="2"', 5, undefined],
  ]);
  const om = ['# TYPE a_seconds gauge', '# UNIT a_seconds seconds', '# HELP a_seconds A.', 'a_seconds 1', '# TYPE b unknown', '# EOF'].join('\n');
  assert.deepEqual(events(om, 'openmetrics'), [
    ['family', { name: 'a_seconds', type: 'gauge', help: 'A.', unit: 'seconds' }],
    ['sample', 'a_seconds', '', 1, undefined],
    ['family', { name: 'b', type: 'unknown' }],
  ]);
});

test('_created samples belong to their counter, histogram or summary family (OpenMetrics)', () => {
  const text = [
    '# TYPE jobs counter',
    'jobs_total{q="a"} 3',
    'jobs_created{q="a"} 1700000000.5',
    '# TYPE lat histogram',
    'lat_bucket{le="+Inf"} 1',
    'lat_count 1',
    'lat_sum 0.5',
    'lat_created 1700000001',
    '# TYPE s summary',
    's{quantile="0.5"} 1',
    's_sum 1',
    's_count 1',
    's_created 1700000002',
    '# EOF',
    '',
  ].join('\n');
  const { families } = parseToFamilies(text, 'openmetrics');
  assert.deepEqual(
    families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
    [
      ['jobs', 'counter', ['jobs_total', 'jobs_created']],
      ['lat', 'histogram', ['lat_bucket', 'lat_count', 'lat_sum', 'lat_created']],
      ['s', 'summary', ['s', 's_sum', 's_count', 's_created']],
    ],
  );
  assert.equal(family(families, 'jobs').samples[1]!.value, 1700000000.5);
  // A gauge has no _created: that is a family of its own (unknown type).
  const g = parseToFamilies('# TYPE g gauge\ng 1\ng_created 2\n# EOF\n', 'openmetrics').families;
  assert.deepEqual(g.map((f) => [f.name, f.type]), [['g', 'gauge'], ['g_created', 'unknown']]);
});

test('label values: each escape, raw text kept for the visitor, decoded by decodeLabels', () => {
  const text = 'm{a="back\\\\slash",b="quo\\"te",c="new\\nline",d="",e="plain é 日本 🚀"} 1\n';
  const ev = events(text);
  assert.deepEqual(ev[1], ['sample', 'm', 'a="back\\\\slash",b="quo\\"te",c="new\\nline",d="",e="plain é 日本 🚀"', 1, undefined]);
  assert.deepEqual(decodeLabels(ev[1]![2] as string), { a: 'back\\slash', b: 'quo"te', c: 'new\nline', d: '', e: 'plain é 日本 🚀' });
  assert.deepEqual(decodeLabels('a="\\\\n"'), { a: '\\n' }, 'an escaped backslash followed by n is not a newline');
  assert.deepEqual(decodeLabels(''), {});
  assert.deepEqual(decodeLabels(' a = "1" , b="2", '), { a: '1', b: '2' });
  const proto = decodeLabels('__proto__="x",constructor="y"');
  assert.equal(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value, 'x');
  assert.equal(proto.constructor, 'y');
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.throws(() => decodeLabels('a="1'), { name: 'ExpositionError', line: 1, column: 5 });
  assert.throws(() => decodeLabels('a="\\t"'), { name: 'ExpositionError', column: 5 });
  assert.throws(() => decodeLabels('a="1" b="2"'), /expected ',' or end of labels after label value, found 'b'/);
});

test('labelText is normalised: no trailing comma, no surrounding blanks; empty braces give ""', () => {
  const ev = events('a{x="1",} 1\nb{ x="1" , y="2" , } 2\nc{} 3\nd 4\ne {x="1"} 5\n');
  assert.deepEqual(
    ev.filter((e) => e[0] === 'sample').map((e) => [e[1], e[2]]),
    [['a', 'x="1"'], ['b', 'x="1" , y="2"'], ['c', ''], ['d', ''], ['e', 'x="1"']],
  );
  // OpenMetrics is strict: no trailing comma, no blanks.
  assert.throws(() => parseExposition('a{x="1",} 1\n# EOF\n', { onSample() {} }, 'openmetrics'), /column 9: expected a label name after ','/);
  assert.throws(() => parseExposition('a{x= "1"} 1\n# EOF\n', { onSample() {} }, 'openmetrics'), /column 5: expected '"' to start the label value, found ' '/);
});

test('HELP escapes: \\\\ and \\n in 0.0.4 (raw quotes kept), plus \\" in OpenMetrics', () => {
  const p = parseToFamilies('# HELP a x \\\\ y \\n "z"\n# TYPE a gauge\na 1\n').families;
  assert.equal(p[0]!.help, 'x \\ y \n "z"');
  assert.throws(() => parseToFamilies('# HELP a bad \\" escape\n'), /line 1, column 15: expected an escape sequence \\\\ or \\n in HELP text, found '"'/);
  const o = parseToFamilies('# HELP a x \\" \\\\ \\n\n# EOF\n', 'openmetrics').families;
  assert.equal(o[0]!.help, 'x " \\ \n');
});

test('special and unusual values', () => {
  const cases: [string, number][] = [
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['Inf', Infinity],
    ['inf', Infinity],
    ['+infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['nan', NaN],
    ['Nan', NaN],
    ['1e-3', 0.001],
    ['1E+3', 1000],
    ['-0', -0],
    ['0', 0],
    ['.5', 0.5],
    ['5.', 5],
    ['+7', 7],
    ['0.1', 0.1],
    ['123456.789', 123456.789],
    ['9007199254740993', 9007199254740993],
    ['12345678901234567890.5', 12345678901234567890.5],
    ['1.7976931348623157e308', 1.7976931348623157e308],
    ['1e400', Infinity],
    ['5e-324', 5e-324],
    ['0.000000000000000000000000001', 1e-27],
    ['2.5e-7', 2.5e-7],
  ];
  for (const [text, expected] of cases) {
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const ev = events(`m ${text}\n${format === 'openmetrics' ? '# EOF\n' : ''}`, format);
      assert.ok(Object.is(ev[1]![3], expected), `${text} (${format}) parsed as ${String(ev[1]![3])}`);
    }
  }
  for (const bad of ['0x10', '1_000', '+NaN', '-nan', '1e', '1e+', '--1', '.', '-', 'Infinit', 'infinityx', '1.2.3', '1,5', 'one', '٣']) {
    assert.throws(() => parseExposition(`m ${bad}\n`, { onSample() {} }), { name: 'ExpositionError', line: 1 }, bad);
  }
});

test('timestamps: integer ms in 0.0.4, float seconds in OpenMetrics, both reported in ms', () => {
  const prom = events('a 1 1700000000123\nb 2 -5\nc 3  \t 42 \n');
  assert.deepEqual(prom.filter((e) => e[0] === 'sample').map((e) => e[4]), [1700000000123, -5, 42]);
  assert.throws(() => parseExposition('a 1 1.5\n', { onSample() {} }), /line 1, column 6: expected ' ' or end of line after the timestamp, found '\.'/);
  assert.throws(() => parseExposition('a 1 1e3\n', { onSample() {} }), /column 6/);
  const om = events('a 1 1520879607.789\nb 2 1520879607\nc 3 -1.5\nd 4 1520879607.7891\n# EOF\n', 'openmetrics');
  assert.deepEqual(om.filter((e) => e[0] === 'sample').map((e) => e[4]), [1520879607789, 1520879607000, -1500, 1520879607789.1]);
  assert.throws(() => parseExposition('a 1 NaN\n# EOF\n', { onSample() {} }, 'openmetrics'), /column 5: expected a timestamp \(seconds\), found 'N'/);
  assert.throws(() => parseExposition('a 1  2\n# EOF\n', { onSample() {} }, 'openmetrics'), /column 5/);
  assert.throws(() => parseExposition('a 1 \n# EOF\n', { onSample() {} }, 'openmetrics'), /column 5: expected a timestamp or exemplar after the value, found end of line/);
});

test('OpenMetrics exemplars are validated, then ignored', () => {
  const ok = [
    '# TYPE h histogram',
    'h_bucket{le="0.1"} 3 # {trace_id="abc"} 0.067 1520879607.789',
    'h_bucket{le="+Inf"} 4 # {} 1',
    'h_count 4 1520879607',
    'h_sum 1',
    '# TYPE c counter',
    'c_total 5 1520879607 # {trace_id="x",span_id="y"} 1 1520879607.1',
    '# EOF',
  ].join('\n');
  const ev = events(ok, 'openmetrics');
  assert.deepEqual(
    ev.filter((e) => e[0] === 'sample').map((e) => [e[1], e[2], e[3], e[4]]),
    [
      ['h_bucket', 'le="0.1"', 3, undefined],
      ['h_bucket', 'le="+Inf"', 4, undefined],
      ['h_count', '', 4, 1520879607000],
      ['h_sum', '', 1, undefined],
      ['c_total', '', 5, 1520879607000],
    ],
  );
  const bad: [string, RegExp][] = [
    ['# TYPE g gauge\ng 1 # {a="b"} 1\n# EOF\n', /line 2, column 5: expected end of line \(exemplars are only allowed/],
    ['# TYPE c counter\nc_total 1 # a="b" 1\n# EOF\n', /line 2, column 13: expected '\{' to start the exemplar's labels, found 'a'/],
    ['# TYPE c counter\nc_total 1 # {a="b"}\n# EOF\n', /line 2, column 20: expected ' ' and a value after the exemplar's labels, found end of line/],
    ['# TYPE c counter\nc_total 1 # {a="b"} x\n# EOF\n', /line 2, column 21: expected a number as exemplar value, found 'x'/],
    ['# TYPE c counter\nc_total 1 #{a="b"} 1\n# EOF\n', /line 2, column 12: expected ' ' after '#' of the exemplar, found '\{'/],
    ['# TYPE c counter\nc_total 1 # {a="b"} 1 2 3\n# EOF\n', /line 2, column 24: expected end of line after the exemplar timestamp, found ' '/],
    ['# TYPE c counter\nc_total 1 # {a=b} 1\n# EOF\n', /line 2, column 16: expected '"' to start the label value, found 'b'/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseExposition(text, { onSample() {} }, 'openmetrics'), re);
  assert.throws(() => parseExposition('c_total 1 # {a="b"} 1\n', { onSample() {} }, 'prometheus'), /line 1, column 11: expected an integer timestamp \(milliseconds\), found '#'/);
});

test('# EOF: required and final in OpenMetrics, an ordinary comment in 0.0.4', () => {
  const noop = { onSample() {} };
  assert.equal(parseExposition('a 1\n# EOF\n', noop, 'openmetrics').samples, 1);
  assert.equal(parseExposition('a 1\n# EOF', noop, 'openmetrics').samples, 1, 'final line feed optional');
  assert.throws(() => parseExposition('a 1\n', noop, 'openmetrics'), { line: 2, column: 1, expected: "'# EOF' as the last line", found: 'end of input' });
  assert.throws(() => parseExposition('a 1', noop, 'openmetrics'), { line: 1, expected: "'# EOF' as the last line" });
  assert.throws(() => parseExposition('', noop, 'openmetrics'), { line: 1, expected: "'# EOF' as the last line" });
  assert.throws(() => parseExposition('a 1\n# EOF\nb 2\n', noop, 'openmetrics'), { line: 3, column: 1, expected: "end of input after '# EOF'" });
  assert.throws(() => parseExposition('a 1\n# EOF\n\n', noop, 'openmetrics'), { line: 3, expected: "end of input after '# EOF'" });
  assert.throws(() => parseExposition('a 1\n# EOF \n', noop, 'openmetrics'), { line: 2, column: 6 });
  // 0.0.4: tolerated (and what follows is still parsed).
  const st = parseExposition('a 1\n# EOF\nb 2\n', noop, 'prometheus');
  assert.equal(st.samples, 2);
});

test('empty lines and CRLF: fine in 0.0.4, errors in OpenMetrics', () => {
  const ev = events('\r\n# TYPE a gauge\r\na{x="1"} 1\r\n\r\n   \na 2 17\r\n', 'prometheus');
  assert.deepEqual(ev.filter((e) => e[0] === 'sample').map((e) => [e[2], e[3], e[4]]), [['x="1"', 1, undefined], ['', 2, 17]]);
  assert.throws(() => parseExposition('a 1\n\n# EOF\n', { onSample() {} }, 'openmetrics'), { line: 2, column: 1 });
  assert.throws(() => parseExposition('a 1\r\n# EOF\n', { onSample() {} }, 'openmetrics'), { line: 1, column: 4, found: "'\\r'" });
});

test('metric and label name character sets', () => {
  const ev = events('ns:sub_metric_1{_l1="a",L2="b"} 1\n:leading:colon 2\n_x 3\n');
  assert.deepEqual(ev.filter((e) => e[0] === 'sample').map((e) => e[1]), ['ns:sub_metric_1', ':leading:colon', '_x']);
  const bad: [string, string][] = [
    ['1abc 1\n', 'line 1, column 1: expected a metric name or comment, found \'1\''],
    ['a-b 1\n', "line 1, column 2: expected '{' or ' ' after the metric name, found '-'"],
    ['a{1b="x"} 1\n', "line 1, column 3: expected a label name or '}', found '1'"],
    ['a{b:c="x"} 1\n', "line 1, column 4: expected '=' after label name, found ':'"],
    ['a{b-c="x"} 1\n', "line 1, column 4: expected '=' after label name, found '-'"],
    ['mé 1\n', "line 1, column 2: expected '{' or ' ' after the metric name, found 'é'"],
  ];
  for (const [text, message] of bad) assert.throws(() => parseExposition(text, { onSample() {} }), { message }, text);
});

test('metadata rules: duplicate TYPE/HELP, TYPE after samples, contiguity, unit suffix', () => {
  const noop = { onSample() {} };
  assert.throws(() => parseExposition('# TYPE a gauge\na 1\n# TYPE a gauge\n', noop), { line: 3, expected: "one TYPE line for 'a'" });
  assert.throws(() => parseExposition('# TYPE a gauge\n# TYPE b gauge\n# TYPE a counter\n', noop), { line: 3, expected: "one TYPE line for 'a'" });
  assert.throws(() => parseExposition('# HELP a x\n# HELP a y\n', noop), { line: 2, expected: "one HELP line for 'a'" });
  assert.throws(() => parseExposition('a 1\n# TYPE a gauge\n', noop), { line: 2, expected: "the TYPE line of 'a' before its samples" });
  assert.throws(() => parseExposition('# TYPE a gauge\n# TYPE a counter\n# EOF\n', noop, 'openmetrics'), { line: 2 });
  assert.throws(() => parseExposition('# TYPE t weird\n', noop), { line: 1, column: 10, found: "'weird'" });
  assert.throws(() => parseExposition('# TYPE t untyped\n# EOF\n', noop, 'openmetrics'), { line: 1, column: 10 });
  assert.equal(parseExposition('# TYPE t COUNTER\nt 1\n', noop).samples, 1, '0.0.4 types are case-insensitive (as in Go)');
  // Non-contiguous families: tolerated in 0.0.4, an error in OpenMetrics.
  const split = '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="2"} 2\n';
  const f = parseToFamilies(split).families;
  assert.deepEqual(f.map((x) => [x.name, x.samples.length]), [['a', 2], ['b', 1]]);
  assert.throws(() => parseExposition(split + '# EOF\n', noop, 'openmetrics'), { line: 5, column: 1, found: "'a'" });
  assert.throws(() => parseExposition('# TYPE a gauge\na 1\n# HELP a late\n# EOF\n', noop, 'openmetrics'), { line: 3, expected: "metadata of 'a' before its samples" });
  // OpenMetrics comments other than HELP/TYPE/UNIT/EOF are errors; 0.0.4 ignores them.
  assert.throws(() => parseExposition('# hello\n# EOF\n', noop, 'openmetrics'), { line: 1, column: 3 });
  assert.equal(parseExposition('# hello\n#\n#HELPER x\n# HELP\na 1\n', noop).samples, 1);
  // UNIT must be a suffix of the family name.
  assert.throws(() => parseExposition('# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n', noop, 'openmetrics'), { line: 2, column: 16 });
  assert.throws(() => parseExposition('# TYPE i_x info\n# UNIT i_x x\n# EOF\n', noop, 'openmetrics'), { line: 2 });
});

test('sample names must fit their family type; histogram buckets need le, summaries quantile (OpenMetrics)', () => {
  const noop = { onSample() {} };
  const om = (text: string) => parseExposition(text + '# EOF\n', noop, 'openmetrics');
  assert.throws(() => om('# TYPE h histogram\nh 1\n'), { line: 2, column: 1, found: "'h'", expected: "h_bucket, h_sum, h_count or h_created as sample name in histogram family 'h'" });
  assert.throws(() => om('# TYPE c counter\nc 1\n'), { line: 2, expected: "c_total or c_created as sample name in counter family 'c'" });
  assert.throws(() => om('# TYPE h histogram\nh_bucket{a="1"} 1\n'), { line: 2, column: 15, expected: "a 'le' label on a histogram bucket", found: "no 'le' label" });
  assert.throws(() => om('# TYPE h histogram\nh_bucket 1\n'), { line: 2, column: 9, expected: "a 'le' label on a histogram bucket" });
  assert.throws(() => om('# TYPE s summary\ns{q="0.5"} 1\n'), { line: 2, expected: "a 'quantile' label on a summary quantile sample" });
  // Label values that must be numbers are checked in both formats.
  assert.throws(() => parseExposition('# TYPE h histogram\nh_bucket{le="fast"} 1\n', noop), { line: 2, column: 14, expected: "a number as the 'le' label value" });
  assert.throws(() => parseExposition('# TYPE s summary\ns{quantile="p99"} 1\n', noop), { line: 2, column: 13, expected: "a number as the 'quantile' label value" });
  // 0.0.4 accepts what Go's expfmt (promtool) accepts: buckets without le, a bare histogram name.
  assert.equal(parseExposition('# TYPE h histogram\nh_bucket 1\nh 2\n# TYPE s summary\ns 1\n', noop).samples, 3);
  // Label names: each once, and never the reserved __name__.
  assert.throws(() => parseExposition('m{a="1",b="2",a="3"} 1\n', noop), { line: 1, column: 15, expected: 'each label name once per sample' });
  assert.throws(() => parseExposition('m{__name__="x"} 1\n', noop), { line: 1, column: 3, found: "'__name__'" });
  // In 0.0.4 a counter's samples carry the family name; `x_total` after `# TYPE x counter` is another family.
  assert.deepEqual(
    parseToFamilies('# TYPE x counter\nx 1\nx_total 2\n').families.map((f) => [f.name, f.type]),
    [['x', 'counter'], ['x_total', 'untyped']],
  );
});

test('HTML and binary garbage are rejected on line 1', () => {
  assert.throws(() => parseExposition('<!DOCTYPE html>\n<html><body>Not found</body></html>\n', { onSample() {} }), {
    name: 'ExpositionError',
    line: 1,
    column: 1,
    expected: 'a metric name or comment',
    message: "line 1, column 1: expected a metric name or comment, found '<'",
  });
  const gzip = String.fromCharCode(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3) + 'garbage';
  assert.throws(() => parseExposition(gzip, { onSample() {} }), { line: 1, column: 1, found: 'U+001F' });
  assert.throws(() => parseExposition('{"json": true}\n', { onSample() {} }), { line: 1, column: 1, found: "'{'" });
  assert.throws(() => parseExposition('\uFEFFa 1\n', { onSample() {} }), { line: 1, column: 1, found: 'U+FEFF' });
});

test('an error deep in a long body carries its exact line, column and expectation', () => {
  const lines: string[] = ['# HELP big A big family.', '# TYPE big gauge'];
  for (let i = 3; i < 12000; i++) lines.push(`big{instance="host-${i}",zone="eu-west-1a"} ${i}.5`);
  lines.push('big{instance="host-12000",zone} 1');
  for (let i = 12001; i < 12100; i++) lines.push(`big{instance="host-${i}"} 1`);
  const text = lines.join('\n') + '\n';
  let seen = 0;
  assert.throws(
    () => parseExposition(text, { onSample: () => void seen++ }),
    (e: unknown) => {
      const err = e as { name: string; line: number; column: number; expected: string; message: string };
      assert.equal(err.name, 'ExpositionError');
      assert.equal(err.line, 12000);
      assert.equal(err.column, 31);
      assert.equal(err.expected, "'=' after label name");
      assert.equal(err.message, "line 12000, column 31: expected '=' after label name, found '}'");
      return true;
    },
  );
  assert.equal(seen, 11997, 'samples before the error were reported');
});

test('formatFromContentType', () => {
  assert.equal(formatFromContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'), 'openmetrics');
  assert.equal(formatFromContentType('Application/OpenMetrics-Text'), 'openmetrics');
  assert.equal(formatFromContentType('text/plain; version=0.0.4; charset=utf-8'), 'prometheus');
  assert.equal(formatFromContentType(''), 'prometheus');
  assert.equal(formatFromContentType(undefined), 'prometheus');
  assert.equal(formatFromContentType('text/plain; profile=application/openmetrics-text'), 'prometheus');
});
