// The editor's entry point: scan a range of lines of a document (or a string) for hits, so
// decorations can be recomputed for just the lines an edit touched.

import { planFor } from './recognize';
import { DEFAULT_MAX_LINE_BYTES, type LogHit, type RecognizeOptions } from './types';

/** What a document offers (a VS Code adapter: { lineCount: doc.lineCount, lineText: (i) => doc.lineAt(i).text }). */
export interface LineSource {
  lineCount: number;
  lineText(line: number): string;
}

export interface LineScanOptions extends RecognizeOptions {
  /** Lines are scanned up to this many UTF-16 characters (default 65,536). */
  maxLineChars?: number;
}

function sourceOf(input: string | readonly string[] | LineSource): LineSource {
  if (typeof input === 'string') input = input.split(/\r?\n/);
  if (Array.isArray(input)) {
    const lines: readonly string[] = input;
    return { lineCount: lines.length, lineText: (i) => lines[i]! };
  }
  return input as LineSource;
}

/**
 * Hits (slow or not) in lines [fromLine, toLine) — toLine exclusive, clamped to the input.
 * `line` in each hit is the absolute line number; `durationColumns` are UTF-16 columns.
 */
export function scanLines(input: string | readonly string[] | LineSource, fromLine: number, toLine: number, options: LineScanOptions): LogHit[] {
  const src = sourceOf(input);
  const plan = planFor(options);
  const literals = plan.literals;
  const maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_BYTES;
  const hits: LogHit[] = [];
  const end = Math.min(toLine, src.lineCount);
  for (let i = Math.max(0, fromLine); i < end; i++) {
    let text = src.lineText(i);
    if (text.length > maxChars) text = text.slice(0, maxChars);
    if (literals !== null) {
      let any = false;
      for (let k = 0; k < literals.length; k++) if (text.includes(literals[k]!)) (plan.admit(k), (any = true));
      if (!any) continue;
    }
    const hit = plan.recognize(text, i, literals !== null);
    if (hit) hits.push(hit);
  }
  return hits;
}
