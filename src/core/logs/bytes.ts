// Reading numbers, methods and paths straight from a Buffer, for the byte fast path
// (fast-formats.ts). ASCII only: anything else makes the caller give up and use the regex path.

/** Methods by id (0: none); ids 1–7 are the ones the inline form accepts. */
export const METHOD_NAMES = [null, 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'] as const;
const METHOD_BYTES = METHOD_NAMES.map((m) => (m === null ? null : Buffer.from(m, 'latin1')));
export const INLINE_METHOD_COUNT = 7;

/** Where the last methodAt/parseNumber stopped, and whether parseNumber read a fraction. */
export const scan = { end: 0, fraction: false };

/** Id of the upper-case method at buf[i] (one of the first `count`), or 0, scan.end just past it. */
export function methodAt(buf: Buffer, i: number, stop: number, count = 9): number {
  for (let id = 1; id <= count; id++) {
    const m = METHOD_BYTES[id]!;
    if (buf[i] !== m[0] || i + m.length > stop) continue;
    let k = 1;
    while (k < m.length && buf[i + k] === m[k]) k++;
    if (k === m.length) {
      scan.end = i + k;
      return id;
    }
  }
  return 0;
}

/** Method id of buf[s, e) upper-cased (JSON's "method":"get"), or 0 for none of the nine. */
export function methodOfLetters(buf: Buffer, s: number, e: number): number {
  outer: for (let id = 1; id <= 9; id++) {
    const m = METHOD_BYTES[id]!;
    if (m.length !== e - s) continue;
    for (let k = 0; k < m.length; k++) if ((buf[s + k]! & 0xdf) !== m[k]) continue outer;
    return id;
  }
  return 0;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
export const NO_NUMBER = -1;
export const UNSURE = -2;

/**
 * `\d+(?:\.\d+)?` (or `\.\d+` when leadingDot) at buf[i] as Number() reads it, scan.end just past it.
 * NO_NUMBER when there is no digit; UNSURE past 15 digits. Exact: the digits as an integer and the
 * power of ten are both exact doubles, so one correctly rounded division equals Number(text).
 */
export function parseNumber(buf: Buffer, i: number, stop: number, leadingDot = false): number {
  let m = appendDigits(buf, i, stop, 0);
  let j = scan.end;
  const digits = j - i;
  let frac = 0;
  scan.fraction = false;
  if (buf[j] === 46 && j + 1 < stop && buf[j + 1]! >= 48 && buf[j + 1]! <= 57 && (digits > 0 || leadingDot)) {
    scan.fraction = true;
    m = appendDigits(buf, j + 1, stop, m);
    frac = scan.end - j - 1;
    j = scan.end;
  } else if (digits === 0) return NO_NUMBER;
  if (digits + frac > 15) return UNSURE;
  scan.end = j;
  return frac === 0 ? m : m / POW10[frac]!;
}

/** m with the digits at buf[i] appended (m·10^n + digits); scan.end just past them. */
function appendDigits(buf: Buffer, i: number, stop: number, m: number): number {
  while (i < stop) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
    i++;
  }
  scan.end = i;
  return m;
}

/** buf[s, e) is all ASCII (where byte offsets are the decoded line's UTF-16 columns). */
export function isAscii(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `\w`: ASCII letters, digits and "_". */
export function isWordByte(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `\s` on ASCII: tab, LF, VT, FF, CR, space. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Past the ASCII whitespace at buf[i]; -1 when a non-ASCII byte follows (it might be Unicode whitespace). */
export function skipSpace(buf: Buffer, i: number, stop: number): number {
  while (i < stop && isSpace(buf[i]!)) i++;
  return i < stop && buf[i]! >= 0x80 ? -1 : i;
}

/**
 * End of the run of printable ASCII (`\S+` on ASCII) at buf[i], stopping before `except` too.
 * -1 when the run meets anything else before a space or the line's end.
 */
export function runEnd(buf: Buffer, i: number, stop: number, except = -1): number {
  while (i < stop) {
    const c = buf[i]!;
    if (c === 32) return i;
    if (c < 0x21 || c > 0x7e || c === except) return -1;
    i++;
  }
  return i;
}

/** buf[s, s + lit.length) equals lit. */
export function bytesAt(buf: Buffer, s: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (buf[s + k] !== lit[k]) return false;
  return true;
}
