// Open log documents and their request lines, kept current as they change. A document is
// scanned in slices that yield to the event loop (a 400k-line log must not freeze the extension
// host, which also serves every other extension); edits rescan only the lines they touched.

import * as vscode from 'vscode';
import { scanLines, summarizeHits, type LineSource, type LogSummary } from '../core/logs';
import type { LogSettings } from '../config';
import { LineHits } from './lineHits';

/** Time one slice may take before yielding, and the lines it scans between clock checks. */
const SLICE_MS = 8;
const LINES_PER_CHECK = 256;
/** An edit touching more lines than this is rescanned in slices rather than at once. */
const SYNC_RESCAN_LINES = 2000;

export interface LogDocState {
  readonly doc: vscode.TextDocument;
  readonly hits: LineHits;
  /** Lines [0, scannedTo) have been scanned; equal to lineCount when complete. */
  scannedTo: number;
  /** Bumped on every change of the hits (caches key on it). */
  generation: number;
  summaryCache?: { generation: number; summary: LogSummary };
}

function lineSource(doc: vscode.TextDocument): LineSource {
  return { lineCount: doc.lineCount, lineText: (i) => doc.lineAt(i).text };
}

export class LogDocuments implements vscode.Disposable {
  private readonly states = new Map<string, LogDocState>();
  private readonly changed = new vscode.EventEmitter<LogDocState>();
  /** Hits of a document changed (scanned further, edited, rescanned). */
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private pending = new Set<LogDocState>();
  private sliceTimer: NodeJS.Immediate | undefined;
  /** Slices run and the longest so far (ms): what the "no freeze" measurement reads. */
  slices = 0;
  longestSliceMs = 0;

  constructor(private settings: LogSettings) {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.track(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.states.delete(d.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
    );
    for (const d of vscode.workspace.textDocuments) this.track(d);
  }

  /** Settings changed: every tracked document is scanned again. */
  reload(settings: LogSettings): void {
    this.settings = settings;
    this.states.clear();
    for (const d of vscode.workspace.textDocuments) this.track(d);
  }

  isLog(doc: vscode.TextDocument): boolean {
    if (doc.languageId === 'log' || /\.log(\.\d+)?$/i.test(doc.fileName)) return true;
    if (doc.uri.scheme === 'output') return true;
    return this.settings.include.some((pattern) => vscode.languages.match({ pattern }, doc) > 0);
  }

  state(doc: vscode.TextDocument): LogDocState | undefined {
    return this.states.get(doc.uri.toString());
  }

  get tracked(): LogDocState[] {
    return [...this.states.values()];
  }

  /** Per-endpoint numbers of the document's scanned lines (cached per generation). */
  summary(s: LogDocState): LogSummary {
    if (s.summaryCache?.generation !== s.generation) s.summaryCache = { generation: s.generation, summary: summarizeHits(s.hits.all()) };
    return s.summaryCache.summary;
  }

  /** Resolves once the document has been scanned to its end (tests, Analyze on an open file). */
  async whenScanned(s: LogDocState): Promise<void> {
    while (s.scannedTo < s.doc.lineCount && this.states.get(s.doc.uri.toString()) === s) await new Promise((r) => setTimeout(r, 10));
  }

  private track(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.states.has(key) || !this.isLog(doc)) return;
    const s: LogDocState = { doc, hits: new LineHits(), scannedTo: 0, generation: 0 };
    this.states.set(key, s);
    this.schedule(s);
  }

  private schedule(s: LogDocState): void {
    this.pending.add(s);
    this.sliceTimer ??= setImmediate(() => this.runSlice());
  }

  private runSlice(): void {
    this.sliceTimer = undefined;
    const t0 = performance.now();
    for (const s of this.pending) {
      if (this.states.get(s.doc.uri.toString()) !== s) {
        this.pending.delete(s);
        continue;
      }
      const src = lineSource(s.doc);
      while (s.scannedTo < src.lineCount && performance.now() - t0 < SLICE_MS) {
        const to = Math.min(src.lineCount, s.scannedTo + LINES_PER_CHECK);
        s.hits.setRange(s.scannedTo, to, scanLines(src, s.scannedTo, to, this.settings));
        s.scannedTo = to;
      }
      s.generation++;
      this.changed.fire(s);
      if (s.scannedTo >= src.lineCount) this.pending.delete(s);
      if (performance.now() - t0 >= SLICE_MS) break;
    }
    this.slices++;
    this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - t0);
    if (this.pending.size) this.sliceTimer = setImmediate(() => this.runSlice());
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    const s = this.states.get(e.document.uri.toString());
    if (!s || e.contentChanges.length === 0) return;
    // All changes of one event refer to the document before it: treat them as one replacement
    // of the lines from the first touched to the last touched.
    let from = Infinity;
    let oldTo = 0;
    let delta = 0;
    for (const c of e.contentChanges) {
      from = Math.min(from, c.range.start.line);
      oldTo = Math.max(oldTo, c.range.end.line + 1);
      delta += countNewlines(c.text) - (c.range.end.line - c.range.start.line);
    }
    if (from >= s.scannedTo) return; // the slices will get there
    const newTo = oldTo + delta;
    s.hits.splice(from, oldTo, newTo - from);
    if (newTo - from > SYNC_RESCAN_LINES) {
      // A big paste or replace-all: rescan from there in slices rather than in this event.
      s.scannedTo = from;
      this.schedule(s);
      return;
    }
    s.scannedTo = Math.max(newTo, s.scannedTo + delta);
    s.hits.setRange(from, newTo, scanLines(lineSource(s.doc), from, newTo, this.settings));
    s.generation++;
    this.changed.fire(s);
    if (s.scannedTo < s.doc.lineCount) this.schedule(s);
  }

  dispose(): void {
    if (this.sliceTimer) clearImmediate(this.sliceTimer);
    for (const d of this.subs) d.dispose();
    this.changed.dispose();
    this.states.clear();
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
