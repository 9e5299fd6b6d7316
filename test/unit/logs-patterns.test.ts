// Custom patterns: accepted, refused (with the reason named), and used by the scanners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, compilePatterns, scanBuffer, scanLines } from '../../src/core/logs';

const ACCEPTED = [
  'took (?<duration>\\d+(?:\\.\\d+)?)(?<unit>ms|s)',
  '^(?<method>[A-Z]+) (?<path>\\S+) -> (?<status>\\d{3}) in (?<duration>\\d+)',
  '(?:[^"\\\\]|\\\\.)* elapsed=(?<duration>[\\d.]+)',
  '(\\d{1,3}\\.){3}\\d{1,3} .* took (?<duration>\\d+)',
  'req (?<path>[\\w/.-]+) (?<duration>\\d+)\\s*(?<unit>ms|s)?',
  '(?<method>GET|POST|PUT) (?<path>/\\S*) \\[(?<duration>\\d+)\\]',
];

const REFUSED: [string, RegExp][] = [
  ['(a+)+ (?<duration>\\d+)', /nested quantifier/],
  ['(.*)* (?<duration>\\d+)', /nested quantifier/],
  ['(?<path>(/[\\w.-]+)+) (?<duration>\\d+)', /nested quantifier/],
  ['(\\w+\\s?)+took (?<duration>\\d+)', /nested quantifier/],
  ['(?:a{1,5})* (?<duration>\\d+)', /nested quantifier/],
  ['(a|ab)* (?<duration>\\d+)', /alternatives/],
  ['(?:\\w|\\d)+ (?<duration>\\d+)', /alternatives/],
  ['(?:x|.)* (?<duration>\\d+)', /alternatives/],
  ['.*(?<duration>\\d+)ms', /nothing required between/],
  ['took (?<duration>\\d+\\d+)', /nothing required between/],
  ['\\s*.*\\s*took (?<duration>\\d+)', /nothing required between/],
  ['(?<x>a)\\k<x> (?<duration>\\d+)', /backreference/],
  ['(a)\\1 (?<duration>\\d+)', /backreference/],
];

test('accepted patterns compile and carry a literal for the prefilter when one exists', () => {
  for (const p of ACCEPTED) {
    const r = compilePattern(p, 0);
    assert.ok(r.ok, `${p}: ${r.ok ? '' : r.message}`);
  }
  const r = compilePattern(ACCEPTED[0]!);
  assert.ok(r.ok && r.pattern.literal === 'took ');
  const ci = compilePattern({ regex: ACCEPTED[0]!, flags: 'i' });
  assert.ok(ci.ok && ci.pattern.literal === null, 'no byte literal when case-insensitive');
});

test('patterns that can backtrack catastrophically are refused with the reason', () => {
  for (const [p, why] of REFUSED) {
    const r = compilePattern(p, 2);
    assert.equal(r.ok, false, p);
    if (!r.ok) {
      assert.match(r.message, why, p);
      assert.match(r.message, /^pattern 3: refused: /, p);
    }
  }
});

test('refused shapes really are slow in V8 (the check is not guarding against nothing)', () => {
  // (a+)+ on a failing input: 2^n paths. n = 22 already takes visible time; the scanner caps
  // lines at 64 kB, far beyond what such a pattern survives.
  const re = /^(a+)+$/;
  const t0 = performance.now();
  re.test('a'.repeat(22) + '!');
  const slow = performance.now() - t0;
  const t1 = performance.now();
  /^a+$/.test('a'.repeat(22) + '!');
  assert.ok(slow > 20 * (performance.now() - t1), `${slow} ms`);
});

test('clear messages: no duration group, does not compile, bad flags, bad unit', () => {
  const cases: [Parameters<typeof compilePattern>[0], RegExp][] = [
    ['took (?<ms>\\d+)', /no named group "duration"/],
    ['took (\\d+', /does not compile/],
    [{ regex: 'took (?<duration>\\d+)', flags: 'g' }, /flags may be "i" and "u"/],
    [{ regex: 'took (?<duration>\\d+)', unit: 'fortnights' }, /unknown unit "fortnights"/],
    [{ regex: '', name: 'empty' }, /^pattern "empty": needs a regex source/],
  ];
  for (const [p, why] of cases) {
    const r = compilePattern(p);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, why);
  }
  const all = compilePatterns(['took (?<duration>\\d+)', '(a+)+(?<duration>1)']);
  assert.equal(all.patterns.length, 1);
  assert.equal(all.errors.length, 1);
  assert.match(all.errors[0]!, /^pattern 2:/);
});

test('a custom pattern is tried first and feeds both scanners, with its unit and columns', () => {
  const r = compilePattern({ regex: '^(?<method>[A-Z]+) (?<path>\\S+) -> (?<status>\\d{3}) in (?<duration>[\\d.]+)', unit: 's', name: 'ours' }, 0);
  assert.ok(r.ok);
  const line = 'POST /api/v1/chat -> 200 in 1.75';
  const text = ['noise', line, 'GET /x -> 200 in 0.2'].join('\n');
  const hits = scanLines(text, 0, 10, { thresholdMs: 1000, patterns: [r.pattern] });
  assert.deepEqual(hits.map((h) => [h.line, h.format, h.method, h.path, h.status, h.durationMs, h.slow]), [
    [1, 'custom:0', 'POST', '/api/v1/chat', 200, 1750, true],
    [2, 'custom:0', 'GET', '/x', 200, 200, false],
  ]);
  assert.equal(line.slice(hits[0]!.durationColumns!.start, hits[0]!.durationColumns!.end), '1.75');
  const bytes = scanBuffer(Buffer.from(text), { thresholdMs: 1000, patterns: [r.pattern] });
  assert.deepEqual(bytes.hits.map((h) => h.durationMs), [1750, 200]);
});
