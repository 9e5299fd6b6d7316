// The scanner's first pass over a block of lines, in WebAssembly SIMD (line-index.wat): it counts
// the lines and lists those that hold a prefilter literal (or are too long), with the literals'
// bits, so the JavaScript side only ever looks at those lines. Where WebAssembly cannot be had,
// create() returns null and the scanner does the same work with Buffer#indexOf.

import { LINE_INDEX_WASM } from './line-index-wasm';

export interface IndexLiteral {
  bytes: Buffer;
  /** OR'ed into the record of a line that holds the literal (bit 31 is LONG). */
  bits: number;
}

/** A record's bit for a line longer than maxLine. */
export const LONG = 0x80000000 | 0;

const BUCKETS = 8;
const ENTRIES_AT = 256;
const ENTRY_BYTES = 64;
const ENTRIES_END = 4096;
const POSSIBLE_AT = 4096;
const INPUTS_AT = 8192;
/** Readable bytes past an input's end (the scan reads whole vectors, and one byte ahead). */
const PAD = 64;
const MAX_ENTRIES = (ENTRIES_END - ENTRIES_AT) / ENTRY_BYTES;
/** A literal is compared as one vector. */
const MAX_LITERAL_BYTES = 16;
/** Records per scan call (16 bytes each); the scan stops and resumes when they run out. */
const RECORDS = 16384;
/** The fast path's newline-count window, in 64-byte steps (bounded by maxLine, see the .wat). */
const MAX_WINDOW = 60;

interface Exports {
  scan(from: number, to: number, out: number, outEnd: number, maxLine: number, window: number, lowest: number): number;
  lines: WebAssembly.Global;
  resume: WebAssembly.Global;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(LINE_INDEX_WASM, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here
    }
  }
  return compiled;
}

export class LineIndex {
  /** Two input areas (one is read into while the other is scanned); `capacity` bytes each. */
  readonly inputs: [Buffer, Buffer];
  /** After scan(): records as (line index from the scan's start, start, newline, bits) quadruples. */
  readonly records: Int32Array;
  /** After scan(): newlines passed, and where to resume ([from, to) is done when it equals to). */
  lines = 0;
  resume = 0;
  private readonly exports: Exports;
  private readonly memory: WebAssembly.Memory;
  private readonly outAt: number;
  private readonly window: number;

  /** null: no WebAssembly, or literals it cannot take (under 2 or over 16 bytes, a newline, too many, bit 31). */
  static create(literals: readonly IndexLiteral[], maxLine: number, capacity = 1 << 20): LineIndex | null {
    if (literals.length === 0 || literals.length > MAX_ENTRIES || maxLine < 255) return null;
    if (literals.some((l) => l.bytes.length < 2 || l.bytes.length > MAX_LITERAL_BYTES || l.bytes.includes(10) || (l.bits & LONG) !== 0)) return null;
    const mod = module();
    if (!mod) return null;
    try {
      return new LineIndex(mod, literals, maxLine, capacity);
    } catch {
      return null;
    }
  }

  private constructor(mod: WebAssembly.Module, literals: readonly IndexLiteral[], private readonly maxLine: number, readonly capacity: number) {
    const slot = capacity + PAD;
    this.outAt = INPUTS_AT + 2 * slot;
    const bytes = this.outAt + RECORDS * 16;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const instance = new WebAssembly.Instance(mod, { env: { mem: this.memory } });
    this.exports = instance.exports as unknown as Exports;
    const buf = this.memory.buffer;
    this.inputs = [Buffer.from(buf, INPUTS_AT, capacity), Buffer.from(buf, INPUTS_AT + slot, capacity)];
    this.records = new Int32Array(buf, this.outAt, RECORDS * 4);
    this.window = Math.max(1, Math.min(MAX_WINDOW, Math.floor((maxLine + 1) / 256)));
    writeTables(new Uint8Array(buf), new DataView(buf), literals);
  }

  /** Where buf's bytes are in the module's memory, or -1 when buf is not one of `inputs` (or part of one). */
  offsetOf(buf: Buffer): number {
    return buf.buffer === this.memory.buffer && buf.byteOffset >= INPUTS_AT && buf.byteOffset < this.outAt ? buf.byteOffset : -1;
  }

  /**
   * Scans memory [from, to): whole lines, `to` just past a newline, within one input area.
   * Returns the records written; see `lines` and `resume` (call again from resume until it is to).
   * lowest: only a record's lowest bit need be exact (others may be missing), which is cheaper
   * where most lines hold several literals.
   */
  scan(from: number, to: number, lowest = false): number {
    const x = this.exports;
    const n = x.scan(from, to, this.outAt, this.outAt + RECORDS * 16, this.maxLine, this.window, lowest ? 1 : 0);
    this.lines = x.lines.value as number;
    this.resume = x.resume.value as number;
    return n;
  }
}

