// Static check that a custom pattern cannot backtrack catastrophically. A regex runs on every
// candidate line and JavaScript cannot interrupt one, so a pattern is refused up front when it
// has a shape known to blow up. Conservative: some safe patterns are refused too (each message
// says how to rewrite); no pattern of the refused shapes is accepted.
//
// Refused:
//  1. nested quantifiers: a repetition inside an unbounded (or > 10) repetition where the inner
//     one has a variable length — (a+)+, (.*)*, (\w+\s?)+, (a{1,5})*;
//  2. alternatives that can start with the same character inside such a repetition —
//     (a|a)*, (a|ab)+, (\w|\d)+ (exponential: each character can be taken by either branch);
//  3. two unbounded repetitions over overlapping characters with nothing required between —
//     \d+\d+, .*.*, \s*.*\s*, .*(?<duration>\d+) (polynomial: n² or worse on a long line);
//  4. backreferences (\1, \k<name>): they defeat the analysis.

import { CharSet } from './charset';
import type { RegexNode } from './regex-ast';

const BIG = 10;

function nullable(n: RegexNode): boolean {
  switch (n.k) {
    case 'char':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'group':
      return n.look || nullable(n.body);
    case 'rep':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** Characters n can consume: all of them, or (leading) only those a match can start with. */
function charsOf(n: RegexNode, leading: boolean): CharSet {
  const s = new CharSet();
  switch (n.k) {
    case 'char':
      return s.addSet(n.set);
    case 'seq':
      for (const it of n.items) {
        s.addSet(charsOf(it, leading));
        if (leading && !nullable(it)) break;
      }
      return s;
    case 'alt':
      for (const a of n.alts) s.addSet(charsOf(a, leading));
      return s;
    case 'group':
      return n.look ? s : charsOf(n.body, leading);
    case 'rep':
      return charsOf(n.body, leading);
    default:
      return s;
  }
}

const first = (n: RegexNode) => charsOf(n, true);
const chars = (n: RegexNode) => charsOf(n, false);

const manyTimes = (n: { max: number }) => n.max === Infinity || n.max > BIG;

/** The unbounded repetition a node is (through capture groups), if it is one. */
function asUnboundedRep(n: RegexNode): Extract<RegexNode, { k: 'rep' }> | null {
  if (n.k === 'rep') return n.max === Infinity ? n : null;
  if (n.k === 'group' && !n.look) return asUnboundedRep(n.body);
  if (n.k === 'seq' && n.items.length === 1) return asUnboundedRep(n.items[0]!);
  return null;
}

function innerVariableRep(n: RegexNode): Extract<RegexNode, { k: 'rep' }> | null {
  switch (n.k) {
    case 'rep':
      return n.max > n.min && !chars(n.body).isEmpty() ? n : innerVariableRep(n.body);
    case 'seq':
      for (const it of n.items) {
        const r = innerVariableRep(it);
        if (r) return r;
      }
      return null;
    case 'alt':
      for (const a of n.alts) {
        const r = innerVariableRep(a);
        if (r) return r;
      }
      return null;
    case 'group':
      return innerVariableRep(n.body);
    default:
      return null;
  }
}

function overlappingAlternation(n: RegexNode): boolean {
  switch (n.k) {
    case 'alt': {
      const firsts = n.alts.filter((a) => !nullable(a)).map(first);
      for (let a = 0; a < firsts.length; a++) for (let b = a + 1; b < firsts.length; b++) if (firsts[a]!.overlaps(firsts[b]!)) return true;
      return n.alts.some(overlappingAlternation);
    }
    case 'seq':
      return n.items.some(overlappingAlternation);
    case 'group':
    case 'rep':
      return overlappingAlternation(n.body);
    default:
      return false;
  }
}

/** null when safe, else why not (one sentence, naming the part of the pattern). */
export function backtrackingProblem(root: RegexNode): string | null {
  let problem: string | null = null;
  const walk = (n: RegexNode): void => {
    if (problem) return;
    switch (n.k) {
      case 'backref':
        problem = `backreference ${n.src} is not allowed (it can backtrack exponentially)`;
        return;
      case 'rep':
        if (manyTimes(n)) {
          const inner = innerVariableRep(n.body);
          if (inner) {
            problem = `nested quantifier: "${inner.src}" inside the repeated "${n.src}" can backtrack catastrophically; repeat one level only (e.g. [\\w/.-]+ instead of (\\/[\\w.-]+)+)`;
            return;
          }
          if (overlappingAlternation(n.body)) {
            problem = `alternatives that can match the same character are repeated in "${n.src}"; make the alternatives disjoint or use one character class`;
            return;
          }
        }
        walk(n.body);
        return;
      case 'seq':
        adjacent(n.items);
        for (const it of n.items) walk(it);
        return;
      case 'alt':
        for (const a of n.alts) walk(a);
        return;
      case 'group':
        walk(n.body);
        return;
      default:
    }
  };
  const adjacent = (items: RegexNode[]): void => {
    for (let a = 0; a < items.length && !problem; a++) {
      const ra = asUnboundedRep(items[a]!);
      if (!ra) continue;
      for (let b = a + 1; b < items.length; b++) {
        const rb = asUnboundedRep(items[b]!);
        if (rb && chars(ra.body).overlaps(chars(rb.body))) {
          problem = `"${ra.src}" and "${rb.src}" can match the same characters with nothing required between them (slow on long lines); put a literal between them, e.g. "took ${rb.src}"`;
          return;
        }
        if (!nullable(items[b]!)) break;
      }
    }
  };
  walk(root);
  return problem;
}

/** The longest run of literal characters every match must contain (for the byte prefilter). */
export function requiredLiteral(root: RegexNode): string | null {
  const items = root.k === 'seq' ? root.items : [root];
  let best = '';
  let run = '';
  for (const it of items) {
    const lit = it.k === 'char' ? it.lit : it.k === 'rep' && it.min >= 1 && it.body.k === 'char' ? it.body.lit : undefined;
    if (lit !== undefined) run += lit;
    else if (it.k !== 'empty') run = '';
    if (run.length > best.length) best = run;
    // "a+" contributes one "a" but ends the run: what follows is not adjacent in the text.
    if (it.k === 'rep') run = '';
  }
  return best.length >= 3 ? best : null;
}
