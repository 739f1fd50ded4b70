/**
 * Lambda custom (non-proxy, type `AWS` with the Lambda invocation path) integration: the request
 * template's output is the event, and the integration response stage selects on the invocation's
 * outcome. "Handle Lambda errors in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html :
 * for a function error the `selectionPattern` regexes are matched against the error's `errorMessage`,
 * and the error document is the integration response body (`$input.path('$.errorMessage')`); a
 * successful invocation selects the default integration response, its result as the body.
 *
 * The error document is the Node.js runtime's `{errorType, errorMessage, trace}`
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html); the API Gateway page shows
 * the language-neutral `stackTrace` for the third key, which Node.js functions do not send.
 */
import { LocalInvokeResult } from './local-function';

/** What the integration response stage needs from an invocation. */
export interface CustomIntegrationOutcome {
  /** The integration response body (`$input`): the result, or the error document, as JSON text. */
  readonly body: string;
  /** For a function error: the text the selection patterns are matched against. Undefined on success. */
  readonly errorMessage?: string;
}

export function customIntegrationOutcome(result: LocalInvokeResult): CustomIntegrationOutcome {
  if (!result.functionError) return { body: result.payload };
  let errorMessage = '';
  try {
    const doc = JSON.parse(result.payload) as { errorMessage?: unknown };
    if (typeof doc.errorMessage === 'string') errorMessage = doc.errorMessage;
  } catch {
    errorMessage = result.payload;
  }
  return { body: result.payload, errorMessage };
}

/**
 * The rendered request template as the event: Lambda takes JSON only. Not JSON → `ok: false`: on AWS
 * the Invoke call fails (InvalidRequestContentException) and the client gets a 500
 * `{"message": "Internal server error"}` ("Execution failed due to configuration error" in the log).
 */
export function eventFromTemplateOutput(rendered: string):
{ readonly ok: true; readonly event: unknown } | { readonly ok: false; readonly reason: string } {
  // An empty template output invokes the function with an empty object (chosen: Lambda's own
  // Invoke treats an empty payload as {}).
  if (rendered.trim() === '') return { ok: true, event: {} };
  try {
    return { ok: true, event: JSON.parse(rendered) };
  } catch (e) {
    return { ok: false, reason: `Could not parse request body into json: ${(e as Error).message}` };
  }
}
