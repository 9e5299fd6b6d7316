// The byte reader for JSON lines (see fast-formats.ts). The regexes in formats.ts are not
// JSON-aware: each finds its first `"key"\s*:\s*value` anywhere in the line, starting at any
// quote. So does this: every quote is tried as the start of a key, in order.

import { isDigit, isWordByte, methodOfLetters, NO_NUMBER, parseNumber, scan, skipSpace, UNSURE } from './bytes';
import { fast, setPath, statusAt } from './fast-formats';
import { STATUS_KEY_NAMES, TIME_KEY_NAMES } from './formats';
import { statusCode } from './parsed';

const DURATION = 0;
const METHOD = 1;
const PATH = 2;
const STATUS = 3;
const TIME = 4;
const QUOTE = 0x22;

interface Key {
  bytes: Buffer;
  kind: number;
  /** Ms per unit of a bare number (nginx's request_time is seconds). */
  factor: number;
}

/** Longer quoted strings are never keys. */
const KEY_LIMIT = 32;

/** Key names by length, and starts[len << 8 | b]: some key of that length starts with byte b (one lookup rejects most quoted strings). */
interface KeyTable {
  keys: Key[][];
  starts: Uint8Array;
}

function keyTable(kinds: [kind: number, names: string][]): KeyTable {
  const t: KeyTable = { keys: [], starts: new Uint8Array(KEY_LIMIT << 8) };
  for (const [kind, names] of kinds) {
    for (const n of names.split('|')) {
      (t.keys[n.length] ??= []).push({ bytes: Buffer.from(n, 'latin1'), kind, factor: n === 'request_time' ? 1000 : 1 });
      t.starts[(n.length << 8) | n.charCodeAt(0)] = 1;
    }
  }
  return t;
}

/** What every request line needs. */
const REQUEST_KEYS = keyTable([
  [DURATION, 'duration_ms|durationMs|latency_ms|latencyMs|response_time_ms|responseTimeMs|elapsed_ms|elapsedMs|took_ms|request_time|response_time|responseTime|duration|latency|elapsed|took'],
  [METHOD, 'method|http_method|httpMethod|request_method|requestMethod|verb'],
  [PATH, 'path|endpoint|route|url|uri|request_path|requestPath|request_uri|requestUri|target'],
]);
/** What a slow line's hit needs besides. */
const HIT_KEYS = keyTable([
  [STATUS, STATUS_KEY_NAMES],
  [TIME, TIME_KEY_NAMES],
]);

function keyAt(table: KeyTable, buf: Buffer, s: number, e: number): Key | undefined {
  const n = e - s;
  if (n >= KEY_LIMIT || table.starts[(n << 8) | buf[s]!] === 0) return undefined;
  return keyIn(table.keys[n]!, buf, s, n);
}

/** keyAt(REQUEST_KEYS, …) for readJson, its tables read as constants (with the table an argument, JSON lines took ~3 % longer). */
const REQUEST_STARTS = REQUEST_KEYS.starts;
const REQUEST_BY_LENGTH = REQUEST_KEYS.keys;
function requestKeyAt(buf: Buffer, s: number, e: number): Key | undefined {
  const n = e - s;
  if (n >= KEY_LIMIT || REQUEST_STARTS[(n << 8) | buf[s]!] === 0) return undefined;
  return keyIn(REQUEST_BY_LENGTH[n]!, buf, s, n);
}

function keyIn(list: Key[], buf: Buffer, s: number, n: number): Key | undefined {
  next: for (let j = 0; j < list.length; j++) {
    const b = list[j]!.bytes;
    for (let i = 0; i < n; i++) if (buf[s + i] !== b[i]) continue next;
    return list[j];
  }
  return undefined;
}

