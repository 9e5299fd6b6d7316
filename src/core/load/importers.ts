// Results of external load generators, read into Pulse's LoadResult shape so a k6, Locust or
// autocannon run is recorded and compared like one of Pulse's own runs.
//
//   k6 JSON summary   `k6 run --summary-export=summary.json` (metrics flattened, rates as
//                     passes/fails/value), or the data handleSummary() receives written as JSON
//                     (metrics.*.values, state.testRunDurationMs). Both are recognised.
//   Locust CSV        `locust --csv=PREFIX --headless`: PREFIX_stats.csv (the Aggregated row and
//                     one row per endpoint), optionally PREFIX_stats_history.csv (timeline) and
//                     PREFIX_failures.csv (error kinds).
//   autocannon JSON   `autocannon --json URL > out.json`.
//
// What a runner does not report is not made up: unknown latency fields are NaN (null once written
// to JSON; readRunRecord restores NaN), and `imported.missing` names every such field
// ("latencyMs.p95", "statusCodes", "timeline", "histogram", …). `imported.notes` says how the
// numbers were derived and what to keep in mind (rounding, cumulative percentiles).
//
// `requests` counts requests that ended (with a response or an error), as Pulse's engine does;
// `rps` = requests / durationS. Pulse's `errors.http` counts 5xx responses only; where a runner
// reports every status (autocannon) that is what it holds, but k6 and Locust count 4xx as
// failures too and cannot be split without status codes (see each importer's notes).
// No vscode import.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ErrorKind, LatencySummaryMs, LoadResult, LoadSecond } from './types';

export type ImportSource = 'k6' | 'locust' | 'autocannon';

/** One endpoint's numbers as the runner reported them (NaN when not reported). */
export interface ImportedEndpoint {
  method: string;
  name: string;
  requests: number;
  failures: number;
  rps: number;
  latencyMs: LatencySummaryMs;
}

