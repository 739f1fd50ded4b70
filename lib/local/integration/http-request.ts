import { isDroppedRequestHeader, isSigV4Authorization } from './http-headers';
import { headerValues, MappingError, MappingSources, mapRequestParameters } from './http-parameters';

/**
 * Builds the request API Gateway sends to an `HTTP` or `HTTP_PROXY` backend (ConnectionType INTERNET or
 * VPC_LINK), as a plain value: no sockets here, so every rule is unit-tested on its own.
 */

/** The `Integration` of a resolved `AWS::ApiGateway::Method` (intrinsics already resolved to strings). */
export interface HttpIntegrationProperties {
  readonly Type: string;
  readonly IntegrationHttpMethod?: string;
  readonly Uri?: string;
  readonly RequestParameters?: Record<string, string>;
  readonly ConnectionType?: string;
  readonly ConnectionId?: string;
  /** The load balancer ARN of a VPC link V2 integration. */
  readonly IntegrationTarget?: string;
  readonly TimeoutInMillis?: number;
  readonly PassthroughBehavior?: string;
  /** `InsecureSkipVerification`: accept a backend certificate no trusted authority issued (HTTPS only). */
  readonly TlsConfig?: { readonly InsecureSkipVerification?: boolean | string };
  readonly [other: string]: unknown;
}

/** Everything the request builder reads. */
export interface HttpRequestInput extends MappingSources {
  readonly integration: HttpIntegrationProperties;
  /** The method the client used (`GET`); sent when IntegrationHttpMethod is `ANY` or absent. */
  readonly method: string;
  /**
   * HTTP custom only: the request template's output (the core renders it with lib/vtl). Undefined means no
   * template applied and the client's body passes through (the core decides passthrough and 415).
   */
  readonly renderedBody?: string | Buffer;
  /** HTTP custom only: the content type of the template that rendered `renderedBody`. */
  readonly renderedContentType?: string;
  /** Where a VPC link's traffic goes locally: VPC link id, load balancer ARN or DNS name (host or host:port) → base URL. */
  readonly vpcLinkTargets?: Record<string, string>;
  /** The method's AuthorizationType; with `AWS_IAM` the client's Authorization header is not forwarded. */
  readonly authorizationType?: string;
}

/** The request to send. */
export interface OutgoingHttpRequest {
  readonly method: string;
  /** The URL to connect to (for a VPC link: the local target). */
  readonly url: string;
  /** Header name → values; each name appears once (any case). */
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
  readonly timeoutMs: number;
  /** TlsConfig.InsecureSkipVerification: an untrusted issuer is accepted, expiry and host name are still checked. */
  readonly insecureSkipVerification: boolean;
}

/** Why no request could be built; `gatewayResponseType` is the gateway response AWS would answer with. */
export interface HttpRequestFailure {
  readonly message: string;
  readonly gatewayResponseType: 'API_CONFIGURATION_ERROR' | 'INTEGRATION_FAILURE';
}

/** API Gateway's default integration timeout: 29 s. */
export const DEFAULT_TIMEOUT_MS = 29_000;

const STAGE_VARIABLE = /\$\{stageVariables\.([^}]*)\}/g;
const PLACEHOLDER = /\{([^{}/]+)\}/g;

/**
 * Percent-encodes what may not appear raw in a URL path. API Gateway "decode[s] URL-encoded request parameters
 * before passing them to backend integrations [and] URL-encode[s] the percent character (%)"
 * (api-gateway-known-issues.html, REST APIs); on the wire the decoded value is sent as UTF-8 percent-encoded.
 * `/` is kept, so a greedy `{proxy}` keeps its segments.
 */
export function encodePathValue(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) => encodeURIComponent(c));
}

function encodeQueryPart(value: string): string {
  return encodeURIComponent(value);
}

/** `${stageVariables.x}` replaced by the stage's value; an undefined variable becomes '' (as AWS substitutes it). */
export function substituteStageVariables(text: string, stageVariables: Record<string, string>): string {
  return text.replace(STAGE_VARIABLE, (_m, name: string) => stageVariables[name] ?? '');
}

