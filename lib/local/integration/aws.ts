import { customIntegrationOutcome, eventFromTemplateOutput } from '../lambda/custom-integration';
import { GatewayError } from '../response';
import { substituteStageVariables } from './http-request';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';
import { integrationFunctionArn, invokeIntegrationFunction } from './lambda-target';

/** The service and what the Uri asks of it: `arn:aws:apigateway:{region}:{service}:action/{Action}` or `:path/{path}`. */
export function awsServiceOfUri(uri: string): { service: string; action?: string; path?: string } | undefined {
  const m = /^arn:aws[a-z-]*:apigateway:[^:]*:([^:]+):(action|path)\/(.*)$/.exec(uri);
  if (!m) return undefined;
  const service = m[1].replace(/^[^.]+\./, ''); // a subdomain form: `bucket.s3` → s3
  return m[2] === 'action' ? { service, action: m[3].split('&')[0] } : { service, path: m[3] };
}

/**
 * `AWS` integrations. With the Lambda invocation path (a Lambda custom integration): the integration
 * request body (the rendered template) is the event; a function error's `errorMessage` selects the
 * integration response (IntegrationOutput.errorMessage), and the error document
 * `{"errorMessage", "errorType", ...}` is the body the templates read. Any other service answers
 * 502 naming it: service integrations are not run yet, and a made-up success would hide that.
 */
export class AwsIntegrationRunner implements IntegrationRunner {
  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    if (integrationFunctionArn(input)) return this.lambda(input);
    const uri = substituteStageVariables(input.integration.Uri ?? '', input.stageVariables);
    const target = awsServiceOfUri(uri);
    const what = target ? `${target.service} ${target.action ? `action ${target.action}` : `path ${target.path}`}` : `Uri ${uri}`;
    const message = `the emulator does not run AWS service integrations yet (${what}, ${input.method.HttpMethod} ${input.method.resourcePath})`;
    throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
  }

  private async lambda(input: IntegrationInput): Promise<IntegrationOutput> {
    const event = eventFromTemplateOutput(input.body.toString('utf8'));
    if (!event.ok) {
      // Lambda's Invoke refuses a payload that is not JSON; API Gateway passes its 400 and message on.
      throw new GatewayError('BAD_REQUEST_BODY', event.reason, `Lambda Invoke refused the integration request: ${event.reason}`, 400);
    }
    const result = await invokeIntegrationFunction(input, event.event);
    const outcome = customIntegrationOutcome(result);
    if (outcome.errorMessage !== undefined) input.log(`Lambda function error: ${outcome.body.slice(0, 300)}`);
    return {
      statusCode: 200,
      lambda: true,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(outcome.body),
      ...(outcome.errorMessage !== undefined ? { errorMessage: outcome.errorMessage } : {}),
    };
  }
}
