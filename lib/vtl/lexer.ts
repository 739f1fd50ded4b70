/**
 * Token scanning, following the lexical states of Velocity 1.7's JavaCC grammar (Parser.jjt).
 *
 * JavaCC picks the LONGEST token that matches at the current position (ties go to the token declared
 * first), and that is what produces Velocity's odd corners: `$a-1` is one identifier, `-1` in
 * `$a -1` is a negative integer literal, `#endif` is not `#end`, and a directive's `)` swallows the
 * spaces and one newline after it. The functions here reproduce those longest-match decisions; the
 * parser (parser.ts) decides which of them is legal where.
 */

/** `[ \t]*#set *(` or `#{set}`: the #set token, which swallows the whitespace before it. */
export const SET_DIRECTIVE = /[ \t]*#(?:set|\{set\}) *\(/y;

/** What a directive's `)` (and `#else`, `#end`) swallow after it: spaces/tabs plus one line break. */
const TRAILING_NEWLINE = /[ \t]*(?:\r\n|\n|\r)/y;

export function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** First character of a reference identifier: `[a-zA-Z_]`. */
export function isIdentifierStart(c: string | undefined): boolean {
  return isAlpha(c) || c === '_';
}

/** Identifier characters of Velocity 1.7: `[a-zA-Z0-9_-]` (so `$a-b` is ONE reference). */
export function isIdentifierChar(c: string | undefined): boolean {
  return isIdentifierStart(c) || isDigit(c) || c === '-';
}

/** End of the identifier starting at `pos`. */
export function scanIdentifier(src: string, pos: number): number {
  let p = pos;
  while (p < src.length && isIdentifierChar(src[p])) p++;
  return p;
}

/** If a directive's `)` is followed by spaces/tabs and a line break, the offset after them. */
export function swallowTrailingNewline(src: string, pos: number): number {
  TRAILING_NEWLINE.lastIndex = pos;
  return TRAILING_NEWLINE.exec(src) ? TRAILING_NEWLINE.lastIndex : pos;
}

/** The parser's `isLeftParenthesis()`: optional spaces, tabs and line breaks, then `(`. */
export function isLeftParenthesis(src: string, pos: number): boolean {
  let p = pos;
  while (p < src.length && ' \t\r\n'.includes(src[p])) p++;
  return src[p] === '(';
}

const INTEGER = /-?\d+(?:\.\.)?/y;
const FLOAT = /-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/y;

function matchLength(re: RegExp, src: string, pos: number): number {
  re.lastIndex = pos;
  const m = re.exec(src);
  return m ? m[0].length : -1;
}

/**
 * INTEGER_LITERAL / FLOATING_POINT_LITERAL at `pos` (longest match). An integer followed by `..` is
 * matched with the dots (so `1..3` is not the float `1.`) and then backed up, as Velocity does.
 */
export function scanNumber(src: string, pos: number): { kind: 'int' | 'float'; end: number } | undefined {
  const i = matchLength(INTEGER, src, pos);
  const f = matchLength(FLOAT, src, pos);
  if (i < 0 && f < 0) return undefined;
  if (i >= f) {
    const image = src.slice(pos, pos + i);
    return { kind: 'int', end: pos + (image.endsWith('..') ? i - 2 : i) };
  }
  return { kind: 'float', end: pos + f };
}

export type PreDirectiveKind = 'end' | 'if' | 'elseif' | 'else' | 'stop' | 'int' | 'float' | 'word' | 'bracketed';

const PRE_DIRECTIVE: Array<[PreDirectiveKind, RegExp]> = [
  ['end', /(?:end|\{end\})(?:[ \t]*(?:\r\n|\n|\r))?/y],
  ['if', /if|\{if\}/y],
  ['elseif', /elseif|\{elseif\}/y],
  ['else', /(?:else|\{else\})(?:[ \t]*(?:\r\n|\n|\r))?/y],
  ['stop', /stop|\{stop\}/y],
  ['word', /[a-zA-Z_@][a-zA-Z0-9_@]*/y],
  ['bracketed', /\{[a-zA-Z_][a-zA-Z0-9_@]*\}/y],
];

/**
 * The token after a `#` (JavaCC state PRE_DIRECTIVE), longest match, ties to the earlier
 * declaration: `#end` vs `#endif`, `#else` vs `#elseif`, `#if` vs `#iffy`, `#1` (a number, printed).
 * Undefined when nothing matches (the `#` is then plain text).
 */
export function scanPreDirective(src: string, pos: number): { kind: PreDirectiveKind; end: number; name: string } | undefined {
  let best: { kind: PreDirectiveKind; end: number } | undefined;
  let bestLength = 0;
  const consider = (kind: PreDirectiveKind, length: number, end: number) => {
    if (length > bestLength) {
      best = { kind, end };
      bestLength = length;
    }
  };
  for (const [kind, re] of PRE_DIRECTIVE.slice(0, 5)) {
    const n = matchLength(re, src, pos);
    consider(kind, n, pos + n);
  }
  // Number literals are declared after the directive keywords and before WORD.
  const i = matchLength(INTEGER, src, pos);
  const f = matchLength(FLOAT, src, pos);
  if (i >= f) consider('int', i, pos + (src.slice(pos, pos + i).endsWith('..') ? i - 2 : i));
  else consider('float', f, pos + f);
  for (const [kind, re] of PRE_DIRECTIVE.slice(5)) {
    const n = matchLength(re, src, pos);
    consider(kind, n, pos + n);
  }
  if (!best) return undefined;
  const image = src.slice(pos, best.end);
  const name = image.replace(/[ \t\r\n]+$/, '').replace(/^\{(.*)\}$/, '$1');
  return { kind: best.kind, end: best.end, name };
}

