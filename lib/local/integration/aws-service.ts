import { sendSigned } from '../aws/signed-send';
import { AwsCredentials } from '../aws/sigv4';
import { randomUUID } from 'node:crypto';
import { buildServiceRequest, ServiceEndpoints, serviceTargetOfUri } from '../aws/service-request';
import { LocalStepFunctions } from '../stepfunctions/executions';
import { substituteStageVariables } from './http-request';
import { GatewayError } from '../response';
import { IntegrationInput, IntegrationOutput } from './index';

/** Credentials for local endpoints when the environment has none (local implementations accept any). */
export const LOCAL_CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDLOCALEMULATOR', secretAccessKey: 'local-emulator-secret' };

function environmentCredentials(): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = process.env;
  return id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined;
}

/** The credentials requests to services are signed with: the environment's, else fixed local ones. */
export function serviceCredentials(): AwsCredentials {
  return environmentCredentials() ?? LOCAL_CREDENTIALS;
}

/**
 * A Step Functions action on a state machine of the assembly, answered by the emulator's own
 * executions (../stepfunctions); undefined for anything else (it goes to the `states` endpoint).
 */
async function localStepFunctionsAnswer(input: IntegrationInput, stepFunctions: LocalStepFunctions): Promise<IntegrationOutput | undefined> {
  const target = serviceTargetOfUri(substituteStageVariables(input.integration.Uri ?? '', input.stageVariables));
  const xAmzTarget = Object.entries(input.mapped.header).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  const action = target?.service !== 'states' ? undefined : target.action ?? xAmzTarget?.replace(/^AWSStepFunctions\./, '');
  if (!action) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(input.body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const answer = await stepFunctions.api(action, body as Record<string, unknown>);
  if (!answer) return undefined;
  return {
    statusCode: answer.statusCode,
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() },
    body: Buffer.from(JSON.stringify(answer.body)),
  };
}

/**
 * Runs an AWS service integration as API Gateway does: the integration request (rendered body,
 * mapped headers and query) sent to the service's endpoint, signed with SigV4 (credentials from the
 * environment, else fixed local ones), and the service's answer (status, headers, body) handed to
 * integration response selection. No endpoint for the service answers 502 naming the option to give.
 */
export async function runServiceIntegration(input: IntegrationInput, endpoints: ServiceEndpoints, now: () => Date, stepFunctions?: LocalStepFunctions): Promise<IntegrationOutput> {
  const local = stepFunctions && await localStepFunctionsAnswer(input, stepFunctions);
  if (local) return local;
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
    credentials: serviceCredentials(), now: now(), timeoutMs: input.timeoutMillis,
  });
  if (result.kind === 'timeout') throw new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', result.message);
  if (result.kind === 'error') throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', `${built.target.service} at ${built.url}: ${result.message}`, 500);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers)) out[k] = v.join(', ');
  return { statusCode: result.statusCode, headers: out, body: result.body };
}
