// Runs a load test on a worker thread (dist/load-worker.js) with runLoad's contract: the same
// options and result, LoadConfigError for a config that cannot run, cancel through the signal.
// If the thread dies, the run rejects with the reason; it never hangs.

import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import type { RunLoadOptions } from './engine';
import { LoadConfigError } from './requests';
import type { LoadConfig, LoadResult } from './types';
import type { HostToWorker, WorkerData, WorkerToHost } from './worker-protocol';

export type WorkerRunOptions = Omit<RunLoadOptions, 'now'>;

export function runLoadInWorker(workerFile: string, config: LoadConfig, opts: WorkerRunOptions = {}): Promise<LoadResult> {
  if (!existsSync(workerFile)) return Promise.reject(new Error(`the load generator is missing (${workerFile}): reinstall Pulse`));
  return new Promise((resolve, reject) => {
    const data: WorkerData = { config, allowNonLoopback: opts.allowNonLoopback === true, precise: opts.precise === true };
    let worker: Worker;
    try {
      worker = new Worker(workerFile, { workerData: data, stdout: false, stderr: false });
    } catch (e) {
      reject(new Error(`the load generator could not start: ${(e as Error).message}`));
      return;
    }
    let settled = false;
    const signal = opts.signal;
    const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies HostToWorker);
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      fn();
      // The result is in: the thread has nothing left worth waiting for.
      void worker.terminate();
    };
    worker.on('message', (m: WorkerToHost) => {
      switch (m.type) {
        case 'second':
          try {
            opts.onSecond?.(m.second, m.progress);
          } catch {
            // A progress display that throws must not lose the run.
          }
          return;
        case 'result':
          return finish(() => resolve(m.result));
        case 'error':
          return finish(() => reject(m.configError ? new LoadConfigError(m.message) : new Error(m.message)));
      }
    });
    worker.on('error', (e) => finish(() => reject(new Error(`the load generator failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`the load generator stopped (exit code ${code}) before its result`))));
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
  });
}