/** Build the outgoing request, or say why API Gateway could not. */
export function buildHttpRequest(input: HttpRequestInput): { request: OutgoingHttpRequest } | { failure: HttpRequestFailure } {
  const { integration } = input;
  const type = integration.Type?.toUpperCase();
  if (type !== 'HTTP' && type !== 'HTTP_PROXY') {
    return configError(`integration type ${integration.Type} is not HTTP or HTTP_PROXY`);
  }
  if (!integration.Uri) return configError(`the ${type} integration has no Uri`);

  let mapped;
  try {
    mapped = mapRequestParameters(integration.RequestParameters, input);
  } catch (e) {
    if (e instanceof MappingError) return configError(e.message);
    throw e;
  }

  // 1. The URI: stage variables, then {name} placeholders from integration.request.path.name.
  let uri = substituteStageVariables(integration.Uri, input.stageVariables);
  const missing: string[] = [];
  uri = uri.replace(PLACEHOLDER, (_m, name: string) => {
    const value = mapped.path[name];
    if (value === undefined) {
      missing.push(name);
      return '';
    }
    return encodePathValue(value);
  });
  if (missing.length > 0) {
    return configError(`Uri ${integration.Uri} uses {${missing.join('}, {')}} but no integration.request.path mapping gives ${missing.length > 1 ? 'them' : 'it'} a value`);
  }
  // Local convenience (not AWS behaviour): a stage variable that carries its own scheme, as in
  // `https://${stageVariables.backendUrl}` with backendUrl=http://127.0.0.1:8080, keeps the inner scheme,
  // so a local plain-HTTP server can stand in for an HTTPS host.
  uri = uri.replace(/^https?:\/\/(?=https?:\/\/)/i, '');
  let url: URL;
  try {
    // WHATWG URL reads `http:///x` as host `x`: an empty authority (an undefined stage variable) is refused first.
    if (!/^https?:\/\/[^/?#]/i.test(uri)) throw new Error('no host');
    url = new URL(uri);
  } catch {
    return configError(`invalid endpoint address: ${uri} (from Uri ${integration.Uri})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return configError(`invalid endpoint address: ${uri} (not http or https)`);
  const endpointHost = url.host;

  // 2. A VPC link goes to the local target given for its id, load balancer ARN or DNS name.
  if ((integration.ConnectionType ?? 'INTERNET').toUpperCase() === 'VPC_LINK') {
    const target = vpcLinkTarget(input, url);
    if ('failure' in target) return target;
    const base = target.base;
    const basePath = base.pathname.replace(/\/+$/, '');
    url = new URL(`${base.protocol}//${base.host}${basePath}${url.pathname}${url.search}`);
  }

  // 3. The query string: the Uri's own, then (HTTP_PROXY) the client's, then the mapped ones, which replace
  // client parameters of the same name.
  const pairs: Array<[string, string]> = [];
  if (type === 'HTTP_PROXY') {
    for (const [name, values] of Object.entries(clientQuery(input))) {
      if (mapped.query[name] !== undefined) continue;
      for (const v of values) pairs.push([name, v]);
    }
  }
  for (const [name, values] of Object.entries(mapped.query)) for (const v of values) pairs.push([name, v]);
  const extra = pairs.map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`).join('&');
  const search = [url.search.replace(/^\?/, ''), extra].filter((s) => s.length > 0).join('&');

  // 4. Headers: HTTP_PROXY passes the client's (minus those API Gateway drops); HTTP custom sends only mapped
  // ones. Mapped headers replace client headers of the same name (any case): the library relies on it to set
  // X-Caller-Sub and Authorization for proxies (AWS documents the mapping, not this precedence in so many words).
  const headers: Record<string, string[]> = {};
  const set = (name: string, values: string[]) => {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
    headers[name] = values;
  };
  if (type === 'HTTP_PROXY') {
    for (const name of Object.keys(input.multiValueHeaders ?? input.headers)) {
      const values = headerValues(input.headers, input.multiValueHeaders, name) ?? [];
      if (isDroppedRequestHeader(type, name)) continue;
      if (name.toLowerCase() === 'authorization' && (input.authorizationType?.toUpperCase() === 'AWS_IAM' || values.some(isSigV4Authorization))) continue;
      set(name, values);
    }
  }
  for (const [name, values] of Object.entries(mapped.headers)) {
    if (!isDroppedRequestHeader(type, name)) set(name, values);
  }

  // 5. The body: the client's for HTTP_PROXY; the rendered template (or the passed-through body) for HTTP.
  let body = input.body;
  if (type === 'HTTP') {
    if (input.renderedBody !== undefined) {
      body = Buffer.isBuffer(input.renderedBody) ? input.renderedBody : Buffer.from(input.renderedBody, 'utf8');
    }
    // Content-Type of a custom integration request, unless mapped: the template's content type, else the
    // client's (it chose the template or passed through), else application/json (the emulator's choice; AWS
    // does not document it).
    const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    if (!hasContentType && body.length > 0) {
      set('Content-Type', [input.renderedContentType ?? headerValues(input.headers, undefined, 'content-type')?.[0] ?? 'application/json']);
    }
  }
  // Host is "overwritten to the integration endpoint": for a VPC link that is the Uri's host (the NLB's name),
  // which the local target receives as its Host too.
  set('Host', [endpointHost]);

  const integrationMethod = integration.IntegrationHttpMethod?.toUpperCase();
  const method = !integrationMethod || integrationMethod === 'ANY' ? input.method.toUpperCase() : integrationMethod;
  const timeoutMs = integration.TimeoutInMillis !== undefined ? Number(integration.TimeoutInMillis) : DEFAULT_TIMEOUT_MS;
  return {
    request: {
      method,
      url: `${url.protocol}//${url.host}${url.pathname}${search ? `?${search}` : ''}`,
      headers,
      body,
      timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
      insecureSkipVerification: String(integration.TlsConfig?.InsecureSkipVerification ?? false).toLowerCase() === 'true',
    },
  };
}

function configError(message: string): { failure: HttpRequestFailure } {
  return { failure: { message, gatewayResponseType: 'API_CONFIGURATION_ERROR' } };
}

function clientQuery(input: HttpRequestInput): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(input.query)) out[k] = [v];
  for (const [k, v] of Object.entries(input.multiValueQuery ?? {})) out[k] = v;
  return out;
}

