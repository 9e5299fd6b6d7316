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

function withZone(local: [number, number, number, number, number, number, number], zone: string | undefined): number {
  const [y, mo, d, h, mi, s, ms] = local;
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
  let m = ISO.exec(text);
  if (m) {
    const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const t = withZone([+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, frac], m[8]);
    return Number.isFinite(t) ? t : null;
  }
  m = CLF.exec(text);
  if (m) {
    const mon = MONTHS[m[2]!.toLowerCase()];
    if (mon === undefined) return null;
    const zone = m[7] ? `${m[7]}${m[8]}${m[9]}` : undefined;
    const t = withZone([+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0], zone);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}
