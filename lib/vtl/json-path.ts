import { javaMatches } from './java-regex';
import { isJavaNumber, JavaException, JBigDecimal, JDouble, toDouble, toJavaString, Value, VList, VMap } from './values';

/**
 * JSONPath as Jayway JsonPath evaluates it for `$input.path` / `$input.json` (API Gateway links
 * "JSONPath for Java (jayway)"; which release it runs is not documented). The behaviour here is
 * Jayway 2.x with its default configuration (no ALWAYS_RETURN_LIST, no SUPPRESS_EXCEPTIONS, no
 * DEFAULT_PATH_LEAF_TO_NULL, no REQUIRE_PROPERTIES), checked against json-path 2.10.0 on the JVM.
 * Where releases differ, this follows 2.x:
 *
 * - A path without a leading `$` gets `$.` prepended.
 * - Definite path (only single names and single indexes, or several quoted names as the last step):
 *   one value, or PathNotFound (`found: false`) when a step is missing. Several names as the last step
 *   (`$['a','b']`) give a map of the names found.
 * - Any other path (`..`, `*`, filters, slices, several indexes): a JSONArray of every match, possibly
 *   empty; a missing leaf under a wildcard or filter is skipped, not null (1.x and the
 *   DEFAULT_PATH_LEAF_TO_NULL option differ). A property missing before the first indefinite step is
 *   PathNotFound even then (`$.missing[*]`), and so is an index or slice of something that is not an
 *   array there (`$[0]` of an object).
 * - Filters `[?(...)]`: `@` (current item) and `$` (document) paths, `== != < <= > >=`, `=~ /re/flags`
 *   (Java regex, whole value must match), `in nin subsetof anyof noneof size empty contains`, `&&`,
 *   `||`, `!`, parentheses; `[?(@.x)]` is true when x exists (even as null or false). A filter on an
 *   object tests the object itself. `<`/`>` compare numbers with numbers and strings with strings only;
 *   `==` compares a number with a numeric string by value.
 * - Functions as the last step: `length()`/`size()` (of an array or object; null otherwise),
 *   `min() max() avg() sum() stddev()` (Double, over the numbers of an array; an error when it has none).
 *   After a definite path the function gets that value; after an indefinite one it is applied to each
 *   match (2.x), giving a list. A function after `..` is refused: 2.x rewrites such paths
 *   (invertScannerFunctionRelationship) with results that changed between releases.
 * Constructs outside this list throw an error naming the construct rather than guessing.
 */

type FilterExpr =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly operand: FilterExpr }
  | { readonly kind: 'exists'; readonly path: Operand }
  | { readonly kind: 'compare'; readonly op: string; readonly left: Operand; readonly right: Operand };

type Operand =
  | { readonly kind: 'path'; readonly relative: boolean; readonly path: CompiledPath }
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'list'; readonly items: Value[] }
  | { readonly kind: 'regex'; readonly pattern: string };

type Segment =
  | { readonly kind: 'names'; readonly names: string[] }
  | { readonly kind: 'indexes'; readonly indexes: number[] }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'filter'; readonly filter: FilterExpr }
  | { readonly kind: 'scan'; readonly then: Segment }
  | { readonly kind: 'function'; readonly name: string };

interface CompiledPath {
  readonly segments: Segment[];
  readonly definite: boolean;
}

const FUNCTIONS = new Set(['length', 'size', 'min', 'max', 'avg', 'sum', 'stddev']);

const cache = new Map<string, CompiledPath>();

function invalid(path: string, why: string): never {
  throw new JavaException('com.jayway.jsonpath.InvalidPathException', `${why} in JSONPath "${path}"`);
}

function unsupported(path: string, what: string): never {
  throw new JavaException('com.jayway.jsonpath.InvalidPathException', `${what} is not supported by this renderer in JSONPath "${path}"`);
}

/** Reads a path starting at `text[start]` (`$` or `@`); `stop` ends it (for paths inside filters). */
class PathReader {
  public i: number;

  constructor(private readonly original: string, private readonly text: string, start: number, private readonly inFilter = false) {
    this.i = start + 1;
  }

