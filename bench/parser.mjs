#!/usr/bin/env node
// Exposition parser benchmark: ours (whole body and streamed) against the npm package
// parse-prometheus-text-format and Prometheus' own `promtool check metrics`, on a deterministic
// ~30 MB / ~190k-sample exposition (mostly histograms). Then memory: peak heap and RSS while
// streaming bodies of 1× and 4× the size, to show that memory follows what the visitor keeps
// (series), not the body.
//
//   node bench/parser.mjs [--runs N] [--no-promtool] [--no-memory]
//
// Bundles src/core/exposition with esbuild into bench/.data/ (gitignored) and imports that, so it
// needs no prior build. Writes bench/results/parser.json (gitignored). MB = 10^6 bytes.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateExposition } from './fixtures.mjs';
import { machine, median } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench/.data');
const RESULTS = join(ROOT, 'bench/results');
const BUNDLE = join(DATA, 'exposition.mjs');
const argv = process.argv.slice(2);
const CHUNK = 64 * 1024;

async function loadParser() {
  mkdirSync(DATA, { recursive: true });
  await esbuild.build({
    entryPoints: [join(ROOT, 'src/core/exposition/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
  return import(pathToFileURL(BUNDLE).href);
}

function fixture(name, opts) {
  const file = join(DATA, `${name}.txt`);
  const text = generateExposition(opts);
  // Rewrite only when the generator changed, so the file's page-cache state stays comparable.
  if (!existsSync(file) || statSync(file).size !== Buffer.byteLength(text) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  return file;
}

function peerSamples(families) {
  let n = 0;
  for (const f of families) {
    for (const m of f.metrics) {
      if (m.buckets) n += Object.keys(m.buckets).length + 2;
      else if (m.quantiles) n += Object.keys(m.quantiles).length + 2;
      else n++;
    }
  }
  return n;
}

function counter() {
  const v = { samples: 0, families: 0, onFamily() { v.families++; }, onSample() { v.samples++; } };
  return v;
}


// ---------------------------------------------------------------------------------------------
// Child mode: one memory measurement in a fresh process.

async function child(mode, file, format) {
  const { parseExposition, ExpositionStreamParser } = await import(pathToFileURL(BUNDLE).href);
  global.gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  const sample = () => {
    const h = process.memoryUsage().heapUsed;
    if (h > peakHeap) peakHeap = h;
  };
  let visitor;
  let series;
  if (mode === 'stream-series' || mode === 'whole-series') {
    // What a store does: one entry per series, keyed by name + labels.
    series = new Map();
    visitor = { onSample(n, l, v) { series.set(l ? n + '{' + l + '}' : n, v); } };
  } else visitor = counter();
  const t0 = performance.now();
  let stats;
  if (mode.startsWith('stream')) {
    const p = new ExpositionStreamParser(visitor, format);
    let n = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      p.push(chunk);
      if ((++n & 7) === 0) sample();
    }
    stats = p.end();
  } else {
    const text = readFileSync(file, 'utf8');
    sample();
    stats = parseExposition(text, visitor, format);
  }
  sample();
  const ms = performance.now() - t0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({ mode, samples: stats.samples, series: series ? series.size : undefined, ms, heapDeltaMB: (peakHeap - base.heapUsed) / 1e6, rssDeltaMB: (peakRss - base.rss) / 1e6 }),
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 7;
  const withPromtool = !argv.includes('--no-promtool');
  const withMemory = !argv.includes('--no-memory');
  const { parseExposition, ExpositionStreamParser } = await loadParser();
  const require = createRequire(join(ROOT, 'package.json'));
  const peerMod = require('parse-prometheus-text-format');
  const peerParse = peerMod.default ?? peerMod;

  const promFile = fixture('bench-prom', { scale: 1, format: 'prometheus' });
  const omFile = fixture('bench-om', { scale: 1, format: 'openmetrics' });
  const promBuf = readFileSync(promFile);
  const omBuf = readFileSync(omFile);
  const promText = promBuf.toString('utf8');
  const omText = omBuf.toString('utf8');
  const info = {
    prometheus: { file: promFile, bytes: promBuf.length, lines: promText.split('\n').length - 1 },
    openmetrics: { file: omFile, bytes: omBuf.length, lines: omText.split('\n').length - 1 },
  };

  const stream = (buf, visitor, format) => {
    const p = new ExpositionStreamParser(visitor, format);
    for (let i = 0; i < buf.length; i += CHUNK) p.push(buf.subarray(i, i + CHUNK));
    return p.end();
  };
  const promtoolOk = withPromtool && spawnSync('promtool', ['--version']).status === 0;

  const cases = [
    { name: 'ours whole-body (0.0.4)', bytes: promBuf.length, fn: () => parseExposition(promText, counter(), 'prometheus').samples },
    { name: 'ours stream 64k (0.0.4)', bytes: promBuf.length, fn: () => stream(promBuf, counter(), 'prometheus').samples },
    { name: 'ours whole-body (OpenMetrics)', bytes: omBuf.length, fn: () => parseExposition(omText, counter(), 'openmetrics').samples },
    { name: 'ours stream 64k (OpenMetrics)', bytes: omBuf.length, fn: () => stream(omBuf, counter(), 'openmetrics').samples },
    // Its histograms/summaries come back grouped; count the sample lines they stand for.
    { name: 'parse-prometheus-text-format', bytes: promBuf.length, fn: () => peerParse(promText), count: peerSamples },
  ];
  if (promtoolOk) {
    cases.push({
      name: 'promtool check metrics',
      bytes: promBuf.length,
      fn: () => {
        const r = spawnSync('sh', ['-c', `exec promtool check metrics < '${promFile}'`], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`promtool failed: ${r.stdout}${r.stderr}`);
        return NaN;
      },
    });
    cases.push({ name: 'promtool --version (startup)', bytes: 0, fn: () => (spawnSync('promtool', ['--version']), NaN) });
  }

  // Cold: the very first call of each (ours has not been JIT-compiled yet).
  const times = new Map(cases.map((c) => [c.name, []]));
  const counts = new Map();
  const cold = new Map();
  for (const c of cases) {
    const t = performance.now();
    const res = c.fn();
    counts.set(c.name, c.count ? c.count(res) : res);
    cold.set(c.name, performance.now() - t);
  }
  // Interleaved runs, so machine noise hits every case alike.
  for (let r = 0; r < runs; r++) {
    for (const c of cases) {
      const t = performance.now();
      c.fn();
      times.get(c.name).push(performance.now() - t);
    }
  }

  const results = {};
  for (const c of cases) {
    const ms = median(times.get(c.name));
    results[c.name] = {
      medianMs: +ms.toFixed(2),
      minMs: +Math.min(...times.get(c.name)).toFixed(2),
      coldMs: +cold.get(c.name).toFixed(2),
      MBps: c.bytes ? +(c.bytes / 1e6 / (ms / 1000)).toFixed(1) : null,
      samples: Number.isNaN(counts.get(c.name)) ? null : counts.get(c.name),
    };
  }
  const ours = results['ours whole-body (0.0.4)'];
  const oursStream = results['ours stream 64k (0.0.4)'];
  const ratios = {
    'ours whole / parse-prometheus-text-format': +(results['parse-prometheus-text-format'].medianMs / ours.medianMs).toFixed(1),
    'ours stream / parse-prometheus-text-format': +(results['parse-prometheus-text-format'].medianMs / oursStream.medianMs).toFixed(1),
  };
  if (promtoolOk) {
    ratios['ours whole / promtool check metrics'] = +(results['promtool check metrics'].medianMs / ours.medianMs).toFixed(1);
    ratios['ours stream / promtool check metrics'] = +(results['promtool check metrics'].medianMs / oursStream.medianMs).toFixed(1);
    ratios['ours stream / promtool minus startup'] = +((results['promtool check metrics'].medianMs - results['promtool --version (startup)'].medianMs) / oursStream.medianMs).toFixed(1);
  }

  console.log(`\nExposition parser — ${(info.prometheus.bytes / 1e6).toFixed(1)} MB / ${ours.samples} samples (0.0.4), ${(info.openmetrics.bytes / 1e6).toFixed(1)} MB / ${results['ours whole-body (OpenMetrics)'].samples} samples (OpenMetrics)`);
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, median of ${runs} interleaved runs (cold = first call)\n`);
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(pad('parser', 34) + lpad('median ms', 11) + lpad('min ms', 9) + lpad('cold ms', 9) + lpad('MB/s', 9) + lpad('samples', 10));
  for (const [name, r] of Object.entries(results)) {
    console.log(pad(name, 34) + lpad(r.medianMs.toFixed(1), 11) + lpad(r.minMs.toFixed(1), 9) + lpad(r.coldMs.toFixed(1), 9) + lpad(r.MBps ?? '-', 9) + lpad(r.samples ?? '-', 10));
  }
  console.log('');
  for (const [k, v] of Object.entries(ratios)) console.log(`${pad(k, 44)} ${v}×`);
  if (promtoolOk) console.log('(promtool: wall time of `promtool check metrics < file`, process start-up and its lint pass included; the --version row is the start-up alone)');
  if (!promtoolOk && withPromtool) console.log('(promtool not found: skipped)');
  const peerCount = results['parse-prometheus-text-format'].samples;
  if (peerCount !== ours.samples) {
    console.log(`(parse-prometheus-text-format returns ${peerCount} values for the ${ours.samples} samples: it merges all series of a histogram or summary family into one, dropping their labels — its output is lossy on this body)`);
  }

  let memory = [];
  if (withMemory) {
    const bigFile = fixture('bench-prom-4x', { scale: 4, format: 'prometheus' });
    const sizes = [
      ['1×', promFile],
      ['4×', bigFile],
    ];
    for (const mode of ['stream-count', 'stream-series', 'whole-count']) {
      for (const [label, file] of sizes) {
        const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, file, 'prometheus'], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`);
        const m = JSON.parse(r.stdout);
        memory.push({ ...m, body: label, bodyMB: +(statSync(file).size / 1e6).toFixed(1) });
      }
    }
    console.log('\nMemory (fresh process each; peak heapUsed and peak RSS above the process baseline, MB):');
    console.log(pad('mode', 16) + pad('body', 12) + lpad('samples', 9) + lpad('series kept', 13) + lpad('heap Δ', 9) + lpad('RSS Δ', 9) + lpad('ms', 8));
    for (const m of memory) {
      console.log(
        pad(m.mode, 16) + pad(`${m.body} ${m.bodyMB} MB`, 12) + lpad(m.samples, 9) + lpad(m.series ?? 0, 13) + lpad(m.heapDeltaMB.toFixed(1), 9) + lpad(m.rssDeltaMB.toFixed(1), 9) + lpad(m.ms.toFixed(0), 8),
      );
    }
    console.log('stream-count: visitor counts only — memory flat whatever the body size. stream-series: visitor keeps one Map entry per');
    console.log('series — memory grows with series. whole-count: the body string itself is resident (what streaming avoids).');
  }

  mkdirSync(RESULTS, { recursive: true });
  const out = {
    ...machine(),
    runs,
    chunkBytes: CHUNK,
    fixtures: info,
    results,
    ratios,
    memory,
  };
  writeFileSync(join(RESULTS, 'parser.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${join(RESULTS, 'parser.json')}`);
}

if (argv[0] === '--child') await child(argv[1], argv[2], argv[3]);
else await main();
