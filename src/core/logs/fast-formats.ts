// Byte readers for the built-in formats' ordinary lines: method, grouping path and duration read
// straight from the Buffer, no decode, no regex. Each mirrors its regex in formats.ts (leftmost
// match, greedy choices) and returns true only when it is sure the regex reads the same; anything
// unusual (non-ASCII where it matters, escapes, odd shapes) returns false, and the caller falls
// back to the regex path. The differential test (logs-fast.test) holds the two together.

import { bytesAt, INLINE_METHOD_COUNT, isDigit, isSpace, isWordByte, methodAt, methodOfLetters, NO_NUMBER, parseNumber, runEnd, scan, skipSpace, UNSURE } from './bytes';

/**
 * What a reader found: method id (bytes.ts), grouping path buf[ps, pe), duration in ms (negative:
 * none). For a slow line's hit, every reader but uvicorn's (no duration, never slow) also sets the
 * raw path buf[rs, re) and the duration token buf[ds, de); the combined, gin and inline readers
 * the status st (its three digits) and the regex's timestamp text buf[ts, te). Only the text
 * form's reader sets thr and at (FastLines clears them before a read): thr, the line's own
 * threshold in ms (negative: none), at, where "SLOW REQUEST" starts (-1: not that form).
 * dur and thr start as fractions so V8 stores them as doubles from the start: a field that turns
 * from small integers to doubles mid-scan deoptimises every reader that writes it.
 */
export const fast = { method: 0, ps: 0, pe: 0, dur: -0.5, thr: -0.5, at: -1, rs: 0, re: 0, ds: 0, de: 0, st: 0, ts: 0, te: 0 };

const QUOTE = 0x22;
const SPACE = 0x20;
const BAR = 0x7c;

/** The grouping path of the raw path buf[s, e) as pathOnly() gives it; false when unsure. */
export function setPath(buf: Buffer, s: number, e: number): boolean {
  // pathOnly strips a scheme and host when "://" comes early: leave those to it.
  for (let i = s + 1; i < s + 10 && i + 2 < e; i++) if (buf[i] === 0x3a && buf[i + 1] === 0x2f && buf[i + 2] === 0x2f) return false;
  let q = s;
  while (q < e && buf[q] !== 0x3f && buf[q] !== 0x23) q++;
  if (q === s) return false;
  fast.ps = s;
  fast.pe = q;
  return true;
}

/** ` HTTP/[\d.]+"` at buf[i]; the index past the quote, or -1. */
function httpVersion(buf: Buffer, i: number, stop: number): number {
  if (buf[i] !== SPACE || buf[i + 1] !== 0x48 || buf[i + 2] !== 0x54 || buf[i + 3] !== 0x54 || buf[i + 4] !== 0x50 || buf[i + 5] !== 0x2f) return -1;
  let j = i + 6;
  while (j < stop && ((buf[j]! >= 48 && buf[j]! <= 57) || buf[j] === 46)) j++;
  return j > i + 6 && buf[j] === QUOTE ? j + 1 : -1;
}

/** Exactly three digits at buf[i]. */
function status3(buf: Buffer, i: number): boolean {
  for (let k = 0; k < 3; k++) if (!isDigit(buf[i + k]!)) return false;
  return true;
}

/** The three digits at buf[i] (status3) as a number. */
export function statusAt(buf: Buffer, i: number): number {
  return (buf[i]! - 48) * 100 + (buf[i + 1]! - 48) * 10 + (buf[i + 2]! - 48);
}

