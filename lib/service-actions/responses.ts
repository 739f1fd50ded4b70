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

/**
 * The Java regex an error name must match to reach a client as `code`: letters, digits, `_`, `.` and `-`,
 * at most 64 characters (`OrderRejected`, `States.Timeout`, `MalformedDetail`). Such a name is chosen by
 * the state machine or the service, is stable enough for clients to branch on, and cannot carry a
 * sentence, an ARN or a path (no spaces, colons or slashes).
 */
export const ERROR_CODE = '[A-Za-z][A-Za-z0-9_.-]{0,63}';

/** The `code` answered for an error name that is missing or not a plain name. */
export const UNKNOWN_ERROR_CODE = 'Unknown';

/**
 * VTL printing `"code": "<name>"`: the error name `expression` gives when it matches ERROR_CODE (so it
 * needs no escaping), `"Unknown"` otherwise. `variable` must be unique within the template (without `$`).
 */
export function errorCodeEntry(expression: string, variable: string): string {
  return `#set($${variable} = ${expression})#set($${variable}s = "$!{${variable}}")` +
    `"code": "#if($${variable}s.matches('${ERROR_CODE}'))$${variable}s#{else}${UNKNOWN_ERROR_CODE}#end"`;
}
