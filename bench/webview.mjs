#!/usr/bin/env node
// Dashboard webview cost: the time to apply one tick (target < 16 ms, one frame) with 1 h of
// history at 1 s (3600 points) and 50 routes, in Debian's Chromium, plus the bundle size.
//
//   node bench/webview.mjs [--ticks 200] [--no-build] [--no-screenshots] [--headed] [--profile]
//
// Bundles webview/main.ts to dist/webview/webview.js (+ .css) as scripts/build.mjs does (and a
// minified copy in bench/.data/ for the shipped size), serves a page on loopback with the host's
// CSP (nonce'd scripts only, styles from the page's origin only) and an acquireVsCodeApi stub that
// collects what the webview posts, sends `init` then `tick` messages with window.postMessage, and
// reads `perf` (tickMs, measured by the webview around applying a tick including uPlot's draw)
// and the heatmap's own draw time (performance measures, drawn in the next animation frame).
// Also screenshots the dashboard with realistic data, dark and light, into test-artifacts/.
// Writes bench/results/webview.json (gitignored).
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { mulberry32 } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const TICKS = Number(arg('--ticks', 200));
const TARGET_MS = 16;
const ROUTES = 50;
const HISTORY = 3600;
const STEP = 1000;

// ── build ─────────────────────────────────────────────────────────────────────
const webviewBuild = { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'webview/main.ts' }, absWorkingDir: ROOT, logLevel: 'warning' };
if (!argv.includes('--no-build')) {
  await esbuild.build({ ...webviewBuild, outdir: 'dist/webview', sourcemap: 'linked' });
}
await esbuild.build({ ...webviewBuild, outdir: 'bench/.data', minify: true, sourcemap: false });
const js = readFileSync(join(ROOT, 'dist/webview/webview.js'));
const css = readFileSync(join(ROOT, 'dist/webview/webview.css'));
const minJs = readFileSync(join(ROOT, 'bench/.data/webview.js'));
const minCss = readFileSync(join(ROOT, 'bench/.data/webview.css'));
const sizes = {
  webview_js_bytes: js.length,
  webview_css_bytes: css.length,
  minified_js_bytes: minJs.length,
  minified_js_gzip_bytes: gzipSync(minJs).length,
  minified_css_bytes: minCss.length,
};

// ── realistic data ────────────────────────────────────────────────────────────
const rnd = mulberry32(42);
const noise = (s) => 1 + (rnd() - 0.5) * s;
const HEAT_BOUNDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, null];
const VERBS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const NOUNS = ['forecast', 'chat', 'search', 'users', 'orders', 'items', 'cart', 'checkout', 'auth/login', 'auth/refresh', 'reports', 'metrics', 'files', 'images', 'billing', 'invoices', 'teams', 'projects', 'tasks', 'comments', 'notifications', 'settings', 'webhooks', 'events', 'audit'];
const routes = Array.from({ length: ROUTES }, (_, i) => {
  const noun = NOUNS[i % NOUNS.length];
  const key = i < 3 ? ['GET /api/v1/forecast', 'POST /api/v1/chat', 'GET /api/v1/search'][i] : `${VERBS[i % VERBS.length]} /api/v${1 + (i % 2)}/${noun}${i >= NOUNS.length ? '/{id}' : ''}`;
  return { key, factor: i === 1 ? 3.2 : i === 0 ? 1.8 : 0.3 + rnd() * 1.6, share: 1 / (1 + i * 0.35) };
});
const shareSum = routes.reduce((s, r) => s + r.share, 0);