// ── combined: `[ts] "GET /x HTTP/1.1" 200 512 "ref" "ua" 0.123` ─────────────────────────────────
export function readCombined(buf: Buffer, start: number, stop: number): boolean {
  let i = start;
  while (i < stop && buf[i] !== 0x5b) i++;
  // The regex can only start at a "[": from the first one, or we are not sure.
  let j = i + 1;
  while (j < stop && buf[j] !== 0x5d) if (buf[j++]! >= 0x80) return false;
  // The timestamp text, between the brackets.
  const ts = i + 1;
  const te = j;
  if (j >= stop || j - i - 1 < 10 || j - i - 1 > 40 || buf[j + 1] !== SPACE || buf[j + 2] !== QUOTE) return false;
  const method = methodAt(buf, j + 3, stop);
  if (method === 0 || buf[scan.end] !== SPACE) return false;
  const ps = scan.end + 1;
  const pe = runEnd(buf, ps, stop, QUOTE);
  if (pe < 0 || pe >= stop) return false;
  i = httpVersion(buf, pe, stop);
  if (i < 0 || buf[i] !== SPACE || !status3(buf, i + 1) || buf[i + 4] !== SPACE) return false;
  const st = statusAt(buf, i + 1);
  // Size: digits or "-".
  i += 5;
  const dash = buf[i] === 0x2d;
  if (dash) i++;
  else {
    const n = i;
    while (i < stop && buf[i]! >= 48 && buf[i]! <= 57) i++;
    if (i === n) return false;
  }
  // Up to two ` "…"`, then whitespace, an optional `rt=`, and the duration.
  let quoted = 0;
  while (quoted < 2 && buf[i] === SPACE && buf[i + 1] === QUOTE) {
    let k = i + 2;
    while (k < stop && buf[k] !== QUOTE) k++;
    if (k >= stop) break;
    i = k + 1;
    quoted++;
  }
  let dur = -1;
  if (i < stop && isSpace(buf[i]!)) {
    i = skipSpace(buf, i, stop);
    if (i < 0) return false;
    let k = i;
    while (k < stop && ((buf[k]! >= 0x61 && buf[k]! <= 0x7a) || buf[k] === 0x5f)) k++;
    if (k > i && buf[k] === 0x3d) i = k + 1;
    const n = parseNumber(buf, i, stop);
    if (n === UNSURE) return false;
    if (n !== NO_NUMBER) {
      dur = scan.fraction ? n * 1000 : n / 1000;
      fast.ds = i;
      fast.de = scan.end;
    }
  } else if (i < stop && (buf[i]! >= 0x80 || (quoted === 0 && dash))) return false;
  if (!setPath(buf, ps, pe)) return false;
  fast.method = method;
  fast.dur = dur;
  hitBounds(ps, pe, st, ts, te);
  return true;
}

/** The raw path, status and timestamp text of a line a reader was sure of (see `fast`). */
function hitBounds(rs: number, re: number, st: number, ts: number, te: number): void {
  fast.rs = rs;
  fast.re = re;
  fast.st = st;
  fast.ts = ts;
  fast.te = te;
}

// ── uvicorn: `INFO:     127.0.0.1:5000 - "GET /x HTTP/1.1" 200 OK` ─────────────────────────────
export function readUvicorn(buf: Buffer, start: number, stop: number): boolean {
  // The regex's `\S+ - "` can only end at the first ` - "` right after a non-space.
  let i = start + 1;
  for (; i + 3 < stop; i++) {
    if (buf[i] !== SPACE || buf[i + 1] !== 0x2d || buf[i + 2] !== SPACE || buf[i + 3] !== QUOTE) continue;
    const before = buf[i - 1]!;
    if (before >= 0x80) return false;
    if (!isSpace(before)) break;
  }
  if (i + 3 >= stop) return false;
  const method = methodAt(buf, i + 4, stop);
  if (method === 0 || buf[scan.end] !== SPACE) return false;
  const ps = scan.end + 1;
  const pe = runEnd(buf, ps, stop);
  if (pe < 0 || pe >= stop) return false;
  i = httpVersion(buf, pe, stop);
  if (i < 0 || buf[i] !== SPACE || i + 4 > stop || !status3(buf, i + 1)) return false;
  if (!setPath(buf, ps, pe)) return false;
  fast.method = method;
  fast.dur = -1;
  return true;
}

