// Built-in recognisers: each looks at one line (already known to contain one of its literals)
// and returns what it read, or null. No configuration needed.

import { parseDurationText, toMs } from './duration';
import { parsed, statusOf, type ParsedLine } from './parsed';
import type { FormatId } from './types';

export interface Recognizer {
  id: FormatId;
  /**
   * Byte literals: a line can match only if it contains one of them (the prefilter). Shorter
   * than 8 bytes with an uncommon first byte: Buffer#indexOf then runs at memchr speed (8 bytes
   * and more switch Node to a Boyer-Moore search that is 5–10× slower on log text).
   */
  literals: readonly string[];
  match(line: string): ParsedLine | null;
}

const METHODS = 'GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE';
const UNIT = 'ns|us|µs|μs|ms|s';

// ── (a) the application's text form ──────────────────────────────────────────────────────────
// 2026-01-18 14:23:45 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)
const TEXT = new RegExp(
  `(SLOW REQUEST:?\\s+(?:(${METHODS})\\s+)?(\\S+)\\s+took\\s+)(\\d+(?:\\.\\d+)?(?:\\s*(?:${UNIT})\\b)?)(?:\\s*\\(threshold:\\s*(\\d+(?:\\.\\d+)?(?:\\s*(?:${UNIT}))?)\\))?`,
  'y',
);

const text: Recognizer = {
  id: 'text',
  literals: ['SLOW RE'],
  match(line) {
    const at = line.indexOf('SLOW REQUEST');
    if (at < 0) return null;
    TEXT.lastIndex = at;
    const m = TEXT.exec(line);
    if (!m) return null;
    return parsed('text', {
      method: m[2] ?? null,
      rawPath: m[3]!,
      durationMs: parseDurationText(m[4]!),
      durationAt: at + m[1]!.length,
      durationLength: m[4]!.length,
      lineThresholdMs: m[5] === undefined ? null : parseDurationText(m[5]),
      timestampText: line.slice(0, at),
    });
  },
};

// ── (b) JSON lines ───────────────────────────────────────────────────────────────────────────
// Keys are found anywhere in the object (nested under metadata, http, …) without JSON.parse:
// a parse per line would cost more than the whole scan.
const DURATION_KEYS = /"(duration_ms|durationMs|latency_ms|latencyMs|response_time_ms|responseTimeMs|elapsed_ms|elapsedMs|took_ms|request_time|response_time|responseTime|duration|latency|elapsed|took)"\s*:\s*(?:"([^"\\]{1,40})"|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))/g;
const METHOD_KEY = /"(?:method|http_method|httpMethod|request_method|requestMethod|verb)"\s*:\s*"([A-Za-z]{3,7})"/;
const PATH_KEY = /"(?:path|endpoint|route|url|uri|request_path|requestPath|request_uri|requestUri|target)"\s*:\s*"((?:[^"\\]|\\.){1,2048})"/;
const REQUEST_KEY = new RegExp(`"request"\\s*:\\s*"(${METHODS}) ((?:[^"\\\\\\s]|\\\\.){1,2048})`);
/** Key names of the status and timestamp fields (the byte reader, fast-json.ts, looks for the same). */
export const STATUS_KEY_NAMES = 'status|status_code|statusCode|http_status|httpStatus|response_status';
export const TIME_KEY_NAMES = 'timestamp|@timestamp|time|ts|datetime';
const STATUS_KEY = new RegExp(`"(?:${STATUS_KEY_NAMES})"\\s*:\\s*"?(\\d{3})\\b`);
const TIME_KEY = new RegExp(`"(?:${TIME_KEY_NAMES})"\\s*:\\s*(?:"([^"]{8,40})"|(\\d{9,13}(?:\\.\\d+)?))`);

/** Bare numbers: `_ms`/`Ms` keys and pino's responseTime are ms, nginx's request_time is seconds, the rest ms. */
function defaultUnitOf(key: string): string {
  return key === 'request_time' ? 's' : 'ms';
}

function timestampText(line: string): string | null {
  const m = TIME_KEY.exec(line);
  if (!m) return null;
  return m[1] !== undefined ? m[1] : epochText(m[2]!);
}

/** Epoch seconds or ms as a number's text: an ISO string parseTimestamp reads. */
export function epochText(digits: string): string | null {
  const n = Number(digits);
  const ms = n > 1e11 ? n : n * 1000;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const json: Recognizer = {
  id: 'json',
  // Any JSON object line; one literal costs less than one per duration key.
  literals: ['{"'],
  match(line) {
    if (line.indexOf('{') < 0) return null;
    DURATION_KEYS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = DURATION_KEYS.exec(line))) {
      const value = m[2] ?? m[3]!;
      const durationMs = parseDurationText(value, defaultUnitOf(m[1]!));
      if (durationMs === null) continue;
      let method = METHOD_KEY.exec(line)?.[1]?.toUpperCase() ?? null;
      let rawPath = PATH_KEY.exec(line)?.[1]?.replace(/\\\//g, '/') ?? null;
      if (rawPath === null) {
        const r = REQUEST_KEY.exec(line);
        if (r) [method, rawPath] = [method ?? r[1]!, r[2]!];
      }
      // A timing without an endpoint (a job, a query) is not a request.
      if (rawPath === null && method === null) return null;
      return parsed('json', {
        method,
        rawPath,
        status: statusOf(STATUS_KEY.exec(line)?.[1]),
        durationMs,
        durationAt: m.index + m[0].length - value.length - (m[2] !== undefined ? 1 : 0),
        durationLength: value.length,
        timestampOf: timestampText,
      });
    }
    return null;
  },
};

