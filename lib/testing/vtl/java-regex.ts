import { JavaException } from './values';

/**
 * java.util.regex on top of JavaScript RegExp, for String.replaceAll / replaceFirst / matches /
 * split. The common syntax is shared; where Java differs, the pattern is translated (`.`, `$`, `\s`,
 * `\Q...\E`, POSIX `\p{...}` classes, leading `(?i)` flags) and the constructs JavaScript cannot
 * express (possessive quantifiers, atomic groups, class intersections, inline flags mid-pattern)
 * are rejected with an error rather than silently matched differently.
 */

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
/** Java `$` without MULTILINE: end of input, or before a final line terminator. */
const JAVA_END = `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F', Space: JAVA_SPACE, javaLowerCase: 'a-z', javaUpperCase: 'A-Z', L: 'a-zA-Z',
};

interface Translated {
  readonly source: string;
  readonly flags: string;
}

const cache = new Map<string, Translated>();

function unsupported(pattern: string, what: string): never {
  throw new JavaException('java.util.regex.PatternSyntaxException', `${what} is not supported by this renderer in regex "${pattern}"`);
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Translates a Java regex into a JavaScript one (without the `g` flag). */
export function translateJavaRegex(pattern: string): Translated {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let flags = '';
  let i = 0;
  for (let lead = /^\(\?([a-zA-Z]+)\)/.exec(pattern); lead; lead = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i))) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else if (f !== 'd' && f !== 'u' && f !== 'U') unsupported(pattern, `the inline flag (?${f})`);
    }
    i += lead[0].length;
  }
  let out = '';
  let inClass = false;
  let lastWasQuantifier = false;
  while (i < pattern.length) {
    const c = pattern[i];
    const quantifier: boolean = lastWasQuantifier;
    lastWasQuantifier = false;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw new JavaException('java.util.regex.PatternSyntaxException', `unexpected trailing backslash in regex "${pattern}"`);
      if (d === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      i += 2;
      if (!inClass && d === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && d === 'z') out += '(?![\\s\\S])';
      else if (!inClass && d === 'Z') out += JAVA_END;
      else if (d === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (d === 'S' && !inClass) out += `[^${JAVA_SPACE}]`;
      else if (d === 'h') out += inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
      else if (d === 'v') out += inClass ? '\\n\\x0B\\f\\r\\x85\\u2028\\u2029' : '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
      else if (d === 'e') out += '\\x1B';
      else if (d === 'a') out += '\\x07';
      else if (d === '0') {
        const m = /^[0-3]?[0-7]{1,2}|^[0-7]/.exec(pattern.slice(i));
        if (!m) unsupported(pattern, 'an empty octal escape \\0');
        out += `\\x${parseInt(m[0], 8).toString(16).padStart(2, '0')}`;
        i += m[0].length;
      } else if (d === 'x' && pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        out += escapeLiteral(String.fromCodePoint(parseInt(pattern.slice(i + 1, end), 16)));
        i = end + 1;
      } else if (d === 'p' || d === 'P') {
        const m = /^\{(?:Is)?([A-Za-z]+)\}|^([A-Za-z])/.exec(pattern.slice(i));
        const name = m ? m[1] ?? m[2] : undefined;
        if (!m || !name || !POSIX[name]) unsupported(pattern, `the character class \\${d}${m ? m[0] : ''}`);
        i += m[0].length;
        if (d === 'P' && inClass) unsupported(pattern, 'a negated \\P{...} class inside [...]');
        out += inClass ? POSIX[name] : `[${d === 'P' ? '^' : ''}${POSIX[name]}]`;
      } else if ('GRXKNHVzAZ'.includes(d)) {
        unsupported(pattern, `the escape \\${d}`);
      } else if (/[a-zA-Z]/.test(d) && !'dDwWbBnrtfcuxkS'.includes(d)) {
        throw new JavaException('java.util.regex.PatternSyntaxException', `illegal/unsupported escape sequence \\${d} in regex "${pattern}"`);
      } else {
        out += `\\${d}`;
      }
      continue;
    }
    if (inClass) {
      if (c === '[') unsupported(pattern, 'a nested character class');
      if (c === '&' && pattern[i + 1] === '&') unsupported(pattern, 'a character class intersection (&&)');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') {
        // Java reads a `]` right after `[` as a literal.
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '+' && quantifier) unsupported(pattern, 'a possessive quantifier');
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (!/^(?::|=|!|<=|<!|<[a-zA-Z][a-zA-Z0-9]*>)/.test(rest)) {
        unsupported(pattern, rest.startsWith('>') ? 'an atomic group (?>...)' : 'an inline flag group');
      }
    }
    if (c === '.') out += flags.includes('s') ? '[\\s\\S]' : `[^${LINE_TERMINATORS}]`;
    else if (c === '$') out += flags.includes('m') ? '$' : JAVA_END;
    else out += c;
    if (c === '*' || c === '+' || c === '?' || c === '}') lastWasQuantifier = !(c === '?' && quantifier);
    i++;
  }
  try {
    new RegExp(out, flags);
  } catch (e) {
    throw new JavaException('java.util.regex.PatternSyntaxException', `invalid regex "${pattern}": ${(e as Error).message}`);
  }
  const result = { source: out, flags };
  if (cache.size > 500) cache.clear();
  cache.set(pattern, result);
  return result;
}

function compile(pattern: string, extraFlags: string): RegExp {
  const t = translateJavaRegex(pattern);
  return new RegExp(t.source, t.flags + extraFlags);
}

function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

/** Matcher.appendReplacement: `$n` / `${name}` are groups, `\x` is a literal x. */
function expandReplacement(replacement: string, groups: Array<string | undefined>, named: Record<string, string | undefined> | undefined): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new JavaException('java.lang.IllegalArgumentException', 'character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end < 0 ? '' : replacement.slice(i + 1, end);
        if (end < 0 || !named || !(name in named)) throw new JavaException('java.lang.IllegalArgumentException', `No group with name {${name}}`);
        out += named[name] ?? '';
        i = end;
      } else {
        if (!/[0-9]/.test(replacement[i])) throw new JavaException('java.lang.IllegalArgumentException', 'Illegal group reference');
        let ref = Number(replacement[i]);
        // Java takes further digits only while they still name an existing group.
        while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]) && ref * 10 + Number(replacement[i + 1]) < groups.length) {
          ref = ref * 10 + Number(replacement[i + 1]);
          i++;
        }
        if (ref >= groups.length) throw new JavaException('java.lang.IndexOutOfBoundsException', `No group ${ref}`);
        out += groups[ref] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

function replace(s: string, pattern: string, replacement: string, all: boolean): string {
  const re = compile(pattern, all ? 'g' : '');
  const count = groupCount(re);
  return s.replace(re, (...args: unknown[]) => {
    const groups = args.slice(0, count + 1) as Array<string | undefined>;
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    return expandReplacement(replacement, groups, named);
  });
}

/** String.replaceAll(regex, replacement). */
export function javaReplaceAll(s: string, pattern: string, replacement: string): string {
  return replace(s, pattern, replacement, true);
}

/** String.replaceFirst(regex, replacement). */
export function javaReplaceFirst(s: string, pattern: string, replacement: string): string {
  return replace(s, pattern, replacement, false);
}

/** String.matches(regex): the whole string must match. */
export function javaMatches(s: string, pattern: string): boolean {
  const t = translateJavaRegex(pattern);
  return new RegExp(`(?<![\\s\\S])(?:${t.source})(?![\\s\\S])`, t.flags).test(s);
}

/** String.split(regex, limit) with Java's rules for leading and trailing empty strings. */
export function javaSplit(s: string, pattern: string, limit = 0): string[] {
  const re = compile(pattern, 'g');
  const parts: string[] = [];
  let index = 0;
  let matched = false;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue;
    parts.push(s.slice(index, start));
    index = end;
    matched = true;
  }
  if (!matched) return [s];
  parts.push(s.slice(index));
  if (limit === 0) {
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  }
  return parts;
}
