import { jsonBoolean, jsonNumber, jsonStringContent } from './escape';
import { literalJson, vtlString } from './vtl';

/**
 * Pure VTL builders for JSON request templates built from request values, and for the response
 * templates of a Lambda custom integration. Everything is written on one line, so Velocity's
 * whitespace rules cannot add or eat anything.
 */

/** How a request value is written into a JSON template. */
export type JsonValueKind = 'string' | 'number' | 'boolean' | 'json';

/** Unique VTL variable names within one template (a `#set` to null keeps a variable's old value). */
export class TemplateNames {
  private count = 0;
  constructor(private readonly prefix = '__rt') {}
  public next(): string {
    return `${this.prefix}${this.count++}`;
  }
}

/**
 * VTL printing the value of `expression` as JSON of the given kind:
 * - string: the value's text (interpolated into a Java String first, so a number or object from the body
 *   is written as its text) as an escaped JSON string; a missing value gives `""`;
 * - number / boolean: a JSON number (or `null`) / `true` or `false`, never anything else;
 * - json: printed verbatim; only for `$input.json(...)`, whose output API Gateway serializes as JSON.
 */
export function jsonValue(kind: JsonValueKind, expression: string, names: TemplateNames): string {
  switch (kind) {
    case 'string': {
      const v = names.next();
      return `#set($${v} = ${expression})"${jsonStringContent(`"$!{${v}}"`)}"`;
    }
    case 'number':
      return jsonNumber(expression, names.next());
    case 'boolean':
      return jsonBoolean(expression, names.next());
    case 'json':
      if (!expression.startsWith('$input.json(')) throw new Error(`internal error: ${expression} is not JSON text`);
      return expression;
  }
}

/** A JSON object whose keys are static and whose values are VTL that prints JSON. */
export function jsonObject(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${literalJson(k)}: ${v}`).join(', ')}}`;
}

/** A JSON object of every entry of a request map (`$input.params().querystring`), keys and values escaped. */
export function jsonObjectOfMap(mapExpression: string, names: TemplateNames): string {
  const k = names.next();
  return `{#foreach($${k} in ${mapExpression}.keySet())"${jsonStringContent(`$${k}`)}": ` +
    `"${jsonStringContent(`${mapExpression}.get($${k})`)}"#if($foreach.hasNext), #end#end}`;
}

/** `[...]` with the regex metacharacters of `text` escaped. */
function regexLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&');
}

/** The selection pattern of a tagged error: the message starts with `[Tag]`, then anything (newlines too). */
export function taggedPattern(tag: string): string {
  return `\\[${regexLiteral(tag)}\\][\\s\\S]*`;
}

/**
 * A selection pattern that matches any non-empty error message that none of `patterns` matches as a
 * whole. Disjoint from them, so the answer does not depend on the order API Gateway tries patterns in.
 */
export function catchAllPattern(patterns: string[]): string {
  if (patterns.length === 0) return '[\\s\\S]+';
  return `(?!${patterns.map((p) => `(?:${p})(?![\\s\\S])`).join('|')})[\\s\\S]+`;
}

/** Sets `$__msg` to the Lambda error's message as a String (empty when there is none). */
const ERROR_MESSAGE = "#set($__em = $input.path('$.errorMessage'))#set($__msg = \"$!{__em}\")";

/** One way to answer a Lambda error, for `errorResponseTemplate`. */
export interface ErrorBodySpec {
  /** The Java regex that selected it (matched as a whole against the message). */
  readonly pattern: string;
  /** A fixed message, or undefined to echo the message after the tag `tag`. */
  readonly message?: string;
  /** The tag to strip before echoing. */
  readonly tag?: string;
}

/** The JSON error body: `{"message": <fixed or echoed>, "requestId": "..."}`. */
function errorBodyOf(spec: ErrorBodySpec): string {
  if (spec.message !== undefined) return `{"message": ${literalJson(spec.message)}, "requestId": "$context.requestId"}`;
  if (spec.tag === undefined) throw new Error('internal error: an echoed message needs a tag');
  const stripped = `$__msg.replaceFirst(${vtlString(`^\\[${regexLiteral(spec.tag)}\\]\\s*`)}, '')`;
  return `{"message": "${jsonStringContent(stripped)}", "requestId": "$context.requestId"}`;
}

/**
 * The response template of one status code's error answers. Several patterns can share a status: the
 * template picks the body of the one that matches (String.matches is the same whole-string test API
 * Gateway's selection applies); `fallback` answers when none does (the catch-all 500).
 */
export function errorResponseTemplate(specs: ErrorBodySpec[], fallback?: string): string {
  if (specs.length === 0) return fallback ?? '';
  if (specs.length === 1 && fallback === undefined) {
    return (specs[0].message === undefined ? ERROR_MESSAGE : '') + errorBodyOf(specs[0]);
  }
  // Without a fallback one of the specs selected the response, so the last one is the else branch.
  const tested = fallback === undefined ? specs.slice(0, -1) : specs;
  const otherwise = fallback ?? errorBodyOf(specs[specs.length - 1]);
  const branches = tested.map((s, i) => `#${i === 0 ? 'if' : 'elseif'}($__msg.matches(${vtlString(s.pattern)}))${errorBodyOf(s)}`);
  return `${ERROR_MESSAGE}${branches.join('')}#{else}${otherwise}#end`;
}

/** The fixed body of an unexpected error: never the error's text or stack trace. */
export function internalErrorBody(): string {
  return '{"message": "Internal server error", "requestId": "$context.requestId"}';
}

/**
 * The success template: a Lambda error with an empty message is not matched by any pattern and lands
 * here with its stack trace, so such a payload is answered as a fixed 500 instead. Anything else gets
 * `success` (default: the function's result as JSON).
 */
export function successResponseTemplate(success?: string): string {
  return "#set($__et = $input.path('$.errorType'))#set($__st = $input.path('$.stackTrace'))" +
    "#set($__em = $input.path('$.errorMessage'))" +
    '#if("$!{__et}" != "" && "$!{__st}" != "" && "$!{__em}" == "")' +
    `#set($context.responseOverride.status = 500)${internalErrorBody()}` +
    `#{else}${success ?? "$input.json('$')"}#end`;
}
