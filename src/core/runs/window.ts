// "Capture Metrics Window…": a run record of the service's own metrics over a time window, with
// no load generated (source 'metrics', result null), so a quiet or production-like period can be
// saved as a baseline and compared like a load test. The latency distribution comes from the
// points' heatmap columns when the service exposes a histogram (heatBounds kept with the record).
// No vscode import.

import type { Point } from '../../dashboard/protocol';
import { buildRunRecord, type RunEnvironment, type RunRecord } from './record';

export interface MetricsWindowInput {
  name: string;
  /** The connection's points, oldest first; only those within [from, to] are kept. */
  points: readonly Point[];
  /** Upper bounds (ms) of the points' heat buckets (null = +Inf), if the service has a histogram. */
  heatBounds?: (number | null)[] | null;
  service: { url: string; kind?: string } | null;
  environment: RunEnvironment;
  /** Epoch ms; default: the first and last point. */
  from?: number;
  to?: number;
  intervalMs?: number;
  createdAt?: Date;
}

export function buildMetricsWindowRecord(input: MetricsWindowInput): RunRecord {
  const from = input.from ?? input.points[0]?.t ?? NaN;
  const to = input.to ?? input.points[input.points.length - 1]?.t ?? NaN;
  const points = input.points.filter((p) => p.t >= from && p.t <= to);
  if (points.length === 0) throw new RangeError('the metrics window holds no points: wait for a few scrapes, or widen it');
  const bounds = input.heatBounds ?? null;
  // Heat columns are usable only if they line up with the bounds.
  const heatOk = bounds !== null && bounds.length > 0 && points.some((p) => p.heat !== null && p.heat.length === bounds.length);
  return buildRunRecord({
    name: input.name,
    source: 'metrics',
    config: { kind: 'metrics-window', from, to, ...(input.intervalMs !== undefined ? { intervalMs: input.intervalMs } : {}) },
    result: null,
    environment: input.environment,
    serviceTimeline: points,
    service: input.service,
    startedAt: from,
    endedAt: to,
    ...(heatOk ? { heatBounds: bounds } : {}),
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
  });
}