  public read(stopAt: (i: number) => boolean): CompiledPath {
    const path = this.text;
    const segments: Segment[] = [];
    while (this.i < path.length && !stopAt(this.i)) {
      const c = path[this.i];
      if (c === '.') {
        if (path[this.i + 1] === '.') {
          this.i += 2;
          let then: Segment;
          if (path[this.i] === '[') then = this.readBracket();
          else if (path[this.i] === '*') {
            this.i++;
            then = { kind: 'wildcard' };
          } else then = this.readName();
          if (then.kind === 'function') unsupported(this.original, 'a function right after ".."');
          segments.push({ kind: 'scan', then });
          continue;
        }
        this.i++;
        if (path[this.i] === '*') {
          this.i++;
          segments.push({ kind: 'wildcard' });
        } else if (path[this.i] === '[') {
          segments.push(this.readBracket());
        } else {
          segments.push(this.readName());
        }
        continue;
      }
      if (c === '[') {
        segments.push(this.readBracket());
        continue;
      }
      invalid(this.original, `unexpected "${c}" at ${this.i}`);
    }
    const fn = segments.findIndex((s) => s.kind === 'function');
    if (fn >= 0 && fn !== segments.length - 1) unsupported(this.original, 'a step after a function');
    if (fn >= 0 && segments.some((s) => s.kind === 'scan')) {
      unsupported(this.original, 'a function after ".." (Jayway rewrites such paths, with results that differ between releases)');
    }
    segments.forEach((s, k) => {
      if (s.kind === 'scan' && s.then.kind === 'wildcard' && k < segments.length - 1) {
        unsupported(this.original, '"..*" followed by more steps (Jayway 2.x returns nothing for it)');
      }
      if (s.kind === 'scan' && s.then.kind === 'indexes' && segments[k + 1]?.kind === 'filter') {
        unsupported(this.original, 'an index right after ".." followed by a filter (Jayway 2.x applies the filter elsewhere)');
      }
      if (s.kind === 'scan' && s.then.kind === 'slice' && k < segments.length - 1) {
        unsupported(this.original, 'a slice right after ".." followed by more steps (Jayway 2.x returns nothing for it)');
      }
    });
    const steps = fn >= 0 ? segments.slice(0, -1) : segments;
    const definite = steps.every((s, k) =>
      (s.kind === 'names' && (s.names.length === 1 || k === segments.length - 1)) || (s.kind === 'indexes' && s.indexes.length === 1));
    return { segments, definite };
  }

  private readName(): Segment {
    const path = this.text;
    const start = this.i;
    const stop = this.inFilter ? '.[() !=<>&|,]' : '.[()';
    while (this.i < path.length && !stop.includes(path[this.i])) this.i++;
    const name = path.slice(start, this.i);
    if (name.length === 0) invalid(this.original, `empty property name at ${start}`);
    if (path[this.i] === '(') {
      if (path[this.i + 1] !== ')') unsupported(this.original, `the function ${name}() with arguments`);
      if (!FUNCTIONS.has(name)) unsupported(this.original, `the function ${name}()`);
      this.i += 2;
      return { kind: 'function', name };
    }
    return { kind: 'names', names: [name] };
  }

  private readBracket(): Segment {
    const path = this.text;
    const open = this.i;
    let j = open + 1;
    while (path[j] === ' ') j++;
    const first = path[j];
    if (first === "'" || first === '"') {
      const names: string[] = [];
      for (;;) {
        const q = path[j];
        if (q !== "'" && q !== '"') invalid(this.original, 'expected a quoted property name');
        let name = '';
        let k = j + 1;
        for (; k < path.length && path[k] !== q; k++) {
          if (path[k] === '\\' && k + 1 < path.length) k++;
          name += path[k];
        }
        if (k >= path.length) invalid(this.original, 'unterminated quoted property name');
        names.push(name);
        j = k + 1;
        while (path[j] === ' ') j++;
        if (path[j] === ',') {
          j++;
          while (path[j] === ' ') j++;
          continue;
        }
        if (path[j] !== ']') invalid(this.original, 'expected "]" after a property name');
        break;
      }
      this.i = j + 1;
      return { kind: 'names', names };
    }
    if (first === '?') {
      if (path[j + 1] !== '(') invalid(this.original, 'expected "(" after "?"');
      const parser = new FilterParser(this.original, path, j + 2);
      const filter = parser.parseOr();
      parser.skipWs();
      if (path[parser.i] !== ')') invalid(this.original, `expected ")" to close the filter, found "${path[parser.i] ?? 'end'}"`);
      let k = parser.i + 1;
      while (path[k] === ' ') k++;
      if (path[k] !== ']') invalid(this.original, 'expected "]" after the filter');
      this.i = k + 1;
      return { kind: 'filter', filter };
    }
    const close = path.indexOf(']', open);
    if (close < 0) invalid(this.original, 'missing "]"');
    const inner = path.slice(open + 1, close).trim();
    this.i = close + 1;
    if (inner === '*') return { kind: 'wildcard' };
    const slice = /^(-?\d*)\s*:\s*(-?\d*)$/.exec(inner);
    if (slice && slice[1] === '' && slice[2] === '') invalid(this.original, 'failed to parse the slice [:]');
    if (slice) {
      return { kind: 'slice', start: slice[1] === '' ? undefined : Number(slice[1]), end: slice[2] === '' ? undefined : Number(slice[2]) };
    }
    if (/^-?\d+(\s*,\s*-?\d+)*$/.test(inner)) return { kind: 'indexes', indexes: inner.split(',').map((x) => Number(x.trim())) };
    return unsupported(this.original, `the selector [${inner}]`);
  }
}

