/**
 * Pure JSONata builders for FanOutRoute's state machine. JSONata (rather than JSONPath) because its
 * evaluation errors (`States.QueryEvaluationError`) can be caught, so a branch that gets an unexpected
 * answer still fails into the route's failure policy, while a JSONPath path miss is an uncatchable
 * `States.Runtime`; and because only JSONata can turn DynamoDB JSON into plain JSON without a Lambda.
 *
 * JSONata unwraps one-element sequences (`$map([x], f)` gives `x`, not `[x]`), so every array here is
 * built with `$reduce`/`$append`, which keeps arrays and nested arrays exactly.
 */

import { ERROR_CODE, UNKNOWN_ERROR_CODE } from '../service-actions/responses';

/** `{% expression %}`: a JSONata expression in a state's field. */
export function jsonata(expression: string): string {
  if (expression.includes('%}')) throw new Error(`internal error: '%}' in JSONata expression ${expression}`);
  return `{% ${expression} %}`;
}

/** A JSONata string literal (JSON string syntax is JSONata string syntax). */
export function jsonataString(value: string): string {
  return JSON.stringify(value);
}

/** The value of `key` in the object `objectExpression`, whatever characters the key holds. */
export function lookup(objectExpression: string, key: string): string {
  return `$lookup(${objectExpression}, ${jsonataString(key)})`;
}

/** `expression`, or `null` when it yields nothing (a bare undefined result is an error in Step Functions). */
export function orNull(expression: string): string {
  return `($v := ${expression}; $exists($v) ? $v : null)`;
}

/**
 * The error name of a caught error (the state input of a catcher's target) when it is a plain name
 * (ERROR_CODE, e.g. `States.Timeout`), else `Unknown`: a task's error name can be any text its code chose
 * (a Lambda function's errorType), and it reaches clients as `code`.
 */
export const CAUGHT_ERROR_NAME = '($e := $exists($states.input.Error) ? $string($states.input.Error) : ""; ' +
  `$contains($e, /^${ERROR_CODE}$/) ? $e : ${JSON.stringify(UNKNOWN_ERROR_CODE)})`;

/**
 * Functions that turn DynamoDB JSON into plain JSON, as the library's DynamoDB presets answer it: S and B
 * as strings, N as a number (kept as a string when it has more than 15 significant digits, which a JSON
 * number could not hold exactly), BOOL, NULL as null, SS/BS as string arrays, NS as a number array, M as
 * an object and L as an array (both at any depth), anything else as null.
 * `$item(m)` converts an item (a map of attribute values).
 */
const DYNAMO_FUNCTIONS = [
  '$num := function($n) { ($contains($n, /^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$/) and ' +
    '$length($replace($replace($n, /[-.]/, ""), /^0+/, "")) <= 15) ? $number($n) : $n }',
  '$list := function($a, $f) { $reduce($a, function($acc, $x) { ($y := $f($x); ' +
    '$append($acc, $type($y) = "array" ? [[$y]] : [$y])) }, []) }',
  '$plain := function($v) { $exists($v.S) ? $v.S : $exists($v.N) ? $num($v.N) : $exists($v.BOOL) ? $v.BOOL : ' +
    '$exists($v.NULL) ? null : $exists($v.B) ? $v.B : $exists($v.SS) ? $list($v.SS, function($x) { $x }) : ' +
    '$exists($v.NS) ? $list($v.NS, $num) : $exists($v.BS) ? $list($v.BS, function($x) { $x }) : ' +
    '$exists($v.M) ? $item($v.M) : $exists($v.L) ? $list($v.L, $plain) : null }',
  '$item := function($m) { $merge($append([{}], $list($keys($m), function($k) { {$k: $plain($lookup($m, $k))} }))) }',
].join('; ');

/** The item of a GetItem result as a plain JSON object, or null when there is no such item. */
export function dynamoItemExpression(): string {
  return `(${DYNAMO_FUNCTIONS}; $exists($states.result.Item) ? $item($states.result.Item) : null)`;
}

/**
 * A Query result as `{"items": [<plain items>], "count": n, "hasMore": bool}`: `hasMore` is true when
 * DynamoDB stopped at the limit (or at 1 MB) with more matching items left.
 */
export function dynamoItemsExpression(): string {
  return `(${DYNAMO_FUNCTIONS}; $items := $exists($states.result.Items) ? $list($states.result.Items, $item) : []; ` +
    '{"items": $items, "count": $count($items), "hasMore": $exists($states.result.LastEvaluatedKey)})';
}

/**
 * The output of a nested StartSyncExecution: `{"ok": true, "value": <the child's output>}` when it
 * succeeded, otherwise `{"ok": false, "Error": ..., "Cause": ...}` shaped like a caught error, so the
 * branch's failure state reads both the same way.
 */
export function syncExecutionOutcomeExpression(): string {
  return '$states.result.Status = "SUCCEEDED" ? ' +
    '{"ok": true, "value": $exists($states.result.Output) ? $parse($states.result.Output) : null} : ' +
    '{"ok": false, "Error": $exists($states.result.Error) ? $states.result.Error : $string($states.result.Status), ' +
    '"Cause": $exists($states.result.Cause) ? $states.result.Cause : ""}';
}
