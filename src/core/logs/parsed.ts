// What one recogniser reads from a line, before thresholds and grouping are applied.

import type { FormatId } from './types';

export interface ParsedLine {
  format: FormatId;
  method: string | null;
  rawPath: string | null;
  status: number | null;
  durationMs: number | null;
  /** UTF-16 index of the duration token in the line, and its length. */
  durationAt: number;
  durationLength: number;
  /** A threshold printed in the line itself ("threshold: 3000ms"). */
  lineThresholdMs: number | null;
  /** Where to look for the timestamp (the line's start, or a JSON field's value)… */
  timestampText: string | null;
  /** …or how to find it, run only for slow lines (a JSON field lookup costs a regex). */
  timestampOf: ((line: string) => string | null) | null;
}

export function parsed(format: FormatId, fields: Partial<Omit<ParsedLine, 'format'>>): ParsedLine {
  return {
    format,
    method: fields.method ?? null,
    rawPath: fields.rawPath ?? null,
    status: fields.status ?? null,
    durationMs: fields.durationMs ?? null,
    durationAt: fields.durationAt ?? -1,
    durationLength: fields.durationLength ?? 0,
    lineThresholdMs: fields.lineThresholdMs ?? null,
    timestampText: fields.timestampText ?? null,
    timestampOf: fields.timestampOf ?? null,
  };
}

/** "/a/b?x=1#f" → "/a/b"; "http://host:8000/a?x" → "/a". */
export function pathOnly(raw: string): string {
  let p = raw;
  const scheme = p.indexOf('://');
  if (scheme > 0 && scheme < 10) {
    const slash = p.indexOf('/', scheme + 3);
    p = slash < 0 ? '/' : p.slice(slash);
  }
  const q = p.search(/[?#]/);
  return q < 0 ? p : p.slice(0, q) || '/';
}

export function statusOf(s: string | undefined): number | null {
  return s === undefined ? null : statusCode(Number(s));
}

/** n when it is an HTTP status code (an integer 100–599), else null. */
export function statusCode(n: number): number | null {
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}
