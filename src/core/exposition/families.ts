// Convenience for tests and the CLI: a body collected into families with decoded labels.

import type { FamilyInfo, Labels } from '../types';
import { decodeLabels } from './labels';
import { ExpositionCore, parseWith, type ExpositionFormat, type ParseStats } from './parser';

export interface ParsedSample {
  name: string;
  labels: Labels;
  value: number;
  timestampMs?: number;
}

export interface ParsedFamily extends FamilyInfo {
  samples: ParsedSample[];
}

/** Parses a whole body into families (in order of first appearance) holding their samples. */
export function parseToFamilies(text: string, format: ExpositionFormat = 'prometheus'): { families: ParsedFamily[]; stats: ParseStats } {
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily>();
  const core: ExpositionCore = new ExpositionCore(
    {
      onFamily(f) {
        const pf: ParsedFamily = { ...f, samples: [] };
        families.push(pf);
        byName.set(f.name, pf);
      },
      onSample(name, labelText, value, timestampMs) {
        const sample: ParsedSample = { name, labels: labelText ? decodeLabels(labelText) : {}, value };
        if (timestampMs !== undefined) sample.timestampMs = timestampMs;
        byName.get(core.cur!.name)!.samples.push(sample);
      },
    },
    format,
  );
  const stats = parseWith(core, text);
  return { families, stats };
}
