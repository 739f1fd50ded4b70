import { BinaryOp, Expr, IfNode, Reference, RefPart, TemplateNode } from './ast';
import { describeAt, SourceText, VtlSyntaxError } from './errors';
import {
  ExprToken,
  isAlpha,
  isIdentifierStart,
  isLeftParenthesis,
  replaceDoubledQuotes,
  scanExprToken,
  scanIdentifier,
  scanPreDirective,
  SET_DIRECTIVE,
  swallowTrailingNewline,
  unescapeUnicode,
} from './lexer';
import { JDouble, Value } from './values';

/**
 * Recursive-descent parser for the Velocity 1.7 template grammar (Parser.jjt), working directly on
 * the text so that the whitespace rules of the JavaCC lexer come out the same:
 *
 * - every loop iteration of `parseBlock` starts at a token boundary; plain text is one maximal TEXT
 *   token (`[^$#\\]+`), so a `#set` only swallows the spaces before it when they START a token (at
 *   the start of the template or right after another directive/reference/comment), never when they
 *   follow text on the same line;
 * - a directive's closing `)`, `#else` and `#end` swallow trailing spaces/tabs plus ONE line break,
 *   and only when the line break is there;
 * - `##` comments swallow their line break; indentation before `#if`/`#foreach`/`#end` is text.
 */

/** Directives Velocity 1.7 registers by default (directive.properties). */
const REGISTERED_DIRECTIVES = new Set(['foreach', 'include', 'parse', 'macro', 'literal', 'evaluate', 'break', 'define']);
/** Recognized by the escape rules (`\#if` prints `#if`). */
const ESCAPABLE_DIRECTIVES = new Set([...REGISTERED_DIRECTIVES, 'if', 'end', 'set', 'else', 'elseif', 'stop']);
/** Directives that read other templates, which API Gateway does not have: better to fail than to guess. */
const UNSUPPORTED_DIRECTIVES = new Set(['include', 'parse']);

const ESCAPED_DIRECTIVE_WORD = /[a-zA-Z_@][a-zA-Z0-9_@]*|\{[a-zA-Z_][a-zA-Z0-9_@]*\}/y;

type BlockKind = 'top' | 'if' | 'else' | 'block';

interface BlockEnd {
  readonly kind: 'end' | 'else' | 'elseif' | 'eof';
  readonly condition?: Expr;
}

/**
 * Inside a comment the lexer still matches Velocity's MORE tokens (`$`, `\$!`, `#`, `#*`, `#[[`, `#**x`),
 * whose text joins the next token: one that ends the input is a lexical error, and one can swallow
 * the `*` of a `*#` (`#* #*# *#` closes at the second `*#`). This tokenizes comment text the way
 * JavaCC does (longest match, each beating the comment's one-character SKIP).
 *
 * @param closeAtStarHash block comment: stop after the first `*#` token
 * @returns the offset after `*#` (or -1), and whether the text ends on a token that fails at <EOF>
 */
