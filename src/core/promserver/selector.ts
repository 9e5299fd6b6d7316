// The user's series selector (`{job="api"}` or `job="api",instance="127.0.0.1:8000"`), parsed
// with PromQL's lexical rules and re-serialized from its parts. Every query Pulse sends embeds
// the normalized text, never the user's raw string, so a selector cannot smuggle in PromQL
// (a closing brace, a second expression, a comment): anything that is not a matcher list is
// rejected before a query is built.

import { ScrapeError } from '../scrape';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  /** Decoded value (escapes resolved). */
  value: string;
}

export interface Selector {
  matchers: Matcher[];
  /** Matchers joined by commas, without braces: `job="api",instance="x"`. Safe to embed in `{…}`. */
  inner: string;
  /** `{job="api"}`. */
  text: string;
}

/** A selector (or metric/label name) that cannot be used. Not retryable: a configuration error. */
export class SelectorError extends ScrapeError {
  constructor(message: string) {
    super('invalid-url', message);
    this.name = 'SelectorError';
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const MAX_SELECTOR_LENGTH = 4096;
const EXAMPLE = 'e.g. {job="api"} or job="api",instance="127.0.0.1:8000"';

export function isLabelName(s: string): boolean {
  return LABEL_NAME.test(s);
}

export function isMetricName(s: string): boolean {
  return METRIC_NAME.test(s);
}

/** Throws unless `name` is a plain metric name (what Pulse inserts into queries). */
export function assertMetricName(name: string, what: string): string {
  if (!isMetricName(name)) throw new SelectorError(`${what} "${name}" is not a valid Prometheus metric name (letters, digits, "_" and ":" only)`);
  return name;
}

export function assertLabelName(name: string, what: string): string {
  if (!isLabelName(name) || name.startsWith('__')) throw new SelectorError(`${what} "${name}" is not a valid Prometheus label name (letters, digits and "_" only)`);
  return name;
}

/** A PromQL double-quoted string literal for any value. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd'; // lone surrogate: not encodable as UTF-8
    else out += ch;
  }
  return out + '"';
}

/** Parses and normalizes a selector; throws SelectorError with the position and what was expected. */
export function parseSelector(raw: string): Selector {
  if (typeof raw !== 'string') throw new SelectorError(`selector must be a string, ${EXAMPLE}`);
  const src = raw.trim();
  if (!src) throw new SelectorError(`a Prometheus server source needs a selector for the service's series, ${EXAMPLE}`);
  if (src.length > MAX_SELECTOR_LENGTH) throw new SelectorError(`selector is longer than ${MAX_SELECTOR_LENGTH} characters`);
  const p = new Lexer(src);
  p.skipSpace();
  const braced = p.peek() === '{';
  if (!braced && /^[a-zA-Z_:][a-zA-Z0-9_:]*\s*\{/.test(src)) {
    throw new SelectorError(`selector must be label matchers only, without a metric name: write {${src.slice(src.indexOf('{') + 1)} instead of ${src}`);
  }
  if (braced) p.pos++;
  const matchers: Matcher[] = [];
  for (;;) {
    p.skipSpace();
    if (p.eof()) {
      if (braced) p.fail('missing closing "}"');
      break;
    }
    if (braced && p.peek() === '}') {
      p.pos++;
      break;
    }
    matchers.push(p.matcher());
    p.skipSpace();
    if (p.eof()) {
      if (braced) p.fail('missing closing "}"');
      break;
    }
    const c = p.peek();
    if (c === ',') {
      p.pos++;
      continue;
    }
    if (braced && c === '}') {
      p.pos++;
      break;
    }
    p.fail(`expected "," ${braced ? 'or "}" ' : ''}after a matcher`);
  }
  p.skipSpace();
  if (!p.eof()) p.fail('unexpected text after the selector (only label matchers are allowed)');
  if (!matchers.length) throw new SelectorError(`selector has no matchers, ${EXAMPLE}`);
  if (!matchers.some(matchesNonEmptyOnly)) {
    throw new SelectorError(
      `selector ${render(matchers)} would match every series on the server: it needs at least one matcher that does not match an empty value, ${EXAMPLE}`,
    );
  }
  const inner = matchers.map((m) => `${m.name}${m.op}${quote(m.value)}`).join(',');
  return { matchers, inner, text: `{${inner}}` };
}

function render(matchers: Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${quote(m.value)}`).join(',')}}`;
}

/** Prometheus refuses selectors whose matchers all match the empty string (they select everything). */
function matchesNonEmptyOnly(m: Matcher): boolean {
  switch (m.op) {
    case '=':
      return m.value !== '';
    case '!=':
      return m.value === '';
    case '=~':
      // A regex JS cannot compile goes to the server, which names the error.
      return regexMatchesEmpty(m.value) !== true;
    case '!~':
      return regexMatchesEmpty(m.value) === true;
  }
}

/** Whether an RE2 regex (anchored, as Prometheus anchors it) matches ""; undefined when JS cannot tell. */
function regexMatchesEmpty(re: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${re})$`, 'su').test('');
  } catch {
    return undefined;
  }
}

class Lexer {
  pos = 0;
  constructor(readonly src: string) {}

  eof(): boolean {
    return this.pos >= this.src.length;
  }
  peek(): string {
    return this.src[this.pos] ?? '';
  }
  skipSpace(): void {
    while (!this.eof() && /\s/.test(this.peek())) this.pos++;
  }
  fail(what: string): never {
    const at = this.pos;
    const near = this.src.slice(at, at + 20);
    throw new SelectorError(`invalid selector at character ${at + 1}${near ? ` ("${near}")` : ' (end)'}: ${what}; ${EXAMPLE}`);
  }

  matcher(): Matcher {
    const start = this.pos;
    while (!this.eof() && /[a-zA-Z0-9_]/.test(this.peek())) this.pos++;
    const name = this.src.slice(start, this.pos);
    if (!name) {
      this.pos = start;
      if (this.peek() === '"' || this.peek() === "'") this.fail('quoted label names are not supported');
      this.fail('expected a label name');
    }
    if (!LABEL_NAME.test(name)) {
      this.pos = start;
      this.fail(`"${name}" is not a label name`);
    }
    if (name === '__name__') {
      this.pos = start;
      this.fail('the selector must not match on __name__ (Pulse picks the metric names itself)');
    }
    this.skipSpace();
    let op: MatchOp;
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === '=~' || two === '!~' || two === '!=') {
      op = two;
      this.pos += 2;
    } else if (this.peek() === '=') {
      op = '=';
      this.pos++;
    } else {
      this.fail(`expected one of = != =~ !~ after "${name}"`);
    }
    this.skipSpace();
    const value = this.string();
    return { name, op, value };
  }

  /** A PromQL string literal: "…" or '…' with Go escapes, or `…` raw. */
  string(): string {
    const q = this.peek();
    if (q !== '"' && q !== "'" && q !== '`') this.fail('expected a quoted value');
    const open = this.pos;
    this.pos++;
    if (q === '`') {
      const end = this.src.indexOf('`', this.pos);
      if (end < 0) {
        this.pos = open;
        this.fail('unterminated raw string');
      }
      const v = this.src.slice(this.pos, end);
      this.pos = end + 1;
      return v;
    }
    const bytes: number[] = [];
    const push = (s: string): void => {
      for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
    };
    for (;;) {
      if (this.eof()) {
        this.pos = open;
        this.fail('unterminated string');
      }
      const c = this.src[this.pos]!;
      if (c === '\n') this.fail('newline in a quoted string');
      if (c === q) {
        this.pos++;
        break;
      }
      if (c !== '\\') {
        const cp = this.src.codePointAt(this.pos)!;
        const ch = String.fromCodePoint(cp);
        push(ch);
        this.pos += ch.length;
        continue;
      }
      this.pos++;
      const e = this.peek();
      this.pos++;
      switch (e) {
        case 'a': bytes.push(7); break;
        case 'b': bytes.push(8); break;
        case 'f': bytes.push(12); break;
        case 'n': bytes.push(10); break;
        case 'r': bytes.push(13); break;
        case 't': bytes.push(9); break;
        case 'v': bytes.push(11); break;
        case '\\': bytes.push(0x5c); break;
        case '"':
        case "'":
          if (e !== q) {
            this.pos -= 2;
            this.fail(`unknown escape sequence \\${e}`);
          }
          bytes.push(e.charCodeAt(0));
          break;
        case 'x': bytes.push(this.digits(2, 16)); break;
        case 'u':
        case 'U': {
          const cp = this.digits(e === 'u' ? 4 : 8, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            this.pos -= e === 'u' ? 6 : 10;
            this.fail('escape sequence is an invalid Unicode code point');
          }
          push(String.fromCodePoint(cp));
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            this.pos--;
            const v = this.digits(3, 8);
            if (v > 255) this.fail('octal escape value > 255');
            bytes.push(v);
            break;
          }
          this.pos -= 2;
          this.fail(`unknown escape sequence \\${e}`);
      }
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      this.pos = open;
      return this.fail('string is not valid UTF-8');
    }
  }

  private digits(n: number, base: 8 | 16): number {
    const s = this.src.slice(this.pos, this.pos + n);
    const re = base === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
    if (s.length !== n || !re.test(s)) this.fail(`expected ${n} ${base === 16 ? 'hex' : 'octal'} digits in an escape sequence`);
    this.pos += n;
    return parseInt(s, base);
  }
}
