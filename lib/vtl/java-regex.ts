import { JavaException } from './values';

/**
 * java.util.regex on top of JavaScript RegExp, for String.replaceAll / replaceFirst / matches / split
 * (and the library's Lambda error patterns, checked at synth). A Java pattern is parsed and rewritten
 * as a JavaScript pattern with the `v` flag, emulating what JavaScript lacks:
 *
 * - flags `(?idmsuxU)`, also mid-pattern and scoped `(?i:...)`: case-insensitivity is expanded per
 *   character (Java folds ASCII only unless `u`/`U`; JavaScript's `i` would fold all of Unicode);
 *   `(?x)` drops whitespace and `#` comments, inside classes too; `(?U)` makes `\w \d \s \b` and the
 *   POSIX classes Unicode;
 * - possessive quantifiers `a*+` and atomic groups `(?>...)` as `(?=(...))\n` (a lookahead does not
 *   backtrack into itself), with group numbers mapped back to Java's for `$n` and `\n`;
 * - class intersections `[a-z&&[^b]]` and nested classes `[a[bc]]` (the `v` flag's `&&` and nesting);
 * - `\p{Lu}`, `\p{IsAlphabetic}`, `\p{IsGreek}` (script), `\p{InGreek}` (block), `\p{javaLowerCase}`,
 *   POSIX `\p{Alpha}` ...; `\R`; `\G` at the start of the pattern (sticky matching); `\h \v \A \z \Z`;
 *   Java's `.`, `^`, `$` line terminators (`\r\n \n \r \u0085 \u2028 \u2029`);
 * - `\b` uses Java 8-18's word characters (letters, digits, `_`, any script), not JavaScript's ASCII.
 *
 * What cannot be made to behave exactly as Java does throws a PatternSyntaxException-like error
 * naming the construct, rather than matching differently: a negated class holding nested classes or
 * `&&` (Java 8 and 9+ disagree), case-insensitive backreferences or case-sensitive Unicode
 * properties, `\X`, `\N{...}`, `\G` other than at the start, CANON_EQ, unknown properties and blocks.
 * Checked against java.util.regex on Java 17.
 */

interface Flags {
  readonly i: boolean;
  readonly d: boolean;
  readonly m: boolean;
  readonly s: boolean;
  readonly u: boolean;
  readonly x: boolean;
  readonly U: boolean;
}

type Node =
  | { readonly t: 'alt'; readonly branches: Node[][] }
  | { readonly t: 'raw'; readonly js: string }
  | { readonly t: 'group'; readonly kind: 'capture' | 'plain' | '=' | '!' | '<=' | '<!' | 'atomic'; readonly body: Node; readonly javaIndex?: number; readonly name?: string }
  | { readonly t: 'quant'; readonly atom: Node; readonly q: string; readonly possessive: boolean }
  | { readonly t: 'backref'; readonly javaIndex?: number; readonly name?: string; readonly closed: boolean };

export interface Translated {
  /** JavaScript pattern source, for `new RegExp(source, flags)`. */
  readonly source: string;
  /** `v`, plus `y` when the pattern starts with `\G`. */
  readonly flags: string;
  /** JavaScript group number of each Java group (index 0 = the whole match). */
  readonly groupMap: number[];
  /** Number of capturing groups in the JavaScript pattern (Java's plus the emulation's). */
  readonly jsGroupCount: number;
}

const cache = new Map<string, Translated>();

function syntaxError(pattern: string, why: string): never {
  throw new JavaException('java.util.regex.PatternSyntaxException', `${why} in regex "${pattern}"`);
}

function unsupported(pattern: string, what: string): never {
  throw new JavaException('java.util.regex.PatternSyntaxException', `${what} is not supported by this renderer in regex "${pattern}"`);
}

/** A code point as a JavaScript `v`-mode pattern character (inside or outside a class). */
function lit(cp: number): string {
  const c = String.fromCodePoint(cp);
  return /[a-zA-Z0-9]/.test(c) ? c : `\\u{${cp.toString(16)}}`;
}

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_SPACE = '[\\t\\n\\x0B\\f\\r ]';
const ASCII_WORD = '[a-zA-Z_0-9]';
const UNICODE_WORD = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';
/** Java 8-18's `\b` word characters: Character.isLetterOrDigit or `_` (whatever UNICODE_CHARACTER_CLASS says). */
const BOUNDARY_WORD = '[\\p{L}\\p{Nd}_]';

