// Entry of dist/load-worker.js: one load run on a worker thread. The generator keeps a core
// busy; on its own thread it cannot delay the extension host (the service scrapes recorded
// alongside the run, the dashboard, other extensions), and they cannot delay its sends.

import { parentPort, workerData } from 'node:worker_threads';
import { runLoad } from './engine';
import { LoadConfigError } from './requests';
import type { HostToWorker, WorkerData, WorkerToHost } from './worker-protocol';

const port = parentPort!;
const data = workerData as WorkerData;
const controller = new AbortController();
const send = (m: WorkerToHost): void => port.postMessage(m);

port.on('message', (m: HostToWorker) => {
  if (m?.type === 'cancel') controller.abort();
});

runLoad(data.config, {
  signal: controller.signal,
  allowNonLoopback: data.allowNonLoopback,
  precise: data.precise,
  onSecond: (second, progress) => send({ type: 'second', second, progress }),
}).then(
  (result) => send({ type: 'result', result }),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', configError: err instanceof LoadConfigError, message: err.message });
  },
);
