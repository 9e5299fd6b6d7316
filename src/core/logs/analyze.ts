// A log file on disk of any size, streamed in large chunks (never whole in memory), cancellable.

import type { promises as fsp } from 'node:fs';
import { LogAggregator, type AggregatorOptions, type LogSummary } from './aggregate';
import { LogScanner, type ScanOptions } from './scanner';
import type { FileHit } from './types';
import { analyzeInWorkers, defaultWorkers, splitRanges, PARALLEL_MIN_BYTES } from './analyze-parallel';
import { openLogFile, scanRange } from './read';

export interface AnalyzeOptions extends ScanOptions, AggregatorOptions {
  /** Aborting stops the scan; analyzeFile then rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal;
  /** After each chunk. totalBytes is the size when the scan started (a growing file can pass it). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Every hit, slow or not, as it is found (the aggregator keeps only bounded lists). */
  onHit?: (hit: FileHit) => void;
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
  /**
   * Scan a big file in parts on worker threads (workerFile: the built logs-worker.js), when there
   * is no onHit and no now(); the result is the same as one scan's (see LogAggregator.merge).
   */
  parallel?: { workerFile: string; workers?: number; minBytes?: number };
}

export interface AnalyzeResult extends LogSummary {
  file: string;
  /** binary: 'skip' was asked and the file looked binary: nothing was scanned. */
  binary: boolean;
  /** Threads the file was scanned on (more than 1: in parts, see `parallel`). */
  threads: number;
  /** The scan used the WebAssembly first pass (it falls back to Buffer#indexOf where it cannot). */
  simd: boolean;
}

export async function analyzeFile(file: string, options: AnalyzeOptions): Promise<AnalyzeResult> {
  options.signal?.throwIfAborted();
  const { handle, size } = await openLogFile(file);
  const par = options.parallel;
  // Worker threads only where they pay, and only when every hit need not reach onHit in order.
  const ranges = par && !options.onHit && !options.now && size >= (par.minBytes ?? PARALLEL_MIN_BYTES) ? await splitRanges(handle, size, par.workers ?? defaultWorkers()).catch(() => null) : null;
  if (ranges) {
    await handle.close();
    return analyzeInWorkers(file, size, ranges, options, par!.workerFile, () => analyzeOpen(file, options));
  }
  return analyzeHandle(file, handle, size, options);
}

async function analyzeOpen(file: string, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const { handle, size } = await openLogFile(file);
  return analyzeHandle(file, handle, size, options);
}

async function analyzeHandle(file: string, handle: fsp.FileHandle, size: number, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const agg = new LogAggregator(options);
  const onHit = options.onHit;
  // Without onHit nobody needs a hit per ordinary request line: the aggregator counts them from bytes.
  const scanner = new LogScanner(
    options,
    (h) => {
      agg.add(h);
      onHit?.(h);
    },
    0,
    onHit ? null : agg,
  );
  try {
    await scanRange(handle, 0, Infinity, scanner, options.chunkBytes, options.signal, (position) => options.onProgress?.(position, size));
  } finally {
    await handle.close();
  }
  const stats = scanner.end();
  return { file, binary: stats.binary, threads: 1, simd: stats.simd, ...agg.summary(stats) };
}