// ── gin: `[GIN] 2026/01/18 - 14:23:45 | 200 |   12.3ms |  127.0.0.1 | GET      "/x"` ─────────────
export function readGin(buf: Buffer, start: number, stop: number): boolean {
  let i = start;
  while (i < stop && buf[i] !== BAR) i++;
  if (i >= stop) return false;
  // The regex's match starts at this first "|": the timestamp is what comes before it.
  const te = i;
  i = skipSpace(buf, i + 1, stop);
  if (i < 0 || !status3(buf, i)) return false;
  const st = statusAt(buf, i);
  i = skipSpace(buf, i + 3, stop);
  if (i < 0 || buf[i] !== BAR) return false;
  const ds = skipSpace(buf, i + 1, stop);
  if (ds < 0) return false;
  const de = runEnd(buf, ds, stop, BAR);
  if (de <= ds || de >= stop) return false;
  i = skipSpace(buf, de, stop);
  if (i < 0 || buf[i] !== BAR) return false;
  i++;
  while (i < stop && buf[i] !== BAR) i++;
  if (i >= stop) return false;
  i = skipSpace(buf, i + 1, stop);
  if (i < 0) return false;
  const method = methodAt(buf, i, stop);
  if (method === 0) return false;
  i = skipSpace(buf, scan.end, stop);
  if (i <= scan.end || buf[i] !== QUOTE) return false;
  const ps = i + 1;
  let pe = ps;
  for (; pe < stop && buf[pe] !== QUOTE; pe++) if (buf[pe]! < 0x21 || buf[pe]! > 0x7e) return false;
  if (pe >= stop) return false;
  const dur = goDuration(buf, ds, de);
  if (dur === UNSURE || !setPath(buf, ps, pe)) return false;
  fast.method = method;
  fast.dur = dur;
  fast.ds = ds;
  fast.de = de;
  hitBounds(ps, pe, st, start, te);
  return true;
}

/** Lower-cased letter at buf[i] (any case), or 0 past e. */
const lowerAt = (buf: Buffer, i: number, e: number): number => (i < e ? buf[i]! | 0x20 : 0);
const SECONDS = Buffer.from('seconds', 'latin1');

/**
 * Ms per unit of the unit at buf[i] (any case), the first of ns, us, ms, seconds, secs, sec, s,
 * min, m, h that matches, scan.end just past it; -1 for none.
 */
function unitAt(buf: Buffer, i: number, e: number): number {
  const d = lowerAt(buf, i + 1, e);
  let len = 1;
  let ms = -1;
  switch (lowerAt(buf, i, e)) {
    case 0x6e: // n
      if (d === 0x73) (len = 2), (ms = 1e-6);
      break;
    case 0x75: // u
      if (d === 0x73) (len = 2), (ms = 1e-3);
      break;
    case 0x6d: // m
      if (d === 0x73) (len = 2), (ms = 1);
      else (len = d === 0x69 && lowerAt(buf, i + 2, e) === 0x6e ? 3 : 1), (ms = 60_000);
      break;
    case 0x73: // s
      ms = 1000;
      if (d === 0x65 && lowerAt(buf, i + 2, e) === 0x63) {
        len = 3;
        while (len < SECONDS.length && lowerAt(buf, i + len, e) === SECONDS[len]) len++;
        // "sec", "secs" or "seconds"; "seco" and the like read as "sec".
        if (len !== SECONDS.length) len = lowerAt(buf, i + 3, e) === 0x73 ? 4 : 3;
      }
      break;
    case 0x68: // h
      ms = 3_600_000;
      break;
  }
  scan.end = i + len;
  return ms;
}

