// Custom patterns from `pulse.logs.patterns`: compiled, checked, refused with a clear message.

import { unitToMs } from './duration';
import { parseRegex, type RegexNode } from './regex-ast';
import { backtrackingProblem, requiredLiteral } from './regex-safety';
import type { CompiledPattern, PatternSetting } from './types';

export const PATTERN_GROUPS = ['method', 'path', 'duration', 'unit', 'status'] as const;

export type PatternResult = { ok: true; pattern: CompiledPattern } | { ok: false; message: string };

function groupNames(n: RegexNode, out: Set<string>): Set<string> {
  switch (n.k) {
    case 'seq':
      n.items.forEach((x) => groupNames(x, out));
      break;
    case 'alt':
      n.alts.forEach((x) => groupNames(x, out));
      break;
    case 'group':
      if (n.name) out.add(n.name);
      groupNames(n.body, out);
      break;
    case 'rep':
      groupNames(n.body, out);
      break;
    default:
  }
  return out;
}

/** Compiles one setting; `index` is its position in the settings array (used in messages and format ids). */
export function compilePattern(setting: PatternSetting, index = 0): PatternResult {
  const s = typeof setting === 'string' ? { regex: setting } : setting;
  const label = s.name ? `pattern "${s.name}"` : `pattern ${index + 1}`;
  const fail = (why: string): PatternResult => ({ ok: false, message: `${label}: ${why}` });
  if (typeof s.regex !== 'string' || !s.regex) return fail('needs a regex source');
  const flags = s.flags ?? '';
  if (!/^[iu]*$/.test(flags)) return fail(`flags may be "i" and "u" only (got "${flags}")`);
  const defaultUnit = s.unit ?? 'ms';
  if (unitToMs(defaultUnit) === undefined) return fail(`unknown unit "${defaultUnit}" (use ns, us, ms, s, m or h)`);
  let regex: RegExp;
  try {
    // 'd': match indices, for the duration token's columns.
    regex = new RegExp(s.regex, flags + 'd');
  } catch (e) {
    return fail(`does not compile: ${(e as Error).message}`);
  }
  let ast: RegexNode;
  try {
    ast = parseRegex(s.regex, flags.includes('i'));
  } catch (e) {
    return fail(`could not be analysed: ${(e as Error).message}`);
  }
  const names = groupNames(ast, new Set());
  if (!names.has('duration')) return fail('has no named group "duration"; write e.g. took (?<duration>\\d+(?:\\.\\d+)?)(?<unit>ms|s)');
  const problem = backtrackingProblem(ast);
  if (problem) return fail(`refused: ${problem}`);
  return {
    ok: true,
    pattern: { index, name: s.name ?? `custom pattern ${index + 1}`, regex, defaultUnit, literal: flags.includes('i') ? null : requiredLiteral(ast) },
  };
}

/** All patterns: the usable ones, and one message per refused one (show them; keep scanning). */
export function compilePatterns(settings: readonly PatternSetting[]): { patterns: CompiledPattern[]; errors: string[] } {
  const patterns: CompiledPattern[] = [];
  const errors: string[] = [];
  settings.forEach((s, i) => {
    const r = compilePattern(s, i);
    if (r.ok) patterns.push(r.pattern);
    else errors.push(r.message);
  });
  return { patterns, errors };
}
