import { errorBody, errorCodeEntry } from '../service-actions/responses';
import { jsonStringContent } from './escape';
import { TemplateNames } from './lambda-templates';
import { literalJson, vtlString } from './vtl';

/**
 * Pure VTL builders for FanOutRoute: the StartSyncExecution request, whose `input` is a JSON document
 * written as a JSON *string* (so every request value is escaped twice: once for the document, once for
 * the string that carries it), and the response template that turns the execution's outcome into the
 * answer. Everything is on one line, so Velocity's whitespace rules cannot add or eat anything.
 */

/** The error name a branch's Fail state raises: `FanOut.<branch>`. */
export const BRANCH_ERROR_PREFIX = 'FanOut.';

/** How a workflow route words its errors (fixed texts: no request value reaches them). */
export interface WorkflowErrorWording {
  /** The prefix of the error a failed step raises, followed by the step's name. */
  readonly errorPrefix: string;
  /** The message when a named step failed. */
  readonly failedMessage: string;
  /** The key that names the failed step in the answer. */
  readonly nameKey: string;
  readonly timeoutMessage: string;
  readonly otherMessage: string;
}

/** FanOutRoute's wording: `{"message": "A branch of the fan-out failed", "branch": ...}`. */
export const FAN_OUT_WORDING: WorkflowErrorWording = {
  errorPrefix: BRANCH_ERROR_PREFIX,
  failedMessage: 'A branch of the fan-out failed',
  nameKey: 'branch',
  timeoutMessage: 'The fan-out did not finish in time',
  otherMessage: 'The fan-out failed',
};

/** A branch name: a JSON key, a JSONata field name and a Step Functions state name, all without quoting. */
export const BRANCH_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What the execution input holds beyond the body, query string and request id. */
export interface ExecutionInputSpec {
  /** The route's path parameters, each written under `path`. */
  readonly pathParameters: string[];
  /** Headers written under `headers`: the name as a key, and the VTL expression that reads it. */
  readonly headers: Array<{ readonly name: string; readonly expression: string }>;
  /** Request values written under `fields` as strings: a key (`f0`, ...) and the VTL expression. */
  readonly fields: Array<{ readonly key: string; readonly expression: string }>;
}

/** Our own JSON text as the content of a JSON string. It never holds `$` or `#` (literalJson writes them as escapes). */
function staticContent(jsonText: string): string {
  const content = JSON.stringify(jsonText).slice(1, -1);
  if (/[$#]/.test(content)) throw new Error(`internal error: static template text ${content} contains $ or #`);
  return content;
}

/** VTL printing a request value as an escaped JSON string inside the escaped document: `\"...\"`. */
function doublyEscapedString(expression: string, names: TemplateNames): string {
  const v = names.next();
  return `#set($${v} = ${expression})\\"${jsonStringContent(jsonStringContent(`"$!{${v}}"`))}\\"`;
}

/** VTL printing a JSON object with static keys and VTL values, as string content. */
function object(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${staticContent(literalJson(k))}: ${v}`).join(', ')}}`;
}

/** VTL printing every entry of a request map (the query string), keys and values doubly escaped. */
function objectOfMap(mapExpression: string, names: TemplateNames): string {
  const k = names.next();
  return `{#foreach($${k} in ${mapExpression}.keySet())` +
    `\\"${jsonStringContent(jsonStringContent(`$${k}`))}\\": ` +
    `\\"${jsonStringContent(jsonStringContent(`${mapExpression}.get($${k})`))}\\"#if($foreach.hasNext), #end#end}`;
}

/**
 * VTL printing, as the content of a JSON string, the execution input document:
 * `{"body": <the JSON body>, "path": {...}, "query": {...}, "headers": {...}, "requestId": "...", "fields": {...}}`.
 * `body` is the body as JSON (`{}` when empty); `query` holds every query string parameter; `headers` and
 * `fields` only what the branches use. Every string is escaped for JSON, then the whole for the string.
 */
export function executionInputContent(spec: ExecutionInputSpec): string {
  const names = new TemplateNames('__fo');
  return object([
    ['body', jsonStringContent("$input.json('$')")],
    ['path', object(spec.pathParameters.map((p) => [p, doublyEscapedString(`$input.params().path.get(${vtlString(p)})`, names)]))],
    ['query', objectOfMap('$input.params().querystring', names)],
    ['headers', object(spec.headers.map((h) => [h.name, doublyEscapedString(h.expression, names)]))],
    ['requestId', doublyEscapedString('$context.requestId', names)],
    ['fields', object(spec.fields.map((f) => [f.key, doublyEscapedString(f.expression, names)]))],
  ]);
}

/**
 * The StartSyncExecution request: `{"stateMachineArn": ..., "input": "<the input document as a string>"}`.
 * The ARN is a CloudFormation reference (or an ARN the caller checked), so nothing in it reaches VTL.
 */
export function startSyncExecutionTemplate(stateMachineArn: string, spec: ExecutionInputSpec): string {
  return `{"stateMachineArn": "${stateMachineArn}", "input": "${executionInputContent(spec)}"}`;
}

/**
 * The answer to a StartSyncExecution of a fan-out, which Step Functions answers with 200 whatever the
 * outcome:
 * - SUCCEEDED: 200 with the execution output (the merged object, JSON the state machine produced);
 * - TIMED_OUT: 504 `{"message", "requestId"}`;
 * - FAILED with a branch's `FanOut.<branch>` error: 502 `{"message", "branch", "code", "requestId"}`,
 *   where `code` is the error name the branch failed with (e.g. `States.Timeout`) when it is a plain name
 *   (`Unknown` otherwise), never its cause text;
 * - anything else: 502 `{"message", "requestId"}`.
 */
export function fanOutResponseTemplate(wording: WorkflowErrorWording = FAN_OUT_WORDING): string {
  const { errorPrefix, failedMessage, nameKey, timeoutMessage, otherMessage } = wording;
  const branchError = vtlString(`${errorPrefix.replace('.', '\\.')}[A-Za-z_][A-Za-z0-9_]{0,63}`);
  return "#set($__status = $input.path('$.status'))" +
    '#if("$!{__status}" == "SUCCEEDED")' +
    "#set($__output = $input.path('$.output'))" +
    '#if("$!{__output}" == ""){}#{else}$__output#end' +
    '#elseif("$!{__status}" == "TIMED_OUT")' +
    '#set($context.responseOverride.status = 504)' +
    errorBody(timeoutMessage) +
    '#{else}' +
    '#set($context.responseOverride.status = 502)' +
    "#set($__e = $input.path('$.error'))#set($__error = \"$!{__e}\")" +
    `#if($__error.matches(${branchError}))` +
    // The name matched the branch name pattern, so it is printed as it is: it holds only [A-Za-z0-9_].
    // The cause is the branch's error name (the Fail state puts nothing else there), checked again here.
    `{"message": "${failedMessage}", "${nameKey}": "$__error.substring(${errorPrefix.length})", ` +
    `${errorCodeEntry("$input.path('$.cause')", '__c')}, "requestId": "$context.requestId"}` +
    '#{else}' +
    errorBody(otherMessage) +
    '#end#end';
}
