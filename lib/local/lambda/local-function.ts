/**
 * A function run locally in worker threads, like Lambda execution environments: each worker loads
 * the handler once and is reused while warm; one worker runs one invocation at a time.
 *
 * Concurrency: a small pool per function. An invocation takes the most recently used idle worker
 * (so sequential calls always hit the same warm worker), else starts a new one while fewer than
 * `maxWorkers` exist, else waits in a FIFO queue. Like Lambda scaling out to more environments for
 * concurrent requests, module-level state is per worker.
 *
 * Failures never reach the emulator: a timeout terminates the worker (a fresh one serves the next
 * call), and a worker that exits or throws outside the handler (process.exit, an uncaught exception
 * in a timer) fails the invocation it was running and is replaced.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { LocalFunctionSpec } from './function-spec';
import { WORKER_SOURCE } from './worker-source';

/** The outcome of one invocation, as the Invoke API gives it. */
export interface LocalInvokeResult {
  /** The response payload, JSON text (the handler's result, or the error document). */
  readonly payload: string;
  /** 'Unhandled' when the invocation failed (the Invoke API's X-Amz-Function-Error). */
  readonly functionError?: 'Unhandled';
  readonly requestId: string;
  readonly durationMs: number;
  /** Whether a new worker had to be started (and the module loaded) for this call. */
  readonly coldStart: boolean;
  /** Console lines the handler wrote during this invocation (Lambda's text format). */
  readonly logs: readonly string[];
}

export interface LocalFunctionOptions {
  /** Workers (concurrent invocations) per function. @default 4 */
  readonly maxWorkers?: number;
  /** Where the function's console lines go. @default process.stdout, prefixed with `[functionName] ` */
  readonly onLog?: (line: string, spec: LocalFunctionSpec) => void;
  /** Host environment variables passed to the function (besides its own and Lambda's). @default PATH, HOME, AWS credentials if set */
  readonly passThroughEnv?: readonly string[];
}

export interface InvokeOptions {
  /** @default a random UUID */
  readonly requestId?: string;
}

