#!/usr/bin/env node
// `npm run demo`: the README's live demo. Builds Pulse, starts the bundled demo service
// (dist/demo.js, a small web service with Prometheus metrics and its own traffic), and a
// real VS Code (code-server, in the browser) on 127.0.0.1 with Pulse loaded and a sample
// workspace whose settings point Pulse at the demo's /metrics. Ctrl-C stops everything.
//
//   node scripts/demo.mjs [--port 8765] [--demo-port 8000] [--traffic 10] [--no-build] [--check]
//
// --check: instead of waiting for Ctrl-C, open the URL in headless chromium, wait until
// Pulse's status bar shows the demo's p95, save test-artifacts/demo.png and exit (0 = it works).
//
// How Pulse is loaded: this repo is symlinked into code-server's (fresh) extensions dir as
// `<publisher>.<name>-<version>`, so Pulse loads as an installed extension in every page of
// that server, whatever address the browser uses (127.0.0.1, localhost, a forwarded port).
// Both ways were tried and work; the alternative, the workbench URL's `payload` with
// extensionDevelopmentPath (what test/vscode/runner.mjs uses, honoured because code-server
// runs with `--vscode-option enable-smoke-test-driver`), needs the exact long URL and breaks
// if the page is opened under another host:port, so the demo doesn't use it.
// After changing Pulse: `npm run build`, then reload the page.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './lib/bootstrap.mjs';
import {
  cacheDir, ensureCodeServer, freePort, handleSignalsYourself, spawnGroup, startCodeServer, waitFor,
} from './lib/codeserver.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
ensureDependencies(ROOT);
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt; };

/** Workspace settings pointing Pulse at the demo service. */
function demoSettings(baseUrl) {
  return {
    'pulse.endpoints': [{ name: 'Pulse demo service', url: `${baseUrl}/metrics` }],
  };
}