export interface ImportedResult extends LoadResult {
  imported: {
    source: ImportSource;
    /** LoadResult fields the runner does not report: NaN (numbers), {} / [] / '' (others). */
    missing: string[];
    /** How the numbers were derived and their caveats. */
    notes: string[];
    /** Numbers the runner reports that LoadResult has no place for (k6 iterations and checks, autocannon p97.5 …). */
    extra: Record<string, number>;
    /** Per-endpoint rows (Locust). */
    endpoints?: ImportedEndpoint[];
    /** When the run started (epoch ms), if the runner says. */
    startedAt?: number;
  };
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const LATENCY_KEYS: (keyof LatencySummaryMs)[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'min'];

function emptyErrors(): Record<ErrorKind, number> {
  return { connect: 0, timeout: 0, reset: 0, http: 0, other: 0 };
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

function finish(
  source: ImportSource,
  r: Omit<LoadResult, 'histogram' | 'stoppedBy' | 'timeline'> & { timeline?: LoadSecond[] },
  missing: string[],
  notes: string[],
  extra: Record<string, number>,
): ImportedResult {
  for (const k of LATENCY_KEYS) if (!Number.isFinite(r.latencyMs[k])) missing.push(`latencyMs.${k}`);
  for (const k of ['requests', 'durationS', 'rps'] as const) if (!Number.isFinite(r[k])) missing.push(k);
  if (!r.timeline || r.timeline.length === 0) missing.push('timeline');
  missing.push('histogram');
  notes.push('No latency histogram: distributions cannot be compared sample by sample, only by the percentiles above.');
  const out: ImportedResult = {
    ...r,
    timeline: r.timeline ?? [],
    histogram: '',
    stoppedBy: 'duration',
    imported: { source, missing: [...new Set(missing)], notes, extra },
  };
  return out;
}

// --- k6 ----------------------------------------------------------------------------------

type K6Metric = Record<string, unknown>;

/** k6's `--summary-export` JSON, or handleSummary()'s data written as JSON. */
export function importK6Summary(text: string): ImportedResult {
  const doc = parseJson(text, 'k6 summary');
  const metricsObj = (doc as { metrics?: unknown }).metrics;
  if (!isRecord(metricsObj) || !('http_req_duration' in metricsObj || 'http_reqs' in metricsObj)) {
    throw new ImportError('not a k6 summary: no metrics.http_req_duration or metrics.http_reqs (write it with `k6 run --summary-export=summary.json`)');
  }
  // handleSummary data nests the numbers in `values`; --summary-export flattens them.
  const values = (name: string): K6Metric | undefined => {
    const m = metricsObj[name];
    if (!isRecord(m)) return undefined;
    return isRecord(m.values) ? m.values : m;
  };
  const missing: string[] = [];
  const notes: string[] = [];
  const extra: Record<string, number> = {};

  const d = values('http_req_duration') ?? {};
  const pct = (p: number): number => {
    for (const [k, v] of Object.entries(d)) {
      const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(k);
      if (m && Number(m[1]) === p) return num(v);
    }
    return NaN;
  };
  const latencyMs: LatencySummaryMs = {
    p50: Number.isFinite(num(d.med)) ? num(d.med) : pct(50),
    p90: pct(90),
    p95: pct(95),
    p99: pct(99),
    p999: pct(99.9),
    max: num(d.max),
    mean: num(d.avg),
    min: num(d.min),
  };
  if (!Number.isFinite(latencyMs.p99) || !Number.isFinite(latencyMs.p999)) {
    notes.push('k6 reports only the percentiles in --summary-trend-stats (default avg,min,med,max,p(90),p(95)); add p(99),p(99.9) to get them.');
  }
  notes.push('Latency is k6\'s http_req_duration (sending + waiting + receiving; connection setup excluded).');

  const reqs = values('http_reqs') ?? {};
  const count = num(reqs.count);
  const rate = num(reqs.rate);
  const state = (doc as { state?: unknown }).state;
  let durationS = isRecord(state) ? num(state.testRunDurationMs) / 1000 : NaN;
  if (!Number.isFinite(durationS) && count > 0 && rate > 0) {
    durationS = count / rate;
    notes.push('Duration is http_reqs count / rate (the summary export has no test duration).');
  }

  const errors = emptyErrors();
  const failed = values('http_req_failed');
  if (failed) {
    // A Rate metric: `passes` counts true values, i.e. failed requests.
    const passes = num(failed.passes);
    if (Number.isFinite(passes)) errors.other = passes;
    else missing.push('errors');
    extra.http_req_failed_rate = num(failed.value ?? failed.rate);
    notes.push('k6 does not classify failures (by default status ≥ 400 or a network error; Pulse counts only 5xx): they are all counted as errors.other.');
  } else {
    missing.push('errors');
  }
  missing.push('errors.byKind', 'statusCodes');

  const iterations = values('iterations');
  if (iterations) {
    extra.iterations = num(iterations.count);
    extra.iterations_per_s = num(iterations.rate);
  }
  const checks = values('checks');
  if (checks) {
    extra.checks_passes = num(checks.passes);
    extra.checks_fails = num(checks.fails);
  }
  const vusMax = values('vus_max');
  if (vusMax) extra.vus_max = num(vusMax.value ?? vusMax.max);
  for (const [name, key] of [['data_received', 'data_received_bytes'], ['data_sent', 'data_sent_bytes']] as const) {
    const m = values(name);
    if (m) extra[key] = num(m.count);
  }
  const breached = thresholdsBreached(metricsObj);
  if (breached.length) {
    extra.thresholds_breached = breached.length;
    notes.push(`k6 thresholds breached: ${breached.join(', ')}`);
  }

  const requests = count;
  return finish('k6', { requests, durationS, rps: Number.isFinite(rate) ? rate : requests / durationS, latencyMs, errors, statusCodes: {} }, missing, notes, dropNaN(extra));
}

function thresholdsBreached(metrics: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, m] of Object.entries(metrics)) {
    if (!isRecord(m)) continue;
    // handleSummary data: {expr: {ok}}; the export (values flattened into the metric): {expr: true if failed}.
    const t = m.thresholds;
    if (!isRecord(t)) continue;
    for (const [expr, r] of Object.entries(t)) {
      const failed = isRecord(r) ? r.ok === false : r === true;
      if (failed) out.push(`${name} ${expr}`);
    }
  }
  return out;
}

// --- Locust ------------------------------------------------------------------------------

export interface LocustCsvFiles {
  /** PREFIX_stats.csv */
  stats: string;
  /** PREFIX_stats_history.csv */
  history?: string;
  /** PREFIX_failures.csv */
  failures?: string;
}

