/**
 * Lambda for the local emulator: run a template's `AWS::Lambda::Function` in warm worker threads,
 * build the proxy event v1, read the proxy answer, and give a custom integration's outcome.
 *
 * How the core uses it (inputs are CloudFormation-shaped, intrinsics resolved):
 * ```ts
 * // once per function, at load: throws UnsupportedFunctionError (→ 502 naming the function) for
 * // non-Node.js runtimes, container images, code not in the assembly
 * const spec = functionSpecFromTemplate(logicalId, resource, { assemblyDir, stackName, region, accountId });
 * const fn = new LocalFunction(spec);                       // workers start on first use; fn.close() on reload/stop
 * const target = lambdaTargetOfUri(integration.Uri);        // which function an integration/authorizer calls
 *
 * // AWS_PROXY
 * const event = buildProxyEvent({ request, resourcePath, resourceId, pathParameters, stage, stageVariables, apiId,
 *   authorizer, identity, binaryMediaTypes });
 * const result = await fn.invoke(event, { requestId });     // never rejects for the function's own failures
 * const answer = parseProxyResponse(result.payload, result.functionError !== undefined);
 * // answer.ok ? answer.response (statusCode, multiValueHeaders, body bytes)
 * //           : PROXY_INTERNAL_ERROR (502 {"message": "Internal server error"}), answer.reason to the log
 *
 * // AWS (Lambda custom)
 * const input = eventFromTemplateOutput(renderedRequestTemplate);   // not JSON → 500, reason to the log
 * const outcome = customIntegrationOutcome(await fn.invoke(input.event));
 * // outcome.errorMessage (function error) is what SelectionPattern regexes match; outcome.body is $input
 * ```
 */
export { assetPathOf, functionSpecFromTemplate, UnsupportedFunctionError } from './function-spec';
export type { CfnResourceLike, FunctionSpecOptions, LocalFunctionSpec } from './function-spec';
export { LocalFunction } from './local-function';
export type { InvokeOptions, LocalFunctionOptions, LocalInvokeResult } from './local-function';
export { buildProxyEvent, clfTime } from './proxy-event';
export { isBinaryMediaType } from '../content-handling';
export type { ProxyEventIdentity, ProxyEventInput, ProxyEventRequestContext, ProxyEventV1 } from './proxy-event';
export { parseProxyResponse, PROXY_INTERNAL_ERROR } from './proxy-response';
export type { ProxyResponse, ProxyResponseResult } from './proxy-response';
export { customIntegrationOutcome, eventFromTemplateOutput } from './custom-integration';
export type { CustomIntegrationOutcome } from './custom-integration';
export { lambdaTargetOfUri } from './integration-uri';
export type { LambdaIntegrationTarget } from './integration-uri';
export { FunctionPool } from './function-pool';
export type { FunctionPoolOptions } from './function-pool';
