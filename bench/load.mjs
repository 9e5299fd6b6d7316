#!/usr/bin/env node
// Load generator benchmark: achieved req/s of Pulse's closed model against autocannon (npm) and
// wrk (Debian package) on the same loopback server, with the same connection count, in the same
// run; then the open model's rate accuracy.
//
//   node bench/load.mjs [--seconds 10] [--runs 5] [--connections 50] [--rates 1000,10000]
//                       [--no-naive] [--no-open]
//
// Server: a tiny node:http server in its own process answering every request with the 13-byte
// body "Hello, world!", pinned to core 0 (`taskset -c 0`). Every client runs in its own process
// pinned to core 1 (`taskset -c 1`), one at a time. The runs are interleaved (each round runs
// every client once, in a rotated order) and the median of the rounds is reported, so machine
// noise hits every client alike. Also measured: a naive undici Pool + request() loop (what Pulse
// would be without its raw dispatch path), and client CPU time per request (user + system, from
// /usr/bin/time), which is far less sensitive to noise than req/s: 10^6 / (µs per request) is the
// rate one core could drive if the server were infinitely fast ("client-bound capacity").
//
// Bundles src/core/load/engine.ts with esbuild into bench/.data/ (gitignored), so it needs no
// prior build. Writes bench/results/load.json (gitignored).
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench/.data');
const RESULTS = join(ROOT, 'bench/results');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const SECONDS = Number(opt('seconds', 10));
const RUNS = Number(opt('runs', 5));
const CONNECTIONS = Number(opt('connections', 50));
const RATES = String(opt('rates', '1000,10000')).split(',').map(Number).filter((x) => x > 0);
const SERVER_CORE = '0';
const CLIENT_CORE = '1';


// ── programs ──────────────────────────────────────────────────────────────────────────────

const SERVER = `
const http = require('node:http');
const body = Buffer.from('Hello, world!');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '13' });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

// Pulse's engine, run as the CLI would but printing its LoadResult plus CPU time.
const PULSE_RUNNER = `
import { runLoad } from './src/core/load/engine';
const [url, kind, value, seconds] = process.argv.slice(2);
const model = kind === 'closed' ? { kind: 'closed', connections: Number(value) } : { kind: 'open', rate: Number(value) };
const cpu0 = process.cpuUsage();
runLoad({ target: url, requests: [{ method: 'GET', path: '/' }], model, profile: 'steady', durationMs: Number(seconds) * 1000 }).then((r) => {
  const cpu = process.cpuUsage(cpu0);
  const { timeline, histogram, ...rest } = r;
  process.stdout.write(JSON.stringify({ ...rest, cpuS: (cpu.user + cpu.system) / 1e6, perSecond: timeline.map((s) => s.sent) }));
});
`;

// The usual way to drive undici: Pool + request() + body.dump(), one promise chain per connection.
const NAIVE_RUNNER = `
import { Pool } from './src/core/http';
const [url, connections, seconds] = process.argv.slice(2);
const pool = new Pool(url, { connections: Number(connections), pipelining: 1 });
const end = performance.now() + Number(seconds) * 1000;
let n = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
Promise.all(Array.from({ length: Number(connections) }, async () => {
  while (performance.now() < end) {
    const r = await pool.request({ path: '/', method: 'GET' });
    await r.body.dump();
    n++;
  }
})).then(async () => {
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  process.stdout.write(JSON.stringify({ requests: n, durationS: s, rps: n / s, cpuS: (cpu.user + cpu.system) / 1e6 }));
});
`;

async function bundle(name, contents) {
  const outfile = join(DATA, `${name}.cjs`);
  await esbuild.build({ stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: `${name}.ts` }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
  return outfile;
}

function startServer(file) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', (d) => resolve({ child, url: `http://127.0.0.1:${String(d).trim()}` }));
  });
}

/** Runs a client pinned to the client core; returns stdout and its CPU seconds (user + sys, from /usr/bin/time). */
function runPinned(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'taskset', '-c', CLIENT_CORE, cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const times = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { stdout: r.stdout, cpuS: times[0] + times[1] };
}

