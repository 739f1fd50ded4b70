/**
 * The method request checks API Gateway runs after routing and before the integration, in its order
 * (authorization, then API key and usage plan, then request validation).
 */
import { SigningKeyResolver } from '../auth/cognito-issuer';
import { FunctionPool } from '../lambda/function-pool';
import { ApiModel, AssemblyModel } from '../model';
import { MethodRequestStep } from '../pipeline';
import { ApiKeyStep } from './api-key-step';
import { AuthorizationStep } from './authorization';
import { RequestValidationStep } from './request-validation';

/** What a method request step may use: the loaded assembly and the functions it can call. */
export interface MethodRequestSetup {
  readonly assembly: AssemblyModel;
  readonly api: ApiModel;
  /** The assembly's Lambda functions (authorizers run here). */
  readonly functions: FunctionPool;
  /** A line for the log (never sent to a client). */
  readonly log: (line: string) => void;
  readonly now: () => Date;
  /** The local Cognito issuer's keys (COGNITO_USER_POOLS authorizers verify its tokens only). */
  readonly cognitoKeys: SigningKeyResolver;
}

/** The checks `LocalApi` runs unless told otherwise, in API Gateway's order. */
export function defaultMethodRequestSteps(setup: MethodRequestSetup): MethodRequestStep[] {
  return [
    new AuthorizationStep(setup),
    new ApiKeyStep(setup),
    new RequestValidationStep(setup),
  ];
}
