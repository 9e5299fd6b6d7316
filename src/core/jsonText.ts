// Parsing a JSON file Pulse wrote, telling apart why it cannot be read: empty (an interrupted
// write), truncated (the JSON ends early) or corrupt (broken somewhere inside), with the line.
// Shared by run records and baselines so both explain a damaged file the same way.

import { promises as fs } from 'node:fs';

export type JsonTextProblem = 'empty' | 'truncated' | 'corrupt';

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; problem: JsonTextProblem; detail: string };

export function parseJsonText(text: string): JsonTextResult {
  const src = text.replace(/^\uFEFF/, '');
  if (src.trim() === '') return { ok: false, problem: 'empty', detail: 'the file is empty (an interrupted write?)' };
  try {
    return { ok: true, value: JSON.parse(src) };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = Number(/position (\d+)/.exec(msg)?.[1] ?? NaN);
    const truncated = /end of JSON input|Unterminated string/i.test(msg) || pos >= src.trimEnd().length;
    const where = Number.isFinite(pos) ? lineColumn(src, pos) : lineColumn(src, src.length);
    if (truncated) return { ok: false, problem: 'truncated', detail: `the JSON ends early at line ${where.line} (truncated file?)` };
    return { ok: false, problem: 'corrupt', detail: `not valid JSON at line ${where.line}, column ${where.column}: ${msg.replace(/ in JSON at position \d+.*$/, '')}` };
  }
}

/** Reads and parses a file; a file that cannot be read is problem 'missing'. */
export async function readJsonFile(file: string): Promise<JsonTextResult | { ok: false; problem: 'missing'; detail: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, problem: 'missing', detail: err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}` };
  }
  return parseJsonText(text);
}

function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}