export function readJson(buf: Buffer, start: number, stop: number): boolean {
  let dur = -1;
  let method = -1;
  let ps = -1;
  let pe = -1;
  let q = start;
  while (q < stop && buf[q] !== QUOTE) q++;
  while (q < stop && (dur < 0 || method < 0 || ps < 0)) {
    let r = q + 1;
    while (r < stop && buf[r] !== QUOTE) r++;
    if (r >= stop) break;
    const key = requestKeyAt(buf, q + 1, r);
    q = r; // a closing quote may open the next match
    if (key === undefined || (key.kind === DURATION ? dur >= 0 : key.kind === METHOD ? method >= 0 : ps >= 0)) continue;
    let v = skipSpace(buf, r + 1, stop);
    if (v < 0) return false;
    if (buf[v] !== 0x3a) continue;
    v = skipSpace(buf, v + 1, stop);
    if (v < 0) return false;
    if (key.kind === DURATION) {
      // A string ("1.2s") or an exponent: the regex path reads those.
      if (buf[v] === QUOTE) return false;
      const n = parseNumber(buf, v, stop);
      if (n === UNSURE || (n !== NO_NUMBER && ((buf[scan.end] ?? 0) | 0x20) === 0x65)) return false;
      if (n !== NO_NUMBER) {
        dur = n * key.factor;
        fast.ds = v;
        fast.de = scan.end;
      }
      continue;
    }
    if (buf[v] !== QUOTE) continue;
    let e = v + 1;
    if (key.kind === METHOD) {
      while (e < stop && ((buf[e]! | 0x20) >= 0x61 && (buf[e]! | 0x20) <= 0x7a)) e++;
      if (e - v - 1 < 3 || e - v - 1 > 7 || buf[e] !== QUOTE) continue;
      method = methodOfLetters(buf, v + 1, e);
      if (method === 0) return false;
      continue;
    }
    for (; e < stop && buf[e] !== QUOTE; e++) if (buf[e]! < 0x21 || buf[e]! > 0x7e || buf[e] === 0x5c) return false;
    if (e >= stop || e === v + 1 || e - v - 1 > 2048) return false;
    ps = v + 1;
    pe = e;
  }
  // No duration: not a request here; no path: REQUEST_KEY and friends, left to the regex path.
  if (dur < 0 || ps < 0 || !setPath(buf, ps, pe)) return false;
  fast.method = Math.max(0, method);
  fast.dur = dur;
  fast.rs = ps;
  fast.re = pe;
  return true;
}

/** hitFields.time: no timestamp field; a quoted one (its text, ts..te); a number of epoch seconds or ms. */
export const NONE_FOUND = 0;
export const QUOTED = 1;
export const EPOCH = 2;
/** A slow JSON line's status and timestamp as formats.ts's STATUS_KEY and TIME_KEY read them (see readHitFields). */
export const hitFields = { status: null as number | null, time: NONE_FOUND, ts: 0, te: 0 };

/**
 * The first match of STATUS_KEY and of TIME_KEY in an ASCII line buf[start, stop) (on ASCII, `\s`
 * is what skipSpace skips), each found as readJson finds its keys (every quote tried as a key's
 * start). Fills hitFields.
 */
export function readHitFields(buf: Buffer, start: number, stop: number): void {
  let status = false;
  let time = false;
  hitFields.status = null;
  hitFields.time = NONE_FOUND;
  let q = start;
  while (q < stop && buf[q] !== QUOTE) q++;
  while (q < stop && !(status && time)) {
    let r = q + 1;
    while (r < stop && buf[r] !== QUOTE) r++;
    if (r >= stop) break;
    const key = keyAt(HIT_KEYS, buf, q + 1, r);
    q = r;
    if (key === undefined || (key.kind === STATUS ? status : time)) continue;
    let v = skipSpace(buf, r + 1, stop);
    if (v < 0 || v >= stop || buf[v] !== 0x3a) continue;
    v = skipSpace(buf, v + 1, stop);
    if (v < 0 || v >= stop) continue;
    if (key.kind === STATUS) {
      // "?(\d{3})\b
      if (buf[v] === QUOTE) v++;
      if (v + 3 > stop || !isDigit(buf[v]!) || !isDigit(buf[v + 1]!) || !isDigit(buf[v + 2]!) || (v + 3 < stop && isWordByte(buf[v + 3]!))) continue;
      hitFields.status = statusCode(statusAt(buf, v));
      status = true;
      continue;
    }
    // "([^"]{8,40})" or (\d{9,13}(?:\.\d+)?)
    if (buf[v] === QUOTE) {
      let e = v + 1;
      while (e < stop && e - v - 1 <= 40 && buf[e] !== QUOTE) e++;
      if (e >= stop || buf[e] !== QUOTE || e - v - 1 < 8 || e - v - 1 > 40) continue;
      hitFields.time = QUOTED;
      hitFields.ts = v + 1;
      hitFields.te = e;
    } else {
      let e = v;
      while (e < stop && e - v < 13 && isDigit(buf[e]!)) e++;
      if (e - v < 9) continue;
      if (e + 1 < stop && buf[e] === 0x2e && isDigit(buf[e + 1]!)) for (e += 2; e < stop && isDigit(buf[e]!); e++);
      hitFields.time = EPOCH;
      hitFields.ts = v;
      hitFields.te = e;
    }
    time = true;
  }
}
