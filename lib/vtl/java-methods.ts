import { utf8Encode } from './escape';
import { javaFormat, varargs } from './java-format';
import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } from './java-regex';
import {
  asJavaInt,
  isJavaInteger,
  isJavaNumber,
  javaClassName,
  javaTypeName,
  JavaException,
  javaEquals,
  javaHashCode,
  JBigDecimal,
  JDouble,
  Lookup,
  NOT_FOUND,
  toDouble,
  toJavaString,
  Value,
  VEntry,
  VHost,
  VList,
  VMap,
} from './values';

/**
 * The Java methods and bean properties templates use, on the Java classes API Gateway's values
 * have (String, LinkedHashMap, ArrayList/JSONArray, Integer, Double, Boolean, Map.Entry).
 *
 * Velocity 1.7 finds methods by name and argument types, without conversions: `$s.substring("1")`
 * finds no method and yields null, while a Java exception inside a found method (an index out of
 * bounds, a null argument) fails the whole render. Both are reproduced: a signature mismatch
 * returns NOT_FOUND; a Java exception throws JavaException.
 */

/** Internal: the arguments do not fit any overload. */
class NoSuchMethod extends Error {}

function nsm(): never {
  throw new NoSuchMethod();
}

function npe(what: string): never {
  throw new JavaException('java.lang.NullPointerException', what);
}

/** A String (or CharSequence) parameter. */
function str(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === null) npe('argument is null');
  return nsm();
}

/** An `int` parameter. */
function int(v: Value): number {
  const n = asJavaInt(v);
  return n === undefined ? nsm() : n;
}

function arity(args: Value[], ...allowed: number[]): void {
  if (!allowed.includes(args.length)) nsm();
}

function outOfBounds(cls: string, index: number, size: number): never {
  throw new JavaException(cls, `Index: ${index}, Size: ${size}`);
}

/** `String.trim()`: removes characters <= U+0020 (not Unicode whitespace). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
  }
  return a.length - b.length;
}

/** `Character.toUpperCase(char)` / `toLowerCase(char)`: one char to one char (ß stays ß). */
function upper1(c: string): string {
  const u = c.toUpperCase();
  return u.length === 1 ? u : c;
}
function lower1(c: string): string {
  const l = c.toLowerCase();
  return l.length === 1 ? l : c;
}

/** `String.CASE_INSENSITIVE_ORDER` (compareToIgnoreCase): char by char, upper case then lower case. */
function compareIgnoreCase(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let c1 = a[i];
    let c2 = b[i];
    if (c1 !== c2) {
      c1 = upper1(c1);
      c2 = upper1(c2);
      if (c1 !== c2) {
        c1 = lower1(c1);
        c2 = lower1(c2);
        if (c1 !== c2) return c1.charCodeAt(0) - c2.charCodeAt(0);
      }
    }
  }
  return a.length - b.length;
}

/** `String.regionMatches([ignoreCase,] toffset, other, ooffset, len)`. */
function regionMatches(s: string, ignoreCase: boolean, toffset: number, other: string, ooffset: number, len: number): boolean {
  if (ooffset < 0 || toffset < 0 || toffset > s.length - len || ooffset > other.length - len) return false;
  const a = s.slice(toffset, toffset + Math.max(0, len));
  const b = other.slice(ooffset, ooffset + Math.max(0, len));
  return ignoreCase ? compareIgnoreCase(a, b) === 0 : a === b;
}

/** `Character.isWhitespace(codePoint)`: Unicode space separators except no-break spaces, and \t \n \u000B \f \r \u001C-\u001F. */
export function isJavaWhitespace(cp: number): boolean {
  if ((cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20)) return true;
  if (cp === 0x00a0 || cp === 0x2007 || cp === 0x202f) return false;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x205f || cp === 0x3000;
}

function stripLeading(s: string): string {
  let i = 0;
  while (i < s.length && isJavaWhitespace(s.codePointAt(i)!)) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  return s.slice(i);
}

