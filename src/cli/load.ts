// `pulse load <url|scenario.loadtest.json>`: run Pulse's load generator from a terminal.
// Ctrl-C stops the run within a second and prints what was measured so far (exit 130).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomic';
import { buildRunRecord, collectEnvironment, stringifyRecord } from '../core/runs/record';
import { runLoad, LoadConfigError, type LoadProgress } from '../core/load/engine';
import { PROFILES } from '../core/load/profiles';
import { readScenarioFile, ScenarioError } from '../core/load/scenario';
import type { LatencySummaryMs, LoadConfig, LoadResult, ProfileKind, RequestSpec } from '../core/load/types';
import { parseArgs, parseDuration, UsageError } from './args';

export const LOAD_USAGE = `pulse load <url|scenario.loadtest.json> [--rate R [--max-connections N] | --connections C]
                 [--duration 10s] [--profile steady|ramp|spike|soak] [--method GET] [--header 'k: v']…
                 [--body TEXT] [--max-requests N] [--timeout 10s] [--think 0ms] [--precise]
                 [--json] [--out run.json] [--allow-remote]`;

const VALUED = ['rate', 'connections', 'max-connections', 'duration', 'profile', 'method', 'body', 'max-requests', 'timeout', 'think', 'out'];
const DEFAULT_CONNECTIONS = 10;
const DEFAULT_DURATION = '10s';

function positive(v: string, flag: string, integer: boolean): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0) || (integer && !Number.isInteger(n))) throw new UsageError(`--${flag} expects a ${integer ? 'whole number' : 'number'} > 0 (got "${v}")`);
  return n;
}

