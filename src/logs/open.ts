// Jumping to a hit in a file on disk. Files VS Code opens comfortably are opened at the line;
// bigger ones (gigabyte logs) get a read-only excerpt around the hit's byte offset.

import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import type { FileHit } from '../core/logs';

/** VS Code's own limit for opening a file with full editor features. */
const OPEN_LIMIT_BYTES = 50 * 1024 * 1024;
const EXCERPT_BYTES = 16 * 1024;
export const EXCERPT_SCHEME = 'pulse-log-excerpt';

async function lineOfByte(file: string, byte: number): Promise<number> {
  const h = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(byte, OPEN_LIMIT_BYTES));
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    let n = 0;
    for (let i = buf.indexOf(10, 0); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) n++;
    return n;
  } finally {
    await h.close();
  }
}

/**
 * Opens `file` at the hit. `absoluteLine`: the hit's line counts from the file's start (Analyze);
 * otherwise (a followed file) the line is found from the byte offset.
 */
export async function openFileHit(file: string, hit: FileHit, absoluteLine: boolean): Promise<void> {
  const stat = await fsp.stat(file).catch(() => undefined);
  if (!stat) throw new Error(`${file} no longer exists`);
  if (stat.size <= OPEN_LIMIT_BYTES && hit.byteStart <= stat.size) {
    const line = absoluteLine ? hit.line : await lineOfByte(file, hit.byteStart);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const range = doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
    await vscode.window.showTextDocument(doc, { selection: range, preview: true });
    return;
  }
  const uri = vscode.Uri.from({ scheme: EXCERPT_SCHEME, path: file, query: new URLSearchParams({ file, byte: String(hit.byteStart), line: absoluteLine ? String(hit.line) : '' }).toString() });
  const doc = await vscode.workspace.openTextDocument(uri);
  const at = doc.getText().split('\n').findIndex((l) => l.startsWith('▶'));
  await vscode.window.showTextDocument(doc, { preview: true, selection: at >= 0 ? doc.lineAt(at).range : undefined });
}

/** Lines around a byte offset of a big file; the hit's line is marked with ▶. */
export class ExcerptProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const file = q.get('file') ?? '';
    const byte = Number(q.get('byte'));
    const h = await fsp.open(file, 'r');
    try {
      const start = Math.max(0, byte - EXCERPT_BYTES);
      const buf = Buffer.allocUnsafe(EXCERPT_BYTES * 2);
      const { bytesRead } = await h.read(buf, 0, buf.length, start);
      const data = buf.subarray(0, bytesRead);
      const out: string[] = [];
      // Whole lines only: skip the partial first line (unless at the file start) and the partial last one.
      let from = start === 0 ? 0 : data.indexOf(10) + 1;
      while (from > 0 || start === 0) {
        const nl = data.indexOf(10, from);
        if (nl < 0) break;
        const text = data.subarray(from, nl).toString('utf8').replace(/\r$/, '');
        out.push(`${start + from === byte ? '▶ ' : '  '}${text}`);
        from = nl + 1;
      }
      if (bytesRead < buf.length && from > 0 && from < data.length) out.push(`${start + from === byte ? '▶ ' : '  '}${data.subarray(from).toString('utf8')}`);
      const line = q.get('line');
      return [`# ${file} — excerpt around byte ${byte.toLocaleString('en-US')}${line ? ` (line ${(Number(line) + 1).toLocaleString('en-US')})` : ''}; the file is too big to open whole`, ...out].join('\n');
    } finally {
      await h.close();
    }
  }
}
