// A tiny test framework for the extension host (no mocha): tests register with
// test(name, fn), index.ts runs them in order with a per-test timeout and writes
// a JSON results file that test/vscode/runner.mjs reads.
//
// The registry lives on globalThis because every suite file is bundled on its own
// (each bundle carries its own copy of this module) and index.ts loads them at run time.
//
//   import { test } from './harness';
//   test('does a thing', async () => { ... }, { timeout: 60_000 });
//   test.skip('not yet', () => {});
//   beforeAll(fn) / afterAll(fn): run once around the whole suite.
//
// Env (inherited from code-server, set by the runner):
//   PULSE_TEST_RESULTS     path of the results JSON
//   PULSE_TEST_GREP        only run tests whose name contains this (case-insensitive)
//   PULSE_TEST_TIMEOUT_MS  default per-test timeout (30 s)
//   PULSE_TEST_MODE        "untrusted": run only the tests registered with { untrusted: true }

export type TestFn = () => unknown | Promise<unknown>;
/** `untrusted`: the test runs only in the runner's second pass, a workspace left untrusted (Restricted Mode). */
export interface TestOptions { timeout?: number; skip?: boolean; untrusted?: boolean }
interface TestCase { name: string; fn: TestFn; timeout?: number; skip: boolean; untrusted: boolean }
export interface TestFailure { name: string; error: string }
export interface TestResult { name: string; status: 'passed' | 'failed' | 'skipped'; ms: number; error?: string }
export interface Results {
  passed: number; failed: number; skipped: number;
  failures: TestFailure[]; tests: TestResult[]; done: boolean; current?: string;
}

interface Registry { tests: TestCase[]; before: TestFn[]; after: TestFn[] }
const g = globalThis as unknown as { __pulseTestRegistry?: Registry };
export const registry: Registry = (g.__pulseTestRegistry ??= { tests: [], before: [], after: [] });

function opts(o?: TestOptions | number): TestOptions { return typeof o === 'number' ? { timeout: o } : o ?? {}; }

export function test(name: string, fn: TestFn, options?: TestOptions | number): void {
  const o = opts(options);
  registry.tests.push({ name, fn, timeout: o.timeout, skip: !!o.skip, untrusted: !!o.untrusted });
}
test.skip = (name: string, fn: TestFn, options?: TestOptions | number) => test(name, fn, { ...opts(options), skip: true });
export function beforeAll(fn: TestFn): void { registry.before.push(fn); }
export function afterAll(fn: TestFn): void { registry.after.push(fn); }

/** An error's stack without the frames of Node and of VS Code's extension host. */
export function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (!(e instanceof Error)) { try { return JSON.stringify(e); } catch { return String(e); } }
  const lines = (e.stack || `${e.name}: ${e.message}`).split('\n');
  const kept = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || !/node:internal|node:async_hooks|extensionHostProcess\.js|\(<anonymous>\)|\/harness\.ts:|runAll \(/.test(l));
  return kept.slice(0, 15).join('\n');
}

function withTimeout(fn: TestFn, ms: number, what: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve().then(fn),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs every registered test in order; `report` is called after each one (for partial results).
 * `loadErrors` (test files that failed to load) are counted as failed tests.
 */
export async function runAll(report: (r: Results) => void = () => {}, loadErrors: TestFailure[] = []): Promise<Results> {
  const grep = (process.env.PULSE_TEST_GREP || '').toLowerCase();
  const untrustedPass = process.env.PULSE_TEST_MODE === 'untrusted';
  const defaultTimeout = Number(process.env.PULSE_TEST_TIMEOUT_MS) || 30_000;
  const r: Results = { passed: 0, failed: 0, skipped: 0, failures: [], tests: [], done: false };
  const fail = (name: string, e: unknown, ms: number) => {
    const error = errorText(e);
    r.failed++; r.failures.push({ name, error }); r.tests.push({ name, status: 'failed', ms, error });
  };
  for (const l of loadErrors) fail(l.name, l.error, 0);
  for (const [i, fn] of registry.before.entries()) {
    try { await withTimeout(fn, defaultTimeout * 2, 'beforeAll'); } catch (e) { fail(`beforeAll #${i + 1}`, e, 0); }
  }
  const setupFailed = r.failed > loadErrors.length;
  for (const t of registry.tests) {
    if (grep && !t.name.toLowerCase().includes(grep)) continue;
    if (t.untrusted !== untrustedPass) continue;
    if (t.skip || setupFailed) {
      r.skipped++; r.tests.push({ name: t.name, status: 'skipped', ms: 0 });
      continue;
    }
    r.current = t.name; report(r);
    const t0 = Date.now();
    try {
      await withTimeout(t.fn, t.timeout ?? defaultTimeout, `test "${t.name}"`);
      r.passed++; r.tests.push({ name: t.name, status: 'passed', ms: Date.now() - t0 });
    } catch (e) {
      fail(t.name, e, Date.now() - t0);
    }
    r.current = undefined; report(r);
  }
  for (const [i, fn] of registry.after.entries()) {
    try { await withTimeout(fn, defaultTimeout * 2, 'afterAll'); } catch (e) { fail(`afterAll #${i + 1}`, e, 0); }
  }
  r.done = true; report(r);
  return r;
}