/** POSIX classes: ASCII by default, Unicode under (?U) (Pattern's javadoc table). */
const POSIX_ASCII: Record<string, string> = {
  Lower: '[a-z]', Upper: '[A-Z]', ASCII: '[\\x00-\\x7F]', Alpha: '[a-zA-Z]', Digit: '[0-9]', Alnum: '[a-zA-Z0-9]',
  Punct: '[\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E]', Graph: '[\\x21-\\x7E]', Print: '[\\x20-\\x7E]', Blank: '[ \\t]',
  Cntrl: '[\\x00-\\x1F\\x7F]', XDigit: '[0-9a-fA-F]', Space: JAVA_SPACE,
};
const POSIX_UNICODE: Record<string, string> = {
  Lower: '\\p{Lowercase}', Upper: '\\p{Uppercase}', ASCII: '[\\x00-\\x7F]', Alpha: '\\p{Alphabetic}', Digit: '\\p{Nd}',
  Alnum: '[\\p{Alphabetic}\\p{Nd}]', Punct: '\\p{P}', Blank: '[\\p{Zs}\\t]', Cntrl: '\\p{Cc}',
  XDigit: '[\\p{Nd}\\p{Hex_Digit}]', Space: '\\p{White_Space}', Graph: '[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]',
};
const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: '\\p{Lowercase}', javaUpperCase: '\\p{Uppercase}', javaAlphabetic: '\\p{Alphabetic}',
  javaIdeographic: '\\p{Ideographic}', javaLetter: '\\p{L}', javaDigit: '\\p{Nd}', javaLetterOrDigit: '[\\p{L}\\p{Nd}]',
  javaTitleCase: '\\p{Lt}', javaSpaceChar: '\\p{Z}', javaISOControl: '[\\x00-\\x1F\\x7F-\\x9F]', javaMirrored: '\\p{Bidi_M}',
  javaDefined: '\\P{Cn}', javaWhitespace: '[[\\t-\\r\\x1C-\\x1F\\p{Z}]--[\\xA0\\u2007\\u202F]]',
};
/** Binary properties Java accepts as `\p{IsName}` (names compared without case, `_` or spaces). */
const BINARY_PROPERTIES: Record<string, string> = {
  alphabetic: '\\p{Alphabetic}', ideographic: '\\p{Ideographic}', letter: '\\p{L}', lowercase: '\\p{Lowercase}',
  uppercase: '\\p{Uppercase}', titlecase: '\\p{Lt}', punctuation: '\\p{P}', control: '\\p{Cc}', whitespace: '\\p{White_Space}',
  digit: '\\p{Nd}', hexdigit: '\\p{Hex_Digit}', joincontrol: '\\p{Join_Control}', noncharactercodepoint: '\\p{Noncharacter_Code_Point}',
  assigned: '\\P{Cn}', emoji: '\\p{Emoji}',
};
/** Unicode blocks for `\p{InName}` (Character.UnicodeBlock names, compared without case, spaces, `_` or `-`). */
const BLOCKS: Record<string, [number, number]> = {
  basiclatin: [0x0, 0x7f], latin1supplement: [0x80, 0xff], latinextendeda: [0x100, 0x17f], latinextendedb: [0x180, 0x24f],
  ipaextensions: [0x250, 0x2af], spacingmodifierletters: [0x2b0, 0x2ff], combiningdiacriticalmarks: [0x300, 0x36f],
  greek: [0x370, 0x3ff], greekandcoptic: [0x370, 0x3ff], cyrillic: [0x400, 0x4ff], armenian: [0x530, 0x58f], hebrew: [0x590, 0x5ff],
  arabic: [0x600, 0x6ff], devanagari: [0x900, 0x97f], thai: [0xe00, 0xe7f], hangujamo: [0x1100, 0x11ff], hanguljamo: [0x1100, 0x11ff],
  greekextended: [0x1f00, 0x1fff], generalpunctuation: [0x2000, 0x206f], currencysymbols: [0x20a0, 0x20cf],
  letterlikesymbols: [0x2100, 0x214f], arrows: [0x2190, 0x21ff], mathematicaloperators: [0x2200, 0x22ff], boxdrawing: [0x2500, 0x257f],
  geometricshapes: [0x25a0, 0x25ff], miscellaneoussymbols: [0x2600, 0x26ff], dingbats: [0x2700, 0x27bf],
  cjksymbolsandpunctuation: [0x3000, 0x303f], hiragana: [0x3040, 0x309f], katakana: [0x30a0, 0x30ff],
  cjkunifiedideographs: [0x4e00, 0x9fff], hangulsyllables: [0xac00, 0xd7af], privateusearea: [0xe000, 0xf8ff],
  halfwidthandfullwidthforms: [0xff00, 0xffef], specials: [0xfff0, 0xffff], emoticons: [0x1f600, 0x1f64f],
};
/** Properties whose meaning changes under CASE_INSENSITIVE in Java (`(?i)\p{Lu}` matches `a`). */
const CASED_PROPERTIES = /^(Is)?(Lu|Ll|Lt|LC|L&|Lower|Upper|javaLowerCase|javaUpperCase|javaTitleCase|Lowercase|Uppercase|Titlecase)$/i;

