import { renderMappingTemplate } from '../vtl/render';
import { decodeBase64, requestPayloadPlan } from './content-handling';
import { parameterValue, RequestScope, templateRequest } from './context';
import { headerValue, IntegrationModel } from './model';
import { GatewayError } from './response';

/** The integration request as the integration gets it. */
export interface IntegrationRequest {
  readonly body: Buffer;
  readonly templated: boolean;
  readonly mapped: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
}

/** The media type of a Content-Type or Accept value, lower case, without parameters. */
export function mediaType(value: string | undefined): string | undefined {
  const t = value?.split(';')[0].trim().toLowerCase();
  return t ? t : undefined;
}

/**
 * Picks the request template by the request's Content-Type (API Gateway assumes application/json
 * when there is none) and applies the passthrough behaviour as AWS documents it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html):
 * a template for the type → render it; else WHEN_NO_MATCH (the default) passes the body through,
 * WHEN_NO_TEMPLATES passes it through only when there is no template at all, NEVER answers 415.
 */
export function selectRequestTemplate(integration: IntegrationModel, contentType: string | undefined): { template?: string } | 'unsupported' {
  const templates = integration.RequestTemplates ?? {};
  const type = mediaType(contentType) ?? 'application/json';
  const key = Object.keys(templates).find((k) => k.toLowerCase() === type);
  if (key !== undefined) return { template: templates[key] };
  const behaviour = (integration.PassthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase();
  if (behaviour === 'NEVER') return 'unsupported';
  if (behaviour === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length > 0) return 'unsupported';
  return {};
}

/** A template's failure as API Gateway answers it (the reason goes to the log only). */
export function templateFailure(e: unknown, what: string): GatewayError {
  const message = (e as Error).message;
  if (/net\.minidev\.json\.parser\.ParseException/.test(message)) {
    // Recorded: a body that starts like JSON but is not, read by $input.json/path, answers 400.
    return new GatewayError('BAD_REQUEST_BODY', 'Could not process payload', `${what}: ${message}`, 400);
  }
  return new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `${what} failed to render: ${message}`);
}

/**
 * Integration request: request template (or passthrough), `$context.requestOverride`, and the
 * integration's `RequestParameters` (`integration.request.{header|querystring|path}.NAME` from
 * `method.request.*`, static values, stage variables, `$context`).
 */
export function integrationRequest(integration: IntegrationModel, scope: RequestScope): IntegrationRequest {
  const mapped = { header: {} as Record<string, string>, querystring: {} as Record<string, string>, path: {} as Record<string, string> };
  for (const [target, expr] of Object.entries(integration.RequestParameters ?? {})) {
    const m = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(target);
    const v = m ? parameterValue(expr, scope) : undefined;
    if (m && v !== undefined) mapped[m[1] as 'header' | 'querystring' | 'path'][m[2]] = v;
  }
  const selected = selectRequestTemplate(integration, headerValue(scope.request.headers, 'content-type'));
  if (selected === 'unsupported') {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type',
      `no request template for Content-Type ${headerValue(scope.request.headers, 'content-type') ?? '(none)'} and PassthroughBehavior ${integration.PassthroughBehavior}`);
  }
  const contentType = headerValue(scope.request.headers, 'content-type');
  const payload = requestPayloadPlan(scope.request.body, contentType, scope.api.binaryMediaTypes, integration.ContentHandling);
  const outgoing = (body: Buffer): Buffer => (payload.decodeOutgoing ? decodeBase64(body.toString('utf8'), 'the integration request') : body);
  if (selected.template === undefined) return { body: outgoing(payload.passthrough), templated: false, mapped };
  if (payload.binary) {
    throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error',
      `Unable to transform request: the payload is binary (${contentType ?? 'no Content-Type'} matches binaryMediaTypes ${JSON.stringify(scope.api.binaryMediaTypes)}) ` +
      'and a request template applies; set ContentHandling CONVERT_TO_TEXT on the integration');
  }
  let result;
  try {
    result = renderMappingTemplate(selected.template, templateRequest(scope, payload.text), false);
  } catch (e) {
    throw templateFailure(e, 'the request template');
  }
  const o = result.requestOverrides;
  return {
    body: outgoing(Buffer.from(result.output)),
    templated: true,
    mapped: { header: { ...mapped.header, ...o.header }, querystring: { ...mapped.querystring, ...o.querystring }, path: { ...mapped.path, ...o.path } },
  };
}
