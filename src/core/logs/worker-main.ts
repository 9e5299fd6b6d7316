// Entry of dist/logs-worker.js: one range of a log file scanned on a worker thread (see
// analyze-parallel.ts). Its hits' line numbers count from the range's start; byte offsets are the file's.

import { parentPort, workerData } from 'node:worker_threads';
import { LogAggregator } from './aggregate';
import { openLogFile, scanRangeSync } from './read';
import type { RangeJob, RangeMessage } from './analyze-parallel';
import { LogScanner } from './scanner';

const job = workerData as RangeJob;
const send = (m: RangeMessage) => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const agg = new LogAggregator(job.options);
  // Only the first range looks for a binary file's NUL bytes, as a single scan would at its start.
  const scanner = new LogScanner({ ...job.options, binary: job.first ? job.options.binary : 'ignore' }, (h) => agg.add(h), job.start, agg);
  const { handle } = await openLogFile(job.file);
  let chunks = 0;
  try {
    scanRangeSync(handle.fd, job.start, job.end, scanner, job.options.chunkBytes, (position) => {
      if (++chunks % 4 === 0) send({ type: 'progress', bytes: position - job.start });
    });
  } finally {
    await handle.close();
  }
  const stats = scanner.end();
  send({ type: 'progress', bytes: stats.bytes });
  send({ type: 'done', stats, state: agg.state() });
}

main().catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