/** parseDurationText on ASCII buf[s, e) (already free of spaces): ms, NO_NUMBER (its null), or UNSURE. */
function goDuration(buf: Buffer, s: number, e: number): number {
  let total = 0;
  let parts = 0;
  let i = s;
  while (i < e) {
    const n = parseNumber(buf, i, e, true);
    if (n === UNSURE) return UNSURE;
    if (n === NO_NUMBER) return NO_NUMBER;
    i = scan.end;
    let factor = unitAt(buf, i, e);
    if (factor >= 0) i = scan.end;
    else {
      // µs/μs, or a unit-less part: only a lone last number takes the default (ms).
      if (buf[i]! >= 0x80) return UNSURE;
      if (parts > 0 || i < e) return NO_NUMBER;
      factor = 1;
    }
    total += n * factor;
    parts++;
  }
  return total;
}

// ── inline (Go/Express/morgan): `GET /x 200 12.3ms`, `GET /x 200 12.345 ms - 15`, `GET /x 200 15 - 1.2 ms`
export function readInline(buf: Buffer, start: number, stop: number): boolean {
  // Only lines that start with the method: then the regex's leftmost match starts there too.
  const method = methodAt(buf, start, stop, INLINE_METHOD_COUNT);
  if (method === 0 || buf[scan.end] !== SPACE || buf[scan.end + 1] !== 0x2f) return false;
  const ps = scan.end + 1;
  const pe = runEnd(buf, ps, stop);
  if (pe < 0 || buf[pe] !== SPACE || !status3(buf, pe + 1) || buf[pe + 4] !== SPACE) return false;
  const at = pe + 5;
  let dur = UNSURE;
  // The optional `(?:\d+|-) - ` first, as the greedy regex tries it.
  let k = at;
  let ds = at;
  if (buf[k] === 0x2d) k++;
  else while (k < stop && isDigit(buf[k]!)) k++;
  if (k > at && buf[k] === SPACE && buf[k + 1] === 0x2d && buf[k + 2] === SPACE) dur = inlineDuration(buf, (ds = k + 3), stop);
  if (dur === UNSURE) dur = inlineDuration(buf, (ds = at), stop);
  if (dur === UNSURE || !setPath(buf, ps, pe)) return false;
  fast.method = method;
  fast.dur = dur;
  fast.ds = ds;
  fast.de = scan.end;
  // The match starts at the line's start (^): no timestamp text before it.
  hitBounds(ps, pe, statusAt(buf, pe + 1), start, start);
  return true;
}

/** `(\d+(?:\.\d+)?) ?(ns|us|ms|s)(?![a-zA-Z])` at buf[i] as toMs() reads it, or UNSURE. */
function inlineDuration(buf: Buffer, i: number, stop: number): number {
  const n = parseNumber(buf, i, stop);
  if (n < 0) return UNSURE;
  i = scan.end;
  if (buf[i] === SPACE) i++;
  const factor = shortUnitAt(buf, i, stop);
  if (factor < 0) return UNSURE;
  const after = scan.end;
  if (after < stop && ((buf[after]! | 0x20) >= 0x61 && (buf[after]! | 0x20) <= 0x7a)) return UNSURE;
  return n * factor;
}

/**
 * Ms per unit of the first of `ns|us|ms|s` at buf[i] (the regexes' order; their µs/μs are not
 * ASCII), scan.end just past it; -1 for none.
 */
function shortUnitAt(buf: Buffer, i: number, stop: number): number {
  const c = i < stop ? buf[i]! : 0;
  const two = i + 1 < stop && buf[i + 1] === 0x73;
  const factor = two && c === 0x6e ? 1e-6 : two && c === 0x75 ? 1e-3 : two && c === 0x6d ? 1 : c === 0x73 ? 1000 : -1;
  if (factor >= 0) scan.end = i + (c === 0x73 ? 1 : 2);
  return factor;
}

// ── the text form: `… SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)` ────────
// Mirrors formats.ts's TEXT from the line's first "SLOW REQUEST". Where the regex could backtrack
// into another reading (a method word that is the path, a non-ASCII space or µs), false.
const SLOW_REQUEST = Buffer.from('SLOW REQUEST', 'latin1');
const TOOK = Buffer.from('took', 'latin1');
const THRESHOLD = Buffer.from('(threshold:', 'latin1');

