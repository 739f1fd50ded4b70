/**
 * Runs a state machine definition (Amazon States Language): Pass, Task, Choice, Parallel, Map, Wait,
 * Succeed and Fail, in JSONata or JSONPath (per machine or per state), with variables (`Assign`),
 * Retry (interval, backoff, max delay, jitter), Catch and task timeouts. Tasks are handed to a
 * TaskInvoker (./tasks.ts); the execution's own timeout and history are ./executions.ts.
 */
import { choiceRuleMatches } from './choice-rules';
import { errorMatches, runtimeError, StatesError } from './errors';
import { evaluateJsonata, evaluateJsonataTemplate, jsonataExpression, StatesBinding } from './jsonata-query';
import { setAtPath } from './jsonpath';
import { applyPayloadTemplate, evaluateDynamic, JsonPathData, readPath } from './payload-template';

/** A state machine (or a branch, or a Map's item processor). */
export interface StatesDefinition {
  readonly StartAt: string;
  readonly States: Record<string, StateDefinition>;
  readonly QueryLanguage?: 'JSONata' | 'JSONPath';
  readonly TimeoutSeconds?: number;
  readonly Comment?: string;
}

export type StateDefinition = Record<string, unknown> & { readonly Type: string };

/** What a task gets besides its arguments. */
export interface TaskCall {
  /** The state's name, for messages. */
  readonly state: string;
  /** Aborted when the task timed out or the execution ended. */
  readonly signal: AbortSignal;
  /** The execution that runs the task (its ARN). */
  readonly executionArn: string;
}

/** Runs a Task state's resource. Failures are thrown as StatesError (`Lambda.ServiceException`, `DynamoDB.ConditionalCheckFailedException` ...). */
export interface TaskInvoker {
  invoke(resource: string, args: unknown, call: TaskCall): Promise<unknown>;
}

/** What an execution runs with. */
export interface InterpreterEnvironment {
  readonly tasks: TaskInvoker;
  /** The context object's Execution and StateMachine parts. */
  readonly context: { readonly Execution: Record<string, unknown>; readonly StateMachine: Record<string, unknown> };
  /** Aborted when the execution times out or stops. */
  readonly signal: AbortSignal;
  /** A line for the log (a state that failed, a retry). */
  readonly log?: (line: string) => void;
}

/** Why the branches of a Parallel or Map state still running are stopped when it ends (one value: no stack trace per state). */
const STATE_ENDED = new StatesError('States.Runtime', 'the Parallel or Map state that ran this branch ended');

/** A state's payload limit (256 KiB), past which the execution fails with States.DataLimitExceeded. */
const PAYLOAD_LIMIT = 256 * 1024;

interface Scope {
  readonly definition: StatesDefinition;
  readonly queryLanguage: 'JSONata' | 'JSONPath';
  readonly variables: Record<string, unknown>;
  readonly env: InterpreterEnvironment;
  /** Map.Item for states inside a Map iteration. */
  readonly mapItem?: { readonly Index: number; readonly Value: unknown };
}

