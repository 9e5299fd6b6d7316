// Shapes shared by the log scanner, the aggregator and their users (CLI, editor, follower).

/** Which recogniser matched a line. `custom:N` is the N-th pattern from settings (0-based). */
export type FormatId = 'text' | 'json' | 'combined' | 'uvicorn' | 'inline' | 'gin' | `custom:${number}`;

/** One request line (slow or not) found in a log. */
export interface LogHit {
  /** 0-based line number in the file or document. */
  line: number;
  format: FormatId;
  /** Upper-case HTTP method; null when the line names none (e.g. JSON with only an endpoint). */
  method: string | null;
  /** Path without query string or fragment: what endpoints are grouped by. */
  path: string | null;
  /** Path (or URL) as written in the line, query included. */
  rawPath: string | null;
  status: number | null;
  /** null: the line is a request but carries no duration (uvicorn's default access log). */
  durationMs: number | null;
  /** The line's own threshold when it prints one ("threshold: 3000ms"), else the configured one. */
  thresholdMs: number;
  /** durationMs past thresholdMs, or at it when the line prints its own threshold (see isSlow in recognize.ts). */
  slow: boolean;
  /** Epoch ms parsed from the line's timestamp; null when none is recognised. */
  timestamp: number | null;
  /** UTF-16 columns [start, end) of the duration token within the line (for decoration ranges). */
  durationColumns: { start: number; end: number } | null;
}

/** A hit from a byte scan (file, stream): where its line is in the file. */
export interface FileHit extends LogHit {
  /** Byte offset of the line's first byte. */
  byteStart: number;
  /** Byte offset just past the line's last byte, line ending (\n, \r\n) excluded. */
  byteEnd: number;
}

/** A custom pattern as it may appear in `pulse.logs.patterns`: a regex source, or an object. */
export type PatternSetting =
  | string
  | {
      regex: string;
      /** Only `i` (case-insensitive) and `u` are allowed; `g`/`y` make no sense per line. */
      flags?: string;
      /** Unit when the line has no `unit` group / no unit after the number (default ms). */
      unit?: string;
      /** Shown in messages. */
      name?: string;
    };

export interface RecognizeOptions {
  /** Configured slow threshold (pulse.logs.slowThresholdMs, default 1000). */
  thresholdMs: number;
  /** Compiled custom patterns (see compilePatterns); tried before the built-in formats. */
  patterns?: readonly CompiledPattern[];
}

export interface CompiledPattern {
  index: number;
  name: string;
  regex: RegExp;
  defaultUnit: string;
  /** A literal every match contains (for the byte prefilter); null when none could be derived. */
  literal: string | null;
}

export const DEFAULT_THRESHOLD_MS = 1000;
/** Lines longer than this are scanned only this far (a 10 MB line costs the same as a 64 kB one). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
