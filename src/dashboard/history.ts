// Points of one connection, bounded by age: the dashboard's live history (1 h by default).

import type { Point } from './protocol';

export class PointHistory {
  private points: Point[] = [];
  private start = 0;
  constructor(private readonly maxAgeMs: number) {}

  push(p: Point): void {
    const last = this.points[this.points.length - 1];
    // A clock that jumped back would fold the charts over; keep time increasing.
    if (last && p.t <= last.t) p = { ...p, t: last.t + 1 };
    this.points.push(p);
    const horizon = p.t - this.maxAgeMs;
    while (this.start < this.points.length && this.points[this.start]!.t < horizon) this.start++;
    // Compact now and then instead of shifting every tick.
    if (this.start > 1024 && this.start > this.points.length / 2) {
      this.points = this.points.slice(this.start);
      this.start = 0;
    }
  }

  get size(): number {
    return this.points.length - this.start;
  }

  all(): Point[] {
    return this.points.slice(this.start);
  }

  since(t: number): Point[] {
    const out: Point[] = [];
    for (let i = this.points.length - 1; i >= this.start && this.points[i]!.t > t; i--) out.push(this.points[i]!);
    return out.reverse();
  }

  range(from: number, to: number): Point[] {
    return this.all().filter((p) => p.t >= from && p.t <= to);
  }

  last(): Point | undefined {
    return this.size ? this.points[this.points.length - 1] : undefined;
  }
}
