import { customIntegrationOutcome, eventFromTemplateOutput } from '../lambda/custom-integration';
import { GatewayError } from '../response';
import { ServiceEndpoints } from '../aws/service-request';
import { LocalStepFunctions } from '../stepfunctions/executions';
import { runServiceIntegration } from './aws-service';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';
import { integrationFunctionArn, invokeIntegrationFunction } from './lambda-target';

/**
 * `AWS` integrations. With the Lambda invocation path (a Lambda custom integration): the integration
 * request body (the rendered template) is the event; a function error's `errorMessage` selects the
 * integration response (IntegrationOutput.errorMessage), and the error document
 * `{"errorMessage", "errorType", ...}` is the body the templates read. Any other service: the signed
 * request goes to the endpoint given for it (./aws-service.ts), or 502 names the option to give.
 */
export class AwsIntegrationRunner implements IntegrationRunner {
  constructor(
    private readonly endpoints: ServiceEndpoints = {},
    private readonly now: () => Date = () => new Date(),
    /** Runs the assembly's state machines (StartSyncExecution, StartExecution ...). @default sent to the states endpoint */
    private readonly stepFunctions?: LocalStepFunctions,
  ) {}

  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    if (integrationFunctionArn(input)) return this.lambda(input);
    return runServiceIntegration(input, this.endpoints, this.now, this.stepFunctions);
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
