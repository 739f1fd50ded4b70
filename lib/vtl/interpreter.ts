import { EvaluateNode, Expr, ForeachNode, MacroCallNode, MacroNode, Reference, RefPart, TemplateNode } from './ast';
import { bigDecimalArithmetic, compareBigDecimal, needsBigDecimal } from './big-decimal';
import { SourceText, VtlRenderError, VtlSyntaxError } from './errors';
import { callMethod, getProperty } from './java-methods';
import { parseTemplate } from './parser';
import {
  integerValue,
  isJavaInteger,
  isJavaNumber,
  JavaException,
  JBigDecimal,
  JDouble,
  NOT_FOUND,
  sameJavaClassFamily,
  toDouble,
  toJavaString,
  javaEquals,
  javaTypeName,
  Value,
  VHost,
  VList,
  VMap,
} from './values';

/**
 * Evaluates a parsed template the way Velocity 1.7 does inside API Gateway. The deviations from
 * stock Velocity are the ones API Gateway is recorded to have (see the reference document):
 *
 * 1. a null reference renders as "" even without `$!` (stock Velocity prints the reference text);
 * 2. `==` / `!=` treat null as "" (so an undefined value equals '' and `$x != ''` is false for it).
 */

/** API Gateway caps #foreach at 1000 iterations; like Velocity's maxloops, the loop just ends. */
export const MAX_FOREACH_ITERATIONS = 1000;

/** Largest `[a..b]` range built (Velocity materializes ranges as lists before iterating them). */
const MAX_RANGE_SIZE = 1_000_000;

/** `$foreach`: the loop scope of Velocity 1.7 (index, count, hasNext, first, last, parent). */
class ForeachScope extends VHost {
  public readonly javaClassName = 'org.apache.velocity.runtime.directive.ForeachScope';
  public index = -1;
  public hasNext = false;

  constructor(public readonly parent: Value) {
    super();
  }

  public getProperty(name: string): Value | typeof NOT_FOUND {
    switch (name) {
      case 'index':
        return this.index;
      case 'count':
        return this.index + 1;
      case 'hasNext':
        return this.hasNext;
      case 'first':
        return this.index < 1;
      case 'last':
        return !this.hasNext;
      case 'parent':
        return this.parent;
      case 'topmost':
        return this.parent instanceof ForeachScope ? this.parent.getProperty('topmost') : this;
      default:
        return NOT_FOUND;
    }
  }

  public callMethod(name: string, args: Value[]): Value | typeof NOT_FOUND {
    if (args.length > 0) return NOT_FOUND;
    const getter = /^(?:get|is)([A-Z].*)$/.exec(name);
    if (getter) return this.getProperty(getter[1].charAt(0).toLowerCase() + getter[1].slice(1));
    if (name === 'stop') throw new BreakSignal(this);
    if (name === 'hasNext') return this.hasNext; // ForeachScope.hasNext(), beside getHasNext()
    return NOT_FOUND;
  }
}

/** `#break`: leaves the target scope, or the innermost #foreach, macro, #evaluate or #define block. */
class BreakSignal {
  constructor(public readonly target?: ForeachScope) {}
}

/** `#stop`: ends rendering; the output so far is kept. */
class StopSignal {}

/** Velocity 1.7's velocimacro.max.depth: deeper macro calls fail the render (MacroOverflowException). */
export const MAX_MACRO_DEPTH = 20;

/** Where references are read and #set writes: the template's variables, or a macro call's scope. */
interface Scope {
  get(name: string): Value | undefined;
  set(name: string, value: Value): void;
  delete(name: string): void;
}

/**
 * The scope of a macro call: Velocity 1.7's ProxyVMContext with its defaults
 * (velocimacro.context.localscope=false). Arguments are passed by name: a literal argument is bound
 * once, any other argument (a reference, a list, a map, an interpolated string) is evaluated again in
 * the caller's scope each time the macro reads it. Writes go to both the call's own variables and the
 * caller's scope, so `#set` inside a macro is visible after it; a `#set` of an argument's name binds
 * that name, it does not write through to the caller's variable.
 */
class MacroScope implements Scope {
  private readonly local = new Map<string, Value>();

  constructor(
    private readonly caller: Scope,
    private readonly byName: Map<string, Expr>,
    private readonly evaluateIn: (e: Expr, scope: Scope) => Value,
  ) {}

  public bind(name: string, value: Value): void {
    this.local.set(name, value);
  }

