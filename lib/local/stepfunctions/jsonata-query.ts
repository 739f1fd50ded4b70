/**
 * JSONata states' data flow: a string `{% expression %}` anywhere in `Arguments`, `Output`, `Assign`,
 * `Condition`, `Items`, `Seconds` ... is evaluated with `$states` (input, result, errorOutput, context)
 * and the workflow's variables bound, plus the functions Step Functions adds ($partition, $range, $hash,
 * $random, $uuid, $parse). An expression that fails, or gives no value, is States.QueryEvaluationError.
 */
import { randomUUID } from 'node:crypto';
import { StatesError } from './errors';
import { HASH_ALGORITHMS, hashHex } from './intrinsic-functions';

type Expression = { evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown> };
type JsonataFactory = (expression: string) => Expression;

let factory: JsonataFactory | undefined;

function loadJsonata(): JsonataFactory {
  if (!factory) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      factory = require('jsonata') as JsonataFactory;
    } catch {
      throw new StatesError('Emulator.Unsupported', 'the emulator needs the jsonata package to run JSONata state machines: npm install --save-dev jsonata');
    }
  }
  return factory;
}

const compiled = new Map<string, Expression>();
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** The expression inside `{% ... %}`, or undefined for a plain value. */
export function jsonataExpression(value: unknown): string | undefined {
  return typeof value === 'string' ? EXPRESSION.exec(value)?.[1] : undefined;
}

/** What `$states` holds for an evaluation. */
export interface StatesBinding {
  readonly input: unknown;
  readonly context: unknown;
  readonly result?: unknown;
  readonly errorOutput?: unknown;
}

const STEP_FUNCTIONS_FUNCTIONS: Record<string, unknown> = {
  partition: (array: unknown[], size: number) => {
    if (!Array.isArray(array) || !Number.isInteger(size) || size < 1) throw new Error('$partition(array, size) takes an array and a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  range: (start: number, end: number, step: number) => {
    const out: number[] = [];
    if (!step) throw new Error('$range: the step must not be 0');
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
    return out;
  },
  hash: (data: unknown, algorithm: string) => {
    const digest = hashHex(data, algorithm);
    if (digest === undefined) throw new Error(`$hash: ${algorithm} is not one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    return digest;
  },
  random: () => Math.random(),
  uuid: () => randomUUID(),
  parse: (text: string) => JSON.parse(text),
};

/** Evaluates one expression (`field` names where it is, for the error). */
export async function evaluateJsonata(expression: string, states: StatesBinding, variables: Readonly<Record<string, unknown>>, field: string): Promise<unknown> {
  let compiledExpression = compiled.get(expression);
  try {
    if (!compiledExpression) {
      compiledExpression = loadJsonata()(expression);
      compiled.set(expression, compiledExpression);
    }
  } catch (e) {
    if (e instanceof StatesError) throw e;
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression of ${field} is not valid: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = await compiledExpression.evaluate({}, { ...STEP_FUNCTIONS_FUNCTIONS, ...variables, states });
  } catch (e) {
    throw new StatesError('States.QueryEvaluationError', `An error occurred while evaluating the JSONata expression of ${field}: ${(e as Error).message}`);
  }
  if (value === undefined) {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${expression.trim()}' of ${field} returned nothing (undefined)`);
  }
  return plain(value);
}

/** JSONata's sequences and functions as plain JSON. */
function plain(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

/** Evaluates every `{% %}` string in `template` (objects and arrays walked), keeping other values. */
export async function evaluateJsonataTemplate(template: unknown, states: StatesBinding, variables: Readonly<Record<string, unknown>>, field: string): Promise<unknown> {
  const expression = jsonataExpression(template);
  if (expression !== undefined) return evaluateJsonata(expression, states, variables, field);
  if (Array.isArray(template)) {
    return Promise.all(template.map((t, i) => evaluateJsonataTemplate(t, states, variables, `${field}[${i}]`)));
  }
  if (typeof template === 'object' && template !== null) {
    const entries = await Promise.all(Object.entries(template).map(async ([k, v]) => [k, await evaluateJsonataTemplate(v, states, variables, `${field}.${k}`)] as const));
    return Object.fromEntries(entries);
  }
  return template;
}
