// The only place that reads settings. Each getter validates and reports problems by setting
// name, so a typo in settings.json becomes a clear message rather than a silent default.

import * as vscode from 'vscode';
import { DEFAULT_THRESHOLDS, type Thresholds } from './core/health';
import type { MetricMapping } from './core/mapping';
import type { JsonPaths } from './core/json';
import { validateEndpoint, type EndpointConfig } from './core/endpoints';
import { compilePatterns, DEFAULT_THRESHOLD_MS, type CompiledPattern, type PatternSetting } from './core/logs';
import { DEFAULT_RULES, ruleProblem, type RegressionRule } from './core/compare/rules';
import { parseTargets, type Targets } from './core/compare/targets';

export interface ScrapeSettings {
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  windowSeconds: number;
  historySeconds: number;
}

export interface LogSettings {
  /** Globs of files treated as logs besides *.log and the "log" language. */
  include: string[];
  thresholdMs: number;
  patterns: CompiledPattern[];
  decorations: boolean;
  /** Slow lines as Problems-panel warnings (off by default). */
  problems: boolean;
}

export interface CompareSettings {
  rules: RegressionRule[];
  /** Baseline name or workspace-relative path; finished load tests are compared with it. */
  defaultBaseline: string | undefined;
  seed: number;
  /** From pulse.thresholds.*, so the targets table and the status bar agree. */
  targets: Targets;
}

export class Config {
  /** Problems found while reading settings, phrased for the user. */
  readonly problems: string[] = [];
  private readonly cfg: vscode.WorkspaceConfiguration;

  constructor() {
    this.cfg = vscode.workspace.getConfiguration('pulse');
  }

  /** Settings whose change needs the connection rebuilt (vs. a re-render only). */
  static affectsConnection(e: vscode.ConfigurationChangeEvent): boolean {
    return ['pulse.endpoints', 'pulse.scrape', 'pulse.metrics', 'pulse.json', 'pulse.window', 'pulse.history'].some((s) => e.affectsConfiguration(s));
  }

  static affectsLogs(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration('pulse.logs');
  }

  static affectsThresholds(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration('pulse.thresholds');
  }

