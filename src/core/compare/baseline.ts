// Baselines (issue 5): a run record kept under a name in `.pulse/baselines/<slug>.json`, tagged
// with what makes runs comparable (git commit, machine, Pulse version, load settings), optionally
// with its own regression rules. Small enough to commit: the run's histogram stays encoded and
// the CSV-shaped metricColumns (derivable from the timeline) are not written.
//
//   {
//     "schemaVersion": 1, "kind": "pulse-baseline", "name": "main before cache change",
//     "createdAt": "2026-01-23T14:31:00.000Z",
//     "tags": {"git": {"commit", "branch", "dirty"} | null, "machine": "dev-box (8 × Example CPU)",
//              "pulseVersion": "0.1.0", "settings": {"runner", "model", "rate", "connections", …}},
//     "rules": [{"metric": "p95", "maxWorsePct": 5}],          optional
//     "run": RunRecord
//   }
//
// Saving never replaces an existing file unless asked to (overwrite: true), even a corrupt one.
// Reading explains a bad file by name and problem. A plain run record is accepted wherever a
// baseline is read (the CLI compares run against run). No vscode import.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeFileExclusive } from '../atomic';
import { parseJsonText, readJsonFile } from '../jsonText';
import { RUN_KIND, RunRecordError, loadConfigOf, slug, stringifyRecord, validateRunRecord, type GitInfo, type RunRecord, type RunSource } from '../runs/record';
import { ruleProblem, type RegressionRule } from './rules';

export const BASELINE_SCHEMA_VERSION = 1;
export const BASELINE_KIND = 'pulse-baseline';
/** Where baselines live, relative to the workspace folder. */
export const BASELINES_DIR = path.join('.pulse', 'baselines');

/** The run's configuration in brief: what must match for two runs to be comparable. */
export interface BaselineSettings {
  runner: RunSource;
  /** null for imported runs and metrics windows. */
  model: 'open' | 'closed' | null;
  /** Open model: arrivals per second. */
  rate: number | null;
  /** Closed model: connections; open model: the connection cap, if any. */
  connections: number | null;
  profile: string | null;
  durationMs: number | null;
  /** Scenario file (workspace-relative) or, without one, the request mix. */
  scenario: string | null;
  target: string | null;
}

export interface BaselineTags {
  git: GitInfo | null;
  /** "hostname (N × CPU model)". */
  machine: string;
  pulseVersion: string;
  settings: BaselineSettings;
}

export interface Baseline {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  kind: typeof BASELINE_KIND;
  name: string;
  createdAt: string;
  tags: BaselineTags;
  /** Regression rules of this baseline; they take precedence over the settings' rules. */
  rules?: RegressionRule[];
  run: RunRecord;
  /** Set (never written) when the file read was a plain run record, wrapped as a baseline. */
  fromRunRecord?: true;
}

export type BaselineProblem = 'missing' | 'empty' | 'truncated' | 'corrupt' | 'not-a-baseline' | 'future-schema' | 'invalid' | 'exists';

