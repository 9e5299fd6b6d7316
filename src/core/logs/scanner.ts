// The byte scanner: feed Buffer chunks of any size, get one FileHit per request line.
//
// Fast path: most lines are not requests, so the scanner never looks at them one by one. A first
// pass in WebAssembly SIMD (line-index.ts) counts a block's lines and lists those holding one of
// the recognisers' literals, with which; only those lines are read, each by the byte reader or the
// recognisers its literals admit. Without WebAssembly the same is done with Buffer#indexOf
// (literal searches where few lines are requests, line by line where most are). Lines longer than
// maxLineBytes are scanned up to that prefix and counted in longLines; a partial line at a chunk
// end is copied (bounded by the same cap), since the caller may reuse its chunk buffer.

import { isAscii, METHOD_NAMES } from './bytes';
import { fast } from './fast-formats';
import { EPOCH, hitFields, QUOTED, readHitFields } from './fast-json';
import { FastLines, NOT_REQUEST, READ, REGEX } from './fast-lines';
import { BUILTIN_RECOGNIZERS, epochText } from './formats';
import { LineIndex, LONG } from './line-index';
import { statusCode } from './parsed';
import { isSlow, planFor, primeRegexPath, type RecognizerPlan } from './recognize';
import { parseTimestamp } from './timestamp';
import { DEFAULT_MAX_LINE_BYTES, type FileHit, type FormatId, type RecognizeOptions } from './types';

export interface ScanOptions extends RecognizeOptions {
  /** Lines are scanned up to this many bytes (default 64 kB). */
  maxLineBytes?: number;
  /**
   * A NUL byte in the first 8 kB: throw BinaryFileError (default), or 'skip' the whole input;
   * 'ignore': no check (a later part of a file whose start was checked).
   */
  binary?: 'error' | 'skip' | 'ignore';
  /** Do without the WebAssembly first pass (tests: both ways must agree). */
  noIndex?: boolean;
}

export interface ScanStats {
  /** Lines seen (a last line without a newline counts once end() is called). */
  lines: number;
  bytes: number;
  /** Lines longer than maxLineBytes (scanned up to that prefix). */
  longLines: number;
  /** The input looked binary and was skipped (binary: 'skip'). */
  binary: boolean;
  /** Blocks went through the WebAssembly first pass (false: Buffer#indexOf did its work). */
  simd: boolean;
}

/** Where the byte fast path counts ordinary (not slow) request lines instead of making hits (LogAggregator). */
export interface FastSink {
  addFast(method: number, buf: Buffer, ps: number, pe: number, durationMs: number): void;
}

export class BinaryFileError extends Error {
  constructor(readonly offset: number) {
    super(`looks like a binary file (NUL byte at offset ${offset}; UTF-16 logs are not supported), not a text log`);
  }
}

const NL = 10;
const CR = 13;
const bitOf = (id: string): number => 1 << BUILTIN_RECOGNIZERS.findIndex((r) => r.id === id);
/** FastLines.readBit of the JSON reader, and of those that give a slow hit's fields themselves. */
const JSON_BIT = bitOf('json');
const BOUNDS_BITS = bitOf('combined') | bitOf('gin') | bitOf('inline');
/** Above this share of request lines a block is scanned line by line (a guess between the bench files: the mix has ~5 in 6, the text form 1 in 100). */
const DENSE = 0.2;
/** How far into the input a NUL byte means "binary" (what git and grep look at, roughly). */
export const BINARY_PROBE = 8000;

export class LogScanner {
  readonly stats: ScanStats = { lines: 0, bytes: 0, longLines: 0, binary: false, simd: false };
  private readonly maxLine: number;
  private readonly plan: RecognizerPlan;
  private readonly literals: Buffer[] | null;
  private readonly next: number[];
  /** Byte offset of the next pushed chunk's first byte. */
  private base = 0;
  // The partial line carried over from the previous chunk (only its first maxLine bytes).
  private carry: Buffer;
  private carryLen = 0;
  private carryTotal = 0;
  private carryStart = 0;
  private carryLastByte = -1;

  /** Set when lines go through the byte fast path (a sink, no custom patterns). */
  private readonly byteReader: FastLines | null;
  /** The last block was mostly request lines: scan the next one line by line. */
  private dense = true;
  /** The WebAssembly first pass; null where it cannot be had; undefined until the first block. */
  private index: LineIndex | null | undefined;

