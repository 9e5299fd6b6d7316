// Entry point of the in-host suite (extensionTestsPath = dist/test/vscode/suite/index.js).
// The workbench calls run() inside the real extension host once the extension under
// development is loaded. Every *.test.js next to this bundle (one per
// test/vscode/suite/*.test.ts, see scripts/build.mjs) is loaded at run time, so a new
// test file needs no registration here; they run in file-name order.
// Results go to the JSON file named by PULSE_TEST_RESULTS (set by test/vscode/runner.mjs),
// rewritten after each test so a hang still leaves partial results.
import { readdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { errorText, runAll, type Results, type TestFailure } from './harness';

function writeResults(r: Results): void {
  const file = process.env.PULSE_TEST_RESULTS;
  if (!file) return;
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(r, null, 2));
    renameSync(`${file}.tmp`, file);
  } catch (e) {
    console.error(`[pulse-tests] cannot write ${file}: ${String(e)}`);
  }
}

export async function run(): Promise<void> {
  const loadErrors: TestFailure[] = [];
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  const load: (id: string) => unknown = require;
  for (const f of files) {
    try { load(join(__dirname, f)); } catch (e) {
      loadErrors.push({ name: `load ${f}`, error: errorText(e) });
    }
  }
  const results = await runAll(writeResults, loadErrors);
  for (const t of results.tests) console.log(`[pulse-tests] ${t.status.toUpperCase()} ${t.name} (${t.ms} ms)${t.error ? `\n${t.error}` : ''}`);
  console.log(`[pulse-tests] ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  if (results.failed > 0) throw new Error(`${results.failed} test(s) failed`);
}
