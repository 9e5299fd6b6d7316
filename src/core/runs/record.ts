// Run records: every load-test run (Pulse's own, or an external runner's whose results were
// imported) saved in the workspace as `.pulse/runs/<timestamp>-<name>.json`, schema-versioned and
// written atomically, never over an existing file. A record holds the configuration, the result
// (per-second timeline and the HDR histogram kept encoded, so records stay small enough to
// commit as baselines), the service's own metrics during the run, and the environment it ran in.
//
//   {
//     "schemaVersion": 1, "kind": "pulse-run", "id": "20260123T143005Z-forecast-steady",
//     "name": "forecast steady", "createdAt": "2026-01-23T14:30:05.123Z",
//     "startedAt": 1769178605123, "endedAt": 1769178635123,       epoch ms, or null
//     "source": "pulse" | "k6" | "locust" | "autocannon" | "script",
//     "scenarioFile": "load/forecast.loadtest.json",              optional, relative to the workspace
//     "service": {"url": "http://127.0.0.1:8000/metrics", "kind": "prometheus"} | null,
//     "config": LoadConfig (source pulse) | {"kind": "external", "runner", "command", "args", "cwd", "resultFile"},
//     "result": LoadResult | ImportedResult (with `imported`) | null (a script without results),
//     "serviceTimeline": Point[],                                 the dashboard's points during the run
//     "metricColumns": {"columns": [...], "rows": [[...], ...]},  the seed monitor's CSV columns
//     "environment": {"machine": {...}, "node", "pulseVersion", "git": {"commit", "branch", "dirty"} | null},
//     "redacted": ["config.requests[0].headers.Authorization", ...]   values replaced before writing
//   }
//
// Unknown numbers (an importer's NaN) are written as null and read back as NaN in the result's
// requests / durationS / rps and latency summaries. No vscode import.

import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileExclusive } from '../atomic';
import { parseJsonText, readJsonFile } from '../jsonText';
import type { ImportedResult } from '../load/importers';
import type { LatencySummaryMs, LoadConfig, LoadResult } from '../load/types';
import type { Point } from '../../dashboard/protocol';

export const RUN_SCHEMA_VERSION = 1;
export const RUN_KIND = 'pulse-run';
/** Where run records live, relative to the workspace folder. */
export const RUNS_DIR = path.join('.pulse', 'runs');

/** 'metrics': a window of the service's own metrics, captured without a load test (runs/window.ts). */
export type RunSource = 'pulse' | 'k6' | 'locust' | 'autocannon' | 'script' | 'metrics';
export const RUN_SOURCES: readonly RunSource[] = ['pulse', 'k6', 'locust', 'autocannon', 'script', 'metrics'];
/** Runners whose results are imported (config.kind 'external'). */
export type ExternalRunner = Exclude<RunSource, 'pulse' | 'metrics'>;

/** What an external runner was asked to do (a VS Code task or shell command). */
export interface ExternalRunConfig {
  kind: 'external';
  runner: ExternalRunner;
  /** The command line as run, e.g. "k6 run --summary-export=summary.json load.js". */
  command: string;
  args?: string[];
  cwd?: string;
  /** The result file that was imported, relative to the workspace. */
  resultFile?: string;
}

/** A captured window of live service metrics (source 'metrics'): no load was generated. */
export interface MetricsWindowConfig {
  kind: 'metrics-window';
  /** Epoch ms of the window's first and last point. */
  from: number;
  to: number;
  /** Scrape interval, if known. */
  intervalMs?: number;
}

export interface GitInfo {
  commit: string;
  /** null when detached. */
  branch: string | null;
  /** Tracked files changed (untracked files, such as new run records, do not count); null if unknown. */
  dirty: boolean | null;
}

export interface RunEnvironment {
  machine: {
    hostname: string;
    platform: string;
    release: string;
    arch: string;
    cpus: { model: string; count: number };
    memoryMb: number;
  };
  node: string;
  pulseVersion: string;
  git: GitInfo | null;
}

