import { gatewayResponseHeaders } from './http-headers';
import { buildHttpRequest, HttpRequestInput } from './http-request';
import { sendHttpRequest } from './http-send';

/**
 * The `HTTP` and `HTTP_PROXY` integrations (ConnectionType INTERNET or VPC_LINK) of the local emulator:
 * build the integration request (http-request.ts, pure), send it over node:http/https (http-send.ts), and
 * apply API Gateway's response header rules (http-headers.ts).
 *
 * Left to the caller (the core): request templates and passthrough/415 (it passes `renderedBody`), ContentHandling
 * conversions, integration-response selection for HTTP custom, `X-HTTP-Method-Override`, and the headers API
 * Gateway's front door adds to a request (X-Forwarded-For, X-Amzn-Trace-Id...) if it puts them in `headers`.
 * Not emulated here: client certificates (ClientCertificateId), JSONPath beyond simple paths in
 * `method.request.body.*` (answered as a configuration error that says so).
 */

export type { HttpIntegrationProperties, HttpRequestInput, OutgoingHttpRequest } from './http-request';
export { buildHttpRequest, DEFAULT_TIMEOUT_MS } from './http-request';
export { gatewayResponseHeaders, REMAPPED_PREFIX } from './http-headers';
export { sendHttpRequest } from './http-send';

/** Input of `runHttpIntegration`: see HttpRequestInput for each field. */
export type HttpIntegrationInput = HttpRequestInput;

/**
 * The backend answered. For HTTP_PROXY this is what the client gets (headers after API Gateway's rules:
 * some dropped, some renamed `X-Amzn-Remapped-*`); for HTTP custom it feeds integration-response selection
 * (`statusCode`) and `integration.response.header.*` / `integration.response.body`.
 */
export interface HttpIntegrationResponse {
  readonly kind: 'response';
  readonly statusCode: number;
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

/** No complete answer within TimeoutInMillis (default 29 s): the core answers the INTEGRATION_TIMEOUT gateway response (504). */
export interface HttpIntegrationTimeout {
  readonly kind: 'timeout';
  readonly timeoutMs: number;
  /** For the log, not the client. */
  readonly message: string;
}

/**
 * The integration could not run. `gatewayResponseType` is the gateway response AWS uses:
 * INTEGRATION_FAILURE (default status 504, per "Gateway response types for API Gateway") when the backend
 * cannot be reached; API_CONFIGURATION_ERROR (500) for "an invalid endpoint address" and other configuration
 * faults. `message` is for the log, not the client.
 */
export interface HttpIntegrationError {
  readonly kind: 'error';
  readonly gatewayResponseType: 'INTEGRATION_FAILURE' | 'API_CONFIGURATION_ERROR';
  readonly message: string;
}

export type HttpIntegrationResult = HttpIntegrationResponse | HttpIntegrationTimeout | HttpIntegrationError;

/** Run an HTTP or HTTP_PROXY integration for one request. Never throws for a backend's fault. */
export async function runHttpIntegration(input: HttpIntegrationInput): Promise<HttpIntegrationResult> {
  const built = buildHttpRequest(input);
  if ('failure' in built) return { kind: 'error', ...built.failure };
  const result = await sendHttpRequest(built.request);
  if (result.kind === 'timeout') return result;
  if (result.kind === 'error') return { kind: 'error', gatewayResponseType: 'INTEGRATION_FAILURE', message: result.message };
  const type = input.integration.Type.toUpperCase() === 'HTTP' ? 'HTTP' : 'HTTP_PROXY';
  return { kind: 'response', statusCode: result.statusCode, headers: gatewayResponseHeaders(type, result.headers), body: result.body };
}