/** The filter grammar of Jayway 2.x (FilterCompiler). */
class FilterParser {
  constructor(private readonly original: string, private readonly text: string, public i: number) {}

  public skipWs(): void {
    while (this.text[this.i] === ' ') this.i++;
  }

  private eat(s: string): boolean {
    this.skipWs();
    if (this.text.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  public parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.eat('||')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    while (this.eat('&&')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): FilterExpr {
    this.skipWs();
    if (this.text[this.i] === '!' && this.text[this.i + 1] !== '=') {
      this.i++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (this.text[this.i] === '(') {
      this.i++;
      const inner = this.parseOr();
      if (!this.eat(')')) invalid(this.original, 'expected ")" in the filter');
      return inner;
    }
    const left = this.parseOperand();
    this.skipWs();
    const op = /^(==|!=|<=|>=|<|>|=~|nin\b|in\b|subsetof\b|anyof\b|noneof\b|size\b|empty\b|contains\b)/.exec(this.text.slice(this.i));
    if (!op) {
      if (left.kind !== 'path') invalid(this.original, 'a filter needs a comparison or an @/$ path');
      return { kind: 'exists', path: left };
    }
    this.i += op[1].length;
    const right = this.parseOperand();
    if (op[1] === '=~' && right.kind !== 'regex') invalid(this.original, '=~ needs a /regex/ on its right');
    return { kind: 'compare', op: op[1], left, right };
  }

  private parseOperand(): Operand {
    this.skipWs();
    const t = this.text;
    const c = t[this.i];
    if (c === '@' || c === '$') {
      const reader = new PathReader(this.original, t, this.i, true);
      const path = reader.read((k) => t[k] === ' ' || t[k] === ')' || t[k] === ']' || t[k] === ',' || '=!<>&|'.includes(t[k]));
      this.i = reader.i;
      if (path.segments.some((s) => s.kind === 'function')) unsupported(this.original, 'a function inside a filter');
      return { kind: 'path', relative: c === '@', path };
    }
    if (c === "'" || c === '"') return { kind: 'value', value: this.readString() };
    if (c === '/') {
      const end = this.findRegexEnd(this.i + 1);
      const body = t.slice(this.i + 1, end);
      let k = end + 1;
      let flags = '';
      while (/[a-zA-Z]/.test(t[k] ?? '')) flags += t[k++];
      this.i = k;
      for (const f of flags) if (!'imsxuU'.includes(f)) invalid(this.original, `unknown regex flag "${f}"`);
      return { kind: 'regex', pattern: flags ? `(?${flags})${body}` : body };
    }
    if (c === '[') {
      const items: Value[] = [];
      this.i++;
      for (;;) {
        this.skipWs();
        if (t[this.i] === ']') {
          this.i++;
          break;
        }
        const item = this.parseOperand();
        if (item.kind !== 'value') unsupported(this.original, 'a list item that is not a literal');
        items.push(item.value);
        this.skipWs();
        if (t[this.i] === ',') this.i++;
        else if (t[this.i] !== ']') invalid(this.original, 'expected "," or "]" in a list');
      }
      return { kind: 'list', items };
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(t.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { kind: 'value', value: num[1] === undefined && num[2] === undefined ? Number(num[0]) : new JDouble(Number(num[0])) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as Array<[string, Value]>) {
      if (t.startsWith(word, this.i)) {
        this.i += word.length;
        return { kind: 'value', value };
      }
    }
    return invalid(this.original, `unexpected "${c ?? 'end'}" in a filter`);
  }

  private readString(): string {
    const t = this.text;
    const q = t[this.i];
    let out = '';
    let k = this.i + 1;
    for (; k < t.length && t[k] !== q; k++) {
      if (t[k] === '\\' && k + 1 < t.length) k++;
      out += t[k];
    }
    if (k >= t.length) invalid(this.original, 'unterminated string in a filter');
    this.i = k + 1;
    return out;
  }

  private findRegexEnd(from: number): number {
    for (let k = from; k < this.text.length; k++) {
      if (this.text[k] === '\\') k++;
      else if (this.text[k] === '/') return k;
    }
    return invalid(this.original, 'unterminated /regex/ in a filter');
  }
}

function compile(original: string): CompiledPath {
  const cached = cache.get(original);
  if (cached) return cached;
  const trimmed = original.trim();
  if (trimmed.length === 0) invalid(original, 'empty path');
  const path = trimmed.startsWith('$') ? trimmed : `$.${trimmed}`;
  const compiled = new PathReader(original, path, 0).read(() => false);
  if (cache.size > 500) cache.clear();
  cache.set(original, compiled);
  return compiled;
}

/** A missing value inside a filter (Jayway's UNDEFINED): equal to nothing, not even null. */
const UNDEFINED = Symbol('undefined');
type FilterValue = Value | typeof UNDEFINED;

function isNumber(v: FilterValue): v is number | bigint | JDouble | JBigDecimal {
  return v !== UNDEFINED && isJavaNumber(v);
}

function numberOf(s: string): number | undefined {
  return /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s) ? Number(s) : undefined;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a instanceof VMap && b instanceof VMap) {
    const ka = a.entries();
    return ka.length === b.entries().length && ka.every((e) => b.has(e.key) && deepEqual(e.value, b.get(e.key)));
  }
  if (a instanceof VList && b instanceof VList) return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]));
  return valueEquals(a, b);
}

