// The byte fast path's line classifier. Which built-in recognisers a line admits (its prefilter
// literals) comes from one pass over the line's bytes: on logs where nearly every line is a
// request, that is cheaper than one Buffer#indexOf per literal occurrence. The first admitted
// recogniser's byte reader then reads the line (fast-formats.ts, fast-json.ts).

import { bytesAt } from './bytes';
import { readCombined, readGin, readInline, readUvicorn } from './fast-formats';
import { readJson } from './fast-json';
import { BUILTIN_RECOGNIZERS } from './formats';

type Reader = (buf: Buffer, start: number, stop: number) => boolean;

// The text form has no reader: its lines are the slow ones, read by the regex path anyway.
const READERS: Record<string, Reader | undefined> = { json: readJson, combined: readCombined, uvicorn: readUvicorn, gin: readGin, inline: readInline };

export class FastLines {
  /** pair[b0 << 8 | b1] = 1 when some literal starts with bytes b0 b1 (all are at least 2 long). */
  private readonly pair = new Uint8Array(65536);
  private readonly byFirst: { lit: Buffer; bit: number }[][] = [];
  private readonly readers: (Reader | undefined)[];

  constructor() {
    BUILTIN_RECOGNIZERS.forEach((r, i) => {
      for (const l of r.literals) {
        const lit = Buffer.from(l, 'utf8');
        this.pair[(lit[0]! << 8) | lit[1]!] = 1;
        (this.byFirst[lit[0]!] ??= []).push({ lit, bit: 1 << i });
      }
    });
    this.readers = BUILTIN_RECOGNIZERS.map((r) => READERS[r.id]);
  }

  /** Bit r set: a literal of BUILTIN_RECOGNIZERS[r] lies wholly within buf[s, e). */
  mask(buf: Buffer, s: number, e: number): number {
    let m = 0;
    const pair = this.pair;
    let prev = buf[s]!;
    for (let i = s + 1; i < e; i++) {
      const cur = buf[i]!;
      if (pair[(prev << 8) | cur] !== 0) {
        for (const { lit, bit } of this.byFirst[prev]!) if (i - 1 + lit.length <= e && bytesAt(buf, i - 1, lit)) m |= bit;
      }
      prev = cur;
    }
    return m;
  }

  /** Reads the line with its first admitted recogniser's reader (result in `fast`); false: use the regex path. */
  read(buf: Buffer, s: number, e: number, mask: number): boolean {
    const reader = this.readers[31 - Math.clz32(mask & -mask)];
    return reader !== undefined && reader(buf, s, e);
  }
}