function stripTrailing(s: string): string {
  let end = s.length;
  while (end > 0) {
    const lowSurrogate = end >= 2 && /[\udc00-\udfff]/.test(s[end - 1]) && /[\ud800-\udbff]/.test(s[end - 2]);
    const start = lowSurrogate ? end - 2 : end - 1;
    if (!isJavaWhitespace(s.codePointAt(start)!)) break;
    end = start;
  }
  return s.slice(0, end);
}

/** `String.lines()` (Java 11): split at \n, \r and \r\n; a final terminator ends the last line. */
function lines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(s)) parts.pop();
  return parts;
}

function stringIndexOutOfBounds(message: string): never {
  throw new JavaException('java.lang.StringIndexOutOfBoundsException', message);
}

function checkIndex(i: number, length: number): void {
  if (i < 0 || i >= length) stringIndexOutOfBounds(`index ${i}, length ${length}`);
}

function substring(s: string, begin: number, end: number): string {
  if (begin < 0 || end > s.length || begin > end) stringIndexOutOfBounds(`begin ${begin}, end ${end}, length ${s.length}`);
  return s.slice(begin, end);
}

function javaArray(items: Value[], arrayClass: string): VList {
  const array = new VList(items, 'javaArray');
  array.arrayClass = arrayClass;
  return array;
}

/**
 * A Stream (`lines()`, `chars()`): iterable by #foreach (Velocity 1.7 iterates anything with an
 * iterator() method) and the few methods that need no lambda. Java's use-once rule is not enforced.
 */
function stream(items: Value[]): VList {
  return new VList(items, 'stream');
}

/** The bytes of `getBytes([charset])`, as Java's signed bytes. */
function bytesOf(s: string, charset: string): VList {
  let bytes: number[];
  switch (charset.toUpperCase().replace(/_/g, '-')) {
    case 'UTF-8':
    case 'UTF8':
      bytes = utf8Encode(s);
      break;
    case 'ISO-8859-1':
    case 'LATIN1':
    case 'US-ASCII':
    case 'ASCII': {
      const max = charset.toUpperCase().includes('ASCII') ? 0x7f : 0xff;
      bytes = [...s].map((c) => (c.codePointAt(0)! <= max ? c.codePointAt(0)! : 0x3f)); // unmappable: '?'
      break;
    }
    default:
      throw new JavaException('java.io.UnsupportedEncodingException', `${charset} (this renderer knows UTF-8, ISO-8859-1 and US-ASCII)`);
  }
  return javaArray(bytes.map((b) => (b > 127 ? b - 256 : b)), '[B');
}

/** `String.join(delimiter, elements)`: a list (Iterable), a String[] or the varargs themselves. */
function join(delimiter: string, rest: Value[]): string {
  let elements: Value[];
  if (rest.length === 1 && rest[0] instanceof VList && rest[0].kind !== 'stream') {
    const list = rest[0];
    if (list.kind === 'javaArray' && list.arrayClass !== '[Ljava.lang.String;') return nsm();
    elements = list.items;
    const bad = elements.find((x) => x !== null && typeof x !== 'string');
    if (bad !== undefined) throw new JavaException('java.lang.ClassCastException', `${javaClassName(bad)} cannot be cast to java.lang.CharSequence`);
  } else {
    if (rest.some((x) => x !== null && typeof x !== 'string')) return nsm();
    elements = rest;
  }
  return elements.map((x) => (x === null ? 'null' : (x as string))).join(delimiter);
}

/** `String.indent(n)` (Java 12): each line gains (or loses up to) n leading spaces; lines end with \n. */
function indent(s: string, n: number): string {
  return lines(s).map((line) => {
    if (n > 0) return ' '.repeat(n) + line;
    if (n < 0) {
      let i = 0;
      while (i < -n && i < line.length && isJavaWhitespace(line.charCodeAt(i))) i++;
      return line.slice(i) + '\n';
    }
    return line;
  }).map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
}

