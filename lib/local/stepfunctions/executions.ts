/**
 * The state machines of the assembly, run by the emulator: StartSyncExecution (Express) answers when
 * the execution ends, StartExecution answers at once with the ARN and runs it in the background, and
 * DescribeExecution / StopExecution read and stop either, all with the answers the Step Functions API
 * gives (timestamps in epoch seconds, `output` as text, `error` and `cause` when it failed).
 */
import { randomUUID } from 'node:crypto';
import { ServiceEndpoints } from '../aws/service-request';
import { AwsCredentials } from '../aws/sigv4';
import { FunctionPool } from '../lambda/function-pool';
import { StateMachineModel } from '../model';
import { StatesError } from './errors';
import { runDefinition } from './interpreter';
import { LocalTasks } from './tasks';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution, as DescribeExecution shows it. */
export interface LocalExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  status: ExecutionStatus;
  readonly startDate: Date;
  stopDate?: Date;
  /** The input, as JSON text. */
  readonly input: string;
  /** The output, as JSON text, when it succeeded. */
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution ends. */
  readonly done: Promise<void>;
}

export interface LocalStepFunctionsOptions extends ServiceEndpoints {
  readonly functions: FunctionPool;
  readonly region: string;
  readonly account: string;
  readonly credentials: AwsCredentials;
  readonly now: () => Date;
  readonly log?: (line: string) => void;
}

/** What an API action answered (a JSON body and a status). */
export interface StepFunctionsApiAnswer {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
}

/** An Express synchronous execution runs at most 5 minutes; a Standard one a year. */
const EXPRESS_LIMIT_SECONDS = 300;
/** An execution name: 1 to 80 characters, none of the ones Step Functions refuses (whitespace, brackets, wildcards, punctuation, control characters). */
function validName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/.test(name);
}

function apiError(type: string, message: string, statusCode = 400): StepFunctionsApiAnswer {
  return { statusCode, body: { __type: `com.amazonaws.swf.service.v2.model#${type}`, message } };
}