// ── tables ───────────────────────────────────────────────────────────────────────────────────

/** Log lines are full of these words: a fingerprint inside one would fire on every line. */
const COMMON_WORDS = ['DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'TRACE', 'FATAL', 'CRITICAL', 'NOTICE'];

/** A guess at how often a byte turns up in a log line (lower: rarer). */
function commonness(b: number): number {
  if (b >= 0x61 && b <= 0x7a) return 4; // lower-case letters
  if (b === 0x20) return 4;
  if (b >= 0x30 && b <= 0x39) return 3;
  if (b >= 0x41 && b <= 0x5a) return 1;
  return 1.5;
}

/** Where in the literal to take its two-byte fingerprint: the rarest-looking pair. */
export function fingerprintOffset(lit: Buffer): number {
  let best = 0;
  let bestScore = Infinity;
  for (let k = 0; k + 1 < lit.length; k++) {
    const pair = lit.toString('latin1', k, k + 2);
    let score = commonness(lit[k]!) * commonness(lit[k + 1]!);
    if (COMMON_WORDS.some((w) => w.includes(pair))) score *= 10;
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}

interface Entry {
  lit: IndexLiteral;
  offset: number;
}
interface Bucket {
  pairs: number[];
  entries: Entry[];
}

/** How many byte pairs a bucket's nibble tables let through (the more, the more false alarms). */
function reach(pairs: number[]): number {
  const sets = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
  for (const p of pairs) {
    sets[0]!.add((p >> 8) & 15);
    sets[1]!.add(p >> 12);
    sets[2]!.add(p & 15);
    sets[3]!.add((p >> 4) & 15);
  }
  return sets.reduce((n, s) => n * s.size, 1);
}

/** Literals grouped by fingerprint, then merged down to 8 buckets where it lets the fewest extra pairs through. */
export function bucketize(literals: readonly IndexLiteral[]): Bucket[] {
  const byPair = new Map<number, Entry[]>();
  for (const lit of literals) {
    const offset = fingerprintOffset(lit.bytes);
    const pair = (lit.bytes[offset]! << 8) | lit.bytes[offset + 1]!;
    byPair.set(pair, [...(byPair.get(pair) ?? []), { lit, offset }]);
  }
  let buckets: Bucket[] = [...byPair].map(([pair, entries]) => ({ pairs: [pair], entries }));
  while (buckets.length > BUCKETS) {
    let best = { cost: Infinity, i: 0, j: 1 };
    for (let i = 0; i < buckets.length; i++) {
      for (let j = i + 1; j < buckets.length; j++) {
        const cost = reach([...buckets[i]!.pairs, ...buckets[j]!.pairs]) - reach(buckets[i]!.pairs) - reach(buckets[j]!.pairs);
        if (cost < best.cost) best = { cost, i, j };
      }
    }
    const [a, b] = [buckets[best.i]!, buckets[best.j]!];
    buckets = [...buckets.filter((_, k) => k !== best.i && k !== best.j), { pairs: [...a.pairs, ...b.pairs], entries: [...a.entries, ...b.entries] }];
  }
  return buckets;
}

function writeTables(u8: Uint8Array, dv: DataView, literals: readonly IndexLiteral[]): void {
  let entryAt = ENTRIES_AT;
  const buckets = bucketize(literals);
  for (let set = 0; set < 256; set++) {
    const bits = buckets.reduce((m, bucket, b) => (set & (1 << b) ? bucket.entries.reduce((n, e) => n | e.lit.bits, m) : m), 0);
    dv.setInt32(POSSIBLE_AT + 4 * set, bits, true);
  }
  buckets.forEach((bucket, b) => {
    for (const pair of bucket.pairs) {
      const c0 = pair >> 8;
      const c1 = pair & 255;
      for (const i of [c0 & 15, 16 + (c0 >> 4), 32 + (c1 & 15), 48 + (c1 >> 4)]) u8[i] = u8[i]! | (1 << b);
    }
    dv.setInt32(128 + b * 8, entryAt, true);
    dv.setInt32(132 + b * 8, bucket.entries.length, true);
    for (const { lit, offset } of bucket.entries) {
      u8.set(lit.bytes, entryAt);
      u8.fill(0xff, entryAt + 16, entryAt + 16 + lit.bytes.length);
      dv.setInt32(entryAt + 32, lit.bytes.length, true);
      dv.setInt32(entryAt + 36, lit.bits, true);
      dv.setInt32(entryAt + 40, offset, true);
      entryAt += ENTRY_BYTES;
    }
  });
}