/**
 * java.lang.String's methods (Java 8, plus those added up to Java 15: isBlank, lines, repeat,
 * strip*, indent, formatted; which JDK API Gateway runs is not recorded). Static methods (format,
 * join, valueOf) are reached through any string, as Velocity allows: `"".format('%05d', $n)`.
 */
function stringMethod(s: string, name: string, args: Value[]): Value {
  switch (name) {
    case 'length':
      arity(args, 0);
      return s.length;
    case 'toString':
    case 'intern':
      arity(args, 0);
      return s;
    case 'isEmpty':
      arity(args, 0);
      return s.length === 0;
    case 'isBlank':
      arity(args, 0);
      return [...s].every((c) => isJavaWhitespace(c.codePointAt(0)!));
    case 'trim':
      arity(args, 0);
      return javaTrim(s);
    case 'strip':
      arity(args, 0);
      return stripTrailing(stripLeading(s));
    case 'stripLeading':
      arity(args, 0);
      return stripLeading(s);
    case 'stripTrailing':
      arity(args, 0);
      return stripTrailing(s);
    case 'toLowerCase':
      arity(args, 0);
      return s.toLowerCase();
    case 'toUpperCase':
      arity(args, 0);
      return s.toUpperCase();
    case 'equals':
      arity(args, 1);
      return typeof args[0] === 'string' && args[0] === s;
    case 'contentEquals':
      arity(args, 1);
      return s === str(args[0]);
    case 'equalsIgnoreCase':
      arity(args, 1);
      return typeof args[0] === 'string' && args[0].length === s.length && compareIgnoreCase(s, args[0]) === 0;
    case 'regionMatches':
      arity(args, 4, 5);
      if (args.length === 4) return regionMatches(s, false, int(args[0]), str(args[1]), int(args[2]), int(args[3]));
      if (typeof args[0] !== 'boolean') return nsm();
      return regionMatches(s, args[0], int(args[1]), str(args[2]), int(args[3]), int(args[4]));
    case 'contains':
      arity(args, 1);
      return s.includes(str(args[0]));
    case 'startsWith':
      arity(args, 1, 2);
      return args.length === 2 ? s.startsWith(str(args[0]), int(args[1])) && int(args[1]) >= 0 : s.startsWith(str(args[0]));
    case 'endsWith':
      arity(args, 1);
      return s.endsWith(str(args[0]));
    case 'indexOf':
    case 'lastIndexOf': {
      arity(args, 1, 2);
      let needle: string;
      if (typeof args[0] === 'number') {
        // indexOf(int ch): a code point; anything outside Unicode is never found.
        const cp = int(args[0]);
        if (cp < 0 || cp > 0x10ffff) return -1;
        needle = String.fromCodePoint(cp);
      } else {
        needle = str(args[0]);
      }
      if (args.length === 2) {
        const from = int(args[1]);
        return name === 'indexOf' ? s.indexOf(needle, Math.max(0, from)) : from < 0 ? -1 : s.lastIndexOf(needle, from);
      }
      return name === 'indexOf' ? s.indexOf(needle) : s.lastIndexOf(needle);
    }
    case 'substring':
      arity(args, 1, 2);
      return substring(s, int(args[0]), args.length === 2 ? int(args[1]) : s.length);
    case 'subSequence':
      arity(args, 2);
      return substring(s, int(args[0]), int(args[1]));
    case 'charAt': {
      arity(args, 1);
      const i = int(args[0]);
      checkIndex(i, s.length);
      return s[i];
    }
    case 'codePointAt': {
      arity(args, 1);
      const i = int(args[0]);
      checkIndex(i, s.length);
      return s.codePointAt(i)!;
    }
    case 'codePointBefore': {
      arity(args, 1);
      const i = int(args[0]);
      if (i < 1 || i > s.length) stringIndexOutOfBounds(`index ${i}, length ${s.length}`);
      const low = s.charCodeAt(i - 1);
      if (low >= 0xdc00 && low <= 0xdfff && i >= 2 && s.charCodeAt(i - 2) >= 0xd800 && s.charCodeAt(i - 2) <= 0xdbff) return s.codePointAt(i - 2)!;
      return low;
    }
    case 'codePointCount': {
      arity(args, 2);
      const begin = int(args[0]);
      const end = int(args[1]);
      if (begin < 0 || end > s.length || begin > end) throw new JavaException('java.lang.IndexOutOfBoundsException', `begin ${begin}, end ${end}, length ${s.length}`);
      return [...s.slice(begin, end)].length;
    }
    case 'concat':
      arity(args, 1);
      return s + str(args[0]);
    case 'repeat': {
      arity(args, 1);
      const count = int(args[0]);
      if (count < 0) throw new JavaException('java.lang.IllegalArgumentException', `count is negative: ${count}`);
      if (s.length * count > 2147483647 - 8) {
        throw new JavaException('java.lang.OutOfMemoryError', `Repeating ${s.length} bytes String ${count} times will produce a String exceeding maximum size.`);
      }
      return s.repeat(count);
    }
    case 'replace': {
      arity(args, 2);
      const target = str(args[0]);
      const replacement = str(args[1]);
      if (target === '') return replacement + [...s].join(replacement) + (s.length > 0 ? replacement : '');
      return s.split(target).join(replacement);
    }
    case 'replaceAll':
      arity(args, 2);
      return javaReplaceAll(s, str(args[0]), str(args[1]));
    case 'replaceFirst':
      arity(args, 2);
      return javaReplaceFirst(s, str(args[0]), str(args[1]));
    case 'matches':
      arity(args, 1);
      return javaMatches(s, str(args[0]));
    case 'split':
      arity(args, 1, 2);
      return javaArray(javaSplit(s, str(args[0]), args.length === 2 ? int(args[1]) : 0), '[Ljava.lang.String;');
    case 'compareTo':
      arity(args, 1);
      return compareStrings(s, str(args[0]));
    case 'compareToIgnoreCase':
      arity(args, 1);
      return compareIgnoreCase(s, str(args[0]));
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(s);
    case 'toCharArray':
      arity(args, 0);
      return javaArray([...s].flatMap((c) => (c.length === 2 ? [c[0], c[1]] : [c])), '[C');
    case 'getBytes':
      arity(args, 0, 1);
      return bytesOf(s, args.length === 0 ? 'UTF-8' : str(args[0]));
    case 'chars':
      arity(args, 0);
      return stream([...s].flatMap((c) => (c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)])));
    case 'codePoints':
      arity(args, 0);
      return stream([...s].map((c) => c.codePointAt(0)!));
    case 'lines':
      arity(args, 0);
      return stream(lines(s));
    case 'indent':
      arity(args, 1);
      return indent(s, int(args[0]));
    case 'format':
      // static String.format(String format, Object... args)
      if (args.length === 0) return nsm();
      return javaFormat(str(args[0]), varargs(args.slice(1)));
    case 'formatted':
      // Java 15: format.formatted(args...) = String.format(this, args...)
      return javaFormat(s, varargs(args));
    case 'join':
      // static String.join(CharSequence delimiter, CharSequence... elements | Iterable elements)
      if (args.length === 0) return nsm();
      return join(str(args[0]), args.slice(1));
    case 'valueOf':
    case 'copyValueOf': {
      // static String.valueOf(x). With a null argument Velocity picks valueOf(char[]), the most
      // specific overload, which throws NullPointerException, as Java does.
      arity(args, 1);
      const v = args[0];
      if (v === null) npe('String.valueOf((char[]) null)');
      if (v instanceof VList && v.kind === 'javaArray' && v.arrayClass === '[C') return v.items.join('');
      if (name === 'copyValueOf') return nsm();
      return toJavaString(v);
    }
    default:
      return nsm();
  }
}

