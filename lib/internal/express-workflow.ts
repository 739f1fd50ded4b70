import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FanOutBranch } from '../fan-out-branch';
import { serviceErrorResponses } from '../service-actions/responses';
import { fanOutResponseTemplate, WorkflowErrorWording } from '../templates/fan-out-templates';
import { BoundFanOutBranch, FanOutInput } from './fan-out-binding';
import { ServiceRouteInfo } from './service-binding';
import { CorsAnswerParts, serviceAnswers } from './service-responses';

/**
 * What FanOutRoute and ContentBasedRoute share: an Express state machine run with StartSyncExecution
 * straight from API Gateway, its timeout (within API Gateway's 29 s), per-task timing, logging and name.
 */

/** Options of a route backed by an Express workflow. */
export interface ExpressWorkflowOptions {
  /**
   * How long the whole request may take, in whole seconds: the state machine's timeout, after which the
   * request answers 504. API Gateway waits 1 s longer, so the answer is still this route's JSON.
   * At most 28 s (API Gateway's integration limit is 29 s) unless `allowTimeoutOverLimit`.
   * @default Duration.seconds(28)
   */
  readonly timeout?: Duration;
  /**
   * Allow a `timeout` over 28 s, for accounts whose API Gateway integration timeout quota has been raised
   * (regional and private APIs only); at most 299 s, as a synchronous Express execution runs 5 minutes.
   * @default false
   */
  readonly allowTimeoutOverLimit?: boolean;
  /**
   * Log the state machine's executions (Express executions have no other history).
   * @default true
   */
  readonly logging?: boolean;
  /**
   * Where and what to log, e.g. `{ destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true }`.
   * Execution data holds the request (body, parameters, chosen headers), so it is left out by default.
   * @default - a new log group `/aws/vendedlogs/states/...` kept one month and removed with the stack,
   * level ERROR, without execution data
   */
  readonly logs?: sfn.LogOptions;
  /**
   * X-Ray tracing of the state machine.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * The state machine's name.
   * @default - a name CloudFormation generates
   */
  readonly stateMachineName?: string;
}

const DEFAULT_TIMEOUT_SECONDS = 28;
/** A synchronous Express execution runs at most 5 minutes; API Gateway waits one second more. */
const MAX_TIMEOUT_SECONDS = 299;
/** Characters Step Functions refuses in a state machine name, besides whitespace and control characters. */
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** The whole workflow's timeout in seconds, checked. @internal */
export function workflowSeconds(route: string, timeout: Duration | undefined, allowOverLimit: boolean | undefined): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_SECONDS;
  if (timeout.isUnresolved()) throw new Error(`${route}: timeout must be a concrete duration, not a token`);
  const ms = timeout.toMilliseconds();
  if (ms % 1000 !== 0 || ms < 1000) {
    throw new Error(`${route}: timeout ${ms} ms must be a whole number of seconds, at least 1: a state machine times out in whole seconds`);
  }
  const seconds = ms / 1000;
  if (seconds > DEFAULT_TIMEOUT_SECONDS && !allowOverLimit) {
    throw new Error(`${route}: timeout ${seconds} s is over ${DEFAULT_TIMEOUT_SECONDS} s: API Gateway waits at most 29 s, ` +
      'and one second more than the workflow; use at most 28 s, or set allowTimeoutOverLimit: true if your account has a raised ' +
      'integration timeout quota');
  }
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new Error(`${route}: timeout ${seconds} s is over ${MAX_TIMEOUT_SECONDS} s: a synchronous Express execution ` +
      'runs at most 5 minutes');
  }
  return seconds;
}

/**
 * A task's timeout as a Step Functions timeout, checked against the whole workflow's: the task must be
 * able to fail (and be answered by the route) before the state machine times out, retries included.
 * `where` names the task in errors, e.g. "Route Stack/Profile: branch 'user'". @internal
 */
export function taskTiming(where: string, timeout: Duration | undefined, retry: sfn.RetryProps | undefined, total: number): sfn.Timeout | undefined {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  let attemptSeconds: number | undefined;
  if (timeout !== undefined) {
    if (timeout.isUnresolved()) fail('timeout must be a concrete duration, not a token');
    const ms = timeout.toMilliseconds();
    if (ms % 1000 !== 0 || ms < 1000) fail(`timeout ${ms} ms must be a whole number of seconds, at least 1: Step Functions times tasks out in whole seconds`);
    attemptSeconds = ms / 1000;
    if (attemptSeconds >= total) {
      fail(`timeout ${attemptSeconds} s is not less than the route's timeout ${total} s: the request would time out (504) ` +
        'before the task; lower the task timeout or raise the route timeout');
    }
  }
  if (retry) {
    const attempts = retry.maxAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 0) fail(`retry.maxAttempts ${attempts} must be a whole number, 0 or more`);
    const waits = retryWaitSeconds(retry, attempts);
    if (waits === undefined) fail('retry.interval and retry.maxDelay must be whole numbers of seconds (Step Functions waits in whole seconds)');
    const worst = attemptSeconds !== undefined ? (attempts + 1) * attemptSeconds + waits! : waits!;
    if (worst >= total) {
      const what = attemptSeconds !== undefined
        ? `${attempts + 1} attempts of up to ${attemptSeconds} s and ${waits} s of waits between them take up to ${worst} s`
        : `${attempts} retries wait ${waits} s in all`;
      fail(`${what}, not less than the route's timeout ${total} s: lower timeout, retry.maxAttempts or retry.interval, ` +
        'or raise the route timeout');
    }
  }
  return attemptSeconds !== undefined ? sfn.Timeout.duration(Duration.seconds(attemptSeconds)) : undefined;
}