/** The demo service's day: steady traffic, a slow incident with errors and a saturated pool, a cache flush. */
function pointAt(i, t) {
  const incident = i > 3200 && i < 3330 ? Math.sin(((i - 3200) / 130) * Math.PI) : 0;
  const flush = i > 2500 && i < 2700 ? Math.exp(-(i - 2500) / 40) : 0;
  const rps = (110 + 35 * Math.sin(i / 420) + 10 * Math.sin(i / 37)) * noise(0.12);
  const err = Math.min(0.9, (0.003 + 0.045 * incident) * noise(0.5));
  const s4 = 0.035 * noise(0.3);
  const s3 = 0.02 * noise(0.3);
  const status = { '2xx': rps * (1 - err - s4 - s3), '3xx': rps * s3, '4xx': rps * s4, '5xx': rps * err };
  const p50 = (32 + 6 * Math.sin(i / 300) + 40 * incident + 25 * flush) * noise(0.15);
  const p95 = (120 + 25 * Math.sin(i / 300) + 190 * incident + 80 * flush) * noise(0.18);
  const p99 = p95 * (1.9 + rnd() * 0.6);
  const size = 13;
  const active = Math.min(size, Math.round((4 + 3 * Math.sin(i / 200) + 10 * incident) * noise(0.4)));
  const hit = Math.max(0, Math.min(1, (0.84 - 0.5 * flush) * noise(0.05)));
  const perRoute = {};
  for (const r of routes) {
    const q = r.factor * noise(0.2);
    perRoute[r.key] = rnd() < 0.03 ? [null, null, null] : [p50 * q, p95 * q, p99 * q];
  }
  // Heatmap column: this second's requests spread log-normally around p50.
  const n = Math.round(rps);
  const heat = new Array(HEAT_BOUNDS.length).fill(0);
  const mu = Math.log(p50);
  const sigma = Math.log(p95 / p50) / 1.645;
  for (let k = 0; k < n; k++) {
    const z = Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd());
    const v = Math.exp(mu + sigma * z);
    let b = HEAT_BOUNDS.findIndex((x) => x === null || v <= x);
    heat[b]++;
  }
  return {
    t,
    p50,
    p95,
    p99,
    mean: p50 * 1.3,
    rps,
    err,
    status,
    hit,
    poolActive: active,
    poolSize: size,
    pool: active / size,
    cpu: (22 + 14 * Math.sin(i / 500) + 30 * incident) * noise(0.2),
    memMb: 430 + i * 0.02 + 25 * Math.sin(i / 900),
    memPct: 6.1,
    routes: perRoute,
    heat,
  };
}

const thresholds = { p95Ms: 200, errorRate: 0.01, cacheHitRate: 0.7, poolUtilization: 0.8 };
const level = (v, target, dir) => (v === null ? 'unknown' : dir === 'max' ? (v <= target ? 'ok' : v <= target * 1.5 ? 'warning' : 'error') : v >= target ? 'ok' : 'warning');
function tilesOf(p) {
  return {
    p95: p.p95,
    rps: p.rps,
    err: p.err,
    hit: p.hit,
    pool: p.pool,
    cpu: p.cpu,
    memMb: p.memMb,
    levels: { p95: level(p.p95, thresholds.p95Ms, 'max'), err: level(p.err, thresholds.errorRate, 'max'), hit: level(p.hit, thresholds.cacheHitRate, 'min'), pool: level(p.pool, thresholds.poolUtilization, 'max') },
  };
}
/** The host's table: per-route stats over its stats window (the last 60 points), p95 descending. */
function tableOf(p) {
  const window = history.slice(-60);
  const rows = routes.map((r) => {
    const mean = (k) => {
      let sum = 0;
      let n = 0;
      for (const q of window) {
        const v = q.routes[r.key]?.[k];
        if (v !== null && v !== undefined) (sum += v), n++;
      }
      return n ? sum / n : null;
    };
    const rps = (p.rps * r.share) / shareSum;
    return { key: r.key, rps, err: Math.min(1, p.err * (r.key.startsWith('POST') ? 2.5 : 0.6)), p50: mean(0), p95: mean(1), p99: mean(2) };
  });
  return rows.sort((a, b) => (b.p95 ?? -1) - (a.p95 ?? -1));
}

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
let index = 0;
const history = [];
for (; index < HISTORY; index++) history.push(pointAt(index, T0 + index * STEP));
const nextPoint = () => {
  const p = pointAt(index, T0 + index * STEP);
  index++;
  return p;
};
const liveState = () => ({ kind: 'live', url: 'http://127.0.0.1:8000/metrics', lastScrape: T0 + (index - 1) * STEP });
const connections = [
  { id: 'demo', label: 'Demo service', url: 'http://127.0.0.1:8000/metrics', kind: 'prometheus' },
  { id: 'api', label: 'api (local)', url: 'http://127.0.0.1:8080/metrics', kind: 'prometheus' },
];
const initMessage = () => {
  const last = history[history.length - 1];
  return { type: 'init', connections, selected: 'demo', thresholds, windowSeconds: 60, intervalMs: STEP, history, heatBounds: HEAT_BOUNDS, state: liveState(), tiles: tilesOf(last), table: tableOf(last), tableTruncated: 0, notices: [] };
};
const tickMessage = () => {
  const p = nextPoint();
  history.push(p);
  return { type: 'tick', connection: 'demo', points: [p], state: liveState(), tiles: tilesOf(p), table: tableOf(p), tableTruncated: 0, notices: [] };
};