function mapMethod(m: VMap, name: string, args: Value[]): Value {
  const view = (what: 'keys' | 'values' | 'entries', items: Value[]) => {
    const v = new VList(items, 'set');
    v.viewOf = { map: m, what };
    return v;
  };
  switch (name) {
    case 'get':
      arity(args, 1);
      return m.get(args[0]);
    case 'put':
      arity(args, 2);
      return m.put(args[0], args[1]);
    case 'putIfAbsent':
      arity(args, 2);
      return m.has(args[0]) && m.get(args[0]) !== null ? m.get(args[0]) : m.put(args[0], args[1]);
    case 'getOrDefault':
      arity(args, 2);
      return m.has(args[0]) ? m.get(args[0]) : args[1];
    case 'containsKey':
      arity(args, 1);
      return m.has(args[0]);
    case 'containsValue':
      arity(args, 1);
      return m.values().some((v) => javaEquals(v, args[0]));
    case 'remove':
      arity(args, 1, 2);
      if (args.length === 2) {
        // remove(key, value): only when the key maps to that value.
        if (!m.has(args[0]) || !javaEquals(m.get(args[0]), args[1])) return false;
        m.remove(args[0]);
        return true;
      }
      return m.remove(args[0]);
    case 'replace':
      arity(args, 2, 3);
      if (args.length === 3) {
        if (!m.has(args[0]) || !javaEquals(m.get(args[0]), args[1])) return false;
        m.put(args[0], args[2]);
        return true;
      }
      return m.has(args[0]) ? m.put(args[0], args[1]) : null;
    case 'size':
      arity(args, 0);
      return m.size;
    case 'isEmpty':
      arity(args, 0);
      return m.size === 0;
    case 'keySet':
      arity(args, 0);
      return view('keys', m.keys());
    case 'values':
      arity(args, 0);
      return view('values', m.values());
    case 'entrySet':
      arity(args, 0);
      return view('entries', m.entries());
    case 'putAll': {
      arity(args, 1);
      const other = args[0];
      if (other === null) npe('putAll(null)');
      if (!(other instanceof VMap)) return nsm();
      for (const e of other.entries()) m.put(e.key, e.value);
      return '';
    }
    case 'clear':
      arity(args, 0);
      m.clear();
      return '';
    case 'toString':
      arity(args, 0);
      return toJavaString(m);
    case 'equals':
      arity(args, 1);
      return javaEquals(m, args[0]);
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(m);
    default:
      return nsm();
  }
}

