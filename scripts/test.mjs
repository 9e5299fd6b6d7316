#!/usr/bin/env node
// `npm test`: build, then unit tests (dist/test/unit/*.test.js) and integration tests
// (dist/test/integration/*.test.js) through node:test's run() API, then the tests in a
// real VS Code (test/vscode/runner.mjs). Prints every failure (name + error) and ends
// with the line `N passed, N failed`; exits 1 if anything failed.
//
//   node scripts/test.mjs [--unit] [--integration] [--vscode] [--no-build] [--grep TEXT]
// With none of --unit/--integration/--vscode, all three run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { run } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './lib/bootstrap.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
ensureDependencies(ROOT);
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const gi = argv.indexOf('--grep');
const grep = gi >= 0 ? argv[gi + 1] || '' : '';
const only = ['--unit', '--integration', '--vscode'].filter(flag);
const want = (f) => only.length === 0 || only.includes(f);

const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
const indent = (s, n = 6) => String(s).split('\n').map((l) => ' '.repeat(n) + l).join('\n');

function errorText(err) {
  if (!err) return 'failed';
  // node:test wraps a subprocess test's error: the assertion is in .cause.
  const e = err.cause && typeof err.cause === 'object' ? err.cause : err;
  const text = e.stack || e.message || String(e);
  const extra = e.code === 'ERR_ASSERTION' && e.expected !== undefined && !/expected/i.test(text)
    ? `\nexpected: ${JSON.stringify(e.expected)}\nactual:   ${JSON.stringify(e.actual)}` : '';
  const lines = text.split('\n').filter((l) => !/^\s+at .*(node:internal|node:async_hooks)/.test(l));
  return lines.slice(0, 15).join('\n') + extra;
}

/** Runs node:test over `files`; counts tests (not suites) and prints one line per test. */
function runNodeTests(label, files, { concurrency, timeout }) {
  return new Promise((resolveRun) => {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const stream = run({ files, concurrency, timeout });
    const name = (d) => `${label} › ${d.file ? `${basename(d.file, '.test.js')} › ` : ''}${d.name}`;
    stream.on('data', ({ type, data }) => {
      switch (type) {
        case 'test:pass': {
          if (data.details?.type === 'suite') break;
          const skip = data.skip !== undefined || data.todo !== undefined;
          if (skip) { counts.skipped++; console.log(`  ﹣ ${name(data)} # skipped`); } else {
            counts.passed++; console.log(`  ✔ ${name(data)} (${Math.round(data.details?.duration_ms ?? 0)} ms)`);
          }
          break;
        }
        case 'test:fail': {
          const err = data.details?.error;
          // A suite fails when its tests did; count it only if it failed by itself (a hook, a load error).
          if (data.details?.type === 'suite' && (err?.failureType === 'subtestsFailed' || err?.cause?.failureType === 'subtestsFailed')) break;
          if (data.todo !== undefined) { counts.skipped++; break; }
          counts.failed++;
          const text = errorText(err);
          totals.failures.push({ name: name(data), error: text });
          console.log(`  ✖ ${name(data)} (${Math.round(data.details?.duration_ms ?? 0)} ms)\n${indent(text)}`);
          break;
        }
        case 'test:stderr':
        case 'test:stdout':
          if (data.message) process.stdout.write(indent(data.message.trimEnd(), 4) + '\n');
          break;
        default:
      }
    });
    stream.on('error', (e) => {
      counts.failed++;
      totals.failures.push({ name: `${label} runner`, error: errorText(e) });
    });
    stream.on('end', () => resolveRun(counts));
  });
}

function testFiles(dir) {
  const abs = join(ROOT, dir);
  return existsSync(abs) ? readdirSync(abs).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(abs, f)) : [];
}

function add(label, c) {
  totals.passed += c.passed; totals.failed += c.failed; totals.skipped += c.skipped;
  console.log(`${label}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}\n`);
}

/** `npm run package`, then unzip pulse.vsix to a temp folder; returns its extension/ path. */
function packageExtension() {
  console.log('package: npm run package');
  const p = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (p.status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pulse-vsix-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const x = spawnSync('python3', ['-m', 'zipfile', '-e', join(ROOT, 'pulse.vsix'), dir], { stdio: 'inherit' });
  if (x.status !== 0) return undefined;
  console.log(`package: unpacked pulse.vsix into ${dir}\n`);
  return join(dir, 'extension');
}

async function main() {
  const t0 = Date.now();
  if (!flag('--no-build')) {
    console.log('build: node scripts/build.mjs');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) {
      totals.failed++;
      totals.failures.push({ name: 'build', error: `node scripts/build.mjs exited with ${b.status ?? b.signal}` });
      return;
    }
  }
  for (const [label, dir, opts] of [
    ['unit', 'test/unit', { concurrency: Math.max(1, availableParallelism()), timeout: 120_000 }],
    // Integration tests start real servers (prometheus, the demo): one file at a time.
    ['integration', 'test/integration', { concurrency: 1, timeout: 10 * 60_000 }],
  ]) {
    if (!want(`--${label}`)) continue;
    const files = testFiles(`dist/${dir}`);
    if (!files.length) { console.log(`${label}: no test files in dist/${dir}\n`); continue; }
    console.log(`${label}: ${files.length} file(s)`);
    add(label, await runNodeTests(label, files, opts));
  }
  if (want('--vscode')) {
    const { runVSCodeTests } = await import('../test/vscode/runner.mjs');
    // The extension host loads the packaged .vsix (unpacked), not the source tree, so the
    // tests cover what users install: the production bundles and .vscodeignore.
    const extensionPath = flag('--dev') ? ROOT : packageExtension();
    const r = extensionPath ? await runVSCodeTests({ root: ROOT, grep, extensionPath }) : { passed: 0, failed: 1, skipped: 0, failures: [{ name: 'package', error: 'npm run package failed (see above)' }] };
    totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped;
    totals.failures.push(...r.failures);
    console.log('');
  }
  console.log(`(${Math.round((Date.now() - t0) / 1000)} s)`);
}

main()
  .catch((e) => {
    totals.failed++;
    totals.failures.push({ name: 'test runner', error: errorText(e) });
  })
  .finally(() => {
    if (totals.failures.length) {
      console.log(`Failures (${totals.failures.length}):`);
      for (const f of totals.failures) console.log(`  ✖ ${f.name}\n${indent(f.error)}`);
      console.log('');
    }
    console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
    process.exitCode = totals.failed > 0 ? 1 : 0;
  });
