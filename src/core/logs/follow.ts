// Tails a growing log file: polls (and wakes early on fs.watch), reads only what was appended,
// and follows the file through rotation (the path names a new inode: the rest of the old file
// is read first), truncation (size below what was read: start again from 0), and deletion (an
// event; following resumes from the start of the file when it reappears).
//
// Hit line numbers count from where following began ({from: 'end'}, the default, like tail -f)
// and restart at 0 with each new file (rotation, truncation, reappearance); byteStart is always
// the offset in the current file.

import { watch, promises as fsp, type FSWatcher } from 'node:fs';
import { LogAggregator, type AggregatorOptions } from './aggregate';
import { LogFileError, openLogFile } from './read';
import { LogScanner, type ScanOptions } from './scanner';
import type { FileHit } from './types';

export type FollowEvent =
  | { type: 'hit'; hit: FileHit }
  | { type: 'rotated' | 'truncated' | 'deleted' | 'reappeared' | 'error'; message: string };

export interface FollowOptions extends ScanOptions, AggregatorOptions {
  /** Where to begin: the current end of the file (default) or its start. */
  from?: 'start' | 'end';
  /** Poll interval (default 500 ms); fs.watch wakes the follower sooner when it can. */
  pollMs?: number;
}

export interface Disposable {
  dispose(): void;
}

const CHUNK = 1 << 20;

export class LogFollower implements Disposable {
  /** Everything seen so far: per-endpoint stats, recent slow hits, slow per minute. */
  readonly aggregator: LogAggregator;
  private readonly listeners = new Set<(e: FollowEvent) => void>();
  private handle: fsp.FileHandle | null = null;
  private ino = -1;
  private position = 0;
  private scanner: LogScanner | null = null;
  private missing = false;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private again = false;
  private disposed = false;
  private readonly buf = Buffer.allocUnsafeSlow(CHUNK);

  constructor(
    readonly file: string,
    private readonly options: FollowOptions,
  ) {
    this.aggregator = new LogAggregator(options);
  }

  onEvent(listener: (e: FollowEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Opens the file (LogFileError if it cannot be) and starts following. */
  async start(): Promise<void> {
    const { handle, size, ino } = await openLogFile(this.file);
    this.adopt(handle, ino, this.options.from === 'start' ? 0 : size);
    // Keeps the process alive while following, like tail -f; dispose() ends it.
    this.timer = setInterval(() => void this.poke(), this.options.pollMs ?? 500);
    await this.poke();
  }

  /** Checks the file now (what the timer and fs.watch do); resolves when that check is done. */
  poke(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.busy) {
      this.again = true;
      return this.busy;
    }
    this.busy = (async () => {
      try {
        do {
          this.again = false;
          await this.check();
        } while (this.again && !this.disposed);
      } catch (e) {
        this.emit({ type: 'error', message: `${this.file}: ${(e as Error).message}` });
      } finally {
        this.busy = null;
      }
    })();
    return this.busy;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = null;
    const h = this.handle;
    this.handle = null;
    // A check in flight finishes its read first; closing then is safe.
    void (this.busy ?? Promise.resolve()).then(() => h?.close()).catch(() => undefined);
    this.listeners.clear();
  }

  private emit(e: FollowEvent): void {
    for (const l of this.listeners) l(e);
  }

  private adopt(handle: fsp.FileHandle, ino: number, position: number): void {
    this.handle = handle;
    this.ino = ino;
    this.restartAt(position);
    this.watch();
  }

  private restartAt(position: number): void {
    this.position = position;
    this.scanner = new LogScanner(
      { ...this.options, binary: 'skip' },
      (hit) => {
        this.aggregator.add(hit);
        this.emit({ type: 'hit', hit });
      },
      position,
    );
  }

  private watch(): void {
    this.watcher?.close();
    try {
      this.watcher = watch(this.file, { persistent: false }, () => void this.poke());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null; // polling alone still works
    }
  }

  private async check(): Promise<void> {
    let st: Awaited<ReturnType<typeof fsp.stat>>;
    try {
      st = await fsp.stat(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!this.missing) {
        this.missing = true;
        await this.drainAndClose();
        this.emit({ type: 'deleted', message: `${this.file} was deleted; following resumes if it reappears` });
      }
      return;
    }
    if (this.disposed) return;
    if (this.missing || st.ino !== this.ino) {
      const event = this.missing ? 'reappeared' : 'rotated';
      await this.drainAndClose();
      this.missing = false;
      let opened;
      try {
        opened = await openLogFile(this.file);
      } catch (e) {
        if (e instanceof LogFileError) return; // gone again between stat and open: next poll
        throw e;
      }
      if (this.disposed) {
        await opened.handle.close();
        return;
      }
      this.adopt(opened.handle, opened.ino, 0);
      this.emit({ type: event, message: event === 'rotated' ? `${this.file} was rotated; following the new file from its start` : `${this.file} is back; following it from its start` });
    } else if (st.size < this.position) {
      this.restartAt(0);
      this.emit({ type: 'truncated', message: `${this.file} was truncated; reading again from its start` });
    }
    await this.readAppended();
  }

  /** Reads from the current position to the end of the open file. */
  private async readAppended(): Promise<void> {
    const h = this.handle;
    if (!h) return;
    for (;;) {
      const { bytesRead } = await h.read(this.buf, 0, CHUNK, this.position);
      if (bytesRead === 0 || this.disposed) return;
      this.position += bytesRead;
      this.scanner!.push(this.buf.subarray(0, bytesRead));
    }
  }

  /** The old file's last lines (written just before the rotation) count too. */
  private async drainAndClose(): Promise<void> {
    if (!this.handle) return;
    await this.readAppended();
    this.scanner?.end();
    await this.handle.close();
    this.handle = null;
  }
}