/** `Collections.sort` natural order: Strings, or numbers of one class; anything else is a ClassCastException. */
function naturalCompare(a: Value, b: Value): number {
  if (a === null || b === null) npe('sort: null element');
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (isJavaNumber(a) && isJavaNumber(b) && javaTypeName(a) === javaTypeName(b)) {
    if (isJavaInteger(a) && isJavaInteger(b)) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
    return toDouble(a) < toDouble(b) ? -1 : toDouble(a) > toDouble(b) ? 1 : 0;
  }
  throw new JavaException('java.lang.ClassCastException', `${javaClassName(a)} cannot be compared with ${javaClassName(b)}`);
}

function collectionOf(v: Value): Value[] {
  if (v === null) npe('collection argument is null');
  if (!(v instanceof VList) || v.kind === 'javaArray' || v.kind === 'stream') return nsm();
  return v.items;
}

/** A Stream's methods: the terminal and simple intermediate operations that need no lambda. */
function streamMethod(l: VList, name: string, args: Value[]): Value {
  const items = l.items;
  switch (name) {
    case 'count':
      arity(args, 0);
      return items.length;
    case 'sum':
      arity(args, 0);
      if (!items.every((x) => typeof x === 'number')) return nsm(); // IntStream only
      return items.reduce<number>((a, x) => (a + (x as number)) | 0, 0);
    case 'toArray':
      arity(args, 0);
      return javaArray([...items], items.every((x) => typeof x === 'number') ? '[I' : '[Ljava.lang.Object;');
    case 'toList':
      arity(args, 0);
      return new VList([...items], 'array');
    case 'distinct':
      arity(args, 0);
      return stream(items.filter((x, i) => items.findIndex((y) => javaEquals(x, y)) === i));
    case 'sorted':
      arity(args, 0);
      return stream([...items].sort(naturalCompare));
    case 'limit':
    case 'skip': {
      arity(args, 1);
      const n = args[0];
      if (!isJavaInteger(n)) return nsm();
      if (Number(n) < 0) throw new JavaException('java.lang.IllegalArgumentException', String(n));
      return stream(name === 'limit' ? items.slice(0, Number(n)) : items.slice(Number(n)));
    }
    case 'toString':
      arity(args, 0);
      return toJavaString(l);
    default:
      return nsm();
  }
}

