// Slow-request logs in the editor: open log documents (decorations, hover, optional Problems),
// "Analyze Log File…" for files of any size, "Follow Log File…" for growing ones, and the
// "Slow Requests" view over all of them. Lives as long as the extension.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { analyzeFile, LogFollower, type FileHit, type LogHit, type LogSummary } from '../core/logs';
import type { LogSettings } from '../config';
import { fmtMs } from '../core/format';
import { LogDocuments, type LogDocState } from './documents';
import { LogDecorations } from './decorations';
import { SlowLineHover } from './hover';
import { SlowRequestsTree, type LogSource } from './tree';
import type { SlowRequestView } from '../dashboard/protocol';
import { ExcerptProvider, EXCERPT_SCHEME, openFileHit } from './open';
import { LogDiagnostics } from './diagnostics';

export const SLOW_VIEW = 'pulse.slowRequests';
const MAX_ANALYSED = 5;

export type { SlowRequestView as RecentSlow } from '../dashboard/protocol';

export class LogsFeature implements vscode.Disposable {
  readonly docs: LogDocuments;
  readonly decorations: LogDecorations;
  readonly tree = new SlowRequestsTree();
  private readonly diagnostics: LogDiagnostics;
  private readonly followers = new Map<string, { follower: LogFollower; sub: { dispose(): void } }>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly slowEmitter = new vscode.EventEmitter<void>();
  /** Something followed produced slow lines, at most 4× a second (status bar and dashboard listen). */
  readonly onDidChangeFollowed = this.slowEmitter.event;
  private slowTimer: NodeJS.Timeout | undefined;
  private readonly report: (msg: string) => void;
  /** dist/logs-worker.js: big files are analysed in parts on worker threads. */
  private readonly logsWorker: string;

  constructor(extensionUri: vscode.Uri, private settings: LogSettings, report: (msg: string) => void) {
    this.report = report;
    this.logsWorker = vscode.Uri.joinPath(extensionUri, 'dist', 'logs-worker.js').fsPath;
    this.docs = new LogDocuments(settings);
    this.decorations = new LogDecorations(this.docs, extensionUri, settings.decorations);
    this.diagnostics = new LogDiagnostics(this.docs, settings.problems);
    // Broad on purpose: which documents are logs is decided per document (settings can change).
    const selector: vscode.DocumentSelector = ['file', 'untitled', 'output', EXCERPT_SCHEME].map((scheme) => ({ scheme }));
    this.subs.push(
      this.docs,
      this.decorations,
      this.diagnostics,
      this.tree,
      vscode.languages.registerHoverProvider(selector, new SlowLineHover(this.docs)),
      vscode.workspace.registerTextDocumentContentProvider(EXCERPT_SCHEME, new ExcerptProvider()),
      vscode.window.createTreeView(SLOW_VIEW, { treeDataProvider: this.tree, showCollapseAll: true }),
      vscode.window.onDidChangeActiveTextEditor(() => this.showActiveDocument()),
      this.docs.onDidChange((s) => {
        if (vscode.window.activeTextEditor?.document === s.doc) this.tree.refresh();
      }),
      this.slowEmitter,
    );
    this.showActiveDocument();
  }

  reload(settings: LogSettings): void {
    this.settings = settings;
    this.docs.reload(settings);
    this.decorations.setEnabled(settings.decorations);
    this.diagnostics.setEnabled(settings.problems);
  }

  /** The active editor's log document is the view's live source (the previous one goes). */
  private showActiveDocument(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = doc && this.docs.state(doc);
    if (!state) return;
    for (const s of this.tree.all()) if (s.kind === 'document' && s.id !== state.doc.uri.toString()) this.tree.remove(s.id);
    this.tree.set(this.documentSource(state));
  }

  private documentSource(state: LogDocState): LogSource {
    return {
      id: state.doc.uri.toString(),
      kind: 'document',
      location: state.doc.uri.scheme === 'file' ? state.doc.uri.fsPath : state.doc.uri.toString(),
      summary: () => this.docs.summary(state),
      open: async (hit) => {
        await vscode.window.showTextDocument(state.doc, { selection: state.doc.lineAt(Math.min(hit.line, state.doc.lineCount - 1)).range });
      },
    };
  }

  async openHit(sourceId: unknown, hit: unknown): Promise<void> {
    const source = typeof sourceId === 'string' ? this.tree.get(sourceId) : undefined;
    if (!source || !hit || typeof hit !== 'object') throw new Error('that slow request is no longer listed');
    await source.open(hit as LogHit);
  }

