// Pulse's load generator over undici.
//
// Closed model: N connections, each sending its next request as soon as the previous one
// finished (plus think time); stages change how many connections are active.
// Open model: arrivals at a rate set by the clock (schedule.ts), never by completions. Each
// arrival is sent at once on a free connection (up to maxConnections) or waits in a queue for
// one; its latency is measured from its INTENDED send time (wait included), so a stall of the
// service shows in the percentiles instead of silently slowing the generator down
// (coordinated omission, as wrk2 corrects it). The latency from the actual send is kept too.
//
// A "lane" is one connection: an undici Client per origin it talks to, and the lane object
// itself is the dispatch handler, so a request allocates nothing of ours beyond what undici
// needs (requests without templating reuse one options object). A lane never has more than one
// request in flight (it sends the next from the previous one's onComplete, or later).
//
// Latency is from the moment the request is written (connection set-up excluded, as in wrk and
// k6) to the end of the response body. Recorded: every response (any status) and every request
// cut by the timeout (at the time it was cut); connect/reset/other failures are only counted.
// errors.http counts 5xx only; all statuses, 4xx included, are in statusCodes.

import { Client, type Dispatcher } from '../http';
import { ERROR_KINDS, RequestTimeoutError, classifyError, emptyErrorCounts } from './errors';
import { arrivalsBy, peakTarget, planDurationMs, planFor, planProblem, targetAt, type Plan } from './profiles';
import { encodeHistogram, newHistogram, percentileMs, recordMs, summarize, type Histogram } from './recorder';
import { LoadConfigError, isLoopbackOrigin, pick, prepareMix, render, type PreparedMix } from './requests';
import { OpenScheduler } from './schedule';
import { SecondAccumulator, StatusCounts } from './timeline';
import type { ErrorKind, LoadConfig, LoadResult, LoadSecond } from './types';

export { LoadConfigError } from './requests';

export const MAX_DURATION_MS = 24 * 3_600_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CONNECTIONS = 1000;
export const MAX_CONNECTIONS = 10_000;
export const MAX_RATE = 1_000_000;
/** A lane whose connection was refused waits this long before trying again (closed model). */
export const CONNECT_RETRY_MS = 50;
/**
 * Open model: connections being opened at once. Beyond it, arrivals wait for a connection
 * instead of each opening its own: a burst of thousands of connects overflows the server's
 * accept backlog, and the dropped SYNs come back a second later, a stall the generator made.
 */
export const MAX_CONNECTING = 32;

/** Running totals passed with each second. */
export interface LoadProgress {
  elapsedS: number;
  /** Finished requests (responses and errors). */
  requests: number;
  sent: number;
  errors: number;
  /** Average achieved rate since the start. */
  rps: number;
  /** p95 since the start (coordinated-omission corrected in the open model), ms. */
  p95: number | null;
  /** Current target of the plan: active connections (closed) or req/s to 0.1 (open). */
  target: number;
  /** Connections with a request in flight (open) or active connections (closed). */
  connections: number;
  /** Open model: arrivals waiting for a free connection. */
  queued: number;
}

export interface RunLoadOptions {
  /** Aborting stops the run within a second and resolves with the partial result. */
  signal?: AbortSignal;
  /** Called after each second of the run (and for the last, partial one). */
  onSecond?: (second: LoadSecond, progress: LoadProgress) => void;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
  /** Without it, every target must be a loopback host. */
  allowNonLoopback?: boolean;
  /**
   * Open model: send within µs of the intended time by spinning for the last 2 ms before each
   * arrival (keeps one core busy). Default off: timers send ≈ 0.5 ms late on average.
   */
  precise?: boolean;
}