  private num(key: string, def: number, min: number, max: number): number {
    const v = this.cfg.get<unknown>(key, def);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.problems.push(`pulse.${key} must be a number from ${min} to ${max} (got ${JSON.stringify(v)}); using ${def}`);
      return def;
    }
    return v;
  }

  /** Reads every setting once; returns what is wrong with them. */
  validateAll(): string[] {
    void this.endpoints, this.scrape, this.thresholds, this.mapping, this.jsonPaths, this.discoveryPorts, this.logs, this.compare;
    return [...new Set(this.problems)];
  }

  get endpoints(): EndpointConfig[] {
    const raw = this.cfg.get<unknown>('endpoints', []);
    if (!Array.isArray(raw)) {
      this.problems.push('pulse.endpoints must be an array of {url, name?, kind?}');
      return [];
    }
    const out: EndpointConfig[] = [];
    raw.forEach((item, i) => {
      const r = validateEndpoint(item);
      if (typeof r === 'string') this.problems.push(`pulse.endpoints[${i}]: ${r}`);
      else out.push(r);
    });
    return out;
  }

  get scrape(): ScrapeSettings {
    return {
      intervalMs: this.num('scrape.intervalSeconds', 2, 0.25, 3600) * 1000,
      timeoutMs: this.num('scrape.timeoutSeconds', 5, 0.1, 120) * 1000,
      maxBytes: this.num('scrape.maxBodyMB', 64, 1, 2048) * 1024 * 1024,
      windowSeconds: this.num('window.seconds', 60, 5, 86400),
      historySeconds: this.num('history.minutes', 60, 1, 1440) * 60,
    };
  }

  get thresholds(): Thresholds {
    const d = DEFAULT_THRESHOLDS;
    return {
      p95Ms: this.num('thresholds.p95Ms', d.p95Ms, 0, 1e7),
      errorRate: this.num('thresholds.errorRatePercent', d.errorRate * 100, 0, 100) / 100,
      cacheHitRate: this.num('thresholds.cacheHitRatePercent', d.cacheHitRate * 100, 0, 100) / 100,
      poolUtilization: this.num('thresholds.poolUtilizationPercent', d.poolUtilization * 100, 0, 100) / 100,
      forSeconds: this.num('thresholds.forSeconds', d.forSeconds, 0, 86400),
    };
  }

  private stringRecord<T extends object>(key: string): T {
    const raw = this.cfg.get<unknown>(key, {});
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.problems.push(`pulse.${key} must be an object of strings`);
      return {} as T;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v === 'string' && v.trim()) out[k] = v.trim();
      else if (v !== null && v !== undefined && v !== '') this.problems.push(`pulse.${key}.${k} must be a string`);
    }
    return out as T;
  }

  get mapping(): MetricMapping {
    return this.stringRecord<MetricMapping>('metrics');
  }

  get jsonPaths(): JsonPaths {
    return this.stringRecord<JsonPaths>('json.paths');
  }

  get autoConnect(): boolean {
    return this.cfg.get<boolean>('autoConnect', true) !== false;
  }

  get discoveryPorts(): number[] | undefined {
    const raw = this.cfg.get<unknown>('discovery.ports');
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw) || raw.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      this.problems.push('pulse.discovery.ports must be a list of port numbers');
      return undefined;
    }
    return raw as number[];
  }

  get logs(): LogSettings {
    const include = this.cfg.get<unknown>('logs.include', []);
    const globs = Array.isArray(include) && include.every((g) => typeof g === 'string') ? (include as string[]) : [];
    if (globs.length === 0 && Array.isArray(include) === false) this.problems.push('pulse.logs.include must be a list of glob patterns');
    const rawPatterns = this.cfg.get<unknown>('logs.patterns', []);
    let patterns: CompiledPattern[] = [];
    if (!Array.isArray(rawPatterns)) this.problems.push('pulse.logs.patterns must be a list of regular expressions (or {regex, flags, unit, name})');
    else {
      const r = compilePatterns(rawPatterns as PatternSetting[]);
      patterns = r.patterns;
      for (const e of r.errors) this.problems.push(`pulse.logs.patterns: ${e}`);
    }
    return {
      include: globs,
      thresholdMs: this.num('logs.slowThresholdMs', DEFAULT_THRESHOLD_MS, 0, 86_400_000),
      patterns,
      decorations: this.cfg.get<boolean>('logs.decorations', true) !== false,
      problems: this.cfg.get<boolean>('logs.problems', false) === true,
    };
  }

  get compare(): CompareSettings {
    const raw = this.cfg.get<unknown>('compare.rules', DEFAULT_RULES);
    let rules = DEFAULT_RULES.map((r) => ({ ...r }));
    if (!Array.isArray(raw)) this.problems.push('pulse.compare.rules must be a list like [{"metric": "p95", "maxWorsePct": 5}]');
    else {
      const bad = raw.map((r, i) => ruleProblem(r, `pulse.compare.rules[${i}]`)).filter((p) => p !== null);
      if (bad.length) this.problems.push(`${bad.join('; ')}; using the default rule (p95 ≤ +5 %)`);
      else rules = raw as RegressionRule[];
    }
    const name = this.cfg.get<unknown>('compare.defaultBaseline', '');
    if (typeof name !== 'string') this.problems.push('pulse.compare.defaultBaseline must be a baseline name or a path');
    const t = this.thresholds;
    // Own comparison targets (a user's "p95 < 200 ms, errors < 0.1 %") over the alerting thresholds.
    const own = parseTargets(this.cfg.get<unknown>('compare.targets', {}), 'pulse.compare.targets');
    this.problems.push(...own.problems);
    return {
      rules,
      defaultBaseline: typeof name === 'string' && name.trim() ? name.trim() : undefined,
      seed: Math.round(this.num('compare.seed', 1, 0, 2 ** 31 - 1)),
      // pulse.thresholds.* are "at or below" ("at or above" for the hit-rate), as the status bar reads them.
      targets: { p95: { op: '<=', value: t.p95Ms }, errorRate: { op: '<=', value: t.errorRate }, cacheHitRate: { op: '>=', value: t.cacheHitRate }, poolUtilization: { op: '<=', value: t.poolUtilization }, ...own.targets },
    };
  }
}
