/**
 * The intrinsic functions of JSONPath states (`States.Format('Hi {}', $.name)` and the rest AWS lists):
 * parsed from a `.$` field's value and evaluated against the state's input, the context object (`$$`)
 * and the workflow's variables (`$name`).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { StatesError } from './errors';

/** Where paths in arguments are read. */
export interface PathScope {
  /** `$...`: the input; `$$...`: the context object; `$name...`: a variable. */
  read(path: string): unknown;
}

type Arg = { readonly literal: unknown } | { readonly path: string } | { readonly call: string; readonly args: Arg[] };

function intrinsicFailure(message: string): StatesError {
  return new StatesError('States.IntrinsicFailure', message);
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  public parseCall(): Arg {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.src.slice(this.i));
    if (!m) throw intrinsicFailure(`${this.src} is not an intrinsic function call`);
    this.i += m[0].length;
    this.ws();
    this.expect('(');
    const args: Arg[] = [];
    this.ws();
    if (this.src[this.i] === ')') this.i++;
    else {
      for (;;) {
        args.push(this.parseArg());
        this.ws();
        if (this.src[this.i] === ',') { this.i++; continue; }
        this.expect(')');
        break;
      }
    }
    return { call: m[0], args };
  }

  public end(): void {
    this.ws();
    if (this.i !== this.src.length) throw intrinsicFailure(`unexpected ${JSON.stringify(this.src.slice(this.i))} after the call in ${this.src}`);
  }

  private parseArg(): Arg {
    this.ws();
    const c = this.src[this.i];
    if (c === "'") {
      let out = '';
      this.i++;
      while (this.i < this.src.length && this.src[this.i] !== "'") {
        if (this.src[this.i] === '\\' && this.i + 1 < this.src.length) {
          // \' \{ \} \\ keep the escaped character; States.Format sees \{ \} as literal braces.
          const next = this.src[this.i + 1];
          out += next === '{' || next === '}' ? `\\${next}` : next;
          this.i += 2;
          continue;
        }
        out += this.src[this.i++];
      }
      this.expect("'");
      return { literal: out };
    }
    if (this.src.startsWith('States.', this.i)) return this.parseCall();
    if (c === '$') {
      const start = this.i;
      let depth = 0;
      let quote: string | undefined;
      while (this.i < this.src.length) {
        const ch = this.src[this.i];
        if (quote) { if (ch === quote) quote = undefined; } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || ch === ')') { if (depth === 0) break; depth--; } else if (ch === ',' && depth === 0) break;
        this.i++;
      }
      return { path: this.src.slice(start, this.i).trim() };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.src.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return { literal: JSON.parse(m[0]) };
    }
    throw intrinsicFailure(`unexpected ${JSON.stringify(this.src.slice(this.i, this.i + 20))} in ${this.src}`);
  }

  private ws(): void {
    while (/\s/.test(this.src[this.i] ?? '')) this.i++;
  }

  private expect(ch: string): void {
    if (this.src[this.i] !== ch) throw intrinsicFailure(`expected ${ch} at ${this.i + 1} in ${this.src}`);
    this.i++;
  }
}

/** The algorithms `States.Hash` and JSONata's `$hash` take, by Step Functions' names. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** The hex digest of `data` (a string, else its JSON), or undefined for an algorithm Step Functions does not name. */
export function hashHex(data: unknown, algorithm: string): string | undefined {
  const alg = HASH_ALGORITHMS[algorithm];
  return alg === undefined ? undefined : createHash(alg).update(typeof data === 'string' ? data : JSON.stringify(data), 'utf8').digest('hex');
}

const compiled = new Map<string, Arg>();

/** Whether a `.$` value is an intrinsic function call. */
export function isIntrinsicCall(value: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
}

/** Evaluates an intrinsic function call. */
export function evaluateIntrinsic(expression: string, scope: PathScope): unknown {
  let call = compiled.get(expression);
  if (!call) {
    const parser = new Parser(expression);
    call = parser.parseCall();
    parser.end();
    compiled.set(expression, call);
  }
  return evaluate(call, scope);
}

function evaluate(arg: Arg, scope: PathScope): unknown {
  if ('literal' in arg) return arg.literal;
  if ('path' in arg) return scope.read(arg.path);
  const values = arg.args.map((a) => evaluate(a, scope));
  const fn = FUNCTIONS[arg.call];
  if (!fn) throw intrinsicFailure(`${arg.call} is not an intrinsic function`);
  return fn(values, arg.args);
}

function need(name: string, values: unknown[], min: number, max = min): void {
  if (values.length < min || values.length > max) {
    throw intrinsicFailure(`${name} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${values.length}`);
  }
}

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw intrinsicFailure(`${name} expects a string, got ${JSON.stringify(v)}`);
  return v;
}

function int(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw intrinsicFailure(`${name} expects an integer, got ${JSON.stringify(v)}`);
  return v;
}

