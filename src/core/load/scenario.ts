// Scenario files (`*.loadtest.json`) → LoadConfig. The format, with its JSON schema in
// schemas/loadtest.schema.json (contributed through `jsonValidation`, so the editor completes and
// validates it; test/unit/scenario.test.ts checks the two agree):
//
//   {
//     "$schema": "…/loadtest.schema.json",            optional, ignored
//     "name": "forecast steady",
//     "description": "…",                             optional
//     "target": "http://127.0.0.1:8000",              origin of the service (no path); may be left out
//                                                      when requestsFile's absolute URLs share one origin
//     "model": {"kind": "closed", "connections": 50}   or {"kind": "open", "rate": 200, "maxConnections": 500}
//     "profile": "steady",                            steady | ramp | spike | soak | stages (default steady)
//     "stages": [{"duration": "30s", "target": 100}], profile "stages" only: connections or req/s
//     "duration": "2m",                               required unless profile is "stages" (then the stages' sum)
//     "maxRequests": 100000, "thinkTime": "100ms", "timeout": "10s",
//     "requests": [{"method": "GET", "path": "/api/v1/forecast?city={{city}}", "headers": {…},
//                   "body": "…" or a JSON value, "weight": 3, "name": "forecast"}],
//     "requestsFile": "api.http",                     instead of requests: a REST Client file
//     "variables": {"city": "Berlin"}
//   }
//
// Durations are strings with units (500ms, 30s, 2m, 1h, 1m30s) or numbers of milliseconds.
// Errors name the JSON path and line ("line 14: requests[2].weight must be a positive number");
// all problems are reported at once. No vscode import.

import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { HttpFileError, parseHttpFile } from './httpFile';
import type { LoadConfig, LoadModel, ProfileKind, RequestSpec, Stage } from './types';

export interface ScenarioIssue {
  /** JSON path, e.g. `requests[2].weight`; '' for the document. */
  path: string;
  message: string;
  /** 1-based line in the scenario file, where known. */
  line?: number;
}

export class ScenarioError extends Error {
  constructor(
    readonly issues: ScenarioIssue[],
    readonly file?: string,
  ) {
    // In file order; issues without a line last.
    issues = issues.map((x, i) => [x, i] as const).sort(([a, i], [b, j]) => (a.line ?? Infinity) - (b.line ?? Infinity) || i - j).map(([x]) => x);
    super(formatIssues(issues, file));
    this.issues = issues;
    this.name = 'ScenarioError';
  }
}

export interface ParseScenarioOptions {
  /** Path of the scenario file: `requestsFile` is resolved against its folder; errors name it. */
  file?: string;
  /** Workspace root: `requestsFile` and body files outside it are refused. Default: the scenario's folder. */
  root?: string;
  /** Reads `requestsFile` and body files (default: the file system). */
  readFile?: (absPath: string) => string;
}

export interface ParsedScenario {
  config: LoadConfig;
  name: string;
  description?: string;
  warnings: ScenarioIssue[];
  /** Absolute path of the `.http` file the requests came from. */
  requestsFile?: string;
}

export const PROFILES: readonly ProfileKind[] = ['steady', 'ramp', 'spike', 'soak', 'stages'];
export const SCENARIO_FILE_PATTERN = /\.loadtest\.json$/i;

