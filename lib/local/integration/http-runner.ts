import { flattenContext } from '../context';
import { GatewayError } from '../response';
import { runHttpIntegration } from './http';
import { IntegrationInput, IntegrationOutput, IntegrationRunner } from './index';

/**
 * `HTTP` and `HTTP_PROXY` (ConnectionType INTERNET or VPC_LINK): a real request to the backend, built
 * by ./http-request.ts (URI with stage variables and path parameters, request parameters, AWS's header
 * rules), with the answer fed to the integration response (HTTP) or passed to the client (HTTP_PROXY).
 * A VPC link goes to the local URL given for it (`vpcLinks`, the CLI's `--vpc-link ID=URL`).
 */
export class HttpIntegrationRunner implements IntegrationRunner {
  /** @param vpcLinks VPC link id, load balancer ARN or DNS name → local base URL */
  constructor(private readonly vpcLinks: Record<string, string> = {}) {}

  public async run(input: IntegrationInput): Promise<IntegrationOutput> {
    const result = await runHttpIntegration({
      integration: input.integration,
      method: input.request.method,
      pathParameters: input.pathParameters,
      query: input.request.query,
      headers: input.request.headers,
      body: input.request.body,
      renderedBody: input.integration.Type === 'HTTP' ? input.body : undefined,
      stageVariables: input.stageVariables,
      context: flattenContext(input.context),
      vpcLinkTargets: this.vpcLinks,
      authorizationType: input.method.AuthorizationType,
    });
    if (result.kind === 'timeout') throw new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', result.message);
    if (result.kind === 'error') {
      // An emulator limit (no local target for a VPC link) is said to the client; a backend fault is AWS's plain answer.
      const local = /^the emulator /.test(result.message);
      throw new GatewayError(result.gatewayResponseType, local ? result.message : 'Internal server error', result.message, local ? 502 : undefined);
    }
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(result.headers)) headers[name] = values.join(', ');
    return { statusCode: result.statusCode, headers, body: result.body };
  }
}
