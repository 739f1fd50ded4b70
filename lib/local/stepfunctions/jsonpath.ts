/**
 * The JSONPath Step Functions uses (JSONPath query language): `$`, `.name`, `['name']`, `[n]` (negative
 * from the end), `[*]`, `..name`, `[a,b]`, `[start:end]` and filters `[?(@.x == 'v')]`, `[?(@.x)]`. A path
 * with a wildcard, descent, slice, union or filter selects a list; a plain one a single value.
 */
import { StatesError } from './errors';

type Segment =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'descent'; readonly name: string | undefined }
  | { readonly kind: 'union'; readonly keys: Array<string | number> }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly kind: 'filter'; readonly path: Segment[]; readonly op?: string; readonly value?: unknown };

const parsed = new Map<string, Segment[]>();

function fail(path: string, why: string): never {
  throw new StatesError('States.Runtime', `Invalid JSONPath ${JSON.stringify(path)}: ${why}`);
}

function quoted(src: string, at: number, path: string): { value: string; next: number } {
  const q = src[at];
  let out = '';
  let i = at + 1;
  while (i < src.length && src[i] !== q) {
    if (src[i] === '\\' && i + 1 < src.length) i++;
    out += src[i++];
  }
  if (src[i] !== q) fail(path, 'unterminated quoted name');
  return { value: out, next: i + 1 };
}

function parseLiteral(text: string, path: string): unknown {
  const t = text.trim();
  if (/^'.*'$/s.test(t) || /^".*"$/s.test(t)) return quoted(t, 0, path).value;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return fail(path, `unsupported filter value ${t}`);
}

