/**
 * The value model of the renderer: JavaScript stand-ins for the Java objects a Velocity template sees
 * inside API Gateway, with their Java `toString()` and `equals()` behaviour.
 *
 *   Java                                   here
 *   null                                   null
 *   String / Character                     string
 *   Boolean                                boolean
 *   Integer / Long                         number (always integral)
 *   Long / BigInteger past 2^53            bigint
 *   Double                                 JDouble
 *   BigDecimal (json-smart, > 18 chars)    JBigDecimal
 *   LinkedHashMap                          VMap (insertion order)
 *   JSONArray / ArrayList / Set / String[] VList ('json' / 'array' / 'set' / 'javaArray')
 *   Map.Entry                              VEntry
 *   $input, $util, $foreach ...            VHost subclasses
 */

/** A Java `double`. Plain JS numbers are Java integers, so a double must be marked. */
export class JDouble {
  constructor(public readonly value: number) {}
}

/** A Java `BigDecimal`, kept as its literal text (json-smart uses it for long decimal literals). */
export class JBigDecimal {
  constructor(public readonly text: string) {}
  public toNumber(): number {
    return Number(this.text);
  }
}

/** Returned by property/method lookups that found nothing (Velocity then yields null). */
export const NOT_FOUND: unique symbol = Symbol('vtl.notFound');
export type Lookup = Value | typeof NOT_FOUND;

/** An object provided by the host (API Gateway's `$input`, `$util`, the `$foreach` scope ...). */
export abstract class VHost {
  /** Java class name, used by the default `toString()`. */
  public abstract readonly javaClassName: string;
  /** Bean-style property `$obj.name` (already tried as `getName()` / `isName()`). */
  public getProperty(_name: string): Lookup {
    return NOT_FOUND;
  }
  /** Method call `$obj.name(args)`. */
  public callMethod(_name: string, _args: Value[]): Lookup {
    return NOT_FOUND;
  }
  public toJavaString(): string {
    // Object.toString() prints a hash code that differs per run on AWS; any stable value will do.
    return `${this.javaClassName}@1b6d3586`;
  }
}

export type Value = null | string | boolean | number | bigint | JDouble | JBigDecimal | VMap | VList | VEntry | VHost;

/** Thrown by the Java method emulation; the interpreter adds the template position. */
export class JavaException extends Error {
  constructor(public readonly javaClass: string, message: string) {
    super(`${javaClass}: ${message}`);
  }
}

/** Java `Map.Entry` (from `entrySet()`). */
export class VEntry {
  constructor(public readonly key: Value, public value: Value) {}
}

/** Key used inside VMap's JS Map so that Java-equal keys collide and others do not. */
function keyOf(key: Value): unknown {
  if (key instanceof JDouble) return `\u0000double:${key.value}`;
  if (key instanceof JBigDecimal) return `\u0000decimal:${key.text}`;
  if (typeof key === 'bigint' && key >= BigInt(Number.MIN_SAFE_INTEGER) && key <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(key);
  }
  return key;
}

/**
 * A Java Map that iterates in insertion order, like LinkedHashMap: json-smart objects, request maps,
 * `$context`, and `{...}` literals (Velocity 1.7's ASTMap builds a LinkedHashMap).
 */
export class VMap {
  /** Structural modification counter, for Java's fail-fast iterators. */
  public modCount = 0;
  /**
   * Prints as "" instead of `{k=v}`: what AWS recorded for the nested `$context` maps (identity,
   * requestOverride, responseOverride and their header/path/querystring maps).
   */
  public printsAsEmpty = false;
  /** Insertion order, as Velocity's map literals (LinkedHashMap) and json-smart's JSON objects. */
  private readonly data = new Map<unknown, VEntry>();

  public static of(entries: Array<[Value, Value]>): VMap {
    const m = new VMap();
    for (const [k, v] of entries) m.put(k, v);
    return m;
  }

  public get size(): number {
    return this.data.size;
  }

  public has(key: Value): boolean {
    return this.data.has(keyOf(key));
  }

  /** `get(key)`: null when absent. */
  public get(key: Value): Value {
    const e = this.data.get(keyOf(key));
    return e === undefined ? null : e.value;
  }