function validProperty(js: string): boolean {
  try {
    new RegExp(js, 'v');
    return true;
  } catch {
    return false;
  }
}

/** The v-mode class operand for `\p{name}` (negated for `\P`). */
function property(pattern: string, name: string, negated: boolean, flags: Flags): string {
  if (flags.i && CASED_PROPERTIES.test(name)) unsupported(pattern, `the case-sensitive property \\p{${name}} under (?i) (Java then also matches the other case)`);
  const norm = (s: string) => s.toLowerCase().replace(/[ _-]/g, '');
  let js: string | undefined;
  const kv = /^(general_category|gc|script|sc|block|blk)=(.+)$/i.exec(name);
  if (POSIX_ASCII[name]) {
    js = flags.U ? POSIX_UNICODE[name] : POSIX_ASCII[name];
    if (!js) unsupported(pattern, `\\p{${name}} under (?U)`);
  } else if (JAVA_CHARACTER[name]) {
    js = JAVA_CHARACTER[name];
  } else if (kv && /^(block|blk)$/i.test(kv[1]) || name.startsWith('In')) {
    const block = BLOCKS[norm(kv ? kv[2] : name.slice(2))];
    if (!block) unsupported(pattern, `the Unicode block \\p{${name}} (not in this renderer's block table)`);
    js = `[${lit(block[0])}-${lit(block[1])}]`;
  } else {
    const bare = kv ? kv[2] : name.startsWith('Is') ? name.slice(2) : name;
    const scriptName = bare.charAt(0).toUpperCase() + bare.slice(1).toLowerCase();
    if (kv && /^(script|sc)$/i.test(kv[1])) js = `\\p{Script=${scriptName}}`;
    else if (/^(L|Lu|Ll|Lt|Lm|Lo|LC|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Co|Cs|Cn)$/.test(bare)) js = `\\p{${bare}}`;
    else if (bare === 'LD') js = '[\\p{L}\\p{Nd}]';
    else if (name.startsWith('Is') && BINARY_PROPERTIES[norm(bare)]) js = BINARY_PROPERTIES[norm(bare)];
    else if (name.startsWith('Is')) js = `\\p{Script=${scriptName}}`;
    if (!js || !validProperty(js)) unsupported(pattern, `the character property \\p{${name}}`);
  }
  return negated ? negate(js) : js;
}

/** Negates a v-mode class operand (`\p{X}`, `[...]` or `[^...]`). */
function negate(set: string): string {
  if (/^\\p\{[^}]*\}$/.test(set)) return `\\P${set.slice(2)}`;
  if (/^\\P\{[^}]*\}$/.test(set)) return `\\p${set.slice(2)}`;
  if (set.startsWith('[^')) return `[${set.slice(2)}`;
  return `[^${set.slice(1)}`;
}

/** Code points Java's case-insensitive matching treats as equal to `cp`. */
function caseVariants(cp: number, flags: Flags): number[] {
  const c = String.fromCodePoint(cp);
  if (/[a-zA-Z]/.test(c)) return [c.toLowerCase().codePointAt(0)!, c.toUpperCase().codePointAt(0)!];
  if (!flags.u && !flags.U) return [cp];
  const out = new Set([cp]);
  for (const v of [c.toUpperCase(), c.toLowerCase(), c.toUpperCase().toLowerCase()]) {
    if ([...v].length === 1) out.add(v.codePointAt(0)!);
  }
  return [...out];
}

function literal(cp: number, flags: Flags): string {
  if (!flags.i) return lit(cp);
  const variants = caseVariants(cp, flags);
  return variants.length > 1 ? `[${variants.map(lit).join('')}]` : lit(cp);
}