/** The log options of the workflow's state machine. @internal */
export function workflowLogs(route: string, scope: Construct, options: ExpressWorkflowOptions): sfn.LogOptions | undefined {
  if (options.logging === false) {
    if (options.logs) throw new Error(`${route}: logs is set but logging is false: remove one of them`);
    return undefined;
  }
  if (options.logs) return options.logs;
  // The vendedlogs prefix keeps the account's CloudWatch Logs resource policy from growing with each
  // state machine (it has a 5,120 character limit); the name is fixed, so the group goes with the stack.
  const destination = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { destination, level: sfn.LogLevel.ERROR, includeExecutionData: false };
}

/** Rejects a state machine name Step Functions would refuse. @internal */
export function checkStateMachineName(route: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const control = [...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name) || control) {
    throw new Error(`${route}: stateMachineName '${name}' must be 1 to 80 characters without whitespace or any of < > { } [ ] ? * " # % \\ ^ | ~ \` $ & , ; : /`);
  }
}

/** The Express state machine of a workflow route. @internal */
export function expressStateMachine(
  route: string, scope: Construct, definition: sfn.IChainable, seconds: number, comment: string, options: ExpressWorkflowOptions,
): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineType: sfn.StateMachineType.EXPRESS,
    queryLanguage: sfn.QueryLanguage.JSONATA,
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    timeout: Duration.seconds(seconds),
    stateMachineName: options.stateMachineName,
    logs: workflowLogs(route, scope, options),
    tracingEnabled: options.tracing,
    comment,
  });
}

/** The AWS integration that starts the workflow synchronously: API Gateway waits 1 s more than it runs. @internal */
export function startSyncIntegration(
  role: import('aws-cdk-lib/aws-iam').IRole, requestTemplate: string, integrationResponses: apigw.IntegrationResponse[],
  cacheKeyParameters: string[] | undefined, seconds: number,
): apigw.AwsIntegration {
  return new apigw.AwsIntegration({
    service: 'states',
    action: 'StartSyncExecution',
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: role,
      requestParameters: {
        'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
        'integration.request.header.X-Amz-Target': "'AWSStepFunctions.StartSyncExecution'",
      },
      requestTemplates: { 'application/json': requestTemplate },
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      integrationResponses,
      cacheKeyParameters,
      timeout: Duration.seconds(seconds + 1),
    },
  });
}

/** Where one step of a workflow route is bound. @internal */
export interface WorkflowStepContext {
  readonly route: string;
  /** The step's name: its key in the answer and its state name. */
  readonly name: string;
  /** The step in error messages, e.g. "Route Stack/Profile: branch 'user'". */
  readonly where: string;
  readonly scope: Construct;
  readonly routeInfo: ServiceRouteInfo;
  readonly input: FanOutInput;
  /** Where a failure of the step goes. */
  readonly failure: sfn.IChainable;
  /** The workflow's timeout in seconds. */
  readonly total: number;
}

/**
 * Binds one step (a FanOutBranch) of a workflow route: its timeout and retries checked against the
 * workflow's, its retry added, and every task's failure caught into `failure`. @internal
 */
export function bindWorkflowStep(step: FanOutBranch, ctx: WorkflowStepContext): BoundFanOutBranch {
  const options = step._options ?? {};
  const taskTimeout = taskTiming(ctx.where, options.timeout, options.retry, ctx.total);
  const bound = step._bind({
    route: ctx.route, name: ctx.name, scope: ctx.scope, routeInfo: ctx.routeInfo, input: ctx.input, failure: ctx.failure, taskTimeout,
  });
  for (const task of bound.tasks) {
    if (options.retry) task.addRetry(options.retry);
    task.addCatch(ctx.failure, { errors: [sfn.Errors.ALL] });
  }
  return bound;
}

/**
 * The integration and method responses of a workflow route: 200 turned by the outcome template into
 * the answer, 502 or 504 (statuses the template sets), and the service's own errors, with CORS. @internal
 */
export function workflowAnswers(wording: WorkflowErrorWording, cors: CorsAnswerParts):
{ integrationResponses: apigw.IntegrationResponse[]; methodResponses: apigw.MethodResponse[] } {
  return serviceAnswers([{ statusCode: 200, template: fanOutResponseTemplate(wording) }, ...serviceErrorResponses()], [502, 504], cors);
}

/** The seconds a retrier waits in all before its last attempt, or undefined when not whole seconds. */
function retryWaitSeconds(retry: sfn.RetryProps, attempts: number): number | undefined {
  const seconds = (d: Duration | undefined, fallback: number): number | undefined => {
    if (d === undefined) return fallback;
    if (d.isUnresolved()) return undefined;
    const ms = d.toMilliseconds();
    return ms % 1000 === 0 ? ms / 1000 : undefined;
  };
  const interval = seconds(retry.interval, 1);
  const maxDelay = seconds(retry.maxDelay, Number.POSITIVE_INFINITY);
  if (interval === undefined || maxDelay === undefined) return undefined;
  const rate = retry.backoffRate ?? 2;
  let total = 0;
  for (let i = 0; i < attempts; i++) total += Math.min(interval * rate ** i, maxDelay);
  return total;
}
