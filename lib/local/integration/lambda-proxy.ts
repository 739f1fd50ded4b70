import { buildProxyEvent } from '../lambda/proxy-event';
import { parseProxyResponse } from '../lambda/proxy-response';
import { GatewayError } from '../response';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';
import { invokeIntegrationFunction } from './lambda-target';

/**
 * `AWS_PROXY` to Lambda: the proxy event v1 as API Gateway builds it (with what the method request
 * established: `requestContext.authorizer` and the identity), the function run in its worker, and its
 * answer passed to the client as it is. A function error or a malformed answer is API Gateway's 502
 * `{"message": "Internal server error"}` (through DEFAULT_5XX, as on AWS); the reason goes to the log.
 */
export class LambdaProxyRunner implements IntegrationRunner {
  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    const context = input.context;
    const authorizer = context.authorizer as Record<string, unknown> | undefined;
    // sourceIp and userAgent come from the request itself; the rest is what the method request established.
    const identityValues = Object.fromEntries(Object.entries((context.identity ?? {}) as Record<string, unknown>)
      .filter(([k]) => k !== 'sourceIp' && k !== 'userAgent'));
    const event = buildProxyEvent({
      request: input.request,
      resourcePath: input.method.resourcePath,
      resourceId: input.method.resourceId,
      pathParameters: input.pathParameters,
      stage: input.stage.StageName,
      stageVariables: input.stageVariables,
      apiId: input.api.id,
      accountId: input.api.account,
      region: input.api.region,
      requestId: String(context.requestId),
      requestTimeEpoch: Number(context.requestTimeEpoch),
      authorizer: authorizer && Object.keys(authorizer).length > 0 ? authorizer : undefined,
      identity: identityValues as Parameters<typeof buildProxyEvent>[0]['identity'],
      binaryMediaTypes: input.api.binaryMediaTypes,
    });
    const result = await invokeIntegrationFunction(input, event);
    const parsed = parseProxyResponse(result.payload, result.functionError !== undefined);
    if (!parsed.ok) {
      throw new GatewayError(result.functionError ? 'INTEGRATION_FAILURE' : 'API_CONFIGURATION_ERROR', 'Internal server error',
        `${result.functionError ? 'Lambda execution failed due to customer function error' : 'Execution failed due to configuration error'}: ${parsed.reason}`, 502);
    }
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(parsed.response.multiValueHeaders)) headers[name] = values.join(', ');
    return { statusCode: parsed.response.statusCode, headers, body: parsed.response.body };
  }
}
