// The byte fast path's line classifier. A line is read by the byte reader of its first admitted
// recogniser (fast-formats.ts, fast-json.ts). Which that is, is guessed from the line's first byte
// (the format the last line starting with that byte had), then checked: none of the earlier
// recognisers' prefilter literals may occur in the line, found lazily with Buffer#indexOf and
// remembered until passed (on a log where most lines are requests, that is far fewer searches
// than one per literal occurrence). Without a guess, one pass over the line's bytes says which
// literals it holds.

import { bytesAt } from './bytes';
import { fast, readCombined, readGin, readInline, readText, readUvicorn } from './fast-formats';
import { readJson } from './fast-json';
import { BUILTIN_RECOGNIZERS } from './formats';

type Reader = (buf: Buffer, start: number, stop: number) => boolean;

const READERS: Record<string, Reader | undefined> = { text: readText, json: readJson, combined: readCombined, uvicorn: readUvicorn, gin: readGin, inline: readInline };
// A match of these readers implies their own literal ("SLOW RE", "] \"", "HTTP/", "GET /"…); json and gin must look.
const OWN_LITERAL_IMPLIED = new Set(['text', 'combined', 'uvicorn', 'inline']);

export const NOT_REQUEST = 0;
/** Read from bytes: the result is in `fast`. */
export const READ = 1;
/** Use the regex path with the recognisers in `mask`. */
export const REGEX = 2;

interface Literal {
  bytes: Buffer;
  bit: number;
  /** First occurrence at or after the line last asked about, Infinity for none in the block; -1: not searched. */
  next: number;
}

export class FastLines {
  /** Set by classify() when it returns REGEX: bit r for each admitted recogniser r. */
  mask = 0;
  /** Set when classify() or read() returns READ / true: the bit of the recogniser whose reader read the line (its first admitted one). */
  readBit = 0;
  /** pair[b0 << 8 | b1] = 1 when some literal starts with bytes b0 b1 (all are at least 2 long). */
  private readonly pair = new Uint8Array(65536);
  private readonly byFirst: Literal[][] = [];
  private readonly readers: (Reader | undefined)[];
  /** checks[r]: the literals whose absence (earlier recognisers) or presence (r's own) a guess of r must confirm. */
  private readonly absent: Literal[][];
  private readonly present: (Literal | undefined)[];
  /** guess[b]: the recogniser the last line starting with byte b was read by, or -1. */
  private readonly guess = new Int8Array(256).fill(-1);
  private blockEnd = 0;

  constructor() {
    const all: Literal[] = [];
    BUILTIN_RECOGNIZERS.forEach((r, i) => {
      for (const l of r.literals) {
        const lit: Literal = { bytes: Buffer.from(l, 'utf8'), bit: 1 << i, next: -1 };
        all.push(lit);
        this.pair[(lit.bytes[0]! << 8) | lit.bytes[1]!] = 1;
        (this.byFirst[lit.bytes[0]!] ??= []).push(lit);
      }
    });
    this.readers = BUILTIN_RECOGNIZERS.map((r) => READERS[r.id]);
    this.absent = BUILTIN_RECOGNIZERS.map((_, i) => all.filter((l) => l.bit < 1 << i));
    this.present = BUILTIN_RECOGNIZERS.map((r, i) => {
      if (OWN_LITERAL_IMPLIED.has(r.id)) return undefined;
      if (r.literals.length !== 1) throw new Error(`${r.id}: one literal expected`);
      return all.find((l) => l.bit === 1 << i);
    });
  }

  /** A new block of lines, buf[..., end): remembered literal positions no longer hold. */
  startBlock(end: number): void {
    this.blockEnd = end;
    for (const list of this.absent) for (const l of list) l.next = -1;
    for (const l of this.present) if (l) l.next = -1;
  }

  /** One line buf[s, e) of the block: NOT_REQUEST, READ (see `fast`) or REGEX (see `mask`). */
  classify(buf: Buffer, s: number, e: number): number {
    fast.thr = fast.at = -1; // only the text form's reader sets them
    const g = this.guess[buf[s]!]!;
    if (g >= 0 && this.confirm(g, buf, s, e)) {
      this.readBit = 1 << g;
      return READ;
    }
    const mask = this.maskOf(buf, s, e);
    if (mask === 0) return NOT_REQUEST;
    const r = 31 - Math.clz32(mask & -mask);
    const reader = this.readers[r];
    if (reader !== undefined && reader(buf, s, e)) {
      if (s < e) this.guess[buf[s]!] = r;
      this.readBit = 1 << r;
      return READ;
    }
    this.mask = mask;
    return REGEX;
  }

  /** Recogniser r's reader reads the line, and r is the first recogniser the line admits. */
  private confirm(r: number, buf: Buffer, s: number, e: number): boolean {
    if (!this.readers[r]!(buf, s, e)) return false;
    const own = this.present[r];
    // At the line's start (JSON's `{"`, gin's `[GIN]`) it is there without a search.
    if (own !== undefined && !bytesAt(buf, s, own.bytes) && !this.occurs(own, buf, s, e)) return false;
    for (const l of this.absent[r]!) if (this.occurs(l, buf, s, e)) return false;
    return true;
  }

  /** Whether lit lies wholly within buf[s, e), s at or after the last line asked about. */
  private occurs(lit: Literal, buf: Buffer, s: number, e: number): boolean {
    if (lit.next < s) {
      const i = buf.indexOf(lit.bytes, s);
      lit.next = i < 0 || i >= this.blockEnd ? Infinity : i;
    }
    return lit.next + lit.bytes.length <= e;
  }

  /** Bit r set: a literal of BUILTIN_RECOGNIZERS[r] lies wholly within buf[s, e). */
  maskOf(buf: Buffer, s: number, e: number): number {
    let m = 0;
    const pair = this.pair;
    let prev = buf[s]!;
    for (let i = s + 1; i < e; i++) {
      const cur = buf[i]!;
      if (pair[(prev << 8) | cur] !== 0) {
        for (const lit of this.byFirst[prev]!) if (i - 1 + lit.bytes.length <= e && bytesAt(buf, i - 1, lit.bytes)) m |= lit.bit;
      }
      prev = cur;
    }
    return m;
  }

  /** Reads the line with its first admitted recogniser's reader (result in `fast`); false: use the regex path. */
  read(buf: Buffer, s: number, e: number, mask: number): boolean {
    fast.thr = fast.at = -1; // only the text form's reader sets them
    this.readBit = mask & -mask;
    const reader = this.readers[31 - Math.clz32(this.readBit)];
    return reader !== undefined && reader(buf, s, e);
  }
}
