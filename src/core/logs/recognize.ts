// One line in, one hit (or null) out: custom patterns first, then the built-in formats.

import { toMs } from './duration';
import { BUILTIN_RECOGNIZERS } from './formats';
import { parsed, pathOnly, statusOf, type ParsedLine } from './parsed';
import { parseTimestamp } from './timestamp';
import type { CompiledPattern, LogHit, RecognizeOptions } from './types';

function matchCustom(p: CompiledPattern, line: string): ParsedLine | null {
  const m = p.regex.exec(line);
  const g = m?.groups;
  const dur = g?.duration;
  if (!m || !g || dur === undefined) return null;
  const at = m.indices?.groups?.duration;
  return parsed(`custom:${p.index}`, {
    method: g.method?.toUpperCase() ?? null,
    rawPath: g.path ?? null,
    status: statusOf(g.status),
    durationMs: toMs(dur, g.unit, p.defaultUnit),
    durationAt: at ? at[0] : -1,
    durationLength: at ? at[1] - at[0] : 0,
    timestampText: line.slice(0, m.index),
  });
}

function parse(line: string, patterns: readonly CompiledPattern[] | undefined): ParsedLine | null {
  if (patterns) {
    for (const p of patterns) {
      const r = matchCustom(p, line);
      if (r) return r;
    }
  }
  for (const r of BUILTIN_RECOGNIZERS) {
    const hit = r.match(line);
    if (hit) return hit;
  }
  return null;
}

/**
 * The hit for one line (without its line ending), or null when it is not a request line.
 * Timestamps are parsed for slow hits only (the per-minute signal needs no others).
 */
export function recognizeLine(line: string, lineNo: number, options: RecognizeOptions): LogHit | null {
  const p = parse(line, options.patterns);
  if (!p) return null;
  const thresholdMs = p.lineThresholdMs ?? options.thresholdMs;
  // A line that prints its own threshold was logged because it crossed it (rounding aside).
  const slow = p.durationMs !== null && (p.lineThresholdMs !== null ? p.durationMs >= thresholdMs : p.durationMs > thresholdMs);
  return {
    line: lineNo,
    format: p.format,
    method: p.method,
    path: p.rawPath === null ? null : pathOnly(p.rawPath),
    rawPath: p.rawPath,
    status: p.status,
    durationMs: p.durationMs,
    thresholdMs,
    slow,
    timestamp: slow && p.timestampText ? parseTimestamp(p.timestampText) : null,
    durationColumns: p.durationAt >= 0 ? { start: p.durationAt, end: p.durationAt + p.durationLength } : null,
  };
}

/** Byte literals the prefilter searches for; null means "every line is a candidate". */
export function prefilterLiterals(options: RecognizeOptions): string[] | null {
  const set = new Set<string>();
  for (const p of options.patterns ?? []) {
    if (p.literal === null) return null;
    set.add(p.literal);
  }
  for (const r of BUILTIN_RECOGNIZERS) for (const l of r.literals) set.add(l);
  return [...set];
}