/**
 * The local base URL for a VPC_LINK integration, looked up by (in order) the ConnectionId (after stage
 * variables, e.g. `${stageVariables.vpcLinkId}`), the IntegrationTarget (load balancer ARN, VPC link V2),
 * the Uri's host:port, then its host name.
 */
function vpcLinkTarget(input: HttpRequestInput, endpoint: URL): { base: URL } | { failure: HttpRequestFailure } {
  const { integration } = input;
  const connectionId = integration.ConnectionId ? substituteStageVariables(integration.ConnectionId, input.stageVariables) : undefined;
  const keys = [connectionId, integration.IntegrationTarget, endpoint.host, endpoint.hostname]
    .filter((k): k is string => k !== undefined && k.length > 0);
  const targets = input.vpcLinkTargets ?? {};
  const key = keys.find((k) => targets[k] !== undefined);
  if (key === undefined) {
    return {
      failure: {
        gatewayResponseType: 'INTEGRATION_FAILURE',
        message: `the emulator has no local target for VPC link ${connectionId ?? '(no ConnectionId)'}`
          + ` (${[integration.IntegrationTarget, endpoint.host].filter(Boolean).join(', ')}):`
          + ` give one with --vpc-link ${connectionId || endpoint.hostname}=http://127.0.0.1:PORT`,
      },
    };
  }
  try {
    const base = new URL(targets[key]);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
    return { base };
  } catch {
    return configError(`the local target for VPC link ${key} is not an http(s) URL: ${targets[key]}`);
  }
}