/** The path after `$` (or `@`), as segments. */
function segments(src: string, path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  const name = (): string => {
    const m = /^[^.[\]\s]+/.exec(src.slice(i));
    if (!m) fail(path, `a name is expected at ${i + 1}`);
    i += m[0].length;
    return m[0];
  };
  while (i < src.length) {
    if (src.startsWith('..', i)) {
      i += 2;
      if (src[i] === '*') { i++; out.push({ kind: 'descent', name: undefined }); } else out.push({ kind: 'descent', name: name() });
    } else if (src[i] === '.') {
      i++;
      if (src[i] === '*') { i++; out.push({ kind: 'wildcard' }); } else out.push({ kind: 'name', name: name() });
    } else if (src[i] === '[') {
      const close = findClose(src, i, path);
      const inner = src.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') out.push({ kind: 'wildcard' });
      else if (inner.startsWith('?(') && inner.endsWith(')')) out.push(filterSegment(inner.slice(2, -1), path));
      else if (/^-?\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*(:-?\d*)?$/.test(inner)) {
        const [a, b, c] = inner.split(':').map((x) => (x === '' || x === undefined ? undefined : Number(x)));
        out.push({ kind: 'slice', start: a, end: b, step: c });
      } else {
        const keys: Array<string | number> = [];
        for (const part of splitTopLevel(inner)) {
          const p = part.trim();
          if (/^-?\d+$/.test(p)) keys.push(Number(p));
          else if (/^['"]/.test(p)) keys.push(quoted(p, 0, path).value);
          else fail(path, `unsupported bracket expression [${inner}]`);
        }
        out.push(keys.length === 1 ? (typeof keys[0] === 'number' ? { kind: 'index', index: keys[0] } : { kind: 'name', name: keys[0] }) : { kind: 'union', keys });
      }
    } else fail(path, `unexpected ${JSON.stringify(src[i])} at ${i + 1}`);
  }
  return out;
}

function findClose(src: string, open: number, path: string): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'" || c === '"') { i = quoted(src, i, path).next - 1; continue; }
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') { depth--; if (depth === 0 && c === ']') return i; }
  }
  return fail(path, 'unclosed [');
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const c of s) {
    if (q) { cur += c; if (c === q) q = undefined; continue; }
    if (c === "'" || c === '"') { q = c; cur += c; continue; }
    if (c === ',') { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

function filterSegment(expr: string, path: string): Segment {
  const m = /^@((?:\.[^.\s=!<>[\]]+|\[[^\]]*\])*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/s.exec(expr.trim());
  if (!m) return fail(path, `unsupported filter ?(${expr})`);
  const sub = segments(m[1], path);
  if (!m[2]) return { kind: 'filter', path: sub };
  return { kind: 'filter', path: sub, op: m[2], value: parseLiteral(m[3], path) };
}

/** The parsed path (`$...`), cached. */
function compile(path: string): Segment[] {
  let segs = parsed.get(path);
  if (!segs) {
    if (!path.startsWith('$')) fail(path, 'a path starts with $');
    segs = segments(path.slice(1), path);
    parsed.set(path, segs);
  }
  return segs;
}

/** Whether the path selects a list (wildcards, descent, slices, unions, filters) rather than one value. */
export function isDefinitePath(path: string): boolean {
  return compile(path).every((s) => s.kind === 'name' || s.kind === 'index');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function step(values: unknown[], seg: Segment): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (seg.kind) {
      case 'name':
        if (isObject(v) && Object.prototype.hasOwnProperty.call(v, seg.name)) out.push(v[seg.name]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          const i = seg.index < 0 ? v.length + seg.index : seg.index;
          if (i >= 0 && i < v.length) out.push(v[i]);
        }
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'union':
        for (const k of seg.keys) out.push(...step([v], typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k }));
        break;
      case 'slice':
        if (Array.isArray(v)) {
          const len = v.length;
          const norm = (x: number | undefined, d: number): number => (x === undefined ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
          const by = seg.step ?? 1;
          if (by > 0) for (let i = norm(seg.start, 0); i < norm(seg.end, len); i += by) out.push(v[i]);
        }
        break;
      case 'descent': {
        const walk = (x: unknown): void => {
          if (isObject(x)) {
            if (seg.name === undefined) out.push(...Object.values(x));
            else if (Object.prototype.hasOwnProperty.call(x, seg.name)) out.push(x[seg.name]);
            Object.values(x).forEach(walk);
          } else if (Array.isArray(x)) {
            if (seg.name === undefined) out.push(...x);
            x.forEach(walk);
          }
        };
        walk(v);
        break;
      }
      case 'filter': {
        const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
        for (const item of items) {
          const found = seg.path.reduce<unknown[]>((acc, s) => step(acc, s), [item]);
          if (seg.op === undefined) { if (found.length > 0) out.push(item); continue; }
          if (found.length === 0) continue;
          const a = found[0] as never;
          const b = seg.value as never;
          const ok = seg.op === '==' ? a === b : seg.op === '!=' ? a !== b : seg.op === '<' ? a < b : seg.op === '<=' ? a <= b : seg.op === '>' ? a > b : a >= b;
          if (ok) out.push(item);
        }
        break;
      }
    }
  }
  return out;
}

/** What `path` selects in `data`: `{ found: false }` when a definite path names nothing. */
export function queryPath(data: unknown, path: string): { found: true; value: unknown } | { found: false } {
  const segs = compile(path);
  const values = segs.reduce<unknown[]>((acc, s) => step(acc, s), [data]);
  if (isDefinitePath(path)) return values.length === 0 ? { found: false } : { found: true, value: values[0] };
  return { found: true, value: values };
}

/**
 * A copy of `data` with `value` at the reference path `path` (ResultPath): `$` replaces it; the objects
 * on the way are created; a step through a value that is not an object is an error.
 */
export function setAtPath(data: unknown, path: string, value: unknown): unknown {
  const segs = compile(path);
  if (segs.length === 0) return value;
  if (!isDefinitePath(path)) throw new StatesError('States.Runtime', `ResultPath ${path} must be a reference path (names and indexes only)`);
  const put = (target: unknown, i: number): unknown => {
    const seg = segs[i] as { kind: 'name'; name: string } | { kind: 'index'; index: number };
    if (seg.kind === 'index') {
      if (!Array.isArray(target)) throw new StatesError('States.Runtime', `ResultPath ${path}: the value at step ${i + 1} is not an array`);
      const copy = [...target];
      const at = seg.index < 0 ? copy.length + seg.index : seg.index;
      if (at < 0 || at >= copy.length) throw new StatesError('States.Runtime', `ResultPath ${path}: index ${seg.index} is out of range`);
      copy[at] = i === segs.length - 1 ? value : put(copy[at], i + 1);
      return copy;
    }
    if (target !== undefined && !isObject(target)) {
      throw new StatesError('States.Runtime', `Unable to apply ResultPath ${path}: the value at ${JSON.stringify(seg.name)}'s parent is not a JSON object`);
    }
    const copy: Record<string, unknown> = { ...(target ?? {}) };
    copy[seg.name] = i === segs.length - 1 ? value : put(copy[seg.name], i + 1);
    return copy;
  };
  return put(data, 0);
}
