#!/usr/bin/env node
// Log scanner benchmark: Pulse's analyzeFile against `grep -c 'SLOW REQUEST'` and `rg -c` on the
// same generated logs in the same run (1 GB each by default, 1 % slow lines): one in the
// application's text form, one mixing every format Pulse recognises. Reports GB/s, Pulse / grep
// and Pulse / rg, and Pulse's peak RSS (flat: it does not grow with the file). Pulse runs as the CLI
// and the extension run it (big files in parts on worker threads) and on one thread. Also timed, on
// the same threads: the floor under any scan built on Pulse's first pass (reading the file alone,
// and reading plus the pass with nothing done for the lines it lists; bench/logs-floor.ts).
//
//   node bench/logs.mjs [--size 1GB|200MB] [--runs N] [--keep] [--no-floor]
//
// Files go to /tmp and are deleted at the end (--keep leaves them). Bundles src/core/logs with
// esbuild into bench/.data/ (gitignored); writes bench/results/logs.json. GB = 10^9 bytes.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync, createReadStream } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, median, mulberry32 } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench/.data');
const RESULTS = join(ROOT, 'bench/results');
const BUNDLE = join(DATA, 'logs.mjs');
const WORKER = join(DATA, 'logs-worker.cjs');
const FLOOR = join(DATA, 'logs-floor.cjs');
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);

function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(s);
  if (!m) throw new Error(`--size expects e.g. 1GB or 200MB (got "${s}")`);
  return Math.round(Number(m[1]) * { KB: 1e3, MB: 1e6, GB: 1e9 }[(m[2] ?? 'MB').toUpperCase()]);
}

// ── generated logs ───────────────────────────────────────────────────────────────────────────

const ENDPOINTS = [['GET', '/api/v1/forecast'], ['POST', '/api/v1/chat'], ['GET', '/api/v1/metrics'], ['GET', '/api/v1/cities'], ['POST', '/api/v1/batch'], ['GET', '/health']];
const pad = (n) => String(n).padStart(2, '0');

function stamp(i) {
  const s = Math.floor(i / 50);
  return { iso: `2026-01-18T${pad(10 + Math.floor(s / 3600) % 12)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}Z`, text: `2026-01-18 ${pad(10 + Math.floor(s / 3600) % 12)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`, clf: `18/Jan/2026:${pad(10 + Math.floor(s / 3600) % 12)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)} +0000` };
}

/** The application's text form: INFO/DEBUG chatter, and 1 % SLOW REQUEST warnings. */
function textLine(i, rnd, slow) {
  const t = stamp(i).text;
  const [m, p] = ENDPOINTS[Math.floor(rnd() * ENDPOINTS.length)];
  if (slow) return `${t} - WARNING - SLOW REQUEST: ${m} ${p} took ${1000 + Math.floor(rnd() * 4000)}ms (threshold: 1000ms)`;
  const r = rnd();
  if (r < 0.4) return `${t} - INFO - Cache hit for forecast city=city${Math.floor(rnd() * 500)} date=2026-01-${pad(1 + Math.floor(rnd() * 28))} key=forecast:city:${Math.floor(rnd() * 1e6)}`;
  if (r < 0.7) return `${t} - INFO - Model inference completed city=city${Math.floor(rnd() * 500)} model_time=${(rnd() * 0.3).toFixed(4)} batch=${Math.floor(rnd() * 64)}`;
  if (r < 0.9) return `${t} - DEBUG - pool status size=13 in_use=${Math.floor(rnd() * 13)} waiting=${Math.floor(rnd() * 3)} overflow=0`;
  return `${t} - INFO - Processed request trace_id=${Math.floor(rnd() * 1e9).toString(16)} user=${Math.floor(rnd() * 1e4)}`;
}

