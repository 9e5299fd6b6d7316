// Request templating as REST Client users write it: {{name}} from the scenario's variables and
// the built-ins {{$randomInt min max}} (min included, max excluded), {{$uuid}} and
// {{$timestamp}} (Unix seconds). A template is compiled once; rendering a template without
// placeholders returns the same string every time (no allocation on the hot path).

import { randomUUID } from 'node:crypto';

export class TemplateError extends Error {}

type Part = string | (() => string);

export interface Template {
  /** True when the text has no placeholders. */
  readonly constant: boolean;
  render(): string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function builtin(expr: string, where: string): () => string {
  const [name, ...args] = expr.split(/\s+/);
  switch (name) {
    case '$uuid':
    case '$guid':
      if (args.length) throw new TemplateError(`${where}: {{${name}}} takes no arguments`);
      return randomUUID;
    case '$timestamp':
      if (args.length) throw new TemplateError(`${where}: {{$timestamp}} takes no arguments (offsets are not supported)`);
      return () => String(Math.floor(Date.now() / 1000));
    case '$randomInt': {
      const [lo, hi] = args.map(Number);
      if (args.length !== 2 || !Number.isInteger(lo) || !Number.isInteger(hi) || hi! <= lo!) {
        throw new TemplateError(`${where}: {{$randomInt min max}} needs two integers with min < max (got "{{${expr}}}")`);
      }
      const min = lo!;
      const span = hi! - min;
      return () => String(min + Math.floor(Math.random() * span));
    }
    default:
      throw new TemplateError(`${where}: unknown built-in {{${expr}}} (known: $randomInt min max, $uuid, $timestamp)`);
  }
}

/**
 * Compiles `text`. Unknown variables are an error here rather than a literal "{{x}}" sent a
 * million times. `where` names the field in messages (e.g. "request 2 path").
 */
export function compileTemplate(text: string, variables: Readonly<Record<string, string>> = {}, where = 'template'): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const expr = m[1]!;
    if (m.index! > last) parts.push(text.slice(last, m.index));
    if (expr.startsWith('$')) parts.push(builtin(expr, where));
    else if (Object.prototype.hasOwnProperty.call(variables, expr)) parts.push(variables[expr]!);
    else throw new TemplateError(`${where}: unknown variable {{${expr}}}${Object.keys(variables).length ? ` (known: ${Object.keys(variables).join(', ')})` : ' (no variables defined)'}`);
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  // Adjacent literal parts (from substituted variables) merge, so a template whose only
  // placeholders are variables becomes constant.
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (typeof p === 'string' && typeof prev === 'string') merged[merged.length - 1] = prev + p;
    else merged.push(p);
  }
  if (merged.length === 0) return { constant: true, render: () => '' };
  if (merged.length === 1 && typeof merged[0] === 'string') {
    const s = merged[0];
    return { constant: true, render: () => s };
  }
  return {
    constant: false,
    render() {
      let out = '';
      for (const p of merged) out += typeof p === 'string' ? p : p();
      return out;
    },
  };
}

/** True if the text contains a {{…}} placeholder. */
export function hasPlaceholders(text: string): boolean {
  return /\{\{[^{}]*\}\}/.test(text);
}