/** Throws LoadConfigError if the config cannot run (numbers, bounds). Templates and hosts are checked by prepareMix. */
export function validateLoadConfig(config: LoadConfig): void {
  const fail = (m: string): never => {
    throw new LoadConfigError(m);
  };
  const d = config.durationMs;
  if (!(Number.isFinite(d) && d > 0)) fail(`durationMs must be a number > 0 (got ${d})`);
  if (d > MAX_DURATION_MS) fail(`durationMs must be at most 24 h (got ${d} ms)`);
  if (config.maxRequests !== undefined && !(Number.isInteger(config.maxRequests) && config.maxRequests >= 1)) fail(`maxRequests must be an integer ≥ 1 (got ${config.maxRequests})`);
  if (config.thinkTimeMs !== undefined && !(Number.isFinite(config.thinkTimeMs) && config.thinkTimeMs >= 0)) fail(`thinkTimeMs must be ≥ 0 (got ${config.thinkTimeMs})`);
  if (config.timeoutMs !== undefined && !(Number.isFinite(config.timeoutMs) && config.timeoutMs > 0)) fail(`timeoutMs must be > 0 (got ${config.timeoutMs})`);
  const m = config.model;
  if (m?.kind === 'closed') {
    if (!(Number.isInteger(m.connections) && m.connections >= 1 && m.connections <= MAX_CONNECTIONS)) fail(`connections must be an integer from 1 to ${MAX_CONNECTIONS} (got ${m.connections})`);
  } else if (m?.kind === 'open') {
    if (!(Number.isFinite(m.rate) && m.rate > 0 && m.rate <= MAX_RATE)) fail(`rate must be a number > 0 and ≤ ${MAX_RATE} req/s (got ${m.rate})`);
    if (m.maxConnections !== undefined && !(Number.isInteger(m.maxConnections) && m.maxConnections >= 1 && m.maxConnections <= MAX_CONNECTIONS)) {
      fail(`maxConnections must be an integer from 1 to ${MAX_CONNECTIONS} (got ${m.maxConnections})`);
    }
  } else fail(`model must be {kind: 'closed', connections} or {kind: 'open', rate} (got ${JSON.stringify(m)})`);
  const plan = planFor(config, m.kind === 'closed' ? m.connections : m.rate);
  const problem = planProblem(plan);
  if (problem) fail(problem);
  const peak = peakTarget(plan);
  if (m.kind === 'closed' && Math.round(peak) > MAX_CONNECTIONS) fail(`stages ask for ${peak} connections (at most ${MAX_CONNECTIONS})`);
  if (m.kind === 'open' && peak > MAX_RATE) fail(`stages ask for ${peak} req/s (at most ${MAX_RATE})`);
  if (config.profile === 'stages' && planDurationMs(plan) === 0) fail('stages last 0 ms');
}

