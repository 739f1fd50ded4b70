import { renderMappingTemplate } from '../vtl/render';
import { parameterValue, RequestScope, templateRequest } from './context';
import { GatewayResponseModel } from './model';
import { GatewayError, LocalResponse } from './response';

/**
 * Gateway responses: the answers API Gateway gives itself when a request fails before or around the
 * integration. Default statuses from AWS's table "Gateway response types for API Gateway"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
 * every type that the API does not customise falls back to DEFAULT_4XX or DEFAULT_5XX by its status.
 * The default messages are the ones API Gateway answers with (`{"message": ...}`).
 */
export const GATEWAY_RESPONSE_DEFAULTS: Record<string, { status: number; message: string }> = {
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Invalid request parameters' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body' },
  EXPIRED_TOKEN: { status: 403, message: 'The security token included in the request is expired' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden' },
  INVALID_SIGNATURE: { status: 403, message: 'The request signature we calculated does not match the signature you provided' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found' },
  THROTTLED: { status: 429, message: 'Too Many Requests' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type' },
  WAF_FILTERED: { status: 403, message: 'Forbidden' },
};

/** The template of a gateway response that has none: API Gateway's default. */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** Logs why a template failed: the client only gets the fallback body. */
export type ProblemLog = (message: string) => void;

/**
 * The gateway response for `error` as the API defines it: the type's own response if the API
 * customises it, else DEFAULT_4XX / DEFAULT_5XX (by the type's status), else API Gateway's built-in
 * answer. Status: the customised type's StatusCode, else a StatusCode set on the DEFAULT_4XX/5XX
 * fallback (AWS: changing it changes every response of that class), else the type's default.
 */
export function gatewayResponse(error: GatewayError, scope: RequestScope, log: ProblemLog): LocalResponse {
  const builtin = GATEWAY_RESPONSE_DEFAULTS[error.type] ?? { status: error.statusCode ?? 500, message: error.clientMessage };
  const defaultStatus = error.statusCode ?? builtin.status;
  const fallbackType = defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = scope.api.gatewayResponses.get(error.type);
  const fallback = scope.api.gatewayResponses.get(fallbackType);
  const chosen: GatewayResponseModel | undefined = own ?? fallback;
  const statusCode = Number(own?.StatusCode ?? fallback?.StatusCode ?? defaultStatus);

  const message = error.clientMessage;
  const context = {
    ...scope.context,
    error: {
      message,
      messageString: JSON.stringify(message),
      responseType: error.type,
      validationErrorString: (error as { validationErrorString?: string }).validationErrorString ?? (error.type.startsWith('BAD_REQUEST') ? message : ''),
    },
  };
  const errScope: RequestScope = { ...scope, context };

  const headers: Record<string, string> = {};
  for (const [key, expr] of Object.entries(chosen?.ResponseParameters ?? {})) {
    const m = /^gatewayresponse\.header\.(.+)$/.exec(key);
    const v = m ? parameterValue(expr, errScope) : undefined;
    if (m && v !== undefined) headers[m[1]] = v;
  }

  const templates = chosen?.ResponseTemplates ?? {};
  const contentType = 'application/json' in templates || Object.keys(templates).length === 0 ? 'application/json' : Object.keys(templates)[0];
  const template = templates[contentType] ?? DEFAULT_TEMPLATE;
  let body: string;
  try {
    body = renderMappingTemplate(template, templateRequest(errScope, ''), false).output;
  } catch (e) {
    log(`gateway response ${error.type}: its template failed to render (${(e as Error).message}); answered with the default body`);
    body = `{"message":${JSON.stringify(message)}}`;
  }
  return { statusCode, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(body) };
}