const clients = {
  pulse: (url, pulse) => {
    const { stdout, cpuS } = runPinned(process.execPath, [pulse, url, 'closed', String(CONNECTIONS), String(SECONDS)]);
    const j = JSON.parse(stdout);
    return { rps: j.rps, requests: j.requests, durationS: j.durationS, cpuS, p50Ms: j.latencyMs.p50, p99Ms: j.latencyMs.p99, errors: Object.values(j.errors).reduce((a, b) => a + b, 0) };
  },
  autocannon: (url) => {
    const bin = join(ROOT, 'node_modules/autocannon/autocannon.js');
    const { stdout, cpuS } = runPinned(process.execPath, [bin, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-j', '-n', url]);
    const j = JSON.parse(stdout);
    // autocannon counts requests in whole seconds of sampling; total / duration is its achieved rate.
    return { rps: j.requests.total / j.duration, requests: j.requests.total, durationS: j.duration, cpuS, p50Ms: j.latency.p50, p99Ms: j.latency.p99, errors: j.errors + j.timeouts + j.non2xx };
  },
  wrk: (url) => {
    const { stdout, cpuS } = runPinned('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url]);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
    const requests = Number(/(\d+) requests in ([\d.]+)s/.exec(stdout)?.[1]);
    const durationS = Number(/(\d+) requests in ([\d.]+)s/.exec(stdout)?.[2]);
    const lat = (p) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
      return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : null;
    };
    const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
    return { rps, requests, durationS, cpuS, p50Ms: lat(50), p99Ms: lat(99), errors: (errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0) };
  },
  'undici Pool loop (naive)': (url, _pulse, naive) => {
    const { stdout, cpuS } = runPinned(process.execPath, [naive, url, String(CONNECTIONS), String(SECONDS)]);
    const j = JSON.parse(stdout);
    return { rps: j.rps, requests: j.requests, durationS: j.durationS, cpuS, p50Ms: null, p99Ms: null, errors: 0 };
  },
};

async function main() {
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) throw new Error('taskset is needed (util-linux)');
  const haveWrk = spawnSync('wrk', ['-v']).error === undefined;
  mkdirSync(DATA, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  const serverFile = join(DATA, 'load-server.cjs');
  writeFileSync(serverFile, SERVER);
  const pulse = await bundle('load-pulse-runner', PULSE_RUNNER);
  const naive = await bundle('load-naive-runner', NAIVE_RUNNER);
  const names = ['pulse', 'autocannon', ...(haveWrk ? ['wrk'] : []), ...(argv.includes('--no-naive') ? [] : ['undici Pool loop (naive)'])];
  const { child, url } = await startServer(serverFile);
  const load0 = loadavg()[0];
  const runs = new Map(names.map((n) => [n, []]));
  try {
    // Warm the server's JIT once, unmeasured.
    runPinned('wrk', ['-t1', `-c${CONNECTIONS}`, '-d2s', url]);
    console.log(`closed model, ${CONNECTIONS} connections, ${SECONDS} s per run, ${RUNS} interleaved rounds; server ${url} on core ${SERVER_CORE}, clients on core ${CLIENT_CORE}`);
    for (let round = 0; round < RUNS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const r = clients[name](url, pulse, naive);
        runs.get(name).push(r);
        console.log(`  round ${round + 1}  ${name.padEnd(26)} ${Math.round(r.rps).toLocaleString('en-US').padStart(8)} req/s   cpu ${((r.cpuS / r.requests) * 1e6).toFixed(1)} µs/req${r.errors ? `   errors ${r.errors}` : ''}`);
      }
    }

    const closed = {};
    for (const name of names) {
      const rs = runs.get(name);
      closed[name] = {
        medianRps: Math.round(median(rs.map((r) => r.rps))),
        runsRps: rs.map((r) => Math.round(r.rps)),
        cpuMicrosPerRequest: +median(rs.map((r) => (r.cpuS / r.requests) * 1e6)).toFixed(2),
        clientBoundCapacityRps: Math.round(1e6 / median(rs.map((r) => (r.cpuS / r.requests) * 1e6))),
        p50Ms: median(rs.map((r) => r.p50Ms ?? NaN)),
        p99Ms: median(rs.map((r) => r.p99Ms ?? NaN)),
      };
    }
    const ratio = (a, b) => (closed[a] && closed[b] ? +(closed[a].medianRps / closed[b].medianRps).toFixed(3) : null);
    const cpuRatio = (a, b) => (closed[a] && closed[b] ? +(closed[b].cpuMicrosPerRequest / closed[a].cpuMicrosPerRequest).toFixed(3) : null);
    // Paired: each round's ratio of two clients that ran minutes apart at most, then the median —
    // steadier than a ratio of medians when the machine's speed drifts between rounds.
    const paired = (a, b) => (runs.has(a) && runs.has(b) ? +median(runs.get(a).map((r, i) => r.rps / runs.get(b)[i].rps)).toFixed(3) : null);
    const ratios = {
      'pulse/autocannon paired': paired('pulse', 'autocannon'),
      'pulse/wrk paired': paired('pulse', 'wrk'),
      'pulse/autocannon': ratio('pulse', 'autocannon'),
      'pulse/wrk': ratio('pulse', 'wrk'),
      'pulse/naive undici': ratio('pulse', 'undici Pool loop (naive)'),
      'cpu efficiency pulse/autocannon': cpuRatio('pulse', 'autocannon'),
      'cpu efficiency pulse/wrk': cpuRatio('pulse', 'wrk'),
    };

    // Open model: achieved vs target rate.
    const open = {};
    if (!argv.includes('--no-open')) {
      console.log(`\nopen model, ${SECONDS} s per rate`);
      for (const rate of RATES) {
        const { stdout, cpuS } = runPinned(process.execPath, [pulse, url, 'open', String(rate), String(SECONDS)]);
        const j = JSON.parse(stdout);
        const sent = j.perSecond.reduce((a, b) => a + b, 0);
        const achieved = j.requests / SECONDS;
        open[rate] = {
          target: rate,
          expected: rate * SECONDS,
          sent,
          completed: j.requests,
          achievedRps: +achieved.toFixed(1),
          errorPercent: +(((achieved - rate) / rate) * 100).toFixed(3),
          worstSecondPercent: +Math.max(...j.perSecond.map((s) => Math.abs(s - rate) / rate * 100)).toFixed(2),
          unsent: j.unsent,
          correctedMs: { p50: j.latencyMs.p50, p99: j.latencyMs.p99, max: j.latencyMs.max },
          uncorrectedMs: { p50: j.latencyMsUncorrected.p50, p99: j.latencyMsUncorrected.p99, max: j.latencyMsUncorrected.max },
          cpuPercent: +((cpuS / j.durationS) * 100).toFixed(1),
        };
        console.log(`  ${String(rate).padStart(6)} req/s target: ${sent} sent, ${j.requests} completed → ${achieved.toFixed(1)} req/s (${open[rate].errorPercent >= 0 ? '+' : ''}${open[rate].errorPercent}%), worst second ${open[rate].worstSecondPercent}% off; p50 ${j.latencyMs.p50} ms corrected / ${j.latencyMsUncorrected.p50} ms uncorrected; client cpu ${open[rate].cpuPercent}%`);
      }
    }

    const load1 = loadavg()[0];
    console.log('\nclosed model, median of rounds:');
    for (const name of names) console.log(`  ${name.padEnd(26)} ${closed[name].medianRps.toLocaleString('en-US').padStart(8)} req/s   cpu ${closed[name].cpuMicrosPerRequest} µs/req (one core could drive ${closed[name].clientBoundCapacityRps.toLocaleString('en-US')} req/s)`);
    console.log(`  req/s:   Pulse / autocannon ${ratios['pulse/autocannon']}   Pulse / wrk ${ratios['pulse/wrk']}   Pulse / naive undici ${ratios['pulse/naive undici']}`);
    console.log(`  req/s, median of per-round ratios: Pulse / autocannon ${ratios['pulse/autocannon paired']}   Pulse / wrk ${ratios['pulse/wrk paired']}`);
    console.log(`  cpu/req: Pulse uses ${ratios['cpu efficiency pulse/autocannon']}× autocannon's efficiency, ${ratios['cpu efficiency pulse/wrk']}× wrk's (>1 = less CPU per request)`);
    console.log('  latency precision: Pulse µs (HDR, 3 significant digits); autocannon whole ms; wrk 10 µs steps in its text output.');
    console.log(`  load average ${load0.toFixed(2)} → ${load1.toFixed(2)} (2 cores: anything above ~2 means other work competed)`);
    const out = {
      ...machine(),
      loadAverage: { before: load0, after: load1 },
      server: 'node:http in a child process, 13-byte body, keep-alive; pinned to core 0',
      clientCore: CLIENT_CORE,
      connections: CONNECTIONS,
      seconds: SECONDS,
      runs: RUNS,
      closed,
      ratios,
      open,
      precision: { pulse: 'microseconds (HDR histogram, 3 significant digits)', autocannon: 'whole milliseconds', wrk: '10 µs (text output)' },
    };
    writeFileSync(join(RESULTS, 'load.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nwrote ${join(RESULTS, 'load.json')}`);
  } finally {
    child.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