const LOCUST_AGGREGATE = new Set(['aggregated', 'total', 'none total']);

/** Locust's `--csv` output. */
export function importLocustCsv(files: LocustCsvFiles): ImportedResult {
  const stats = parseCsv(files.stats);
  const col = columns(stats.header, 'Locust stats CSV', {
    type: ['Type', 'Method'],
    name: ['Name'],
    requests: ['Request Count', '# requests'],
    failures: ['Failure Count', '# failures'],
    median: ['Median Response Time', 'Median response time'],
    mean: ['Average Response Time', 'Average response time'],
    min: ['Min Response Time', 'Min response time'],
    max: ['Max Response Time', 'Max response time'],
    rps: ['Requests/s'],
  });
  const missing: string[] = [];
  const notes: string[] = [
    'Locust rounds response times before computing percentiles (to 10 ms between 100 ms and 1 s, 100 ms between 1 s and 10 s).',
  ];
  const pctIndex = percentileColumns(stats.header);
  const rowOf = (cells: string[]): ImportedEndpoint => {
    const get = (i: number | undefined) => (i === undefined ? NaN : parseNumber(cells[i]));
    const p = (q: number) => get(pctIndex.get(q));
    return {
      method: cells[col.type!] ?? '',
      name: cells[col.name!] ?? '',
      requests: get(col.requests),
      failures: get(col.failures),
      rps: get(col.rps),
      latencyMs: { p50: Number.isFinite(p(50)) ? p(50) : get(col.median), p90: p(90), p95: p(95), p99: p(99), p999: p(99.9), max: get(col.max), mean: get(col.mean), min: get(col.min) },
    };
  };
  let aggregate: ImportedEndpoint | undefined;
  const endpoints: ImportedEndpoint[] = [];
  for (const [i, cells] of stats.rows.entries()) {
    if (cells.length < stats.header.length) {
      throw new ImportError(`Locust stats CSV row ${i + 2} has ${cells.length} of ${stats.header.length} columns (is the file truncated?)`);
    }
    const name = (cells[col.name!] ?? '').trim().toLowerCase();
    if (LOCUST_AGGREGATE.has(name)) aggregate = rowOf(cells);
    else endpoints.push(rowOf(cells));
  }
  if (!aggregate) throw new ImportError('Locust stats CSV has no Aggregated row (is the file truncated?)');

  const requests = aggregate.requests;
  const durationS = aggregate.rps > 0 ? requests / aggregate.rps : NaN;
  notes.push('Duration is Request Count / Requests/s of the Aggregated row.');
  notes.push('Locust failures include 4xx responses (Pulse counts only 5xx as HTTP errors).');

  const errors = emptyErrors();
  const extra: Record<string, number> = {};
  if (files.failures !== undefined) {
    const byKind = classifyLocustFailures(files.failures);
    Object.assign(errors, byKind.errors);
    for (const [code, n] of Object.entries(byKind.statusCodes)) extra[`failed_status_${code}`] = n;
    const classified = Object.values(byKind.errors).reduce((a, b) => a + b, 0);
    if (Number.isFinite(aggregate.failures) && classified !== aggregate.failures) {
      errors.other += Math.max(0, aggregate.failures - classified);
      notes.push(`The failures CSV accounts for ${classified} of ${aggregate.failures} failures; the rest are counted as errors.other.`);
    }
  } else {
    errors.other = Number.isFinite(aggregate.failures) ? aggregate.failures : 0;
    missing.push('errors.byKind');
    notes.push('Without PREFIX_failures.csv the failures are not classified: all counted as errors.other.');
  }
  missing.push('statusCodes');

  let timeline: LoadSecond[] | undefined;
  let startedAt: number | undefined;
  if (files.history !== undefined) {
    const h = locustTimeline(files.history, notes);
    timeline = h.timeline;
    startedAt = h.startedAt;
  }

  const result = finish('locust', { requests, durationS, rps: aggregate.rps, latencyMs: aggregate.latencyMs, errors, statusCodes: {}, ...(timeline ? { timeline } : {}) }, missing, notes, extra);
  result.imported.endpoints = endpoints;
  if (startedAt !== undefined) result.imported.startedAt = startedAt;
  return result;
}

