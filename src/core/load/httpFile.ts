// Requests from REST Client style `.http` / `.rest` files, so an existing request collection
// becomes a load test. What is understood:
//
//   @host = http://127.0.0.1:8000          file variables (usable anywhere in the file, may refer to others)
//   ### Forecast for Berlin                separator; its text names the next request
//   # @name forecast                       or a name given this way (wins over the separator's text)
//   # @weight 3                            Pulse's own: relative weight in the mix (default 1)
//   GET {{host}}/api/v1/forecast HTTP/1.1  request line; the method may be left out (GET)
//       ?city=Berlin                       query continuation lines (`?…` / `&…`)
//       &days=3
//   Accept: application/json               headers, until a blank line
//
//   {"city": "{{city}}"}                   body, until the next `###`; a body line `< ./file.json`
//                                          is replaced by that file (`<@ ./f` also substitutes
//                                          variables in it, `<@latin1 ./f` reads it as latin1)
//
// Comments are lines starting with `#` or `//` (outside bodies). `{{name}}` is replaced by the
// file variable, else by `options.variables` (like REST Client's environment; file variables
// win, as in REST Client); anything else is left for the engine's templating at send time and
// listed in `unresolved` (the engine refuses a run with a variable it cannot fill). System
// variables `{{$…}}` are left for the engine (`{{$guid}}` becomes its `{{$uuid}}`); those it does
// not know are reported. Request chaining
// (`{{login.response.body.token}}`), prompts and response handlers do not apply to a load test
// and are reported as warnings. Absolute URLs that share one origin become paths on `baseUrl`.
// No vscode import.

import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { RequestSpec } from './types';

export interface HttpFileOptions {
  /** Path of the `.http` file: body files are resolved against its folder; errors name it. */
  file?: string;
  /** Workspace root: a body file (`< ./x`) outside it is refused. Default: the `.http` file's folder. */
  root?: string;
  /** Values for `{{name}}` that the file does not define (REST Client's environment variables). */
  variables?: Readonly<Record<string, string>>;
  /** Reads a body file (default: the file system, after checking its real path is inside `root`). */
  readFile?: (absPath: string, encoding: BufferEncoding) => string;
}

export interface HttpFileWarning {
  line: number;
  message: string;
}

export interface HttpFileResult {
  requests: RequestSpec[];
  /** 1-based line of each request's request line, parallel to `requests` (for CodeLens / diagnostics). */
  requestLines: number[];
  /** The origin all absolute URLs shared (their paths are then relative to it), or null. */
  baseUrl: string | null;
  /** File variables with references resolved. */
  fileVariables: Record<string, string>;
  /** `{{name}}` references left for the engine's templating (not system variables). */
  unresolved: string[];
  warnings: HttpFileWarning[];
}

export class HttpFileError extends Error {
  constructor(
    readonly detail: string,
    /** 1-based line, when the problem has one. */
    readonly line: number | null,
    readonly file?: string,
  ) {
    super(file ? `${path.basename(file)}${line !== null ? `:${line}` : ''}: ${detail}` : line !== null ? `line ${line}: ${detail}` : detail);
    this.name = 'HttpFileError';
  }
}