/** ValueNode equality: numbers by value (a numeric string counts as its number), else same type and value. */
function valueEquals(a: FilterValue, b: FilterValue): boolean {
  if (a === UNDEFINED || b === UNDEFINED) return false;
  if (isNumber(a) && isNumber(b)) return toDouble(a) === toDouble(b);
  if (isNumber(a) && typeof b === 'string') return numberOf(b) === toDouble(a);
  if (typeof a === 'string' && isNumber(b)) return numberOf(a) === toDouble(b);
  if ((a instanceof VMap || a instanceof VList) && (b instanceof VMap || b instanceof VList)) return deepEqual(a, b);
  return a === b;
}

/** Jayway's PathNotFoundException for a missing property whose upstream path is definite. */
class PathNotFound {}

function isDefiniteStep(s: Segment): boolean {
  return (s.kind === 'names' && s.names.length === 1) || (s.kind === 'indexes' && s.indexes.length === 1);
}

class Evaluator {
  constructor(private readonly root: Value) {}

  /**
   * @param strict the document's own path (not a filter's): a property missing (or asked of a
   * non-object) after only definite steps fails the whole path, even an indefinite one (`$.missing[*]`
   * is PathNotFound in Jayway 2.x, not `[]`).
   */
  public run(path: CompiledPath, start: Value, strict = false): Value[] {
    const out: Value[] = [];
    const steps = path.segments;
    const last = steps[steps.length - 1];
    const fn = last && last.kind === 'function' ? last : undefined;
    this.walk(fn ? steps.slice(0, -1) : steps, 0, start, fn ? (v) => out.push(applyFunction(fn.name, v)) : (v) => out.push(v), !fn, strict);
    return out;
  }

  /** `leafLast`: the last step is the path's leaf (no function follows it). */
  private walk(steps: Segment[], k: number, node: Value, emit: (v: Value) => void, leafLast: boolean, strict: boolean): void {
    if (k === steps.length) {
      emit(node);
      return;
    }
    const step = steps[k];
    if (strict && steps.slice(0, k).every(isDefiniteStep)) {
      const missingProperty = step.kind === 'names' && step.names.length === 1 && !(node instanceof VMap && node.has(step.names[0]));
      const notAnArray = (step.kind === 'indexes' || step.kind === 'slice') && !(node instanceof VList);
      if (missingProperty || notAnArray) throw new PathNotFound();
      if (step.kind === 'filter' && !(node instanceof VList) && !(node instanceof VMap)) {
        throw new JavaException('com.jayway.jsonpath.InvalidPathException', `a filter cannot be applied to primitives (here ${toJavaString(node)})`);
      }
    }
    this.apply(step, node, (v) => this.walk(steps, k + 1, v, emit, leafLast, strict), leafLast && k === steps.length - 1);
  }