export class BaselineError extends Error {
  constructor(
    readonly problem: BaselineProblem,
    readonly detail: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${detail}` : detail);
    this.name = 'BaselineError';
  }
}

// --- building ------------------------------------------------------------------------------

export function baselineSettings(run: RunRecord): BaselineSettings {
  const c = loadConfigOf(run.config);
  const m = c?.model;
  const mix = c?.requests.map((r) => `${r.method.toUpperCase()} ${r.path}`).join(', ');
  return {
    runner: run.source,
    model: m?.kind ?? null,
    rate: m?.kind === 'open' ? m.rate : null,
    connections: m ? (m.kind === 'closed' ? m.connections : (m.maxConnections ?? null)) : null,
    profile: c?.profile ?? null,
    durationMs: c?.durationMs ?? null,
    scenario: run.scenarioFile ?? mix ?? null,
    target: c?.target ?? run.service?.url ?? null,
  };
}

export function baselineTags(run: RunRecord): BaselineTags {
  const m = run.environment.machine;
  return {
    git: run.environment.git,
    machine: `${m.hostname} (${m.cpus.count} × ${m.cpus.model})`,
    pulseVersion: run.environment.pulseVersion,
    settings: baselineSettings(run),
  };
}

export interface MakeBaselineOptions {
  name: string;
  rules?: RegressionRule[];
  /** Default: now. */
  createdAt?: Date;
}

/** A baseline of `run` (in memory; saveBaseline writes one). */
export function makeBaseline(run: RunRecord, o: MakeBaselineOptions): Baseline {
  if (!o.name.trim()) throw new BaselineError('invalid', 'a baseline needs a name');
  const b: Baseline = { schemaVersion: BASELINE_SCHEMA_VERSION, kind: BASELINE_KIND, name: o.name.trim(), createdAt: (o.createdAt ?? new Date()).toISOString(), tags: baselineTags(run), run };
  if (o.rules) {
    o.rules.forEach((r, i) => {
      const p = ruleProblem(r, `rules[${i}]`);
      if (p) throw new BaselineError('invalid', p);
    });
    b.rules = o.rules.map((r) => ({ ...r }));
  }
  return b;
}

/** The file a baseline of this name is saved as, in `dir`. */
export function baselineFile(dir: string, name: string): string {
  return path.join(dir, `${slug(name)}.json`);
}

/** The text saveBaseline writes: metricColumns left out (readers rebuild them from the timeline). */
export function stringifyBaseline(b: Baseline): string {
  const { fromRunRecord: _, ...rest } = b;
  return stringifyRecord({ ...rest, run: { ...b.run, metricColumns: undefined } });
}

export interface SaveBaselineOptions extends MakeBaselineOptions {
  /** Replace an existing file of the same name (default false: saving fails instead). */
  overwrite?: boolean;
}

/**
 * Saves `run` (a run record, or a baseline to re-save under another name) as a baseline in
 * `dir`, atomically. An existing file of that name, even an unreadable one, is replaced only with
 * overwrite: true; otherwise BaselineError 'exists'.
 */
export async function saveBaseline(dir: string, run: RunRecord | Baseline, o: SaveBaselineOptions): Promise<{ file: string; baseline: Baseline }> {
  const record = run.kind === BASELINE_KIND ? run.run : run;
  const rules = o.rules ?? (run.kind === BASELINE_KIND ? run.rules : undefined);
  const baseline = makeBaseline(record, { name: o.name, ...(rules ? { rules } : {}), ...(o.createdAt ? { createdAt: o.createdAt } : {}) });
  const file = baselineFile(dir, baseline.name);
  const text = stringifyBaseline(baseline);
  await fs.mkdir(dir, { recursive: true });
  if (o.overwrite) await writeFileAtomic(file, text);
  else if (!(await writeFileExclusive(file, text))) {
    throw new BaselineError('exists', `a baseline file of this name already exists; choose another name or overwrite it`, file);
  }
  return { file, baseline };
}

// --- reading -------------------------------------------------------------------------------

/** Reads a baseline file, or a run record file (wrapped as a baseline named after the run). */
export async function readBaseline(file: string): Promise<Baseline> {
  const parsed = await readJsonFile(file);
  if (!parsed.ok) throw new BaselineError(parsed.problem, parsed.detail, file);
  return validateBaseline(parsed.value, file);
}

export function parseBaseline(text: string, file?: string): Baseline {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new BaselineError(parsed.problem, parsed.detail, file);
  return validateBaseline(parsed.value, file);
}

/** Checks a parsed baseline (or run record); throws BaselineError naming the bad field. */
export function validateBaseline(value: unknown, file?: string): Baseline {
  const bad = (detail: string): never => {
    throw new BaselineError('invalid', `${detail} (a hand-edited or damaged baseline?)`, file);
  };
  if (!isObject(value)) throw new BaselineError('not-a-baseline', 'not a Pulse baseline: the file is not a JSON object', file);
  if (value.kind === RUN_KIND) {
    const run = validateRun(value, file, '');
    return { ...makeBaseline(run, { name: run.name, createdAt: new Date(run.createdAt) }), fromRunRecord: true };
  }
  if (value.kind !== BASELINE_KIND) {
    throw new BaselineError('not-a-baseline', typeof value.kind === 'string' ? `not a Pulse baseline (kind is '${value.kind}')` : 'not a Pulse baseline (no "kind": "pulse-baseline")', file);
  }
  const v = value.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad('schemaVersion must be a whole number ≥ 1');
  if ((v as number) > BASELINE_SCHEMA_VERSION) {
    throw new BaselineError('future-schema', `written by a newer Pulse (schema ${v}); this Pulse reads schema ${BASELINE_SCHEMA_VERSION}`, file);
  }
  if (typeof value.name !== 'string' || !value.name.trim()) bad('name must be a non-empty string');
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) bad('createdAt must be an ISO date');
  const tags = value.tags;
  if (!isObject(tags)) bad('tags must be an object');
  const t = tags as Record<string, unknown>;
  if (t.git !== null && (!isObject(t.git) || typeof t.git.commit !== 'string')) bad('tags.git must be {commit, branch, dirty} or null');
  if (typeof t.machine !== 'string') bad('tags.machine must be a string');
  if (typeof t.pulseVersion !== 'string') bad('tags.pulseVersion must be a string');
  if (!isObject(t.settings)) bad('tags.settings must be an object');
  if (value.rules !== undefined) {
    if (!Array.isArray(value.rules)) bad('rules must be a list');
    (value.rules as unknown[]).forEach((r, i) => {
      const p = ruleProblem(r, `rules[${i}]`);
      if (p) bad(p);
    });
  }
  if (!isObject(value.run)) bad('run must be a run record');
  validateRun(value.run, file, 'run: ');
  return value as unknown as Baseline;
}

function validateRun(value: unknown, file: string | undefined, prefix: string): RunRecord {
  try {
    return validateRunRecord(value);
  } catch (e) {
    if (!(e instanceof RunRecordError)) throw e;
    const problem: BaselineProblem = e.problem === 'future-schema' ? 'future-schema' : e.problem === 'not-a-run' ? 'not-a-baseline' : 'invalid';
    throw new BaselineError(problem, `${prefix}${e.detail}`, file);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- listing -------------------------------------------------------------------------------

export interface BaselineSummary {
  file: string;
  name: string;
  createdAt: string;
  tags: BaselineTags;
  rules?: RegressionRule[];
  /** The run's requests and p95 (ms), when it has a load result. */
  requests: number | null;
  p95Ms: number | null;
}

export interface BaselineFileError {
  file: string;
  problem: BaselineProblem;
  /** Names the file and the problem. */
  message: string;
}

/** The baselines in `dir` by name, and every file that could not be read (one bad file hides nothing). */
export async function listBaselines(dir: string): Promise<{ baselines: BaselineSummary[]; errors: BaselineFileError[] }> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { baselines: [], errors: [] };
    throw e;
  }
  const baselines: BaselineSummary[] = [];
  const errors: BaselineFileError[] = [];
  const files = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  for (const n of files) {
    const file = path.join(dir, n);
    try {
      const b = await readBaseline(file);
      const r = b.run.result;
      const s: BaselineSummary = { file, name: b.name, createdAt: b.createdAt, tags: b.tags, requests: r && Number.isFinite(r.requests) ? r.requests : null, p95Ms: r && Number.isFinite(r.latencyMs.p95) ? r.latencyMs.p95 : null };
      if (b.rules) s.rules = b.rules;
      baselines.push(s);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      errors.push({ file, problem: e.problem, message: e.message });
    }
  }
  baselines.sort((a, b) => a.name.localeCompare(b.name));
  return { baselines, errors };
}
