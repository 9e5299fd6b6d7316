// Timestamps as log lines start them, to epoch ms (for slow-requests-per-minute).
// Zone-less forms are local time, as the loggers that print them (Python logging) mean them.

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

// 2026-01-18 14:23:45[,.123][Z|+01:00], 2026/01/18 14:23:45 (Go's log), 2026/01/18 - 14:23:45 (gin)
const ISO = /(\d{4})[-/](\d\d)[-/](\d\d)(?:[T ]| - )(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d)?/;
// 18/Jan/2026:14:23:45 +0000 (nginx, Apache, gunicorn)
const CLF = /(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?: ([+-])(\d\d)(\d\d))?/;

// Local time is costly to resolve (a zone lookup per call) and slow lines come minutes at a time:
// the last minute's start is kept. Zone transitions fall on whole minutes.
let lastMinute = NaN;
let lastMinuteMs = 0;

function withZone(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string | undefined): number {
  if (zone === undefined && mo < 12 && d < 32 && h < 24 && mi < 60) {
    const minute = (((y * 12 + mo) * 32 + d) * 24 + h) * 60 + mi;
    if (minute !== lastMinute) {
      lastMinute = minute;
      lastMinuteMs = new Date(y, mo, d, h, mi, 0, 0).getTime();
    }
    return lastMinuteMs + s * 1000 + ms;
  }
  if (zone === undefined) return new Date(y, mo, d, h, mi, s, ms).getTime();
  const utc = Date.UTC(y, mo, d, h, mi, s, ms);
  if (zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Epoch ms of the first recognised timestamp in `text`, or null. */
export function parseTimestamp(text: string): number | null {
  const quick = leadingIso(text);
  return quick !== undefined ? quick : parseTimestampByRegex(text);
}

/** parseTimestamp without its fast path (exported for the test that holds the two together). */
export function parseTimestampByRegex(text: string): number | null {
  let m = ISO.exec(text);
  if (m) {
    const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const t = withZone(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, frac, m[8]);
    return Number.isFinite(t) ? t : null;
  }
  m = CLF.exec(text);
  if (m) {
    const mon = MONTHS[m[2]!.toLowerCase()];
    if (mon === undefined) return null;
    const zone = m[7] ? `${m[7]}${m[8]}${m[9]}` : undefined;
    const t = withZone(+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0, zone);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

// ── the common case without a regex: text that starts with the ISO form ────────────────────────
// Slow lines are parsed one by one (Python logging, gin and JSON lines start with the time): the
// regex, its match array and substrings were most of a slow line's cost. What ISO would read at
// index 0, read by hand; anything else (undefined) takes the regex, which finds it elsewhere.

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The two digits at i as a number, or -1. */
function two(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function leadingIso(text: string): number | null | undefined {
  const y1 = two(text, 0);
  const y2 = two(text, 2);
  const sep = text.charCodeAt(4);
  if (y1 < 0 || y2 < 0 || (sep !== 45 && sep !== 47) || (text.charCodeAt(7) !== 45 && text.charCodeAt(7) !== 47)) return undefined;
  const mo = two(text, 5);
  const d = two(text, 8);
  // "T", " " or " - " between date and time.
  let i = 11;
  const c = text.charCodeAt(10);
  if (c === 32 && text.charCodeAt(11) === 45 && text.charCodeAt(12) === 32 && digit(text, 13) >= 0) i = 13;
  else if (c !== 84 && c !== 32) return undefined;
  const h = two(text, i);
  const mi = two(text, i + 3);
  const s = two(text, i + 6);
  if (mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || text.charCodeAt(i + 2) !== 58 || text.charCodeAt(i + 5) !== 58) return undefined;
  i += 8;
  // [.,](\d{1,9}): milliseconds from the first three digits.
  let ms = 0;
  if ((text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44) && digit(text, i + 1) >= 0) {
    let k = 0;
    for (; k < 9 && digit(text, i + 1 + k) >= 0; k++) if (k < 3) ms = ms * 10 + digit(text, i + 1 + k);
    for (let pad = k; pad < 3; pad++) ms *= 10;
    i += 1 + k;
  }
  // \s?(Z|[+-]\d\d:?\d\d)?
  let z = i;
  const w = text.charCodeAt(z);
  if (w === 32 || (w >= 9 && w <= 13)) z++;
  const zc = text.charCodeAt(z);
  let zone: string | undefined;
  if (zc === 90) zone = 'Z';
  else if ((zc === 43 || zc === 45) && two(text, z + 1) >= 0) {
    const colon = text.charCodeAt(z + 3) === 58 ? 1 : 0;
    if (two(text, z + 3 + colon) >= 0) zone = text.slice(z, z + 5 + colon);
  }
  // Other whitespace \s matches (Unicode spaces) could precede a zone: leave those to the regex.
  if (zone === undefined && w > 127) return undefined;
  const t = withZone(y1 * 100 + y2, mo - 1, d, h, mi, s, ms, zone);
  return Number.isFinite(t) ? t : null;
}