/** Every format: text chatter and warnings, JSON request lines, nginx, uvicorn, morgan, gin. */
function mixedLine(i, rnd, slow) {
  const t = stamp(i);
  const [m, p] = ENDPOINTS[Math.floor(rnd() * ENDPOINTS.length)];
  const ms = slow ? 1000 + Math.floor(rnd() * 4000) : Math.floor(rnd() * 900);
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return slow ? textLine(i, rnd, true) : textLine(i, rnd, false);
    case 1:
      return `{"timestamp":"${t.iso}","level":"INFO","service":"api","trace_id":"${Math.floor(rnd() * 1e9).toString(16)}","message":"Request processed","metadata":{"method":"${m}","endpoint":"${p}","duration_ms":${ms},"status":200}}`;
    case 2:
      return `10.0.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)} - - [${t.clf}] "${m} ${p}?city=c${Math.floor(rnd() * 100)} HTTP/1.1" 200 ${Math.floor(rnd() * 5000)} "-" "Mozilla/5.0 (X11; Linux x86_64) k6/0.49" ${(ms / 1000).toFixed(3)}`;
    case 3:
      // uvicorn prints no duration: a request, never slow. Keep the 1 % by using morgan instead.
      return slow ? `${m} ${p} 200 ${ms}.${Math.floor(rnd() * 999)} ms - ${Math.floor(rnd() * 900)}` : `INFO:     127.0.0.1:${40000 + Math.floor(rnd() * 20000)} - "${m} ${p} HTTP/1.1" 200 OK`;
    case 4:
      return `${m} ${p} 200 ${ms}.${Math.floor(rnd() * 999)} ms - ${Math.floor(rnd() * 900)}`;
    default:
      return `[GIN] ${t.text.replace(/-/g, '/').replace(' ', ' - ')} | 200 | ${String(ms)}.${Math.floor(rnd() * 9999)}ms |       127.0.0.1 | ${m.padEnd(8)} "${p}"`;
  }
}

function generate(file, bytes, lineOf, seed) {
  const rnd = mulberry32(seed);
  const fd = openSync(file, 'w');
  const block = Buffer.allocUnsafe(8 << 20);
  let written = 0;
  let used = 0;
  let lines = 0;
  let slowWanted = 0;
  try {
    while (written + used < bytes) {
      const slow = rnd() < 0.01;
      if (slow) slowWanted++;
      const line = lineOf(lines++, rnd, slow) + '\n';
      if (used + line.length * 3 > block.length) {
        writeSync(fd, block, 0, used);
        written += used;
        used = 0;
      }
      used += block.write(line, used);
    }
    writeSync(fd, block, 0, used);
    written += used;
  } finally {
    closeSync(fd);
  }
  return { file, bytes: written, lines, slowWritten: slowWanted };
}

// ── runners ──────────────────────────────────────────────────────────────────────────────────

function timeCmd(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms, count: Number(r.stdout.trim()) };
}

/** Reads the whole file once (into the page cache, as `cat file > /dev/null` would). */
function warm(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let at = 0, n; (n = readSync(fd, buf, 0, buf.length, at)) > 0; ) at += n;
  } finally {
    closeSync(fd);
  }
}