function listMethod(l: VList, name: string, args: Value[]): Value {
  if (l.kind === 'stream') return streamMethod(l, name, args);
  const items = l.items;
  const isSet = l.kind === 'set';
  const isArray = l.kind === 'javaArray';
  const modify = () => {
    if (isArray) throw new JavaException('java.lang.UnsupportedOperationException', `${name} on an array`);
    l.touch();
  };
  switch (name) {
    case 'size':
      arity(args, 0);
      return items.length;
    case 'isEmpty':
      arity(args, 0);
      return items.length === 0;
    case 'contains':
      arity(args, 1);
      return items.some((x) => javaEquals(x, args[0]));
    case 'containsAll':
      arity(args, 1);
      return collectionOf(args[0]).every((x) => items.some((y) => javaEquals(x, y)));
    case 'toString':
      arity(args, 0);
      return toJavaString(l);
    case 'equals':
      arity(args, 1);
      return javaEquals(l, args[0]);
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(l);
    case 'toArray':
      arity(args, 0);
      return javaArray([...items], '[Ljava.lang.Object;');
    default:
  }
  if (isSet) return setViewMethod(l, name, args);
  switch (name) {
    case 'get': {
      arity(args, 1);
      const i = int(args[0]);
      if (i < 0 || i >= items.length) outOfBounds('java.lang.IndexOutOfBoundsException', i, items.length);
      return items[i];
    }
    case 'set': {
      arity(args, 2);
      const i = int(args[0]);
      if (i < 0 || i >= items.length) outOfBounds('java.lang.IndexOutOfBoundsException', i, items.length);
      const previous = items[i];
      items[i] = args[1];
      return previous;
    }
    case 'indexOf':
      arity(args, 1);
      return items.findIndex((x) => javaEquals(x, args[0]));
    case 'lastIndexOf': {
      arity(args, 1);
      for (let i = items.length - 1; i >= 0; i--) if (javaEquals(items[i], args[0])) return i;
      return -1;
    }
    case 'add':
      arity(args, 1, 2);
      modify();
      if (args.length === 1) {
        items.push(args[0]);
        return true;
      } else {
        const i = int(args[0]);
        if (i < 0 || i > items.length) outOfBounds('java.lang.IndexOutOfBoundsException', i, items.length);
        items.splice(i, 0, args[1]);
        return '';
      }
    case 'addAll': {
      arity(args, 1, 2);
      const at = args.length === 2 ? int(args[0]) : items.length;
      const other = collectionOf(args[args.length - 1]);
      if (at < 0 || at > items.length) outOfBounds('java.lang.IndexOutOfBoundsException', at, items.length);
      modify();
      items.splice(at, 0, ...other);
      return other.length > 0;
    }
    case 'removeAll':
    case 'retainAll': {
      arity(args, 1);
      const other = collectionOf(args[0]);
      modify();
      const keep = items.filter((x) => other.some((y) => javaEquals(x, y)) === (name === 'retainAll'));
      const changed = keep.length !== items.length;
      items.splice(0, items.length, ...keep);
      return changed;
    }
    case 'remove': {
      arity(args, 1);
      modify();
      if (typeof args[0] === 'number') {
        const i = int(args[0]);
        if (i < 0 || i >= items.length) outOfBounds('java.lang.IndexOutOfBoundsException', i, items.length);
        return items.splice(i, 1)[0];
      }
      const at = items.findIndex((x) => javaEquals(x, args[0]));
      if (at >= 0) items.splice(at, 1);
      return at >= 0;
    }
    case 'clear':
      arity(args, 0);
      modify();
      items.length = 0;
      return '';
    case 'sort': {
      // List.sort(null): natural order (a template has no Comparator to give); stable, like TimSort.
      arity(args, 1);
      if (args[0] !== null) return nsm();
      modify();
      const sorted = [...items].sort(naturalCompare);
      items.splice(0, items.length, ...sorted);
      return '';
    }
    case 'subList': {
      // A copy: writes to it do not reach the list, unlike Java's view.
      arity(args, 2);
      const from = int(args[0]);
      const to = int(args[1]);
      if (from < 0 || to > items.length || from > to) outOfBounds('java.lang.IndexOutOfBoundsException', from, items.length);
      return new VList(items.slice(from, to), 'array');
    }
    case 'toJSONString':
      // json-smart's JSONArray (what $input.path gives for an array).
      arity(args, 0);
      if (l.kind !== 'json') return nsm();
      return toJavaString(l);
    default:
      return nsm();
  }
}

