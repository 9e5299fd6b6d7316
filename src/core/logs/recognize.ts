// One line in, one hit (or null) out: custom patterns first, then the built-in formats. A plan,
// made once per options, maps each prefilter literal to the recognisers it admits, so a line is
// only tried against the recognisers whose literals it contains.

import { toMs } from './duration';
import { BUILTIN_RECOGNIZERS } from './formats';
import type { IndexLiteral } from './line-index';
import { parsed, pathOnly, statusOf, type ParsedLine } from './parsed';
import { parseTimestamp } from './timestamp';
import type { CompiledPattern, LogHit, RecognizeOptions } from './types';

/** Longest literal the prefilter searches for (see Recognizer.literals). */
const MAX_LITERAL = 7;

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

interface Candidate {
  match(line: string): ParsedLine | null;
  /** null: no literal, always tried. */
  literals: readonly string[] | null;
}

export class RecognizerPlan {
  /** Unique prefilter literals; null when some recogniser has none (every line is a candidate). */
  readonly literals: string[] | null;
  /** owners[i]: the recognisers literal i admits. */
  readonly owners: number[][];
  /** Scratch for callers: admitted[r] = 1 when recogniser r may match the current line. */
  readonly admitted: Uint8Array;
  private readonly candidates: Candidate[];

  constructor(readonly options: RecognizeOptions) {
    this.candidates = [
      ...(options.patterns ?? []).map((p): Candidate => ({ match: (line) => matchCustom(p, line), literals: p.literal === null ? null : [p.literal.slice(0, MAX_LITERAL)] })),
      ...BUILTIN_RECOGNIZERS,
    ];
    const index = new Map<string, number>();
    this.owners = [];
    let everyLine = false;
    this.candidates.forEach((c, r) => {
      if (c.literals === null) everyLine = true;
      for (const l of c.literals ?? []) {
        let i = index.get(l);
        if (i === undefined) index.set(l, (i = this.owners.push([]) - 1));
        this.owners[i]!.push(r);
      }
    });
    this.literals = everyLine ? null : [...index.keys()];
    this.admitted = new Uint8Array(this.candidates.length);
  }

  /** Marks the recognisers literal i admits (fill `admitted` for a line, then call recognize). */
  admit(i: number): void {
    for (const r of this.owners[i]!) this.admitted[r] = 1;
  }

  /** Marks exactly the recognisers whose bits are set in mask (bit r: recogniser r). */
  /** The literals as the first pass (LineIndex) takes them: bytes, and a bit per recogniser each admits; null as `literals`. */
  indexLiterals(): IndexLiteral[] | null {
    return this.literals && this.literals.map((l, i) => ({ bytes: Buffer.from(l, 'utf8'), bits: this.owners[i]!.reduce((m, r) => m | (1 << r), 0) }));
  }

  admitMask(mask: number): void {
    const admitted = this.admitted;
    for (let r = 0; r < admitted.length; r++) admitted[r] = (mask >> r) & 1;
  }

  /**
   * The hit for one line (without its line ending), or null when it is not a request line.
   * useAdmitted: try only the recognisers marked in `admitted` (and clear the marks).
   */
  recognize(line: string, lineNo: number, useAdmitted: boolean): LogHit | null {
    let p: ParsedLine | null = null;
    for (let r = 0; r < this.candidates.length; r++) {
      const c = this.candidates[r]!;
      if (useAdmitted && c.literals !== null && this.admitted[r] === 0) continue;
      p = c.match(line);
      if (p) break;
    }
    if (useAdmitted) this.admitted.fill(0);
    return p && toHit(p, line, lineNo, this.options.thresholdMs);
  }
}

function toHit(p: ParsedLine, line: string, lineNo: number, configuredMs: number): LogHit {
  const thresholdMs = p.lineThresholdMs ?? configuredMs;
  const slow = p.durationMs !== null && isSlow(p.durationMs, p.lineThresholdMs, configuredMs);
  // Timestamps are parsed for slow hits only: the per-minute signal needs no others.
  const stampText = slow ? (p.timestampText ?? p.timestampOf?.(line) ?? null) : null;
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
    timestamp: stampText ? parseTimestamp(stampText) : null,
    durationColumns: p.durationAt >= 0 ? { start: p.durationAt, end: p.durationAt + p.durationLength } : null,
  };
}

/** A line that prints its own threshold was logged because it crossed it (rounding aside): at or past it; past the setting otherwise. */
export function isSlow(durationMs: number, lineThresholdMs: number | null, configuredMs: number): boolean {
  return lineThresholdMs !== null ? durationMs >= lineThresholdMs : durationMs > configuredMs;
}

const plans = new WeakMap<RecognizeOptions, RecognizerPlan>();

/** The plan for these options (cached per options object). */
export function planFor(options: RecognizeOptions): RecognizerPlan {
  let p = plans.get(options);
  if (!p) plans.set(options, (p = new RecognizerPlan(options)));
  return p;
}

/** The hit for one line (tried against every recogniser), or null. */
export function recognizeLine(line: string, lineNo: number, options: RecognizeOptions): LogHit | null {
  return planFor(options).recognize(line, lineNo, false);
}

// A line of each built-in form, slow and not, whole and fractional durations.
const PRIMERS = [
  '2026-01-18 10:00:00 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)',
  '{"timestamp":"2026-01-18T10:00:00Z","level":"INFO","metadata":{"method":"GET","endpoint":"/a","duration_ms":45,"status":200}}',
  '{"ts":"2026-01-18T10:00:00.5Z","method":"POST","path":"/b?x=1","latency_ms":1234.5}',
  '10.0.0.1 - - [18/Jan/2026:10:00:00 +0000] "GET /c?x=1 HTTP/1.1" 200 512 "-" "k6" 0.123',
  'INFO:     127.0.0.1:40000 - "GET /d HTTP/1.1" 200 OK',
  'GET /e 200 12.5 ms - 12',
  'POST /e 500 2000ms',
  '[GIN] 2026/01/18 - 10:00:00 | 200 | 1.5s |       127.0.0.1 | GET      "/f"',
];
const PRIME_OPTIONS: RecognizeOptions = { thresholdMs: 1000 };
let primed = false;

/**
 * Runs the regex path once over a line of each built-in form, before a scan whose byte readers
 * will get hot. Otherwise the first line that takes the regex path (a slow one, or one split
 * between chunks) arrives after V8 has optimised the readers, and throws all of their optimised
 * code away at once ("code dependencies" in --trace-deopt; ~30–50 ms per thread on a mixed log).
 */
export function primeRegexPath(): void {
  if (primed) return;
  primed = true;
  for (const line of PRIMERS) recognizeLine(line, 1, PRIME_OPTIONS);
}
