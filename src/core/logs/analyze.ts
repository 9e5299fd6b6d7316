// A log file on disk of any size, streamed in large chunks (never whole in memory), cancellable.

import { promises as fsp } from 'node:fs';
import { LogAggregator, type AggregatorOptions, type LogSummary } from './aggregate';
import { LogScanner, type ScanOptions } from './scanner';
import type { FileHit } from './types';

export interface AnalyzeOptions extends ScanOptions, AggregatorOptions {
  /** Aborting stops the scan; analyzeFile then rejects with the signal's reason (an AbortError). */
  signal?: AbortSignal;
  /** After each chunk. totalBytes is the size when the scan started (a growing file can pass it). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Every hit, slow or not, as it is found (the aggregator keeps only bounded lists). */
  onHit?: (hit: FileHit) => void;
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
}

export interface AnalyzeResult extends LogSummary {
  file: string;
  /** binary: 'skip' was asked and the file looked binary: nothing was scanned. */
  binary: boolean;
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
  const chunk = options.chunkBytes ?? 1 << 20;
  // Two buffers: the next read fills one while the scanner works on the other.
  const bufs = [Buffer.allocUnsafeSlow(chunk), Buffer.allocUnsafeSlow(chunk)] as const;
  let which = 0;
  let position = 0;
  let pending = handle.read(bufs[0], 0, chunk, 0);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      options.signal?.throwIfAborted();
      const cur = bufs[which]!;
      position += bytesRead;
      which ^= 1;
      pending = handle.read(bufs[which]!, 0, chunk, position);
      scanner.push(cur.subarray(0, bytesRead));
      options.onProgress?.(position, size);
      if (scanner.stats.binary) break;
    }
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
  const stats = scanner.end();
  return { file, binary: stats.binary, ...agg.summary(stats) };
}