/** Takes every --header/-H out of argv (parseArgs keeps one value per flag). */
function takeHeaders(argv: readonly string[]): { rest: string[]; headers: Record<string, string> } {
  const rest: string[] = [];
  const headers: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let v: string | undefined;
    if (a === '--header' || a === '-H') {
      v = argv[++i];
      if (v === undefined) throw new UsageError('--header needs a value like "accept: application/json"');
    } else if (a.startsWith('--header=')) v = a.slice('--header='.length);
    else {
      rest.push(a);
      continue;
    }
    const colon = v.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header expects "name: value" (got "${v}")`);
    headers[v.slice(0, colon).trim()] = v.slice(colon + 1).trim();
  }
  return { rest, headers };
}

/** The LoadConfig a command line asks for (scenario files are read by loadScenarioFile). */
export interface LoadCommand {
  config: LoadConfig;
  flags: Map<string, string | true>;
  /** Run name: the scenario's, or "METHOD url". */
  name: string;
  scenarioFile?: string;
  warnings: string[];
}

export async function configFromArgs(argv: readonly string[]): Promise<LoadCommand> {
  const { rest, headers } = takeHeaders(argv);
  const { positionals, flags } = parseArgs(rest, VALUED);
  const what = positionals[0];
  if (!what || positionals.length > 1) throw new UsageError(`usage: ${LOAD_USAGE}`);
  if (flags.has('rate') && flags.has('connections')) throw new UsageError('use --rate (open model) or --connections (closed model), not both');
  if (flags.has('max-connections') && !flags.has('rate')) throw new UsageError('--max-connections applies to the open model (--rate)');
  const str = (f: string) => {
    const v = flags.get(f);
    return typeof v === 'string' ? v : undefined;
  };

  let config: LoadConfig;
  let cmd: Omit<LoadCommand, 'config' | 'flags'>;
  if (/\.loadtest\.json$/i.test(what)) {
    for (const f of ['method', 'body']) if (flags.has(f)) throw new UsageError(`--${f} cannot be combined with a scenario file (edit its requests)`);
    if (Object.keys(headers).length) throw new UsageError('--header cannot be combined with a scenario file (edit its requests)');
    const file = path.resolve(what);
    const scenario = await readScenarioFile(file);
    config = scenario.config;
    cmd = { name: scenario.name, scenarioFile: file, warnings: scenario.warnings.map((w) => `${path.basename(file)}${w.line ? `:${w.line}` : ''}: ${w.message}`) };
  } else {
    let u: URL;
    try {
      u = new URL(what);
    } catch {
      throw new UsageError(`"${what}" is neither a URL nor a *.loadtest.json scenario file`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`"${what}" must be an http or https URL`);
    const spec: RequestSpec = { method: (str('method') ?? 'GET').toUpperCase(), path: `${u.pathname}${u.search}` };
    if (Object.keys(headers).length) spec.headers = headers;
    const body = str('body');
    if (body !== undefined) spec.body = body;
    config = { target: u.origin, requests: [spec], model: { kind: 'closed', connections: DEFAULT_CONNECTIONS }, profile: 'steady', durationMs: parseDuration(DEFAULT_DURATION, '--duration') };
    cmd = { name: `${spec.method} ${u.origin}${spec.path}`, warnings: [] };
  }

  // Flags override a scenario's values.
  const rate = str('rate');
  const connections = str('connections');
  if (rate !== undefined) {
    config.model = { kind: 'open', rate: positive(rate, 'rate', false) };
    const mc = str('max-connections');
    if (mc !== undefined) config.model.maxConnections = positive(mc, 'max-connections', true);
  } else if (connections !== undefined) config.model = { kind: 'closed', connections: positive(connections, 'connections', true) };
  const duration = str('duration');
  if (duration !== undefined) config.durationMs = parseDuration(duration, '--duration');
  const profile = str('profile');
  if (profile !== undefined) {
    if (!PROFILES.includes(profile as ProfileKind) || profile === 'stages') throw new UsageError(`--profile must be one of steady, ramp, spike, soak (got "${profile}")`);
    config.profile = profile as ProfileKind;
    delete config.stages;
  }
  const max = str('max-requests');
  if (max !== undefined) config.maxRequests = positive(max, 'max-requests', true);
  const timeout = str('timeout');
  if (timeout !== undefined) config.timeoutMs = parseDuration(timeout, '--timeout');
  const think = str('think');
  if (think !== undefined) {
    if (config.model.kind === 'open') throw new UsageError('--think applies to the closed model (--connections)');
    config.thinkTimeMs = parseDuration(think, '--think');
  }
  return { ...cmd, config, flags };
}

// ── output ───────────────────────────────────────────────────────────────────────────────────

function latencyJson(l: LatencySummaryMs): Record<string, number> {
  return { p50: l.p50, p90: l.p90, p95: l.p95, p99: l.p99, p999: l.p999, max: l.max, mean: l.mean, min: l.min };
}

/** The one object `--json` prints (snake_case, like `pulse health --json`). */
export function resultJson(config: LoadConfig, r: LoadResult): Record<string, unknown> {
  const m = config.model;
  const out: Record<string, unknown> = {
    target: config.target,
    model: m.kind,
    ...(m.kind === 'closed' ? { connections: m.connections } : { rate: m.rate, max_connections: m.maxConnections ?? null }),
    profile: config.profile,
    requests: r.requests,
    duration_s: r.durationS,
    rps: r.rps,
    latency_ms: latencyJson(r.latencyMs),
  };
  if (r.latencyMsUncorrected) out.latency_ms_uncorrected = latencyJson(r.latencyMsUncorrected);
  out.errors = { ...r.errors };
  out.status_codes = { ...r.statusCodes };
  out.stopped_by = r.stoppedBy;
  if (r.unsent !== undefined) out.unsent = r.unsent;
  out.timeline = r.timeline.map((s) => ({ t: s.t, sent: s.sent, completed: s.completed, errors: s.errors, target_rate: s.targetRate, p50: s.p50, p95: s.p95, p99: s.p99, status: s.status }));
  out.histogram = r.histogram;
  return out;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** ms with µs precision. */
function ms(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(2)} s`;
  return `${v.toFixed(3)} ms`;
}

function latencyRow(label: string, l: LatencySummaryMs): string {
  if (l.max === 0 && l.p50 === 0) return `  ${label.padEnd(12)}${'—'.padStart(12)}   (no responses)`;
  const cells = [l.p50, l.p90, l.p99, l.p999, l.max].map((v) => ms(v).padStart(12));
  return `  ${label.padEnd(12)}${cells.join('')}`;
}

