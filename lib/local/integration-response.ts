import { renderMappingTemplate } from '../vtl/render';
import { decodeBase64, responsePayloadPlan } from './content-handling';
import { javaMatches } from '../vtl/java-regex';
import { parameterValue, RequestScope, templateRequest } from './context';
import { headerValue, IntegrationModel, IntegrationResponseModel } from './model';
import { IntegrationOutput } from './integration';
import { templateFailure, mediaType } from './integration-request';
import { GatewayError, LocalResponse } from './response';

/**
 * Selects the integration response: the first whose `SelectionPattern` (a Java regex, matched
 * against the whole value) matches the status code (the `errorMessage` for a Lambda custom
 * integration that failed), else the default one (no pattern, or an empty one). With none,
 * API Gateway has no mapping and answers 500.
 */
export function selectIntegrationResponse(integration: IntegrationModel, output: IntegrationOutput): IntegrationResponseModel | undefined {
  const responses = integration.IntegrationResponses ?? [];
  const value = output.errorMessage ?? (output.lambda ? '' : String(output.statusCode));
  for (const r of responses) {
    if (r.SelectionPattern !== undefined && r.SelectionPattern !== '' && javaMatches(value, r.SelectionPattern)) return r;
  }
  // A Lambda error message that matches nothing also falls to the default response (as on AWS).
  return responses.find((r) => r.SelectionPattern === undefined || r.SelectionPattern === '');
}

/**
 * The response template for the request's Accept header; chosen where AWS is not explicit: no
 * Accept (or `*\/*`) or no template for it → application/json, else the first template.
 */
export function selectResponseTemplate(templates: Record<string, string>, accept: string | undefined): { contentType: string; template: string } | undefined {
  const keys = Object.keys(templates);
  if (keys.length === 0) return undefined;
  const wanted = (accept ?? '').split(',').map((a) => mediaType(a)).filter((a): a is string => !!a && a !== '*/*');
  const key = wanted.map((w) => keys.find((k) => k.toLowerCase() === w)).find((k) => k !== undefined)
    ?? keys.find((k) => k.toLowerCase() === 'application/json') ?? keys[0];
  return { contentType: key, template: templates[key] };
}

/**
 * Integration response and method response for a non-proxy integration: selection, response
 * parameters (static `'v'`, `integration.response.header.NAME`, `integration.response.body`,
 * `integration.response.body.JSONPATH` (top-level fields only), `method.request.*`,
 * `stageVariables.*`, `context.*`), the response template (or the integration body passed
 * through), then `$context.responseOverride` status and headers.
 */
export function integrationResponse(integration: IntegrationModel, output: IntegrationOutput, scope: RequestScope): LocalResponse {
  const selected = selectIntegrationResponse(integration, output);
  if (!selected) {
    throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error',
      `no integration response matches ${output.errorMessage !== undefined ? `errorMessage ${JSON.stringify(output.errorMessage)}` : `status ${output.statusCode}`} and there is no default response`);
  }
  const integrationBody = output.body.toString('utf8');
  const fromIntegration = (expr: string): string | undefined => {
    let m = /^integration\.response\.header\.(.+)$/.exec(expr);
    if (m) return headerValue(output.headers, m[1]);
    if (expr === 'integration.response.body') return integrationBody;
    m = /^integration\.response\.body\.(.+)$/.exec(expr);
    if (m) {
      try {
        const doc = JSON.parse(integrationBody) as Record<string, unknown>;
        const v = doc?.[m[1]];
        return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  const headers: Record<string, string> = {};
  for (const [target, expr] of Object.entries(selected.ResponseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    const v = m ? parameterValue(expr, scope, fromIntegration) : undefined;
    if (m && v !== undefined) headers[m[1]] = v;
  }

  let statusCode = Number(selected.StatusCode);
  let contentType = headerValue(output.headers, 'content-type') ?? 'application/json';
  const accept = headerValue(scope.request.headers, 'accept');
  const payload = responsePayloadPlan(output.body, headerValue(output.headers, 'content-type'), accept, scope.api.binaryMediaTypes, selected.ContentHandling);
  let body: Buffer = payload.passthrough();
  const chosen = payload.templated ? selectResponseTemplate(selected.ResponseTemplates ?? {}, accept) : undefined;
  if (chosen) {
    let result;
    try {
      result = renderMappingTemplate(chosen.template, templateRequest(scope, payload.text), false);
    } catch (e) {
      throw templateFailure(e, `the response template (${chosen.contentType}, status ${selected.StatusCode})`);
    }
    body = payload.decodeOutgoing ? decodeBase64(result.output, `the response template (${chosen.contentType}, status ${selected.StatusCode})`) : Buffer.from(result.output);
    contentType = chosen.contentType;
    if (result.statusOverride !== undefined) statusCode = result.statusOverride;
    Object.assign(headers, result.headerOverrides);
  }
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  return { statusCode, headers: hasContentType ? headers : { 'Content-Type': contentType, ...headers }, body };
}