/**
 * End (exclusive) of the STRING_LITERAL starting with the quote at `pos`, or -1 if unterminated.
 *
 * Velocity 1.7's token is `"` ( [^"] | `""` )* `"` (and the same with `'`): a backslash does NOT
 * escape a quote, so `"x\"y"` is the string `x\` followed by `y"` (a parse error), and `"\""` leaves
 * an unterminated `"`. A doubled quote continues the string (`"a""b"` is `a"b`). JavaCC takes the
 * longest match, which this automaton follows (IN = inside, Q = just read a quote, accepting).
 * Checked against Velocity 1.7 on the JVM: `#set($a = "x\"y")` fails with `Encountered "y"`,
 * `#set($a = "p""q")$a` prints `p"q`, `#set($a = "a\")$a` prints `a\`.
 */
export function scanStringLiteral(src: string, pos: number): number {
  const quote = src[pos];
  let inside = true;
  let q = false;
  let lastAccept = -1;
  for (let i = pos + 1; i < src.length; i++) {
    const c = src[i];
    let nInside = false;
    let nQ = false;
    if (inside) {
      if (c === quote) nQ = true;
      else nInside = true;
    }
    if (q && c === quote) nInside = true; // doubled quote
    inside = nInside;
    q = nQ;
    if (q) lastAccept = i + 1;
    if (!inside && !q) break;
  }
  return lastAccept;
}

/** ASTStringLiteral.unescape: only `\uXXXX` is decoded (in double-quoted strings). */
export function unescapeUnicode(s: string): string {
  let out = '';
  let last = 0;
  let u = s.indexOf('\\u');
  while (u >= 0) {
    const hex = s.slice(u + 2, u + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      throw new Error(`invalid unicode escape "\\u${hex}" in a string literal (Velocity fails with NumberFormatException)`);
    }
    out += s.slice(last, u) + String.fromCharCode(parseInt(hex, 16));
    last = u + 6;
    u = s.indexOf('\\u', last);
  }
  return out + s.slice(last);
}

/** ASTStringLiteral.replaceQuotes: `""` → `"` in "..." and `''` → `'` in '...'. */
export function replaceDoubledQuotes(s: string, quote: string): string {
  if (!s.includes(quote)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    out += s[i];
    if (s[i] === quote && s[i + 1] === quote) i++;
  }
  return out;
}

export type ExprTokenKind =
  | 'ws' | 'string' | 'int' | 'float' | 'true' | 'false' | 'word'
  | '[' | ']' | '{' | '}' | ',' | ':' | '..' | '(' | ')' | '=' | 'op' | 'dollar' | 'eof' | 'invalid';

export interface ExprToken {
  readonly kind: ExprTokenKind;
  readonly start: number;
  readonly end: number;
  /** For 'op': the normalized operator (`and` → `&&`, `not` → `!` ...). */
  readonly op?: string;
}

const WORD = /[a-zA-Z_@][a-zA-Z0-9_@]*/y;
const WORD_OPERATORS: Record<string, string> = {
  and: '&&', or: '||', lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=', not: '!',
};

/**
 * One token in the DIRECTIVE / REFMOD2 / REFINDEX states (inside `#if(...)`, `#set(...)`, method
 * arguments and `[...]` indexes). References are reported as 'dollar' (with any backslashes before
 * the `$`); the parser reads them with the reference grammar.
 */
export function scanExprToken(src: string, pos: number): ExprToken {
  const tok = (kind: ExprTokenKind, end: number, op?: string): ExprToken => ({ kind, start: pos, end, op });
  if (pos >= src.length) return tok('eof', pos);
  const c = src[pos];
  const c2 = src[pos + 1];
  if (' \t\r\n'.includes(c)) {
    let p = pos;
    while (p < src.length && ' \t\r\n'.includes(src[p])) p++;
    return tok('ws', p);
  }
  if (c === '"' || c === "'") {
    const end = scanStringLiteral(src, pos);
    return end < 0 ? tok('invalid', pos + 1) : tok('string', end);
  }
  const startsNumber = isDigit(c) || (c === '.' && isDigit(c2)) || (c === '-' && (isDigit(c2) || (c2 === '.' && isDigit(src[pos + 2]))));
  if (startsNumber) {
    const n = scanNumber(src, pos);
    if (n) return tok(n.kind, n.end);
  }
  if (c === '.' && c2 === '.') return tok('..', pos + 2);
  if (c === '\\' || c === '$') {
    let p = pos;
    while (src[p] === '\\') p++;
    if (src[p] === '$') return tok('dollar', p + 1);
    return tok('invalid', pos + 1);
  }
  if (isAlpha(c) || c === '_' || c === '@') {
    WORD.lastIndex = pos;
    const word = WORD.exec(src)![0];
    if (word === 'true' || word === 'false') return tok(word, pos + word.length);
    if (WORD_OPERATORS[word]) return tok('op', pos + word.length, WORD_OPERATORS[word]);
    return tok('word', pos + word.length);
  }
  const two = src.slice(pos, pos + 2);
  if (['&&', '||', '<=', '>=', '==', '!='].includes(two)) return tok('op', pos + 2, two);
  if ('<>!+-*/%'.includes(c)) return tok('op', pos + 1, c);
  if ('[]{},:()='.includes(c)) return tok(c as ExprTokenKind, pos + 1);
  return tok('invalid', pos + 1);
}
