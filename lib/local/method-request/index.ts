/**
 * The method request checks API Gateway runs after routing and before the integration, in its order
 * (authorization, then API key and usage plan, then request validation).
 */
import { FunctionPool } from '../lambda/function-pool';
import { ApiModel, AssemblyModel } from '../model';
import { MethodRequestStep } from '../pipeline';

/** What a method request step may use: the loaded assembly and the functions it can call. */
export interface MethodRequestSetup {
  readonly assembly: AssemblyModel;
  readonly api: ApiModel;
  /** The assembly's Lambda functions (authorizers run here). */
  readonly functions: FunctionPool;
  /** A line for the log (never sent to a client). */
  readonly log: (line: string) => void;
  readonly now: () => Date;
}

/** The checks `LocalApi` runs unless told otherwise, in API Gateway's order. */
export function defaultMethodRequestSteps(setup: MethodRequestSetup): MethodRequestStep[] {
  void setup;
  return [
    // authorization
    // API key and usage plan
    // request validation
  ];
}
