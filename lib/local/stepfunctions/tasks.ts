/**
 * The Task resources the emulator runs: Lambda (`lambda:invoke` and a function ARN) in-process, as
 * routes do; `aws-sdk:*` and the optimized DynamoDB, SQS, SNS and EventBridge integrations against the
 * endpoints given (./sdk-calls.ts); `states:startExecution` (`.sync`, `.sync:2`) of a state machine of
 * the assembly run here. What it cannot run (activities, `.waitForTaskToken`, other services) fails
 * with Emulator.Unsupported, which names it, rather than answering a made-up result.
 */
import { randomUUID } from 'node:crypto';
import { FunctionPool } from '../lambda/function-pool';
import { UnsupportedFunctionError } from '../lambda/function-spec';
import { StatesError } from './errors';
import { TaskCall, TaskInvoker } from './interpreter';
import { callSdk, SdkCallEnvironment, unsupported } from './sdk-calls';

/** Starts a child execution for `states:startExecution` tasks (./executions.ts). */
export interface ChildExecutions {
  /** `sync`: resolves when the child ends with DescribeExecution's answer; else at once with StartExecution's. */
  start(stateMachineArn: string, input: unknown, name: string | undefined, sync: boolean, expressOnly: boolean, signal: AbortSignal): Promise<Record<string, unknown>>;
}

export interface LocalTaskOptions extends SdkCallEnvironment {
  readonly functions: FunctionPool;
  readonly children: ChildExecutions;
}

const OPTIMIZED_PREFIX: Record<string, string> = { dynamodb: 'DynamoDB', sqs: 'SQS', sns: 'SNS', events: 'EventBridge' };
const OPTIMIZED_ACTIONS: Record<string, readonly string[]> = {
  dynamodb: ['getItem', 'putItem', 'updateItem', 'deleteItem'],
  sqs: ['sendMessage'],
  sns: ['publish'],
  events: ['putEvents'],
};

function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

function httpMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: { AllHttpHeaders: { 'x-amzn-RequestId': [requestId] }, HttpHeaders: { 'x-amzn-RequestId': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

export class LocalTasks implements TaskInvoker {
  constructor(private readonly options: LocalTaskOptions) {}

  public async invoke(resource: string, args: unknown, call: TaskCall): Promise<unknown> {
    const integration = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource)?.[1];
    if (integration === undefined) {
      if (/^arn:aws[a-z-]*:lambda:/.test(resource)) return (await this.lambda(resource, args, call)).payload;
      if (/^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:/.test(resource)) throw unsupported(`${call.state}: activity ${resource}: the emulator runs no activity workers; run this task on AWS`);
      throw unsupported(`${call.state}: Resource ${resource} is neither a Lambda function nor a Step Functions integration`);
    }
    if (integration.endsWith('.waitForTaskToken')) {
      throw unsupported(`${call.state}: ${integration}: the emulator cannot wait for a task token (nothing would send it); run this task on AWS`);
    }
    const [service, action, ...rest] = integration.split(':');
    if (service === 'lambda' && action === 'invoke') return this.lambdaInvoke(args, call);
    if (service === 'aws-sdk') return this.sdk(action, rest.join(':'), args, call);
    const kind = [action, ...rest].join(':');
    if (service === 'states' && /^startExecution(\.sync(:2)?)?$/.test(kind)) return this.startExecution(kind, args, call);
    if (OPTIMIZED_ACTIONS[service]?.includes(action) && rest.length === 0) return this.optimized(service, action, args);
    throw unsupported(`${call.state}: the emulator does not run the ${integration} integration; it runs lambda:invoke, aws-sdk:*, ` +
      'dynamodb:getItem/putItem/updateItem/deleteItem, sqs:sendMessage, sns:publish, events:putEvents and states:startExecution(.sync, .sync:2)');
  }

  private async lambda(functionName: string, payload: unknown, call: TaskCall): Promise<{ payload: unknown; requestId: string }> {
    let fn;
    try {
      fn = this.options.functions.get(functionName);
    } catch (e) {
      const why = e instanceof UnsupportedFunctionError ? e.message : (e as Error).message;
      throw unsupported(`${call.state}: the emulator cannot run Lambda function ${functionName}: ${why}`);
    }
    const result = await fn.invoke(payload);
    let parsed: unknown = result.payload;
    try {
      parsed = result.payload === '' ? null : JSON.parse(result.payload);
    } catch {
      // A payload that is not JSON is passed on as text.
    }
    if (result.functionError) {
      const errorType = typeof parsed === 'object' && parsed !== null && typeof (parsed as Record<string, unknown>).errorType === 'string'
        ? String((parsed as Record<string, unknown>).errorType) : 'Lambda.Unknown';
      throw new StatesError(errorType, result.payload);
    }
    return { payload: parsed, requestId: result.requestId };
  }

  private async lambdaInvoke(args: unknown, call: TaskCall): Promise<unknown> {
    const a = (args ?? {}) as Record<string, unknown>;
    if (typeof a.FunctionName !== 'string') throw new StatesError('States.Runtime', `${call.state}: lambda:invoke needs a FunctionName`);
    if (a.InvocationType !== undefined && a.InvocationType !== 'RequestResponse') {
      throw unsupported(`${call.state}: lambda:invoke with InvocationType ${String(a.InvocationType)}: the emulator invokes synchronously only`);
    }
    const name = typeof a.Qualifier === 'string' ? `${a.FunctionName}:${a.Qualifier}` : a.FunctionName;
    const { payload, requestId } = await this.lambda(name, a.Payload ?? {}, call);
    return { ExecutedVersion: '$LATEST', Payload: payload, ...httpMetadata(requestId), StatusCode: 200 };
  }

  private async sdk(service: string, action: string, args: unknown, call: TaskCall): Promise<unknown> {
    if (service === 'lambda' && action === 'invoke') {
      const a = (args ?? {}) as Record<string, unknown>;
      const payload = typeof a.Payload === 'string' ? JSON.parse(a.Payload) : a.Payload;
      const { payload: answer } = await this.lambda(String(a.FunctionName), payload ?? {}, call);
      return { ExecutedVersion: '$LATEST', Payload: JSON.stringify(answer), StatusCode: 200 };
    }
    if (service === 'sfn' && (action === 'startExecution' || action === 'startSyncExecution')) {
      return this.startExecution(action === 'startSyncExecution' ? 'startExecution.sync' : 'startExecution', args, call, true);
    }
    return callSdk({ service, action: pascal(action), parameters: args }, this.options);
  }

  private async optimized(service: string, action: string, args: unknown): Promise<unknown> {
    const parameters = { ...(args as Record<string, unknown>) };
    // The optimized integrations take a JSON message or detail and send it as text.
    if (service === 'sqs' && typeof parameters.MessageBody !== 'string' && parameters.MessageBody !== undefined) parameters.MessageBody = JSON.stringify(parameters.MessageBody);
    if (service === 'sns' && typeof parameters.Message !== 'string' && parameters.Message !== undefined) parameters.Message = JSON.stringify(parameters.Message);
    if (service === 'events' && Array.isArray(parameters.Entries)) {
      parameters.Entries = parameters.Entries.map((e: Record<string, unknown>) => (typeof e.Detail === 'string' || e.Detail === undefined ? e : { ...e, Detail: JSON.stringify(e.Detail) }));
    }
    const sdkService = service === 'events' ? 'eventbridge' : service;
    const answer = await callSdk({ service: sdkService, action: pascal(action), parameters, errorPrefix: OPTIMIZED_PREFIX[service] }, this.options);
    if (service === 'events' && typeof answer.FailedEntryCount === 'number' && answer.FailedEntryCount > 0) {
      throw new StatesError('EventBridge.FailedEntry', JSON.stringify(answer));
    }
    return { ...answer, ...httpMetadata(randomUUID()) };
  }

  /**
   * `states:startExecution` (`.sync` waits, `.sync:2` also parses the output) and the aws-sdk `sfn`
   * startExecution / startSyncExecution calls: the answer in the SDK's PascalCase. A `.sync` task fails
   * when the child does; an SDK startSyncExecution answers the child's status like the API does.
   */
  private async startExecution(kind: string, args: unknown, call: TaskCall, sdk = false): Promise<unknown> {
    const a = (args ?? {}) as Record<string, unknown>;
    const arn = a.StateMachineArn;
    if (typeof arn !== 'string') throw new StatesError('States.Runtime', `${call.state}: states:startExecution needs a StateMachineArn`);
    const input = typeof a.Input === 'string' ? JSON.parse(a.Input) : a.Input ?? {};
    const sync = kind !== 'startExecution';
    const answer = await this.options.children.start(arn, input, typeof a.Name === 'string' ? a.Name : undefined, sync, sdk && sync, call.signal);
    const pascalAnswer: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(answer)) pascalAnswer[pascal(k)] = v;
    if (!sync || sdk) return pascalAnswer;
    if (kind.endsWith(':2') && typeof pascalAnswer.Output === 'string') pascalAnswer.Output = JSON.parse(pascalAnswer.Output);
    if (pascalAnswer.Status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(pascalAnswer));
    return pascalAnswer;
  }
}
