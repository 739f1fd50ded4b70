import { JavaException, Value, VList, VMap } from './values';

/**
 * The JSONPath subset of Jayway JsonPath that mapping templates use in `$input.path` /
 * `$input.json`: `$`, `.name`, `['name']`, `["name"]`, `[0]`, `[-1]`, `[0,2]`, `[1:3]`, `[*]`,
 * `.*`, `..name`. A path without a leading `$` gets `$.` prepended, as Jayway does. Filters
 * (`[?(...)]`) and functions (`.length()`) are rejected with an error.
 *
 * A "definite" path (names and single indexes only) yields one value or nothing; any other path
 * yields a JSONArray of every match (possibly empty), as Jayway does.
 */

type Segment =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'indexes'; readonly indexes: number[] }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'scan'; readonly then: Segment };

interface CompiledPath {
  readonly segments: Segment[];
  readonly definite: boolean;
}

const cache = new Map<string, CompiledPath>();

function invalid(path: string, why: string): never {
  throw new JavaException('com.jayway.jsonpath.InvalidPathException', `${why} in JSONPath "${path}"`);
}

function compile(original: string): CompiledPath {
  const cached = cache.get(original);
  if (cached) return cached;
  const trimmed = original.trim();
  if (trimmed.length === 0) invalid(original, 'empty path');
  const path = trimmed.startsWith('$') ? trimmed : `$.${trimmed}`;
  const segments: Segment[] = [];
  let i = 1;

  const readName = (): string => {
    const start = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[' && path[i] !== '(') i++;
    if (path[i] === '(') invalid(original, 'JSONPath functions are not supported');
    const name = path.slice(start, i);
    if (name.length === 0) invalid(original, `empty property name at ${start}`);
    return name;
  };

  const readBracket = (): Segment => {
    const close = path.indexOf(']', i);
    if (close < 0) invalid(original, 'missing "]"');
    // A quoted name may contain "]": find the real closing bracket after the quotes.
    let end = close;
    const first = path[i + 1];
    if (first === "'" || first === '"') {
      let j = i + 1;
      const names: string[] = [];
      for (;;) {
        const q = path[j];
        if (q !== "'" && q !== '"') invalid(original, 'expected a quoted property name');
        const endQuote = path.indexOf(q, j + 1);
        if (endQuote < 0) invalid(original, 'unterminated quoted property name');
        names.push(path.slice(j + 1, endQuote));
        j = endQuote + 1;
        while (path[j] === ' ') j++;
        if (path[j] === ',') {
          j++;
          while (path[j] === ' ') j++;
          continue;
        }
        if (path[j] !== ']') invalid(original, 'expected "]" after a property name');
        end = j;
        break;
      }
      i = end + 1;
      if (names.length > 1) invalid(original, 'selecting several properties at once is not supported');
      return { kind: 'name', name: names[0] };
    }
    const inner = path.slice(i + 1, end).trim();
    i = end + 1;
    if (inner === '*') return { kind: 'wildcard' };
    if (inner.startsWith('?')) invalid(original, 'JSONPath filters are not supported');
    const slice = /^(-?\d*)\s*:\s*(-?\d*)$/.exec(inner);
    if (slice) {
      return { kind: 'slice', start: slice[1] === '' ? undefined : Number(slice[1]), end: slice[2] === '' ? undefined : Number(slice[2]) };
    }
    if (/^-?\d+(\s*,\s*-?\d+)*$/.test(inner)) return { kind: 'indexes', indexes: inner.split(',').map((x) => Number(x.trim())) };
    return invalid(original, `unsupported selector [${inner}]`);
  };

  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') {
        i += 2;
        let then: Segment;
        if (path[i] === '[') then = readBracket();
        else if (path[i] === '*') {
          i++;
          then = { kind: 'wildcard' };
        } else then = { kind: 'name', name: readName() };
        segments.push({ kind: 'scan', then });
        continue;
      }
      i++;
      if (path[i] === '*') {
        i++;
        segments.push({ kind: 'wildcard' });
      } else if (path[i] === '[') {
        segments.push(readBracket());
      } else {
        segments.push({ kind: 'name', name: readName() });
      }
      continue;
    }
    if (c === '[') {
      segments.push(readBracket());
      continue;
    }
    invalid(original, `unexpected "${c}" at ${i}`);
  }
  const definite = segments.every((s) => s.kind === 'name' || (s.kind === 'indexes' && s.indexes.length === 1));
  const compiled = { segments, definite };
  if (cache.size > 500) cache.clear();
  cache.set(original, compiled);
  return compiled;
}

function apply(segment: Segment, node: Value, out: Value[]): void {
  switch (segment.kind) {
    case 'name':
      if (node instanceof VMap && node.has(segment.name)) out.push(node.get(segment.name));
      return;
    case 'indexes':
      if (node instanceof VList) {
        for (const raw of segment.indexes) {
          const index = raw < 0 ? node.items.length + raw : raw;
          if (index >= 0 && index < node.items.length) out.push(node.items[index]);
        }
      }
      return;
    case 'slice':
      if (node instanceof VList) {
        const len = node.items.length;
        const norm = (n: number) => (n < 0 ? Math.max(0, len + n) : Math.min(n, len));
        const from = segment.start === undefined ? 0 : norm(segment.start);
        const to = segment.end === undefined ? len : norm(segment.end);
        out.push(...node.items.slice(from, Math.max(from, to)));
      }
      return;
    case 'wildcard':
      if (node instanceof VMap) out.push(...node.values());
      else if (node instanceof VList) out.push(...node.items);
      return;
    case 'scan': {
      const visit = (n: Value) => {
        apply(segment.then, n, out);
        const children = n instanceof VMap ? n.values() : n instanceof VList ? n.items : [];
        for (const child of children) if (child instanceof VMap || child instanceof VList) visit(child);
      };
      visit(node);
      return;
    }
  }
}

/** Evaluates a JSONPath. `found: false` means a definite path had no value (Jayway: PathNotFound). */
export function evaluateJsonPath(document: Value, path: string): { found: boolean; value: Value } {
  const compiled = compile(path);
  let current: Value[] = [document];
  for (const segment of compiled.segments) {
    const next: Value[] = [];
    for (const node of current) apply(segment, node, next);
    current = next;
  }
  if (compiled.definite) return current.length > 0 ? { found: true, value: current[0] } : { found: false, value: null };
  return { found: true, value: new VList(current, 'json') };
}