  private apply(segment: Segment, node: Value, next: (v: Value) => void, leaf: boolean): void {
    switch (segment.kind) {
      case 'names':
        if (!(node instanceof VMap)) return;
        if (segment.names.length === 1) {
          if (node.has(segment.names[0])) next(node.get(segment.names[0]));
        } else if (leaf) {
          const merged = new VMap();
          for (const name of segment.names) if (node.has(name)) merged.put(name, node.get(name));
          next(merged);
        } else {
          for (const name of segment.names) if (node.has(name)) next(node.get(name));
        }
        return;
      case 'indexes':
        if (node instanceof VList) {
          for (const raw of segment.indexes) {
            const index = raw < 0 ? node.items.length + raw : raw;
            if (index >= 0 && index < node.items.length) next(node.items[index]);
          }
        }
        return;
      case 'slice':
        if (node instanceof VList) this.slice(node.items, segment.start, segment.end).forEach(next);
        return;
      case 'wildcard':
        if (node instanceof VMap) node.values().forEach(next);
        else if (node instanceof VList) node.items.forEach(next);
        return;
      case 'filter':
        // On an array the filter tests each item; on an object, the object itself.
        if (node instanceof VList) node.items.filter((item) => this.test(segment.filter, item)).forEach(next);
        else if (node instanceof VMap && this.test(segment.filter, node)) next(node);
        return;
      case 'scan':
        this.scan(segment.then, node, next, leaf);
        return;
      case 'function':
        return;
    }
  }

  /**
   * Jayway's ArraySliceToken: `[a:]` and `[:b]` count a negative bound from the end; `[a:b]` does not
   * (`[1:-1]` is empty), and visits indexes a..b-1, each negative one counted from the end and skipped
   * when still outside the list (`[-10:2]` of 5 items gives items 0-4 then 0-1).
   */
  private slice(items: Value[], start: number | undefined, end: number | undefined): Value[] {
    const len = items.length;
    if (len === 0) return [];
    if (start !== undefined && end !== undefined) {
      const out: Value[] = [];
      for (let i = start; i < Math.min(len, end); i++) {
        const index = i < 0 ? len + i : i;
        if (index >= 0 && index < len) out.push(items[index]);
      }
      return out;
    }
    if (start !== undefined) return items.slice(Math.max(0, start < 0 ? len + start : start));
    if (end !== undefined) return items.slice(0, Math.max(0, Math.min(len, end < 0 ? len + end : end)));
    return items.slice();
  }

  /** ScanPathToken: at each object or array (pre-order), apply the step, then descend. */
  private scan(then: Segment, node: Value, next: (v: Value) => void, leaf: boolean): void {
    if (!(node instanceof VMap) && !(node instanceof VList)) return;
    if (then.kind === 'filter') {
      // `..[?(...)]` tests every object reached (Jayway's FilterPathTokenPredicate), not array items twice.
      if (node instanceof VMap && this.test(then.filter, node)) next(node);
    } else {
      this.apply(then, node, next, leaf);
    }
    const children = node instanceof VMap ? node.values() : node.items;
    for (const child of children) this.scan(then, child, next, leaf);
  }

  private operand(o: Operand, current: Value): FilterValue | { list: Value[] } {
    switch (o.kind) {
      case 'value':
        return o.value;
      case 'list':
        return { list: o.items };
      case 'regex':
        return o.pattern;
      case 'path': {
        const start = o.relative ? current : this.root;
        const results = this.run(o.path, start);
        if (o.path.definite) return results.length > 0 ? results[0] : UNDEFINED;
        return new VList(results, 'json');
      }
    }
  }

  private test(filter: FilterExpr, current: Value): boolean {
    switch (filter.kind) {
      case 'or':
        return this.test(filter.left, current) || this.test(filter.right, current);
      case 'and':
        return this.test(filter.left, current) && this.test(filter.right, current);
      case 'not':
        return !this.test(filter.operand, current);
      case 'exists': {
        const v = this.operand(filter.path, current);
        if (v instanceof VList && filter.path.kind === 'path' && !filter.path.path.definite) return v.items.length > 0;
        return v !== UNDEFINED;
      }
      case 'compare': {
        const left = this.operand(filter.left, current);
        const right = this.operand(filter.right, current);
        return compareValues(filter.op, left, right, filter.right.kind === 'regex' ? filter.right.pattern : undefined);
      }
    }
  }
}

