// "Analyze Log File…" on a big file: the file split at line starts into one range per core, each
// range scanned on a worker thread (worker-main.ts), the parts merged in file order (line
// numbers shifted, per-endpoint sketches and newest-hit rings combined). Any worker failure falls
// back to a scan on this thread, so a result never depends on threads being available.

import { availableParallelism } from 'node:os';
import type { promises as fsp } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { LogAggregator, type AggregatorOptions, type AggregatorState } from './aggregate';
import type { AnalyzeOptions, AnalyzeResult } from './analyze';
import { BINARY_PROBE, type ScanOptions, type ScanStats } from './scanner';

/** Below this a second thread costs more than it saves. */
export const PARALLEL_MIN_BYTES = 64 << 20;
const MAX_WORKERS = 4;
/** How far past a split point to look for a line start before giving that split up. */
const SPLIT_SEARCH_BYTES = 1 << 20;

export interface RangeJob {
  file: string;
  start: number;
  /** Exclusive; Infinity: to the end of the file as it is when read (like a single scan). */
  end: number;
  first: boolean;
  options: ScanOptions & AggregatorOptions & { chunkBytes?: number };
}

export type RangeMessage = { type: 'progress'; bytes: number } | { type: 'done'; stats: ScanStats; state: AggregatorState } | { type: 'error'; message: string };

export function defaultWorkers(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
}

/** Range starts (each at a line start) plus the size; null when the file should be scanned whole. */
export async function splitRanges(handle: fsp.FileHandle, size: number, workers: number): Promise<number[] | null> {
  if (workers < 2) return null;
  // The first bytes decide "binary" for a whole file, as LogScanner's probe does.
  const head = Buffer.alloc(Math.min(BINARY_PROBE, size));
  await handle.read(head, 0, head.length, 0);
  if (head.includes(0)) return null; // a single scan reports or skips it exactly as configured
  const points = [0];
  const probe = Buffer.allocUnsafe(1 << 16);
  for (let i = 1; i < workers; i++) {
    // The line starting at or after the nominal point: look from the byte before it.
    let pos = Math.floor((size * i) / workers) - 1;
    const limit = pos + SPLIT_SEARCH_BYTES;
    while (pos < Math.min(size, limit)) {
      const { bytesRead } = await handle.read(probe, 0, probe.length, pos);
      if (bytesRead === 0) break;
      const k = probe.subarray(0, bytesRead).indexOf(10);
      if (k >= 0) {
        const start = pos + k + 1;
        if (start > points[points.length - 1]! && start < size) points.push(start);
        break;
      }
      pos += bytesRead;
    }
  }
  points.push(size);
  return points.length > 2 ? points : null;
}

export function analyzeInWorkers(
  file: string,
  size: number,
  points: number[],
  options: AnalyzeOptions,
  workerFile: string,
  fallback: () => Promise<AnalyzeResult>,
): Promise<AnalyzeResult> {
  const o = options;
  // Only plain data crosses to the threads: everything but the signal, the callbacks and the clock.
  const { signal: _signal, onProgress: _onProgress, onHit: _onHit, now: _now, parallel: _parallel, ...shared } = options;
  return new Promise<AnalyzeResult>((resolve, reject) => {
    const n = points.length - 1;
    const workers: Worker[] = [];
    const done: ({ stats: ScanStats; state: AggregatorState } | undefined)[] = new Array(n);
    const read = new Array<number>(n).fill(0);
    let finished = 0;
    let settled = false;
    const stopAll = () => {
      for (const w of workers) void w.terminate();
      o.signal?.removeEventListener('abort', onAbort);
    };
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      stopAll();
      fn();
    };
    const onAbort = () => settle(() => reject(o.signal!.reason));
    // A thread that cannot run (no file, no memory…) leaves the work to one scan here, which also
    // reports real problems with the file the way a single scan does.
    const giveUp = () => settle(() => fallback().then(resolve, reject));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();
    for (let i = 0; i < n; i++) {
      const job: RangeJob = { file, start: points[i]!, end: i === n - 1 ? Infinity : points[i + 1]!, first: i === 0, options: shared };
      let w: Worker;
      try {
        w = new Worker(workerFile, { workerData: job });
      } catch {
        return giveUp();
      }
      workers.push(w);
      w.on('message', (m: RangeMessage) => {
        if (m.type === 'progress') {
          read[i] = m.bytes;
          o.onProgress?.(Math.min(size, read.reduce((a, b) => a + b, 0)), size);
        } else if (m.type === 'error') giveUp();
        else {
          done[i] = { stats: m.stats, state: m.state };
          if (++finished === n) settle(() => resolve(mergeParts(file, done as { stats: ScanStats; state: AggregatorState }[], o)));
        }
      });
      w.on('error', giveUp);
      w.on('exit', (code) => {
        if (code !== 0 && !done[i]) giveUp();
      });
    }
  });
}

function mergeParts(file: string, parts: { stats: ScanStats; state: AggregatorState }[], options: AggregatorOptions): AnalyzeResult {
  const agg = new LogAggregator(options);
  const totals = { lines: 0, bytes: 0, longLines: 0 };
  for (const p of parts) {
    agg.merge(p.state, totals.lines);
    totals.lines += p.stats.lines;
    totals.bytes += p.stats.bytes;
    totals.longLines += p.stats.longLines;
  }
  return { file, binary: false, threads: parts.length, simd: parts.every((p) => p.stats.simd), ...agg.summary(totals) };
}
