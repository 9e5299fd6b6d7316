// Per-line hits of one open document, kept in step with edits: an edit replaces the hits of the
// lines it touched and shifts those below it, so a keystroke rescans one line, not the file.
// No vscode import (unit-tested in Node).

import type { LogHit } from '../core/logs';

export class LineHits {
  /** Sorted by line; rebuilt lazily after edits. */
  private sorted: LogHit[] | null = [];
  private readonly byLine = new Map<number, LogHit>();

  get size(): number {
    return this.byLine.size;
  }

  at(line: number): LogHit | undefined {
    return this.byLine.get(line);
  }

  /** Sets the hits of lines [from, to) (a scan of those lines; earlier hits there are dropped). */
  setRange(from: number, to: number, hits: readonly LogHit[]): void {
    if (this.byLine.size) for (let l = from; l < to; l++) this.byLine.delete(l);
    for (const h of hits) this.byLine.set(h.line, h);
    this.sorted = null;
  }

  /**
   * An edit replaced lines [from, oldTo) with `newCount` lines: hits inside are dropped (the
   * caller rescans the new lines), hits below move by the difference.
   */
  splice(from: number, oldTo: number, newCount: number): void {
    const delta = newCount - (oldTo - from);
    this.sorted = null;
    if (delta === 0) {
      // A typical keystroke: the line count is unchanged, nothing below moves.
      for (let l = from; l < oldTo; l++) this.byLine.delete(l);
      return;
    }
    const moved: LogHit[] = [];
    for (const [line, hit] of this.byLine) {
      if (line < from) continue;
      this.byLine.delete(line);
      if (line >= oldTo) {
        hit.line = line + delta;
        moved.push(hit);
      }
    }
    for (const h of moved) this.byLine.set(h.line, h);
  }

  clear(): void {
    this.byLine.clear();
    this.sorted = [];
  }

  /** All hits in line order. */
  all(): readonly LogHit[] {
    this.sorted ??= [...this.byLine.values()].sort((a, b) => a.line - b.line);
    return this.sorted;
  }
}

/** How far past its threshold a slow line is: 1 (up to 2×), 2 (up to 5×), 3 (beyond). */
export function slowLevel(hit: Pick<LogHit, 'durationMs' | 'thresholdMs'>): 1 | 2 | 3 {
  const ratio = hit.durationMs !== null && hit.thresholdMs > 0 ? hit.durationMs / hit.thresholdMs : 1;
  return ratio > 5 ? 3 : ratio > 2 ? 2 : 1;
}