/** Runs `definition` on `input`; resolves with the output, rejects with a StatesError. */
export async function runDefinition(definition: StatesDefinition, input: unknown, env: InterpreterEnvironment): Promise<unknown> {
  return runStates({ definition, queryLanguage: definition.QueryLanguage ?? 'JSONPath', variables: {}, env }, input);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function runStates(scope: Scope, input: unknown): Promise<unknown> {
  const { definition, env } = scope;
  let name = definition.StartAt;
  let data = input;
  for (let steps = 0; ; steps++) {
    if (env.signal.aborted) throw env.signal.reason;
    const state = definition.States?.[name];
    if (!state) throw new StatesError('States.Runtime', `The state machine names state '${name}', which it does not define`);
    if (steps > 25_000) throw new StatesError('States.Runtime', `More than 25,000 state transitions (the execution history limit): is '${name}' in a loop?`);
    const outcome = await runState(scope, name, state, data);
    if (Buffer.byteLength(JSON.stringify(outcome.output) ?? '') > PAYLOAD_LIMIT) {
      throw new StatesError('States.DataLimitExceeded', `The output of state '${name}' is over 256 KiB`);
    }
    if (outcome.next === undefined) return outcome.output;
    data = outcome.output;
    name = outcome.next;
  }
}

interface Outcome { readonly output: unknown; readonly next?: string }

function nextOf(state: StateDefinition, name: string): string | undefined {
  if (state.End === true) return undefined;
  if (typeof state.Next === 'string') return state.Next;
  throw runtimeError(name, 'It has neither Next nor End');
}

function contextFor(scope: Scope, name: string, entered: Date, retryCount: number): Record<string, unknown> {
  return {
    ...scope.env.context,
    State: { Name: name, EnteredTime: entered.toISOString(), RetryCount: retryCount },
    ...(scope.mapItem ? { Map: { Item: scope.mapItem } } : {}),
  };
}

function languageOf(scope: Scope, state: StateDefinition): 'JSONata' | 'JSONPath' {
  const ql = state.QueryLanguage ?? scope.queryLanguage;
  if (ql !== 'JSONata' && ql !== 'JSONPath') throw new StatesError('States.Runtime', `QueryLanguage ${String(ql)} is neither JSONata nor JSONPath`);
  return ql;
}

async function runState(scope: Scope, name: string, state: StateDefinition, input: unknown): Promise<Outcome> {
  const entered = new Date();
  const jsonata = languageOf(scope, state) === 'JSONata';
  switch (state.Type) {
    case 'Pass': return jsonata ? passJsonata(scope, name, state, input, entered) : passJsonPath(scope, name, state, input, entered);
    case 'Succeed': {
      const output = jsonata
        ? await jsonataOutput(scope, name, state, { input, context: contextFor(scope, name, entered, 0) }, input)
        : applyOutputPath(state, applyInputPath(state, scope, input, contextFor(scope, name, entered, 0)), scope, contextFor(scope, name, entered, 0));
      return { output };
    }
    case 'Fail': throw await failError(scope, name, state, input, entered, jsonata);
    case 'Choice': return choice(scope, name, state, input, entered, jsonata);
    case 'Wait': return wait(scope, name, state, input, entered, jsonata);
    case 'Task':
    case 'Parallel':
    case 'Map':
      return withRetryAndCatch(scope, name, state, input, entered, jsonata);
    default:
      throw runtimeError(name, `Its Type ${state.Type} is not a state type`);
  }
}

// --- JSONPath helpers ---

function pathData(scope: Scope, input: unknown, context: unknown): JsonPathData {
  return { input, context, variables: scope.variables };
}

function applyInputPath(state: StateDefinition, scope: Scope, input: unknown, context: unknown): unknown {
  if (state.InputPath === null) return {};
  return readPath(typeof state.InputPath === 'string' ? state.InputPath : '$', pathData(scope, input, context), 'InputPath');
}

function applyOutputPath(state: StateDefinition, value: unknown, scope: Scope, context: unknown): unknown {
  if (state.OutputPath === null) return {};
  return readPath(typeof state.OutputPath === 'string' ? state.OutputPath : '$', pathData(scope, value, context), 'OutputPath');
}

function applyResultPath(resultPath: unknown, rawInput: unknown, result: unknown): unknown {
  if (resultPath === null) return rawInput;
  return setAtPath(rawInput, typeof resultPath === 'string' ? resultPath : '$', result);
}

/** JSONPath `Assign`: evaluated against `value` (the result or input), then all assigned at once. */
function assignJsonPath(scope: Scope, assign: unknown, value: unknown, context: unknown): void {
  if (assign === undefined) return;
  const values = applyPayloadTemplate(assign, pathData(scope, value, context), 'Assign') as Record<string, unknown>;
  Object.assign(scope.variables, values);
}

// --- JSONata helpers ---

async function jsonataOutput(scope: Scope, name: string, holder: Record<string, unknown>, states: StatesBinding, fallback: unknown): Promise<unknown> {
  if (holder.Output === undefined) return fallback;
  return evaluateJsonataTemplate(holder.Output, states, scope.variables, `${name}.Output`);
}

/** JSONata `Assign` and `Output` see the variables as they were before either (AWS evaluates them together). */
async function assignAndOutput(scope: Scope, name: string, holder: Record<string, unknown>, states: StatesBinding, fallback: unknown): Promise<unknown> {
  const assigned = holder.Assign === undefined ? undefined
    : await evaluateJsonataTemplate(holder.Assign, states, scope.variables, `${name}.Assign`) as Record<string, unknown>;
  const output = await jsonataOutput(scope, name, holder, states, fallback);
  if (assigned) Object.assign(scope.variables, assigned);
  return output;
}

async function jsonataValue(scope: Scope, name: string, field: string, value: unknown, states: StatesBinding): Promise<unknown> {
  const expression = jsonataExpression(value);
  return expression === undefined ? value : evaluateJsonata(expression, states, scope.variables, `${name}.${field}`);
}

// --- States ---

async function passJsonata(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date): Promise<Outcome> {
  const states = { input, context: contextFor(scope, name, entered, 0) };
  return { output: await assignAndOutput(scope, name, state, states, input), next: nextOf(state, name) };
}

async function passJsonPath(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date): Promise<Outcome> {
  const context = contextFor(scope, name, entered, 0);
  const effective = applyInputPath(state, scope, input, context);
  const parameters = state.Parameters !== undefined ? applyPayloadTemplate(state.Parameters, pathData(scope, effective, context), 'Parameters') : effective;
  const result = state.Result !== undefined ? state.Result : parameters;
  assignJsonPath(scope, state.Assign, result, context);
  const output = applyOutputPath(state, applyResultPath(state.ResultPath, input, result), scope, context);
  return { output, next: nextOf(state, name) };
}

async function failError(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date, jsonata: boolean): Promise<StatesError> {
  const context = contextFor(scope, name, entered, 0);
  if (jsonata) {
    const states = { input, context };
    const error = await jsonataValue(scope, name, 'Error', state.Error, states);
    const cause = await jsonataValue(scope, name, 'Cause', state.Cause, states);
    return new StatesError(error === undefined ? 'States.Failed' : String(error), cause === undefined ? '' : String(cause));
  }
  const data = pathData(scope, input, context);
  const error = typeof state.ErrorPath === 'string' ? evaluateDynamic(state.ErrorPath, data, 'ErrorPath') : state.Error;
  const cause = typeof state.CausePath === 'string' ? evaluateDynamic(state.CausePath, data, 'CausePath') : state.Cause;
  return new StatesError(error === undefined ? 'States.Failed' : String(error), cause === undefined ? '' : String(cause));
}

async function choice(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date, jsonata: boolean): Promise<Outcome> {
  const context = contextFor(scope, name, entered, 0);
  const rules = (state.Choices ?? []) as Array<Record<string, unknown>>;
  if (jsonata) {
    const states = { input, context };
    for (const [i, rule] of rules.entries()) {
      const holds = await jsonataValue(scope, name, `Choices[${i}].Condition`, rule.Condition, states);
      if (typeof holds !== 'boolean') throw new StatesError('States.QueryEvaluationError', `The Condition of ${name}.Choices[${i}] gave ${JSON.stringify(holds)}, not a boolean`);
      if (holds) return { output: await assignAndOutput(scope, name, rule, states, input), next: String(rule.Next) };
    }
    if (typeof state.Default !== 'string') throw new StatesError('States.NoChoiceMatched', `No choice of '${name}' matched and it has no Default`);
    return { output: await assignAndOutput(scope, name, state, states, input), next: state.Default };
  }
  const effective = applyInputPath(state, scope, input, context);
  const data = pathData(scope, effective, context);
  for (const rule of rules) {
    if (choiceRuleMatches(rule, data, name)) {
      assignJsonPath(scope, rule.Assign, effective, context);
      return { output: applyOutputPath(state, effective, scope, context), next: String(rule.Next) };
    }
  }
  if (typeof state.Default !== 'string') throw new StatesError('States.NoChoiceMatched', `No choice of '${name}' matched and it has no Default`);
  assignJsonPath(scope, state.Assign, effective, context);
  return { output: applyOutputPath(state, effective, scope, context), next: state.Default };
}

async function wait(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date, jsonata: boolean): Promise<Outcome> {
  const context = contextFor(scope, name, entered, 0);
  let seconds: unknown;
  let timestamp: unknown;
  let effective = input;
  if (jsonata) {
    const states = { input, context };
    seconds = await jsonataValue(scope, name, 'Seconds', state.Seconds, states);
    timestamp = await jsonataValue(scope, name, 'Timestamp', state.Timestamp, states);
  } else {
    effective = applyInputPath(state, scope, input, context);
    const data = pathData(scope, effective, context);
    seconds = typeof state.SecondsPath === 'string' ? readPath(state.SecondsPath, data, 'SecondsPath') : state.Seconds;
    timestamp = typeof state.TimestampPath === 'string' ? readPath(state.TimestampPath, data, 'TimestampPath') : state.Timestamp;
  }
  let ms: number;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw runtimeError(name, `Seconds ${JSON.stringify(seconds)} is not a whole number of seconds`);
    ms = seconds * 1000;
  } else if (timestamp !== undefined) {
    const at = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(at)) throw runtimeError(name, `Timestamp ${JSON.stringify(timestamp)} is not an ISO 8601 time`);
    ms = at - Date.now();
  } else throw runtimeError(name, 'A Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath');
  await sleep(ms, scope.env.signal);
  if (jsonata) return { output: await assignAndOutput(scope, name, state, { input, context }, input), next: nextOf(state, name) };
  assignJsonPath(scope, state.Assign, effective, context);
  return { output: applyOutputPath(state, effective, scope, context), next: nextOf(state, name) };
}

