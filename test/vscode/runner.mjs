#!/usr/bin/env node
// Runs Pulse's tests in a real VS Code: code-server (VS Code's server build, from npm)
// driven by Debian's chromium through playwright-core. See shared/notes/real-vscode-in-ci.md.
//
//  1. In-host suite: the workbench is opened with a payload that loads the repo as the
//     extension under development and dist/test/vscode/suite/index.js as the tests module.
//     The suite runs inside the real extension host and writes per-test results to the
//     JSON file named by PULSE_TEST_RESULTS; the workbench reports the exit code through
//     window.codeAutomationExit.
//  2. UI checks: each test/vscode/ui/*.mjs (not starting with "_") exports
//        export async function run({ page, url, workspace, artifacts, server, helpers }) {}
//     (optional: `export const timeout = ms`). Each gets a fresh browser context already
//     showing the workbench with Pulse loaded (development mode, no tests), and counts
//     as one test: it passes unless it throws.
//
// Usage: node test/vscode/runner.mjs [--grep TEXT] [--no-ui] [--ui-only] [--ui NAME] [--verbose]
// (--ui NAME runs only the UI checks whose file name contains NAME; NAME,NAME2 for several.)
// (build first: node scripts/build.mjs). Env:
//   PULSE_VSCODE_TIMEOUT_MS   overall bound for the in-host suite (default 10 min)
//   PULSE_TEST_TIMEOUT_MS     default per-test timeout inside the host (default 30 s)
//   PULSE_VERBOSE=1           echo code-server output and the browser console
//   PULSE_CACHE_DIR           where code-server is installed (default ~/.cache/pulse)
//   PULSE_TEST_ARTIFACTS      artifacts folder (default <repo>/test-artifacts)
// Optional inputs: test/vscode/settings.json (user settings for the run, merged over
// defaults), test/vscode/workspace/ (copied into the fresh workspace folder).
// Outputs in test-artifacts/: vscode-results.json, workbench.png, browser-console.log,
// code-server.log, ui-*.png.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeOnExit, startCodeServer, waitFor } from '../../scripts/lib/codeserver.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PULSE_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: apt-get install -y chromium`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function errText(e) {
  const text = (e && (e.stack || e.message)) ? String(e.stack || e.message) : String(e);
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => !/^\s+at .*(node:internal|node_modules\/playwright-core)/.test(l)).slice(0, 12).join('\n');
}

/** Helpers handed to UI checks (ctx.helpers). */
export function uiHelpers(page, artifacts) {
  const helpers = {
    /** Waits until the workbench (with its status bar) is on screen. */
    async waitForWorkbench(timeout = 60_000) {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
      await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout });
    },
    /** Status bar items (all, or those whose text matches `text`: string or RegExp). */
    statusBarItems(text) {
      const items = page.locator('#workbench\\.parts\\.statusbar .statusbar-item');
      return text ? items.filter({ hasText: text }) : items;
    },
    /** Runs a command by its title through the command palette (F1). */
    // Retries: right after the workbench appears, the palette may not list extension
    // commands yet (contributions still being registered).
    async runCommand(title, timeout = 30_000) {
      const deadline = Date.now() + timeout;
      for (let attempt = 1; ; attempt++) {
        await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => {});
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: Math.min(5000, Math.max(1000, deadline - Date.now())) });
          // Enter runs the focused (first) match; clicking can land on a restored editor's tabs.
          if ((await row.getAttribute('data-index')) === '0') await page.keyboard.press('Enter');
          else await row.click();
          return;
        } catch (e) {
          await page.keyboard.press('Escape');
          if (Date.now() > deadline) throw new Error(`command "${title}" not in the palette after ${attempt} tries: ${e.message}`);
          await page.waitForTimeout(1000);
        }
      }
    },
    /** Screenshot of the page (or of `locator`) into the artifacts folder; returns the path. */
    async screenshot(name, locator) {
      const path = join(artifacts, name.endsWith('.png') ? name : `${name}.png`);
      await (locator ?? page).screenshot({ path });
      return path;
    },
  };
  return helpers;
}

/**
 * Runs the in-host suite and the UI checks; resolves to
 * {passed, failed, skipped, failures: [{name, error}], tests: [{name, status, ms, error?}]}.
 */
