import { lambdaTargetOfUri } from '../lambda/integration-uri';
import { UnsupportedFunctionError } from '../lambda/function-spec';
import { LocalInvokeResult } from '../lambda/local-function';
import { GatewayError } from '../response';
import { substituteStageVariables } from './http-request';
import { IntegrationInput } from './index';

/** The function a Lambda integration's Uri names (stage variables substituted), or undefined when the Uri is not a Lambda invocation. */
export function integrationFunctionArn(input: IntegrationInput): string | undefined {
  const uri = substituteStageVariables(input.integration.Uri ?? '', input.stageVariables);
  return lambdaTargetOfUri(uri)?.functionArn;
}

/**
 * Invokes the integration's function with `event`. What the emulator cannot run (a function missing
 * from the assembly, a runtime other than Node.js) answers 502 with a message that names it, never a
 * made-up success; the function's own failures are in the result (`functionError`).
 */
export async function invokeIntegrationFunction(input: IntegrationInput, event: unknown): Promise<LocalInvokeResult> {
  const route = `${input.method.HttpMethod} ${input.method.resourcePath}`;
  const arn = integrationFunctionArn(input);
  if (!arn) {
    const message = `${route}: ${input.integration.Type} integration Uri ${input.integration.Uri} is not a Lambda function invocation`;
    throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
  }
  let fn;
  try {
    fn = input.functionPool.get(arn);
  } catch (e) {
    const why = e instanceof UnsupportedFunctionError ? e.message : (e as Error).message;
    const message = `${route}: the emulator cannot run this function: ${why}`;
    throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
  }
  return fn.invoke(event);
}
