// A small parser of JavaScript regex sources into the tree the safety check walks. The source
// has already compiled with `new RegExp`, so this parser may be lenient about syntax.

import { CharSet, classEscape, dot } from './charset';

export type RegexNode =
  /** One character from `set`; `lit` when it was written as a plain literal character. */
  | { k: 'char'; set: CharSet; lit?: string }
  | { k: 'seq'; items: RegexNode[] }
  | { k: 'alt'; alts: RegexNode[] }
  | { k: 'group'; body: RegexNode; name?: string; look: boolean }
  | { k: 'rep'; body: RegexNode; min: number; max: number; src: string }
  /** Anchors and word boundaries: match no character. */
  | { k: 'empty' }
  | { k: 'backref'; src: string };

export function parseRegex(source: string, ignoreCase: boolean): RegexNode {
  let i = 0;
  const peek = () => source[i];
  const charNode = (c: string): RegexNode => {
    const set = CharSet.of(c.charCodeAt(0));
    if (ignoreCase) set.add(c.toLowerCase().charCodeAt(0)).add(c.toUpperCase().charCodeAt(0));
    return { k: 'char', set, lit: c };
  };

  function escapeCode(): number {
    // After "\": the code of an escaped character (\n, \x41, \u0041, \.) — i is on the letter.
    const c = source[i++]!;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, '0': 0 };
    if (c in simple) return simple[c]!;
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i, i + 2))) return parseInt(source.slice((i += 2) - 2, i), 16);
    if (c === 'u') {
      const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(source.slice(i));
      if (m) {
        i += m[0].length;
        return parseInt(m[1] ?? m[2]!, 16);
      }
    }
    if (c === 'c' && /[a-zA-Z]/.test(source[i] ?? '')) return source.charCodeAt(i++) % 32;
    return c.charCodeAt(0);
  }

  function classBody(): CharSet {
    // i is just past "["
    const negated = peek() === '^';
    if (negated) i++;
    const set = new CharSet();
    // In JS "]" right after "[" closes the class ("[]" matches nothing), unlike POSIX.
    while (i < source.length && peek() !== ']') {
      let lo: number;
      if (peek() === '\\') {
        i++;
        const letter = source[i]!;
        const cls = classEscape(letter);
        if (cls) {
          i++;
          set.addSet(cls);
          continue;
        }
        if (letter === 'p' || letter === 'P') {
          i = source.indexOf('}', i) + 1 || source.length;
          set.addSet(CharSet.all());
          continue;
        }
        lo = letter === 'b' ? (i++, 8) : escapeCode();
      } else lo = source.charCodeAt(i++);
      if (peek() === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
        i++;
        const hi = peek() === '\\' ? (i++, escapeCode()) : source.charCodeAt(i++);
        set.addRange(lo, hi);
        if (ignoreCase) addOtherCase(set, lo, hi);
      } else {
        set.add(lo);
        if (ignoreCase) addOtherCase(set, lo, lo);
      }
    }
    i++; // "]"
    return negated ? set.negate() : set;
  }

  function atom(): RegexNode | null {
    const c = source[i]!;
    if (c === '(') {
      i++;
      let name: string | undefined;
      let look = false;
      if (source.startsWith('?:', i)) i += 2;
      else if (source.startsWith('?=', i) || source.startsWith('?!', i)) (i += 2), (look = true);
      else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) (i += 3), (look = true);
      else if (source.startsWith('?<', i)) {
        const end = source.indexOf('>', i);
        name = source.slice(i + 2, end);
        i = end + 1;
      }
      const body = alternation();
      i++; // ")"
      return name === undefined ? { k: 'group', body, look } : { k: 'group', body, name, look };
    }
    if (c === '[') {
      i++;
      return { k: 'char', set: classBody() };
    }
    if (c === '.') {
      i++;
      return { k: 'char', set: dot() };
    }
    if (c === '^' || c === '$') {
      i++;
      return { k: 'empty' };
    }
    if (c === '\\') {
      const start = i++;
      const letter = source[i]!;
      const cls = classEscape(letter);
      if (cls) {
        i++;
        return { k: 'char', set: cls };
      }
      if (letter === 'b' || letter === 'B') {
        i++;
        return { k: 'empty' };
      }
      if (letter === 'p' || letter === 'P') {
        i = source.indexOf('}', i) + 1 || source.length;
        return { k: 'char', set: CharSet.all() };
      }
      if (letter === 'k' && source[i + 1] === '<') {
        i = source.indexOf('>', i) + 1;
        return { k: 'backref', src: source.slice(start, i) };
      }
      if (/[1-9]/.test(letter)) {
        while (/[0-9]/.test(source[i] ?? '')) i++;
        return { k: 'backref', src: source.slice(start, i) };
      }
      const code = escapeCode();
      return charNode(String.fromCharCode(code));
    }
    i++;
    return charNode(c);
  }

  function quantifier(body: RegexNode, start: number): RegexNode {
    const c = peek();
    let min: number;
    let max: number;
    if (c === '*') (min = 0), (max = Infinity), i++;
    else if (c === '+') (min = 1), (max = Infinity), i++;
    else if (c === '?') (min = 0), (max = 1), i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return body; // a literal "{" (allowed without the u flag)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      i += m[0].length;
    } else return body;
    if (peek() === '?') i++; // lazy: same worst case
    return { k: 'rep', body, min, max, src: source.slice(start, i) };
  }

  function sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      const start = i;
      if (peek() === '{' && !/^\{\d+(,\d*)?\}/.test(source.slice(i))) {
        i++;
        items.push(charNode('{'));
        continue;
      }
      const a = atom();
      if (a) items.push(quantifier(a, start));
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  function alternation(): RegexNode {
    const alts = [sequence()];
    while (peek() === '|') {
      i++;
      alts.push(sequence());
    }
    return alts.length === 1 ? alts[0]! : { k: 'alt', alts };
  }

  return alternation();
}

function addOtherCase(set: CharSet, lo: number, hi: number): void {
  for (let c = lo; c <= Math.min(hi, 255); c++) {
    const s = String.fromCharCode(c);
    set.add(s.toLowerCase().charCodeAt(0)).add(s.toUpperCase().charCodeAt(0));
  }
}