/** Task, Parallel and Map: the work, retried by `Retry`, its failure routed by `Catch`. */
async function withRetryAndCatch(scope: Scope, name: string, state: StateDefinition, input: unknown, entered: Date, jsonata: boolean): Promise<Outcome> {
  const retriers = (state.Retry ?? []) as Array<Record<string, unknown>>;
  const attempts = retriers.map(() => 0);
  for (let retryCount = 0; ; retryCount++) {
    const context = contextFor(scope, name, entered, retryCount);
    try {
      const output = await runWork(scope, name, state, input, context, jsonata);
      return { output, next: nextOf(state, name) };
    } catch (e) {
      if (scope.env.signal.aborted) throw scope.env.signal.reason;
      const error = e instanceof StatesError ? e : new StatesError('States.Runtime', (e as Error).message);
      const r = retriers.findIndex((x) => errorMatches((x.ErrorEquals ?? []) as string[], error.error));
      if (r >= 0) {
        const retrier = retriers[r];
        const max = typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : 3;
        if (attempts[r] < max) {
          const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
          const backoff = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
          let delay = interval * backoff ** attempts[r];
          if (typeof retrier.MaxDelaySeconds === 'number') delay = Math.min(delay, retrier.MaxDelaySeconds);
          if (retrier.JitterStrategy === 'FULL') delay = Math.random() * delay;
          attempts[r]++;
          scope.env.log?.(`state ${name}: ${error.error}, retry ${attempts[r]} of ${max} in ${delay.toFixed(1)} s`);
          await sleep(delay * 1000, scope.env.signal);
          continue;
        }
      }
      const catchers = (state.Catch ?? []) as Array<Record<string, unknown>>;
      const catcher = catchers.find((x) => errorMatches((x.ErrorEquals ?? []) as string[], error.error));
      if (!catcher) throw error;
      const errorOutput = { Error: error.error, Cause: error.cause };
      scope.env.log?.(`state ${name}: ${error.error} caught, next ${String(catcher.Next)}`);
      if (jsonata) {
        const output = await assignAndOutput(scope, name, catcher, { input, context, errorOutput }, errorOutput);
        return { output, next: String(catcher.Next) };
      }
      assignJsonPath(scope, catcher.Assign, errorOutput, context);
      return { output: applyResultPath(catcher.ResultPath, input, errorOutput), next: String(catcher.Next) };
    }
  }
}