/** keySet(), values() and entrySet() are views: removing from them removes from the map; adding is unsupported. */
function setViewMethod(l: VList, name: string, args: Value[]): Value {
  const view = l.viewOf;
  switch (name) {
    case 'add':
    case 'addAll':
      throw new JavaException('java.lang.UnsupportedOperationException', `${name} on a map's ${view?.what ?? 'set'} view`);
    case 'remove': {
      arity(args, 1);
      const at = l.items.findIndex((x) => javaEquals(x, args[0]));
      if (at < 0) return false;
      if (view) {
        const entry = view.map.entries().find((e, i) => (view.what === 'keys' ? javaEquals(e.key, args[0]) : view.what === 'values' ? javaEquals(e.value, args[0]) : i === at));
        if (entry) view.map.remove(entry.key);
      }
      l.items.splice(at, 1);
      l.touch();
      return true;
    }
    case 'clear':
      arity(args, 0);
      view?.map.clear();
      l.items.length = 0;
      l.touch();
      return '';
    default:
      return nsm();
  }
}

function numberMethod(n: number | bigint | JDouble | JBigDecimal, name: string, args: Value[]): Value {
  switch (name) {
    case 'toString':
      arity(args, 0);
      return toJavaString(n);
    case 'equals':
      arity(args, 1);
      return javaEquals(n, args[0]);
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(n);
    case 'intValue':
    case 'longValue': {
      arity(args, 0);
      const d = isJavaInteger(n) ? BigInt(n) : BigInt(Math.trunc(Number.isFinite(toDouble(n)) ? toDouble(n) : 0));
      const wrapped = name === 'intValue' ? BigInt.asIntN(32, d) : BigInt.asIntN(64, d);
      return Number.isSafeInteger(Number(wrapped)) ? Number(wrapped) : wrapped;
    }
    case 'doubleValue':
      arity(args, 0);
      return new JDouble(toDouble(n));
    case 'floatValue':
      arity(args, 0);
      return new JDouble(Math.fround(toDouble(n)));
    case 'compareTo': {
      arity(args, 1);
      const other = args[0];
      if (other === null) npe('compareTo(null)');
      if (isJavaInteger(n) && isJavaInteger(other)) return BigInt(n) < BigInt(other) ? -1 : BigInt(n) > BigInt(other) ? 1 : 0;
      if (n instanceof JDouble && other instanceof JDouble) return n.value < other.value ? -1 : n.value > other.value ? 1 : 0;
      return nsm();
    }
    default:
      return nsm();
  }
}

function booleanMethod(b: boolean, name: string, args: Value[]): Value {
  switch (name) {
    case 'toString':
      arity(args, 0);
      return b ? 'true' : 'false';
    case 'booleanValue':
      arity(args, 0);
      return b;
    case 'equals':
      arity(args, 1);
      return args[0] === b;
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(b);
    default:
      return nsm();
  }
}

