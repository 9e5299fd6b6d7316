// Decoding of raw label text (what the parser hands to onSample) into a Labels object.

import type { Labels } from '../types';
import { ExpositionError, describeAt } from './errors';

/** Character classes for ASCII: bit 1 metric-name start, 2 metric-name char, 4 label-name start, 8 label-name char. */
export const CT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  CT[c] = (alpha || c === 58 ? 1 : 0) | (alpha || digit || c === 58 ? 2 : 0) | (alpha ? 4 : 0) | (alpha || digit ? 8 : 0);
}
export const NAME_START = 1;
export const NAME_CHAR = 2;
export const LABEL_START = 4;
export const LABEL_CHAR = 8;

/**
 * Unescapes s[start, end): `\\` → `\`, `\n` → newline, and `\"` → `"` when allowQuote (label
 * values, OpenMetrics HELP; 0.0.4 HELP has only the first two). Any other backslash sequence
 * calls onError with the index of the character after the backslash.
 */
export function unescape(s: string, start: number, end: number, allowQuote: boolean, onError: (at: number) => never): string {
  let out = '';
  let from = start;
  let i = s.indexOf('\\', start);
  while (i >= 0 && i < end) {
    const n = i + 1 < end ? s.charCodeAt(i + 1) : -1;
    let rep: string;
    if (n === 92) rep = '\\';
    else if (n === 110) rep = '\n';
    else if (n === 34 && allowQuote) rep = '"';
    else return onError(i + 1);
    out += s.slice(from, i) + rep;
    from = i + 2;
    i = s.indexOf('\\', from);
  }
  return from === start ? s.slice(start, end) : out + s.slice(from, end);
}

/**
 * Decodes raw label text as reported by the parser (`a="1",b="x\"y"`, escapes kept, blanks
 * around tokens and a trailing comma tolerated) into an object. Throws ExpositionError
 * (line 1, column within the text) on malformed text.
 */
export function decodeLabels(labelText: string): Labels {
  const s = labelText;
  const end = s.length;
  const out: Labels = {};
  const fail = (p: number, expected: string): never => {
    throw new ExpositionError(1, p + 1, expected, describeAt(s, p, end));
  };
  let p = 0;
  for (;;) {
    let c = p < end ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < end ? s.charCodeAt(p) : -1;
    if (c === -1) break;
    if (!(c < 128 && CT[c]! & LABEL_START)) fail(p, 'a label name');
    const ns = p;
    c = ++p < end ? s.charCodeAt(p) : -1;
    while (c >= 0 && c < 128 && CT[c]! & LABEL_CHAR) c = ++p < end ? s.charCodeAt(p) : -1;
    const name = s.slice(ns, p);
    while (c === 32 || c === 9) c = ++p < end ? s.charCodeAt(p) : -1;
    if (c !== 61) fail(p, "'=' after label name");
    c = ++p < end ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < end ? s.charCodeAt(p) : -1;
    if (c !== 34) fail(p, "'\"' to start the label value");
    const vs = ++p;
    let escaped = false;
    for (;;) {
      if (p >= end) fail(end, "'\"' to end the label value");
      c = s.charCodeAt(p);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        p += 2;
      } else p++;
    }
    const value = escaped ? unescape(s, vs, p, true, (at) => fail(at, 'an escape sequence \\\\, \\" or \\n')) : s.slice(vs, p);
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
    c = ++p < end ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < end ? s.charCodeAt(p) : -1;
    if (c === -1) break;
    if (c !== 44) fail(p, "',' or end of labels after label value");
    p++;
  }
  return out;
}