/** Runs a load test. Rejects (LoadConfigError) only if the config cannot run; failures of requests are counted in the result. */
export function runLoad(config: LoadConfig, opts: RunLoadOptions = {}): Promise<LoadResult> {
  try {
    return new LoadRun(config, opts).start();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** One connection and the dispatch handler for its current request. */
class Lane implements Dispatcher.DispatchHandler {
  busy = false;
  parked = true;
  timer: NodeJS.Timeout | undefined;
  intended = 0;
  sentAt = 0;
  status = 0;
  abortFn: ((err?: Error) => void) | null = null;
  /** Its connection is up (as far as we know: undici reconnects by itself). */
  connected = false;
  connecting = false;
  readonly clients: (Client | undefined)[] = [];

  constructor(
    private readonly run: LoadRun,
    readonly index: number,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    this.sentAt = this.run.now();
    if (!this.connected) this.run.connectedLane(this);
  }
  onHeaders(status: number): boolean {
    this.status = status;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.run.complete(this);
  }
  onError(err: Error): void {
    this.run.fail(this, err);
  }
  onUpgrade(): void {}
}

/** Open model's waiting arrivals: intended times in a growable ring buffer. */
class ArrivalQueue {
  private buf = new Float64Array(1024);
  private head = 0;
  length = 0;

  push(t: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!;
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = t;
    this.length++;
  }

  shift(): number {
    const t = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return t;
  }

  clear(): void {
    this.head = this.length = 0;
  }
}

type StopReason = LoadResult['stoppedBy'];

class LoadRun {
  readonly now: () => number;
  private readonly open: boolean;
  private readonly mix: PreparedMix;
  private readonly plan: Plan;
  private readonly planIsFlat: boolean;
  private readonly timeoutMs: number;
  private readonly thinkMs: number;
  private readonly maxRequests: number;
  private readonly durationMs: number;
  private readonly maxLanes: number;
  private readonly lanes: Lane[] = [];
  private readonly idle: Lane[] = [];
  private readonly queue = new ArrivalQueue();
  private readonly scheduler: OpenScheduler | undefined;
  private active = 0;
  private connecting = 0;

  private sent = 0;
  private arrivals = 0;
  private completed = 0;
  private inFlight = 0;
  private errorTotal = 0;
  private readonly errors: Record<ErrorKind, number> = emptyErrorCounts();
  private readonly status = new StatusCounts();
  private readonly hist: Histogram = newHistogram();
  private readonly uncorrected: Histogram | undefined;
  private readonly sec = new SecondAccumulator();
  private readonly lastIndex: number;
  private nextBoundary = 1000;
  private readonly timeline: LoadSecond[] = [];

  private stopReason: StopReason | undefined;
  private stopAt = 0;
  /** Times the end-of-duration timer fired early and was set again. */
  private endRearmed = 0;
  private lastFinish = 0;
  private unsent = 0;
  private done = false;
  private resolve!: (r: LoadResult) => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private housekeeping: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: LoadConfig,
    private readonly opts: RunLoadOptions,
  ) {
    validateLoadConfig(config);
    this.mix = prepareMix(config, opts.allowNonLoopback === true);
    const m = config.model;
    this.open = m.kind === 'open';
    this.plan = planFor(config, m.kind === 'closed' ? m.connections : m.rate);
    this.planIsFlat = this.plan.stages.every((s) => s.target === this.plan.start);
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.thinkMs = config.thinkTimeMs ?? 0;
    this.maxRequests = config.maxRequests ?? Infinity;
    this.durationMs = config.durationMs;
    this.lastIndex = Math.max(0, Math.ceil(this.durationMs / 1000) - 1);
    if (this.lastIndex === 0) this.nextBoundary = Infinity;
    this.maxLanes = m.kind === 'closed' ? Math.round(peakTarget(this.plan)) : (m.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    const clock = opts.now ?? (() => performance.now());
    const t0 = clock();
    this.now = () => clock() - t0;
    if (this.open) {
      this.uncorrected = newHistogram();
      this.scheduler = new OpenScheduler(this.plan, {
        now: this.now,
        endMs: this.durationMs,
        precise: opts.precise === true,
        onArrival: (t) => this.arrive(t),
        onDone: () => {
          if (this.arrivals >= this.maxRequests) this.stop('maxRequests');
        },
      });
    }
  }

  start(): Promise<LoadResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      const signal = this.opts.signal;
      if (signal?.aborted) return this.cancel();
      signal?.addEventListener('abort', this.cancel, { once: true });
      this.timers.push(setTimeout(this.endOfDuration, this.durationMs));
      const tick = Math.min(50, Math.max(10, this.timeoutMs / 10));
      this.housekeeping = setInterval(this.housekeep, tick);
      if (this.open) this.scheduler!.start();
      else this.adjustClosed(0);
    });
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────

  private send(lane: Lane, intended: number): void {
    const mix = this.mix;
    const r = mix.requests[pick(mix)]!;
    const options = r.fixed ?? render(r);
    lane.busy = true;
    lane.parked = false;
    lane.intended = intended;
    lane.status = 0;
    lane.abortFn = null;
    if (!lane.connected && !lane.connecting) {
      lane.connecting = true;
      this.connecting++;
    }
    this.sent++;
    this.sec.sent++;
    this.inFlight++;
    const client = lane.clients[r.origin] ?? this.newClient(lane, r.origin);
    client.dispatch(options, lane);
  }

  private newClient(lane: Lane, origin: number): Client {
    const url = this.mix.origins[origin]!;
    const c = new Client(url, {
      // 2 does not pipeline here (a lane has one request in flight at most); it changes when undici
      // writes a request sent from onComplete: at once, as wrk and autocannon do, where with 1 it
      // waits a turn of the event loop (~2-3 % less CPU per request in bench/load.mjs). An idle
      // kept-alive socket is still checked before reuse, and a "Connection: close" response still
      // ends its socket before the next request (test/unit/load-errors.test.ts).
      pipelining: 2,
      connectTimeout: Math.min(this.timeoutMs, 10_000),
      headersTimeout: 0,
      bodyTimeout: 0,
      // Local dev servers often have self-signed certificates; on loopback there is no one to
      // impersonate, so they are accepted there (as wrk does everywhere). Elsewhere: verified.
      ...(url.startsWith('https:') && isLoopbackOrigin(url) ? { connect: { rejectUnauthorized: false } } : {}),
    });
    lane.clients[origin] = c;
    return c;
  }

  /** Closed model: the lane's next request, or park it. */
  private next = (lane: Lane): void => {
    lane.timer = undefined;
    if (this.stopReason || lane.index >= this.active) {
      lane.parked = true;
      this.maybeDrained();
      return;
    }
    if (this.sent >= this.maxRequests) {
      lane.parked = true;
      this.stop('maxRequests');
      return;
    }
    this.send(lane, 0);
  };

  private adjustClosed(t: number): void {
    const want = Math.min(this.maxLanes, Math.max(0, Math.round(targetAt(this.plan, t))));
    this.active = want;
    for (let i = 0; i < want; i++) {
      const lane = (this.lanes[i] ??= new Lane(this, i));
      if (lane.parked && !lane.busy && !lane.timer) this.next(lane);
    }
  }

  /** Open model: one arrival from the scheduler. Returns false when no more are wanted. */
  private arrive(intended: number): boolean {
    if (this.stopReason) return false;
    this.arrivals++;
    let lane = this.idle.pop();
    if (!lane && this.lanes.length < this.maxLanes && this.connecting < MAX_CONNECTING) {
      lane = new Lane(this, this.lanes.length);
      this.lanes.push(lane);
    }
    if (lane) this.send(lane, intended);
    else this.queue.push(intended);
    return this.arrivals < this.maxRequests;
  }

  private after(lane: Lane, retryDelay: number): void {
    if (this.done) return;
    if (this.open) {
      // Arrivals due within the run are still sent after its end (their wait is their latency).
      if (this.queue.length) this.send(lane, this.queue.shift());
      else {
        this.idle.push(lane);
        if (this.stopReason) this.maybeDrained();
      }
    } else if (this.thinkMs > 0 || retryDelay > 0) {
      lane.timer = setTimeout(this.next, Math.max(this.thinkMs, retryDelay), lane);
    } else this.next(lane);
  }

  // ── results of requests ───────────────────────────────────────────────────────────────────

  complete(lane: Lane): void {
    if (this.done) return;
    const t = this.now();
    lane.busy = false;
    lane.abortFn = null;
    this.inFlight--;
    if (t >= this.nextBoundary) this.roll(t);
    this.lastFinish = t;
    const status = lane.status;
    const sec = this.sec;
    sec.status.add(status);
    if (status >= 500) {
      this.errors.http++;
      this.errorTotal++;
      sec.errors++;
    }
    this.completed++;
    sec.completed++;
    if (this.open) {
      const corrected = t - lane.intended;
      recordMs(sec.latency, corrected);
      recordMs(this.uncorrected!, t - lane.sentAt);
    } else {
      const ms = t - lane.sentAt;
      recordMs(sec.latency, ms);
    }
    this.after(lane, 0);
  }

  connectedLane(lane: Lane): void {
    lane.connected = true;
    if (lane.connecting) {
      lane.connecting = false;
      this.connecting--;
    }
  }

  fail(lane: Lane, err: Error): void {
    const wasSent = lane.abortFn !== null;
    lane.busy = false;
    lane.abortFn = null;
    lane.connected = false;
    if (lane.connecting) {
      lane.connecting = false;
      this.connecting--;
    }
    this.inFlight--;
    if (this.done) return;
    const t = this.now();
    if (t >= this.nextBoundary) this.roll(t);
    this.lastFinish = t;
    const kind = classifyError(err);
    this.errors[kind]++;
    this.errorTotal++;
    this.completed++;
    this.sec.errors++;
    this.sec.completed++;
    if (kind === 'timeout' && wasSent) {
      const ms = t - (this.open ? lane.intended : lane.sentAt);
      recordMs(this.sec.latency, ms);
      if (this.uncorrected) recordMs(this.uncorrected, t - lane.sentAt);
    }
    // Errors can arrive synchronously from dispatch(): continue on a fresh stack.
    setImmediate(() => this.after(lane, kind === 'connect' ? CONNECT_RETRY_MS : 0));
  }

  // ── time ─────────────────────────────────────────────────────────────────────────────────

  private readonly housekeep = (): void => {
    if (this.done) return;
    const t = this.now();
    if (t >= this.nextBoundary) this.roll(t);
    if (!this.open && !this.stopReason && !this.planIsFlat) this.adjustClosed(t);
    // Request timeout, from the actual send.
    const limit = this.timeoutMs;
    for (const lane of this.lanes) {
      if (lane.busy && lane.abortFn && t - lane.sentAt > limit) lane.abortFn(new RequestTimeoutError(limit));
    }
  };

  /** Closes every full second up to `t` (the last second stays open until the end). */
  private roll(t: number): void {
    while (t >= this.nextBoundary) {
      this.closeSecond(t);
      this.nextBoundary = this.sec.index >= this.lastIndex ? Infinity : this.nextBoundary + 1000;
    }
  }

  private closeSecond(t: number): void {
    const i = this.sec.index;
    let targetRate: number | null = null;
    if (this.open) {
      const a = i * 1000;
      const b = Math.min((i + 1) * 1000, this.durationMs);
      targetRate = b > a ? Math.round(((arrivalsBy(this.plan, b) - arrivalsBy(this.plan, a)) / ((b - a) / 1000)) * 1000) / 1000 : null;
    }
    // Each response is recorded once, in its second; the run's totals add the seconds up.
    this.hist.add(this.sec.latency);
    this.status.addAll(this.sec.status);
    const s = this.sec.close(targetRate);
    this.timeline.push(s);
    if (this.opts.onSecond) {
      const elapsedS = t / 1000;
      const progress: LoadProgress = {
        elapsedS,
        requests: this.completed,
        sent: this.sent,
        errors: this.errorTotal,
        rps: elapsedS > 0 ? this.completed / elapsedS : 0,
        p95: percentileMs(this.hist, 95),
        target: this.open ? Math.round(targetAt(this.plan, Math.min(t, this.durationMs)) * 10) / 10 : this.active,
        connections: this.open ? this.lanes.length - this.idle.length : this.active,
        queued: this.queue.length,
      };
      try {
        this.opts.onSecond(s, progress);
      } catch {
        // A listener's bug must not stop the run.
      }
    }
  }

  // ── ending ───────────────────────────────────────────────────────────────────────────────

  private readonly endOfDuration = (): void => {
    // Timers run on the event loop's millisecond clock, which can be behind this one: the run
    // lasts its whole duration by this clock (a few more waits at most, should it stand still).
    const left = this.durationMs - this.now();
    if (left > 0 && this.endRearmed++ < 10) {
      this.timers.push(setTimeout(this.endOfDuration, Math.ceil(left)));
      return;
    }
    // Arrivals due before the end whose timer has not fired yet still go out.
    this.scheduler?.flush();
    this.stop('duration');
  };

  /**
   * No new requests from now on. In-flight ones finish (each within its timeout), and in the
   * open model arrivals still waiting for a connection are sent; whatever is left after the
   * timeout (plus a second) is cut, and waiting arrivals are reported as unsent.
   */
  private stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.stopAt = this.now();
    this.scheduler?.stop();
    for (const lane of this.lanes) {
      if (lane.timer) {
        clearTimeout(lane.timer);
        lane.timer = undefined;
        lane.parked = true;
      }
    }
    // Whatever is still in flight after its own timeout (plus slack) is cut.
    this.timers.push(setTimeout(() => this.finish(), this.timeoutMs + 1000));
    this.maybeDrained();
  }

  private maybeDrained(): void {
    if (this.stopReason && this.inFlight === 0 && this.queue.length === 0) this.finish();
  }

  /** Stops at once: in-flight requests are aborted and not counted. */
  private readonly cancel = (): void => {
    if (this.done) return;
    // Cancelling the drain of a run that already ended keeps the reason it ended.
    if (!this.stopReason) this.stop('cancelled');
    this.finish();
  };

  private finish(): void {
    if (this.done) return;
    this.done = true;
    const end = Math.max(this.stopAt, this.lastFinish);
    this.scheduler?.stop();
    this.unsent += this.queue.length;
    this.queue.clear();
    for (const t of this.timers) clearTimeout(t);
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.opts.signal?.removeEventListener('abort', this.cancel);
    for (const lane of this.lanes) if (lane.timer) clearTimeout(lane.timer);
    if (end >= this.nextBoundary) this.roll(end);
    this.closeSecond(end);
    const result = this.result(end);
    // Close every connection; requests still in flight are aborted (not counted).
    const closing = this.lanes.flatMap((l) => l.clients.filter((c): c is Client => c !== undefined).map((c) => c.destroy().catch(() => undefined)));
    const cap = new Promise((r) => setTimeout(r, 500).unref());
    void Promise.race([Promise.all(closing), cap]).then(() => this.resolve(result));
  }

  private result(endMs: number): LoadResult {
    const durationS = endMs / 1000;
    const errors = emptyErrorCounts();
    for (const k of ERROR_KINDS) errors[k] = this.errors[k];
    const r: LoadResult = {
      requests: this.completed,
      durationS: Math.round(durationS * 1e6) / 1e6,
      rps: durationS > 0 ? Math.round((this.completed / durationS) * 1000) / 1000 : 0,
      latencyMs: summarize(this.hist),
      errors,
      statusCodes: this.status.toRecord(),
      timeline: this.timeline,
      histogram: encodeHistogram(this.hist),
      stoppedBy: this.stopReason ?? 'duration',
    };
    if (this.uncorrected) r.latencyMsUncorrected = summarize(this.uncorrected);
    if (this.open) r.unsent = this.unsent;
    return r;
  }
}