function locustTimeline(text: string, notes: string[]): { timeline: LoadSecond[]; startedAt?: number } {
  const csv = parseCsv(text);
  const col = columns(csv.header, 'Locust stats history CSV', {
    timestamp: ['Timestamp'],
    name: ['Name'],
    totalRequests: ['Total Request Count'],
    totalFailures: ['Total Failure Count'],
  });
  const pct = percentileColumns(csv.header);
  // With --csv-full-history there are per-endpoint rows too, and every row's percentiles are
  // current; without it the Aggregated row's percentiles are cumulative since the start.
  let fullHistory = false;
  const rows: string[][] = [];
  for (const cells of csv.rows) {
    if (cells.length < csv.header.length) {
      notes.push('The stats history CSV ends in an incomplete row (truncated); it was left out.');
      continue;
    }
    const name = (cells[col.name!] ?? '').trim().toLowerCase();
    if (LOCUST_AGGREGATE.has(name)) rows.push(cells);
    else fullHistory = true;
  }
  if (!fullHistory) notes.push('Timeline percentiles are empty: Locust writes cumulative percentiles to the history unless run with --csv-full-history.');
  const byT = new Map<number, string[]>();
  for (const cells of rows) {
    const ts = parseNumber(cells[col.timestamp!]);
    if (Number.isFinite(ts)) byT.set(ts, cells); // later rows of the same second win (counts are cumulative)
  }
  const times = [...byT.keys()].sort((a, b) => a - b);
  if (times.length === 0) return { timeline: [] };
  const t0 = times[0]!;
  const timeline: LoadSecond[] = [];
  let prevReq = 0;
  let prevFail = 0;
  for (const ts of times) {
    const cells = byT.get(ts)!;
    const total = parseNumber(cells[col.totalRequests!]);
    const fails = parseNumber(cells[col.totalFailures!]);
    const completed = Number.isFinite(total) ? Math.max(0, total - prevReq) : 0;
    const errors = Number.isFinite(fails) ? Math.max(0, fails - prevFail) : 0;
    if (Number.isFinite(total)) prevReq = total;
    if (Number.isFinite(fails)) prevFail = fails;
    const p = (q: number) => {
      if (!fullHistory) return null;
      const i = pct.get(q);
      const v = i === undefined ? NaN : parseNumber(cells[i]);
      return Number.isFinite(v) ? v : null;
    };
    timeline.push({ t: ts - t0, sent: completed, completed, errors, targetRate: null, p50: p(50), p95: p(95), p99: p(99), status: {} });
  }
  notes.push('Timeline: one entry per history row (Locust writes one a second); sent = completed; no status codes.');
  return { timeline, startedAt: t0 * 1000 };
}

/** Counts PREFIX_failures.csv occurrences by Pulse's error kinds from the error text. */
export function classifyLocustFailures(text: string): { errors: Record<ErrorKind, number>; statusCodes: Record<string, number> } {
  const csv = parseCsv(text);
  const col = columns(csv.header, 'Locust failures CSV', { error: ['Error'], occurrences: ['Occurrences', '# occurrences'] });
  const errors = emptyErrors();
  const statusCodes: Record<string, number> = {};
  for (const cells of csv.rows) {
    if (cells.length < csv.header.length) continue;
    const msg = cells[col.error!] ?? '';
    const n = parseNumber(cells[col.occurrences!]);
    if (!Number.isFinite(n)) continue;
    const kind = classifyErrorText(msg);
    errors[kind.kind] += n;
    if (kind.status) statusCodes[kind.status] = (statusCodes[kind.status] ?? 0) + n;
  }
  return { errors, statusCodes };
}

/** Pulse's error kind of a runner's error message (requests / FastHttpUser / Node errors). */
export function classifyErrorText(msg: string): { kind: ErrorKind; status?: string } {
  const status = /\b([1-5]\d\d) (?:Client|Server) Error\b/.exec(msg)?.[1] ?? /\bcode=([1-5]\d\d)\b/.exec(msg)?.[1] ?? /\bstatus(?: code)?[ =:]+([1-5]\d\d)\b/i.exec(msg)?.[1];
  if (status) return { kind: 'http', status };
  if (/timed? ?out|timeout/i.test(msg)) return { kind: 'timeout' };
  if (/reset|RemoteDisconnected|BrokenPipe|EPIPE|ECONNRESET|aborted|closed connection/i.test(msg)) return { kind: 'reset' };
  if (/refused|ECONNREFUSED|NewConnectionError|Failed to establish|Name or service not known|getaddrinfo|ENOTFOUND|EHOSTUNREACH|ConnectionError|connect/i.test(msg)) return { kind: 'connect' };
  return { kind: 'other' };
}