  /** `put(key, value)`: returns the previous value (or null). */
  public put(key: Value, value: Value): Value {
    const k = keyOf(key);
    const existing = this.data.get(k);
    if (existing) {
      const previous = existing.value;
      existing.value = value;
      return previous;
    }
    this.data.set(k, new VEntry(key, value));
    this.modCount++;
    return null;
  }

  public remove(key: Value): Value {
    const k = keyOf(key);
    const existing = this.data.get(k);
    if (!existing) return null;
    this.data.delete(k);
    this.modCount++;
    return existing.value;
  }

  public clear(): void {
    if (this.data.size > 0) this.modCount++;
    this.data.clear();
  }

  /** Entries in iteration (insertion) order. */
  public entries(): VEntry[] {
    return [...this.data.values()];
  }

  public keys(): Value[] {
    return this.entries().map((e) => e.key);
  }

  public values(): Value[] {
    return this.entries().map((e) => e.value);
  }
}

/**
 * A Java List/Collection. The kind only changes `toString()`: json-smart's JSONArray prints JSON,
 * other collections print `[a, b]`, and a Java array prints its identity (`[Ljava.lang.String;@...`).
 */
export class VList {
  public modCount = 0;
  /** For a Java array: its class name as printed (`[Ljava.lang.String;`, `[C` for char[], `[B` for byte[]). */
  public arrayClass = '[Ljava.lang.String;';
  /** For a `keySet()` / `values()` / `entrySet()` view: the map it is a view of. */
  public viewOf?: { map: VMap; what: 'keys' | 'values' | 'entries' };

  constructor(public readonly items: Value[], public readonly kind: 'json' | 'array' | 'set' | 'javaArray' | 'stream' = 'array') {}

  public touch(): void {
    this.modCount++;
  }
}

/** `String.hashCode()` and friends, as used by java.util.HashMap. Returns a signed 32-bit int. */
export function javaHashCode(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'string') {
    let h = 0;
    for (let i = 0; i < v.length; i++) h = (Math.imul(h, 31) + v.charCodeAt(i)) | 0;
    return h;
  }
  if (typeof v === 'boolean') return v ? 1231 : 1237;
  if (typeof v === 'number') {
    if (v >= -2147483648 && v <= 2147483647) return v | 0; // Integer.hashCode
    return longHash(BigInt(v));
  }
  if (typeof v === 'bigint') return longHash(v);
  if (v instanceof JDouble) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Number.isNaN(v.value) ? NaN : v.value);
    return (view.getInt32(0) ^ view.getInt32(4)) | 0;
  }
  // AbstractMap: the sum of the entries' hashes; AbstractList: 31 * h + element hash; an entry: key ^ value.
  if (v instanceof VMap) return v.entries().reduce((h, e) => (h + javaHashCode(e)) | 0, 0);
  if (v instanceof VEntry) return javaHashCode(v.key) ^ javaHashCode(v.value);
  if (v instanceof VList) {
    if (v.kind === 'set') return v.items.reduce<number>((h, x) => (h + javaHashCode(x)) | 0, 0);
    if (v.kind === 'array' || v.kind === 'json') return v.items.reduce<number>((h, x) => (Math.imul(h, 31) + javaHashCode(x)) | 0, 1);
  }
  // Identity hash codes (arrays, streams, BigDecimal's unscaled-value hash): any stable value will do.
  return 0x1b6d3586;
}

function longHash(n: bigint): number {
  const bits = BigInt.asUintN(64, n);
  return Number(BigInt.asIntN(32, bits ^ (bits >> BigInt(32))));
}

export function isJavaNumber(v: Value): v is number | bigint | JDouble | JBigDecimal {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof JDouble || v instanceof JBigDecimal;
}

/** Integral Java numbers (Integer, Long, BigInteger). */
export function isJavaInteger(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** A Java `int` argument: an integral number in int range. */
export function asJavaInt(v: Value): number | undefined {
  if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) return v;
  return undefined;
}

