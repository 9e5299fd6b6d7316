// The "Slow Requests" view: one root per source (the active log editor, an analysed file, a
// followed file), its endpoints by slow count with p50/p95/max, and the newest slow lines under
// each; a line opens where it is.

import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EndpointStats, LogHit, LogSummary } from '../core/logs';
import { fmtMs } from '../core/format';

export interface LogSource {
  readonly id: string;
  readonly kind: 'document' | 'file' | 'follow';
  /** File path or document URI, for the tooltip. */
  readonly location: string;
  summary(): LogSummary;
  open(hit: LogHit): Promise<void>;
}

type Node =
  | { type: 'source'; source: LogSource }
  | { type: 'endpoint'; source: LogSource; endpoint: EndpointStats }
  | { type: 'hit'; source: LogSource; hit: LogHit };

const KIND_ICON: Record<LogSource['kind'], string> = { document: 'file', file: 'file-binary', follow: 'eye' };
const KIND_WORD: Record<LogSource['kind'], string> = { document: 'open editor', file: 'analysed', follow: 'following' };

function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export class SlowRequestsTree implements vscode.TreeDataProvider<Node> {
  private readonly sources = new Map<string, LogSource>();
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: NodeJS.Timeout | undefined;

  set(source: LogSource): void {
    this.sources.set(source.id, source);
    this.refresh();
  }

  remove(id: string): void {
    if (this.sources.delete(id)) this.refresh();
  }

  get(id: string): LogSource | undefined {
    return this.sources.get(id);
  }

  all(): LogSource[] {
    return [...this.sources.values()];
  }

  /** Coalesced: a followed file can produce hundreds of hits a second. */
  refresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, 200);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.all().map((source) => ({ type: 'source', source }));
    if (node.type === 'source') return node.source.summary().endpoints.filter((e) => e.slow > 0).map((endpoint) => ({ type: 'endpoint', source: node.source, endpoint }));
    if (node.type === 'endpoint') return node.endpoint.recentSlow.map((hit) => ({ type: 'hit', source: node.source, hit }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'source': {
        const s = node.source.summary();
        const item = new vscode.TreeItem(path.basename(node.source.location), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `source:${node.source.id}`;
        item.description = `${count(s.slow, 'slow line')} · ${count(s.requests, 'request')} · ${KIND_WORD[node.source.kind]}`;
        item.tooltip = `${node.source.location}\n${s.lines.toLocaleString('en-US')} lines read`;
        item.iconPath = new vscode.ThemeIcon(KIND_ICON[node.source.kind]);
        item.contextValue = `pulse.logSource.${node.source.kind}`;
        return item;
      }
      case 'endpoint': {
        const e = node.endpoint;
        const item = new vscode.TreeItem(e.key || '(no path)', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `endpoint:${node.source.id}:${e.key}`;
        item.description = `${e.slow.toLocaleString('en-US')} slow · p50 ${fmtMs(e.p50Ms)} · p95 ${fmtMs(e.p95Ms)} · max ${fmtMs(e.maxMs)}`;
        item.tooltip = `${e.key}\n${count(e.requests, 'request')} with a duration or not, ${e.slow} slow\np50 ${fmtMs(e.p50Ms)} · p95 ${fmtMs(e.p95Ms)} · max ${fmtMs(e.maxMs)}`;
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        return item;
      }
      case 'hit': {
        const h = node.hit;
        const item = new vscode.TreeItem(h.durationMs !== null ? fmtMs(h.durationMs) : 'slow');
        item.id = `hit:${node.source.id}:${h.line}:${'byteStart' in h ? String(h.byteStart) : ''}`;
        const when = h.timestamp !== null ? new Date(h.timestamp).toISOString().replace('T', ' ').slice(0, 19) : '';
        item.description = [node.source.kind === 'follow' ? '' : `line ${(h.line + 1).toLocaleString('en-US')}`, when, h.status !== null ? String(h.status) : ''].filter(Boolean).join(' · ');
        item.tooltip = `${h.method ?? ''} ${h.rawPath ?? h.path ?? ''} took ${fmtMs(h.durationMs)} (threshold ${fmtMs(h.thresholdMs)})`;
        item.iconPath = new vscode.ThemeIcon('watch');
        item.command = { command: 'pulse.openLogHit', title: 'Open', arguments: [node.source.id, h] };
        return item;
      }
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