/** System variables the engine's templating understands; others are reported. */
export const ENGINE_SYSTEM_VARIABLES = ['$randomInt', '$uuid', '$timestamp'] as const;

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'LOCK', 'UNLOCK', 'PROPFIND', 'PROPPATCH', 'COPY', 'MOVE', 'MKCOL', 'MKCALENDAR', 'ACL', 'SEARCH', 'QUERY']);
const SEPARATOR = /^\s*#{3,}(.*)$/;
const COMMENT = /^\s*(#|\/\/)/;
const METADATA = /^\s*(?:#|\/\/)\s*@([A-Za-z][\w-]*)(?:\s*=\s*|\s+|$)(.*)$/;
const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/;
const HTTP_VERSION = /\s+HTTP\/\d(?:\.\d)?\s*$/i;
const BODY_FILE = /^<(?:@(\w*))?\s+(.+?)\s*$/;
/** A URL without scheme: localhost, a dotted name or address, or anything with a port. */
const BARE_HOST = /^(localhost|[\w-]+(\.[\w-]+)+|[\w.-]+:\d+)(:\d+)?([/?]|$)/i;
const REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;

interface RawRequest {
  line: number;
  name?: string;
  weight?: number;
  method: string;
  url: string;
  headers: { name: string; value: string; line: number }[];
  body: { text: string; line: number }[];
}

interface VariableDef {
  raw: string;
  line: number;
}

/** Parses the text of a `.http` / `.rest` file. Throws HttpFileError (with a line) on what it cannot read. */
export function parseHttpFile(text: string, options: HttpFileOptions = {}): HttpFileResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const warnings: HttpFileWarning[] = [];
  const warn = (line: number, message: string) => {
    if (!warnings.some((w) => w.message === message)) warnings.push({ line, message });
  };
  const fail = (line: number | null, message: string): never => {
    throw new HttpFileError(message, line, options.file);
  };

  const defs = new Map<string, VariableDef>();
  const raws = splitRequests(lines, defs, warn, fail);

  const subst = new Substituter(defs, options.variables ?? {}, warn, fail);
  const requests: RequestSpec[] = [];
  const requestLines: number[] = [];
  const origins = new Map<string, number>();
  const urls: { origin: string | null; rest: string }[] = [];

  for (const raw of raws) {
    const url = subst.apply(raw.url, raw.line);
    const split = splitUrl(url, raw.line, fail);
    if (split.origin) origins.set(split.origin, (origins.get(split.origin) ?? 0) + 1);
    urls.push(split);

    const headers: Record<string, string> = {};
    const canonical = new Map<string, string>();
    for (const h of raw.headers) {
      const value = subst.apply(h.value, h.line);
      const key = h.name.toLowerCase();
      const existing = canonical.get(key);
      if (existing === undefined) {
        canonical.set(key, h.name);
        headers[h.name] = value;
      } else {
        headers[existing] = `${headers[existing]}${key === 'cookie' ? '; ' : ', '}${value}`;
      }
    }

    let body = bodyOf(raw, headers, subst, options, fail);
    const typeKey = canonical.get('x-request-type');
    if (typeKey && headers[typeKey]!.toLowerCase() === 'graphql') {
      delete headers[typeKey];
      body = graphqlBody(body ?? '', raw, fail);
      if (!canonical.has('content-type')) headers['Content-Type'] = 'application/json';
    }

    const spec: RequestSpec = { method: raw.method, path: split.rest };
    if (raw.name !== undefined) spec.name = raw.name;
    if (Object.keys(headers).length) spec.headers = headers;
    if (body !== undefined) spec.body = body;
    if (raw.weight !== undefined) spec.weight = raw.weight;
    requests.push(spec);
    requestLines.push(raw.line);
  }

  if (requests.length === 0) fail(null, 'no requests found (a request line looks like `GET http://127.0.0.1:8000/path`)');

  let baseUrl: string | null = null;
  if (origins.size === 1) {
    baseUrl = [...origins.keys()][0]!;
    requests.forEach((r, i) => {
      const u = urls[i]!;
      r.path = u.rest;
    });
  } else {
    requests.forEach((r, i) => {
      const u = urls[i]!;
      r.path = u.origin ? u.origin + u.rest : u.rest;
    });
    if (origins.size > 1) warn(requestLines[0]!, `requests go to ${origins.size} origins (${[...origins.keys()].join(', ')}); their URLs stay absolute`);
  }

  return { requests, requestLines, baseUrl, fileVariables: subst.resolvedFileVariables(), unresolved: subst.unresolvedNames(), warnings };
}

/** Reads and parses a `.http` / `.rest` file. */
export async function loadHttpFile(file: string, options: Omit<HttpFileOptions, 'file'> = {}): Promise<HttpFileResult> {
  const { readFile } = await import('node:fs/promises');
  const abs = path.resolve(file);
  const text = await readFile(abs, 'utf8');
  return parseHttpFile(text, { ...options, file: abs });
}

// --- structure ---------------------------------------------------------------------------

function splitRequests(
  lines: string[],
  defs: Map<string, VariableDef>,
  warn: (line: number, message: string) => void,
  fail: (line: number | null, message: string) => never,
): RawRequest[] {
  const out: RawRequest[] = [];
  let state: 'pre' | 'query' | 'headers' | 'body' | 'skip' = 'pre';
  let current: RawRequest | null = null;
  let pendingName: string | undefined;
  let pendingWeight: number | undefined;
  let handler = false;

  const finish = () => {
    if (current) {
      while (current.body.length && current.body[current.body.length - 1]!.text.trim() === '') current.body.pop();
      out.push(current);
    }
    current = null;
    pendingName = undefined;
    pendingWeight = undefined;
    handler = false;
    state = 'pre';
  };

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const n = i + 1;
    const sep = SEPARATOR.exec(text);
    if (sep) {
      finish();
      const title = sep[1]!.trim();
      if (title) pendingName = title;
      continue;
    }
    if (state === 'skip') continue;

    if (state === 'pre') {
      if (text.trim() === '') continue;
      const meta = METADATA.exec(text);
      if (meta) {
        const key = meta[1]!.toLowerCase();
        const value = meta[2]!.trim();
        if (key === 'name') {
          if (!value) fail(n, '`@name` needs a name');
          pendingName = value;
        } else if (key === 'weight') {
          const w = Number(value);
          if (!value || !Number.isFinite(w) || w <= 0) fail(n, `\`@weight\` must be a positive number, got '${value}'`);
          pendingWeight = w;
        } else if (key === 'prompt') {
          warn(n, `prompt variables cannot be answered in a load test: {{${value.split(/\s+/)[0]}}} stays for the scenario's variables`);
        }
        continue;
      }
      if (COMMENT.test(text)) continue;
      const v = FILE_VARIABLE.exec(text);
      if (v) {
        const name = v[1]!;
        const prev = defs.get(name);
        if (prev) warn(n, `@${name} is defined twice (lines ${prev.line} and ${n}); the last one counts`);
        defs.set(name, { raw: v[2]!, line: n });
        continue;
      }
      const trimmed = text.trim();
      if (/^curl\s/i.test(trimmed)) {
        warn(n, 'cURL requests are not read; rewrite it as `METHOD URL` to include it');
        state = 'skip';
        continue;
      }
      current = { line: n, method: 'GET', url: '', headers: [], body: [] };
      if (pendingName !== undefined) current.name = pendingName;
      if (pendingWeight !== undefined) current.weight = pendingWeight;
      const withoutVersion = trimmed.replace(HTTP_VERSION, '');
      const m = /^([A-Za-z]+)\s+(\S.*)$/.exec(withoutVersion);
      if (m && METHODS.has(m[1]!.toUpperCase())) {
        current.method = m[1]!.toUpperCase();
        current.url = m[2]!.trim();
      } else if (/^(https?:\/\/|\/|\{\{)/i.test(withoutVersion) || BARE_HOST.test(withoutVersion)) {
        if (/\s/.test(withoutVersion)) fail(n, `expected a request line (METHOD URL), got '${trimmed}'`);
        current.url = withoutVersion;
      } else {
        fail(n, `expected a request line (METHOD URL), got '${trimmed}'`);
      }
      state = 'query';
      continue;
    }

    const req = current!;
    if (state === 'query') {
      const t = text.trim();
      if (t.startsWith('?') || t.startsWith('&')) {
        req.url += t;
        continue;
      }
      state = 'headers';
    }
    if (state === 'headers') {
      if (text.trim() === '') {
        state = 'body';
        continue;
      }
      if (COMMENT.test(text)) continue;
      const h = HEADER.exec(text.trim());
      if (!h) fail(n, `expected a header (Name: value) or a blank line before the body, got '${text.trim()}'`);
      req.headers.push({ name: h[1]!, value: h[2]!, line: n });
      continue;
    }
    // body
    if (handler) {
      if (text.includes('%}')) handler = false;
      continue;
    }
    if (/^>\s*\{%/.test(text)) {
      warn(n, 'response handler scripts are ignored in load tests');
      handler = !text.includes('%}', text.indexOf('{%') + 2);
      continue;
    }
    if (/^>\s+\S/.test(text) || /^<>\s/.test(text)) {
      warn(n, 'response handler scripts are ignored in load tests');
      continue;
    }
    if (req.body.length === 0 && text.trim() === '') continue;
    req.body.push({ text, line: n });
  }
  finish();
  return out;
}

function splitUrl(url: string, line: number, fail: (line: number | null, message: string) => never): { origin: string | null; rest: string } {
  let u = url.replace(/#.*$/, '');
  if (u.startsWith('/')) return { origin: null, rest: u };
  if (u.startsWith('{{')) {
    const name = /^\{\{\s*([^{}]*?)\s*\}\}/.exec(u)?.[1] ?? '';
    fail(line, `the URL starts with {{${name}}}, which is not defined: define \`@${name} = http://127.0.0.1:8000\` in the file or give it in the scenario's variables`);
  }
  if (!/^https?:\/\//i.test(u)) {
    if (BARE_HOST.test(u)) u = `http://${u}`;
    else fail(line, `the URL must be absolute (http://…) or a path starting with /, got '${url}'`);
  }
  const m = /^(https?:\/\/[^/?#]*)(.*)$/i.exec(u)!;
  const originText = m[1]!;
  if (originText.includes('{{')) fail(line, `the URL's host has an undefined variable: ${originText}`);
  let origin: string;
  try {
    origin = new URL(originText).origin;
  } catch {
    return fail(line, `'${originText}' is not a valid URL origin`);
  }
  let rest = m[2]!;
  if (!rest.startsWith('/')) rest = `/${rest}`;
  return { origin, rest };
}

// --- bodies ------------------------------------------------------------------------------

function bodyOf(
  raw: RawRequest,
  headers: Record<string, string>,
  subst: Substituter,
  options: HttpFileOptions,
  fail: (line: number | null, message: string) => never,
): string | undefined {
  if (raw.body.length === 0) return undefined;
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  // Multipart framing needs CRLF (REST Client sends multipart bodies with CRLF too).
  const eol = /^multipart\//i.test(contentType) ? '\r\n' : '\n';
  const parts: string[] = [];
  for (const { text, line } of raw.body) {
    const ref = BODY_FILE.exec(text);
    if (!ref) {
      parts.push(subst.apply(text, line));
      continue;
    }
    const processVariables = ref[1] !== undefined;
    const encoding = (ref[1] || 'utf8').toLowerCase();
    if (!Buffer.isEncoding(encoding)) fail(line, `unknown encoding '${ref[1]}' for the body file`);
    const content = readBodyFile(ref[2]!, encoding as BufferEncoding, line, options, fail);
    parts.push(processVariables ? subst.apply(content, line) : content);
  }
  return parts.join(eol);
}

function readBodyFile(
  ref: string,
  encoding: BufferEncoding,
  line: number,
  options: HttpFileOptions,
  fail: (line: number | null, message: string) => never,
): string {
  if (!options.file) fail(line, `a body file (< ${ref}) needs the .http file's path to be resolved`);
  const dir = path.dirname(path.resolve(options.file!));
  const root = path.resolve(options.root ?? dir);
  const abs = path.resolve(dir, ref);
  if (!isInside(root, abs)) fail(line, `the body file ${ref} is outside the workspace folder (${root}); it is not read`);
  if (options.readFile) {
    try {
      return options.readFile(abs, encoding);
    } catch (e) {
      return fail(line, `cannot read the body file ${ref}: ${(e as Error).message}`);
    }
  }
  try {
    // A symbolic link inside the root could still point out of it.
    const real = realpathSync(abs);
    if (!isInside(realpathSync(root), real)) fail(line, `the body file ${ref} links outside the workspace folder (${root}); it is not read`);
    return readFileSync(real, encoding);
  } catch (e) {
    if (e instanceof HttpFileError) throw e;
    const err = e as NodeJS.ErrnoException;
    return fail(line, `cannot read the body file ${ref}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function graphqlBody(body: string, raw: RawRequest, fail: (line: number | null, message: string) => never): string {
  const norm = body.replace(/\r\n/g, '\n');
  const split = /\n\s*\n/.exec(norm);
  const query = (split ? norm.slice(0, split.index) : norm).trim();
  const varsText = split ? norm.slice(split.index + split[0].length).trim() : '';
  const out: { query: string; variables?: unknown } = { query };
  if (varsText) {
    try {
      out.variables = JSON.parse(varsText);
    } catch (e) {
      fail(raw.body[0]?.line ?? raw.line, `the GraphQL variables are not valid JSON: ${(e as Error).message}`);
    }
  }
  return JSON.stringify(out);
}

// --- variables ---------------------------------------------------------------------------

class Substituter {
  private readonly resolved = new Map<string, string>();
  private readonly unresolved = new Set<string>();

  constructor(
    private readonly defs: Map<string, VariableDef>,
    private readonly env: Readonly<Record<string, string>>,
    private readonly warn: (line: number, message: string) => void,
    private readonly fail: (line: number | null, message: string) => never,
  ) {}

  apply(text: string, line: number, visiting: string[] = []): string {
    return text.replace(REFERENCE, (whole, inner: string) => {
      const name = inner.trim();
      if (name.startsWith('$')) return this.system(name, line);
      if (/\.(response|request)\./.test(name)) {
        this.warn(line, `request variables such as {{${name}}} are not supported in load tests; the reference is sent as written`);
        return whole;
      }
      if (this.defs.has(name)) return this.fileVariable(name, visiting);
      if (Object.prototype.hasOwnProperty.call(this.env, name)) return this.env[name]!;
      this.unresolved.add(name);
      return whole;
    });
  }

  private fileVariable(name: string, visiting: string[]): string {
    const done = this.resolved.get(name);
    if (done !== undefined) return done;
    const def = this.defs.get(name)!;
    if (visiting.includes(name)) this.fail(def.line, `@${name} refers to itself (${[...visiting.slice(visiting.indexOf(name)), name].join(' → ')})`);
    const value = this.apply(def.raw, def.line, [...visiting, name]);
    this.resolved.set(name, value);
    return value;
  }

  private system(name: string, line: number): string {
    const [head, ...args] = name.split(/\s+/);
    const rest = args.length ? ` ${args.join(' ')}` : '';
    if (head === '$guid') return `{{$uuid${rest}}}`;
    if (!(ENGINE_SYSTEM_VARIABLES as readonly string[]).includes(head!)) {
      this.warn(line, `Pulse's templating has no {{${head}}} (it knows {{$randomInt min max}}, {{$uuid}}, {{$timestamp}}); a load test cannot send this request`);
    }
    return `{{${name}}}`;
  }

  resolvedFileVariables(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.defs.keys()) out[name] = this.fileVariable(name, []);
    return out;
  }

  unresolvedNames(): string[] {
    return [...this.unresolved].sort();
  }
}