export function resultText(config: LoadConfig, r: LoadResult): string[] {
  const m = config.model;
  const model = m.kind === 'closed' ? `closed model, ${m.connections} connection${m.connections === 1 ? '' : 's'}` : `open model, ${m.rate} req/s`;
  const lines = [
    `${config.target} — ${model}, ${config.profile}, ${(config.durationMs / 1000).toFixed(config.durationMs % 1000 ? 1 : 0)} s${r.stoppedBy !== 'duration' ? ` (stopped: ${r.stoppedBy})` : ''}`,
    `  requests    ${int(r.requests)} in ${r.durationS.toFixed(2)} s = ${int(r.rps)} req/s`,
    `  ${''.padEnd(12)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => h.padStart(12)).join('')}`,
    latencyRow(m.kind === 'open' ? 'latency*' : 'latency', r.latencyMs),
  ];
  if (r.latencyMsUncorrected) lines.push(latencyRow('uncorrected', r.latencyMsUncorrected));
  const codes = Object.entries(r.statusCodes);
  lines.push(`  status      ${codes.length ? codes.map(([k, v]) => `${k} ×${int(v)}`).join('  ') : '—'}`);
  const errs = Object.entries(r.errors).filter(([, v]) => v > 0);
  lines.push(`  errors      ${errs.length ? errs.map(([k, v]) => `${k} ${int(v)}`).join('  ') : 'none'}${r.errors.http ? '   (http = 5xx responses)' : ''}`);
  if (r.unsent) lines.push(`  unsent      ${int(r.unsent)} arrivals were still waiting for a connection at the end (raise --max-connections?)`);
  if (m.kind === 'open') lines.push('  * from the intended send time (coordinated omission corrected); uncorrected: from the actual send');
  return lines;
}

// ── command ──────────────────────────────────────────────────────────────────────────────────

function pulseVersion(): string {
  try {
    // dist/cli.js → package.json
    return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `--out`: the run record at exactly that path (the extension files records under .pulse/runs/). */
async function writeRecord(file: string, run: { name: string; scenarioFile?: string; config: LoadConfig; result: LoadResult; startedAt: number }): Promise<void> {
  const environment = await collectEnvironment({ cwd: process.cwd(), pulseVersion: pulseVersion() });
  const record = buildRunRecord({
    name: run.name,
    source: 'pulse',
    config: run.config,
    result: run.result,
    environment,
    startedAt: run.startedAt,
    endedAt: run.startedAt + Math.round(run.result.durationS * 1000),
    ...(run.scenarioFile ? { scenarioFile: path.relative(process.cwd(), run.scenarioFile) } : {}),
  });
  await writeFileAtomic(path.resolve(file), stringifyRecord(record));
}

export async function load(argv: readonly string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  let command: LoadCommand;
  try {
    command = await configFromArgs(argv);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message);
    throw e;
  }
  const { config, flags } = command;
  for (const w of command.warnings) err(`pulse: warning: ${w}`);
  const json = flags.has('json');
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    err('pulse: stopping (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const live = !json && process.stderr.isTTY;
  let result: LoadResult;
  const startedAt = Date.now();
  try {
    result = await runLoad(config, {
      signal: controller.signal,
      allowNonLoopback: flags.has('allow-remote'),
      precise: flags.has('precise'),
      onSecond: live ? (_s, p: LoadProgress) => process.stderr.write(`\r\x1b[K  ${p.elapsedS.toFixed(0)} s  ${int(p.rps)} req/s  p95 ${p.p95 === null ? '—' : ms(p.p95)}  errors ${int(p.errors)}${p.queued ? `  queued ${int(p.queued)}` : ''}`) : undefined,
    });
  } catch (e) {
    if (e instanceof LoadConfigError) throw new UsageError(/^refusing/.test(e.message) ? `${e.message} (pass --allow-remote to allow it)` : e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    if (live) process.stderr.write('\r\x1b[K');
  }
  if (flags.has('out')) await writeRecord(String(flags.get('out')), { name: command.name, ...(command.scenarioFile ? { scenarioFile: command.scenarioFile } : {}), config, result, startedAt });
  if (json) out(JSON.stringify(resultJson(config, result)));
  else for (const l of resultText(config, result)) out(l);
  if (result.stoppedBy === 'cancelled') return 130;
  const responses = Object.values(result.statusCodes).reduce((a, b) => a + b, 0);
  if (result.requests > 0 && responses === 0) {
    err(`pulse: no response from ${config.target} (${Object.entries(result.errors).filter(([, v]) => v > 0).map(([k, v]) => `${k} errors ${v}`).join(', ')})`);
    return 1;
  }
  return 0;
}
