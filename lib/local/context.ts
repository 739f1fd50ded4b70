import { randomUUID } from 'node:crypto';
import type { MappingTemplateRequest } from '../testing/mapping-template';
import { ApiModel, headerValue, MethodModel, StageModel } from './model';
import { LocalRequest } from './request';

/** One request on its way through the pipeline: what templates and parameter mappings read. */
export interface RequestScope {
  readonly api: ApiModel;
  readonly stage: StageModel;
  readonly request: LocalRequest;
  /** Set once the router matched a method. */
  readonly method?: MethodModel;
  readonly pathParameters: Record<string, string>;
  /** `$context`, as a plain object (the VTL engine merges it over its defaults). */
  readonly context: Record<string, unknown>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: CLF, `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The `$context` of a request (AWS's documented `$context` variables for REST APIs). */
export function requestContext(api: ApiModel, stage: StageModel, request: LocalRequest, method: MethodModel | undefined, now: Date): Record<string, unknown> {
  const requestId = randomUUID();
  const host = headerValue(request.headers, 'host') ?? `${api.id}.execute-api.${api.region}.amazonaws.com`;
  return {
    resourceId: method?.resourceId ?? null,
    resourcePath: method?.resourcePath ?? null,
    httpMethod: request.method.toUpperCase(),
    extendedRequestId: Buffer.from(requestId).toString('base64').slice(0, 16),
    requestTime: clfTime(now),
    path: `/${stage.StageName}${request.path.startsWith('/') ? '' : '/'}${request.path}`,
    accountId: api.account,
    protocol: 'HTTP/1.1',
    stage: stage.StageName,
    domainPrefix: host.split('.')[0],
    requestTimeEpoch: now.getTime(),
    requestId,
    identity: {
      sourceIp: request.sourceIp,
      userAgent: headerValue(request.headers, 'user-agent') ?? null,
    },
    domainName: host,
    deploymentId: stage.DeploymentId ?? null,
    apiId: api.id,
  };
}

/** The request as a mapping template sees it, with `body` as the template's `$input.body`. */
export function templateRequest(scope: RequestScope, body: string): MappingTemplateRequest {
  return {
    body,
    pathParameters: scope.pathParameters,
    queryParameters: scope.request.query,
    headers: scope.request.headers,
    stageVariables: scope.stage.Variables,
    context: scope.context,
  };
}

function contextValue(context: Record<string, unknown>, dotted: string): string | undefined {
  let v: unknown = context;
  for (const k of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * The value of a parameter-mapping expression as API Gateway evaluates it for a request: a static
 * `'value'`, `method.request.{path|querystring|header}.NAME`, `stageVariables.NAME`, `context.NAME`.
 * `extra` answers other prefixes (`integration.response.*` in an integration response).
 * Undefined when the source is absent (API Gateway then leaves the target out).
 */
export function parameterValue(expr: string, scope: RequestScope, extra?: (expr: string) => string | undefined): string | undefined {
  const e = expr.trim();
  if (e.length >= 2 && e.startsWith("'") && e.endsWith("'")) return e.slice(1, -1);
  let m = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(e);
  if (m) {
    const [, where, name] = m;
    if (where === 'path') return scope.pathParameters[name];
    if (where === 'querystring' || where === 'multivaluequerystring') return scope.request.query[name];
    return headerValue(scope.request.headers, name);
  }
  m = /^stageVariables\.(.+)$/.exec(e);
  if (m) return scope.stage.Variables[m[1]];
  m = /^context\.(.+)$/.exec(e);
  if (m) return contextValue(scope.context, m[1]);
  return extra?.(e);
}

/** `$context` as the parameter mapper reads it: dotted names (`authorizer.claims.sub`) → text. */
export function flattenContext(context: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) flattenContext(value as Record<string, unknown>, `${prefix}${key}.`, out);
    else out[`${prefix}${key}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
