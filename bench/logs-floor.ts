// The log bench's floor (bench/logs.mjs --floor): what reading the file and Pulse's first pass
// alone cost on the threads analyzeFile uses, with nothing done for the lines the pass lists. No
// scan built on that pass can beat it; the bench prints it beside the real scan so a target can
// be checked against what is possible on the machine at hand. Not part of the extension.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultWorkers } from '../src/core/logs/analyze-parallel';
import { LineIndex } from '../src/core/logs/line-index';
import { planFor } from '../src/core/logs/recognize';
import { DEFAULT_MAX_LINE_BYTES } from '../src/core/logs/types';

const CHUNK = 1 << 20;
const NL = 10;

interface Part {
  file: string;
  start: number;
  end: number;
  pass: boolean;
}

/** Reads [start, end) in CHUNK reads, as the scanner's workers do; with `pass`, straight into the first pass's memory, scanned there. */
function runPart({ file, start, end, pass }: Part): { lines: number; listed: number } {
  // The literals and bits the scanner gives the pass (LogScanner.lineIndex).
  const ix = pass ? LineIndex.create(planFor({ thresholdMs: 1000 }).indexLiterals()!, DEFAULT_MAX_LINE_BYTES, CHUNK) : null;
  if (pass && !ix) throw new Error('no WebAssembly SIMD here: the first pass is not available');
  const plain = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(file, 'r');
  let lines = 0;
  let listed = 0;
  try {
    for (let pos = start, k = 0, carry = 0; pos < end; k ^= 1) {
      const buf = ix ? ix.inputs[k]! : plain;
      const n = readSync(fd, buf, carry, Math.min(CHUNK - carry, end - pos), pos);
      if (n <= 0) break;
      pos += n;
      const len = carry + n;
      const last = buf.lastIndexOf(NL, len - 1);
      if (last < 0) throw new Error(`a line longer than ${CHUNK} bytes at ${pos - len}: the floor does not handle those`);
      if (ix) {
        const at = ix.offsetOf(buf);
        for (let p = at, e = at + last + 1; p < e; p = ix.resume) {
          listed += ix.scan(p, e, true);
          lines += ix.lines;
        }
      }
      carry = len - (last + 1);
      buf.copy(ix ? ix.inputs[k ^ 1]! : plain, 0, last + 1, len);
    }
  } finally {
    closeSync(fd);
  }
  return { lines, listed };
}

/** The file split at line starts into defaultWorkers() parts, each run on its own thread; wall time includes starting them. */
export async function floor(file: string, pass: boolean, workerFile: string): Promise<{ ms: number; lines: number; listed: number; threads: number }> {
  const t0 = performance.now();
  const size = statSync(file).size;
  const threads = defaultWorkers();
  const points = [0];
  const probe = Buffer.allocUnsafe(1 << 16);
  const fd = openSync(file, 'r');
  try {
    for (let i = 1; i < threads; i++) {
      const nominal = Math.floor((size * i) / threads) - 1;
      const n = readSync(fd, probe, 0, probe.length, nominal);
      const k = probe.subarray(0, n).indexOf(NL);
      if (k >= 0) points.push(nominal + k + 1);
    }
  } finally {
    closeSync(fd);
  }
  points.push(size);
  const parts = await Promise.all(
    points.slice(0, -1).map(
      (start, i) =>
        new Promise<{ lines: number; listed: number }>((resolve, reject) => {
          const w = new Worker(workerFile, { workerData: { file, start, end: points[i + 1]!, pass } satisfies Part });
          w.once('message', (m: { lines: number; listed: number }) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return { ms: performance.now() - t0, lines: parts.reduce((a, p) => a + p.lines, 0), listed: parts.reduce((a, p) => a + p.listed, 0), threads: parts.length };
}

if (!isMainThread && workerData) parentPort!.postMessage(runPart(workerData as Part));
