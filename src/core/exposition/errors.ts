// The one error type of the exposition parser: where (1-based line and column) and what was expected.

export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
  constructor(
    /** 1-based line number in the body. */
    readonly line: number,
    /** 1-based column (UTF-16 code units from the start of the line). */
    readonly column: number,
    /** What the parser expected there, e.g. "'=' after label name". */
    readonly expected: string,
    /** What it found instead, e.g. "'}'" or "end of line". */
    readonly found: string,
  ) {
    super(`line ${line}, column ${column}: expected ${expected}, found ${found}`);
  }
}

/** A short, printable description of the character at `p` of a line ending at `end`. */
export function describeAt(s: string, p: number, end: number): string {
  if (p >= end) return 'end of line';
  const cp = s.codePointAt(p)!;
  if (cp === 0x20) return "' '";
  if (cp === 0x09) return "'\\t'";
  if (cp === 0x0d) return "'\\r'";
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) || cp === 0xfeff || cp === 0xfffd) {
    return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return `'${String.fromCodePoint(cp)}'`;
}