function entryMethod(e: VEntry, name: string, args: Value[]): Value {
  switch (name) {
    case 'getKey':
      arity(args, 0);
      return e.key;
    case 'getValue':
      arity(args, 0);
      return e.value;
    case 'setValue': {
      arity(args, 1);
      const previous = e.value;
      e.value = args[0];
      return previous;
    }
    case 'toString':
      arity(args, 0);
      return toJavaString(e);
    case 'equals':
      arity(args, 1);
      return javaEquals(e, args[0]);
    default:
      return nsm();
  }
}

/** A `java.lang.Class` (from `getClass()` / `$x.class`), for templates that test a value's type. */
class JavaClassHost extends VHost {
  public readonly javaClassName = 'java.lang.Class';
  constructor(private readonly name: string) {
    super();
  }

  public getProperty(name: string): Lookup {
    if (name === 'name' || name === 'typeName') return this.name;
    if (name === 'simpleName') return this.simpleName();
    return NOT_FOUND;
  }

  public callMethod(name: string, args: Value[]): Lookup {
    if (name === 'equals' && args.length === 1) return args[0] instanceof JavaClassHost && args[0].name === this.name;
    if (args.length !== 0) return NOT_FOUND;
    switch (name) {
      case 'getName':
      case 'getTypeName':
        return this.name;
      case 'getSimpleName':
        return this.simpleName();
      case 'toString':
        return this.toJavaString();
      case 'hashCode':
        return javaHashCode(this.name);
      default:
        return NOT_FOUND;
    }
  }

  public toJavaString(): string {
    return `class ${this.name}`;
  }

  private simpleName(): string {
    const array = { '[C': 'char[]', '[B': 'byte[]', '[I': 'int[]', '[Ljava.lang.String;': 'String[]', '[Ljava.lang.Object;': 'Object[]' }[this.name];
    return array ?? this.name.replace(/^.*[.$]/, '');
  }
}

/** `$target.name(args)`. NOT_FOUND when Java would have no such method (Velocity yields null). */
export function callMethod(target: Value, name: string, args: Value[]): Lookup {
  // Object.getClass(), on every value.
  if (name === 'getClass' && args.length === 0 && target !== null) return new JavaClassHost(javaClassName(target));
  try {
    if (typeof target === 'string') return stringMethod(target, name, args);
    if (target instanceof VMap) return mapMethod(target, name, args);
    if (target instanceof VList) return listMethod(target, name, args);
    if (typeof target === 'boolean') return booleanMethod(target, name, args);
    if (typeof target === 'number' || typeof target === 'bigint' || target instanceof JDouble || target instanceof JBigDecimal) {
      return numberMethod(target, name, args);
    }
    if (target instanceof VEntry) return entryMethod(target, name, args);
    if (target instanceof VHost) return target.callMethod(name, args);
    return NOT_FOUND;
  } catch (e) {
    if (e instanceof NoSuchMethod) return NOT_FOUND;
    throw e;
  }
}

/**
 * `$target.name`: Velocity tries `getName()` (either case of the first letter), then `Map.get("name")`,
 * then `isName()`. Returns null when nothing applies.
 */
export function getProperty(target: Value, name: string): Value {
  if (target === null) return null;
  // getClass() is a getter every object has, found before Map.get("class").
  if (name === 'class') return new JavaClassHost(javaClassName(target));
  if (target instanceof VMap) return target.get(name);
  const bean = name.charAt(0).toLowerCase() + name.slice(1);
  if (target instanceof VHost) {
    const v = target.getProperty(bean);
    return v === NOT_FOUND ? null : v;
  }
  // Java beans: getName() (`$s.bytes`, `$e.key`), then a boolean isName() (`$s.empty`, `$s.blank`).
  const cap = bean.charAt(0).toUpperCase() + bean.slice(1);
  const got = callMethod(target, `get${cap}`, []);
  if (got !== NOT_FOUND) return got;
  const is = callMethod(target, `is${cap}`, []);
  return typeof is === 'boolean' ? is : null;
}
