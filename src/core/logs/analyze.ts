// A log file on disk of any size, streamed in large chunks (never whole in memory), cancellable.

import { promises as fsp, readSync } from 'node:fs';
import { LogAggregator, type AggregatorOptions, type LogSummary } from './aggregate';
import { LogScanner, type ScanOptions } from './scanner';
import type { FileHit } from './types';
import { analyzeInWorkers, defaultWorkers, splitRanges, PARALLEL_MIN_BYTES } from './analyze-parallel';

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
}

/** A file that cannot be analysed, with a message fit for a user. */
export class LogFileError extends Error {}

export async function openLogFile(file: string): Promise<{ handle: fsp.FileHandle; size: number; ino: number }> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LogFileError(`no such file: ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new LogFileError(`permission denied: ${file}`);
    if (code === 'EISDIR') throw new LogFileError(`${file} is a directory, not a log file`);
    throw e;
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new LogFileError(st.isDirectory() ? `${file} is a directory, not a log file` : `${file} is not a regular file`);
  }
  return { handle, size: st.size, ino: st.ino };
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
  return { file, binary: stats.binary, threads: 1, ...agg.summary(stats) };
}

/**
 * Feeds the scanner the bytes [from, to) of the file (to EOF with Infinity), in chunks read ahead
 * of the scan; onChunk gets the position reached after each. Stops early on a binary input.
 */
export async function scanRange(
  handle: fsp.FileHandle,
  from: number,
  to: number,
  scanner: LogScanner,
  chunkBytes = 1 << 20,
  signal?: AbortSignal,
  onChunk?: (position: number) => void,
): Promise<void> {
  // Two buffers: the next read fills one while the scanner works on the other (its own, when it
  // has them: its first pass then reads the bytes where they land).
  const bufs = scanner.readBuffers(chunkBytes) ?? ([Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)] as const);
  let which = 0;
  let position = from;
  const readAt = (buf: Buffer, at: number) => handle.read(buf, 0, Math.max(0, Math.min(chunkBytes, to - at)), at);
  let pending = readAt(bufs[0], position);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      const cur = bufs[which]!;
      position += bytesRead;
      which ^= 1;
      pending = readAt(bufs[which]!, position);
      scanner.push(cur.subarray(0, bytesRead));
      onChunk?.(position);
      if (scanner.stats.binary) break;
    }
  } finally {
    await pending.catch(() => undefined);
  }
}

/**
 * scanRange with blocking reads, for a worker thread: nothing else runs on it, and a read on the
 * thread itself costs less than one handed to libuv's pool, which competes with the scanning threads.
 */
export function scanRangeSync(fd: number, from: number, to: number, scanner: LogScanner, chunkBytes = 1 << 20, onChunk?: (position: number) => void): void {
  const buf = scanner.readBuffers(chunkBytes)?.[0] ?? Buffer.allocUnsafeSlow(chunkBytes);
  for (let position = from; ; ) {
    const bytesRead = readSync(fd, buf, 0, Math.max(0, Math.min(chunkBytes, to - position)), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    scanner.push(buf.subarray(0, bytesRead));
    onChunk?.(position);
    if (scanner.stats.binary) break;
  }
}