function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, StateMachineModel>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly running = new Map<string, AbortController>();
  private readonly tasks: LocalTasks;

  constructor(machines: readonly StateMachineModel[], private readonly options: LocalStepFunctionsOptions) {
    for (const m of machines) this.machines.set(m.arn, m);
    this.tasks = new LocalTasks({
      ...options,
      children: {
        start: async (arn, input, name, sync, expressOnly, signal) => {
          if (expressOnly && this.machines.get(arn)?.type === 'STANDARD') {
            throw new StatesError('Sfn.StateMachineTypeNotSupportedException', 'This operation is not supported by this type of state machine');
          }
          const started = this.startExecution(arn, JSON.stringify(input), name);
          if ('failure' in started) {
            if (started.failure.type === 'StateMachineDoesNotExist') {
              throw new StatesError('Emulator.Unsupported', `the state machine ${arn} is not in the cloud assembly, and the emulator starts only those`);
            }
            throw new StatesError(`Sfn.${started.failure.type}`, started.failure.message);
          }
          if (!sync) return { executionArn: started.execution.executionArn, startDate: epochSeconds(started.execution.startDate) };
          // A synchronous child stops with the task that waits for it (its parent timed out or failed).
          const stopChild = (): void => this.running.get(started.execution.executionArn)?.abort(new StatesError('States.Aborted', 'the parent task stopped', true));
          signal.addEventListener('abort', stopChild, { once: true });
          await started.execution.done;
          signal.removeEventListener('abort', stopChild);
          return expressOnly ? syncAnswer(started.execution) : describe(started.execution);
        },
      },
    });
  }

  /** Every execution so far, newest first. */
  public list(): LocalExecution[] {
    return [...this.executions.values()].reverse();
  }

  /** An execution by ARN. */
  public execution(arn: string): LocalExecution | undefined {
    return this.executions.get(arn);
  }

  /** Resolves when no execution is running (tests wait for background executions so). */
  public async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.done));
  }

  /** Stops every running execution (ABORTED). */
  public close(): void {
    for (const c of this.running.values()) c.abort(new StatesError('States.Aborted', 'the emulator stopped', true));
  }

  /**
   * Answers a Step Functions API action on a machine or execution of the assembly; undefined when the
   * ARN is not one of them (the request goes to the `states` endpoint then).
   */
  public async api(action: string, body: Record<string, unknown>): Promise<StepFunctionsApiAnswer | undefined> {
    switch (action) {
      case 'StartSyncExecution':
      case 'StartExecution': {
        const arn = body.stateMachineArn;
        if (typeof arn !== 'string' || !this.machines.has(arn)) return undefined;
        if (body.input !== undefined && typeof body.input !== 'string') return apiError('SerializationException', 'input must be a string of JSON');
        const machine = this.machines.get(arn)!;
        if (action === 'StartSyncExecution' && machine.type !== 'EXPRESS') {
          return apiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
        }
        const started = this.startExecution(arn, body.input ?? '{}', typeof body.name === 'string' ? body.name : undefined);
        if ('failure' in started) return apiError(started.failure.type, started.failure.message);
        const execution = started.execution;
        if (action === 'StartExecution') return { statusCode: 200, body: { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) } };
        await execution.done;
        return { statusCode: 200, body: syncAnswer(execution) };
      }
      case 'DescribeExecution':
      case 'StopExecution': {
        const execution = typeof body.executionArn === 'string' ? this.executions.get(body.executionArn) : undefined;
        if (!execution) return undefined;
        if (action === 'DescribeExecution') return { statusCode: 200, body: describe(execution) };
        this.running.get(execution.executionArn)?.abort(new StatesError(String(body.error ?? 'States.Aborted'), String(body.cause ?? ''), true));
        await execution.done;
        return { statusCode: 200, body: { stopDate: epochSeconds(execution.stopDate ?? this.options.now()) } };
      }
      default:
        return undefined;
    }
  }

  /** Starts an execution; it runs on its own (`done` settles when it ends). */
  public startExecution(arn: string, inputText: string, name: string | undefined): { execution: LocalExecution } | { failure: { type: string; message: string } } {
    const machine = this.machines.get(arn);
    if (!machine) return { failure: { type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${arn}'` } };
    if (!machine.definition) {
      return { failure: { type: 'InvalidDefinition', message: `The emulator cannot run ${machine.stackPath}/${machine.logicalId}: ${machine.problem}` } };
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (e) {
      return { failure: { type: 'InvalidExecutionInput', message: `Invalid State Machine Execution Input: '${(e as Error).message}'` } };
    }
    const executionName = name ?? randomUUID();
    if (!validName(executionName)) return { failure: { type: 'InvalidName', message: `Invalid Name: '${executionName}'` } };
    const { region, account } = this.options;
    const executionArn = machine.type === 'EXPRESS'
      ? `arn:aws:states:${region}:${account}:express:${machine.name}:${executionName}:${randomUUID()}`
      : `arn:aws:states:${region}:${account}:execution:${machine.name}:${executionName}`;
    if (this.executions.has(executionArn)) {
      return { failure: { type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${executionArn}'` } };
    }
    const startDate = this.options.now();
    const controller = new AbortController();
    let finish!: () => void;
    const execution: LocalExecution = {
      executionArn, stateMachineArn: arn, name: executionName, type: machine.type, status: 'RUNNING', startDate, input: inputText,
      done: new Promise<void>((resolve) => { finish = resolve; }),
    };
    this.executions.set(executionArn, execution);
    this.running.set(executionArn, controller);
    const limit = Math.min(machine.definition.TimeoutSeconds ?? Infinity, machine.type === 'EXPRESS' ? EXPRESS_LIMIT_SECONDS : Infinity);
    const timer = Number.isFinite(limit)
      ? setTimeout(() => controller.abort(new StatesError('States.Timeout', `The execution did not finish within ${limit} s`)), limit * 1000)
      : undefined;
    const context = {
      Execution: { Id: executionArn, Input: input, Name: executionName, RoleArn: machine.roleArn ?? '', StartTime: startDate.toISOString(), RedriveCount: 0 },
      StateMachine: { Id: arn, Name: machine.name },
    };
    const log = this.options.log;
    void runDefinition(machine.definition, input, { tasks: this.tasks, context, signal: controller.signal, log: log && ((l) => log(`${machine.name} ${executionName}: ${l}`)) })
      .then((output) => {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      }, (e: unknown) => {
        const error = e instanceof StatesError ? e : new StatesError('States.Runtime', String((e as Error)?.message ?? e));
        execution.status = error.aborted ? 'ABORTED' : error.error === 'States.Timeout' && controller.signal.aborted ? 'TIMED_OUT' : 'FAILED';
        execution.error = error.error;
        execution.cause = error.cause;
      })
      .finally(() => {
        clearTimeout(timer);
        execution.stopDate = this.options.now();
        this.running.delete(executionArn);
        const ms = execution.stopDate.getTime() - startDate.getTime();
        const detail = execution.status === 'SUCCEEDED' ? `output ${truncate(execution.output ?? '')}` : `${execution.error}: ${truncate(execution.cause ?? '')}`;
        log?.(`step functions ${machine.type.toLowerCase()} execution ${executionArn} ${execution.status} in ${ms} ms: ${detail}`);
        finish();
      });
    return { execution };
  }
}

function truncate(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}...` : s;
}

/** StartSyncExecution's answer. */
function syncAnswer(e: LocalExecution): Record<string, unknown> {
  const ms = (e.stopDate ?? e.startDate).getTime() - e.startDate.getTime();
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    startDate: epochSeconds(e.startDate),
    stopDate: epochSeconds(e.stopDate ?? e.startDate),
    status: e.status,
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error, cause: e.cause ?? '' } : {}),
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(ms / 100) * 100) },
  };
}

/** DescribeExecution's answer. */
function describe(e: LocalExecution): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error, cause: e.cause ?? '' } : {}),
    redriveCount: 0,
  };
}
