// Messages between a load run's worker thread (worker-main.ts) and the thread that started it
// (worker.ts). Everything crossing is plain data: the result's histogram is already encoded.

import type { LoadProgress } from './engine';
import type { LoadConfig, LoadResult, LoadSecond } from './types';

export interface WorkerData {
  config: LoadConfig;
  allowNonLoopback: boolean;
  precise: boolean;
}

export type HostToWorker = { type: 'cancel' };

export type WorkerToHost =
  | { type: 'second'; second: LoadSecond; progress: LoadProgress }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; configError: boolean; message: string };