export type MetricCell = number | string | null;

/** The service timeline as CSV-ready rows: the seed monitor's columns first, then more. */
export interface MetricColumns {
  columns: string[];
  rows: MetricCell[][];
}

/**
 * The seed monitor's columns (timestamp in Unix seconds, cache hit-rate in percent, api_ms = p95),
 * then elapsed seconds since the run started, request rate (req/s), error rate (5xx share, 0–1),
 * and p50 / p99 latency.
 */
export const METRIC_COLUMNS = ['timestamp', 'cpu_percent', 'memory_percent', 'memory_mb', 'api_ms', 'db_pool_active', 'db_pool_size', 'cache_hit_rate', 'status', 'elapsed_s', 'request_rate', 'error_rate', 'api_p50_ms', 'api_p99_ms'] as const;

export type RunConfig = LoadConfig | ExternalRunConfig | MetricsWindowConfig;

/** The load configuration of a Pulse-generated run; null for imported runs and metrics windows. */
export function loadConfigOf(config: RunConfig | undefined): LoadConfig | null {
  return config && !('kind' in config) ? config : null;
}

export interface RunRecord {
  schemaVersion: typeof RUN_SCHEMA_VERSION;
  kind: typeof RUN_KIND;
  id: string;
  name: string;
  createdAt: string;
  startedAt: number | null;
  endedAt: number | null;
  source: RunSource;
  scenarioFile?: string;
  service: { url: string; kind?: string } | null;
  config: RunConfig;
  result: LoadResult | ImportedResult | null;
  serviceTimeline: Point[];
  /** Upper bounds (ms) of the points' `heat` buckets (null = +Inf), when the service has a latency histogram. */
  heatBounds?: (number | null)[];
  metricColumns: MetricColumns;
  environment: RunEnvironment;
  redacted?: string[];
}

export interface BuildRunRecordInput {
  name: string;
  source: RunSource;
  config: RunConfig;
  result: LoadResult | ImportedResult | null;
  environment: RunEnvironment;
  heatBounds?: (number | null)[] | null;
  serviceTimeline?: readonly Point[];
  service?: { url: string; kind?: string } | null;
  scenarioFile?: string;
  /** Default: now. */
  createdAt?: Date;
  /** Epoch ms; default: the imported result's start, else the first service point. */
  startedAt?: number | null;
  endedAt?: number | null;
  /** Replace secrets in headers, variables and command lines by "<redacted>" (default true). */
  redact?: boolean;
}

export class RunRecordError extends Error {
  constructor(
    readonly problem: 'missing' | 'empty' | 'truncated' | 'corrupt' | 'not-a-run' | 'future-schema' | 'invalid',
    readonly detail: string,
    readonly file?: string,
  ) {
    super(file ? `${path.basename(file)}: ${detail}` : detail);
    this.name = 'RunRecordError';
  }
}

// --- building ----------------------------------------------------------------------------

export function buildRunRecord(input: BuildRunRecordInput): RunRecord {
  const created = input.createdAt ?? new Date();
  const timeline = (input.serviceTimeline ?? []).slice();
  if (input.result && typeof input.result.histogram !== 'string') throw new TypeError('result.histogram must be the encoded histogram (a string), not raw samples');
  const imported = input.result && 'imported' in input.result ? input.result.imported : undefined;
  const startedAt = input.startedAt !== undefined ? input.startedAt : (imported?.startedAt ?? timeline[0]?.t ?? null);
  const endedAt = input.endedAt !== undefined ? input.endedAt : startedAt !== null && input.result && Number.isFinite(input.result.durationS) ? startedAt + input.result.durationS * 1000 : (timeline[timeline.length - 1]?.t ?? null);
  const redacted: string[] = [];
  const config = input.redact === false ? input.config : redactConfig(input.config, redacted);
  const record: RunRecord = {
    schemaVersion: RUN_SCHEMA_VERSION,
    kind: RUN_KIND,
    id: `${compactStamp(created)}-${slug(input.name)}`,
    name: input.name,
    createdAt: created.toISOString(),
    startedAt,
    endedAt,
    source: input.source,
    service: input.service ?? null,
    config,
    result: input.result,
    serviceTimeline: timeline,
    metricColumns: metricColumns(timeline, startedAt),
    environment: input.environment,
  };
  if (input.scenarioFile !== undefined) record.scenarioFile = input.scenarioFile;
  if (input.heatBounds) record.heatBounds = input.heatBounds.slice();
  if (redacted.length) record.redacted = redacted;
  return record;
}