async function runWork(scope: Scope, name: string, state: StateDefinition, input: unknown, context: Record<string, unknown>, jsonata: boolean): Promise<unknown> {
  if (jsonata) {
    const states = { input, context };
    const args = state.Arguments === undefined ? input : await evaluateJsonataTemplate(state.Arguments, states, scope.variables, `${name}.Arguments`);
    const result = await work(scope, name, state, args, context, true, input);
    return assignAndOutput(scope, name, state, { input, context, result }, result);
  }
  const effective = applyInputPath(state, scope, input, context);
  const parameters = state.Parameters !== undefined ? applyPayloadTemplate(state.Parameters, pathData(scope, effective, context), 'Parameters') : effective;
  const result = await work(scope, name, state, parameters, context, false, effective);
  const selected = state.ResultSelector !== undefined ? applyPayloadTemplate(state.ResultSelector, pathData(scope, result, context), 'ResultSelector') : result;
  assignJsonPath(scope, state.Assign, selected, context);
  return applyOutputPath(state, applyResultPath(state.ResultPath, input, selected), scope, context);
}

async function work(scope: Scope, name: string, state: StateDefinition, args: unknown, context: Record<string, unknown>, jsonata: boolean, effective: unknown): Promise<unknown> {
  if (state.Type === 'Parallel') return parallel(scope, name, state, args);
  if (state.Type === 'Map') return map(scope, name, state, args, context, jsonata, effective);
  return task(scope, name, state, args, context, jsonata, effective);
}