  public get(name: string): Value | undefined {
    const local = this.local.get(name);
    if (local !== undefined && local !== null) return local;
    const arg = this.byName.get(name);
    if (arg) return this.evaluateIn(arg, this.caller);
    return this.caller.get(name);
  }

  public set(name: string, value: Value): void {
    this.local.set(name, value);
    this.caller.set(name, value);
  }

  public delete(name: string): void {
    this.local.delete(name);
    this.caller.delete(name);
  }
}

/** `#define` blocks and `$bodyContent`: rendered, in the scope current at that moment, when printed. */
class BlockReference extends VHost {
  public readonly javaClassName = 'org.apache.velocity.runtime.directive.Block$Reference';

  constructor(private readonly renderNow: () => string) {
    super();
  }

  public toJavaString(): string {
    return this.renderNow();
  }
}

export class Interpreter {
  private vars: Scope;
  private readonly macros = new Map<string, MacroNode>();
  private macroDepth = 0;

  constructor(vars: Map<string, Value>) {
    this.vars = vars;
  }

  /** Renders the whole template. */
  public render(nodes: TemplateNode[]): string {
    this.registerMacros(nodes);
    const out: string[] = [];
    try {
      this.renderNodes(nodes, out);
    } catch (e) {
      if (!(e instanceof StopSignal || e instanceof BreakSignal)) throw e;
    }
    return out.join('');
  }

