// Open-model scheduling: arrivals by the clock, never by completions (as wrk2 does), so a
// stalled service cannot slow the generator down and hide the stall.
//
// ArrivalClock turns a rate plan into intended send times: the k-th arrival (k = 0, 1, …) is
// due when the expected arrival count reaches k + ½, so a steady rate R gives arrivals at
// ½/R, 3⁄2/R, … (R·D of them in D seconds). OpenScheduler wakes on timers and hands every
// arrival that is due to the engine with its intended time; a late wake-up sends the missed
// arrivals at once, each still stamped with its own intended time.

import type { Plan } from './profiles';

interface Segment {
  /** Start (ms since the run started) and length of the stage. */
  t0: number;
  d: number;
  /** Rate (req/s) at the start and end of the stage. */
  r0: number;
  r1: number;
  /** Expected arrivals before the stage and by its end. */
  n0: number;
  n1: number;
}

export class ArrivalClock {
  private readonly segments: Segment[] = [];
  private readonly tail: { t0: number; n0: number; rate: number };
  private seg = 0;
  private k = 0;

  constructor(plan: Plan) {
    let t = 0;
    let n = 0;
    let prev = plan.start;
    for (const s of plan.stages) {
      const n1 = n + ((prev + s.target) / 2) * (s.durationMs / 1000);
      if (s.durationMs > 0 && n1 > n) this.segments.push({ t0: t, d: s.durationMs, r0: prev, r1: s.target, n0: n, n1 });
      t += s.durationMs;
      n = n1;
      prev = s.target;
    }
    this.tail = { t0: t, n0: n, rate: prev };
  }

  /** Arrivals handed out so far. */
  get count(): number {
    return this.k;
  }

  /** Intended time (ms since the start) of the next arrival; Infinity if the rate stays 0. */
  peek(): number {
    return this.timeOf(this.k + 0.5);
  }

  /** Takes the next arrival; returns its intended time. */
  next(): number {
    const t = this.peek();
    this.k++;
    return t;
  }

  private timeOf(x: number): number {
    const segs = this.segments;
    while (this.seg < segs.length && x >= segs[this.seg]!.n1) this.seg++;
    const s = segs[this.seg];
    if (s) {
      // Arrivals into the stage as a function of τ (ms): N(τ) = b·τ + a·τ²  with
      // b = r0/1000 and a = (r1 − r0)/(2·d·1000). Solve N(τ) = x − n0 in the form that stays
      // stable for a = 0 and a < 0.
      const xr = x - s.n0;
      const b = s.r0 / 1000;
      const a = (s.r1 - s.r0) / (2 * s.d * 1000);
      const disc = Math.max(0, b * b + 4 * a * xr);
      const tau = (2 * xr) / (b + Math.sqrt(disc));
      return s.t0 + Math.min(s.d, tau);
    }
    const tail = this.tail;
    if (tail.rate <= 0) return Infinity;
    return tail.t0 + ((x - tail.n0) / tail.rate) * 1000;
  }
}

export interface SchedulerOptions {
  /** Milliseconds since the run started. */
  now: () => number;
  /** Arrivals intended at or after this time are not sent. */
  endMs: number;
  /** Receives each due arrival's intended time; return false to stop scheduling. */
  onArrival: (intendedMs: number) => boolean;
  /** Called once when no arrival remains before endMs (or onArrival returned false). */
  onDone: () => void;
  /**
   * Spin on setImmediate for the last 2 ms before an arrival instead of sleeping on a timer:
   * sends within a few µs of the intended time but keeps one core busy. Timers alone (the
   * default) send on average ≈ 0.5 ms late (timers have 1 ms resolution), and that lag is part of
   * the corrected latency, as in wrk2.
   */
  precise?: boolean;
}

export class OpenScheduler {
  private readonly clock: ArrivalClock;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    plan: Plan,
    private readonly o: SchedulerOptions,
  ) {
    this.clock = new ArrivalClock(plan);
  }

  /** Arrivals handed to the engine. */
  get arrivals(): number {
    return this.clock.count;
  }

  start(): void {
    this.tick();
  }

  /** Hands over every arrival due by now (before endMs) at once, e.g. just before stopping. */
  flush(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.tick();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
  }

  private readonly tick = (): void => {
    this.timer = this.immediate = undefined;
    if (this.stopped) return;
    const { o, clock } = this;
    const now = o.now();
    let next = clock.peek();
    while (next <= now) {
      if (next >= o.endMs || !o.onArrival(clock.next())) return this.finish();
      if (this.stopped) return;
      next = clock.peek();
    }
    if (next >= o.endMs) return this.finish();
    const wait = next - o.now();
    if (o.precise) {
      if (wait > 2) this.timer = setTimeout(this.tick, wait - 1.5);
      else this.immediate = setImmediate(this.tick);
    } else {
      // Timers fire no earlier than asked (1 ms resolution): ask for the floor so the wake-up
      // lands as close after the intended time as the timer allows.
      this.timer = setTimeout(this.tick, Math.max(0, Math.floor(wait)));
    }
  };

  private finish(): void {
    this.stop();
    this.o.onDone();
  }
}