/** A task's timeout: a number, a JSONata expression over the state's input, or TimeoutSecondsPath into the effective input. */
async function timeoutSeconds(scope: Scope, name: string, state: StateDefinition, context: unknown, jsonata: boolean, input: unknown): Promise<number | undefined> {
  let value: unknown = state.TimeoutSeconds;
  if (jsonata) value = await jsonataValue(scope, name, 'TimeoutSeconds', value, { input, context });
  else if (typeof state.TimeoutSecondsPath === 'string') value = readPath(state.TimeoutSecondsPath, pathData(scope, input, context), 'TimeoutSecondsPath');
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || value <= 0) throw runtimeError(name, `TimeoutSeconds ${JSON.stringify(value)} is not a positive number`);
  return value;
}

async function task(scope: Scope, name: string, state: StateDefinition, args: unknown, context: Record<string, unknown>, jsonata: boolean, input: unknown): Promise<unknown> {
  const resource = state.Resource;
  if (typeof resource !== 'string') throw runtimeError(name, 'A Task state needs a Resource');
  const seconds = await timeoutSeconds(scope, name, state, context, jsonata, input);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(scope.env.signal.reason);
  scope.env.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const call = { state: name, signal: controller.signal, executionArn: String(scope.env.context.Execution.Id) };
    const running = scope.env.tasks.invoke(resource, args, call);
    // The task ends when it answers, when its TimeoutSeconds pass, or when the execution stops.
    const stopped = new Promise<never>((_, reject) => {
      if (controller.signal.aborted) reject(controller.signal.reason);
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      if (seconds !== undefined) {
        timer = setTimeout(() => controller.abort(new StatesError('States.Timeout', `The task '${name}' did not finish within ${seconds} s (TimeoutSeconds)`)), seconds * 1000);
      }
    });
    stopped.catch(() => undefined);
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    scope.env.signal.removeEventListener('abort', onAbort);
  }
}

function branchScope(scope: Scope, definition: StatesDefinition, signal: AbortSignal, mapItem?: Scope['mapItem']): Scope {
  return {
    definition,
    queryLanguage: definition.QueryLanguage ?? scope.queryLanguage,
    // A branch reads the outer variables; what it assigns stays inside it.
    variables: { ...scope.variables },
    env: { ...scope.env, signal },
    mapItem,
  };
}