const TOP_KEYS = ['$schema', 'name', 'description', 'target', 'model', 'profile', 'stages', 'duration', 'maxRequests', 'thinkTime', 'timeout', 'requests', 'requestsFile', 'variables'];
const REQUEST_KEYS = ['name', 'method', 'path', 'headers', 'body', 'weight'];
/** An origin: scheme, host, optional port, nothing after but an optional slash. Same as the schema's pattern. */
export const TARGET_PATTERN = /^https?:\/\/[^/?#\s]+\/?$/;
/** Same as the schema's pattern for request paths. */
export const PATH_PATTERN = /^(\/|https?:\/\/)/;
export const METHOD_PATTERN = /^[A-Za-z]+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
/** Same as the schema's duration pattern. */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
/** Built-ins of the engine's templating ({{$guid}} is REST Client's name for {{$uuid}}). */
const BUILTINS = ['$randomInt', '$uuid', '$guid', '$timestamp'];
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from `500ms`, `30s`, `2m`, `1h`, `1m30s` or a number of milliseconds; null if neither. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !DURATION_PATTERN.test(value)) return null;
  let ms = 0;
  for (const m of value.matchAll(DURATION_PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

/** Parses the text of a scenario file. Throws ScenarioError listing every problem found. */
export function parseScenario(text: string, options: ParseScenarioOptions = {}): ParsedScenario {
  let doc: PositionedJson;
  try {
    doc = parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ScenarioError([{ path: '', message: e.message, line: e.line }], options.file);
    throw e;
  }
  const v = new Validator(doc);
  for (const d of doc.duplicates) v.warn(d, `${label(d)} appears twice; the last one counts`);
  const root = doc.value;
  if (!isObject(root)) {
    v.error('', 'a scenario must be a JSON object');
    throw new ScenarioError(v.errors, options.file);
  }
  v.unknownKeys('', root, TOP_KEYS);

  const name = v.string('name', root.name, { required: true, nonEmpty: true }) ?? '';
  const description = v.string('description', root.description);
  v.string('$schema', root.$schema);

  let target: string | undefined;
  if (root.target !== undefined) {
    const t = v.string('target', root.target);
    if (t !== undefined) {
      if (!TARGET_PATTERN.test(t)) v.error('target', `target must be the service's origin such as http://127.0.0.1:8000 (no path; put paths in the requests), got '${t}'`);
      else {
        try {
          target = new URL(t).origin;
        } catch {
          v.error('target', `target is not a valid URL: '${t}'`);
        }
      }
    }
  }

  const model = modelOf(v, root.model);
  let profile: ProfileKind = 'steady';
  if (root.profile !== undefined) {
    if (typeof root.profile !== 'string' || !PROFILES.includes(root.profile as ProfileKind)) v.error('profile', `profile must be one of ${PROFILES.join(', ')}`);
    else profile = root.profile as ProfileKind;
  }

  let stages: Stage[] | undefined;
  if (root.stages !== undefined) {
    stages = stagesOf(v, root.stages);
    if (profile !== 'stages') {
      v.warn('stages', `stages are used only with "profile": "stages"; profile ${profile} ignores them`);
      stages = undefined;
    }
  } else if (profile === 'stages') {
    v.error('stages', 'profile "stages" needs a stages list, e.g. [{"duration": "30s", "target": 100}]');
  }

  let durationMs: number | undefined;
  if (root.duration !== undefined) durationMs = v.duration('duration', root.duration, { positive: true });
  else if (profile !== 'stages') v.error('duration', 'duration is required, e.g. "30s" or "2m"');
  if (stages && stages.length) {
    const sum = stages.reduce((s, x) => s + x.durationMs, 0);
    if (durationMs === undefined && root.duration === undefined) {
      if (sum > 0) durationMs = sum;
      else v.error('stages', 'the stages last 0 s in total');
    } else if (durationMs !== undefined && durationMs < sum) {
      v.warn('duration', `the stages last ${fmtMs(sum)} but duration stops the run after ${fmtMs(durationMs)}`);
    }
  }

  const maxRequests = root.maxRequests === undefined ? undefined : v.positiveInteger('maxRequests', root.maxRequests);
  const thinkTimeMs = root.thinkTime === undefined ? undefined : v.duration('thinkTime', root.thinkTime, { positive: false });
  if (thinkTimeMs !== undefined && model?.kind === 'open') v.warn('thinkTime', 'thinkTime applies to the closed model only; the open model sends by the clock');
  const timeoutMs = root.timeout === undefined ? undefined : v.duration('timeout', root.timeout, { positive: true });

  let variables: Record<string, string> | undefined;
  if (root.variables !== undefined) {
    if (!isObject(root.variables)) v.error('variables', 'variables must be an object of names to values');
    else {
      variables = {};
      for (const [k, val] of Object.entries(root.variables)) {
        const p = `variables${key(k)}`;
        if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') variables[k] = String(val);
        else v.error(p, `${p} must be a string, number or boolean`);
      }
    }
  }

  let requests: RequestSpec[] = [];
  let requestsFile: string | undefined;
  if (root.requests !== undefined && root.requestsFile !== undefined) {
    v.error('requestsFile', 'use either requests or requestsFile, not both');
  } else if (root.requests !== undefined) {
    requests = requestsOf(v, root.requests);
  } else if (root.requestsFile !== undefined) {
    const rf = v.string('requestsFile', root.requestsFile, { nonEmpty: true });
    if (rf !== undefined) {
      const loaded = loadRequestsFile(v, rf, variables ?? {}, options);
      if (loaded) {
        requestsFile = loaded.file;
        requests = loaded.requests;
        if (!target && loaded.baseUrl) target = loaded.baseUrl;
        else if (target && loaded.baseUrl && loaded.baseUrl !== target) {
          v.warn('requestsFile', `${rf} addresses ${loaded.baseUrl}; its requests are sent to the target ${target}`);
        }
      }
    }
  } else {
    v.error('', 'a scenario needs requests (a list) or requestsFile (a .http file)');
  }

  if (!target && root.target === undefined && !(root.requestsFile !== undefined && v.errors.some((e) => e.path === 'requestsFile'))) {
    v.error('target', 'target is required, e.g. "http://127.0.0.1:8000"' + (requestsFile ? ` (${path.basename(requestsFile)} has no absolute URLs to take it from)` : ''));
  }

  // Every request goes to the target: an absolute URL elsewhere would bypass the target's safety check.
  if (target) {
    requests.forEach((r, i) => {
      if (!/^https?:\/\//i.test(r.path)) return;
      const where = requestsFile ? 'requestsFile' : `requests[${i}].path`;
      const m = /^(https?:\/\/[^/?#]*)(.*)$/i.exec(r.path)!;
      let origin = '';
      try {
        origin = new URL(m[1]!).origin;
      } catch {
        /* reported below */
      }
      if (origin !== target) v.error(where, `${requestsFile ? `request ${i + 1} (${r.method} ${r.path})` : where} goes to ${origin || m[1]}, not to the target ${target}; every request is sent to the target`);
      else r.path = m[2]!.startsWith('/') ? m[2]! : `/${m[2]}`;
    });
  }

  // References the engine's templating would refuse at run time: unknown variables and built-ins.
  const known = new Set(Object.keys(variables ?? {}));
  const missingVars = new Set<string>();
  const unknownBuiltins = new Set<string>();
  for (const r of requests) {
    for (const t of [r.path, r.body ?? '', ...Object.values(r.headers ?? {})]) {
      for (const m of t.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
        const expr = m[1]!;
        if (expr.startsWith('$')) {
          const head = expr.split(/\s+/)[0]!;
          if (!BUILTINS.includes(head)) unknownBuiltins.add(head);
        } else if (!known.has(expr)) missingVars.add(expr);
      }
    }
  }
  const where = requestsFile ? 'requestsFile' : 'requests';
  if (missingVars.size) v.error(root.variables !== undefined ? 'variables' : where, `${[...missingVars].map((n) => `{{${n}}}`).join(', ')} ${missingVars.size === 1 ? 'is' : 'are'} used by the requests but not defined in variables`);
  if (unknownBuiltins.size) v.error(where, `${[...unknownBuiltins].map((n) => `{{${n}}}`).join(', ')}: not a Pulse built-in (known: {{$randomInt min max}}, {{$uuid}}, {{$timestamp}})`);

  if (v.errors.length) throw new ScenarioError(v.errors, options.file);

  const config: LoadConfig = { target: target!, requests, model: model!, profile, durationMs: durationMs! };
  if (stages) config.stages = stages;
  if (maxRequests !== undefined) config.maxRequests = maxRequests;
  if (thinkTimeMs !== undefined && model!.kind === 'closed') config.thinkTimeMs = thinkTimeMs;
  if (timeoutMs !== undefined) config.timeoutMs = timeoutMs;
  if (variables) config.variables = variables;
  const out: ParsedScenario = { config, name, warnings: v.warnings };
  if (description !== undefined) out.description = description;
  if (requestsFile) out.requestsFile = requestsFile;
  return out;
}

/** Reads a scenario file and returns its LoadConfig (ScenarioError on any problem). */
export async function loadScenarioFile(file: string, options: Omit<ParseScenarioOptions, 'file'> = {}): Promise<LoadConfig> {
  return (await readScenarioFile(file, options)).config;
}

/** Reads a scenario file: its LoadConfig, name and warnings. */
export async function readScenarioFile(file: string, options: Omit<ParseScenarioOptions, 'file'> = {}): Promise<ParsedScenario> {
  const { readFile } = await import('node:fs/promises');
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ScenarioError([{ path: '', message: err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}` }], abs);
  }
  return parseScenario(text, { ...options, file: abs });
}

// --- parts -------------------------------------------------------------------------------

function modelOf(v: Validator, value: unknown): LoadModel | undefined {
  if (value === undefined) {
    v.error('model', 'model is required: {"kind": "closed", "connections": 50} or {"kind": "open", "rate": 200}');
    return undefined;
  }
  if (!isObject(value)) {
    v.error('model', 'model must be an object such as {"kind": "closed", "connections": 50}');
    return undefined;
  }
  if (value.kind === 'closed') {
    v.unknownKeys('model', value, ['kind', 'connections']);
    if (value.connections === undefined) v.error('model.connections', 'model.connections is required for the closed model');
    const connections = value.connections === undefined ? undefined : v.positiveInteger('model.connections', value.connections);
    return connections === undefined ? undefined : { kind: 'closed', connections };
  }
  if (value.kind === 'open') {
    v.unknownKeys('model', value, ['kind', 'rate', 'maxConnections']);
    if (value.rate === undefined) v.error('model.rate', 'model.rate (requests per second) is required for the open model');
    const rate = value.rate === undefined ? undefined : v.positiveNumber('model.rate', value.rate);
    const maxConnections = value.maxConnections === undefined ? undefined : v.positiveInteger('model.maxConnections', value.maxConnections);
    if (rate === undefined) return undefined;
    const m: LoadModel = { kind: 'open', rate };
    if (maxConnections !== undefined) m.maxConnections = maxConnections;
    return m;
  }
  v.error(value.kind === undefined ? 'model' : 'model.kind', `model.kind must be "closed" (N connections back to back) or "open" (a request rate)`);
  return undefined;
}

function stagesOf(v: Validator, value: unknown): Stage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    v.error('stages', 'stages must be a non-empty list such as [{"duration": "30s", "target": 100}]');
    return undefined;
  }
  const out: Stage[] = [];
  value.forEach((s, i) => {
    const p = `stages[${i}]`;
    if (!isObject(s)) return v.error(p, `${p} must be an object with duration and target`);
    v.unknownKeys(p, s, ['duration', 'target']);
    if (s.duration === undefined) v.error(`${p}.duration`, `${p}.duration is required`);
    if (s.target === undefined) v.error(`${p}.target`, `${p}.target is required (connections, or req/s in the open model)`);
    const durationMs = s.duration === undefined ? undefined : v.duration(`${p}.duration`, s.duration, { positive: false });
    let target: number | undefined;
    if (s.target !== undefined) {
      if (typeof s.target !== 'number' || !Number.isFinite(s.target) || s.target < 0) v.error(`${p}.target`, `${p}.target must be a number ≥ 0`);
      else target = s.target;
    }
    if (durationMs !== undefined && target !== undefined) out.push({ durationMs, target });
  });
  return out;
}

function requestsOf(v: Validator, value: unknown): RequestSpec[] {
  if (!Array.isArray(value) || value.length === 0) {
    v.error('requests', 'requests must be a non-empty list of requests such as {"method": "GET", "path": "/"}');
    return [];
  }
  const out: RequestSpec[] = [];
  value.forEach((r, i) => {
    const p = `requests[${i}]`;
    if (!isObject(r)) return v.error(p, `${p} must be an object such as {"method": "GET", "path": "/"}`);
    v.unknownKeys(p, r, REQUEST_KEYS);
    let method = 'GET';
    if (r.method !== undefined) {
      if (typeof r.method !== 'string' || !METHOD_PATTERN.test(r.method)) v.error(`${p}.method`, `${p}.method must be an HTTP method such as GET or POST`);
      else method = r.method.toUpperCase();
    }
    if (r.path === undefined) v.error(`${p}.path`, `${p}.path is required, e.g. "/api/v1/items?id={{$randomInt 1 100}}"`);
    const reqPath = r.path === undefined ? undefined : v.string(`${p}.path`, r.path);
    if (reqPath !== undefined && !PATH_PATTERN.test(reqPath)) v.error(`${p}.path`, `${p}.path must start with / (or be a URL on the target), got '${reqPath}'`);
    const spec: RequestSpec = { method, path: reqPath ?? '/' };
    const name = v.string(`${p}.name`, r.name);
    if (name !== undefined) spec.name = name;
    let headers: Record<string, string> | undefined;
    if (r.headers !== undefined) {
      if (!isObject(r.headers)) v.error(`${p}.headers`, `${p}.headers must be an object of header names to strings`);
      else {
        headers = {};
        for (const [k, hv] of Object.entries(r.headers)) {
          if (typeof hv !== 'string') v.error(`${p}.headers${key(k)}`, `${p}.headers${key(k)} must be a string`);
          else headers[k] = hv;
        }
      }
    }
    if (r.body !== undefined) {
      if (typeof r.body === 'string') spec.body = r.body;
      else if (r.body !== null && typeof r.body === 'object') {
        spec.body = JSON.stringify(r.body);
        headers ??= {};
        if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      } else v.error(`${p}.body`, `${p}.body must be a string, or a JSON object or array (sent as JSON)`);
    }
    if (headers && Object.keys(headers).length) spec.headers = headers;
    if (r.weight !== undefined) {
      const w = v.positiveNumber(`${p}.weight`, r.weight);
      if (w !== undefined) spec.weight = w;
    }
    out.push(spec);
  });
  return out;
}

function loadRequestsFile(
  v: Validator,
  ref: string,
  variables: Record<string, string>,
  options: ParseScenarioOptions,
): { file: string; requests: RequestSpec[]; baseUrl: string | null } | undefined {
  if (!options.file) {
    v.error('requestsFile', 'requestsFile needs the scenario file\'s path to be resolved');
    return undefined;
  }
  const dir = path.dirname(path.resolve(options.file));
  const root = path.resolve(options.root ?? dir);
  const abs = path.resolve(dir, ref);
  if (!isInside(root, abs)) {
    v.error('requestsFile', `requestsFile ${ref} is outside the workspace folder (${root}); it is not read`);
    return undefined;
  }
  if (!/\.(http|rest)$/i.test(abs)) v.warn('requestsFile', `requestsFile ${ref} is read as a REST Client .http file`);
  let text: string;
  try {
    if (options.readFile) text = options.readFile(abs);
    else {
      const real = realpathSync(abs);
      if (!isInside(realpathSync(root), real)) {
        v.error('requestsFile', `requestsFile ${ref} links outside the workspace folder (${root}); it is not read`);
        return undefined;
      }
      text = readFileSync(real, 'utf8');
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    v.error('requestsFile', `cannot read requestsFile ${ref}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    return undefined;
  }
  try {
    const read = options.readFile;
    const parsed = parseHttpFile(text, { file: abs, root, variables, ...(read ? { readFile: (p: string) => read(p) } : {}) });
    for (const w of parsed.warnings) v.warn('requestsFile', `${path.basename(abs)}:${w.line}: ${w.message}`);
    return { file: abs, requests: parsed.requests, baseUrl: parsed.baseUrl };
  } catch (e) {
    if (e instanceof HttpFileError) {
      v.error('requestsFile', e.message);
      return undefined;
    }
    throw e;
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

// --- validation --------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `.name` for identifiers, `["odd name"]` otherwise. */
function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

function label(p: string): string {
  return p === '' ? 'the scenario' : p;
}

function formatIssues(issues: ScenarioIssue[], file?: string): string {
  const base = file ? path.basename(file) : 'scenario';
  if (issues.length === 1) {
    const i = issues[0]!;
    return `${base}${i.line ? `:${i.line}` : ''}: ${i.message}`;
  }
  return `${base}: ${issues.length} problems\n${issues.map((i) => `  ${i.line ? `line ${i.line}: ` : ''}${i.message}`).join('\n')}`;
}

/** Edit distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

class Validator {
  readonly errors: ScenarioIssue[] = [];
  readonly warnings: ScenarioIssue[] = [];
  constructor(private readonly doc: PositionedJson) {}

  private issue(p: string, message: string): ScenarioIssue {
    const line = this.doc.lines.get(p) ?? this.nearestLine(p);
    return line === undefined ? { path: p, message } : { path: p, message, line };
  }

  private nearestLine(p: string): number | undefined {
    // A missing key: point at the object that lacks it.
    let q = p;
    while (q) {
      const parent = q.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
      q = parent === q ? '' : parent;
      const l = this.doc.lines.get(q);
      if (l !== undefined) return l;
    }
    return this.doc.lines.get('');
  }

  error(p: string, message: string): void {
    this.errors.push(this.issue(p, message));
  }

  warn(p: string, message: string): void {
    this.warnings.push(this.issue(p, message));
  }

  unknownKeys(p: string, obj: Record<string, unknown>, allowed: string[]): void {
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      const near = allowed.filter((a) => distance(a.toLowerCase(), k.toLowerCase()) <= 2);
      const kp = p ? `${p}${key(k)}` : key(k).replace(/^\./, '');
      this.error(kp, `unknown key ${kp}${near.length ? ` (did you mean ${near[0]}?)` : `; allowed: ${allowed.join(', ')}`}`);
    }
  }

  string(p: string, value: unknown, o: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    if (value === undefined) {
      if (o.required) this.error(p, `${p} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.error(p, `${p} must be a string`);
      return undefined;
    }
    if (o.nonEmpty && value.trim() === '') {
      this.error(p, `${p} must not be empty`);
      return undefined;
    }
    return value;
  }

  positiveNumber(p: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      this.error(p, `${p} must be a positive number`);
      return undefined;
    }
    return value;
  }

  positiveInteger(p: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      this.error(p, `${p} must be a whole number ≥ 1`);
      return undefined;
    }
    return value;
  }

  duration(p: string, value: unknown, o: { positive: boolean }): number | undefined {
    const ms = parseDuration(value);
    if (ms === null || ms < 0 || (o.positive && ms === 0)) {
      const what = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
      this.error(p, `${p} must be a ${o.positive ? 'positive ' : ''}duration such as "500ms", "30s", "2m" or a number of milliseconds, got ${what}`);
      return undefined;
    }
    return ms;
  }
}

// --- JSON with positions -----------------------------------------------------------------

interface PositionedJson {
  value: unknown;
  /** JSON path → 1-based line of the value (object members: of the key). */
  lines: Map<string, number>;
  /** Paths of keys that appear twice in one object. */
  duplicates: string[];
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'JsonSyntaxError';
  }
}

/** JSON.parse that also records the line of every value by JSON path, and says where it broke. */
export function parseJsonWithPositions(text: string): PositionedJson {
  const src = text.replace(/^\uFEFF/, '');
  const lines = new Map<string, number>();
  const duplicates: string[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line, i - lineStart + 1);
  };
  const ws = () => {
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === 10) {
        line++;
        lineStart = ++i;
      } else if (c === 32 || c === 9 || c === 13) i++;
      else break;
    }
  };
  const end = () => fail('the file ends too early (is it truncated?)');
  const describe = (c: string) => (c === '' ? 'end of file' : `'${c}'`);

  const value = (p: string): unknown => {
    ws();
    if (i >= src.length) end();
    lines.set(p, line);
    const c = src[i]!;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (src[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (i >= src.length) end();
        if (src[i] !== '"') fail(`expected a property name in double quotes, got ${describe(src[i]!)}`);
        const keyLine = line;
        const k = string();
        const kp = p === '' ? key(k).replace(/^\./, '') : `${p}${key(k)}`;
        ws();
        if (i >= src.length) end();
        if (src[i] !== ':') fail(`expected ':' after "${k}", got ${describe(src[i]!)}`);
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, k)) duplicates.push(kp);
        obj[k] = value(kp);
        lines.set(kp, keyLine);
        ws();
        if (i >= src.length) end();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected ',' or '}' after the value of "${k}", got ${describe(src[i]!)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (src[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${p}[${arr.length}]`));
        ws();
        if (i >= src.length) end();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected ',' or ']' in the list, got ${describe(src[i]!)}`);
      }
    }
    if (c === '"') return string();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(src.slice(i, i + 400));
    if (!lit) fail(`unexpected ${describe(c)}${c === "'" ? ' (JSON strings use double quotes)' : ''}`);
    i += lit![0].length;
    return JSON.parse(lit![0]);
  };

  const string = (): string => {
    const start = i++;
    for (;;) {
      if (i >= src.length) end();
      const c = src[i]!;
      if (c === '"') break;
      if (c === '\n') fail('a string does not end on its line');
      i += c === '\\' ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(src.slice(start, i)) as string;
    } catch {
      return fail('invalid escape or control character in a string');
    }
  };

  const result = value('');
  ws();
  if (i < src.length) fail(`unexpected ${describe(src[i]!)} after the end of the JSON value`);
  return { value: result, lines, duplicates };
}