/** Pulse in a fresh process, so its peak RSS is its own; 'parallel' as the CLI and the extension run it, or on one thread. */
function timePulse(file, mode) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`pulse child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function child(file, mode) {
  if (mode.startsWith('floor')) {
    const { floor } = await import(pathToFileURL(FLOOR).href);
    const r = await floor(file, mode === 'floor-pass', FLOOR);
    process.stdout.write(JSON.stringify({ ms: r.ms, count: '', lines: r.lines, threads: r.threads }));
    return;
  }
  const { analyzeFile } = await import(pathToFileURL(BUNDLE).href);
  const base = process.memoryUsage().rss;
  const t = performance.now();
  const r = await analyzeFile(file, { thresholdMs: 1000, ...(mode === 'parallel' ? { parallel: { workerFile: WORKER } } : {}) });
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ ms, count: r.slow, lines: r.lines, requests: r.requests, endpoints: r.endpoints.length, baseRssMB: base / 1e6, peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6 }));
}

/** Node's readline counting lines with "SLOW REQUEST": the obvious way, for reference. */
async function timeReadline(file) {
  const t = performance.now();
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) if (line.includes('SLOW REQUEST')) count++;
  return { ms: performance.now() - t, count };
}


async function main() {
  const size = parseSize(opt('--size', '1GB'));
  const runs = Number(opt('--runs', '3'));
  const keep = argv.includes('--keep');
  mkdirSync(DATA, { recursive: true });
  await esbuild.build({ entryPoints: [join(ROOT, 'src/core/logs/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: BUNDLE, logLevel: 'warning' });
  await esbuild.build({ entryPoints: [join(ROOT, 'src/core/logs/worker-main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: WORKER, logLevel: 'warning' });
  await esbuild.build({ entryPoints: [join(ROOT, 'bench/logs-floor.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: FLOOR, logLevel: 'warning' });
  const hasRg = spawnSync('rg', ['--version']).status === 0;
  const files = [
    { name: 'text', ...generate(join(tmpdir(), 'pulse-bench-text.log'), size, textLine, 1) },
    { name: 'mixed', ...generate(join(tmpdir(), 'pulse-bench-mixed.log'), size, mixedLine, 2) },
  ];
  const results = {};
  try {
    for (const f of files) {
      const cases = [
        ['grep -c', () => timeCmd('grep', ['-c', 'SLOW REQUEST', f.file])],
        ...(hasRg ? [['rg -c', () => timeCmd('rg', ['-c', 'SLOW REQUEST', f.file])]] : []),
        ['pulse analyzeFile', () => timePulse(f.file, 'parallel')],
        ['pulse, one thread', () => timePulse(f.file, 'single')],
        ...(argv.includes('--no-floor')
          ? []
          : [
              ['floor: read only', () => timePulse(f.file, 'floor-read')],
              ['floor: read + first pass', () => timePulse(f.file, 'floor-pass')],
            ]),
      ];
      const times = new Map(cases.map(([n]) => [n, []]));
      const last = new Map();
      for (let r = 0; r < runs; r++) {
        for (const [n, fn] of cases) {
          // Every case reads from memory: this machine has been seen to drop parts of a 1 GB file
          // from the page cache between runs (a read of it then took 10× as long).
          warm(f.file);
          const res = fn();
          times.get(n).push(res.ms);
          last.set(n, res);
        }
      }
      if (f.name === 'text' && !argv.includes('--no-readline')) {
        const rl = await timeReadline(f.file);
        times.set('node readline (reference)', [rl.ms]);
        last.set('node readline (reference)', rl);
      }
      const row = {};
      for (const [n, ts] of times) {
        const ms = median(ts);
        row[n] = { medianMs: +ms.toFixed(1), GBps: +(f.bytes / 1e9 / (ms / 1000)).toFixed(2), count: last.get(n).count };
      }
      const p = last.get('pulse analyzeFile');
      row['pulse analyzeFile'] = { ...row['pulse analyzeFile'], lines: p.lines, requests: p.requests, endpoints: p.endpoints, peakRssMB: +p.peakRssMB.toFixed(1), baseRssMB: +p.baseRssMB.toFixed(1) };
      const one = last.get('pulse, one thread');
      row['pulse, one thread'] = { ...row['pulse, one thread'], peakRssMB: +one.peakRssMB.toFixed(1) };
      const ratios = { 'pulse / grep -c': +(row['grep -c'].medianMs / row['pulse analyzeFile'].medianMs).toFixed(2), 'one thread / grep -c': +(row['grep -c'].medianMs / row['pulse, one thread'].medianMs).toFixed(2) };
      if (hasRg) ratios['pulse / rg -c'] = +(row['rg -c'].medianMs / row['pulse analyzeFile'].medianMs).toFixed(2);
      // The best Pulse / grep any scan on this first pass could reach here, lines it lists costing nothing.
      if (row['floor: read + first pass']) ratios['floor (read + pass) / grep -c'] = +(row['grep -c'].medianMs / row['floor: read + first pass'].medianMs).toFixed(2);
      results[f.name] = { bytes: f.bytes, lines: f.lines, rows: row, ratios };
    }
  } finally {
    if (!keep) for (const f of files) rmSync(f.file, { force: true });
  }

  console.log(`\nLog scan — ${(size / 1e9).toFixed(2)} GB per file, 1 % slow lines; node ${process.version}, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, median of ${runs} interleaved runs (page cache warm)\n`);
  const L = (s, n) => String(s).padEnd(n);
  const R = (s, n) => String(s).padStart(n);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name} (${(r.bytes / 1e9).toFixed(2)} GB, ${r.lines.toLocaleString('en-US')} lines)`);
    console.log(L('  tool', 30) + R('median ms', 11) + R('GB/s', 8) + R('slow count', 12) + R('peak RSS MB', 13));
    for (const [n, x] of Object.entries(r.rows)) console.log(L(`  ${n}`, 30) + R(x.medianMs.toFixed(0), 11) + R(x.GBps.toFixed(2), 8) + R(x.count, 12) + R(x.peakRssMB ?? '', 13));
    for (const [k, v] of Object.entries(r.ratios)) console.log(`  ${L(k, 32)}${v}×`);
    console.log('');
  }
  console.log('grep/rg count lines containing "SLOW REQUEST" (on the mixed file that is only part of the slow lines);');
  console.log('Pulse counts lines, recognises every request line of every format, aggregates per endpoint.');
  console.log("The floor rows do only part of that work, on analyzeFile's threads: no scan built on the first pass can be faster.");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'logs.json'), JSON.stringify({ ...machine(), size, runs, results }, null, 2) + '\n');
  console.log(`\nwrote ${join(RESULTS, 'logs.json')}${keep ? `; kept ${files.map((f) => f.file).join(', ')}` : ''}`);
}

if (argv[0] === '--child') await child(argv[1], argv[2]);
else await main();