/** A signal aborted when the execution's is, or when a sibling branch failed. */
function childSignal(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  return controller;
}

async function parallel(scope: Scope, name: string, state: StateDefinition, input: unknown): Promise<unknown[]> {
  const branches = state.Branches as StatesDefinition[] | undefined;
  if (!Array.isArray(branches) || branches.length === 0) throw runtimeError(name, 'A Parallel state needs Branches');
  const controller = childSignal(scope.env.signal);
  try {
    return await Promise.all(branches.map((b) => runStates(branchScope(scope, b, controller.signal), input).catch((e) => {
      controller.abort(e);
      throw e;
    })));
  } finally {
    controller.abort(STATE_ENDED);
  }
}

async function map(scope: Scope, name: string, state: StateDefinition, args: unknown, context: Record<string, unknown>, jsonata: boolean, effective: unknown): Promise<unknown[]> {
  for (const unsupported of ['ItemReader', 'ResultWriter', 'ItemBatcher']) {
    if (state[unsupported] !== undefined) throw runtimeError(name, `The local emulator does not run a distributed Map (${unsupported}); run it on AWS`);
  }
  const processor = (state.ItemProcessor ?? state.Iterator) as StatesDefinition | undefined;
  if (!processor) throw runtimeError(name, 'A Map state needs an ItemProcessor');
  let items: unknown;
  if (jsonata) {
    items = state.Items === undefined ? args : await jsonataValue(scope, name, 'Items', state.Items, { input: args, context });
  } else {
    items = readPath(typeof state.ItemsPath === 'string' ? state.ItemsPath : '$', pathData(scope, effective, context), 'ItemsPath');
  }
  if (!Array.isArray(items)) throw runtimeError(name, `The items of the Map are not an array: ${JSON.stringify(items)?.slice(0, 200)}`);
  const selector = state.ItemSelector ?? state.Parameters;
  const concurrency = typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : items.length || 1;
  const toleratedCount = typeof state.ToleratedFailureCount === 'number' ? state.ToleratedFailureCount : undefined;
  const toleratedPercentage = typeof state.ToleratedFailurePercentage === 'number' ? state.ToleratedFailurePercentage : undefined;
  const tolerating = toleratedCount !== undefined || toleratedPercentage !== undefined;
  const controller = childSignal(scope.env.signal);
  const results: unknown[] = new Array(items.length);
  let failures = 0;
  let firstError: unknown;
  let nextIndex = 0;
  const runOne = async (index: number): Promise<void> => {
    const mapItem = { Index: index, Value: items[index] };
    const itemContext = { ...context, Map: { Item: mapItem } };
    let itemInput: unknown = items[index];
    if (selector !== undefined) {
      itemInput = jsonata
        ? await evaluateJsonataTemplate(selector, { input: args, context: itemContext }, scope.variables, `${name}.ItemSelector`)
        : applyPayloadTemplate(selector, pathData(scope, effective, itemContext), 'ItemSelector');
    }
    try {
      results[index] = await runStates(branchScope(scope, processor, controller.signal, mapItem), itemInput);
    } catch (e) {
      failures++;
      const tooMany = !tolerating
        || (toleratedCount !== undefined && failures > toleratedCount)
        || (toleratedPercentage !== undefined && (failures / items.length) * 100 > toleratedPercentage);
      if (tooMany) {
        firstError ??= tolerating ? new StatesError('States.ExceedToleratedFailureThreshold', `${failures} of ${items.length} items of '${name}' failed`) : e;
        controller.abort(firstError);
        throw firstError;
      }
      results[index] = { Error: e instanceof StatesError ? e.error : 'States.Runtime', Cause: e instanceof StatesError ? e.cause : String(e) };
    }
  };
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      if (firstError !== undefined) return;
      await runOne(nextIndex++);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(items.length, 1)) }, worker));
  } catch {
    throw firstError;
  } finally {
    controller.abort(STATE_ENDED);
  }
  return results;
}
