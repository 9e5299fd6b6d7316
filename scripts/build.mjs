// One build for every program Pulse ships: the extension host bundle, the CLI,
// the demo service (its own process), and the test bundles.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const withTests = !production;
const root = new URL('..', import.meta.url).pathname;

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

function testEntries(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

// A production build replaces only the shipped bundles, so built tests can run against them.
if (production) for (const f of ['extension.js', 'cli.js', 'demo.js', 'load-worker.js', 'logs-worker.js', 'webview/webview.js', 'webview/webview.css']) for (const x of ['', '.map']) rmSync(join(root, 'dist', f + x), { force: true });
else rmSync(join(root, 'dist'), { recursive: true, force: true });

const builds = [
  // The banner stamps when the bundle starts loading, so activation time includes module load.
  esbuild.build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'], banner: { js: 'globalThis.__pulseLoadStart = performance.now();' } }),
  esbuild.build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: { demo: 'src/demo/main.ts' }, outdir: 'dist' }),
  // Load runs go on a worker thread (src/core/load/worker.ts), off the extension host's loop.
  esbuild.build({ ...common, entryPoints: { 'load-worker': 'src/core/load/worker-main.ts' }, outdir: 'dist' }),
  // Big log files are analysed in parts on worker threads (src/core/logs/analyze-parallel.ts).
  esbuild.build({ ...common, entryPoints: { 'logs-worker': 'src/core/logs/worker-main.ts' }, outdir: 'dist' }),
];
if (existsSync(join(root, 'webview/main.ts'))) {
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist/webview' }));
}
if (withTests) {
  for (const dir of ['test/unit', 'test/integration']) {
    const entries = testEntries(dir);
    if (entries.length) builds.push(esbuild.build({ ...common, entryPoints: entries, outdir: join('dist', dir), external: ['vscode'] }));
  }
  const vs = testEntries('test/vscode/suite');
  if (vs.length) builds.push(esbuild.build({ ...common, entryPoints: vs, outdir: 'dist/test/vscode/suite', external: ['vscode'] }));
}
await Promise.all(builds);
