// A strict, allocation-light parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0.
//
// One hand-written charCodeAt scanner over whole lines: no regex, no split, no per-sample object.
// Per sample it allocates at most the label text substring; metric names are interned (the same
// string object every time a name recurs, across parses), and the common case of a sample
// carrying the previous sample's name costs one native startsWith.
//
// Family reporting (ExpositionVisitor.onFamily) happens once per family, when its metadata block
// is complete: at the family's first sample, or when the next family's metadata starts, or at the
// end of the body — so HELP/TYPE/UNIT are reported together whatever their order. Families are
// reported by their base name (`# TYPE foo histogram` → "foo"; its samples are foo_bucket, foo_sum,
// foo_count, foo_created). Samples without any metadata form a family named after the sample,
// of type 'untyped' (0.0.4) or 'unknown' (OpenMetrics).

import type { ExpositionVisitor, FamilyInfo, MetricType } from '../types';
import { ExpositionError, describeAt } from './errors';
import { CT, LABEL_CHAR, LABEL_START, NAME_CHAR, NAME_START, unescape } from './labels';
import { num, scanFloat, scanInt } from './numbers';
import { TextDecoder } from 'node:util';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface ParseStats {
  format: ExpositionFormat;
  /** Samples reported to onSample. */
  samples: number;
  /** Families reported to onFamily (with or without metadata). */
  families: number;
  /** Lines read, blank lines and comments included. */
  lines: number;
}

// What a sample name is within its family: which label carries a number (checked when present),
// whether that label is required (OpenMetrics; 0.0.4 parsers such as Go's expfmt accept its
// absence), and whether an exemplar may follow the value.
const NEED_LE = 1;
const NEED_QUANTILE = 2;
const EXEMPLAR_OK = 4;
const REQUIRED = 8;
/** Not a sample name of this family. */
const NOT_MEMBER = -1;
/** The family's own name, but this type has no sample of that name (e.g. a histogram). */
const BAD_MEMBER = -2;

const PROM_TYPES: Record<string, MetricType> = { counter: 'counter', gauge: 'gauge', histogram: 'histogram', summary: 'summary', untyped: 'untyped' };
const OM_TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  info: 'info',
  stateset: 'stateset',
  unknown: 'unknown',
};
const SUFFIXES = ['_bucket', '_count', '_sum', '_created', '_total', '_gcount', '_gsum', '_info'];

/** A family as the parser tracks it. */
export class Family {
  type: MetricType;
  help: string | undefined = undefined;
  unit: string | undefined = undefined;
  typeSeen = false;
  helpSeen = false;
  unitSeen = false;
  emitted = false;
  hasSamples = false;
  constructor(
    readonly name: string,
    type: MetricType,
    /** Line it was first seen on. */
    readonly line: number,
  ) {
    this.type = type;
  }
  info(): FamilyInfo {
    const f: FamilyInfo = { name: this.name, type: this.type };
    if (this.help !== undefined) f.help = this.help;
    if (this.unit !== undefined) f.unit = this.unit;
    return f;
  }
}

interface NameInfo {
  fam: Family;
  kind: number;
}

// ---------------------------------------------------------------------------------------------
// Interned metric names, shared by all parsers: repeated scrapes of one target hand the
// consumer the very same string objects (whose hashes V8 has already computed).

class NameTable {
  private keys: string[];
  private mask: number;
  private count = 0;
  constructor(
    private readonly initialSlots: number,
    private readonly maxSlots: number,
  ) {
    this.keys = new Array<string>(initialSlots).fill('');
    this.mask = initialSlots - 1;
  }
  /** The interned string equal to s[a, b), whose hash (see hashOf) is h. */
  get(s: string, a: number, b: number, h: number): string {
    const keys = this.keys;
    const len = b - a;
    let i = mix(h) & this.mask;
    for (;;) {
      const k = keys[i]!;
      if (k === '') break;
      if (k.length === len && s.startsWith(k, a)) return k;
      i = (i + 1) & this.mask;
    }
    const name = s.slice(a, b);
    if ((this.count + 1) * 2 > keys.length) {
      this.grow();
      this.insert(name, h);
    } else {
      keys[i] = name;
    }
    this.count++;
    return name;
  }
  private insert(name: string, h: number): void {
    let i = mix(h) & this.mask;
    while (this.keys[i] !== '') i = (i + 1) & this.mask;
    this.keys[i] = name;
  }
  private grow(): void {
    const old = this.keys;
    const slots = old.length * 2;
    if (slots > this.maxSlots) {
      // Bounded: a body with absurdly many distinct names just starts a fresh table.
      this.keys = new Array<string>(this.initialSlots).fill('');
      this.mask = this.initialSlots - 1;
      this.count = 0;
      return;
    }
    this.keys = new Array<string>(slots).fill('');
    this.mask = slots - 1;
    for (const k of old) if (k !== '') this.insert(k, hashOf(k, 0, k.length));
  }
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  return h ^ (h >>> 16);
}

