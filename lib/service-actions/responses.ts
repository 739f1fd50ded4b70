import { ServiceResponse } from '../internal/service-binding';
import { literalJson } from '../templates/vtl';

/**
 * Integration responses every service action shares: a client error from the service answers 400 and
 * a service failure 502 (the backend, not API Gateway, failed), each with a JSON error body that names
 * the request id and never echoes the service's message (which can carry ARNs and account ids).
 */
export function serviceErrorResponses(): ServiceResponse[] {
  return [
    { statusCode: 400, selectionPattern: '4\\d{2}', template: errorBody('The service rejected the request') },
    { statusCode: 502, selectionPattern: '5\\d{2}', template: errorBody('The service failed to handle the request') },
  ];
}

/** A JSON error body with a fixed message and the request id. */
export function errorBody(message: string): string {
  return `{"message": ${literalJson(message)}, "requestId": "$context.requestId"}`;
}