  /**
   * Velocity 1.7 registers every #macro of a template while parsing it, wherever it stands (even
   * inside `#if(false)`), and the first definition of a name wins.
   */
  private registerMacros(nodes: TemplateNode[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'macro':
          if (!this.macros.has(node.name)) this.macros.set(node.name, node);
          this.registerMacros(node.body);
          break;
        case 'if':
          node.branches.forEach((b) => this.registerMacros(b.body));
          if (node.otherwise) this.registerMacros(node.otherwise);
          break;
        case 'foreach':
        case 'define':
          this.registerMacros(node.body);
          break;
        case 'macroCall':
          if (node.body) this.registerMacros(node.body);
          break;
      }
    }
  }

  /** Renders `nodes` to a string; an untargeted #break ends it (the #define / #evaluate / macro scope). */
  private renderScope(nodes: TemplateNode[], out: string[]): void {
    try {
      this.renderNodes(nodes, out);
    } catch (e) {
      if (!(e instanceof BreakSignal && e.target === undefined)) throw e;
    }
  }

  private inScope<T>(scope: Scope, f: () => T): T {
    const saved = this.vars;
    this.vars = scope;
    try {
      return f();
    } finally {
      this.vars = saved;
    }
  }

  private blockReference(nodes: TemplateNode[]): BlockReference {
    return new BlockReference(() => {
      const out: string[] = [];
      this.renderScope(nodes, out);
      return out.join('');
    });
  }

  private renderMacroCall(node: MacroCallNode, out: string[]): void {
    const macro = this.macros.get(node.name);
    if (!macro) {
      // No such macro when rendering: Velocity prints the call as written.
      out.push(node.text);
      return;
    }
    if (this.macroDepth >= MAX_MACRO_DEPTH) {
      throw new VtlRenderError(node.source, node.offset, `MacroOverflowException: Max calling depth of ${MAX_MACRO_DEPTH} was exceeded in macro '${node.name}'`);
    }
    const byName = new Map<string, Expr>();
    const scope = new MacroScope(this.vars, byName, (e, s) => this.inScope(s, () => this.value(e)));
    // Extra arguments are ignored and missing ones stay unbound (velocimacro.arguments.strict=false).
    macro.params.forEach((param, i) => {
      const arg = node.args[i];
      if (!arg) return;
      if (arg.type === 'literal' || (arg.type === 'string' && !arg.interpolated) || arg.type === 'word') scope.bind(param, this.value(arg));
      else byName.set(param, arg);
    });
    if (node.body) scope.bind('bodyContent', this.blockReference(node.body));
    this.macroDepth++;
    try {
      this.inScope(scope, () => this.renderScope(macro.body, out));
    } finally {
      this.macroDepth--;
    }
  }

  /** `#evaluate`: parse the value (a syntax error fails the render) and render it in the current scope. */
  private renderEvaluate(node: EvaluateNode, out: string[]): void {
    const value = this.value(node.arg);
    if (value === null) return;
    let nodes: TemplateNode[];
    try {
      nodes = parseTemplate(new SourceText(toJavaString(value)));
    } catch (e) {
      if (e instanceof VtlSyntaxError) throw new VtlRenderError(node.source, node.offset, `the text given to #evaluate does not parse: ${e.message.replace(/^Mapping template syntax error/, 'syntax error')}`);
      throw e;
    }
    this.registerMacros(nodes);
    try {
      this.renderScope(nodes, out);
    } catch (e) {
      // #stop inside #evaluate ends only the evaluated text (checked on Velocity 1.7).
      if (!(e instanceof StopSignal)) throw e;
    }
  }

  private renderNodes(nodes: TemplateNode[], out: string[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          out.push(node.text);
          break;
        case 'reference': {
          const value = this.evalReference(node.ref);
          if (node.escaped) {
            // `\$a` prints `$a` when $a is defined and `\$a` when it is not.
            out.push(node.escPrefix + (value === null ? '\\' : '') + node.ref.literal);
          } else {
            out.push(node.escPrefix + (value === null ? '' : toJavaString(value)));
          }
          break;
        }
        case 'set': {
          const value = this.value(node.value);
          // directive.set.null.allowed=false (1.7 default): a null value leaves the target unchanged.
          if (value !== null) this.assign(node.target, value);
          break;
        }
        case 'if': {
          const branch = node.branches.find((b) => this.evaluate(b.condition));
          if (branch) this.renderNodes(branch.body, out);
          else if (node.otherwise) this.renderNodes(node.otherwise, out);
          break;
        }
        case 'foreach':
          this.renderForeach(node, out);
          break;
        case 'break': {
          const target = node.target ? this.value(node.target) : undefined;
          throw new BreakSignal(target instanceof ForeachScope ? target : undefined);
        }
        case 'stop':
          throw new StopSignal();
        case 'macro':
          break; // registered before rendering
        case 'macroCall':
          this.renderMacroCall(node, out);
          break;
        case 'define':
          this.vars.set(node.name, this.blockReference(node.body));
          break;
        case 'evaluate':
          this.renderEvaluate(node, out);
          break;
      }
    }
  }

  private renderForeach(node: ForeachNode, out: string[]): void {
    const listObject = this.value(node.iterable);
    if (listObject === null) return;
    let items: Value[];
    let owner: VList | VMap;
    if (listObject instanceof VList) {
      items = listObject.items;
      owner = listObject.viewOf?.map ?? listObject; // a keySet()/values()/entrySet() iterates its map
    } else if (listObject instanceof VMap) {
      items = listObject.values(); // Velocity iterates a Map's values
      owner = listObject;
    } else {
      return; // not iterable: skipped silently (directive.foreach.skip.invalid=true)
    }
    const vars = this.vars;
    const saved = {
      element: vars.get(node.variable),
      count: vars.get('velocityCount'),
      hasNext: vars.get('velocityHasNext'),
      scope: vars.get('foreach'),
    };
    const scope = new ForeachScope(saved.scope ?? null);
    vars.set('foreach', scope);
    const expectedModCount = owner.modCount;
    let cursor = 0;
    try {
      while (cursor < MAX_FOREACH_ITERATIONS && cursor < items.length) {
        if (owner.modCount !== expectedModCount) {
          // Java's fail-fast iterators: adding to (or removing from) the collection being iterated.
          throw new VtlRenderError(node.source, node.offset, 'java.util.ConcurrentModificationException: the collection was modified inside its #foreach');
        }
        vars.set('velocityCount', cursor + 1);
        const value = items[cursor++];
        const hasNext = cursor < items.length;
        vars.set('velocityHasNext', hasNext);
        vars.set(node.variable, value);
        scope.index++;
        scope.hasNext = hasNext;
        try {
          this.renderNodes(node.body, out);
        } catch (e) {
          if (e instanceof BreakSignal && (e.target === undefined || e.target === scope)) break;
          throw e;
        }
      }
    } finally {
      restore(vars, node.variable, saved.element);
      restore(vars, 'velocityCount', saved.count);
      restore(vars, 'velocityHasNext', saved.hasNext);
      restore(vars, 'foreach', saved.scope);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // References
  // ---------------------------------------------------------------------------------------------

  /** Strict mode: a method call Java would not find fails the render instead of printing nothing. */
  public strict = false;

  private evalReference(ref: Reference): Value {
    let value: Value = this.vars.get(ref.root) ?? null;
    for (const part of ref.parts) {
      if (value === null) return null;
      value = this.applyPart(ref, value, part);
    }
    return value;
  }

  private applyPart(ref: Reference, target: Value, part: RefPart): Value {
    try {
      switch (part.type) {
        case 'property':
          return getProperty(target, part.name);
        case 'method': {
          const args = part.args.map((a) => this.value(a));
          const result = callMethod(target, part.name, args);
          if (result === NOT_FOUND && this.strict) {
            throw new VtlRenderError(ref.source, part.offset, `${javaTypeName(target)} has no method ${part.name}(${args.map(javaTypeName).join(', ')}) ` +
              `(in ${ref.literal}); API Gateway would print nothing for it. Fix the call, or render with { strict: false }`);
          }
          return result === NOT_FOUND ? null : result;
        }
        case 'index':
          return this.index(target, this.value(part.arg));
      }
    } catch (e) {
      if (e instanceof JavaException) throw new VtlRenderError(ref.source, part.offset, `${e.message} (in ${ref.literal})`);
      throw e;
    }
  }

  /** `$a[i]`: `get(i)`; a negative index counts from the end of a list (Velocity 1.7). */
  private index(target: Value, arg: Value): Value {
    if (target instanceof VList && typeof arg === 'number' && arg < 0) {
      const adjusted = target.items.length + arg;
      const result = callMethod(target, 'get', [adjusted]);
      return result === NOT_FOUND ? null : result;
    }
    const result = callMethod(target, 'get', [arg]);
    return result === NOT_FOUND ? null : result;
  }

  /** `#set($a.b.c = v)` / `#set($a[k] = v)`: put/set on the object before the last part. */
  private assign(ref: Reference, value: Value): void {
    if (ref.parts.length === 0) {
      this.vars.set(ref.root, value);
      return;
    }
    let target: Value = this.vars.get(ref.root) ?? null;
    for (const part of ref.parts.slice(0, -1)) {
      if (target === null) return; // "reference set is not a valid reference": logged, nothing set
      target = this.applyPart(ref, target, part);
    }
    if (target === null) return;
    const last = ref.parts[ref.parts.length - 1];
    try {
      if (last.type === 'index') {
        let key = this.value(last.arg);
        if (target instanceof VList) {
          if (typeof key === 'number' && key < 0) key = target.items.length + key;
          callMethod(target, 'set', [key, value]);
        } else {
          callMethod(target, 'put', [key, value]);
        }
      } else if (last.type === 'property' && target instanceof VMap) {
        target.put(last.name, value);
      }
      // Anything else (a method call, a property of a non-map) has no setter: ignored, as in Velocity.
    } catch (e) {
      if (e instanceof JavaException) throw new VtlRenderError(ref.source, last.offset, `${e.message} (in ${ref.literal})`);
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions
  // ---------------------------------------------------------------------------------------------

  /** The value of an expression (Velocity's `Node.value()`). */
  private value(e: Expr): Value {
    switch (e.type) {
      case 'literal':
        return e.value;
      case 'string': {
        if (!e.interpolated) return e.value;
        const out: string[] = [];
        this.renderNodes(e.interpolated.nodes, out);
        const s = out.join('');
        return e.interpolated.stripLast && s.length > 0 ? s.slice(0, -1) : s;
      }
      case 'reference':
        return this.evalReference(e.ref);
      case 'word':
        return e.name;
      case 'group':
        return this.value(e.inner);
      case 'list':
        return new VList(e.items.map((x) => this.value(x)), 'array');
      case 'map':
        // Velocity 1.7's ASTMap builds map literals as java.util.LinkedHashMap: insertion order.
        return VMap.of(e.entries.map(([k, v]) => [this.value(k), this.value(v)]));
      case 'range': {
        const from = this.value(e.from);
        const to = this.value(e.to);
        if (!isJavaNumber(from) || !isJavaNumber(to)) return null;
        const a = Math.trunc(toDouble(from));
        const b = Math.trunc(toDouble(to));
        if (Math.abs(b - a) >= MAX_RANGE_SIZE) {
          // Velocity builds the whole list first; on AWS a huge range exhausts memory or time.
          throw new VtlRenderError(e.source, e.offset, `the range ${e.text} has ${Math.abs(b - a) + 1} elements; refusing to build more than ${MAX_RANGE_SIZE}`);
        }
        const items: Value[] = [];
        const step = a <= b ? 1 : -1;
        for (let i = a; step > 0 ? i <= b : i >= b; i += step) items.push(i);
        return new VList(items, 'array');
      }
      case 'not':
        return !this.evaluate(e.operand);
      case 'binary':
        switch (e.op) {
          case '&&':
          case '||':
          case '==':
          case '!=':
          case '<':
          case '>':
          case '<=':
          case '>=':
            return this.evaluate(e);
          default:
            try {
              return this.arithmetic(e.op, e.left, e.right);
            } catch (err) {
              if (err instanceof JavaException) throw new VtlRenderError(e.source, e.offset, `${err.message} (in ${e.text})`);
              throw err;
            }
        }
    }
  }

  /**
   * Truth value (Velocity's `Node.evaluate()`): a reference is true unless null or false;
   * literals, strings and arithmetic are never true by themselves (SimpleNode.evaluate returns
   * false), so `#if("abc")` and `#if(1)` take the else branch, while `#if($s)` with $s = "" is true.
   *
   * Open question (reference §1.2): no AWS recording shows whether `#if($missing)` is false. Stock
   * 1.7 says false (a null reference), and API Gateway's null-as-"" patch is only known to affect
   * rendering and `==`/`!=`, so it is false here; a "" value is true, as in stock 1.7.
   */
  private evaluate(e: Expr): boolean {
    switch (e.type) {
      case 'reference': {
        const v = this.evalReference(e.ref);
        return v === null ? false : typeof v === 'boolean' ? v : true;
      }
      case 'literal':
        return e.value === true;
      case 'group':
        return this.evaluate(e.inner);
      case 'not':
        return !this.evaluate(e.operand);
      case 'binary':
        switch (e.op) {
          case '&&':
            return this.evaluate(e.left) && this.evaluate(e.right);
          case '||':
            return this.evaluate(e.left) || this.evaluate(e.right);
          case '==':
            return this.equals(this.value(e.left), this.value(e.right));
          case '!=':
            return !this.equals(this.value(e.left), this.value(e.right));
          case '<':
          case '>':
          case '<=':
          case '>=':
            return this.compare(e.op, this.value(e.left), this.value(e.right));
          default:
            return false;
        }
      default:
        return false;
    }
  }

  /** ASTEQNode, with API Gateway's null-as-"" patch. */
  private equals(leftValue: Value, rightValue: Value): boolean {
    const left = leftValue ?? '';
    const right = rightValue ?? '';
    if (isJavaNumber(left) && isJavaNumber(right)) return compareNumbers(left, right) === 0;
    if (sameJavaClassFamily(left, right)) return javaEquals(left, right);
    return toJavaString(left) === toJavaString(right);
  }

  /** ASTLTNode & co: numbers only; anything else (or null) is false. */
  private compare(op: string, left: Value, right: Value): boolean {
    if (!isJavaNumber(left) || !isJavaNumber(right)) return false;
    const c = compareNumbers(left, right);
    return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
  }

  /** ASTMathNode and MathUtils: exact integer arithmetic, doubles when either side is a double. */
  private arithmetic(op: string, leftExpr: Expr, rightExpr: Expr): Value {
    const left = this.value(leftExpr);
    const right = this.value(rightExpr);
    if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
      // ASTAddNode.handleSpecial: string concatenation; a null side contributes its source text.
      return (left === null ? leftExpr.text : toJavaString(left)) + (right === null ? rightExpr.text : toJavaString(right));
    }
    if (!isJavaNumber(left) || !isJavaNumber(right)) return null;
    if (isJavaInteger(left) && isJavaInteger(right)) {
      const a = BigInt(left);
      const b = BigInt(right);
      switch (op) {
        case '+':
          return integerValue(a + b);
        case '-':
          return integerValue(a - b);
        case '*':
          return integerValue(a * b);
        case '/':
          return b === BigInt(0) ? null : integerValue(a / b);
        default:
          return b === BigInt(0) ? null : integerValue(a % b);
      }
    }
    if (needsBigDecimal(left, right)) return bigDecimalArithmetic(op, left, right);
    if ((op === '/' || op === '%') && toDouble(right) === 0) return null;
    const a = toDouble(left);
    const b = toDouble(right);
    switch (op) {
      case '+':
        return new JDouble(a + b);
      case '-':
        return new JDouble(a - b);
      case '*':
        return new JDouble(a * b);
      case '/':
        return new JDouble(a / b);
      default:
        return new JDouble(a % b);
    }
  }
}

function compareNumbers(a: number | bigint | JDouble | JBigDecimal, b: number | bigint | JDouble | JBigDecimal): number {
  if (needsBigDecimal(a, b)) return compareBigDecimal(a, b);
  if (isJavaInteger(a) && isJavaInteger(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toDouble(a);
  const y = toDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function restore(vars: Scope, key: string, saved: Value | undefined): void {
  if (saved === undefined || saved === null) vars.delete(key);
  else vars.set(key, saved);
}