async function startDemoService(wantPort, traffic, cwd) {
  const port = await freePort(wantPort);
  if (port !== wantPort) console.log(`[demo] port ${wantPort} is taken, using ${port}`);
  const proc = spawnGroup(process.execPath, [join(ROOT, 'dist', 'demo.js'), '--port', String(port), '--traffic', String(traffic)], {
    cwd, stdout: 'pipe', stderr: 'pipe',
  });
  let url = null;
  let lastLines = [];
  for (const [s, out] of [[proc.child.stdout, process.stdout], [proc.child.stderr, process.stderr]]) {
    createInterface({ input: s }).on('line', (line) => {
      const m = /^PULSE_DEMO_LISTENING (\S+)/.exec(line);
      if (m) url = m[1].replace(/\/+$/, '');
      lastLines = [...lastLines.slice(-20), line];
      // Until it is up, and errors always; after that its stdout (request logs) only with
      // PULSE_VERBOSE=1: it goes to demo-service.log in the workspace anyway.
      if (!m && (!url || out === process.stderr || process.env.PULSE_VERBOSE === '1')) out.write(`[demo] ${line}\n`);
    });
  }
  try {
    await waitFor(() => url, {
      timeoutMs: 30_000, intervalMs: 100, what: 'the demo service to print PULSE_DEMO_LISTENING',
      abort: () => (proc.isExited() ? `dist/demo.js exited:\n${lastLines.join('\n')}` : null),
    });
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { url, port, exited: proc.exited, stop: () => proc.stop() };
}

/** --check: the page shows Pulse connected to the demo (a p95 in the status bar). */
async function check(url) {
  const { launchChromium, uiHelpers } = await import('../test/vscode/runner.mjs');
  const artifacts = join(ROOT, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pulseErrors = [];
    page.on('console', (m) => { if (m.type() === 'error' && /pulse/i.test(m.text())) pulseErrors.push(m.text()); });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const helpers = uiHelpers(page, artifacts);
    await helpers.waitForWorkbench();
    const item = helpers.statusBarItems(/p95/).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 60_000 });
    } catch {
      await page.screenshot({ path: join(artifacts, 'demo.png') });
      const seen = await helpers.statusBarItems().allTextContents();
      throw new Error(`Pulse showed no p95 from the demo within 60 s (status bar: ${seen.map((t) => t.trim()).filter(Boolean).join(' | ')}; see test-artifacts/demo.png)${
        pulseErrors.length ? `\nerrors logged:\n  ${pulseErrors.slice(0, 5).join('\n  ')}` : ''}`);
    }
    await page.screenshot({ path: join(artifacts, 'demo.png') });
    console.log(`[demo] check passed: status bar shows "${(await item.textContent())?.trim()}" (${join(artifacts, 'demo.png')})`);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  if (!argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  if (!existsSync(join(ROOT, 'dist', 'demo.js'))) throw new Error('dist/demo.js missing after the build');

  const cleanups = [];
  let stopping = null;
  const stopAll = () => (stopping ??= (async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error(`[demo] cleanup: ${e.message}`));
  })());
  // Ctrl-C / kill: stop the servers, then exit (a second Ctrl-C exits at once; the
  // process-group guards still take the servers down).
  handleSignalsYourself();
  let signals = 0;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (++signals > 1) process.exit(130);
      console.log('\n[demo] stopping…');
      stopAll().finally(() => process.exit(0));
    });
  }
  try {
    await ensureCodeServer();
    // The sample workspace; the demo service runs in it, so its slow-request log shows up there.
    const workspace = join(cacheDir(), 'demo-workspace');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    const demo = await startDemoService(Number(opt('--demo-port', 8000)), Number(opt('--traffic', 10)), workspace);
    cleanups.push(demo.stop);
    console.log(`[demo] demo service on ${demo.url} (metrics: ${demo.url}/metrics)`);

    writeFileSync(join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(demoSettings(demo.url), null, 2)}\n`);
    // A scenario to run against the demo (Run CodeLens, or "Pulse: Run Load Test…").
    writeFileSync(join(workspace, 'forecast.loadtest.json'), `${JSON.stringify({
      name: 'forecast steady', target: demo.url, model: { kind: 'open', rate: 100 }, profile: 'steady', duration: '20s',
      requests: [
        { method: 'GET', path: '/api/v1/forecast?city=Berlin', weight: 3 },
        { method: 'GET', path: '/api/v1/users/{{$randomInt 1 500}}', weight: 2 },
        { method: 'POST', path: '/api/v1/chat', headers: { 'content-type': 'application/json' }, body: '{"message": "hello"}' },
      ],
    }, null, 2)}\n`);
    writeFileSync(join(workspace, 'README.md'), [
      '# Pulse demo workspace', '',
      `Pulse watches the demo service at ${demo.url}/metrics (see .vscode/settings.json). Things to try:`, '',
      '- **Pulse: Open Dashboard** (or click the status bar item).',
      '- **Pulse: Degrade Demo Service…** and watch the indicator turn after the hold time.',
      '- Open `demo-service.log`: its slow requests are highlighted; hover one. **Pulse: Follow Log File…** on it feeds the dashboard and the status bar.',
      '- Open `forecast.loadtest.json` and click **Run load test** above it; then **Pulse: Save Run as Baseline…**, degrade the demo, run again and **Pulse: Compare with Baseline…**.',
      '',
    ].join('\n'));

    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const srv = await startCodeServer({
      workspace,
      port: Number(opt('--port', 8765)),
      extensions: [{ id: `${pkg.publisher}.${pkg.name}-${pkg.version}`, path: ROOT }],
    });
    cleanups.push(srv.stop);
    const url = srv.workbenchUrl();

    if (argv.includes('--check')) {
      await check(url);
      await stopAll();
      return;
    }
    console.log(`
  Pulse live demo is running.

  Open VS Code (in your browser) with Pulse loaded:

    ${url}

  demo service : ${demo.url}  (metrics at ${demo.url}/metrics)
  code-server  : ${srv.url}  (log: ${srv.logFile})
  workspace    : ${workspace}

  Press Ctrl-C to stop.
`);
    // Runs until Ctrl-C (the signal handler stops everything and exits) or a server dies.
    const died = await Promise.race([
      srv.exited.then(() => `code-server exited (log: ${srv.logFile})`),
      demo.exited.then(({ code, signal }) => `the demo service exited (${code ?? signal})`),
    ]);
    if (!stopping) throw new Error(died);
    await new Promise(() => {}); // stopping: the signal handler exits
  } catch (e) {
    await stopAll();
    throw e;
  }
}

main().catch((e) => { console.error(`[demo] ${e.message}`); process.exit(1); });