const SECRET_NAME = /authorization|cookie|token|secret|passw(or)?d|api[-_]?key|credential|session/i;
const REDACTED = '<redacted>';

function redactConfig(config: RunConfig, out: string[]): RunConfig {
  if ('kind' in config && config.kind === 'metrics-window') return config;
  if ('kind' in config && config.kind === 'external') {
    const clean = (s: string) => s.replace(/((?:authorization|token|secret|passw(?:or)?d|api[-_]?key)[^=:\s]*\s*[:=]\s*)(?:bearer\s+|basic\s+)?("[^"]*"|'[^']*'|[^\s"']+)/gi, `$1${REDACTED}`);
    const c: ExternalRunConfig = { ...config, command: clean(config.command) };
    if (c.command !== config.command) out.push('config.command');
    if (config.args) {
      c.args = config.args.map((a, i) => {
        const r = clean(a);
        if (r !== a) out.push(`config.args[${i}]`);
        return r;
      });
    }
    return c;
  }
  const c = config as LoadConfig;
  const requests = c.requests.map((r, i) => {
    if (!r.headers) return r;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      // A templated value keeps its secret in variables, which are redacted below.
      if (SECRET_NAME.test(k) && !v.includes('{{')) {
        headers[k] = REDACTED;
        out.push(`config.requests[${i}].headers.${k}`);
      } else headers[k] = v;
    }
    return { ...r, headers };
  });
  const copy: LoadConfig = { ...c, requests };
  if (c.variables) {
    copy.variables = {};
    for (const [k, v] of Object.entries(c.variables)) {
      if (SECRET_NAME.test(k)) {
        copy.variables[k] = REDACTED;
        out.push(`config.variables.${k}`);
      } else copy.variables[k] = v;
    }
  }
  return copy;
}

/** The service timeline in the seed monitor's columns (see METRIC_COLUMNS). */
export function metricColumns(points: readonly Point[], startedAt: number | null = null): MetricColumns {
  const t0 = startedAt ?? points[0]?.t ?? 0;
  const r = (v: number | null, digits: number): number | null => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));
  const rows = points.map((p): MetricCell[] => [
    Number((p.t / 1000).toFixed(3)),
    r(p.cpu, 2),
    r(p.memPct, 2),
    r(p.memMb, 1),
    r(p.p95, 2),
    r(p.poolActive, 0),
    r(p.poolSize, 0),
    r(p.hit === null ? null : p.hit * 100, 2),
    p.err !== null && p.err > 0 ? 'errors' : 'ok',
    Number(((p.t - t0) / 1000).toFixed(3)),
    r(p.rps, 3),
    r(p.err, 5),
    r(p.p50, 2),
    r(p.p99, 2),
  ]);
  return { columns: [...METRIC_COLUMNS], rows };
}

/** Schema of the exported CSV, in its last column (a comment line would break `pd.read_csv(file)`). */
export const RUN_CSV_SCHEMA_VERSION = 1;

