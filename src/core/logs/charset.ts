// Character sets for the regex safety check: 256 bits for U+0000–U+00FF, plus one flag for
// "some character above U+00FF" (coarse, but enough to tell \d from \s from [^"]).

export class CharSet {
  private readonly bits = new Uint32Array(8);
  high = false;

  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }

  static range(from: number, to: number): CharSet {
    const s = new CharSet();
    s.addRange(from, to);
    return s;
  }

  static all(): CharSet {
    return CharSet.range(0, 255).with({ high: true });
  }

  add(code: number): this {
    if (code > 255) this.high = true;
    else this.bits[code >>> 5]! |= 1 << (code & 31);
    return this;
  }

  addRange(from: number, to: number): this {
    for (let c = from; c <= Math.min(to, 255); c++) this.add(c);
    if (to > 255) this.high = true;
    return this;
  }

  addSet(o: CharSet): this {
    for (let i = 0; i < 8; i++) this.bits[i]! |= o.bits[i]!;
    this.high ||= o.high;
    return this;
  }

  /** Complement. Above U+00FF we cannot tell, so a negated set keeps "some high character". */
  negate(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 8; i++) s.bits[i] = ~this.bits[i]!;
    s.high = true;
    return s;
  }

  overlaps(o: CharSet): boolean {
    for (let i = 0; i < 8; i++) if ((this.bits[i]! & o.bits[i]!) !== 0) return true;
    return this.high && o.high;
  }

  isEmpty(): boolean {
    return !this.high && this.bits.every((b) => b === 0);
  }

  private with(p: { high: boolean }): this {
    this.high = p.high;
    return this;
  }
}

const DIGIT = CharSet.range(48, 57);
const WORD = CharSet.range(48, 57).addRange(65, 90).addRange(97, 122).add(95);
const SPACE = CharSet.of(9, 10, 11, 12, 13, 32, 0xa0, 0x2028);

/** \d \w \s and their negations; undefined for other letters. */
export function classEscape(letter: string): CharSet | undefined {
  switch (letter) {
    case 'd':
      return new CharSet().addSet(DIGIT);
    case 'w':
      return new CharSet().addSet(WORD);
    case 's':
      return new CharSet().addSet(SPACE);
    case 'D':
      return DIGIT.negate();
    case 'W':
      return WORD.negate();
    case 'S':
      return SPACE.negate();
    default:
      return undefined;
  }
}

/** `.`: anything but line terminators. */
export function dot(): CharSet {
  return CharSet.of(10, 13, 0x2028).negate();
}