// ── themes (typical Dark+ / Light+ values, as VS Code sets them on <html>) ──────
const COMMON = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};
const DARK = {
  ...COMMON,
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': 'rgba(204, 204, 204, 0.7)',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-panel-border': 'rgba(128, 128, 128, 0.35)',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-errorForeground': '#f48771',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editor-selectionBackground': '#264f78',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#1177bb',
  '--vscode-button-secondaryBackground': '#3a3d41',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#45494e',
  '--vscode-input-background': '#3c3c3c',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-dropdown-background': '#3c3c3c',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-dropdown-foreground': '#f0f0f0',
  '--vscode-settings-dropdownBackground': '#3c3c3c',
  '--vscode-settings-dropdownBorder': '#3c3c3c',
  '--vscode-settings-dropdownForeground': '#f0f0f0',
  '--vscode-settings-dropdownListBorder': '#454545',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-list-focusOutline': '#007fd4',
  '--vscode-list-highlightForeground': '#2aaaff',
  '--vscode-inputOption-activeBackground': 'rgba(0, 127, 212, 0.4)',
  '--vscode-inputOption-activeBorder': '#007acc',
  '--vscode-inputOption-activeForeground': '#ffffff',
  '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  '--vscode-badge-background': '#4d4d4d',
  '--vscode-badge-foreground': '#ffffff',
  '--vscode-textLink-foreground': '#3794ff',
  '--vscode-textLink-activeForeground': '#3794ff',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-inputValidation-warningBorder': '#b89500',
  '--vscode-inputValidation-infoBackground': '#063b49',
  '--vscode-inputValidation-infoBorder': '#007acc',
  '--vscode-editorHoverWidget-background': '#252526',
  '--vscode-editorHoverWidget-border': '#454545',
  '--vscode-editorHoverWidget-foreground': '#cccccc',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
  '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
};
const LIGHT = {
  ...COMMON,
  '--vscode-foreground': '#616161',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#000000',
  '--vscode-panel-border': 'rgba(128, 128, 128, 0.35)',
  '--vscode-focusBorder': '#0090f1',
  '--vscode-charts-foreground': '#616161',
  '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-purple': '#652d90',
  '--vscode-errorForeground': '#a1260d',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-editor-selectionBackground': '#add6ff',
  '--vscode-button-background': '#007acc',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0062a3',
  '--vscode-button-secondaryBackground': '#5f6a79',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryHoverBackground': '#4c5561',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
  '--vscode-input-border': '#cecece',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-dropdown-foreground': '#616161',
  '--vscode-settings-dropdownBackground': '#ffffff',
  '--vscode-settings-dropdownBorder': '#cecece',
  '--vscode-settings-dropdownForeground': '#616161',
  '--vscode-settings-dropdownListBorder': '#c8c8c8',
  '--vscode-list-hoverBackground': '#e8e8e8',
  '--vscode-list-activeSelectionBackground': '#0060c0',
  '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
  '--vscode-list-focusOutline': '#0090f1',
  '--vscode-list-highlightForeground': '#0066bf',
  '--vscode-inputOption-activeBackground': 'rgba(0, 144, 241, 0.2)',
  '--vscode-inputOption-activeBorder': '#007acc',
  '--vscode-inputOption-activeForeground': '#000000',
  '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  '--vscode-badge-background': '#c4c4c4',
  '--vscode-badge-foreground': '#333333',
  '--vscode-textLink-foreground': '#006ab1',
  '--vscode-textLink-activeForeground': '#006ab1',
  '--vscode-inputValidation-errorBackground': '#f2dede',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-inputValidation-warningBackground': '#f6f5d2',
  '--vscode-inputValidation-warningBorder': '#b89500',
  '--vscode-inputValidation-infoBackground': '#d6ecf2',
  '--vscode-inputValidation-infoBorder': '#007acc',
  '--vscode-editorHoverWidget-background': '#f3f3f3',
  '--vscode-editorHoverWidget-border': '#c8c8c8',
  '--vscode-editorHoverWidget-foreground': '#616161',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
  '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
};

