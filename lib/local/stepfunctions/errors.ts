/**
 * A Step Functions error: a name that Retry and Catch match (`States.Timeout`, `Lambda.ServiceException`,
 * a Fail state's `Error`) and its cause, as an execution reports them.
 */
export class StatesError extends Error {
  /** @param aborted the execution was stopped (StopExecution, the emulator closing): it ends ABORTED */
  constructor(public readonly error: string, public readonly cause: string = '', public readonly aborted = false) {
    super(`${error}${cause ? `: ${cause}` : ''}`);
    this.name = 'StatesError';
  }
}

/**
 * Errors no Retry or Catch handles: they end the execution. `Emulator.Unsupported` is the emulator's own:
 * what it cannot run must not be caught into a made-up partial success.
 */
const TERMINAL = new Set(['States.Runtime', 'States.DataLimitExceeded', 'States.QueryEvaluationError', 'Emulator.Unsupported']);

/**
 * Whether a Retrier's or Catcher's `ErrorEquals` matches `error`. `States.ALL` matches any error but the
 * terminal ones; `States.TaskFailed` any but `States.Timeout` (AWS's rules).
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (errorEquals.includes(error)) return true;
  if (TERMINAL.has(error)) return false;
  if (errorEquals.includes('States.ALL')) return true;
  return errorEquals.includes('States.TaskFailed') && error !== 'States.Timeout' && !error.startsWith('States.') ;
}

/** A runtime error naming the state, for malformed definitions or data the state cannot process. */
export function runtimeError(state: string, message: string): StatesError {
  return new StatesError('States.Runtime', `An error occurred while executing the state '${state}'. ${message}`);
}
