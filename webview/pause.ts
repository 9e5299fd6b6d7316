// While the dashboard is paused, ticks keep arriving: they are merged here and applied in one go
// on resume. Pure (no DOM), unit-tested.

import type { TickMessage } from '../src/dashboard/protocol';

export class TickBuffer {
  private pending: TickMessage | null = null;
  private count = 0;

  /** @param maxPoints oldest buffered points are dropped past this (a long pause cannot grow without bound) */
  constructor(private readonly maxPoints: number) {}

  /** Points waiting to be applied. */
  get size(): number {
    return this.pending?.points.length ?? 0;
  }

  /** Ticks merged since the last take (what the Resume button counts). */
  get ticks(): number {
    return this.count;
  }

  /** Merges a tick: points accumulate, everything else is the newest tick's. */
  add(msg: TickMessage): void {
    this.count++;
    const prev = this.pending;
    if (!prev || prev.connection !== msg.connection) {
      this.pending = { ...msg, points: msg.points.slice() };
      if (prev) this.count = 1;
    } else {
      const points = prev.points;
      for (const p of msg.points) points.push(p);
      const merged: TickMessage = { ...msg, points };
      // heatBounds is optional: a tick without it keeps the bounds an earlier buffered tick changed.
      if (msg.heatBounds === undefined && prev.heatBounds !== undefined) merged.heatBounds = prev.heatBounds;
      this.pending = merged;
    }
    const p = this.pending!.points;
    if (p.length > this.maxPoints) p.splice(0, p.length - this.maxPoints);
  }

  /** The merged tick to apply (null when nothing arrived), and an empty buffer. */
  take(): TickMessage | null {
    const out = this.pending;
    this.pending = null;
    this.count = 0;
    return out;
  }

  clear(): void {
    this.pending = null;
    this.count = 0;
  }
}