// ── page ─────────────────────────────────────────────────────────────────────
const nonce = randomBytes(16).toString('base64');
const server = createServer((req, res) => {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname === '/dist/webview/webview.js') return send(res, 'text/javascript', js);
  if (url.pathname === '/dist/webview/webview.css') return send(res, 'text/css', css);
  if (url.pathname === '/favicon.ico') return send(res, 'image/x-icon', '', 204);
  if (url.pathname !== '/') return send(res, 'text/plain', 'not found', 404);
  const state = url.searchParams.get('state');
  const theme = url.searchParams.get('theme') === 'light' ? LIGHT : DARK;
  const csp = `default-src 'none'; style-src ${origin}; script-src 'nonce-${nonce}'; img-src ${origin} data:; font-src ${origin}`;
  // The stub stands in for VS Code: the theme variables (set by script, as inline style attributes
  // would break the CSP), and acquireVsCodeApi collecting what the webview posts.
  send(
    res,
    'text/html',
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><link rel="stylesheet" href="${origin}/dist/webview/webview.css"><title>Pulse</title></head>
<body class="${theme === LIGHT ? 'vscode-light' : 'vscode-dark'}"><div id="app"></div>
<script nonce="${nonce}">
  const vars = ${JSON.stringify(theme).replace(/</g, '\\u003c')};
  for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
  window.__bench = { posted: [], state: ${state ? JSON.stringify(JSON.parse(state)).replace(/</g, '\\u003c') : 'undefined'}, acquired: 0 };
  window.acquireVsCodeApi = () => {
    if (window.__bench.acquired++) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage: (m) => window.__bench.posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__bench.state,
      setState: (s) => { window.__bench.state = s; },
    };
  };
</script>
<script nonce="${nonce}" src="${origin}/dist/webview/webview.js"></script>
</body></html>`,
  );
});
function send(res, type, body, status = 200) {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  headless: !argv.includes('--headed'),
});
const problems = [];
const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
page.on('request', (r) => !r.url().startsWith(base.slice(0, -1)) && !r.url().startsWith('data:') && problems.push(`request outside the page's origin: ${r.url()}`));

const posted = () => page.evaluate(() => window.__bench.posted);
const postToWebview = (msg) => page.evaluate((m) => window.postMessage(m, '*'), msg);
const waitPosted = (pred, what) => page.waitForFunction(pred, undefined, { timeout: 20_000 }).catch(() => {
  throw new Error(`timed out waiting for ${what}`);
});

async function load(theme, state) {
  await page.goto(`${base}?theme=${theme}${state ? `&state=${encodeURIComponent(JSON.stringify(state))}` : ''}`);
  await waitPosted(() => window.__bench.posted.some((m) => m.type === 'ready'), 'ready');
}

/** Sends init; returns the webview's own time to apply it (history, first draw of every chart). */
async function sendInit() {
  await postToWebview(initMessage());
  await page.waitForFunction(() => document.querySelectorAll('.uplot').length >= 7, undefined, { timeout: 20_000 });
  return page.evaluate(() => performance.getEntriesByName('pulse:init').at(-1)?.duration ?? null);
}

/** Sends ticks one at a time, each after the previous one is applied and a frame has passed. */
async function runTicks(n) {
  const times = [];
  const heat = [];
  for (let i = 0; i < n; i++) {
    const msg = tickMessage();
    const r = await page.evaluate(async (m) => {
      const before = window.__bench.posted.length;
      window.postMessage(m, '*');
      const perf = await new Promise((resolve) => {
        const check = () => {
          const got = window.__bench.posted.slice(before).find((x) => x.type === 'perf');
          if (got) resolve(got.tickMs);
          else setTimeout(check, 0);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const e = performance.getEntriesByName('pulse:heatmap');
      return { perf, heat: e.length ? e[e.length - 1].duration : null };
    }, msg);
    times.push(r.perf);
    if (r.heat !== null) heat.push(r.heat);
  }
  return { times, heat };
}

/** Style recalculation and layout in a timeline trace (--trace): how often, how long, how much. */
function printTrace(trace) {
  const agg = new Map();
  for (const e of trace.traceEvents ?? []) {
    if (e.ph !== 'X' || !['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'RasterTask', 'ParseAuthorStyleSheet', 'HitTest', 'UpdateLayerTree'].includes(e.name)) continue;
    const a = agg.get(e.name) ?? { n: 0, ms: 0, objects: 0 };
    a.n++;
    a.ms += (e.dur ?? 0) / 1000;
    a.objects += e.args?.beginData?.dirtyObjects ?? e.args?.elementCount ?? 0;
    agg.set(e.name, a);
  }
  for (const [k, a] of agg) console.log(`  ${k}: ${a.n}×, ${a.ms.toFixed(0)} ms, avg ${(a.ms / a.n).toFixed(2)} ms, avg objects ${(a.objects / a.n).toFixed(0)}`);
}

/** Top self time by function in a CPU profile (--profile). */
function printProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  // Inclusive time of named functions (a sample counts once per function on its stack).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      const key = f.functionName || '(anonymous)';
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  });
  console.log('inclusive:', [...incl.entries()].filter(([k]) => /^(applyTick|renderData|update|_commit|drawSeries|drawAxesGrid|setScales|drawPath|render|setRows|drawSpark|redrawSparks|paint|accumulate|colorize|setData|fire|updateCursor|setLegend|syncLegend|drawThresholds|drawBrushed|drawSaturation|receive|append|sortRows|renderHeads|convergeSize|axesCalc|cacheStrokeFill|_drawAcc|linear|stepped|getMinMax|fillText|refreshRoutes|set|renderStatus)$/.test(k)).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`CPU profile of the 1 h run with the whole dashboard on screen: top self time (of ${total.toFixed(0)} ms)`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${v.toFixed(1).padStart(8)} ms  ${k}`);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: +s[0].toFixed(3), median: +q(0.5).toFixed(3), p95: +q(0.95).toFixed(3), max: +s[s.length - 1].toFixed(3) };
};

const loadBefore = loadavg()[0];
await load('dark');
const initMs = await sendInit();
// Window 5 min (the default view), then 1 h (all 3600 points visible: the worst case).
const w5 = await runTicks(TICKS);
await page.click('.segmented button:nth-child(4)');
await page.waitForTimeout(100);
const w60 = await runTicks(TICKS);
// Off-screen cards (and table rows) wait until scrolled to; on a screen tall enough for the whole
// dashboard everything is drawn every tick: the worst case.
await page.setViewportSize({ width: 1360, height: 2200 });
await page.waitForTimeout(300);
const cdp = argv.includes('--profile') ? await page.context().newCDPSession(page) : null;
if (cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}
if (argv.includes('--trace')) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
const all = await runTicks(TICKS);
if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
if (argv.includes('--trace')) printTrace(JSON.parse((await browser.stopTracing()).toString()));
await page.setViewportSize({ width: 1360, height: 900 });
const debug = await (async () => {
  await postToWebview({ type: 'debugRequest', requestId: 7 });
  await waitPosted(() => window.__bench.posted.some((m) => m.type === 'debugState'), 'debugState');
  return (await posted()).find((m) => m.type === 'debugState');
})();

const result = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  // Other work on the machine shows up in the times (wall clock); this says how busy it was.
  load_average_1m: { before: loadBefore, after: loadavg()[0] },
  chromium: browser.version(),
  history_points: HISTORY,
  routes: ROUTES,
  ticks_per_run: TICKS,
  init_ms: initMs,
  tick_ms_view_5m: stats(w5.times),
  tick_ms_view_1h: stats(w60.times),
  tick_ms_view_1h_all_visible: stats(all.times),
  heatmap_draw_ms_view_5m: w5.heat.length ? stats(w5.heat) : null,
  heatmap_draw_ms_view_1h: w60.heat.length ? stats(w60.heat) : null,
  heatmap_draw_ms_view_1h_all_visible: all.heat.length ? stats(all.heat) : null,
  target_ms: TARGET_MS,
  held_points: debug.series.p95.t.length,
  held_routes: Object.keys(debug.series).filter((k) => k.startsWith('route:') && k.endsWith(':p95')).length,
  ...sizes,
  problems,
};

// ── screenshots ──────────────────────────────────────────────────────────────
if (!argv.includes('--no-screenshots')) {
  const out = join(ROOT, 'test-artifacts');
  mkdirSync(out, { recursive: true });
  const answerRanges = async () => {
    const all = await posted();
    for (const m of all.filter((x) => x.type === 'rangeTable')) {
      const last = history[history.length - 1];
      await postToWebview({ type: 'rangeTable', requestId: m.requestId, from: m.from, to: m.to, rows: tableOf(last).slice(0, 12).map((r) => ({ ...r, rps: r.rps * 0.9 })), truncated: 0 });
    }
  };
  const hoverAndBrush = async () => {
    const plot = page.locator('[data-chart="latency"] .u-over');
    const box = await plot.boundingBox();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    await answerRanges();
    // Leave the crosshair on the incident, to show the synced cursor and legend values.
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.4);
    await page.mouse.move(box.x + box.width * 0.46, box.y + box.height * 0.4);
  };
  const hoverHeatmap = async (file) => {
    const heat = page.locator('[data-chart="heatmap"]');
    await heat.scrollIntoViewIfNeeded();
    const hb = await page.locator('[data-chart="heatmap"] .u-over').boundingBox();
    await page.mouse.move(hb.x + hb.width * 0.62, hb.y + hb.height * 0.45);
    await page.mouse.move(hb.x + hb.width * 0.63, hb.y + hb.height * 0.46);
    await page.waitForTimeout(100);
    await heat.screenshot({ path: file });
    await page.evaluate(() => window.scrollTo(0, 0));
  };
  for (const theme of ['dark', 'light']) {
    await load(theme, { selected: 'demo', viewSeconds: 900, route: null, paused: false, sort: { column: 'p95', descending: true } });
    await sendInit();
    await runTicks(3);
    await hoverAndBrush();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(out, theme === 'dark' ? 'webview-bench.png' : 'webview-bench-light.png'), fullPage: true });
    await hoverHeatmap(join(out, `webview-bench-heatmap-${theme}.png`));
  }
  // Narrow panel: one column.
  await page.setViewportSize({ width: 640, height: 900 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, 'webview-bench-narrow.png'), fullPage: false });
  // Empty and error states.
  await page.setViewportSize({ width: 1360, height: 700 });
  await load('dark');
  await postToWebview({ type: 'init', connections: [], selected: null, thresholds, windowSeconds: 60, intervalMs: 1000, history: [], heatBounds: null, state: { kind: 'idle' }, tiles: null, table: [], tableTruncated: 0, notices: [] });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(out, 'webview-bench-idle.png') });
  const sparse = history.slice(-600).map((p) => ({ ...p, hit: null, poolActive: null, poolSize: null, pool: null, status: null, heat: null, routes: {}, cpu: Number.NaN, memMb: Infinity }));
  await postToWebview({ type: 'init', connections: connections.slice(0, 1), selected: 'demo', thresholds, windowSeconds: 60, intervalMs: 1000, history: sparse, heatBounds: null, state: { kind: 'down', url: 'http://127.0.0.1:8000/metrics', reason: 'connect ECONNREFUSED 127.0.0.1:8000', since: Date.now() - 95_000 }, tiles: { ...tilesOf(sparse.at(-1)), hit: null, pool: null, cpu: null, memMb: null, levels: { p95: 'ok', err: 'ok', hit: 'unknown', pool: 'unknown' } }, table: [], tableTruncated: 0, notices: ['no histogram metric found — set pulse.metrics.latency'] });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'webview-bench-down.png'), fullPage: true });
  result.problems = problems;
}

await browser.close();
server.close();

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/webview.json'), JSON.stringify(result, null, 2));

const kb = (b) => `${(b / 1024).toFixed(0)} kB`;
console.log(`Chromium ${result.chromium}, ${HISTORY} points × ${ROUTES} routes of history, ${TICKS} ticks per view; ${result.cores} cores, load average ${result.load_average_1m.before.toFixed(2)} → ${result.load_average_1m.after.toFixed(2)}`);
console.log('| measure | min | median | p95 | max | target |');
console.log('|---|--:|--:|--:|--:|--:|');
for (const [name, s] of [
  ['tick, 5 min view (1360×900)', result.tick_ms_view_5m],
  ['tick, 1 h view (3600 points per series)', result.tick_ms_view_1h],
  ['tick, 1 h view, whole dashboard on screen', result.tick_ms_view_1h_all_visible],
  ['heatmap draw, 1 h view (next frame)', result.heatmap_draw_ms_view_1h_all_visible],
]) {
  if (s) console.log(`| ${name} | ${s.min.toFixed(2)} ms | ${s.median.toFixed(2)} ms | ${s.p95.toFixed(2)} ms | ${s.max.toFixed(2)} ms | < ${TARGET_MS} ms |`);
}
console.log(`| init (3600 points × 50 routes, first draw) | | ${initMs?.toFixed(1)} ms | | | |`);
console.log(`\ndist/webview/webview.js ${kb(sizes.webview_js_bytes)} (dev build), minified ${kb(sizes.minified_js_bytes)} (${kb(sizes.minified_js_gzip_bytes)} gzip); css ${kb(sizes.webview_css_bytes)}`);
console.log(`held after the run: ${result.held_points} points, ${result.held_routes} routes`);
if (problems.length) {
  console.log(`\n${problems.length} console problem(s):\n${problems.slice(0, 20).join('\n')}`);
  process.exitCode = 1;
}