  /**
   * startByte: the file offset of the first pushed byte (a follower starting at the end).
   * sink: ordinary request lines of the built-in formats are counted there, without a hit
   * (onHit then sees only slow lines and lines the byte readers were unsure of).
   */
  constructor(
    private readonly options: ScanOptions,
    private readonly onHit: (hit: FileHit) => void,
    startByte = 0,
    private readonly sink: FastSink | null = null,
  ) {
    this.byteReader = sink && !options.patterns?.length ? new FastLines() : null;
    if (this.byteReader) primeRegexPath();
    this.base = startByte;
    this.maxLine = Math.max(256, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.plan = planFor(options);
    this.literals = this.plan.literals && this.plan.literals.map((l) => Buffer.from(l, 'utf8'));
    this.next = new Array<number>(this.literals?.length ?? 0).fill(0);
    this.carry = Buffer.allocUnsafe(Math.min(this.maxLine, 4096));
  }

  push(chunk: Buffer): void {
    if (this.stats.binary || chunk.length === 0) return;
    if (this.stats.bytes < BINARY_PROBE && this.options.binary !== 'ignore' && this.probeBinary(chunk)) return;
    let pos = 0;
    if (this.carryTotal > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.appendCarry(chunk, 0, chunk.length);
        this.advance(chunk.length);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      this.flushCarry();
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= pos) {
      this.scanBlock(chunk, pos, last + 1);
      pos = last + 1;
    }
    if (pos < chunk.length) {
      this.carryStart = this.base + pos;
      this.appendCarry(chunk, pos, chunk.length);
    }
    this.advance(chunk.length);
  }

  /** The input is complete: a last line without a newline is scanned too. */
  end(): ScanStats {
    if (this.carryTotal > 0) this.flushCarry();
    return this.stats;
  }

  private advance(n: number): void {
    this.base += n;
    this.stats.bytes += n;
  }

  private probeBinary(chunk: Buffer): boolean {
    const nul = chunk.subarray(0, BINARY_PROBE - this.stats.bytes).indexOf(0);
    if (nul < 0) return false;
    if (this.options.binary !== 'skip') throw new BinaryFileError(this.base + nul);
    this.stats.binary = true;
    return true;
  }

  private appendCarry(chunk: Buffer, from: number, to: number): void {
    if (to > from) this.carryLastByte = chunk[to - 1]!;
    this.carryTotal += to - from;
    const room = this.maxLine - this.carryLen;
    const n = Math.min(room, to - from);
    if (n <= 0) return;
    if (this.carryLen + n > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxLine, Math.max(this.carry.length * 2, this.carryLen + n)));
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLen, from, from + n);
    this.carryLen += n;
  }

  private flushCarry(): void {
    const total = this.carryTotal;
    const cr = this.carryLastByte === CR ? 1 : 0;
    const long = total > this.maxLine;
    const len = long ? this.carryLen : this.carryLen - cr;
    this.admitWithin(this.carry, 0, len);
    this.line(this.carry, 0, len, this.stats.lines, this.carryStart, this.carryStart + total - cr, long);
    this.stats.lines++;
    this.carryLen = this.carryTotal = 0;
    this.carryLastByte = -1;
  }

  /**
   * Two buffers a file can be read into, one while the other is scanned, each `size` bytes: the
   * first pass then reads them in place. null: any buffer will do (it is copied).
   */
  readBuffers(size: number): readonly [Buffer, Buffer] | null {
    const ix = this.lineIndex(size);
    return ix && ix.capacity === size ? ix.inputs : null;
  }

  private lineIndex(capacity?: number): LineIndex | null {
    if (this.index === undefined) {
      const { literals, plan } = this;
      // Bits are recognisers (plan candidates); bit 31 is the index's own.
      const usable = literals !== null && !this.options.noIndex && plan.admitted.length < 31;
      this.index = usable ? LineIndex.create(plan.indexLiterals()!, this.maxLine, capacity) : null;
    }
    return this.index;
  }

  /** buf[from, to) holds whole lines, the last one ending with "\n". */
  private scanBlock(buf: Buffer, from: number, to: number): void {
    const ix = this.lineIndex();
    if (ix) {
      this.stats.simd = true;
      return this.scanBlockIndexed(ix, buf, from, to);
    }
    // Line by line when most lines are requests; literal searches skip the rest when few are.
    const before = this.stats.lines;
    let requests = 0;
    if (this.byteReader && this.dense) requests = this.scanBlockBytes(buf, from, to);
    else requests = this.scanBlockLiterals(buf, from, to);
    if (this.byteReader) this.dense = requests > (this.stats.lines - before) * DENSE;
  }

  /** scanBlock through the first pass: buf read in place, or copied into it in pieces of whole lines. */
  private scanBlockIndexed(ix: LineIndex, buf: Buffer, from: number, to: number): void {
    const at = ix.offsetOf(buf);
    if (at >= 0) return this.indexRun(ix, buf, at, from, to, 0);
    const area = ix.inputs[0];
    for (let p = from; p < to; ) {
      let end = Math.min(to, p + ix.capacity);
      if (end < to) {
        const nl = buf.lastIndexOf(NL, end - 1);
        if (nl < p) {
          // One line longer than the area.
          const lineEnd = buf.indexOf(NL, p);
          this.candidate(buf, p, lineEnd, this.stats.lines++, null);
          p = lineEnd + 1;
          continue;
        }
        end = nl + 1;
      }
      buf.copy(area, 0, p, end);
      this.indexRun(ix, area, ix.offsetOf(area), 0, end - p, p);
      p = end;
    }
  }

  /** The first pass over buf[from, to) (at: where buf is in its memory); shift: buf[0]'s offset in the pushed chunk. */
  private indexRun(ix: LineIndex, buf: Buffer, at: number, from: number, to: number, shift: number): void {
    let lineBase = this.stats.lines;
    const rec = ix.records;
    // With a byte reader only the first recogniser a line admits is needed, unless it turns out slow or unsure.
    const lowest = this.byteReader !== null;
    for (let p = at + from, end = at + to; p < end; p = ix.resume) {
      const n = 4 * ix.scan(p, end, lowest);
      for (let i = 0; i < n; i += 4) this.indexed(buf, rec[i + 1]! - at, rec[i + 2]! - at, lineBase + rec[i]!, rec[i + 3]!, shift);
      lineBase += ix.lines;
    }
    this.stats.lines = lineBase;
  }

  /** A line the first pass listed: buf[s, nl), nl its newline; bits: recognisers its literals admit, and LONG. */
  private indexed(buf: Buffer, s: number, nl: number, lineNo: number, bits: number, shift: number): void {
    const end = nl > s && buf[nl - 1] === CR ? nl - 1 : nl;
    const at = this.base + shift;
    // Too long: its literals are looked for again, in the prefix only.
    if (end - s > this.maxLine) return this.candidate(buf, s, nl, lineNo, null, at);
    let mask = bits & ~LONG;
    if (mask === 0) return;
    const reader = this.byteReader;
    if (reader !== null) {
      // Read from its bytes (a slow text-form line too); otherwise every recogniser the line
      // admits (the first pass gave only the first).
      if (reader.read(buf, s, end, mask)) {
        if (!this.counted(buf, s, end, lineNo, at)) this.slowRead(buf, s, end, lineNo, at + s, at + end);
        return;
      }
      mask = reader.maskOf(buf, s, end);
    }
    this.plan.admitMask(mask);
    this.line(buf, s, end, lineNo, at + s, at + end, false);
  }

  /**
   * A slow line a byte reader read, through the regex path: its reader's recogniser is the line's
   * first admitted one and its regex reads the line as the reader did (the readers mirror their
   * regexes; tests hold them to it), so it alone is tried — finding every literal in the line
   * cost more than that regex. Should it find nothing, every recogniser the line admits.
   */
  private slowRead(buf: Buffer, s: number, end: number, lineNo: number, byteStart: number, byteEnd: number): void {
    const reader = this.byteReader!;
    this.plan.admitMask(reader.readBit);
    if (this.line(buf, s, end, lineNo, byteStart, byteEnd, false)) return;
    this.plan.admitMask(reader.maskOf(buf, s, end));
    this.line(buf, s, end, lineNo, byteStart, byteEnd, false);
  }

  /**
   * A line a byte reader read (see `fast`), buf[s, end), at: the file offset of buf[0]: counted from
   * its bytes when not slow, made a hit from them when a slow text-form line. false: the regex path.
   */
  private counted(buf: Buffer, s: number, end: number, lineNo: number, at: number): boolean {
    if (!isSlow(fast.dur, fast.thr >= 0 ? fast.thr : null, this.options.thresholdMs)) {
      this.sink!.addFast(fast.method, buf, fast.ps, fast.pe, fast.dur);
      return true;
    }
    if (fast.at >= 0) return this.textHit(buf, s, end, lineNo, at);
    const bit = this.byteReader!.readBit;
    if (bit === JSON_BIT) return this.jsonHit(buf, s, end, lineNo, at);
    return (bit & BOUNDS_BITS) !== 0 && this.boundsHit(bit, buf, s, end, lineNo, at);
  }

  /** The hit the regex path makes of a slow combined, gin or inline line, from what its reader found (ASCII lines only: columns are UTF-16 units). */
  private boundsHit(bit: number, buf: Buffer, s: number, end: number, lineNo: number, at: number): boolean {
    if (!isAscii(buf, s, end)) return false;
    const status = statusCode(fast.st);
    const timestamp = fast.te > fast.ts ? parseTimestamp(buf.toString('latin1', fast.ts, fast.te)) : null;
    return this.byteHit(BUILTIN_RECOGNIZERS[31 - Math.clz32(bit)]!.id, buf, s, end, lineNo, at, status, this.options.thresholdMs, timestamp);
  }

  /** The hit the regex path makes of a slow text-form line, from what readText found. */
  private textHit(buf: Buffer, s: number, end: number, lineNo: number, at: number): boolean {
    // Columns are UTF-16 units in the line: byte offsets where all before the duration is ASCII
    // (readText made sure of the part from "SLOW REQUEST" on).
    if (!isAscii(buf, s, fast.at)) return false;
    const thresholdMs = fast.thr >= 0 ? fast.thr : this.options.thresholdMs;
    const timestamp = fast.at > s ? parseTimestamp(buf.toString('latin1', s, fast.at)) : null;
    return this.byteHit('text', buf, s, end, lineNo, at, null, thresholdMs, timestamp);
  }

  /** The hit the regex path makes of a slow JSON line, from what readJson found and the line's status and timestamp fields. */
  private jsonHit(buf: Buffer, s: number, end: number, lineNo: number, at: number): boolean {
    // ASCII only: columns are UTF-16 units, and `\s` is then what the byte readers skip.
    if (!isAscii(buf, s, end)) return false;
    readHitFields(buf, s, end);
    const f = hitFields;
    const stamp = f.time === QUOTED ? buf.toString('latin1', f.ts, f.te) : f.time === EPOCH ? epochText(buf.toString('latin1', f.ts, f.te)) : null;
    return this.byteHit('json', buf, s, end, lineNo, at, f.status, this.options.thresholdMs, stamp ? parseTimestamp(stamp) : null);
  }

  /** A slow hit from `fast` (method, raw path and path, duration and its columns): the fields toHit gives. */
  private byteHit(format: FormatId, buf: Buffer, s: number, end: number, lineNo: number, at: number, status: number | null, thresholdMs: number, timestamp: number | null): true {
    const rawPath = buf.toString('latin1', fast.rs, fast.re);
    const hit: FileHit = {
      line: lineNo,
      format,
      method: METHOD_NAMES[fast.method] ?? null,
      path: fast.pe === fast.re ? rawPath : rawPath.slice(0, fast.pe - fast.ps),
      rawPath,
      status,
      durationMs: fast.dur,
      thresholdMs,
      slow: true,
      timestamp,
      durationColumns: { start: fast.ds - s, end: fast.de - s },
      byteStart: at + s,
      byteEnd: at + end,
    };
    this.onHit(hit);
    return true;
  }

  /** scanBlock by searching the literals: candidate lines only. Returns how many there were. */
  private scanBlockLiterals(buf: Buffer, from: number, to: number): number {
    const lits = this.literals;
    let lineNo = this.stats.lines;
    let pos = from;
    if (lits === null) {
      // No usable literal (a custom pattern without one): every line is a candidate.
      for (let nl = buf.indexOf(NL, pos); nl >= 0 && nl < to; nl = buf.indexOf(NL, pos)) {
        this.candidate(buf, pos, nl, lineNo++, null);
        pos = nl + 1;
      }
      const n = lineNo - this.stats.lines;
      this.stats.lines = lineNo;
      return n;
    }
    let candidates = 0;
    const next = this.next;
    for (let k = 0; k < lits.length; k++) next[k] = find(buf, lits[k]!, from, to);
    for (;;) {
      let c = Infinity;
      for (let k = 0; k < next.length; k++) if (next[k]! < c) c = next[k]!;
      if (c === Infinity) break;
      // Count the lines before the candidate; the first newline at or after it ends its line.
      let start = pos;
      let nl = buf.indexOf(NL, pos);
      while (nl < c) {
        lineNo++;
        start = nl + 1;
        nl = buf.indexOf(NL, start);
      }
      this.candidate(buf, start, nl, lineNo++, next);
      candidates++;
      pos = nl + 1;
      for (let k = 0; k < next.length; k++) if (next[k]! < pos) next[k] = find(buf, lits[k]!, pos, to);
    }
    this.stats.lines = lineNo + countNewlines(buf, pos, to);
    return candidates;
  }

  /** scanBlock on the byte fast path: every line is classified by its bytes, ordinary requests go to the sink. Returns the request lines. */
  private scanBlockBytes(buf: Buffer, from: number, to: number): number {
    let requests = 0;
    const reader = this.byteReader!;
    reader.startBlock(to);
    let lineNo = this.stats.lines;
    for (let pos = from; pos < to; lineNo++) {
      const nl = buf.indexOf(NL, pos);
      const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
      if (end - pos > this.maxLine) {
        this.admitWithin(buf, pos, pos + this.maxLine);
        this.line(buf, pos, pos + this.maxLine, lineNo, this.base + pos, this.base + end, true);
      } else {
        const kind = reader.classify(buf, pos, end);
        if (kind !== NOT_REQUEST) requests++;
        // Read from its bytes, or (slow or unsure) the regex path.
        if (kind === READ) {
          if (!this.counted(buf, pos, end, lineNo, this.base)) this.slowRead(buf, pos, end, lineNo, this.base + pos, this.base + end);
        } else if (kind === REGEX) {
          this.plan.admitMask(reader.mask);
          this.line(buf, pos, end, lineNo, this.base + pos, this.base + end, false);
        }
      }
      pos = nl + 1;
    }
    this.stats.lines = lineNo;
    return requests;
  }

  /**
   * A line of a block: [start, nl) with nl the newline; found: where each literal was found (null:
   * look); at: the file offset of buf[0].
   */
  private candidate(buf: Buffer, start: number, nl: number, lineNo: number, found: number[] | null, at = this.base): void {
    const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
    const long = end - start > this.maxLine;
    const stop = long ? start + this.maxLine : end;
    if (found) {
      // Literals found in this line (beyond a long line's prefix they do not count).
      const lits = this.literals!;
      for (let k = 0; k < found.length; k++) if (found[k]! + lits[k]!.length <= stop) this.plan.admit(k);
    } else this.admitWithin(buf, start, stop);
    this.line(buf, start, stop, lineNo, at + start, at + end, long);
  }

  /** Admits the recognisers whose literals occur in buf[from, to) (a line whose literals were not searched for). */
  private admitWithin(buf: Buffer, from: number, to: number): void {
    if (!this.literals) return;
    const text = buf.subarray(from, to);
    for (let k = 0; k < this.literals.length; k++) if (text.indexOf(this.literals[k]!) >= 0) this.plan.admit(k);
  }

  /** The regex path for one line; whether it was a request line. */
  private line(buf: Buffer, from: number, to: number, lineNo: number, byteStart: number, byteEnd: number, long: boolean): boolean {
    if (long) this.stats.longLines++;
    const useAdmitted = this.literals !== null;
    if (useAdmitted && !this.plan.admitted.includes(1)) return false;
    const hit = this.plan.recognize(buf.toString('utf8', from, to), lineNo, useAdmitted);
    if (!hit) return false;
    // Set in place (a spread copy per hit cost more than the whole scan of a request line).
    const fileHit = hit as FileHit;
    fileHit.byteStart = byteStart;
    fileHit.byteEnd = byteEnd;
    this.onHit(fileHit);
    return true;
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NL, from); i >= 0 && i < to; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

/** First occurrence of lit in buf[from, to), or Infinity. */
function find(buf: Buffer, lit: Buffer, from: number, to: number): number {
  const i = buf.indexOf(lit, from);
  return i < 0 || i >= to ? Infinity : i;
}

/** Scans one whole buffer (tests, small inputs). */
export function scanBuffer(buf: Buffer, options: ScanOptions): { hits: FileHit[]; stats: ScanStats } {
  const hits: FileHit[] = [];
  const s = new LogScanner(options, (h) => hits.push(h));
  s.push(buf);
  return { hits, stats: s.end() };
}