/** Ms per unit of `ns|us|ms|s` at buf[i] (the first that fits, then `\b` when wordEnd), scan.end past it; -1: none; UNSURE: µs/μs. */
function textUnit(buf: Buffer, i: number, stop: number, wordEnd: boolean): number {
  if (i < stop && buf[i]! >= 0x80) return UNSURE;
  const factor = shortUnitAt(buf, i, stop);
  // "5msx": neither "ms" nor a lone "s" ends a word there.
  return factor >= 0 && wordEnd && scan.end < stop && isWordByte(buf[scan.end]!) ? -1 : factor;
}

/** buf[i, i + lit.length) equals lit, within stop. */
function litAt(buf: Buffer, i: number, lit: Buffer, stop: number): boolean {
  return i + lit.length <= stop && bytesAt(buf, i, lit);
}

/** `\d+(?:\.\d+)?(?:\s*(?:UNIT)\b)?` at buf[i] as parseDurationText reads it, scan.end past the token; NO_NUMBER or UNSURE. */
function textDuration(buf: Buffer, i: number, stop: number, wordEnd: boolean): number {
  const n = parseNumber(buf, i, stop);
  if (n < 0) return n;
  const end = scan.end;
  const u = skipSpace(buf, end, stop);
  if (u < 0) return UNSURE;
  const factor = textUnit(buf, u, stop, wordEnd);
  if (factor === UNSURE) return UNSURE;
  if (factor < 0) {
    scan.end = end;
    return n;
  }
  return n * factor;
}

/** The first "SLOW REQUEST" within buf[i, stop), or -1 (searched here: Buffer#indexOf would not stop at the line's end). */
function slowRequestAt(buf: Buffer, i: number, stop: number): number {
  for (const last = stop - SLOW_REQUEST.length; i <= last; i++) if (buf[i] === 0x53 && litAt(buf, i, SLOW_REQUEST, stop)) return i;
  return -1;
}

export function readText(buf: Buffer, start: number, stop: number): boolean {
  const at = slowRequestAt(buf, start, stop);
  if (at < 0) return false;
  let i = at + SLOW_REQUEST.length;
  if (buf[i] === 0x3a) i++;
  let j = skipSpace(buf, i, stop);
  if (j <= i) return false;
  // (?:(METHOD)\s+)? then (\S+): a method followed by a space is taken as the method.
  let method = methodAt(buf, j, stop);
  if (method !== 0) {
    const k = skipSpace(buf, scan.end, stop);
    if (k < 0) return false;
    if (k > scan.end) j = k;
    else method = 0;
  }
  const rs = j;
  const re = runEnd(buf, rs, stop);
  if (re <= rs) return false;
  i = skipSpace(buf, re, stop);
  if (i <= re || !litAt(buf, i, TOOK, stop)) return false;
  j = skipSpace(buf, i + TOOK.length, stop);
  if (j <= i + TOOK.length) return false;
  const ds = j;
  const dur = textDuration(buf, ds, stop, true);
  if (dur < 0) return false;
  const de = scan.end;
  // (?:\s*\(threshold:\s*(N(?:\s*UNIT)?)\))? — no \b there, but the ")" must follow.
  let thr = -1;
  i = skipSpace(buf, de, stop);
  if (i < 0) return false;
  if (litAt(buf, i, THRESHOLD, stop)) {
    i = skipSpace(buf, i + THRESHOLD.length, stop);
    if (i < 0) return false;
    const t = textDuration(buf, i, stop, false);
    if (t === UNSURE) return false;
    // A unit must be followed by ")", as must a bare number (only one unit can fit at a place).
    if (t !== NO_NUMBER && scan.end < stop && buf[scan.end] === 0x29) thr = t;
  }
  if (!setPath(buf, rs, re)) return false;
  fast.method = method;
  fast.dur = dur;
  fast.thr = thr;
  fast.at = at;
  fast.rs = rs;
  fast.re = re;
  fast.ds = ds;
  fast.de = de;
  return true;
}
