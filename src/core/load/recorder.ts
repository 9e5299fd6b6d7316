// Latency recording in an HDR histogram (hdr-histogram-js): values in microseconds, 3
// significant digits, auto-resizing, so every percentile is exact to 0.1 % of its value whatever
// the range. The encoded form is HdrHistogram's standard compressed V2 in base64, readable by
// HdrHistogram in any language.
//
// Imported module by module, like src/core/http.ts does for undici: the package root also
// loads a WebAssembly build we do not use.

import Float64Histogram from 'hdr-histogram-js/dist/Float64Histogram';
import { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram';
import { decompress } from 'hdr-histogram-js/dist/JsHistogram.encoding';
import type { LatencySummaryMs } from './types';

export const SIGNIFICANT_DIGITS = 3;

export type Histogram = JsHistogram;

/** Range every histogram starts with: 1 µs to 1 h (≈ 190 kB of counts); it grows past that if needed. */
export const INITIAL_RANGE_US = 3_600_000_000;

/**
 * A new empty histogram of microseconds (counts as float64: no overflow in a 24 h run). All start
 * with the same range so adding one to another is a plain sum of counts.
 */
export function newHistogram(): Histogram {
  const h = new Float64Histogram(1, INITIAL_RANGE_US, SIGNIFICANT_DIGITS);
  h.autoResize = true;
  return h;
}

/** Records one latency given in milliseconds (fractional), stored as whole microseconds. */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(ms > 0 ? Math.round(ms * 1000) : 0);
}

export function encodeHistogram(h: Histogram): string {
  return h.encodeIntoCompressedBase64();
}

export function decodeHistogram(encoded: string): Histogram {
  const h = JsHistogram.decode(decompress(new Uint8Array(Buffer.from(encoded.trim(), 'base64'))), 64);
  h.autoResize = true;
  return h;
}

const us = (v: number): number => Math.round(v) / 1000;

/** Value at a percentile (0–100) in ms with µs precision; null for an empty histogram. */
export function percentileMs(h: Histogram, p: number): number | null {
  return h.totalCount ? us(h.getValueAtPercentile(p)) : null;
}

const EMPTY: LatencySummaryMs = { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 };

/** The summary the result carries (all zero for an empty histogram). */
export function summarize(h: Histogram): LatencySummaryMs {
  if (!h.totalCount) return { ...EMPTY };
  // A percentile is its bucket's highest equivalent value; never report it above the true max.
  const max = us(h.maxValue);
  const at = (p: number) => Math.min(max, us(h.getValueAtPercentile(p)));
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max,
    mean: us(h.mean),
    min: h.minNonZeroValue > h.maxValue ? 0 : us(h.minNonZeroValue),
  };
}
