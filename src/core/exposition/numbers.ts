// Number scanning for the exposition parser: a validating scanner with an exact fast path
// for plain decimals (Clinger: an integer mantissa below 2^53 times or divided by an exact
// power of ten is correctly rounded), falling back to Number() on the already-validated token.

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Result slot of the scanners (one parse at a time; JS is single-threaded). */
export const num = { value: 0, end: 0 };

/**
 * Scans a float at `i` (grammar: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits],
 * or case-insensitive [+-]inf / [+-]infinity / nan when `special`). On success returns true with
 * num.value (times 10^scale) and num.end (index after the token); the caller checks what follows.
 * On failure returns false with num.end at the offending character.
 */
export function scanFloat(s: string, i: number, end: number, scale: number, special: boolean): boolean {
  const start = i;
  let c = i < end ? s.charCodeAt(i) : -1;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  let mant = 0;
  let nd = 0;
  let frac = 0;
  let d = c - 48;
  while (d >= 0 && d <= 9) {
    mant = mant * 10 + d;
    nd++;
    c = ++i < end ? s.charCodeAt(i) : -1;
    d = c - 48;
  }
  if (c === 46) {
    c = ++i < end ? s.charCodeAt(i) : -1;
    d = c - 48;
    while (d >= 0 && d <= 9) {
      mant = mant * 10 + d;
      nd++;
      frac++;
      c = ++i < end ? s.charCodeAt(i) : -1;
      d = c - 48;
    }
  }
  if (nd === 0) {
    if (i > start + (neg || s.charCodeAt(start) === 43 ? 1 : 0)) {
      // a lone '.' (or sign and '.')
      num.end = i;
      return false;
    }
    return special ? scanSpecial(s, i, end, start) : fail(i);
  }
  let exp = 0;
  if (c === 101 || c === 69) {
    c = ++i < end ? s.charCodeAt(i) : -1;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      c = ++i < end ? s.charCodeAt(i) : -1;
    }
    d = c - 48;
    if (!(d >= 0 && d <= 9)) return fail(i);
    while (d >= 0 && d <= 9) {
      if (exp < 100000) exp = exp * 10 + d;
      c = ++i < end ? s.charCodeAt(i) : -1;
      d = c - 48;
    }
    if (eneg) exp = -exp;
  }
  num.end = i;
  const e10 = exp - frac + scale;
  let v: number;
  if (nd <= 15 && e10 >= -22 && e10 <= 22) {
    v = e10 >= 0 ? mant * POW10[e10]! : mant / POW10[-e10]!;
  } else if (mant === 0) {
    v = 0;
  } else {
    v = Number(s.slice(neg || s.charCodeAt(start) === 43 ? start + 1 : start, i));
    if (scale !== 0) v *= POW10[scale]!;
  }
  num.value = neg ? -v : v;
  return true;
}

function fail(i: number): boolean {
  num.end = i;
  return false;
}

function lowerAt(s: string, i: number, end: number): number {
  return i < end ? s.charCodeAt(i) | 0x20 : -1;
}

// inf, infinity (any case, optional sign) and nan (any case, no sign), as Go's ParseFloat.
function scanSpecial(s: string, i: number, end: number, start: number): boolean {
  const c = lowerAt(s, i, end);
  if (c === 105 && lowerAt(s, i + 1, end) === 110 && lowerAt(s, i + 2, end) === 102) {
    i += 3;
    if (
      lowerAt(s, i, end) === 105 &&
      lowerAt(s, i + 1, end) === 110 &&
      lowerAt(s, i + 2, end) === 105 &&
      lowerAt(s, i + 3, end) === 116 &&
      lowerAt(s, i + 4, end) === 121
    ) {
      i += 5;
    }
    num.end = i;
    num.value = s.charCodeAt(start) === 45 ? -Infinity : Infinity;
    return true;
  }
  if (i === start && c === 110 && lowerAt(s, i + 1, end) === 97 && lowerAt(s, i + 2, end) === 110) {
    num.end = i + 3;
    num.value = NaN;
    return true;
  }
  return fail(i);
}

/** Scans a decimal integer ([+-] digits), e.g. a millisecond timestamp. Same contract as scanFloat. */
export function scanInt(s: string, i: number, end: number): boolean {
  const start = i;
  let c = i < end ? s.charCodeAt(i) : -1;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  let v = 0;
  let nd = 0;
  let d = c - 48;
  while (d >= 0 && d <= 9) {
    v = v * 10 + d;
    nd++;
    c = ++i < end ? s.charCodeAt(i) : -1;
    d = c - 48;
  }
  num.end = i;
  if (nd === 0) return false;
  if (nd > 15) v = Number(s.slice(neg || s.charCodeAt(start) === 43 ? start + 1 : start, i));
  num.value = neg ? -v : v;
  return true;
}
