#!/usr/bin/env node
// Extension cost: production bundle size (target < 1 MB) and activation time measured inside
// the real VS Code extension host (code-server), bundle load + activate() (target < 50 ms).
//
//   node bench/extension.mjs [--runs 3]
//
// Activation comes from the in-host test "starts idle", which records the extension's own
// measurement (a banner at the top of the bundle stamps load start) in test-artifacts.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

const sh = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}`);
  return r.stdout;
};

sh('node', ['scripts/build.mjs']);
sh('node', ['scripts/build.mjs', '--production']);
const bundle = readFileSync(join(ROOT, 'dist', 'extension.js'));
const sizes = { extension_bytes: bundle.length, extension_gzip_bytes: gzipSync(bundle).length, vsix_files: {} };
for (const f of ['cli.js', 'demo.js']) sizes.vsix_files[f] = statSync(join(ROOT, 'dist', f)).size;

const activations = [];
for (let i = 0; i < runs; i++) {
  const artifacts = mkdtempSync(join(tmpdir(), 'pulse-bench-act-'));
  sh('node', ['test/vscode/runner.mjs', '--grep', 'starts idle', '--no-ui'], { PULSE_TEST_ARTIFACTS: artifacts });
  const a = JSON.parse(readFileSync(join(artifacts, 'activation.json'), 'utf8'));
  console.log(`run ${i + 1}: ${a.activationMs.toFixed(1)} ms (code loading ${a.loadMs.toFixed(1)} ms, activate() ${a.callMs.toFixed(1)} ms)`);
  activations.push(a.activationMs);
}
activations.sort((a, b) => a - b);
const median = activations[Math.floor(activations.length / 2)];
const result = { date: new Date().toISOString(), ...sizes, activation_ms_runs: activations, activation_ms_median: median, targets: { bundle_bytes: 1_000_000, activation_ms: 50 } };

console.log('| measure | value | target | ratio to target |');
console.log('|---|--:|--:|--:|');
console.log(`| extension bundle (minified) | ${(sizes.extension_bytes / 1024).toFixed(0)} kB (${(sizes.extension_gzip_bytes / 1024).toFixed(0)} kB gzip) | < 1000 kB | ${(sizes.extension_bytes / 1_000_000).toFixed(2)} |`);
console.log(`| activation in real VS Code (median of ${runs}) | ${median.toFixed(1)} ms | < 50 ms | ${(median / 50).toFixed(2)} |`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'extension.json'), JSON.stringify(result, null, 2));
sh('node', ['scripts/build.mjs']);