/** The metric timeline as CSV (header + one row per scrape), as the seed monitor wrote it. */
export function runRecordCsv(record: Pick<RunRecord, 'metricColumns'>): string {
  const cell = (v: MetricCell) => (v === null ? '' : typeof v === 'number' ? String(v) : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [[...record.metricColumns.columns, 'schema_version'].map(cell).join(',')];
  for (const row of record.metricColumns.rows) lines.push([...row, RUN_CSV_SCHEMA_VERSION].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

// --- environment -------------------------------------------------------------------------

export interface CollectEnvironmentOptions {
  /** Workspace folder: git is asked about it. */
  cwd?: string;
  pulseVersion: string;
  /** Per git command (default 2000 ms). */
  gitTimeoutMs?: number;
}

export async function collectEnvironment(o: CollectEnvironmentOptions): Promise<RunEnvironment> {
  const cpus = os.cpus();
  return {
    machine: {
      hostname: os.hostname(),
      platform: process.platform,
      release: os.release(),
      arch: process.arch,
      cpus: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length },
      memoryMb: Math.round(os.totalmem() / 1048576),
    },
    node: process.version,
    pulseVersion: o.pulseVersion,
    git: o.cwd ? await gitInfo(o.cwd, o.gitTimeoutMs ?? 2000) : null,
  };
}

/** Commit, branch and dirty state of the repository at `cwd`; null if there is none (or no git). */
export async function gitInfo(cwd: string, timeoutMs = 2000): Promise<GitInfo | null> {
  // fsmonitor off: a repository's config must not get to run a program through `git status`.
  const git = (args: string[]) =>
    new Promise<string | null>((resolve) => {
      execFile('git', ['-c', 'core.fsmonitor=false', ...args], { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 4 << 20, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } }, (err, stdout) => resolve(err ? null : stdout));
    });
  const [commit, branch, status] = await Promise.all([git(['rev-parse', '--verify', '-q', 'HEAD']), git(['symbolic-ref', '--short', '-q', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (!commit || !/^[0-9a-f]{7,64}$/.test(commit.trim())) return null;
  return { commit: commit.trim(), branch: branch?.trim() || null, dirty: status === null ? null : status.trim() !== '' };
}

// --- writing -----------------------------------------------------------------------------

function compactStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** A file-name-safe form of a run name: lower-case ASCII letters, digits, '.', '_' and '-'. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .replace(/[-.]+$/, '');
  return s || 'run';
}

/**
 * Writes the record into `dir` as `<id>.json` and returns the path. An existing file is never
 * replaced: the name gets `-2`, `-3`, … (and the record's id follows its file name).
 */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const base = record.id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'run';
  for (let n = 1; n <= 1000; n++) {
    const stem = n === 1 ? base : `${base}-${n}`;
    const target = path.join(dir, `${stem}.json`);
    if (await writeFileExclusive(target, stringifyRecord({ ...record, id: stem }))) return target;
  }
  throw new RunRecordError('invalid', `no free file name for ${base} in ${dir}`);
}

/** JSON with one line per array element of objects (timelines), so records diff well and stay small. */
export function stringifyRecord(record: unknown): string {
  const out = (v: unknown, indent: string, depth: number): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
      const inner = indent + '  ';
      return `[\n${v.map((x) => inner + (depth >= 1 ? JSON.stringify(x) ?? 'null' : out(x, inner, depth + 1))).join(',\n')}\n${indent}]`;
    }
    if (v !== null && typeof v === 'object' && depth < 3) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      const inner = indent + '  ';
      return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${out(x, inner, depth + 1)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return `${out(record, '', 0)}\n`;
}

// --- reading -----------------------------------------------------------------------------

export async function readRunRecord(file: string): Promise<RunRecord> {
  const parsed = await readJsonFile(file);
  if (!parsed.ok) throw new RunRecordError(parsed.problem, parsed.detail, file);
  return validateRunRecord(parsed.value, file);
}

/** Parses and validates the text of a run record (see readRunRecord). */
export function parseRunRecord(text: string, file?: string): RunRecord {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new RunRecordError(parsed.problem, parsed.detail, file);
  return validateRunRecord(parsed.value, file);
}

/** Checks a parsed record; restores NaN for unknown latency numbers. Throws RunRecordError. */
export function validateRunRecord(value: unknown, file?: string): RunRecord {
  const bad = (detail: string): never => {
    throw new RunRecordError('invalid', `${detail} (a hand-edited or damaged run record?)`, file);
  };
  if (!isObject(value)) throw new RunRecordError('not-a-run', 'not a Pulse run record: the file is not a JSON object', file);
  if (value.kind !== RUN_KIND) {
    throw new RunRecordError('not-a-run', typeof value.kind === 'string' ? `not a Pulse run record (kind is '${value.kind}')` : 'not a Pulse run record (no "kind": "pulse-run")', file);
  }
  const v = value.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad('schemaVersion must be a whole number ≥ 1');
  if ((v as number) > RUN_SCHEMA_VERSION) {
    throw new RunRecordError('future-schema', `written by a newer Pulse (schema ${v}); this Pulse reads up to ${RUN_SCHEMA_VERSION}`, file);
  }
  for (const k of ['id', 'name', 'createdAt'] as const) if (typeof value[k] !== 'string' || value[k] === '') bad(`${k} must be a non-empty string`);
  if (Number.isNaN(Date.parse(value.createdAt as string))) bad('createdAt must be an ISO date');
  if (!RUN_SOURCES.includes(value.source as RunSource)) bad(`source must be one of ${RUN_SOURCES.join(', ')}`);
  for (const k of ['startedAt', 'endedAt'] as const) {
    if (value[k] === undefined) value[k] = null;
    else if (value[k] !== null && typeof value[k] !== 'number') bad(`${k} must be a number (epoch ms) or null`);
  }
  if (value.service === undefined) value.service = null;
  else if (value.service !== null && (!isObject(value.service) || typeof value.service.url !== 'string')) bad('service must be {url, kind} or null');
  if (value.scenarioFile !== undefined && typeof value.scenarioFile !== 'string') bad('scenarioFile must be a string');

  const config = value.config;
  if (!isObject(config)) bad('config must be an object');
  const cfg = config as Record<string, unknown>;
  if (value.source === 'pulse') {
    if (typeof cfg.target !== 'string') bad('config.target must be a string');
    if (!Array.isArray(cfg.requests)) bad('config.requests must be a list');
    if (!isObject(cfg.model) || (cfg.model.kind !== 'closed' && cfg.model.kind !== 'open')) bad('config.model.kind must be closed or open');
    if (typeof cfg.durationMs !== 'number') bad('config.durationMs must be a number');
  } else if (value.source === 'metrics') {
    if (cfg.kind !== 'metrics-window') bad('config.kind must be "metrics-window" for a metrics window');
    if (typeof cfg.from !== 'number' || typeof cfg.to !== 'number') bad('config.from and config.to must be numbers (epoch ms)');
  } else if (cfg.kind === 'external') {
    if (typeof cfg.command !== 'string') bad('config.command must be a string');
  } else if (typeof cfg.target !== 'string') {
    bad('config must be a load configuration or {"kind": "external", "command": …}');
  }

  if (value.result !== null) {
    if (!isObject(value.result)) bad('result must be an object or null');
    checkResult(value.result as Record<string, unknown>, bad);
  }

  if (!Array.isArray(value.serviceTimeline)) bad('serviceTimeline must be a list');
  (value.serviceTimeline as unknown[]).forEach((p, i) => {
    if (!isObject(p) || typeof p.t !== 'number') bad(`serviceTimeline[${i}] must be a point with a time t`);
  });
  const hb = value.heatBounds;
  if (hb !== undefined && (!Array.isArray(hb) || !hb.every((b) => b === null || typeof b === 'number'))) bad('heatBounds must be a list of numbers (null for +Inf)');
  const mc = value.metricColumns;
  if (mc === undefined) value.metricColumns = metricColumns(value.serviceTimeline as Point[], value.startedAt as number | null);
  else if (!isObject(mc) || !Array.isArray(mc.columns) || !Array.isArray(mc.rows) || !(mc.rows as unknown[]).every((r) => Array.isArray(r))) bad('metricColumns must be {columns, rows}');

  const env = value.environment;
  if (!isObject(env) || !isObject(env.machine) || typeof env.pulseVersion !== 'string') bad('environment must hold machine and pulseVersion');
  const git = (env as Record<string, unknown>).git;
  if (git !== undefined && git !== null && (!isObject(git) || typeof git.commit !== 'string')) bad('environment.git must be {commit, branch, dirty} or null');
  return value as unknown as RunRecord;
}

const LATENCY_KEYS: (keyof LatencySummaryMs)[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'min'];
const STOPPED_BY = ['duration', 'maxRequests', 'cancelled'];

function checkResult(r: Record<string, unknown>, bad: (detail: string) => never): void {
  const imported = isObject(r.imported);
  // Unknown numbers (an import's, or any NaN) were written as null: back to NaN.
  const number = (obj: Record<string, unknown>, k: string, where: string) => {
    if (obj[k] === null) obj[k] = NaN;
    else if (typeof obj[k] !== 'number') bad(`${where}.${k} must be a number`);
  };
  for (const k of ['requests', 'durationS', 'rps']) number(r, k, 'result');
  for (const lk of ['latencyMs', 'latencyMsUncorrected']) {
    const l = r[lk];
    if (l === undefined && lk === 'latencyMsUncorrected') continue;
    if (!isObject(l)) bad(`result.${lk} must be an object`);
    for (const k of LATENCY_KEYS) number(l as Record<string, unknown>, k, `result.${lk}`);
  }
  if (!isObject(r.errors) || !Object.values(r.errors).every((n) => typeof n === 'number')) bad('result.errors must map error kinds to counts');
  if (!isObject(r.statusCodes) || !Object.values(r.statusCodes).every((n) => typeof n === 'number')) bad('result.statusCodes must map status codes to counts');
  if (!Array.isArray(r.timeline)) bad('result.timeline must be a list');
  (r.timeline as unknown[]).forEach((s, i) => {
    if (!isObject(s) || typeof s.t !== 'number') bad(`result.timeline[${i}] must be a second with a time t`);
  });
  if (typeof r.histogram !== 'string') bad('result.histogram must be the encoded histogram (a string)');
  if (!STOPPED_BY.includes(r.stoppedBy as string)) bad(`result.stoppedBy must be one of ${STOPPED_BY.join(', ')}`);
  if (imported) {
    const imp = r.imported as Record<string, unknown>;
    if (!Array.isArray(imp.missing)) imp.missing = [];
    if (!Array.isArray(imp.notes)) imp.notes = [];
    if (!isObject(imp.extra)) imp.extra = {};
    if (Array.isArray(imp.endpoints)) {
      for (const e of imp.endpoints as unknown[]) {
        if (!isObject(e)) continue;
        for (const k of ['requests', 'failures', 'rps']) if (e[k] === null) e[k] = NaN;
        if (isObject(e.latencyMs)) for (const k of LATENCY_KEYS) if (e.latencyMs[k] === null) e.latencyMs[k] = NaN;
      }
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- listing -----------------------------------------------------------------------------

export interface RunRecordSummary {
  file: string;
  id?: string;
  name?: string;
  createdAt?: string;
  source?: RunSource;
  requests?: number;
  rps?: number;
  p95Ms?: number;
  /** Set instead of the fields above when the file cannot be read as a run record. */
  error?: string;
}

/** The run records in `dir`, newest first; unreadable files are listed with their error. */
export async function listRunRecords(dir: string): Promise<RunRecordSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const files = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort().reverse();
  return Promise.all(
    files.map(async (n): Promise<RunRecordSummary> => {
      const file = path.join(dir, n);
      try {
        const r = await readRunRecord(file);
        const s: RunRecordSummary = { file, id: r.id, name: r.name, createdAt: r.createdAt, source: r.source };
        if (r.result) {
          s.requests = r.result.requests;
          s.rps = r.result.rps;
          s.p95Ms = r.result.latencyMs.p95;
        }
        return s;
      } catch (e) {
        return { file, error: e instanceof RunRecordError ? e.detail : (e as Error).message };
      }
    }),
  );
}
