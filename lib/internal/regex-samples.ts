import { javaMatches } from '../vtl/java-regex';

/**
 * A few strings a Java regex matches as a whole, for telling whether two selection patterns overlap:
 * one pattern's samples are tried against the other. Not a full enumeration: each quantifier is taken at
 * its minimum and one more, each alternative once, each character class by one or two of its members.
 * Lookarounds are read as matching nothing, and every sample is checked against the pattern before use, so
 * none is wrong; constructs the generator does not follow (back-references, inline flags) give no samples.
 */
export function regexSamples(pattern: string, limit = 64): string[] {
  let samples: string[];
  try {
    samples = new SampleParser(pattern, limit).parse();
  } catch (e) {
    if (e instanceof Unsupported) return [];
    throw e;
  }
  return [...new Set(samples)].filter((s) => safeMatches(s, pattern)).slice(0, limit);
}

class Unsupported extends Error {}

/** Characters tried, in order, for a class: the first one or two members found are used. */
const CANDIDATES = [
  'a', 'x', 'A', 'Z', '0', '7', ' ', '_', '-', '.', ':', '[', ']', '(', ')', '/', '"', "'", ',', '!', '?', '#', '$', '@',
  '{', '}', '\\', '\n', '\t', 'é', 'Ω', '\u0000',
];

function safeMatches(s: string, pattern: string): boolean {
  try {
    return javaMatches(s, pattern);
  } catch {
    return false;
  }
}

/** Every combination of one string of each list, in order, at most `limit` of them. */
function product(lists: string[][], limit: number): string[] {
  let out = [''];
  for (const list of lists) {
    const next: string[] = [];
    for (const head of out) {
      for (const tail of list) {
        if (next.length >= limit) break;
        next.push(head + tail);
      }
    }
    out = next;
  }
  return out;
}

class SampleParser {
  private i = 0;

  constructor(private readonly pattern: string, private readonly limit: number) {}

  public parse(): string[] {
    const out = this.alternation();
    if (this.i < this.pattern.length) throw new Unsupported('unbalanced )');
    return out;
  }

  private alternation(): string[] {
    const alternatives = [this.sequence()];
    while (this.pattern[this.i] === '|') {
      this.i++;
      alternatives.push(this.sequence());
    }
    // Interleave, so that every alternative is represented within the limit.
    const out: string[] = [];
    for (let k = 0; out.length < this.limit && alternatives.some((a) => k < a.length); k++) {
      for (const a of alternatives) if (k < a.length && out.length < this.limit) out.push(a[k]);
    }
    return out;
  }

  private sequence(): string[] {
    const parts: string[][] = [];
    while (this.i < this.pattern.length && this.pattern[this.i] !== '|' && this.pattern[this.i] !== ')') {
      const atom = this.atom();
      parts.push(this.quantified(atom));
    }
    return product(parts, this.limit);
  }

  private quantified(atom: string[]): string[] {
    const p = this.pattern;
    let min = 1;
    let max = 1;
    const c = p[this.i];
    if (c === '*' || c === '+' || c === '?') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
      if (!m) throw new Unsupported('a { that is not a quantifier');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length;
    } else {
      return atom;
    }
    if (p[this.i] === '?' || p[this.i] === '+') this.i++;
    if (min > 100) throw new Unsupported('a large repetition');
    const counts = max > min ? [min, min + 1] : [min];
    const out: string[] = [];
    for (const n of counts) {
      for (const s of product(new Array(n).fill(atom), this.limit)) if (out.length < this.limit) out.push(s);
    }
    return out;
  }

  private atom(): string[] {
    const p = this.pattern;
    const c = p[this.i];
    if (c === '(') {
      this.i++;
      let lookaround = false;
      if (p[this.i] === '?') {
        const m = /^\?(:|>|<[a-zA-Z][a-zA-Z0-9]*>|=|!|<=|<!)/.exec(p.slice(this.i));
        if (!m) throw new Unsupported('inline flags');
        // A lookaround matches no text: its samples are dropped, and the final check drops the samples it forbids.
        lookaround = ['=', '!', '<=', '<!'].includes(m[1]);
        this.i += m[0].length;
      }
      const inner = this.alternation();
      if (p[this.i] !== ')') throw new Unsupported('an unclosed group');
      this.i++;
      return lookaround ? [''] : inner;
    }
    if (c === '[') return this.characterClass();
    if (c === '.') {
      this.i++;
      return ['x'];
    }
    if (c === '^' || c === '$') {
      this.i++;
      return [''];
    }
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?' || c === '{') throw new Unsupported('a dangling quantifier');
    const cp = p.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return [ch];
  }

  private escape(): string[] {
    const p = this.pattern;
    const d = p[this.i + 1];
    if (d === undefined) throw new Unsupported('a trailing backslash');
    if (d === 'Q') {
      const end = p.indexOf('\\E', this.i + 2);
      const literal = end < 0 ? p.slice(this.i + 2) : p.slice(this.i + 2, end);
      this.i = end < 0 ? p.length : end + 2;
      return [literal];
    }
    const start = this.i;
    this.i += 2;
    if ('bBAzZG'.includes(d)) return [''];
    if (/[1-9k]/.test(d)) throw new Unsupported('a back-reference');
    const simple: { [k: string]: string } = { t: '\t', n: '\n', r: '\r', f: '\f', e: '\x1b', a: '\x07' };
    if (simple[d] !== undefined) return [simple[d]];
    if (d === 'x' || d === 'u' || d === 'c' || d === '0' || d === 'p' || d === 'P' || /[dDwWsShHvVR]/.test(d)) {
      // Let the regex engine say which characters the escape stands for.
      const m = /^(?:x\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|c.|0[0-7]{1,3}|[pP]\{[^}]*\}|[pP][A-Za-z]|[dDwWsShHvVR])/.exec(p.slice(start + 1));
      if (!m) throw new Unsupported('an escape');
      this.i = start + 1 + m[0].length;
      return this.members(p.slice(start, this.i));
    }
    if (/[A-Za-z]/.test(d)) throw new Unsupported('an unknown escape');
    return [d];
  }

  private characterClass(): string[] {
    const p = this.pattern;
    const start = this.i;
    let depth = 0;
    let j = this.i;
    for (; j < p.length; j++) {
      const c = p[j];
      if (c === '\\') {
        if (p[j + 1] === 'Q') {
          const end = p.indexOf('\\E', j + 2);
          if (end < 0) throw new Unsupported('an unclosed \\Q in a class');
          j = end + 1;
        } else {
          j++;
        }
      } else if (c === '[') {
        depth++;
        // Java reads `]` right after `[` or `[^` as a literal.
        if (p[j + 1] === '^') j++;
        if (p[j + 1] === ']') j++;
      } else if (c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= p.length) throw new Unsupported('an unclosed class');
    this.i = j + 1;
    return this.members(p.slice(start, this.i));
  }

  /** One or two characters the one-character regex `cls` matches. */
  private members(cls: string): string[] {
    const found = CANDIDATES.filter((c) => safeMatches(c, cls)).slice(0, 2);
    if (found.length === 0) {
      for (let code = 0x20; code < 0x3000 && found.length === 0; code++) {
        const c = String.fromCharCode(code);
        if (safeMatches(c, cls)) found.push(c);
      }
    }
    if (found.length === 0) throw new Unsupported('a class no character was found for');
    return found;
  }
}