function scanComment(body: string, closeAtStarHash: boolean): { close: number; failsAtEof: boolean } {
  // [pattern, fails at <EOF>]: the MORE tokens, and `##` (checked on Velocity 1.7: `a##b##` fails too).
  const tokens: Array<[RegExp, boolean]> = [[/\\*\$(?:\\*!)?/y, true], [/#\[\[/y, true], [/#\*\*[^#]/y, true], [/#\*/y, true], [/#/y, true], [/##/y, true]];
  let pos = 0;
  let lastFails = false;
  while (pos < body.length) {
    if (closeAtStarHash && body.startsWith('*#', pos)) return { close: pos + 2, failsAtEof: false };
    let length = 1;
    let fails = false;
    for (const [re, failsAtEof] of tokens) {
      re.lastIndex = pos;
      const m = re.exec(body);
      if (m && (m[0].length > length || (m[0].length === length && !fails && length === 1))) {
        length = m[0].length;
        fails = failsAtEof;
      }
    }
    pos += length;
    lastFails = fails;
  }
  return { close: -1, failsAtEof: lastFails };
}

/** Parses a whole template. Throws VtlSyntaxError (with line and column) on invalid syntax. */
export function parseTemplate(source: SourceText): TemplateNode[] {
  return new Parser(source, new Set()).parseAll();
}

class Parser {
  private readonly src: string;
  private pos = 0;
  /** End of the last non-whitespace expression token consumed (for expression source text). */
  private lastEnd = 0;

  /** Offset of the `#` of the last `#end` read (for #literal's body text). */
  private lastEndOffset = 0;

  /**
   * @param macroNames macros defined so far in parse order: Velocity 1.7 registers a #macro while
   * parsing, so only earlier definitions make `#name` without parentheses a call and `\#name` an
   * escaped directive.
   */
  constructor(private readonly source: SourceText, private readonly macroNames: Set<string>) {
    this.src = source.text;
  }

  public parseAll(): TemplateNode[] {
    return this.parseBlock('top', 0, '').nodes;
  }

  private error(offset: number, detail: string): never {
    throw new VtlSyntaxError(this.source, offset, detail);
  }

  // ---------------------------------------------------------------------------------------------
  // Template level (JavaCC state DEFAULT)
  // ---------------------------------------------------------------------------------------------

  private parseBlock(kind: BlockKind, openedAt: number, opener: string): { nodes: TemplateNode[]; end: BlockEnd } {
    const nodes: TemplateNode[] = [];
    const text = (s: string) => {
      if (s.length === 0) return;
      const last = nodes[nodes.length - 1];
      if (last && last.type === 'text') last.text += s;
      else nodes.push({ type: 'text', text: s });
    };
    const src = this.src;
    while (this.pos < src.length) {
      const start = this.pos;
      const c = src[start];
      if (c === ' ' || c === '\t' || c === '#') {
        SET_DIRECTIVE.lastIndex = start;
        if (SET_DIRECTIVE.exec(src)) {
          this.pos = SET_DIRECTIVE.lastIndex;
          nodes.push(this.parseSet(src.indexOf('#', start)));
          continue;
        }
      }
      if (c === '\\') {
        this.parseBackslashes(text, nodes);
      } else if (c === '$') {
        this.parseDollar(0, text, nodes);
      } else if (c === '#') {
        const end = this.parseHash(kind, text, nodes);
        if (end) return { nodes, end };
      } else {
        let p = start + 1;
        while (p < src.length && src[p] !== '$' && src[p] !== '#' && src[p] !== '\\') p++;
        text(src.slice(start, p));
        this.pos = p;
      }
    }
    if (kind !== 'top') this.error(openedAt, `#${opener} has no matching #end`);
    return { nodes, end: { kind: 'eof' } };
  }

  /** Backslashes: escaped references (`\$a`), escaped directives (`\#if`), or plain text. */
  private parseBackslashes(text: (s: string) => void, nodes: TemplateNode[]): void {
    const src = this.src;
    const start = this.pos;
    let p = start;
    while (src[p] === '\\') p++;
    const n = p - start;
    if (src[p] === '$') {
      this.parseDollar(n, text, nodes);
      return;
    }
    if (src[p] === '#') {
      if (n % 2 === 1) {
        // ESCAPE_DIRECTIVE: `\#word`. Recognized directives lose half the backslashes and print as
        // text (`\#if` → `#if`); anything else is printed exactly as written.
        ESCAPED_DIRECTIVE_WORD.lastIndex = p + 1;
        const m = ESCAPED_DIRECTIVE_WORD.exec(src);
        if (m) {
          const name = m[0].replace(/^\{(.*)\}$/, '$1');
          const end = p + 1 + m[0].length;
          const recognized = ESCAPABLE_DIRECTIVES.has(name) || this.macroNames.has(name);
          text(recognized ? '\\'.repeat((n - 1) / 2) + src.slice(p, end) : src.slice(start, end));
          this.pos = end;
          return;
        }
      } else if (this.isControlDirectiveAt(p)) {
        // Escape(): pairs of backslashes before a directive print as one backslash each.
        text('\\'.repeat(n / 2));
        this.pos = p;
        return;
      }
    }
    text(src.slice(start, p));
    this.pos = p;
  }

  /** Would the `#` at `p` lex as a control directive (the test in the grammar's Escape())? */
  private isControlDirectiveAt(p: number): boolean {
    SET_DIRECTIVE.lastIndex = p;
    if (SET_DIRECTIVE.exec(this.src)) return false;
    if (this.src.startsWith('##', p) || this.src.startsWith('#*', p) || this.src.startsWith('#[[', p)) return false;
    const d = scanPreDirective(this.src, p + 1);
    if (!d) return false;
    if (d.kind === 'if' || d.kind === 'elseif' || d.kind === 'else' || d.kind === 'end' || d.kind === 'stop') return true;
    return d.kind === 'word' && (REGISTERED_DIRECTIVES.has(d.name) || this.macroNames.has(d.name));
  }

  /** `$...` in text, preceded by `backslashes` backslashes (already counted from this.pos). */
  private parseDollar(backslashes: number, text: (s: string) => void, nodes: TemplateNode[]): void {
    const src = this.src;
    const start = this.pos;
    const dollar = start + backslashes;
    let p = dollar + 1;
    let slashes = 0;
    while (src[p + slashes] === '\\') slashes++;
    if (slashes > 0 && src[p + slashes] === '!') {
      // DOLLARBANG `(\)* $ (\)* !` with backslashes after the `$`: Velocity's "slashbang" case
      // (ASTReference.getRoot). The reference is never computed, so its value is null; the rest of
      // the reference (`.method()`, `[i]`, `}`) is parsed and swallowed. Stock Velocity 1.7 prints its
      // null text (`$\!s.length()` → `$!s`); with API Gateway's null-as-empty rendering (modelled
      // here, as everywhere in this renderer, like a ReferenceInsertionEventHandler turning null into
      // "") it prints nothing, backslashes included: checked on Velocity 1.7 with such a handler. Not
      // followed by a reference (`$\!5`), the `\!` is dropped like `$!5`'s `!`.
      const bang = p + slashes;
      if (bang + 1 >= src.length) this.error(dollar, `lexical error: encountered <EOF> after "${src.slice(start, bang + 1)}"`);
      const after = src[bang + 1];
      if (after !== '{' && !isIdentifierStart(after)) {
        text(src.slice(start, dollar + 1));
        this.pos = bang + 1;
        return;
      }
      if (after === '{' && !isIdentifierStart(src[bang + 2])) {
        // `$\!{` without a name is a text token, printed as written.
        text(src.slice(start, bang + 2));
        this.pos = bang + 2;
        return;
      }
      this.parseReferenceBody(dollar, bang + 1);
      return;
    }
    if (src[p] === '!') p++;
    if (p >= src.length) {
      // `$` is a JavaCC MORE token: at the end of input it is a lexical error, not text.
      this.error(dollar, `lexical error: encountered <EOF> after "${src.slice(start, p)}"`);
    }
    if (src[p] === '[' || (src[p] === '{' && !isIdentifierStart(src[p + 1]))) {
      // `$[`, `$![` (EMPTY_INDEX) and a `${` with no name are text tokens, printed as written.
      text(src.slice(start, p + 1));
      this.pos = p + 1;
      return;
    }
    if (src[p] === '#') {
      // `$` is a MORE token: its text joins the token after it (checked on Velocity 1.7). Before #if,
      // #elseif, #else, #end or a #* comment it vanishes and the directive works; before a directive
      // name (`$#literal()`, `$#macro(...)`) the name is `$#literal`, an undefined macro, printed as
      // written.
      const d = src.startsWith('#*', p) ? undefined : scanPreDirective(src, p + 1);
      if (src.startsWith('#*', p) || (d && (d.kind === 'if' || d.kind === 'elseif' || d.kind === 'else' || d.kind === 'end'))) {
        this.pos = p;
        return;
      }
      if (d && (d.kind === 'word' || d.kind === 'bracketed') && d.name !== 'set' && !src.startsWith('##', p)) {
        this.pos = d.end;
        if (isLeftParenthesis(src, d.end)) this.parseDirectiveArgs();
        text(src.slice(start, this.pos));
        return;
      }
    }
    if (src[p] !== '{' && !isIdentifierStart(src[p])) {
      // Not a reference (`$5`, `$ `): the `$` and its backslashes print as text; a `!` is dropped, as
      // Velocity's special-token printing does, except when it joins a reference after it or a ##
      // comment (checked on Velocity 1.7: `$!5` → `$5`, `$!$''` → `$$''`, `$!$s` → `$!hello`, `$!##` →
      // `$!`). Joined to a slashbang reference (`$$\!s`), it is swallowed with it.
      if (backslashes === 0 && /^\$\\+!(?:[a-zA-Z_]|\{[a-zA-Z_])/.test(src.slice(p, p + 40))) {
        this.pos = p;
        return;
      }
      const chainEndsInReference = /^(?:\$!?)+(?:[a-zA-Z_]|\{[a-zA-Z_])/.test(src.slice(p, p + 40));
      const bang = src[p - 1] === '!' && p - 1 > dollar && ((src[p] === '$' && chainEndsInReference) || src.startsWith('##', p));
      text('\\'.repeat(backslashes) + (bang ? '$!' : '$'));
      this.pos = p;
      return;
    }
    const ref = this.parseReferenceBody(dollar, p);
    nodes.push({
      type: 'reference',
      ref,
      escaped: backslashes % 2 === 1,
      escPrefix: '\\'.repeat(Math.floor(backslashes / 2)),
    });
  }

  /** `#...` in text. Returns a BlockEnd when it closes the current block. */
  private parseHash(kind: BlockKind, text: (s: string) => void, nodes: TemplateNode[]): BlockEnd | undefined {
    const src = this.src;
    const start = this.pos;
    if (src.startsWith('##', start)) {
      const nl = /\r\n|\n|\r/g;
      nl.lastIndex = start;
      const m = nl.exec(src);
      if (!m && scanComment(src.slice(start + 2), false).failsAtEof) {
        this.error(start, 'lexical error: the ## comment at the end of the template ends with "$" or "#" (Velocity fails at <EOF>; end the comment with a line break)');
      }
      this.pos = m ? m.index + m[0].length : src.length;
      return undefined;
    }
    if (src.startsWith('#*', start)) {
      // An unclosed block comment silently swallows the rest of the template, as in Velocity, unless the
      // template ends on a MORE token (checked on Velocity 1.7: `a#*` and `a#*b$` fail, `a#*b` prints a).
      const body = start + 2;
      const { close, failsAtEof } = scanComment(src.slice(body), true);
      if (close < 0 && (src.length === body || failsAtEof)) {
        this.error(start, 'lexical error: the unclosed #* comment ends with "$" or "#" at <EOF>: close it with *#');
      }
      this.pos = close < 0 ? src.length : body + close;
      return undefined;
    }
    if (src.startsWith('#[[', start)) {
      const close = src.indexOf(']]#', start + 3);
      if (close < 0) this.error(start, 'unclosed #[[ ... ]]# block');
      text(src.slice(start + 3, close));
      this.pos = close + 3;
      return undefined;
    }
    const d = scanPreDirective(src, start + 1);
    if (!d) {
      if (start + 1 >= src.length) this.error(start, 'lexical error: encountered <EOF> after "#"');
      text('#');
      this.pos = start + 1;
      return undefined;
    }
    switch (d.kind) {
      case 'int':
      case 'float':
        text(src.slice(start, d.end));
        this.pos = d.end;
        return undefined;
      case 'stop':
        nodes.push({ type: 'stop' });
        this.pos = d.end;
        return undefined;
      case 'if':
        this.pos = d.end;
        nodes.push(this.parseIf(start));
        return undefined;
      case 'end':
        if (kind === 'top') this.error(start, 'found #end without a matching #if, #foreach, #macro, #define or #literal');
        this.lastEndOffset = start;
        this.pos = d.end;
        return { kind: 'end' };
      case 'else':
        if (kind !== 'if') this.error(start, kind === 'else' ? 'a second #else in the same #if' : 'found #else outside #if');
        this.pos = d.end;
        return { kind: 'else' };
      case 'elseif': {
        if (kind !== 'if') this.error(start, kind === 'else' ? 'found #elseif after #else' : 'found #elseif outside #if');
        this.pos = d.end;
        return { kind: 'elseif', condition: this.parseDirectiveCondition('elseif', start) };
      }
      default:
        return this.parseNamedDirective(start, d.name, d.end, text, nodes);
    }
  }

  private parseNamedDirective(start: number, name: string, end: number, text: (s: string) => void, nodes: TemplateNode[]): undefined {
    const src = this.src;
    if (name === 'foreach') {
      nodes.push(this.parseForeach(start, end));
      return undefined;
    }
    if (name === 'break') {
      let target: Expr | undefined;
      this.pos = end;
      if (isLeftParenthesis(src, end)) {
        const args = this.parseDirectiveArgs();
        if (args.length > 1) this.error(start, '#break takes at most one argument');
        target = args[0];
      }
      nodes.push({ type: 'break', target, offset: start });
      return undefined;
    }
    if (UNSUPPORTED_DIRECTIVES.has(name)) {
      this.error(start, `#${name} is a Velocity directive this renderer does not support (API Gateway templates cannot include other templates)`);
    }
    switch (name) {
      case 'macro':
        nodes.push(this.parseMacro(start, end));
        return undefined;
      case 'define':
        nodes.push(this.parseDefine(start, end));
        return undefined;
      case 'evaluate':
        nodes.push(this.parseEvaluate(start, end));
        return undefined;
      case 'literal':
        text(this.parseLiteral(start, end));
        return undefined;
    }
    const hasArgs = isLeftParenthesis(src, end);
    if (name.startsWith('@') && hasArgs) {
      // `#@name(args)body#end`: a block macro call; the body is `$bodyContent` inside the macro.
      this.pos = end;
      const args = this.parseDirectiveArgs();
      const body = this.parseBlock('block', start, name).nodes;
      nodes.push({ type: 'macroCall', name: name.slice(1), args, body, text: src.slice(start, this.pos), source: this.source, offset: start });
      return undefined;
    }
    if (hasArgs || this.macroNames.has(name)) {
      // A macro call (`#name` alone only for a macro defined earlier in the template). Velocity 1.7
      // resolves it when rendering; if no such macro exists then, it prints the call exactly as written.
      this.pos = end;
      const args = hasArgs ? this.parseDirectiveArgs() : [];
      nodes.push({ type: 'macroCall', name, args, text: src.slice(start, this.pos), source: this.source, offset: start });
      return undefined;
    }
    // Not a directive (`#fff`, `#set` without "("): printed exactly as written.
    this.pos = end;
    text(src.slice(start, this.pos));
    return undefined;
  }

  /** `#macro(name $a $b)body#end` (commas between the arguments are allowed). */
  private parseMacro(start: number, end: number): TemplateNode {
    if (!isLeftParenthesis(this.src, end)) this.error(start, '#macro must be followed by "(name $arg ...)"');
    this.pos = end;
    const args = this.parseDirectiveArgs();
    const first = args[0];
    if (!first || first.type !== 'word') this.error(first ? first.offset : start, 'the first argument of #macro() must be the macro name');
    const params: string[] = [];
    for (const arg of args.slice(1)) {
      if (arg.type !== 'reference' || arg.ref.parts.length > 0) this.error(arg.offset, `#macro ${first.name}: arguments must be plain references such as $name, found ${arg.text}`);
      params.push(arg.ref.root);
    }
    this.macroNames.add(first.name);
    const body = this.parseBlock('block', start, 'macro').nodes;
    return { type: 'macro', name: first.name, params, body };
  }

  /** `#define($name)body#end` */
  private parseDefine(start: number, end: number): TemplateNode {
    if (!isLeftParenthesis(this.src, end)) this.error(start, '#define must be followed by "($name)"');
    this.pos = end;
    const args = this.parseDirectiveArgs();
    const arg = args[0];
    if (args.length !== 1 || arg.type !== 'reference' || arg.ref.parts.length > 0) this.error(start, '#define takes one argument, a plain reference such as $name');
    const body = this.parseBlock('block', start, 'define').nodes;
    return { type: 'define', name: arg.ref.root, body };
  }

  /** `#evaluate("template text")` or `#evaluate($ref)` */
  private parseEvaluate(start: number, end: number): TemplateNode {
    if (!isLeftParenthesis(this.src, end)) this.error(start, '#evaluate must be followed by "(...)"');
    this.pos = end;
    const args = this.parseDirectiveArgs();
    if (args.length !== 1 || (args[0].type !== 'string' && args[0].type !== 'reference')) {
      this.error(start, '#evaluate() takes one argument, a string literal or reference');
    }
    return { type: 'evaluate', arg: args[0], source: this.source, offset: start };
  }

  /**
   * `#literal()body#end`: the body must parse, and prints as written. Velocity 1.7 rebuilds it from
   * its tokens, which loses comment text: `## text` prints `##`, `#* ... *#` prints nothing and
   * `#** ... *#` prints `*#` (checked on Velocity 1.7).
   */
  private parseLiteral(start: number, end: number): string {
    if (!isLeftParenthesis(this.src, end)) this.error(start, '#literal must be followed by "()"');
    this.pos = end;
    if (this.parseDirectiveArgs().length > 0) this.error(start, '#literal() takes no arguments');
    const bodyStart = this.pos;
    this.parseBlock('block', start, 'literal');
    // Checked on Velocity 1.7: an empty body fails with a NullPointerException (Literal.init).
    if (this.lastEndOffset === bodyStart) this.error(start, '#literal() with an empty body fails in Velocity 1.7 (NullPointerException)');
    return this.src.slice(bodyStart, this.lastEndOffset)
      .replace(/##[^\r\n]*|#\*\*[\s\S]*?\*#|#\*[\s\S]*?\*#/g, (c) => (c.startsWith('##') ? '##' : c.startsWith('#**') ? '*#' : ''));
  }

  private parseIf(start: number): IfNode {
    const branches: Array<{ condition: Expr; body: TemplateNode[] }> = [];
    let condition = this.parseDirectiveCondition('if', start);
    for (;;) {
      const block = this.parseBlock('if', start, 'if');
      branches.push({ condition, body: block.nodes });
      if (block.end.kind === 'elseif') {
        condition = block.end.condition!;
        continue;
      }
      if (block.end.kind === 'else') {
        const otherwise = this.parseBlock('else', start, 'if');
        return { type: 'if', branches, otherwise: otherwise.nodes };
      }
      return { type: 'if', branches };
    }
  }

  /** `[whitespace] ( expression )` after #if / #elseif, swallowing a line break after `)`. */
  private parseDirectiveCondition(name: string, start: number): Expr {
    this.skipWs();
    if (this.src[this.pos] !== '(') this.error(this.pos, `#${name} must be followed by "(", found ${describeAt(this.src, this.pos)}`);
    this.pos++;
    const condition = this.parseExpression();
    this.expectClosingParen(`#${name}`, start);
    return condition;
  }

  private expectClosingParen(what: string, start: number): void {
    this.skipWs();
    if (this.src[this.pos] !== ')') {
      const { line, column } = this.source.position(start);
      this.error(this.pos, `expected ")" to close ${what} (opened at line ${line}, column ${column}), found ${describeAt(this.src, this.pos)}`);
    }
    this.pos = swallowTrailingNewline(this.src, this.pos + 1);
  }

  private parseSet(hashOffset: number): TemplateNode {
    this.skipWs();
    const tok = scanExprToken(this.src, this.pos);
    if (tok.kind !== 'dollar') this.error(this.pos, `#set needs a reference before "=", found ${describeAt(this.src, this.pos)}`);
    const target = this.parseReferenceExpr(tok);
    if (target.type !== 'reference') this.error(tok.start, '#set needs a reference before "="');
    this.skipWs();
    if (this.src[this.pos] !== '=') this.error(this.pos, `expected "=" in #set, found ${describeAt(this.src, this.pos)}`);
    this.pos++;
    const value = this.parseExpression();
    this.expectClosingParen('#set', hashOffset);
    return { type: 'set', target: target.ref, value, offset: hashOffset };
  }

  private parseForeach(start: number, end: number): TemplateNode {
    if (!isLeftParenthesis(this.src, end)) this.error(start, '#foreach must be followed by "($item in $list)"');
    this.pos = end;
    const args = this.parseDirectiveArgs();
    // Velocity 1.7 only checks that the second argument is a word; `in` is the convention.
    const variable = args[0];
    if (args.length !== 3 || variable.type !== 'reference' || args[1].type !== 'word' || args[2].type === 'word') {
      this.error(start, '#foreach arguments must be ($item in $list)');
    }
    const body = this.parseBlock('block', start, 'foreach');
    return { type: 'foreach', variable: variable.ref.root, iterable: args[2], body: body.nodes, source: this.source, offset: start };
  }

  /**
   * `( arg arg, arg )` of #foreach, #break and undefined macros: references, words, literals,
   * lists, maps and ranges separated by whitespace or commas. Leaves this.pos after the `)` and
   * the line break it swallows.
   */
  private parseDirectiveArgs(): Expr[] {
    const open = this.src.indexOf('(', this.pos);
    this.pos = open + 1;
    const args: Expr[] = [];
    for (;;) {
      this.skipWs();
      let tok = scanExprToken(this.src, this.pos);
      if (tok.kind === ',' && args.length > 0) {
        this.pos = tok.end;
        this.skipWs();
        tok = scanExprToken(this.src, this.pos);
      }
      if (tok.kind === ')') {
        this.pos = swallowTrailingNewline(this.src, tok.end);
        return args;
      }
      if (tok.kind === 'word') {
        this.consume(tok);
        args.push({ type: 'word', name: this.src.slice(tok.start, tok.end), text: this.src.slice(tok.start, tok.end), offset: tok.start });
        continue;
      }
      if (tok.kind === 'eof') this.error(open, 'unclosed "(" of a directive');
      args.push(this.parseParameter());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // References (JavaCC states REFERENCE, REFMODIFIER, REFMOD2, REFINDEX)
  // ---------------------------------------------------------------------------------------------

  /** Reads `name(.prop|.method(...)|[index])*` (or `{...}`) from `p`; leaves this.pos after it. */
  private parseReferenceBody(dollar: number, p: number): Reference {
    const src = this.src;
    const formal = src[p] === '{';
    let pos = formal ? p + 1 : p;
    if (!isIdentifierStart(src[pos])) this.error(pos, `expected a reference name after "$", found ${describeAt(src, pos)}`);
    const nameEnd = scanIdentifier(src, pos);
    const root = src.slice(pos, nameEnd);
    pos = nameEnd;
    const parts: RefPart[] = [];
    for (;;) {
      if (src[pos] === '[') {
        this.pos = pos;
        parts.push({ type: 'index', arg: this.parseIndex(), offset: pos });
        pos = this.pos;
        continue;
      }
      // DOT is "." followed by a letter; anything else ends the reference (`$a.` is `$a` + ".").
      if (src[pos] === '.' && isAlpha(src[pos + 1])) {
        const memberEnd = scanIdentifier(src, pos + 1);
        const name = src.slice(pos + 1, memberEnd);
        if (src[memberEnd] === '(') {
          this.pos = memberEnd;
          const args = this.parseMethodArgs();
          parts.push({ type: 'method', name, args, offset: pos + 1 });
          pos = this.pos;
        } else {
          parts.push({ type: 'property', name, offset: pos + 1 });
          pos = memberEnd;
        }
        continue;
      }
      break;
    }
    if (formal) {
      if (src[pos] !== '}') this.error(pos, `expected "}" to close "\${", found ${describeAt(src, pos)}`);
      pos++;
    }
    this.pos = pos;
    return { root, parts, literal: src.slice(dollar, pos), source: this.source, offset: dollar };
  }

  /** `[ index ]`: a string, integer, boolean or reference (IndexParameter). */
  private parseIndex(): Expr {
    const open = this.pos;
    this.pos++;
    this.skipWs();
    const tok = scanExprToken(this.src, this.pos);
    let arg: Expr;
    if (tok.kind === 'string' || tok.kind === 'int' || tok.kind === 'true' || tok.kind === 'false' || tok.kind === 'dollar') {
      arg = this.parsePrimaryToken(tok);
    } else {
      this.error(tok.start, `invalid index in "[...]": expected a string, integer or reference, found ${describeAt(this.src, tok.start)}`);
    }
    this.skipWs();
    if (this.src[this.pos] !== ']') this.error(this.pos, `expected "]" to close the index opened at offset ${open}, found ${describeAt(this.src, this.pos)}`);
    this.pos++;
    return arg;
  }

  /** `( param, param )` of a method call (Parameter: literals, lists, maps, ranges, references). */
  private parseMethodArgs(): Expr[] {
    const open = this.pos;
    this.pos++;
    const args: Expr[] = [];
    this.skipWs();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      args.push(this.parseParameter());
      const tok = scanExprToken(this.src, this.pos);
      if (tok.kind === ',') {
        this.pos = tok.end;
        continue;
      }
      if (tok.kind === ')') {
        this.pos = tok.end;
        return args;
      }
      this.error(tok.start, `expected "," or ")" in the method call opened at ${this.describePosition(open)}, found ${describeAt(this.src, tok.start)} (method arguments cannot be expressions)`);
    }
  }

  private describePosition(offset: number): string {
    const { line, column } = this.source.position(offset);
    return `line ${line}, column ${column}`;
  }

  /** Parameter: `[ws] (string|int|float|true|false|range|list|map|reference) [ws]`. */
  private parseParameter(): Expr {
    this.skipWs();
    const tok = scanExprToken(this.src, this.pos);
    switch (tok.kind) {
      case 'string':
      case 'int':
      case 'float':
      case 'true':
      case 'false':
      case 'dollar':
      case '[':
      case '{': {
        const e = this.parsePrimaryToken(tok);
        this.skipWs();
        return e;
      }
      default:
        this.unexpected(tok, 'a value (string, number, boolean, list, map or reference)');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions (JavaCC state DIRECTIVE)
  // ---------------------------------------------------------------------------------------------

  private skipWs(): void {
    while (this.pos < this.src.length && ' \t\r\n'.includes(this.src[this.pos])) this.pos++;
  }

  private consume(tok: ExprToken): void {
    this.pos = tok.end;
    this.lastEnd = tok.end;
  }

  private peekOp(...ops: string[]): ExprToken | undefined {
    this.skipWs();
    const tok = scanExprToken(this.src, this.pos);
    return tok.kind === 'op' && ops.includes(tok.op!) ? tok : undefined;
  }

  private binary(left: Expr, op: BinaryOp, right: Expr): Expr {
    return { type: 'binary', op, left, right, text: this.src.slice(left.offset, this.lastEnd), offset: left.offset, source: this.source };
  }

  public parseExpression(): Expr {
    let left = this.parseAnd();
    for (let tok = this.peekOp('||'); tok; tok = this.peekOp('||')) {
      this.consume(tok);
      left = this.binary(left, '||', this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseEquality();
    for (let tok = this.peekOp('&&'); tok; tok = this.peekOp('&&')) {
      this.consume(tok);
      left = this.binary(left, '&&', this.parseEquality());
    }
    return left;
  }

  private parseEquality(): Expr {
    let left = this.parseRelational();
    for (let tok = this.peekOp('==', '!='); tok; tok = this.peekOp('==', '!=')) {
      this.consume(tok);
      left = this.binary(left, tok.op as BinaryOp, this.parseRelational());
    }
    return left;
  }

  private parseRelational(): Expr {
    let left = this.parseAdditive();
    for (let tok = this.peekOp('<', '>', '<=', '>='); tok; tok = this.peekOp('<', '>', '<=', '>=')) {
      this.consume(tok);
      left = this.binary(left, tok.op as BinaryOp, this.parseAdditive());
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (let tok = this.peekOp('+', '-'); tok; tok = this.peekOp('+', '-')) {
      this.consume(tok);
      left = this.binary(left, tok.op as BinaryOp, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (let tok = this.peekOp('*', '/', '%'); tok; tok = this.peekOp('*', '/', '%')) {
      this.consume(tok);
      left = this.binary(left, tok.op as BinaryOp, this.parseUnary());
    }
    return left;
  }

  private parseUnary(): Expr {
    const tok = this.peekOp('!');
    if (tok) {
      this.consume(tok);
      const operand = this.parseUnary();
      return { type: 'not', operand, text: this.src.slice(tok.start, this.lastEnd), offset: tok.start };
    }
    this.skipWs();
    const next = scanExprToken(this.src, this.pos);
    if (next.kind === '(') {
      this.consume(next);
      const inner = this.parseExpression();
      this.skipWs();
      const close = scanExprToken(this.src, this.pos);
      if (close.kind !== ')') this.error(close.start, `expected ")" to close the "(" at ${this.describePosition(next.start)}, found ${describeAt(this.src, close.start)}`);
      this.consume(close);
      return { type: 'group', inner, text: this.src.slice(next.start, close.end), offset: next.start };
    }
    if (['string', 'int', 'float', 'true', 'false', 'dollar', '[', '{'].includes(next.kind)) {
      return this.parsePrimaryToken(next);
    }
    if (next.kind === 'word' && this.src.slice(next.start, next.end) === 'null') {
      this.error(next.start, 'Velocity 1.7 has no null literal; compare with an undefined reference such as $null, or with ""');
    }
    this.unexpected(next, 'an expression');
  }

  private unexpected(tok: ExprToken, expected: string): never {
    const c = this.src[tok.start];
    if (tok.kind === 'invalid' && (c === '"' || c === "'")) this.error(tok.start, 'unterminated string literal');
    this.error(tok.start, `expected ${expected}, found ${describeAt(this.src, tok.start)}`);
  }

  /** A primary value starting with `tok` (not a parenthesized expression). */
  private parsePrimaryToken(tok: ExprToken): Expr {
    const src = this.src;
    const image = src.slice(tok.start, tok.end);
    const base = { text: image, offset: tok.start };
    switch (tok.kind) {
      case 'int': {
        this.consume(tok);
        const n = BigInt(image);
        const value: Value = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
        return { ...base, type: 'literal', value };
      }
      case 'float':
        this.consume(tok);
        return { ...base, type: 'literal', value: new JDouble(Number(image)) };
      case 'true':
      case 'false':
        this.consume(tok);
        return { ...base, type: 'literal', value: tok.kind === 'true' };
      case 'string':
        this.consume(tok);
        return this.stringLiteral(tok.start, image);
      case 'dollar':
        return this.parseReferenceExpr(tok);
      case '[':
        return this.parseListOrRange(tok);
      case '{':
        return this.parseMap(tok);
      default:
        this.error(tok.start, `unexpected ${describeAt(src, tok.start)}`);
    }
  }

  private parseReferenceExpr(tok: ExprToken): Expr {
    const dollar = tok.end - 1;
    let p = tok.end;
    if (this.src[p] === '!') p++;
    if (this.src[p] !== '{' && !isIdentifierStart(this.src[p])) {
      this.error(dollar, `expected a reference name after "$", found ${describeAt(this.src, p)}`);
    }
    const ref = this.parseReferenceBody(dollar, p);
    this.lastEnd = this.pos;
    return { type: 'reference', ref, text: ref.literal, offset: dollar };
  }

  private stringLiteral(offset: number, image: string): Expr {
    const quote = image[0];
    const raw = image.slice(1, -1);
    let value: string;
    try {
      value = replaceDoubledQuotes(quote === '"' ? unescapeUnicode(raw) : raw, quote);
    } catch (e) {
      this.error(offset, (e as Error).message);
    }
    // Only double-quoted strings whose raw text has a `$` or `#` are interpolated.
    if (quote === '"' && (raw.includes('$') || raw.includes('#'))) {
      // Velocity appends a space before parsing (so a trailing `$` is not cut short) and removes the
      // last character after rendering, except when the string contains `##`.
      const hasLineComment = value.includes('##');
      const inner = new SourceText(hasLineComment ? value : `${value} `, { source: this.source, offset });
      const nodes = new Parser(inner, this.macroNames).parseAll();
      return { type: 'string', value, interpolated: { nodes, stripLast: !hasLineComment }, text: image, offset };
    }
    return { type: 'string', value, text: image, offset };
  }

  /** `[a, b]` or the range `[1..$n]` (chosen by looking for `..` after the first element). */
  private parseListOrRange(open: ExprToken): Expr {
    const src = this.src;
    this.consume(open);
    this.skipWs();
    const first = scanExprToken(src, this.pos);
    if (first.kind === 'int' || first.kind === 'dollar') {
      const save = this.pos;
      const from = this.parsePrimaryToken(first);
      this.skipWs();
      const dots = scanExprToken(src, this.pos);
      if (dots.kind === '..') {
        this.consume(dots);
        this.skipWs();
        const endTok = scanExprToken(src, this.pos);
        if (endTok.kind !== 'int' && endTok.kind !== 'dollar') this.error(endTok.start, `a range ends with an integer or a reference, found ${describeAt(src, endTok.start)}`);
        const to = this.parsePrimaryToken(endTok);
        this.skipWs();
        const close = scanExprToken(src, this.pos);
        if (close.kind !== ']') this.error(close.start, `expected "]" to close the range, found ${describeAt(src, close.start)}`);
        this.consume(close);
        return { type: 'range', from, to, text: src.slice(open.start, close.end), offset: open.start, source: this.source };
      }
      this.pos = save;
    }
    const items: Expr[] = [];
    this.skipWs();
    if (src[this.pos] !== ']') {
      for (;;) {
        items.push(this.parseParameter());
        const tok = scanExprToken(src, this.pos);
        if (tok.kind === ',') {
          this.consume(tok);
          continue;
        }
        if (tok.kind === ']') break;
        this.error(tok.start, `expected "," or "]" in the list at ${this.describePosition(open.start)}, found ${describeAt(src, tok.start)}`);
      }
    }
    this.pos++;
    this.lastEnd = this.pos;
    return { type: 'list', items, text: src.slice(open.start, this.pos), offset: open.start };
  }

  /** `{key: value, ...}` */
  private parseMap(open: ExprToken): Expr {
    const src = this.src;
    this.consume(open);
    const entries: Array<[Expr, Expr]> = [];
    this.skipWs();
    if (src[this.pos] !== '}') {
      for (;;) {
        const key = this.parseParameter();
        const colon = scanExprToken(src, this.pos);
        if (colon.kind !== ':') this.error(colon.start, `expected ":" in the map at ${this.describePosition(open.start)}, found ${describeAt(src, colon.start)}`);
        this.consume(colon);
        const value = this.parseParameter();
        entries.push([key, value]);
        const tok = scanExprToken(src, this.pos);
        if (tok.kind === ',') {
          this.consume(tok);
          continue;
        }
        if (tok.kind === '}') break;
        this.error(tok.start, `expected "," or "}" in the map at ${this.describePosition(open.start)}, found ${describeAt(src, tok.start)}`);
      }
    }
    this.pos++;
    this.lastEnd = this.pos;
    return { type: 'map', entries, text: src.slice(open.start, this.pos), offset: open.start };
  }
}
