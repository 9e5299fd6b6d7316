// The byte reader for JSON lines (see fast-formats.ts). The regexes in formats.ts are not
// JSON-aware: each finds its first `"key"\s*:\s*value` anywhere in the line, starting at any
// quote. So does this: every quote is tried as the start of a key, in order.

import { methodOfLetters, NO_NUMBER, parseNumber, scan, skipSpace, UNSURE } from './bytes';
import { fast, setPath } from './fast-formats';

const DURATION = 0;
const METHOD = 1;
const PATH = 2;
const QUOTE = 0x22;

interface Key {
  bytes: Buffer;
  kind: number;
  /** Ms per unit of a bare number (nginx's request_time is seconds). */
  factor: number;
}

const KEYS: Key[][] = [];
/** Longer quoted strings are never keys. */
const KEY_LIMIT = 32;
/** STARTS[len << 8 | b]: some key of that length starts with byte b (one lookup rejects most quoted strings). */
const STARTS = new Uint8Array(KEY_LIMIT << 8);
function addKeys(kind: number, names: string): void {
  for (const n of names.split('|')) {
    (KEYS[n.length] ??= []).push({ bytes: Buffer.from(n, 'latin1'), kind, factor: n === 'request_time' ? 1000 : 1 });
    STARTS[(n.length << 8) | n.charCodeAt(0)] = 1;
  }
}
addKeys(DURATION, 'duration_ms|durationMs|latency_ms|latencyMs|response_time_ms|responseTimeMs|elapsed_ms|elapsedMs|took_ms|request_time|response_time|responseTime|duration|latency|elapsed|took');
addKeys(METHOD, 'method|http_method|httpMethod|request_method|requestMethod|verb');
addKeys(PATH, 'path|endpoint|route|url|uri|request_path|requestPath|request_uri|requestUri|target');

function keyAt(buf: Buffer, s: number, e: number): Key | undefined {
  const n = e - s;
  if (n >= KEY_LIMIT || STARTS[(n << 8) | buf[s]!] === 0) return undefined;
  const list = KEYS[n]!;
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
    const key = keyAt(buf, q + 1, r);
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
      if (n !== NO_NUMBER) dur = n * key.factor;
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
  return true;
}