// --- autocannon --------------------------------------------------------------------------

/** autocannon's `--json` output. */
export function importAutocannonJson(text: string): ImportedResult {
  const doc = parseJson(text, 'autocannon result');
  if (!isRecord(doc) || !isRecord(doc.latency) || !isRecord(doc.requests)) {
    throw new ImportError('not an autocannon result: no latency and requests objects (write it with `autocannon --json URL > result.json`)');
  }
  const lat = doc.latency;
  const req = doc.requests;
  const missing: string[] = [];
  const notes: string[] = [
    'autocannon measures latency in whole milliseconds; requests that timed out or failed have no latency.',
    'autocannon reports no p95: compare p90 / p99 (p97.5 is in extra).',
  ];
  const latencyMs: LatencySummaryMs = {
    p50: num(lat.p50),
    p90: num(lat.p90),
    p95: NaN,
    p99: num(lat.p99),
    p999: num(lat.p99_9),
    max: num(lat.max),
    mean: num(lat.mean ?? lat.average),
    min: num(lat.min),
  };
  const responses = num(req.total);
  const errorsTotal = Number.isFinite(num(doc.errors)) ? num(doc.errors) : 0;
  const timeouts = Number.isFinite(num(doc.timeouts)) ? num(doc.timeouts) : 0;
  const durationS = num(doc.duration);
  const requests = responses + errorsTotal;
  notes.push('requests = responses (requests.total) + errors (timeouts and socket errors); requests still in flight when the run stopped are not counted.');

  const statusCodes: Record<string, number> = {};
  const errors = emptyErrors();
  errors.timeout = timeouts;
  errors.other = Math.max(0, errorsTotal - timeouts);
  if (isRecord(doc.statusCodeStats)) {
    for (const [code, s] of Object.entries(doc.statusCodeStats)) {
      const n = isRecord(s) ? num(s.count) : num(s);
      if (!Number.isFinite(n)) continue;
      statusCodes[code] = n;
      if (Number(code) >= 500) errors.http += n;
    }
  } else {
    missing.push('statusCodes');
    const c5 = num(doc['5xx']);
    errors.http = Number.isFinite(c5) ? c5 : 0;
  }
  if (errors.other > 0) notes.push('autocannon does not say which socket errors happened: they are counted as errors.other.');

  const extra: Record<string, number> = {
    sent: num(req.sent),
    latency_p2_5: num(lat.p2_5),
    latency_p97_5: num(lat.p97_5),
    latency_p99_99: num(lat.p99_99),
    latency_stddev: num(lat.stddev),
    rps_mean_of_seconds: num(req.average ?? req.mean),
    rps_min_second: num(req.min),
    rps_max_second: num(req.max),
    throughput_bytes_per_s: isRecord(doc.throughput) ? num(doc.throughput.average ?? doc.throughput.mean) : NaN,
    non2xx: num(doc.non2xx),
    mismatches: num(doc.mismatches),
    connections: num(doc.connections),
    pipelining: num(doc.pipelining),
  };
  const result = finish('autocannon', { requests, durationS, rps: durationS > 0 ? requests / durationS : NaN, latencyMs, errors, statusCodes }, missing, notes, dropNaN(extra));
  const start = typeof doc.start === 'string' ? Date.parse(doc.start) : NaN;
  if (Number.isFinite(start)) result.imported.startedAt = start;
  return result;
}

// --- files -------------------------------------------------------------------------------

