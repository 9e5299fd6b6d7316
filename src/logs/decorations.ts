// Slow-request lines in visible log editors: a background and gutter bar graded by how far past
// its threshold the line is, overview-ruler marks, and the duration itself in bold.

import * as vscode from 'vscode';
import type { LogHit } from '../core/logs';
import type { LogDocState, LogDocuments } from './documents';
import { slowLevel } from './lineHits';

const LEVELS = [1, 2, 3] as const;

export class LogDecorations implements vscode.Disposable {
  private readonly lineTypes: vscode.TextEditorDecorationType[];
  private readonly durationType: vscode.TextEditorDecorationType;
  private readonly subs: vscode.Disposable[] = [];
  private readonly dirty = new Set<vscode.TextEditor>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docs: LogDocuments,
    extensionUri: vscode.Uri,
    private enabled: boolean,
  ) {
    this.lineTypes = LEVELS.map((n) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(`pulse.slowRequest${n}.background`),
        overviewRulerColor: new vscode.ThemeColor(`pulse.slowRequest${n}.ruler`),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter', `slow-${n}.svg`),
        gutterIconSize: 'contain',
      }),
    );
    this.durationType = vscode.window.createTextEditorDecorationType({ fontWeight: 'bold', color: new vscode.ThemeColor('pulse.slowRequest.duration') });
    this.subs.push(
      docs.onDidChange((s) => this.markDocument(s)),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.mark(e))),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.mark(e));
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    vscode.window.visibleTextEditors.forEach((e) => this.mark(e));
  }

  /** The ranges applied to an editor, by decoration (tests compare them with the document). */
  rangesFor(doc: vscode.TextDocument): { level: number; line: number; duration: vscode.Range | null }[] {
    const s = this.docs.state(doc);
    if (!s || !this.enabled) return [];
    return s.hits.all().filter((h) => h.slow).map((h) => ({ level: slowLevel(h), line: h.line, duration: durationRange(h) }));
  }

  private markDocument(s: LogDocState): void {
    for (const e of vscode.window.visibleTextEditors) if (e.document === s.doc) this.mark(e);
  }

  // Coalesces bursts (a slice per event-loop turn, typing) into one update per editor.
  private mark(e: vscode.TextEditor): void {
    this.dirty.add(e);
    this.timer ??= setTimeout(() => this.flush(), 30);
  }

  private flush(): void {
    this.timer = undefined;
    for (const e of this.dirty) this.apply(e);
    this.dirty.clear();
  }

  private apply(editor: vscode.TextEditor): void {
    const s = this.docs.state(editor.document);
    const byLevel: vscode.Range[][] = LEVELS.map(() => []);
    const durations: vscode.Range[] = [];
    if (s && this.enabled) {
      for (const h of s.hits.all()) {
        if (!h.slow) continue;
        byLevel[slowLevel(h) - 1]!.push(new vscode.Range(h.line, 0, h.line, 0));
        const d = durationRange(h);
        if (d) durations.push(d);
      }
    }
    this.lineTypes.forEach((t, i) => editor.setDecorations(t, byLevel[i]!));
    editor.setDecorations(this.durationType, durations);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of [...this.subs, ...this.lineTypes, this.durationType]) d.dispose();
  }
}

function durationRange(h: LogHit): vscode.Range | null {
  return h.durationColumns ? new vscode.Range(h.line, h.durationColumns.start, h.line, h.durationColumns.end) : null;
}
