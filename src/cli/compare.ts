// `pulse compare <baseline.json> <run.json>`: a run against a baseline (or any two run records),
// for terminals and CI. Exit 0 unless --fail-on-regression and the verdict is "regressed" (1);
// unreadable files exit 2 with the file and the problem, as usage errors do (1 means only "regressed").

import { BaselineError, readBaseline } from '../core/compare/baseline';
import { compareRuns } from '../core/compare/report';
import { renderJson, renderMarkdown, renderText } from '../core/compare/render';
import { parseTargets, type Targets } from '../core/compare/targets';
import { parseArgs, UsageError } from './args';

export const COMPARE_USAGE = `pulse compare <baseline.json> <run.json> [--format text|markdown|json]
                 [--fail-on-regression] [--seed N] [--targets "p95<200,errorRate<0.1,p99=off"]`;

const FORMATS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

export async function compare(argv: readonly string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['format', 'seed', 'targets']);
  if (positionals.length !== 2) throw new UsageError(`usage: ${COMPARE_USAGE}`);
  for (const f of flags.keys()) if (!['format', 'seed', 'targets', 'fail-on-regression'].includes(f)) throw new UsageError(`unknown option --${f}\nusage: ${COMPARE_USAGE}`);
  const format = String(flags.get('format') ?? 'text');
  if (!(format in FORMATS)) throw new UsageError(`--format must be text, markdown or json (got "${format}")`);
  const seedFlag = flags.get('seed');
  const seed = seedFlag === undefined ? 1 : Number(seedFlag);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed expects a whole number ≥ 0 (got "${String(seedFlag)}")`);
  const targets = flags.has('targets') ? targetsFlag(String(flags.get('targets'))) : undefined;

  let baseline, current;
  try {
    [baseline, current] = await Promise.all(positionals.map((f) => readBaseline(f)));
  } catch (e) {
    if (e instanceof BaselineError) {
      err(`pulse: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const report = compareRuns(baseline!, current!, { seed, ...(targets ? { targets } : {}) });
  out(FORMATS[format as keyof typeof FORMATS](report).trimEnd());
  return flags.has('fail-on-regression') && report.verdict === 'regressed' ? 1 : 0;
}

/**
 * --targets "p95<200, errorRate<=0.1, cacheHitRate>70, p99=off": the targets table's targets, in
 * the metrics' units as the pulse.compare.targets setting takes them (ms, req/s, %, MB); the
 * others keep the defaults, "=off" removes one.
 */
export function targetsFlag(value: string): Targets {
  const raw: Record<string, string | null> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)\s*(.*)$/.exec(part)!;
    raw[m[1]!] = /^=\s*(off|none)$/i.test(m[2]!) ? null : m[2]!;
  }
  const { targets, problems } = parseTargets(raw, '--targets');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return targets;
}