type ClassAtom = { readonly cp: number } | { readonly set: string } | { readonly quoted: number[] };

class Translator {
  private i = 0;
  private javaGroups = 0;
  private sticky = false;
  /** Capturing groups closed so far (by number and by name). */
  private readonly closed = new Set<number | string>();

  constructor(private readonly p: string) {}

  public run(): Translated {
    const flags: Flags = { i: false, d: false, m: false, s: false, u: false, x: false, U: false };
    if (this.p.startsWith('\\G')) {
      // `\G` first: every match must start where the previous one ended (the sticky flag).
      this.sticky = true;
      this.i = 2;
    }
    const root = this.parseAlternation(flags);
    if (this.i < this.p.length) syntaxError(this.p, `unmatched closing ")" at index ${this.i}`);
    const groupMap: number[] = [0];
    let js = 0;
    // Numbering pass. It also records the conditions (alternative branches, optional repetitions) each
    // group and backreference sit under: a backreference to a group that may not have taken part fails
    // in Java but matches the empty string in JavaScript, so it is refused.
    const groupConditions = new Map<number | string, string[]>();
    const refConditions = new Map<Node, string[]>();
    let conditionIds = 0;
    const number = (n: Node, conditions: string[]): void => {
      switch (n.t) {
        case 'alt': {
          const id = ++conditionIds;
          n.branches.forEach((b, k) => b.forEach((x) => number(x, n.branches.length > 1 ? [...conditions, `${id}.${k}`] : conditions)));
          return;
        }
        case 'group':
          if (n.kind === 'capture') {
            groupMap[n.javaIndex!] = ++js;
            groupConditions.set(n.javaIndex!, conditions);
            if (n.name) groupConditions.set(n.name, conditions);
          } else if (n.kind === 'atomic') helpers.set(n, ++js);
          number(n.body, conditions);
          return;
        case 'quant':
          if (n.possessive) helpers.set(n, ++js);
          number(n.atom, /^(?:[*?]|\{0[,}])/.test(n.q) ? [...conditions, `q${++conditionIds}`] : conditions);
          return;
        case 'backref':
          refConditions.set(n, conditions);
          return;
        default:
          return;
      }
    };
    const helpers = new Map<Node, number>();
    number(root, []);
    const mayNotHaveMatched = (n: Node & { t: 'backref' }): boolean => {
      const group = groupConditions.get(n.name ?? n.javaIndex!) ?? [];
      const ref = refConditions.get(n) ?? [];
      return group.some((c, k) => ref[k] !== c);
    };
    const emit = (n: Node): string => {
      switch (n.t) {
        case 'alt':
          return n.branches.map((b) => b.map(emit).join('')).join('|');
        case 'raw':
          return n.js;
        case 'backref':
          // A group that does not exist never matches in Java; one not closed yet (a forward or nested
          // reference) fails in Java but matches empty in JavaScript.
          if (n.javaIndex !== undefined && n.javaIndex > this.javaGroups) return '[]';
          if (!n.closed) unsupported(this.p, `the backreference \\${n.name !== undefined ? `k<${n.name}>` : n.javaIndex} before its group closes`);
          if (mayNotHaveMatched(n)) unsupported(this.p, `the backreference \\${n.name !== undefined ? `k<${n.name}>` : n.javaIndex} to a group that may not have matched (an other alternative, or an optional part)`);
          if (n.name !== undefined) return `\\k<${n.name}>`;
          return `\\${groupMap[n.javaIndex!]}(?:)`;
        case 'group': {
          const body = emit(n.body);
          switch (n.kind) {
            case 'capture':
              return n.name ? `(?<${n.name}>${body})` : `(${body})`;
            case 'plain':
              return `(?:${body})`;
            case 'atomic':
              return `(?:(?=(${body}))\\${helpers.get(n)}(?:))`;
            default:
              return `(?${n.kind}${body})`;
          }
        }
        case 'quant': {
          // JavaScript refuses a quantifier right after an assertion; Java accepts it.
          const assertion = (n.atom.t === 'group' && ['=', '!', '<=', '<!'].includes(n.atom.kind)) || (n.atom.t === 'raw' && n.atom.js.startsWith('(?'));
          const atom = assertion ? `(?:${emit(n.atom)})` : emit(n.atom);
          if (n.possessive) return `(?:(?=(${atom}${n.q}))\\${helpers.get(n)}(?:))`;
          return atom + n.q;
        }
      }
    };
    const source = emit(root);
    try {
      new RegExp(source, 'v');
    } catch (e) {
      syntaxError(this.p, `invalid regex (${(e as Error).message})`);
    }
    return { source, flags: this.sticky ? 'vy' : 'v', groupMap, jsGroupCount: js };
  }