/** Wraps an exact integer result the way MathUtils does (Integer/Long/BigInteger all print the same). */
export function integerValue(n: bigint): number | bigint {
  if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n);
  return n;
}

/** `Double.toString(d)`: decimal between 1e-3 and 1e7, otherwise computerized scientific notation. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** `BigDecimal.toString()` of a decimal literal (unscaled value + scale, scientific when Java would). */
export function bigDecimalToString(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = (intPart + frac).replace(/^0+(?=\d)/, '');
  if (digits === '') digits = '0';
  const scale = frac.length - Number(m[4] ?? '0');
  const adjusted = -scale + (digits.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + digits;
    const padded = digits.padStart(scale + 1, '0');
    return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mant}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Converts any Java number to a JS double (for double arithmetic and comparisons). */
export function toDouble(v: number | bigint | JDouble | JBigDecimal): number {
  if (v instanceof JDouble) return v.value;
  if (v instanceof JBigDecimal) return v.toNumber();
  return Number(v);
}

/**
 * `String.valueOf(v)` / `v.toString()` as Java prints it; a collection that contains itself prints
 * "(this Map)" / "(this Collection)" there, as AbstractMap/AbstractCollection do.
 */
export function toJavaString(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof JDouble) return javaDoubleToString(v.value);
  if (v instanceof JBigDecimal) return bigDecimalToString(v.text);
  if (v instanceof VMap) {
    if (v.printsAsEmpty) return '';
    const parts = v.entries().map((e) => `${e.key === v ? '(this Map)' : toJavaString(e.key)}=${e.value === v ? '(this Map)' : toJavaString(e.value)}`);
    return `{${parts.join(', ')}}`;
  }
  if (v instanceof VList) {
    if (v.kind === 'json') return toJsonSmart(v, true);
    if (v.kind === 'javaArray') return `${v.arrayClass}@1b6d3586`;
    if (v.kind === 'stream') return 'java.util.stream.ReferencePipeline$Head@1b6d3586';
    return `[${v.items.map((x) => (x === v ? '(this Collection)' : toJavaString(x))).join(', ')}]`;
  }
  if (v instanceof VEntry) return `${toJavaString(v.key)}=${toJavaString(v.value)}`;
  return v.toJavaString();
}

/**
 * JSON text as json-smart writes it: compact, keys in map order, strings escaped with its
 * protectors. `escapeSlash` = JSONStyle.NO_COMPRESS (JSONArray.toString(), escapes `/` as `\/`);
 * without it = JSONStyle.LT_COMPRESS (what Jayway's JsonSmartJsonProvider.toJson uses).
 */
export function toJsonSmart(v: Value, escapeSlash: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${jsonSmartEscape(v, escapeSlash)}"`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JDouble) return Number.isFinite(v.value) ? javaDoubleToString(v.value) : 'null';
  if (isJavaNumber(v)) return toJavaString(v);
  if (v instanceof VMap) {
    return `{${v.entries().map((e) => `"${jsonSmartEscape(toJavaString(e.key), escapeSlash)}":${toJsonSmart(e.value, escapeSlash)}`).join(',')}}`;
  }
  if (v instanceof VList) return `[${v.items.map((x) => toJsonSmart(x, escapeSlash)).join(',')}]`;
  return `"${jsonSmartEscape(toJavaString(v), escapeSlash)}"`;
}

/** json-smart's JStylerObj ESCAPE4Web / ESCAPE_LT. */
export function jsonSmartEscape(s: string, escapeSlash: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    const c = s[i];
    switch (c) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '/': out += escapeSlash ? '\\/' : '/'; break;
      default:
        if (ch <= 0x1f || (ch >= 0x7f && ch <= 0x9f) || (ch >= 0x2000 && ch <= 0x20ff)) {
          out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
        } else {
          out += c;
        }
    }
  }
  return out;
}