  /** "Pulse: Analyze Log File…": streams a file of any size with progress and cancel. */
  async analyze(arg?: unknown): Promise<LogSummary | undefined> {
    const file = await pickFile(arg, 'Analyze');
    if (!file) return undefined;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pulse: analysing ${path.basename(file)}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await analyzeFile(file, {
            ...this.settings,
            parallel: { workerFile: this.logsWorker },
            signal: abort.signal,
            onProgress: (read, total) => {
              const pct = total > 0 ? Math.min(100, (read / total) * 100) : 0;
              if (pct - last < 1 && read < total) return;
              progress.report({ increment: pct - last, message: `${(read / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB` });
              last = pct;
            },
          });
        } catch (e) {
          if (abort.signal.aborted) return undefined;
          throw e;
        }
      },
    );
    if (!result) {
      void vscode.window.showInformationMessage(`Pulse: analysis of ${path.basename(file)} cancelled.`);
      return undefined;
    }
    const id = `file:${file}`;
    this.tree.set({ id, kind: 'file', location: file, summary: () => result, open: (hit) => openFileHit(file, hit as FileHit, true) });
    const analysed = this.tree.all().filter((s) => s.kind === 'file');
    if (analysed.length > MAX_ANALYSED) this.tree.remove(analysed[0]!.id);
    await vscode.commands.executeCommand(`${SLOW_VIEW}.focus`);
    const worst = result.endpoints.find((e) => e.slow > 0);
    void vscode.window.showInformationMessage(
      `Pulse: ${path.basename(file)} — ${result.slow.toLocaleString('en-US')} slow of ${result.requests.toLocaleString('en-US')} requests in ${result.lines.toLocaleString('en-US')} lines` +
        (worst ? `; most: ${worst.key} (${worst.slow}, p95 ${fmtMs(worst.p95Ms)})` : '') +
        (result.binary ? ' (binary: skipped)' : ''),
    );
    return result;
  }

  /** "Pulse: Follow Log File…": tails it (rotation, truncation, deletion handled) into the view. */
  async follow(arg?: unknown): Promise<boolean> {
    const file = await pickFile(arg, 'Follow');
    if (!file) return false;
    if (this.followers.has(file)) return true;
    const follower = new LogFollower(file, { ...this.settings, from: 'end' });
    const sub = follower.onEvent((e) => {
      if (e.type === 'hit') {
        if (e.hit.slow) {
          this.tree.refresh();
          this.slowChangedSoon();
        }
      } else this.report(`${path.basename(file)}: ${e.message}`);
    });
    await follower.start().catch((e: unknown) => {
      sub.dispose();
      follower.dispose();
      throw e;
    });
    this.followers.set(file, { follower, sub });
    this.tree.set({ id: `follow:${file}`, kind: 'follow', location: file, summary: () => follower.aggregator.summary(), open: (hit) => openFileHit(file, hit as FileHit, false) });
    this.slowEmitter.fire();
    return true;
  }

  // A followed log can produce hundreds of slow lines a second: one event per 250 ms is enough.
  private slowChangedSoon(): void {
    this.slowTimer ??= setTimeout(() => {
      this.slowTimer = undefined;
      this.slowEmitter.fire();
    }, 250);
  }

  stopFollowing(arg?: unknown): boolean {
    const file = typeof arg === 'string' ? arg : isSourceNode(arg) ? arg.source.location : [...this.followers.keys()].at(-1);
    const f = file && this.followers.get(file);
    if (!file || !f) return false;
    f.sub.dispose();
    f.follower.dispose();
    this.followers.delete(file);
    this.tree.remove(`follow:${file}`);
    this.slowEmitter.fire();
    return true;
  }

  get following(): string[] {
    return [...this.followers.keys()];
  }

  /**
   * Slow lines in the last 60 s over what is followed: this minute's count plus the previous
   * minute's, weighted by how much of it the window still covers (the usual sliding estimate).
   */
  slowPerMinute(now = Date.now()): number | null {
    if (this.followers.size === 0) return null;
    const left = 1 - (now % 60_000) / 60_000;
    let n = 0;
    for (const { follower } of this.followers.values()) {
      const a = follower.aggregator;
      const thisMinute = a.slowInLast(1, now);
      n += thisMinute + (a.slowInLast(2, now) - thisMinute) * left;
    }
    return Math.round(n);
  }

  /** Newest slow lines of the followed files (the dashboard's list). */
  recentSlow(limit = 20): SlowRequestView[] {
    const out: SlowRequestView[] = [];
    for (const [file, { follower }] of this.followers) {
      for (const h of follower.aggregator.recentSlow()) {
        out.push({ source: path.basename(file), method: h.method, path: h.rawPath ?? h.path, durationMs: h.durationMs, thresholdMs: h.thresholdMs, status: h.status, at: h.timestamp ?? Date.now() });
      }
    }
    return out.sort((a, b) => b.at - a.at).slice(0, limit);
  }

  dispose(): void {
    if (this.slowTimer) clearTimeout(this.slowTimer);
    for (const f of this.followers.keys()) this.stopFollowing(f);
    for (const d of this.subs) d.dispose();
  }
}

function isSourceNode(x: unknown): x is { source: LogSource } {
  return !!x && typeof x === 'object' && 'source' in x;
}

async function pickFile(arg: unknown, verb: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const active = vscode.window.activeTextEditor?.document;
  const picked = await vscode.window.showOpenDialog({
    title: `Pulse: ${verb} Log File`,
    openLabel: verb,
    canSelectMany: false,
    ...(active?.uri.scheme === 'file' ? { defaultUri: vscode.Uri.file(path.dirname(active.uri.fsPath)) } : {}),
    filters: { 'Log files': ['log', 'txt', 'jsonl', 'json', 'out'], 'All files': ['*'] },
  });
  return picked?.[0]?.fsPath;
}
