import { SourceText } from './errors';
import { Value } from './values';

/** Syntax tree of a parsed template. Offsets point into `source` for error messages. */

export type TemplateNode =
  | TextNode | ReferenceNode | SetNode | IfNode | ForeachNode | BreakNode | StopNode
  | MacroNode | MacroCallNode | DefineNode | EvaluateNode;

export interface TextNode {
  readonly type: 'text';
  text: string;
}

/** `$a.b`, `$!a`, `${a}`, with the backslashes that preceded it. */
export interface ReferenceNode {
  readonly type: 'reference';
  readonly ref: Reference;
  /** An odd number of backslashes preceded the `$`. */
  readonly escaped: boolean;
  /** Half of the preceding backslashes (Velocity prints them before the value). */
  readonly escPrefix: string;
}

export interface SetNode {
  readonly type: 'set';
  readonly target: Reference;
  readonly value: Expr;
  readonly offset: number;
}

export interface IfNode {
  readonly type: 'if';
  readonly branches: ReadonlyArray<{ readonly condition: Expr; readonly body: TemplateNode[] }>;
  readonly otherwise?: TemplateNode[];
}

export interface ForeachNode {
  readonly type: 'foreach';
  readonly variable: string;
  readonly iterable: Expr;
  readonly body: TemplateNode[];
  readonly source: SourceText;
  readonly offset: number;
}

export interface BreakNode {
  readonly type: 'break';
  /** `#break($foreach.parent)`: the scope to leave; absent = the innermost #foreach. */
  readonly target?: Expr;
  readonly offset: number;
}

export interface StopNode {
  readonly type: 'stop';
}

/** `#macro(name $a $b)body#end`: registered before rendering (first definition wins); prints nothing. */
export interface MacroNode {
  readonly type: 'macro';
  readonly name: string;
  readonly params: string[];
  readonly body: TemplateNode[];
}

/** `#name(args)` or `#@name(args)body#end`: a macro call, resolved when rendered. */
export interface MacroCallNode {
  readonly type: 'macroCall';
  readonly name: string;
  readonly args: Expr[];
  /** `#@name(...)...#end`: the body, given to the macro as `$bodyContent`. */
  readonly body?: TemplateNode[];
  /** The call as written: what Velocity prints when no macro of that name exists. */
  readonly text: string;
  readonly source: SourceText;
  readonly offset: number;
}

/** `#define($name)body#end`: puts a block reference that renders `body` when printed. */
export interface DefineNode {
  readonly type: 'define';
  readonly name: string;
  readonly body: TemplateNode[];
}

/** `#evaluate(expr)`: parses the value as a template and renders it in the current context. */
export interface EvaluateNode {
  readonly type: 'evaluate';
  readonly arg: Expr;
  readonly source: SourceText;
  readonly offset: number;
}

export interface Reference {
  readonly root: string;
  readonly parts: RefPart[];
  /** The reference as written (without leading backslashes), e.g. `$!{a.b}`. */
  readonly literal: string;
  readonly source: SourceText;
  readonly offset: number;
}

export type RefPart =
  | { readonly type: 'property'; readonly name: string; readonly offset: number }
  | { readonly type: 'method'; readonly name: string; readonly args: Expr[]; readonly offset: number }
  | { readonly type: 'index'; readonly arg: Expr; readonly offset: number };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

interface ExprBase {
  /** Source text of the expression (Velocity's `literal()`, used when `+` meets a null). */
  readonly text: string;
  readonly offset: number;
}

export type Expr =
  | (ExprBase & { readonly type: 'literal'; readonly value: Value })
  | (ExprBase & { readonly type: 'string'; readonly value: string; readonly interpolated?: InterpolatedString })
  | (ExprBase & { readonly type: 'reference'; readonly ref: Reference })
  | (ExprBase & { readonly type: 'list'; readonly items: Expr[] })
  | (ExprBase & { readonly type: 'map'; readonly entries: Array<[Expr, Expr]> })
  | (ExprBase & { readonly type: 'range'; readonly from: Expr; readonly to: Expr; readonly source: SourceText })
  | (ExprBase & { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly source: SourceText })
  | (ExprBase & { readonly type: 'not'; readonly operand: Expr })
  | (ExprBase & { readonly type: 'group'; readonly inner: Expr })
  | (ExprBase & { readonly type: 'word'; readonly name: string });

/** A double-quoted string containing `$` or `#`: parsed as a template and rendered on use. */
export interface InterpolatedString {
  readonly nodes: TemplateNode[];
  /** Velocity appends a space before parsing (the "dreaded MORE kludge") and strips one char after. */
  readonly stripLast: boolean;
}
