#!/usr/bin/env node
// `npm run bench`: every benchmark in turn (each compares against its public peer in the same run).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
let failed = 0;
for (const b of ['parser.mjs', 'logs.mjs', 'dashboard-host.mjs', 'webview.mjs', 'load.mjs', 'extension.mjs']) {
  console.log(`\n== ${b} ==`);
  const r = spawnSync(process.execPath, [dir + b, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
