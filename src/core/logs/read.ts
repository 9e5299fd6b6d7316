// Reading a log file into a scanner: opened with messages fit for a user, fed in large chunks.

import { promises as fsp, readSync } from 'node:fs';
import type { LogScanner } from './scanner';

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