  private skipIgnorable(flags: Flags): void {
    if (!flags.x) return;
    for (;;) {
      const c = this.p[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\x0B') this.i++;
      else if (c === '#') {
        while (this.i < this.p.length && this.p[this.i] !== '\n' && this.p[this.i] !== '\r') this.i++;
      } else return;
    }
  }

  /** Alternatives up to an unmatched `)` or the end. Inline flags last to the end of the group. */
  private parseAlternation(start: Flags): Node {
    const p = this.p;
    const branches: Node[][] = [[]];
    let flags = start;
    for (;;) {
      this.skipIgnorable(flags);
      if (this.i >= p.length || p[this.i] === ')') break;
      const c = p[this.i];
      if (c === '|') {
        this.i++;
        branches.push([]);
        continue;
      }
      const seq = branches[branches.length - 1];
      const inline = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(\)|:)/.exec(p.slice(this.i));
      let atom: Node;
      if (inline && !(inline[1] === '' && inline[2] === undefined && inline[3] === ')')) {
        const next = this.applyFlags(flags, inline[1], inline[2] ?? '');
        this.i += inline[0].length;
        if (inline[3] === ')') {
          flags = next;
          continue;
        }
        atom = { t: 'group', kind: 'plain', body: this.parseGroupBody(next) };
      } else {
        const parsed = this.parseAtom(flags);
        if (parsed === undefined) continue;
        atom = parsed;
      }
      seq.push(this.parseQuantifier(atom, flags));
    }
    return { t: 'alt', branches };
  }

  private parseGroupBody(flags: Flags): Node {
    const open = this.i;
    const body = this.parseAlternation(flags);
    if (this.p[this.i] !== ')') syntaxError(this.p, `unclosed group opened before index ${open}`);
    this.i++;
    return body;
  }

  private applyFlags(flags: Flags, on: string, off: string): Flags {
    const next: { -readonly [K in keyof Flags]: boolean } = { ...flags };
    for (const [letters, value] of [[on, true], [off, false]] as Array<[string, boolean]>) {
      for (const f of letters) {
        if (f === 'c') unsupported(this.p, 'CANON_EQ (?c)');
        if (!'idmsuxU'.includes(f)) syntaxError(this.p, `unknown inline modifier "${f}"`);
        next[f as keyof Flags] = value;
        if (f === 'U' && value) next.u = true; // UNICODE_CHARACTER_CLASS implies UNICODE_CASE
      }
    }
    return next;
  }