/** Lambda's limit for the init phase (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
const INIT_LIMIT_MS = 10_000;

const DEFAULT_PASS_THROUGH = ['PATH', 'HOME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];

interface Pending {
  readonly requestId: string;
  readonly started: number;
  readonly coldStart: boolean;
  readonly logs: string[];
  timer: NodeJS.Timeout;
  readonly resolve: (r: LocalInvokeResult) => void;
}

interface Slot {
  readonly worker: Worker;
  pending?: Pending;
  dead: boolean;
}

export class LocalFunction {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly queue: Array<() => void> = [];
  private readonly maxWorkers: number;
  private readonly onLog: (line: string, spec: LocalFunctionSpec) => void;
  private readonly passThroughEnv: readonly string[];
  private closed = false;
  private started = 0;
  private invoked = 0;

  constructor(readonly spec: LocalFunctionSpec, options: LocalFunctionOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 4);
    this.onLog = options.onLog ?? ((line, s) => process.stdout.write(`[${s.functionName}] ${line}\n`));
    this.passThroughEnv = options.passThroughEnv ?? DEFAULT_PASS_THROUGH;
  }

  /** How many workers were started so far (each is a cold start). */
  get workersStarted(): number {
    return this.started;
  }

  /** How many invocations were made so far. */
  get invocations(): number {
    return this.invoked;
  }

  /** Invoke the function with an event (RequestResponse). Never rejects for the function's own failures. */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<LocalInvokeResult> {
    if (this.closed) throw new Error(`Lambda function ${this.spec.functionName}: the emulator closed it`);
    // The event travels as JSON, as it does to Lambda (undefined dropped, Dates as strings).
    const eventJson = JSON.stringify(event ?? null);
    this.invoked += 1;
    const { slot, coldStart } = await this.acquire();
    const requestId = options.requestId ?? randomUUID();
    const started = Date.now();
    return new Promise<LocalInvokeResult>((resolve) => {
      // Until the worker says the handler is called, the init limit runs (Lambda gives init 10 s of
      // its own); then the function's Timeout, as on Lambda where init time is not part of it.
      const timer = setTimeout(() => {
        this.finish(slot, {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: the function's init did not finish within ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds`,
        });
        this.retire(slot);
      }, INIT_LIMIT_MS);
      slot.pending = { requestId, started, coldStart, logs: [], timer, resolve };
      slot.worker.postMessage({ type: 'invoke', id: requestId, requestId, event: eventJson, timeoutMs: this.spec.timeoutMs });
    });
  }

  /** The handler was called: the function's Timeout starts. */
  private startTimeout(slot: Slot): void {
    const pending = slot.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    const timeoutMs = this.spec.timeoutMs;
    pending.timer = setTimeout(() => {
      // Lambda's answer for a timeout (its wording; the exact document is not in AWS's docs).
      this.finish(slot, {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${pending.requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      });
      this.retire(slot);
    }, timeoutMs);
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.queue.splice(0)) wake(); // queued callers see `closed` and reject
    const slots = [...this.all];
    for (const slot of slots) {
      this.finish(slot, { errorType: 'Runtime.ExitError', errorMessage: 'Error: the emulator stopped the function' });
    }
    await Promise.all(slots.map((slot) => this.retire(slot)));
  }

  private async acquire(): Promise<{ slot: Slot; coldStart: boolean }> {
    for (;;) {
      const slot = this.idle.pop();
      if (slot) {
        if (!slot.dead) return { slot, coldStart: false };
        continue;
      }
      if (this.all.size < this.maxWorkers) return { slot: this.startWorker(), coldStart: true };
      await new Promise<void>((resolve) => this.queue.push(resolve));
      if (this.closed) throw new Error(`Lambda function ${this.spec.functionName}: the emulator closed it`);
    }
  }

  private startWorker(): Slot {
    const { spec } = this;
    const hostEnv = Object.fromEntries(this.passThroughEnv.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    const logGroupName = `/aws/lambda/${spec.functionName}`;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
    // The variables Lambda sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
    // then the function's own, which cannot override the reserved ones on AWS either.
    const env = {
      ...hostEnv,
      ...spec.environment,
      _HANDLER: spec.handler,
      AWS_REGION: spec.region,
      AWS_DEFAULT_REGION: spec.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySizeMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      LAMBDA_TASK_ROOT: spec.codeDir,
      // Set for code that reads it; the worker's clock zone is the host process's.
      TZ: ':UTC',
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env,
      stdout: true,
      stderr: true,
      // MemorySize bounds the heap (Lambda's limit also covers the runtime itself, so this is lenient).
      resourceLimits: { maxOldGenerationSizeMb: spec.memorySizeMb },
      workerData: {
        taskRoot: spec.codeDir,
        handler: spec.handler,
        runtime: spec.runtime,
        functionName: spec.functionName,
        memorySizeMb: spec.memorySizeMb,
        region: spec.region,
        accountId: spec.accountId,
        logGroupName,
        logStreamName,
      },
    });
    worker.unref(); // an idle warm worker does not keep the process alive
    const slot: Slot = { worker, dead: false };
    this.all.add(slot);
    this.started++;

    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'started' && slot.pending?.requestId === msg.id) {
        this.startTimeout(slot);
      } else if (msg.type === 'log') {
        slot.pending?.logs.push(msg.line);
        this.onLog(msg.line, spec);
      } else if (msg.type === 'result' && slot.pending?.requestId === msg.id) {
        this.finish(slot, msg.payload, msg.error);
        if (msg.initFailed) this.retire(slot);
        else this.release(slot);
      }
    });
    // Output written around console (process.stdout.write): forwarded line by line.
    for (const stream of [worker.stdout, worker.stderr]) {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) this.onLog(line, spec);
      });
    }
    worker.on('error', (err: Error & { code?: string }) => {
      slot.dead = true;
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        // Lambda's answer when a function runs out of memory (its wording, not in AWS's docs).
        this.finish(slot, {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `RequestId: ${slot.pending?.requestId ?? ''} Error: Runtime exited with error: signal: killed`,
        });
        return;
      }
      // An exception outside the handler's promise chain: the invocation fails with it, as Lambda's
      // runtime reports it, and the worker is gone.
      this.finish(slot, { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack ?? '').split('\n') });
    });
    worker.on('exit', (code) => {
      slot.dead = true;
      this.finish(slot, {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${slot.pending?.requestId ?? ''} Error: Runtime exited with error: exit status ${code}`,
      });
      this.forget(slot);
    });
    return slot;
  }

  /** Settle the slot's invocation, once. A string payload is the worker's JSON; an object is an error document. */
  private finish(slot: Slot, payload: string | object, error = true): void {
    const pending = slot.pending;
    if (!pending) return;
    slot.pending = undefined;
    clearTimeout(pending.timer);
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    pending.resolve({
      payload: text,
      ...(error ? { functionError: 'Unhandled' as const } : {}),
      requestId: pending.requestId,
      durationMs: Date.now() - pending.started,
      coldStart: pending.coldStart,
      logs: pending.logs,
    });
  }

  private release(slot: Slot): void {
    if (slot.dead || this.closed) return;
    this.idle.push(slot);
    this.queue.shift()?.();
  }

  private async retire(slot: Slot): Promise<void> {
    slot.dead = true;
    this.forget(slot);
    await slot.worker.terminate();
  }

  private forget(slot: Slot): void {
    if (!this.all.delete(slot)) return;
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    this.queue.shift()?.(); // room for a new worker
  }
}

type WorkerMessage =
  | { type: 'started'; id: string }
  | { type: 'log'; requestId: string; line: string }
  | { type: 'result'; id: string; payload: string; error: boolean; initFailed: boolean };
