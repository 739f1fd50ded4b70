import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } from './java-regex';
import {
  asJavaInt,
  isJavaInteger,
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
    case 'trim':
      arity(args, 0);
      return javaTrim(s);
    case 'toLowerCase':
      arity(args, 0);
      return s.toLowerCase();
    case 'toUpperCase':
      arity(args, 0);
      return s.toUpperCase();
    case 'equals':
      arity(args, 1);
      return typeof args[0] === 'string' && args[0] === s;
    case 'equalsIgnoreCase':
      arity(args, 1);
      return typeof args[0] === 'string' && args[0].length === s.length && args[0].toUpperCase().toLowerCase() === s.toUpperCase().toLowerCase();
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
      const needle = typeof args[0] === 'number' ? String.fromCharCode(int(args[0])) : str(args[0]);
      if (args.length === 2) {
        const from = int(args[1]);
        return name === 'indexOf' ? s.indexOf(needle, Math.max(0, from)) : from < 0 ? -1 : s.lastIndexOf(needle, from);
      }
      return name === 'indexOf' ? s.indexOf(needle) : s.lastIndexOf(needle);
    }
    case 'substring': {
      arity(args, 1, 2);
      const begin = int(args[0]);
      const end = args.length === 2 ? int(args[1]) : s.length;
      if (begin < 0 || end > s.length || begin > end) {
        throw new JavaException('java.lang.StringIndexOutOfBoundsException', `begin ${begin}, end ${end}, length ${s.length}`);
      }
      return s.slice(begin, end);
    }
    case 'charAt': {
      arity(args, 1);
      const i = int(args[0]);
      if (i < 0 || i >= s.length) throw new JavaException('java.lang.StringIndexOutOfBoundsException', `index ${i}, length ${s.length}`);
      return s[i];
    }
    case 'concat':
      arity(args, 1);
      return s + str(args[0]);
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
      return new VList(javaSplit(s, str(args[0]), args.length === 2 ? int(args[1]) : 0), 'javaArray');
    case 'compareTo':
      arity(args, 1);
      return compareStrings(s, str(args[0]));
    case 'compareToIgnoreCase':
      arity(args, 1);
      return compareStrings(s.toUpperCase().toLowerCase(), str(args[0]).toUpperCase().toLowerCase());
    case 'hashCode':
      arity(args, 0);
      return javaHashCode(s);
    default:
      return nsm();
  }
}

function mapMethod(m: VMap, name: string, args: Value[]): Value {
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
      arity(args, 1);
      return m.remove(args[0]);
    case 'size':
      arity(args, 0);
      return m.size;
    case 'isEmpty':
      arity(args, 0);
      return m.size === 0;
    case 'keySet':
      arity(args, 0);
      return new VList(m.keys(), 'set');
    case 'values':
      arity(args, 0);
      return new VList(m.values(), 'set');
    case 'entrySet':
      arity(args, 0);
      return new VList(m.entries(), 'set');
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
    default:
      return nsm();
  }
}

function listMethod(l: VList, name: string, args: Value[]): Value {
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
    case 'toString':
      arity(args, 0);
      return toJavaString(l);
    case 'equals':
      arity(args, 1);
      return javaEquals(l, args[0]);
    default:
  }
  if (isSet) return nsm();
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
      arity(args, 1);
      const other = args[0];
      if (other === null) npe('addAll(null)');
      if (!(other instanceof VList)) return nsm();
      modify();
      items.push(...other.items);
      return other.items.length > 0;
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
    case 'subList': {
      arity(args, 2);
      const from = int(args[0]);
      const to = int(args[1]);
      if (from < 0 || to > items.length || from > to) outOfBounds('java.lang.IndexOutOfBoundsException', from, items.length);
      return new VList(items.slice(from, to), 'array');
    }
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

/** `$target.name(args)`. NOT_FOUND when Java would have no such method (Velocity yields null). */
export function callMethod(target: Value, name: string, args: Value[]): Lookup {
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
  if (target instanceof VMap) return target.get(name);
  const bean = name.charAt(0).toLowerCase() + name.slice(1);
  if (target instanceof VHost) {
    const v = target.getProperty(bean);
    return v === NOT_FOUND ? null : v;
  }
  if (target instanceof VEntry) {
    if (bean === 'key') return target.key;
    if (bean === 'value') return target.value;
    return null;
  }
  if (bean === 'empty') {
    // isEmpty() of String and collections.
    if (typeof target === 'string') return target.length === 0;
    if (target instanceof VList) return target.items.length === 0;
  }
  return null;
}