/** Java `a.equals(b)` (strict: Integer 1 is not Double 1.0, String "1" is not Integer 1). */
export function javaEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (isJavaInteger(a) && isJavaInteger(b)) return BigInt(a) === BigInt(b);
  if (a instanceof JDouble && b instanceof JDouble) return Object.is(a.value, b.value) || a.value === b.value;
  if (a instanceof JBigDecimal && b instanceof JBigDecimal) return a.text === b.text;
  if (a instanceof VMap && b instanceof VMap) {
    if (a.size !== b.size) return false;
    return a.entries().every((e) => b.has(e.key) && javaEquals(e.value, b.get(e.key)));
  }
  if (a instanceof VList && b instanceof VList) {
    if (a.kind === 'javaArray' || b.kind === 'javaArray' || a.kind === 'stream' || b.kind === 'stream') return false; // identity
    return a.items.length === b.items.length && a.items.every((x, i) => javaEquals(x, b.items[i]));
  }
  if (a instanceof VEntry && b instanceof VEntry) return javaEquals(a.key, b.key) && javaEquals(a.value, b.value);
  return false;
}

/** The "class family" test in ASTEQNode: one class assignable from the other. */
export function sameJavaClassFamily(a: Value, b: Value): boolean {
  if (typeof a === 'string') return typeof b === 'string';
  if (typeof a === 'boolean') return typeof b === 'boolean';
  if (a instanceof VMap) return b instanceof VMap;
  if (a instanceof VList) return b instanceof VList && (a.kind === 'set') === (b.kind === 'set') && a.kind !== 'javaArray' && b.kind !== 'javaArray';
  if (a instanceof VEntry) return b instanceof VEntry;
  if (a instanceof VHost) return b instanceof VHost && a.javaClassName === b.javaClassName;
  return false;
}

/** The full name of the Java class a value has on API Gateway (`$x.getClass().getName()`). */
export function javaClassName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof VList) {
    if (v.kind === 'javaArray') return v.arrayClass;
    if (v.kind === 'set') return v.viewOf?.what === 'values' ? 'java.util.LinkedHashMap$LinkedValues' : v.viewOf?.what === 'entries' ? 'java.util.LinkedHashMap$LinkedEntrySet' : 'java.util.LinkedHashMap$LinkedKeySet';
    if (v.kind === 'stream') return 'java.util.stream.ReferencePipeline$Head';
    return v.kind === 'json' ? 'net.minidev.json.JSONArray' : 'java.util.ArrayList';
  }
  if (v instanceof VMap) return 'java.util.LinkedHashMap';
  if (v instanceof VEntry) return 'java.util.LinkedHashMap$Entry';
  if (v instanceof VHost) return v.javaClassName;
  const simple = javaTypeName(v);
  return simple === 'BigInteger' || simple === 'BigDecimal' ? `java.math.${simple}` : `java.lang.${simple}`;
}

/** The Java class a value has on API Gateway, for error messages (`String`, `LinkedHashMap`, ...). */
export function javaTypeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (typeof v === 'number') return v >= -2147483648 && v <= 2147483647 ? 'Integer' : 'Long';
  if (typeof v === 'bigint') return v >= BigInt('-9223372036854775808') && v <= BigInt('9223372036854775807') ? 'Long' : 'BigInteger';
  if (v instanceof JDouble) return 'Double';
  if (v instanceof JBigDecimal) return 'BigDecimal';
  if (v instanceof VMap) return 'LinkedHashMap';
  if (v instanceof VList) {
    if (v.kind === 'javaArray') return ({ '[C': 'char[]', '[B': 'byte[]', '[Ljava.lang.Object;': 'Object[]' } as { [k: string]: string })[v.arrayClass] ?? 'String[]';
    return { json: 'JSONArray', array: 'ArrayList', set: 'Set', javaArray: '', stream: 'Stream' }[v.kind];
  }
  if (v instanceof VEntry) return 'Map.Entry';
  return v.javaClassName;
}

/** Converts a plain JS value (from the caller's request description) into the value model. */
export function fromJs(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? v : new JDouble(v);
  if (v instanceof JDouble || v instanceof JBigDecimal || v instanceof VMap || v instanceof VList || v instanceof VEntry || v instanceof VHost) {
    return v;
  }
  if (Array.isArray(v)) return new VList(v.map(fromJs), 'array');
  if (typeof v === 'object') {
    return VMap.of(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJs(x)]));
  }
  return String(v);
}