/** Which runner wrote this text, from its content (null if none known). */
export function detectImportFormat(text: string): ImportSource | null {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as unknown;
      if (isRecord(doc) && isRecord(doc.metrics) && ('http_req_duration' in doc.metrics || 'http_reqs' in doc.metrics)) return 'k6';
      if (isRecord(doc) && isRecord(doc.latency) && isRecord(doc.requests)) return 'autocannon';
    } catch {
      return null;
    }
    return null;
  }
  const header = t.split(/\r?\n/, 1)[0] ?? '';
  if (/(^|,)"?Name"?(,|$)/.test(header) && /Request Count|# requests/i.test(header)) return 'locust';
  return null;
}

/**
 * Imports a result file: a k6 or autocannon JSON file, a Locust PREFIX_stats.csv (its
 * _stats_history.csv and _failures.csv siblings are read when present), or a Locust PREFIX.
 */
export async function importResultFile(file: string): Promise<ImportedResult> {
  const abs = path.resolve(file);
  const locustPrefix = /_stats\.csv$/i.test(abs) ? abs.replace(/_stats\.csv$/i, '') : (await exists(`${abs}_stats.csv`)) ? abs : null;
  if (locustPrefix) {
    const stats = await read(`${locustPrefix}_stats.csv`);
    const history = await readOptional(`${locustPrefix}_stats_history.csv`);
    const failures = await readOptional(`${locustPrefix}_failures.csv`);
    return importLocustCsv({ stats, ...(history !== undefined ? { history } : {}), ...(failures !== undefined ? { failures } : {}) });
  }
  const text = await read(abs);
  const kind = detectImportFormat(text);
  try {
    if (kind === 'k6') return importK6Summary(text);
    if (kind === 'autocannon') return importAutocannonJson(text);
    if (kind === 'locust') return importLocustCsv({ stats: text });
  } catch (e) {
    if (e instanceof ImportError) throw new ImportError(`${path.basename(abs)}: ${e.message}`);
    throw e;
  }
  if (/^\s*[{[]/.test(text)) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ImportError(`${path.basename(abs)} is not valid JSON${/end of JSON|Unterminated/i.test((e as Error).message) ? ' (the file ends early: truncated?)' : ''}: ${(e as Error).message}`);
    }
  }
  throw new ImportError(`${path.basename(abs)} is not a k6 summary, Locust stats CSV or autocannon JSON result`);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

async function read(p: string): Promise<string> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ImportError(`cannot read ${p}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

async function readOptional(p: string): Promise<string | undefined> {
  return (await exists(p)) ? read(p) : undefined;
}

// --- helpers -----------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dropNaN(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => Number.isFinite(v)));
}

function parseJson(text: string, what: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (t.trim() === '') throw new ImportError(`the ${what} is empty`);
  try {
    return JSON.parse(t);
  } catch (e) {
    const msg = (e as Error).message;
    throw new ImportError(`the ${what} is not valid JSON${/end of JSON|Unterminated|Expected/i.test(msg) && !/Unexpected token/.test(msg) ? ' (it ends early: truncated?)' : ''}: ${msg}`);
  }
}

function parseNumber(s: string | undefined): number {
  if (s === undefined) return NaN;
  const t = s.trim();
  if (t === '' || /^n\/?a$/i.test(t)) return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

/** Column index by any of the names (case-insensitive); throws naming the first missing required column. */
function columns<K extends string>(header: string[], what: string, spec: Record<K, string[]>): Partial<Record<K, number>> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const out: Partial<Record<K, number>> = {};
  for (const [k, names] of Object.entries(spec) as [K, string[]][]) {
    const i = lower.findIndex((h) => names.some((n) => n.toLowerCase() === h));
    if (i < 0) throw new ImportError(`${what} has no "${names[0]}" column (columns: ${header.join(', ') || 'none'})`);
    out[k] = i;
  }
  return out;
}

/** "50%" → 50, "99.9%" → 99.9: quantile (percent) → column index. */
function percentileColumns(header: string[]): Map<number, number> {
  const out = new Map<number, number>();
  header.forEach((h, i) => {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(h.trim());
    if (m) out.set(Number(m[1]), i);
  });
  return out;
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF, BOM). Blank lines are skipped. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const src = text.replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    rec.push(field);
    field = '';
    if (!(rec.length === 1 && rec[0] === '')) records.push(rec);
    rec = [];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      rec.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || rec.length) endRecord();
  const [header, ...rows] = records;
  if (!header) throw new ImportError('the CSV file is empty');
  return { header, rows };
}
