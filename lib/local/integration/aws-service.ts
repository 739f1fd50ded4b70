import { sendSigned } from '../aws/signed-send';
import { AwsCredentials } from '../aws/sigv4';
import { buildServiceRequest, ServiceEndpoints } from '../aws/service-request';
import { GatewayError } from '../response';
import { IntegrationInput, IntegrationOutput } from './index';

/** Credentials for local endpoints when the environment has none (local implementations accept any). */
export const LOCAL_CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDLOCALEMULATOR', secretAccessKey: 'local-emulator-secret' };

function environmentCredentials(): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = process.env;
  return id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined;
}

/**
 * Runs an AWS service integration as API Gateway does: the integration request (rendered body,
 * mapped headers and query) sent to the service's endpoint, signed with SigV4 (credentials from the
 * environment, else fixed local ones), and the service's answer (status, headers, body) handed to
 * integration response selection. No endpoint for the service answers 502 naming the option to give.
 */
export async function runServiceIntegration(input: IntegrationInput, endpoints: ServiceEndpoints, now: () => Date): Promise<IntegrationOutput> {
  const built = buildServiceRequest({
    uri: input.integration.Uri ?? '',
    httpMethod: input.integration.IntegrationHttpMethod ?? 'POST',
    stageVariables: input.stageVariables,
    mapped: input.mapped,
    body: input.body,
  }, endpoints);
  if ('failure' in built) {
    const message = `${input.method.HttpMethod} ${input.method.resourcePath}: ${built.failure}`;
    throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
  }
  const result = await sendSigned({
    ...built, service: built.target.service, region: built.target.region,
    credentials: environmentCredentials() ?? LOCAL_CREDENTIALS, now: now(), timeoutMs: input.timeoutMillis,
  });
  if (result.kind === 'timeout') throw new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', result.message);
  if (result.kind === 'error') throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', `${built.target.service} at ${built.url}: ${result.message}`, 500);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers)) out[k] = v.join(', ');
  return { statusCode: result.statusCode, headers: out, body: result.body };
}