function arr(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw intrinsicFailure(`${name} expects an array, got ${JSON.stringify(v)}`);
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

const FUNCTIONS: Record<string, (values: unknown[], args: Arg[]) => unknown> = {
  'States.Format': (v) => {
    if (v.length < 1) throw intrinsicFailure('States.Format needs a template');
    const template = str('States.Format', v[0]);
    let next = 1;
    let out = '';
    for (let i = 0; i < template.length; i++) {
      if (template[i] === '\\' && (template[i + 1] === '{' || template[i + 1] === '}')) { out += template[++i]; continue; }
      if (template[i] === '{' && template[i + 1] === '}') {
        if (next >= v.length) throw intrinsicFailure('States.Format has more {} than arguments');
        const a = v[next++];
        out += typeof a === 'string' ? a : JSON.stringify(a);
        i++;
        continue;
      }
      out += template[i];
    }
    if (next !== v.length) throw intrinsicFailure('States.Format has more arguments than {}');
    return out;
  },
  'States.StringToJson': (v) => {
    need('States.StringToJson', v, 1);
    try {
      return JSON.parse(str('States.StringToJson', v[0]));
    } catch {
      throw intrinsicFailure(`States.StringToJson: ${JSON.stringify(v[0])} is not JSON`);
    }
  },
  'States.JsonToString': (v) => { need('States.JsonToString', v, 1); return JSON.stringify(v[0]); },
  'States.Array': (v) => v,
  'States.ArrayPartition': (v) => {
    need('States.ArrayPartition', v, 2);
    const a = arr('States.ArrayPartition', v[0]);
    const size = int('States.ArrayPartition', v[1]);
    if (size < 1) throw intrinsicFailure('States.ArrayPartition: the chunk size must be positive');
    const out: unknown[][] = [];
    for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (v) => { need('States.ArrayContains', v, 2); return arr('States.ArrayContains', v[0]).some((x) => deepEqual(x, v[1])); },
  'States.ArrayRange': (v) => {
    need('States.ArrayRange', v, 3);
    const [start, end, by] = [int('States.ArrayRange', v[0]), int('States.ArrayRange', v[1]), int('States.ArrayRange', v[2])];
    if (by === 0) throw intrinsicFailure('States.ArrayRange: the step must not be 0');
    const out: number[] = [];
    for (let i = start; by > 0 ? i <= end : i >= end; i += by) {
      out.push(i);
      if (out.length > 1000) throw intrinsicFailure('States.ArrayRange: at most 1000 items');
    }
    return out;
  },
  'States.ArrayGetItem': (v) => {
    need('States.ArrayGetItem', v, 2);
    const a = arr('States.ArrayGetItem', v[0]);
    const i = int('States.ArrayGetItem', v[1]);
    if (i < 0 || i >= a.length) throw intrinsicFailure(`States.ArrayGetItem: index ${i} is out of range`);
    return a[i];
  },
  'States.ArrayLength': (v) => { need('States.ArrayLength', v, 1); return arr('States.ArrayLength', v[0]).length; },
  'States.ArrayUnique': (v) => {
    need('States.ArrayUnique', v, 1);
    const out: unknown[] = [];
    for (const x of arr('States.ArrayUnique', v[0])) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },
  'States.Base64Encode': (v) => { need('States.Base64Encode', v, 1); return Buffer.from(str('States.Base64Encode', v[0]), 'utf8').toString('base64'); },
  'States.Base64Decode': (v) => { need('States.Base64Decode', v, 1); return Buffer.from(str('States.Base64Decode', v[0]), 'base64').toString('utf8'); },
  'States.Hash': (v) => {
    need('States.Hash', v, 2);
    const digest = hashHex(v[0], str('States.Hash', v[1]));
    if (digest === undefined) throw intrinsicFailure(`States.Hash: ${String(v[1])} is not one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    return digest;
  },
  'States.JsonMerge': (v) => {
    need('States.JsonMerge', v, 3);
    if (v[2] !== false) throw intrinsicFailure('States.JsonMerge: only the shallow merge (false) is supported, as on AWS');
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    if (!isObj(v[0]) || !isObj(v[1])) throw intrinsicFailure('States.JsonMerge merges two objects');
    return { ...v[0], ...v[1] };
  },
  'States.MathRandom': (v) => {
    need('States.MathRandom', v, 2, 3);
    const [start, end] = [int('States.MathRandom', v[0]), int('States.MathRandom', v[1])];
    if (end <= start) throw intrinsicFailure('States.MathRandom: the end must be over the start');
    return randomInt(start, end);
  },
  'States.MathAdd': (v) => { need('States.MathAdd', v, 2); return int('States.MathAdd', v[0]) + int('States.MathAdd', v[1]); },
  'States.StringSplit': (v) => {
    need('States.StringSplit', v, 2);
    const s = str('States.StringSplit', v[0]);
    const delimiters = new Set([...str('States.StringSplit', v[1])]);
    const out: string[] = [];
    let cur = '';
    for (const ch of s) {
      if (delimiters.has(ch)) { if (cur) out.push(cur); cur = ''; } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  },
  'States.UUID': (v) => { need('States.UUID', v, 0); return randomUUID(); },
};