  private parseQuantifier(atom: Node, flags: Flags): Node {
    const p = this.p;
    this.skipIgnorable(flags);
    const m = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})/.exec(p.slice(this.i));
    if (!m) {
      if (p[this.i] === '{') syntaxError(this.p, `illegal repetition near index ${this.i}`);
      return atom;
    }
    if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) syntaxError(this.p, `illegal repetition range near index ${this.i}`);
    this.i += m[0].length;
    let q = m[0];
    let possessive = false;
    this.skipIgnorable(flags);
    if (p[this.i] === '?') {
      q += '?';
      this.i++;
    } else if (p[this.i] === '+') {
      possessive = true;
      this.i++;
    }
    this.skipIgnorable(flags);
    if (/^[*+?]/.test(p[this.i] ?? '')) syntaxError(this.p, `dangling meta character "${p[this.i]}" near index ${this.i}`);
    return { t: 'quant', atom, q, possessive };
  }

  /** One atom; undefined when it produced nothing (an empty \Q\E). */
  private parseAtom(flags: Flags): Node | undefined {
    const p = this.p;
    const c = p[this.i];
    switch (c) {
      case '(': {
        this.i++;
        if (p[this.i] !== '?') {
          const javaIndex = ++this.javaGroups;
          const body = this.parseGroupBody(flags);
          this.closed.add(javaIndex);
          return { t: 'group', kind: 'capture', javaIndex, body };
        }
        const rest = p.slice(this.i + 1);
        const named = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
        if (named) {
          this.i += 1 + named[0].length;
          const javaIndex = ++this.javaGroups;
          const body = this.parseGroupBody(flags);
          this.closed.add(javaIndex).add(named[1]);
          return { t: 'group', kind: 'capture', javaIndex, name: named[1], body };
        }
        const kind = /^(<=|<!|=|!|>)/.exec(rest);
        if (!kind) syntaxError(this.p, `unknown group type near index ${this.i}`);
        this.i += 1 + kind[1].length;
        const body = this.parseGroupBody(flags);
        return { t: 'group', kind: kind[1] === '>' ? 'atomic' : (kind[1] as '=' | '!' | '<=' | '<!'), body };
      }
      case '[':
        return { t: 'raw', js: this.parseClass(flags) };
      case '.':
        this.i++;
        return { t: 'raw', js: flags.s ? '[\\s\\S]' : flags.d ? '[^\\n]' : `[^${LINE_TERMINATORS}]` };
      case '^':
        this.i++;
        if (!flags.m) return { t: 'raw', js: '(?<![\\s\\S])' };
        // Java's multiline ^: at the start or after a line terminator, never at the end of the input
        // (not even of an empty one), never between \r and \n.
        return { t: 'raw', js: flags.d ? '(?=[\\s\\S])(?:(?<![\\s\\S])|(?<=\\n))' : '(?=[\\s\\S])(?:(?<![\\s\\S])|(?<=[\\n\\u0085\\u2028\\u2029]|\\r(?!\\n)))' };
      case '$':
        this.i++;
        if (flags.d) return { t: 'raw', js: flags.m ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))' };
        if (flags.m) return { t: 'raw', js: '(?:(?<!\\r)(?=\\n)|(?=[\\r\\u0085\\u2028\\u2029])|(?![\\s\\S]))' };
        return { t: 'raw', js: `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))` };
      case '\\':
        return this.parseEscape(flags);
      case '*':
      case '+':
      case '?':
        return syntaxError(this.p, `dangling meta character "${c}" near index ${this.i}`);
      case '{': {
        // Java reads `{n}` with nothing before it (at the start, or after another quantifier) as a
        // repetition of the empty string.
        const empty = /^\{\d+(?:,\d*)?\}[?+]?/.exec(p.slice(this.i));
        if (!empty) return syntaxError(this.p, `illegal repetition near index ${this.i}`);
        this.i += empty[0].length;
        return undefined;
      }
      default: {
        const cp = p.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return { t: 'raw', js: literal(cp, flags) };
      }
    }
  }

  /** Escapes valid in and out of classes: a single code point, a set, or a quoted run. */
  private parseCommonEscape(flags: Flags, inClass: boolean): ClassAtom {
    const p = this.p;
    const d = p[this.i + 1];
    if (d === undefined) syntaxError(this.p, 'unexpected internal error: trailing backslash');
    this.i += 2;
    const hex = (len: number): number => {
      const h = p.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) syntaxError(this.p, `illegal hexadecimal escape near index ${this.i}`);
      this.i += len;
      return parseInt(h, 16);
    };
    switch (d) {
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const text = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? p.length : end + 2;
        return { quoted: [...text].map((ch) => ch.codePointAt(0)!) };
      }
      case 't': return { cp: 9 };
      case 'n': return { cp: 10 };
      case 'r': return { cp: 13 };
      case 'f': return { cp: 12 };
      case 'a': return { cp: 7 };
      case 'e': return { cp: 27 };
      case 'c': {
        const x = p[this.i++];
        if (x === undefined) syntaxError(this.p, 'illegal control escape sequence');
        return { cp: x.charCodeAt(0) ^ 64 };
      }
      case '0': {
        const m = /^[0-3][0-7]{2}|^[0-7]{1,2}/.exec(p.slice(this.i));
        if (!m) syntaxError(this.p, 'illegal octal escape sequence');
        this.i += m[0].length;
        return { cp: parseInt(m[0], 8) };
      }
      case 'x': {
        if (p[this.i] !== '{') return { cp: hex(2) };
        const end = p.indexOf('}', this.i);
        const h = p.slice(this.i + 1, end);
        if (end < 0 || !/^[0-9a-fA-F]{1,6}$/.test(h) || parseInt(h, 16) > 0x10ffff) syntaxError(this.p, 'illegal hexadecimal escape sequence');
        this.i = end + 1;
        return { cp: parseInt(h, 16) };
      }
      case 'u': {
        const high = hex(4);
        if (high >= 0xd800 && high <= 0xdbff && p.startsWith('\\u', this.i)) {
          const save = this.i;
          this.i += 2;
          const low = hex(4);
          if (low >= 0xdc00 && low <= 0xdfff) return { cp: (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000 };
          this.i = save;
        }
        return { cp: high };
      }
      case 'd': return { set: flags.U ? '\\p{Nd}' : '[0-9]' };
      case 'D': return { set: flags.U ? '\\P{Nd}' : '[^0-9]' };
      case 'w': return { set: flags.U ? UNICODE_WORD : ASCII_WORD };
      case 'W': return { set: negate(flags.U ? UNICODE_WORD : ASCII_WORD) };
      case 's': return { set: flags.U ? '\\p{White_Space}' : JAVA_SPACE };
      case 'S': return { set: flags.U ? '\\P{White_Space}' : negate(JAVA_SPACE) };
      case 'h': return { set: '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]' };
      case 'H': return { set: '[^ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]' };
      case 'v': return { set: '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]' };
      case 'V': return { set: '[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]' };
      case 'p':
      case 'P': {
        let name: string;
        if (p[this.i] === '{') {
          const end = p.indexOf('}', this.i);
          if (end < 0) syntaxError(this.p, 'unclosed character family');
          name = p.slice(this.i + 1, end);
          this.i = end + 1;
        } else {
          name = p[this.i++] ?? '';
        }
        return { set: property(this.p, name, d === 'P', flags) };
      }
      default:
        if (/[a-zA-Z]/.test(d)) {
          if (inClass) syntaxError(this.p, `illegal/unsupported escape sequence \\${d} inside a class`);
          this.i -= 2;
          return { cp: -1 };
        }
        if (/[0-9]/.test(d)) {
          if (inClass) syntaxError(this.p, `illegal/unsupported escape sequence \\${d} inside a class`);
          this.i -= 2;
          return { cp: -1 };
        }
        this.i -= 2;
        {
          const cp = p.codePointAt(this.i + 1)!;
          this.i += 1 + (cp > 0xffff ? 2 : 1);
          return { cp };
        }
    }
  }

  private parseEscape(flags: Flags): Node | undefined {
    const p = this.p;
    const d = p[this.i + 1];
    if (d === undefined) syntaxError(this.p, 'unexpected internal error: trailing backslash');
    const two = () => {
      this.i += 2;
    };
    switch (d) {
      case 'b':
      case 'B': {
        two();
        const w = flags.U ? UNICODE_WORD : BOUNDARY_WORD;
        const boundary = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
        return { t: 'raw', js: d === 'b' ? boundary : `(?!${boundary})` };
      }
      case 'A':
        two();
        return { t: 'raw', js: '(?<![\\s\\S])' };
      case 'z':
        two();
        return { t: 'raw', js: '(?![\\s\\S])' };
      case 'Z':
        two();
        return { t: 'raw', js: flags.d ? '(?=\\n?(?![\\s\\S]))' : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))` };
      case 'R':
        two();
        // Java's \R (not atomic on Java 17: `\R\n` matches "\r\n").
        return { t: 'raw', js: '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])' };
      case 'G':
        return unsupported(this.p, '\\G other than at the start of the pattern');
      case 'X':
        return unsupported(this.p, 'the grapheme cluster \\X');
      case 'N':
        return unsupported(this.p, 'the named character \\N{...}');
      case 'k': {
        const m = /^\\k<([a-zA-Z][a-zA-Z0-9]*)>/.exec(p.slice(this.i));
        if (!m) syntaxError(this.p, '\\k is not followed by <name>');
        if (flags.i) unsupported(this.p, 'a backreference under (?i)');
        this.i += m[0].length;
        return { t: 'backref', name: m[1], closed: this.closed.has(m[1]) };
      }
    }
    if (/[1-9]/.test(d)) {
      // Java takes further digits only while they still name an existing group.
      this.i += 1;
      let ref = Number(p[this.i++]);
      while (/[0-9]/.test(p[this.i] ?? '') && ref * 10 + Number(p[this.i]) <= this.javaGroups) ref = ref * 10 + Number(p[this.i++]);
      if (flags.i) unsupported(this.p, 'a backreference under (?i)');
      return { t: 'backref', javaIndex: ref, closed: this.closed.has(ref) };
    }
    const atom = this.parseCommonEscape(flags, false);
    if ('quoted' in atom) {
      if (atom.quoted.length === 0) return undefined;
      // The characters are emitted one after another, so a quantifier applies to the last one, as in Java.
      return { t: 'raw', js: atom.quoted.map((cp) => literal(cp, flags)).join('') };
    }
    if ('set' in atom) return { t: 'raw', js: atom.set };
    if (atom.cp < 0) return syntaxError(this.p, `illegal/unsupported escape sequence \\${d}`);
    return { t: 'raw', js: literal(atom.cp, flags) };
  }

  /** `[...]` with Java's syntax: ranges, escapes, nested classes (union) and `&&` (intersection). */
  private parseClass(flags: Flags): string {
    const p = this.p;
    const open = this.i;
    this.i++;
    let negated = false;
    if (p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const operands: string[][] = [[]];
    let nested = false;
    let first = true;
    for (;;) {
      this.skipIgnorable(flags);
      const c = p[this.i];
      if (c === undefined) syntaxError(this.p, `unclosed character class opened at index ${open}`);
      const items = operands[operands.length - 1];
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === '[') {
        items.push(this.parseClass(flags));
        nested = true;
        continue;
      }
      if (c === '&' && p[this.i + 1] === '&') {
        this.i += 2;
        operands.push([]);
        continue;
      }
      const atom = this.parseClassAtom(flags);
      if ('set' in atom) {
        items.push(atom.set);
        continue;
      }
      if ('quoted' in atom) {
        atom.quoted.forEach((cp) => items.push(this.classChar(cp, flags)));
        continue;
      }
      this.skipIgnorable(flags);
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && p[this.i + 1] !== '[' && !p.startsWith('-&&', this.i)) {
        this.i++;
        this.skipIgnorable(flags);
        const hi = this.parseClassAtom(flags);
        if (!('cp' in hi)) syntaxError(this.p, `illegal character range near index ${this.i}`);
        if (hi.cp < atom.cp) syntaxError(this.p, `illegal character range near index ${this.i}`);
        items.push(this.classRange(atom.cp, hi.cp, flags));
        continue;
      }
      items.push(this.classChar(atom.cp, flags));
    }
    if (negated && (nested || operands.length > 1)) {
      unsupported(this.p, 'a negated class containing nested classes or && (Java 8 and Java 9+ give different results)');
    }
    if (operands.length === 1) return `[${negated ? '^' : ''}${operands[0].join('')}]`;
    return `[${operands.map((o) => `[${o.join('')}]`).join('&&')}]`;
  }

  private parseClassAtom(flags: Flags): ClassAtom {
    const p = this.p;
    if (p[this.i] === '\\') {
      const atom = this.parseCommonEscape(flags, true);
      return atom;
    }
    const cp = p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { cp };
  }

  private classChar(cp: number, flags: Flags): string {
    return flags.i ? caseVariants(cp, flags).map(lit).join('') : lit(cp);
  }

  private classRange(lo: number, hi: number, flags: Flags): string {
    const parts = [`${lit(lo)}-${lit(hi)}`];
    if (flags.i) {
      // ASCII letters in the range also match their other case (Java folds ASCII without UNICODE_CASE).
      for (const [a, z, delta] of [[0x61, 0x7a, -32], [0x41, 0x5a, 32]]) {
        const from = Math.max(lo, a);
        const to = Math.min(hi, z);
        if (from <= to) parts.push(`${lit(from + delta)}-${lit(to + delta)}`);
      }
      if ((flags.u || flags.U) && hi > 0x7f && lo !== hi) unsupported(this.p, 'a non-ASCII range under (?iu)');
    }
    return parts.join('');
  }
}

/** Translates a Java regex into a JavaScript one (without the `g` flag). */
export function translateJavaRegex(pattern: string): Translated {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const result = new Translator(pattern).run();
  if (cache.size > 500) cache.clear();
  cache.set(pattern, result);
  return result;
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
  const t = translateJavaRegex(pattern);
  const re = new RegExp(t.source, t.flags + (all ? 'g' : ''));
  return s.replace(re, (...args: unknown[]) => {
    const jsGroups = args.slice(0, t.jsGroupCount + 1) as Array<string | undefined>;
    const groups = t.groupMap.map((j) => jsGroups[j]);
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
  const t = translateJavaRegex(pattern);
  const re = new RegExp(t.source, `${t.flags}g`);
  const parts: string[] = [];
  let index = 0;
  let matched = false;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) re.lastIndex += (s.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
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