export async function runVSCodeTests({
  root = ROOT, grep = '', ui = true, uiFilter = '', host = true, verbose = process.env.PULSE_VERBOSE === '1',
  // The extension under test: the repo itself, or an unpacked .vsix (scripts/test.mjs).
  extensionPath = root,
  timeoutMs = Number(process.env.PULSE_VSCODE_TIMEOUT_MS) || 10 * 60_000,
  print = (s) => console.log(s),
} = {}) {
  const totals = { passed: 0, failed: 0, skipped: 0, failures: [], tests: [] };
  const record = (name, status, ms, error) => {
    totals.tests.push({ name, status, ms, ...(error ? { error } : {}) });
    if (status === 'passed') totals.passed++;
    else if (status === 'skipped') totals.skipped++;
    else { totals.failed++; totals.failures.push({ name, error: error || 'failed' }); }
    const mark = status === 'passed' ? '✔' : status === 'skipped' ? '﹣' : '✖';
    print(`  ${mark} ${name}${ms != null ? ` (${ms} ms)` : ''}${status === 'skipped' ? ' # skipped' : ''}`);
    if (error) print(error.split('\n').map((l) => `      ${l}`).join('\n'));
  };

  const extensionMain = join(extensionPath, 'dist', 'extension.js');
  const suiteIndex = join(root, 'dist', 'test', 'vscode', 'suite', 'index.js');
  const uiDir = join(root, 'test', 'vscode', 'ui');
  const uiChecks = ui && existsSync(uiDir)
    ? readdirSync(uiDir).filter((f) => f.endsWith('.mjs') && !f.startsWith('_') && uiFilter.split(',').some((u) => f.includes(u))).sort() : [];
  for (const [file, what] of [[extensionMain, 'the extension bundle'], ...(host ? [[suiteIndex, 'the in-host suite']] : [])]) {
    if (!existsSync(file)) {
      record('vscode: setup', 'failed', null, `${what} ${file} is missing: run node scripts/build.mjs first`);
      return totals;
    }
  }

  const artifacts = resolve(process.env.PULSE_TEST_ARTIFACTS || join(root, 'test-artifacts'));
  mkdirSync(artifacts, { recursive: true });
  const resultsFile = join(artifacts, 'vscode-results.json');
  rmSync(resultsFile, { force: true });
  const consoleLog = join(artifacts, 'browser-console.log');
  writeFileSync(consoleLog, '');

  const workspace = mkdtempSync(join(tmpdir(), 'pulse-test-ws-'));
  removeOnExit(workspace);
  const fixture = join(root, 'test', 'vscode', 'workspace');
  if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
  const settingsFile = join(root, 'test', 'vscode', 'settings.json');
  const settings = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};

  const serverEnv = {
    PULSE_TEST_RESULTS: resultsFile,
    PULSE_TEST_ARTIFACTS: artifacts,
    PULSE_TEST_WORKSPACE: workspace,
    PULSE_TEST_GREP: grep,
    ...(process.env.PULSE_TEST_TIMEOUT_MS ? { PULSE_TEST_TIMEOUT_MS: process.env.PULSE_TEST_TIMEOUT_MS } : {}),
  };
  let server;
  let browser;
  const t0 = Date.now();
  try {
    print(`vscode: starting code-server${grep ? ` (grep "${grep}")` : ''}…`);
    server = await startCodeServer({
      workspace,
      settings,
      verbose,
      logFile: join(artifacts, 'code-server.log'),
      env: serverEnv,
    });
    browser = await launchChromium();
    print(`vscode: code-server ${server.version} on ${server.url}, chromium up (${Date.now() - t0} ms)`);

    const newPage = async (label) => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      // The newest errors go into a failing UI check's message: CI keeps only what is printed.
      const errors = [];
      page.on('console', (m) => {
        const line = `[${label}] ${m.type()}: ${m.text()}\n`;
        if (m.type() === 'error' && !/open-vsx\.org|Failed to load resource|Long running operations/.test(m.text())) errors.push(m.text().slice(0, 300));
        writeFileSync(consoleLog, line, { flag: 'a' });
        if (verbose) process.stderr.write(line);
      });
      page.on('pageerror', (e) => {
        errors.push(`pageerror: ${String(e?.message ?? e).slice(0, 300)}`);
        writeFileSync(consoleLog, `[${label}] pageerror: ${errText(e)}\n`, { flag: 'a' });
      });
      return { context, page, errors };
    };

    /** Runs the in-host suite in a fresh page of `srv`; records its tests under `prefix`. */
    const hostSuite = async (srv, label, prefix) => {
      rmSync(resultsFile, { force: true });
    const { context, page } = await newPage(label);
    let exitCode = null;
    await page.exposeFunction('codeAutomationExit', async (code) => { exitCode = Number(code); });
    let crashed = null;
    page.on('crash', () => { crashed = 'the browser page crashed'; });
    const readResults = () => {
      try { return JSON.parse(readFileSync(resultsFile, 'utf8')); } catch { return null; }
    };
    const url = srv.workbenchUrl({ payload: srv.devPayload(extensionPath, suiteIndex) });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    let timedOut = null;
    let doneAt = null;
    try {
      await waitFor(() => {
        if (exitCode !== null) return true;
        // Results say done but the exit call never came: give it 30 s, then go on.
        const r = readResults();
        if (r?.done) { doneAt ??= Date.now(); if (Date.now() - doneAt > 30_000) return true; }
        return false;
      }, {
        timeoutMs, intervalMs: 250, what: 'the in-host suite to finish',
        abort: () => crashed || (srv.isExited() ? 'code-server exited' : null),
      });
    } catch (e) {
      timedOut = e.message;
    }
    await page.screenshot({ path: join(artifacts, `${label === 'suite' ? 'workbench' : `workbench-${label}`}.png`) }).catch(() => {});
    await context.close().catch(() => {});
    const r = readResults();
    if (r) {
      for (const t of r.tests ?? []) record(`${prefix}${t.name}`, t.status, t.ms, t.error);
      if (r.current) record(`${prefix}${r.current}`, 'failed', null, `did not finish: ${timedOut || 'extension host went away'}`);
    }
    const failedInHost = r ? r.failed : 0;
    if (!r) {
      record(`${prefix}in-host suite`, 'failed', null,
        `no results from the extension host (${timedOut || (exitCode !== null ? `exit code ${exitCode}` : 'no exit code')}). `
        + `Did the extension or the suite fail to load? See ${consoleLog} and ${join(artifacts, 'code-server.log')}`);
    } else if (timedOut && !r.current) {
      record(`${prefix}in-host suite`, 'failed', null, timedOut);
    } else if (exitCode !== null && exitCode !== 0 && failedInHost === 0) {
      record(`${prefix}in-host suite`, 'failed', null, `extension host exited with code ${exitCode} although no test failed (see ${consoleLog})`);
    }
    };

    // 1. The in-host suite.
    if (host) await hostSuite(server, 'suite', 'vscode › ');

    // 2. UI checks, each in a fresh page with Pulse loaded and no tests.
    for (const file of uiChecks) {
      const name = `vscode-ui › ${basename(file, '.mjs')}`;
      const started = Date.now();
      const { context, page, errors } = await newPage(basename(file, '.mjs'));
      const helpers = uiHelpers(page, artifacts);
      try {
        const mod = await import(pathToFileURL(join(uiDir, file)).href);
        if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
        const url = server.workbenchUrl({ payload: server.devPayload(extensionPath) });
        const timeout = Number(mod.timeout) || 120_000;
        let timer;
        await Promise.race([
          (async () => {
            await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
            await helpers.waitForWorkbench();
            await mod.run({ page, url, workspace, artifacts, server, helpers });
          })(),
          new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${timeout} ms`)), timeout); }),
        ]).finally(() => clearTimeout(timer));
        record(name, 'passed', Date.now() - started);
      } catch (e) {
        const shot = join(artifacts, `ui-${basename(file, '.mjs')}-failure.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        const consoleErrors = errors.length ? `\n(console errors, newest last: ${errors.slice(-6).join(' | ')})` : '';
        record(name, 'failed', Date.now() - started, `${errText(e)}\n(screenshot: ${shot})${consoleErrors}`);
      } finally {
        await context.close().catch(() => {});
      }
    }

    // 3. The same suite's { untrusted: true } tests, in a workspace left untrusted (Restricted Mode).
    if (host) {
      await server.stop().catch(() => {});
      server = await startCodeServer({
        workspace, settings, verbose, trusted: false,
        logFile: join(artifacts, 'code-server-untrusted.log'),
        env: { ...serverEnv, PULSE_TEST_MODE: 'untrusted' },
      });
      await hostSuite(server, 'untrusted', 'vscode › untrusted › ');
    }
  } catch (e) {
    record('vscode: harness', 'failed', null, errText(e));
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  }
  print(`vscode: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''} in ${Math.round((Date.now() - t0) / 1000)} s`);
  if (totals.failed) print(`vscode: the extension's own errors are in ${consoleLog}; screenshots and code-server.log in ${artifacts}`);
  return totals;
}

async function main() {
  const argv = process.argv.slice(2);
  const gi = argv.indexOf('--grep');
  const r = await runVSCodeTests({
    grep: gi >= 0 ? argv[gi + 1] || '' : '',
    ui: !argv.includes('--no-ui'),
    uiFilter: argv.includes('--ui') ? argv[argv.indexOf('--ui') + 1] || '' : '',
    host: !argv.includes('--ui-only'),
    verbose: argv.includes('--verbose') || process.env.PULSE_VERBOSE === '1',
  });
  if (r.failures.length) {
    console.log('\nFailures:');
    for (const f of r.failures) console.log(`  ✖ ${f.name}\n${f.error.split('\n').map((l) => `      ${l}`).join('\n')}`);
  }
  console.log(`${r.passed} passed, ${r.failed} failed`);
  process.exitCode = r.failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(errText(e)); process.exit(1); });
}