// ── (c, d) combined access logs: nginx/Apache with $request_time, gunicorn with %(L)s / %(D)s ──
// 127.0.0.1 - - [18/Jan/2026:14:23:45 +0000] "GET /x?y HTTP/1.1" 200 512 "-" "curl/8.5" 0.123
// A decimal is seconds ($request_time, %(L)s); an integer is microseconds (Apache %D, %(D)s).
const COMBINED = new RegExp(
  `\\[([^\\]]{10,40})\\] "(${METHODS}) (\\S+)(?: HTTP\\/[\\d.]+)?" (\\d{3}) (?:\\d+|-)((?: "[^"]*"){0,2}\\s+(?:[a-z_]+=)?)?(\\d+(?:\\.\\d+)?)?`,
);

const combined: Recognizer = {
  id: 'combined',
  literals: ['] "'],
  match(line) {
    const m = COMBINED.exec(line);
    if (!m) return null;
    const d = m[6];
    return parsed('combined', {
      method: m[2]!,
      rawPath: m[3]!,
      status: statusOf(m[4]),
      durationMs: d === undefined ? null : d.includes('.') ? Number(d) * 1000 : Number(d) / 1000,
      durationAt: d === undefined ? -1 : m.index + m[0].length - d.length,
      durationLength: d?.length ?? 0,
      timestampText: m[1]!,
    });
  },
};

// ── (d) uvicorn: `INFO:     127.0.0.1:54321 - "GET /x HTTP/1.1" 200 OK` ──────────────────────
// Its access log prints no duration: the request counts, but can never be slow.
const UVICORN = new RegExp(`\\S+ - "(${METHODS}) (\\S+) HTTP\\/[\\d.]+" (\\d{3})`);

const uvicorn: Recognizer = {
  id: 'uvicorn',
  literals: ['HTTP/'],
  match(line) {
    const m = UVICORN.exec(line);
    if (!m) return null;
    return parsed('uvicorn', { method: m[1]!, rawPath: m[2]!, status: statusOf(m[3]), timestampText: line.slice(0, m.index) });
  },
};

// ── (e) Go / Express / morgan: `GET /x 200 12.3ms`, `GET /x 200 12.345 ms - 15`, `GET /x 200 15 - 1.2 ms`
const INLINE_METHODS = 'GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS';
const INLINE = new RegExp(`((?:^|[\\s"'\\]])(${INLINE_METHODS}) (\\/\\S*) (\\d{3}) (?:(?:\\d+|-) - )?)(\\d+(?:\\.\\d+)?) ?(${UNIT})(?![a-zA-Z])`);

const inline: Recognizer = {
  id: 'inline',
  literals: ['GET /', 'POST /', 'PUT /', 'DELETE ', 'PATCH /', 'HEAD /', 'OPTIONS'],
  match(line) {
    const m = INLINE.exec(line);
    if (!m) return null;
    const durationAt = m.index + m[1]!.length;
    return parsed('inline', {
      method: m[2]!,
      rawPath: m[3]!,
      status: statusOf(m[4]),
      durationMs: toMs(m[5]!, m[6]),
      durationAt,
      durationLength: m.index + m[0].length - durationAt,
      timestampText: line.slice(0, m.index),
    });
  },
};

// ── gin: `[GIN] 2026/01/18 - 14:23:45 | 200 |   12.3456ms |  127.0.0.1 | GET      "/x"` ─────────
const GIN = new RegExp(`(\\|\\s*(\\d{3})\\s*\\|\\s*)(\\S+)\\s*\\|[^|]*\\|\\s*(${METHODS})\\s+"([^"]*)"`);

const gin: Recognizer = {
  id: 'gin',
  literals: ['[GIN]'],
  match(line) {
    const m = GIN.exec(line);
    if (!m) return null;
    return parsed('gin', {
      method: m[4]!,
      rawPath: m[5]!,
      status: statusOf(m[2]),
      durationMs: parseDurationText(m[3]!),
      durationAt: m.index + m[1]!.length,
      durationLength: m[3]!.length,
      timestampText: line.slice(0, m.index),
    });
  },
};

/** In the order they are tried: most specific first. */
export const BUILTIN_RECOGNIZERS: readonly Recognizer[] = [text, json, combined, uvicorn, gin, inline];