function listOf(v: FilterValue | { list: Value[] }): Value[] | undefined {
  if (v !== null && typeof v === 'object' && 'list' in v) return v.list;
  if (v instanceof VList) return v.items;
  return undefined;
}

function compareValues(op: string, leftRaw: FilterValue | { list: Value[] }, rightRaw: FilterValue | { list: Value[] }, regex: string | undefined): boolean {
  const leftList = listOf(leftRaw);
  const rightList = listOf(rightRaw);
  const left = leftRaw as FilterValue;
  const right = rightRaw as FilterValue;
  switch (op) {
    case '==':
      return leftList && rightList ? leftList.length === rightList.length && leftList.every((x, i) => deepEqual(x, rightList[i])) : valueEquals(left, right);
    case '!=':
      return !compareValues('==', leftRaw, rightRaw, regex);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      let c: number;
      if (isNumber(left) && isNumber(right)) c = Math.sign(toDouble(left) - toDouble(right));
      else if (typeof left === 'string' && typeof right === 'string') c = left < right ? -1 : left > right ? 1 : 0;
      else return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case '=~':
      if (typeof left === 'string' || isNumber(left)) return javaMatches(toJavaString(left), regex!);
      return false;
    case 'in':
      return !!rightList && rightList.some((x) => valueEquals(left, x));
    case 'nin':
      return !!rightList && !rightList.some((x) => valueEquals(left, x));
    case 'subsetof':
      return !!leftList && !!rightList && leftList.every((x) => rightList.some((y) => valueEquals(x, y)));
    case 'anyof':
      return !!leftList && !!rightList && leftList.some((x) => rightList.some((y) => valueEquals(x, y)));
    case 'noneof':
      return !!leftList && !!rightList && !leftList.some((x) => rightList.some((y) => valueEquals(x, y)));
    case 'size': {
      if (!isNumber(right)) return false;
      const n = typeof left === 'string' ? left.length : leftList ? leftList.length : undefined;
      return n !== undefined && n === toDouble(right);
    }
    case 'empty': {
      if (typeof right !== 'boolean') return false;
      const n = typeof left === 'string' ? left.length : leftList ? leftList.length : undefined;
      return n !== undefined && (n === 0) === right;
    }
    case 'contains':
      if (typeof left === 'string') return typeof right === 'string' && left.includes(right);
      return !!leftList && leftList.some((x) => valueEquals(x, right));
    default:
      return false;
  }
}

function applyFunction(name: string, model: Value): Value {
  if (name === 'length' || name === 'size') {
    if (model instanceof VList) return model.items.length;
    if (model instanceof VMap) return model.size;
    return null;
  }
  const numbers = model instanceof VList ? model.items.filter((x): x is number | bigint | JDouble | JBigDecimal => isJavaNumber(x)).map(toDouble) : [];
  if (numbers.length === 0) {
    throw new JavaException('com.jayway.jsonpath.JsonPathException', 'Aggregation function attempted to calculate value using empty array');
  }
  const sum = numbers.reduce((a, b) => a + b, 0);
  switch (name) {
    case 'min':
      return new JDouble(Math.min(...numbers));
    case 'max':
      return new JDouble(Math.max(...numbers));
    case 'sum':
      return new JDouble(sum);
    case 'avg':
      return new JDouble(sum / numbers.length);
    default: {
      // Jayway's StandardDeviation: sqrt(sumsq / count - avg * avg).
      const sumsq = numbers.reduce((a, b) => a + b * b, 0);
      const avg = sum / numbers.length;
      return new JDouble(Math.sqrt(sumsq / numbers.length - avg * avg));
    }
  }
}

/** Evaluates a JSONPath. `found: false` means a definite path had no value (Jayway: PathNotFound). */
export function evaluateJsonPath(document: Value, path: string): { found: boolean; value: Value } {
  const compiled = compile(path);
  let results: Value[];
  try {
    results = new Evaluator(document).run(compiled, document, true);
  } catch (e) {
    if (e instanceof PathNotFound) return { found: false, value: null };
    throw e;
  }
  if (compiled.definite) return results.length > 0 ? { found: true, value: results[0] } : { found: false, value: null };
  return { found: true, value: new VList(results, 'json') };
}
