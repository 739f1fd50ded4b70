import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { ServiceResponse } from './service-binding';

/** The CORS parts of a non-proxy route's answers, as `RouteBase` computes them. */
export interface CorsAnswerParts {
  /** `method.response.header.*` → value, added to every integration response. */
  readonly responseParameters: { [k: string]: string };
  /** VTL put before every response template (reflects an allowed Origin); empty when not needed. */
  readonly templatePrefix: string;
  /** The CORS headers every method response declares. */
  readonly declared: { [k: string]: boolean };
}

/**
 * The integration responses and method responses of an AWS service integration, from a binding's
 * responses: CORS headers on every answer, a template on every answer when CORS reflects the Origin,
 * and one method response per status (including statuses set by `$context.responseOverride.status`).
 * The same mapping ServiceIntegrationRoute applies.
 */
export function serviceAnswers(
  responses: ServiceResponse[], overrideStatusCodes: number[], cors: CorsAnswerParts,
): { integrationResponses: apigw.IntegrationResponse[]; methodResponses: apigw.MethodResponse[] } {
  const integrationResponses: apigw.IntegrationResponse[] = responses.map((r) => ({
    statusCode: String(r.statusCode),
    selectionPattern: r.selectionPattern,
    contentHandling: r.contentHandling,
    responseParameters: nonEmpty({ ...prefixed(r.headers), ...cors.responseParameters }),
    // A response without a template passes the service's body through; when the CORS reflection
    // needs a template, the template must print that body itself.
    responseTemplates: r.template !== undefined || cors.templatePrefix
      ? { 'application/json': cors.templatePrefix + (r.template ?? '$input.body') }
      : undefined,
  }));
  const statusCodes = [...new Set([...responses.map((r) => r.statusCode), ...overrideStatusCodes])];
  const methodResponses: apigw.MethodResponse[] = statusCodes.map((code) => {
    const declared: { [k: string]: boolean } = { ...cors.declared };
    for (const r of responses.filter((x) => x.statusCode === code)) {
      for (const h of Object.keys(r.headers ?? {})) declared[`method.response.header.${h}`] = true;
    }
    return { statusCode: String(code), responseParameters: nonEmpty(declared) };
  });
  return { integrationResponses, methodResponses };
}

function prefixed(headers?: { [h: string]: string }): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const [h, v] of Object.entries(headers ?? {})) out[`method.response.header.${h}`] = v;
  return out;
}

/** `map`, or undefined when it is empty (CloudFormation omits the property). */
export function nonEmpty<T>(map: { [k: string]: T }): { [k: string]: T } | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