function hashOf(s: string, a: number, b: number): number {
  let h = 0;
  for (let i = a; i < b; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const NAMES = new NameTable(1024, 1 << 18);

// ---------------------------------------------------------------------------------------------

/**
 * The line-level parser shared by parseExposition and ExpositionStreamParser. Feed it lines
 * (without their '\n') in order with `line`, then call `finish`.
 */
export class ExpositionCore {
  readonly om: boolean;
  lineNo = 0;
  samples = 0;
  familyCount = 0;
  eof = false;
  /** The family samples currently go to (for parseToFamilies). */
  cur: Family | null = null;
  private readonly families = new Map<string, Family>();
  private readonly names = new Map<string, NameInfo>();
  private lastName = '';
  private lastKind = 0;
  /** Start of the current line in the string being parsed (for columns). */
  private ls = 0;
  // Labels of the current sample.
  private labelText = '';
  /** Index of the next backslash in the string being parsed (-1: unknown). */
  private nextBs = -1;
  private labelFlags = 0;
  private nameStarts = new Int32Array(16);
  private nameLens = new Int32Array(16);

  constructor(
    private readonly visitor: ExpositionVisitor,
    readonly format: ExpositionFormat,
  ) {
    this.om = format === 'openmetrics';
  }

  stats(): ParseStats {
    return { format: this.format, samples: this.samples, families: this.familyCount, lines: this.lineNo };
  }

  /** Parses every '\n'-terminated line of s[from, to); returns where the unterminated rest starts. */
  lines(s: string, from: number, to: number): number {
    this.nextBs = -1;
    let nl = s.indexOf('\n', from);
    while (nl >= 0 && nl < to) {
      this.parseLine(s, from, nl);
      from = nl + 1;
      nl = s.indexOf('\n', from);
    }
    return from;
  }

  /** Parses the line s[a, e) (its '\n' excluded). */
  line(s: string, a: number, e: number): void {
    this.nextBs = -1; // another string than the last call's, maybe
    this.parseLine(s, a, e);
  }

  private parseLine(s: string, a: number, e: number): void {
    this.lineNo++;
    this.ls = a;
    if (this.eof) this.fail(s, a, e, "end of input after '# EOF'");
    if (a === e) {
      if (this.om) this.fail(s, a, e, 'a metric name or comment (OpenMetrics has no empty lines)');
      return;
    }
    let c = s.charCodeAt(a);
    if (c < 128 && CT[c]! & NAME_START) {
      if (!this.om && s.charCodeAt(e - 1) === 13) e--;
      this.sample(s, a, e);
      return;
    }
    if (c === 35) {
      if (!this.om && s.charCodeAt(e - 1) === 13) e--;
      this.comment(s, a, e);
      return;
    }
    if (!this.om && (c === 32 || c === 9 || c === 13)) {
      if (s.charCodeAt(e - 1) === 13) e--;
      while (a < e && ((c = s.charCodeAt(a)) === 32 || c === 9)) a++;
      if (a === e) return;
      if (c < 128 && CT[c]! & NAME_START) return this.sample(s, a, e);
      if (c === 35) return this.comment(s, a, e);
    }
    this.fail(s, a, e, 'a metric name or comment');
  }

  /** Checks the first character of a line before the line is complete (early rejection of garbage). */
  checkLineStart(s: string, a: number, e: number): void {
    if (a >= e) return;
    const c = s.charCodeAt(a);
    if ((c < 128 && CT[c]! & NAME_START) || c === 35 || this.eof) return;
    if (!this.om && (c === 32 || c === 9 || c === 13)) return;
    this.lineNo++;
    this.ls = a;
    this.fail(s, a, e, 'a metric name or comment');
  }

  /** End of input: `partial` tells whether the last line lacked its '\n'. */
  finish(partial: boolean): ParseStats {
    if (this.om && !this.eof) {
      if (partial) throw new ExpositionError(this.lineNo, 1, "'# EOF' as the last line", 'end of input');
      throw new ExpositionError(this.lineNo + 1, 1, "'# EOF' as the last line", 'end of input');
    }
    this.flushPending();
    return this.stats();
  }

  fail(s: string, p: number, e: number, expected: string, found?: string): never {
    throw new ExpositionError(this.lineNo, p - this.ls + 1, expected, found ?? describeAt(s, p, e));
  }

  // -------------------------------------------------------------------------------------------
  // Samples

  private sample(s: string, a: number, e: number): void {
    const om = this.om;
    let p: number;
    let c: number;
    let name = this.lastName;
    const ll = name.length;
    let same = false;
    if (ll !== 0 && s.startsWith(name, a)) {
      c = a + ll < e ? s.charCodeAt(a + ll) : -1;
      same = c < 0 || c >= 128 || !(CT[c]! & NAME_CHAR);
    }
    if (same) {
      p = a + ll;
    } else {
      let h = s.charCodeAt(a);
      p = a + 1;
      while (p < e && (c = s.charCodeAt(p)) < 128 && CT[c]! & NAME_CHAR) {
        h = (Math.imul(h, 31) + c) | 0;
        p++;
      }
      name = NAMES.get(s, a, p, h);
      this.enterSample(s, a, e, name);
    }
    const kind = this.lastKind;

    // Labels
    c = p < e ? s.charCodeAt(p) : -1;
    let labelText = '';
    if (om) {
      if (c === 123) {
        p = this.labels(s, p + 1, e, kind);
        labelText = this.labelText;
        c = p < e ? s.charCodeAt(p) : -1;
      } else if (kind & REQUIRED) this.missingLabel(s, p, e, kind);
      if (c !== 32) this.fail(s, p, e, c === -1 ? "' ' and a value after the metric name" : "' ' after the metric name");
      p++;
    } else {
      let q = p;
      while (c === 32 || c === 9) c = ++q < e ? s.charCodeAt(q) : -1;
      if (c === 123) {
        p = this.labels(s, q + 1, e, kind);
        labelText = this.labelText;
        c = p < e ? s.charCodeAt(p) : -1;
        while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
      } else {
        if (q === p) this.fail(s, p, e, c === -1 ? "' ' and a value after the metric name" : "'{' or ' ' after the metric name");
        if (kind & REQUIRED) this.missingLabel(s, p, e, kind);
        p = q;
      }
    }

    // Value
    if (!scanFloat(s, p, e, 0, true)) this.fail(s, num.end, e, 'a number as sample value');
    const value = num.value;
    p = num.end;
    let ts: number | undefined;
    if (p < e) {
      c = s.charCodeAt(p);
      if (om) {
        if (c !== 32) this.fail(s, p, e, "' ' or end of line after the sample value");
        c = ++p < e ? s.charCodeAt(p) : -1;
        if (c !== 35) {
          if (!scanFloat(s, p, e, 3, false)) this.fail(s, num.end, e, c === -1 ? 'a timestamp or exemplar after the value' : 'a timestamp (seconds)');
          ts = num.value;
          p = num.end;
          if (p < e) {
            if (s.charCodeAt(p) !== 32) this.fail(s, p, e, "' ' or end of line after the timestamp");
            if (++p >= e || s.charCodeAt(p) !== 35) this.fail(s, p, e, "'#' to start an exemplar");
          }
        }
        if (p < e) this.exemplar(s, p, e, kind);
      } else {
        if (c !== 32 && c !== 9) this.fail(s, p, e, "' ' or end of line after the sample value");
        while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
        if (p < e) {
          if (!scanInt(s, p, e)) this.fail(s, num.end, e, 'an integer timestamp (milliseconds)');
          ts = num.value;
          p = num.end;
          c = p < e ? s.charCodeAt(p) : -1;
          if (p < e && c !== 32 && c !== 9) this.fail(s, p, e, "' ' or end of line after the timestamp");
          while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
          if (p < e) this.fail(s, p, e, 'end of line after the timestamp');
        }
      }
    }
    this.samples++;
    this.visitor.onSample(name, labelText, value, ts);
  }

  private missingLabel(s: string, p: number, e: number, kind: number): never {
    const what = kind & NEED_LE ? "a 'le' label on a histogram bucket" : "a 'quantile' label on a summary quantile sample";
    return this.fail(s, p, e, what, kind & NEED_LE ? "no 'le' label" : "no 'quantile' label");
  }

  /**
   * Scans a label set starting after '{'. Sets labelText (the raw text, blanks around it and a
   * trailing comma removed) and returns the index after '}'. `kind` says which label the family
   * requires (le / quantile); exemplar label sets pass -1 (no requirement, only syntax).
   */
  private labels(s: string, p: number, e: number, kind: number): number {
    const om = this.om;
    let c = p < e ? s.charCodeAt(p) : -1;
    if (!om) while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
    const textStart = p;
    let textEnd = p;
    let n = 0;
    let found = 0;
    for (;;) {
      if (c === 125) {
        if (om && n > 0) this.fail(s, p, e, 'a label name after \',\'');
        break;
      }
      // label name
      const ns = p;
      if (!(c >= 0 && c < 128 && CT[c]! & LABEL_START)) this.fail(s, p, e, n === 0 ? "a label name or '}'" : 'a label name');
      c = ++p < e ? s.charCodeAt(p) : -1;
      while (c >= 0 && c < 128 && CT[c]! & LABEL_CHAR) c = ++p < e ? s.charCodeAt(p) : -1;
      const nlen = p - ns;
      // duplicates
      if (n === this.nameStarts.length) this.growLabelSlots();
      const starts = this.nameStarts;
      const lens = this.nameLens;
      for (let j = 0; j < n; j++) {
        if (lens[j] === nlen && sameRange(s, starts[j]!, ns, nlen)) {
          this.fail(s, ns, e, 'each label name once per sample', `a second '${s.slice(ns, p)}'`);
        }
      }
      starts[n] = ns;
      lens[n] = nlen;
      n++;
      let special = 0;
      if (nlen === 8) {
        if (kind > 0 && s.startsWith('quantile', ns)) special = NEED_QUANTILE;
        else if (s.startsWith('__name__', ns)) this.fail(s, ns, e, 'a label name other than the reserved __name__', "'__name__'");
      } else if (kind > 0 && nlen === 2 && s.charCodeAt(ns) === 108 && s.charCodeAt(ns + 1) === 101) special = NEED_LE;
      if (!om) while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
      if (c !== 61) this.fail(s, p, e, "'=' after label name");
      c = ++p < e ? s.charCodeAt(p) : -1;
      if (!om) while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
      if (c !== 34) this.fail(s, p, e, "'\"' to start the label value");
      // value
      const vs = ++p;
      let escaped = false;
      // Fast path: jump to the closing quote unless a backslash comes first. The position of
      // the next backslash in s is remembered, so finding it costs O(length of s) in total.
      const q = s.indexOf('"', p);
      let bs = this.nextBs;
      if (bs < p) {
        bs = s.indexOf('\\', p);
        if (bs < 0) bs = 0x7fffffff;
        this.nextBs = bs;
      }
      if (q >= 0 && q < e && q < bs) p = q;
      else for (;;) {
        if (p >= e) this.fail(s, p, e, "'\"' to end the label value");
        c = s.charCodeAt(p);
        if (c === 34) break;
        if (c === 92) {
          c = p + 1 < e ? s.charCodeAt(p + 1) : -1;
          if (c !== 92 && c !== 34 && c !== 110) this.fail(s, p + 1, e, 'an escape sequence \\\\, \\" or \\n in the label value');
          escaped = true;
          p += 2;
        } else p++;
      }
      if (special & kind) {
        found |= special;
        const v = escaped ? unescape(s, vs, p, true, () => 0 as never) : '';
        const ok = escaped ? scanFloat(v, 0, v.length, 0, true) && num.end === v.length : scanFloat(s, vs, p, 0, true) && num.end === p;
        if (!ok) this.fail(s, vs, e, special === NEED_LE ? "a number as the 'le' label value" : "a number as the 'quantile' label value");
      }
      textEnd = ++p;
      c = p < e ? s.charCodeAt(p) : -1;
      if (!om) while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
      if (c === 44) {
        c = ++p < e ? s.charCodeAt(p) : -1;
        if (!om) while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
        continue;
      }
      if (c === 125) break;
      this.fail(s, p, e, "',' or '}' after the label value");
    }
    if (kind > 0 && kind & REQUIRED && (kind & (NEED_LE | NEED_QUANTILE)) & ~found) this.missingLabel(s, p, e, kind);
    this.labelText = n === 0 ? '' : s.slice(textStart, textEnd);
    return p + 1;
  }

  private growLabelSlots(): void {
    const starts = new Int32Array(this.nameStarts.length * 2);
    const lens = new Int32Array(this.nameLens.length * 2);
    starts.set(this.nameStarts);
    lens.set(this.nameLens);
    this.nameStarts = starts;
    this.nameLens = lens;
  }

  /** OpenMetrics exemplar starting at the '#': `# {labels} value [timestamp]`. Validated, then dropped. */
  private exemplar(s: string, p: number, e: number, kind: number): void {
    if (!(kind & EXEMPLAR_OK)) this.fail(s, p, e, 'end of line (exemplars are only allowed on counter _total and histogram _bucket samples)');
    if (p + 1 >= e || s.charCodeAt(p + 1) !== 32) this.fail(s, p + 1, e, "' ' after '#' of the exemplar");
    p += 2;
    if (p >= e || s.charCodeAt(p) !== 123) this.fail(s, p, e, "'{' to start the exemplar's labels");
    const labelText = this.labelText;
    p = this.labels(s, p + 1, e, -1);
    this.labelText = labelText;
    if (p >= e || s.charCodeAt(p) !== 32) this.fail(s, p, e, "' ' and a value after the exemplar's labels");
    if (!scanFloat(s, ++p, e, 0, true)) this.fail(s, num.end, e, 'a number as exemplar value');
    p = num.end;
    if (p < e) {
      if (s.charCodeAt(p) !== 32) this.fail(s, p, e, "' ' or end of line after the exemplar value");
      if (!scanFloat(s, ++p, e, 3, false)) this.fail(s, num.end, e, 'a timestamp (seconds) for the exemplar');
      if (num.end < e) this.fail(s, num.end, e, 'end of line after the exemplar timestamp');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Families

  /** A sample whose name differs from the previous sample's: find (or make) its family. */
  private enterSample(s: string, a: number, e: number, name: string): void {
    let info = this.names.get(name);
    if (info === undefined || info.fam !== this.cur) {
      info = this.resolve(s, a, e, name);
      this.names.set(name, info);
    }
    const fam = info.fam;
    if (!fam.emitted) this.emit(fam);
    fam.hasSamples = true;
    this.lastName = name;
    this.lastKind = info.kind;
  }

  private resolve(s: string, a: number, e: number, name: string): NameInfo {
    const cur = this.cur;
    if (cur !== null) {
      const k = this.memberKind(cur, name);
      if (k >= 0) return { fam: cur, kind: k };
      if (k === BAD_MEMBER) this.badMember(s, a, e, cur, name);
    }
    let fam = this.families.get(name);
    let kind = 0;
    if (fam !== undefined) {
      kind = this.memberKind(fam, name);
      if (kind < 0) this.badMember(s, a, e, fam, name);
    } else {
      for (const suffix of SUFFIXES) {
        if (name.length > suffix.length && name.endsWith(suffix)) {
          const f = this.families.get(name.slice(0, name.length - suffix.length));
          if (f !== undefined && (kind = this.memberKind(f, name)) >= 0) {
            fam = f;
            break;
          }
        }
      }
    }
    if (fam !== undefined) {
      if (this.om) {
        this.fail(s, a, e, `samples of family '${fam.name}' to be contiguous (it was started on line ${fam.line})`, `'${name}'`);
      }
      this.flushPending();
      this.cur = fam;
      return { fam, kind };
    }
    this.flushPending();
    fam = this.newFamily(name, this.om ? 'unknown' : 'untyped');
    return { fam, kind: 0 };
  }

  /** What `name` is as a sample of `fam`, or NOT_MEMBER / BAD_MEMBER. */
  private memberKind(fam: Family, name: string): number {
    const base = fam.name;
    const om = this.om;
    if (name === base) {
      switch (fam.type) {
        case 'summary':
          return om ? NEED_QUANTILE | REQUIRED : NEED_QUANTILE;
        case 'gauge':
        case 'untyped':
        case 'unknown':
        case 'stateset':
          return 0;
        case 'counter':
          return om ? BAD_MEMBER : 0;
        default:
          return om ? BAD_MEMBER : 0; // 0.0.4 (Go's expfmt) accepts e.g. a bare histogram name
      }
    }
    if (name.length <= base.length + 1 || !name.startsWith(base) || name.charCodeAt(base.length) !== 95) return NOT_MEMBER;
    const suffix = name.slice(base.length);
    switch (fam.type) {
      case 'counter':
        if (suffix === '_created') return 0;
        if (suffix === '_total' && om) return EXEMPLAR_OK;
        return NOT_MEMBER;
      case 'histogram':
        if (suffix === '_bucket') return om ? NEED_LE | REQUIRED | EXEMPLAR_OK : NEED_LE;
        return suffix === '_sum' || suffix === '_count' || suffix === '_created' ? 0 : NOT_MEMBER;
      case 'gaugehistogram':
        if (suffix === '_bucket') return NEED_LE | REQUIRED | EXEMPLAR_OK;
        return suffix === '_gsum' || suffix === '_gcount' ? 0 : NOT_MEMBER;
      case 'summary':
        return suffix === '_sum' || suffix === '_count' || suffix === '_created' ? 0 : NOT_MEMBER;
      case 'info':
        return suffix === '_info' ? 0 : NOT_MEMBER;
      default:
        return NOT_MEMBER;
    }
  }

  private badMember(s: string, a: number, e: number, fam: Family, name: string): never {
    const valid: Record<string, string[]> = {
      counter: ['_total', '_created'],
      histogram: ['_bucket', '_sum', '_count', '_created'],
      gaugehistogram: ['_bucket', '_gsum', '_gcount'],
      info: ['_info'],
    };
    const names = (valid[fam.type] ?? ['']).map((x) => fam.name + x);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
    return this.fail(s, a, e, `${list} as sample name in ${fam.type} family '${fam.name}'`, `'${name}'`);
  }

  private newFamily(name: string, type: MetricType): Family {
    const fam = new Family(name, type, this.lineNo);
    this.families.set(name, fam);
    this.familyCount++;
    this.cur = fam;
    return fam;
  }

  private flushPending(): void {
    const cur = this.cur;
    if (cur !== null && !cur.emitted) this.emit(cur);
  }

  private emit(fam: Family): void {
    fam.emitted = true;
    this.visitor.onFamily?.(fam.info());
  }

  // -------------------------------------------------------------------------------------------
  // Comments: HELP, TYPE, UNIT, EOF

  private comment(s: string, a: number, e: number): void {
    if (this.om) this.omComment(s, a, e);
    else this.promComment(s, a, e);
  }

  private promComment(s: string, a: number, e: number): void {
    let p = a + 1;
    let c = p < e ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
    let which: 'HELP' | 'TYPE';
    if (s.startsWith('HELP', p)) which = 'HELP';
    else if (s.startsWith('TYPE', p)) which = 'TYPE';
    else return; // an ordinary comment (this includes '# EOF', tolerated in 0.0.4)
    p += 4;
    c = p < e ? s.charCodeAt(p) : -1;
    if (c !== 32 && c !== 9) return; // a bare '# HELP', or '# HELPER …': an ordinary comment
    while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
    if (p === e) return;
    const ns = p;
    if (!(c < 128 && CT[c]! & NAME_START)) this.fail(s, p, e, `a metric name after '# ${which}'`);
    c = ++p < e ? s.charCodeAt(p) : -1;
    while (c >= 0 && c < 128 && CT[c]! & NAME_CHAR) c = ++p < e ? s.charCodeAt(p) : -1;
    if (p < e && c !== 32 && c !== 9) this.fail(s, p, e, "' ' after the metric name");
    const name = s.slice(ns, p);
    while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
    if (which === 'HELP') {
      const fam = this.meta(s, ns, e, name);
      if (fam.helpSeen) this.fail(s, a, e, `one HELP line for '${name}'`, 'a second one');
      fam.helpSeen = true;
      fam.help = unescape(s, p, e, false, (at) => this.fail(s, at, e, 'an escape sequence \\\\ or \\n in HELP text'));
      return;
    }
    const ts = p;
    while (p < e && (c = s.charCodeAt(p)) !== 32 && c !== 9) p++;
    const type = PROM_TYPES[s.slice(ts, p).toLowerCase()];
    if (type === undefined) this.fail(s, ts, e, 'a metric type (counter, gauge, histogram, summary or untyped)', ts === e ? undefined : `'${s.slice(ts, p)}'`);
    c = p < e ? s.charCodeAt(p) : -1;
    while (c === 32 || c === 9) c = ++p < e ? s.charCodeAt(p) : -1;
    if (p < e) this.fail(s, p, e, 'end of line after the metric type');
    const fam = this.meta(s, ns, e, name);
    this.setType(s, a, e, fam, type);
  }

  private omComment(s: string, a: number, e: number): void {
    if (e - a === 5 && s.startsWith('# EOF', a)) {
      this.eof = true;
      this.flushPending();
      return;
    }
    if (a + 1 >= e || s.charCodeAt(a + 1) !== 32) this.fail(s, a + 1, e, "' ' after '#'");
    let which: 'HELP' | 'TYPE' | 'UNIT';
    if (s.startsWith('HELP ', a + 2)) which = 'HELP';
    else if (s.startsWith('TYPE ', a + 2)) which = 'TYPE';
    else if (s.startsWith('UNIT ', a + 2)) which = 'UNIT';
    else if (s.startsWith('EOF', a + 2)) return this.fail(s, a + 5, e, "end of line after '# EOF'");
    else return this.fail(s, a + 2, e, 'HELP, TYPE, UNIT or EOF (OpenMetrics has no other comments)');
    let p = a + 7;
    const ns = p;
    let c = p < e ? s.charCodeAt(p) : -1;
    if (!(c >= 0 && c < 128 && CT[c]! & NAME_START)) this.fail(s, p, e, `a metric name after '# ${which} '`);
    c = ++p < e ? s.charCodeAt(p) : -1;
    while (c >= 0 && c < 128 && CT[c]! & NAME_CHAR) c = ++p < e ? s.charCodeAt(p) : -1;
    const name = s.slice(ns, p);
    if (p < e) {
      if (c !== 32) this.fail(s, p, e, "' ' after the metric name");
      p++;
    } else if (which === 'TYPE') this.fail(s, p, e, "' ' and a metric type after the metric name");
    const fam = this.meta(s, ns, e, name);
    if (which === 'HELP') {
      if (fam.helpSeen) this.fail(s, a, e, `one HELP line for '${name}'`, 'a second one');
      fam.helpSeen = true;
      fam.help = unescape(s, p, e, true, (at) => this.fail(s, at, e, 'an escape sequence \\\\, \\" or \\n in HELP text'));
    } else if (which === 'TYPE') {
      const type = OM_TYPES[s.slice(p, e)];
      if (type === undefined) {
        this.fail(s, p, e, 'a metric type (counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)', p === e ? undefined : `'${s.slice(p, e)}'`);
      }
      if ((type === 'info' || type === 'stateset') && fam.unit) this.fail(s, p, e, `no ${type} type for '${name}', which has a unit`, `'${type}'`);
      this.setType(s, a, e, fam, type);
    } else {
      if (fam.unitSeen) this.fail(s, a, e, `one UNIT line for '${name}'`, 'a second one');
      const us = p;
      while (p < e && (c = s.charCodeAt(p)) < 128 && CT[c]! & NAME_CHAR) p++;
      if (p < e) this.fail(s, p, e, 'a unit of metric-name characters');
      const unit = s.slice(us, e);
      if (unit !== '' && !(name.length > unit.length + 1 && name.endsWith(unit) && name.charCodeAt(name.length - unit.length - 1) === 95)) {
        this.fail(s, us, e, `a unit that '${name}' ends with (as _${unit})`, `'${unit}'`);
      }
      if (unit !== '' && (fam.type === 'info' || fam.type === 'stateset')) this.fail(s, us, e, `no unit on ${fam.type} family '${name}'`, `'${unit}'`);
      fam.unitSeen = true;
      fam.unit = unit;
    }
  }

  /** The family a metadata line at s[ns…] is about, creating it or switching to it. */
  private meta(s: string, ns: number, e: number, name: string): Family {
    this.lastName = '';
    let fam = this.cur;
    if (fam === null || fam.name !== name) {
      const existing = this.families.get(name);
      this.flushPending();
      if (existing !== undefined) {
        if (this.om) this.fail(s, ns, e, `metadata of each family once, before its samples ('${name}' was started on line ${existing.line})`, `'${name}'`);
        fam = existing;
        this.cur = fam;
      } else {
        fam = this.newFamily(name, this.om ? 'unknown' : 'untyped');
      }
    } else if (this.om && fam.hasSamples) {
      this.fail(s, ns, e, `metadata of '${name}' before its samples`, 'metadata after them');
    }
    return fam;
  }

  private setType(s: string, a: number, e: number, fam: Family, type: MetricType): void {
    if (fam.typeSeen) this.fail(s, a, e, `one TYPE line for '${fam.name}'`, 'a second one');
    if (fam.hasSamples) this.fail(s, a, e, `the TYPE line of '${fam.name}' before its samples`, 'it after them');
    fam.typeSeen = true;
    fam.type = type;
  }
}

function sameRange(s: string, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------

/** Parses a whole body. Throws ExpositionError on malformed input. Format defaults to 'prometheus'. */
export function parseExposition(text: string, visitor: ExpositionVisitor, format: ExpositionFormat = 'prometheus'): ParseStats {
  return parseWith(new ExpositionCore(visitor, format), text);
}

/** Runs a core over a whole body. */
export function parseWith(core: ExpositionCore, text: string): ParseStats {
  const rest = core.lines(text, 0, text.length);
  const partial = rest < text.length;
  if (partial) core.line(text, rest, text.length);
  return core.finish(partial);
}

/**
 * Incremental parsing: push string or byte chunks as they arrive. UTF-8 sequences and lines
 * split across chunks are reassembled; memory held is one partial line plus bookkeeping for
 * the families seen, never the body.
 *
 * Note: names are interned strings, but labelText may be a V8 slice of the chunk it came from;
 * a consumer that keeps it for long should keep a copy (e.g. a concatenated series key).
 */
export class ExpositionStreamParser {
  private readonly core: ExpositionCore;
  private pending = '';
  private carry: Uint8Array | null = null;
  private decoder: TextDecoder | null = null;
  private ended = false;

  constructor(visitor: ExpositionVisitor, format: ExpositionFormat = 'prometheus') {
    this.core = new ExpositionCore(visitor, format);
  }

  push(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('ExpositionStreamParser: push() after end()');
    if (typeof chunk === 'string') this.feed(chunk);
    else this.pushBytes(chunk);
  }

  end(): ParseStats {
    if (this.ended) throw new Error('ExpositionStreamParser: end() called twice');
    this.ended = true;
    if (this.carry !== null) {
      const bytes = this.carry;
      this.carry = null;
      this.utf8Error(bytes, 0, bytes.length);
    }
    const rest = this.pending;
    this.pending = '';
    if (rest.length > 0) this.core.line(rest, 0, rest.length);
    return this.core.finish(rest.length > 0);
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    const core = this.core;
    const nl = text.indexOf('\n');
    if (nl < 0) {
      const wasEmpty = this.pending.length === 0;
      this.pending += text;
      if (wasEmpty) core.checkLineStart(text, 0, text.length);
      return;
    }
    if (this.pending.length > 0) {
      const line = this.pending + text.slice(0, nl);
      this.pending = '';
      core.line(line, 0, line.length);
    } else {
      core.line(text, 0, nl);
    }
    const rest = core.lines(text, nl + 1, text.length);
    if (rest < text.length) {
      this.pending = text.slice(rest);
      core.checkLineStart(text, rest, text.length);
    }
  }

  private pushBytes(bytes: Uint8Array): void {
    let start = 0;
    if (this.carry !== null) {
      // Complete the character split at the previous chunk's end.
      const carry = this.carry;
      const need = seqLength(carry[0]!) - carry.length;
      const take = Math.min(need, bytes.length);
      for (let i = 0; i < take; i++) {
        if ((bytes[i]! & 0xc0) !== 0x80) {
          this.carry = null;
          return this.utf8Error(concat(carry, bytes.subarray(0, i + 1)), 0, carry.length + i + 1);
        }
      }
      const joined = concat(carry, bytes.subarray(0, take));
      if (take < need) {
        this.carry = joined;
        return;
      }
      this.carry = null;
      this.feed(this.decode(joined, 0, joined.length));
      start = take;
    }
    // Cut before a trailing incomplete sequence.
    let cut = bytes.length;
    let k = cut - 1;
    while (k >= start && k > cut - 4 && (bytes[k]! & 0xc0) === 0x80) k--;
    if (k >= start && bytes[k]! >= 0xc0 && cut - k < seqLength(bytes[k]!)) cut = k;
    const text = this.decode(bytes, start, cut);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    this.feed(text);
  }

  private decode(bytes: Uint8Array, start: number, end: number): string {
    if (start === end) return '';
    const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    const dec = (this.decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));
    try {
      return dec.decode(view);
    } catch {
      return this.utf8Error(bytes, start, end);
    }
  }

  /** Invalid UTF-8 in bytes[start, end): parse the valid text before it, then report where it is. */
  private utf8Error(bytes: Uint8Array, start: number, end: number): never {
    const bad = firstInvalidUtf8(bytes, start, end);
    const valid = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, bad));
    this.feed(valid);
    const core = this.core;
    const col = this.pending.length + 1;
    const b = bytes[bad];
    throw new ExpositionError(core.lineNo + 1, col, 'valid UTF-8', b === undefined ? 'a truncated UTF-8 sequence at end of input' : `byte 0x${b.toString(16).padStart(2, '0')}`);
  }
}

function seqLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Index of the first byte that does not start a valid UTF-8 sequence (end if none). */
function firstInvalidUtf8(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) (n = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (n = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (n = 3), (min = 0x10000);
    else return i;
    if (i + n >= end) return i;
    let cp = c & (0x3f >> n);
    for (let j = 1; j <= n; j++) {
      const cc = b[i + j]!;
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return end;
}
