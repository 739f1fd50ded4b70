import { Duration, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { HttpParameter } from '../http-parameter';
import { RequestTemplate } from '../request-template';
import { jsonString } from '../templates/escape';
import { checkStaticValue, staticHeaderValue } from '../templates/vtl';
import { HEADER_NAME, PARAM_NAME } from './names';
import { CorsAnswerParts, nonEmpty } from './service-responses';
import { checkUserTemplate, checkWrappedUserTemplate } from './user-template-check';

/** `{name}` in a URL, but not the `{...}` of `${stageVariables.x}` or of a token. */
const URL_PARAMETER = /(?<!\$)\{([^{}]*)\}/g;
const URL_STAGE_VARIABLE = /\$\{stageVariables\.([^}]*)\}/g;
const CONTENT_TYPE = 'method.response.header.Content-Type';
/** Backend 4xx statuses other than 404 (which answers 404), as a Java regex over the status code. */
export const BACKEND_CLIENT_ERROR = '4(?:0[0-35-9]|[1-9]\\d)';

/** What HttpRoute and PrivateVpcLinkRoute share: the backend call, custom mode and timeouts. */
export interface HttpBackendOptions {
  /**
   * Pass the request and response through untouched (HTTP_PROXY). With `false`, the integration is
   * HTTP (custom): request/response templates apply, and backend errors answer JSON: a backend 404
   * answers 404, other 4xx 400, and 5xx 502.
   * @default true
   */
  readonly proxy?: boolean;
  /**
   * The HTTP method of the backend call.
   * @default - the route's method (ANY stays ANY: the client's method is passed on)
   */
  readonly httpMethod?: string;
  /**
   * The request template (custom mode only), e.g. `RequestTemplate.fromFields({ name: Field.body('$.name') })`.
   * Requests of other content types than application/json are then refused with 415.
   * @default - the body is passed through
   */
  readonly requestTemplate?: RequestTemplate;
  /**
   * The template of successful (2xx) answers (custom mode only). You own its escaping.
   * @default - the backend's body is passed through
   */
  readonly responseTemplate?: string;
  /**
   * Integration request parameters, keyed by where they go: `header.X-Tenant`, `querystring.page` or
   * `path.id` (a `{id}` in the URL), e.g. `{ 'header.X-Request-Id': HttpParameter.fromContext('requestId') }`.
   * Path parameters in the URL are mapped automatically.
   * @default - only the URL's path parameters
   */
  readonly requestParameters?: { [destination: string]: HttpParameter };
  /**
   * Fixed headers sent to the backend, e.g. `{ 'X-Api-Version': '2' }`. Values cannot contain `'`, a line
   * break or another control character.
   * @default - none
   */
  readonly staticHeaders?: { [header: string]: string };
  /**
   * How long API Gateway waits for the backend: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
  /**
   * Allow a timeout over 29 s, for accounts whose integration timeout quota has been raised
   * (regional and private APIs only). Without the raised quota the deployment fails.
   * @default false
   */
  readonly allowTimeoutOverLimit?: boolean;
  /**
   * Send the caller's `Authorization` header, and any other header the route's authorizer reads its token
   * from, to the backend. On a route with an IAM, Cognito or Lambda authorizer these headers hold the
   * caller's credentials for this API (a SigV4 signature, a Cognito token, the Lambda authorizer's token),
   * which a backend, perhaps a third party, should not get: in proxy mode each is then replaced by the fixed
   * value `none` (not by an empty value, which API Gateway's parameter mapping may skip, leaving the token in
   * place). In custom mode API Gateway sends only the headers you map, and `true` maps these. To give the
   * backend its own credentials instead, set `Authorization` in `staticHeaders` or `requestParameters`.
   * @default - false on routes with an IAM, Cognito or Lambda authorizer, and in custom mode; true on
   * proxy routes without an authorizer (the request passes through untouched)
   */
  readonly forwardAuthorizationHeader?: boolean;
}

/** The integration options and method declarations of an HTTP backend. @internal */
export interface BuiltHttpIntegration {
  readonly type: apigw.IntegrationType;
  readonly integrationHttpMethod: string;
  readonly options: apigw.IntegrationOptions;
  readonly methodResponses?: apigw.MethodResponse[];
  readonly methodRequestParameters: { [param: string]: boolean };
}

/** What the route hands to `buildHttpIntegration`. @internal */
export interface HttpRouteContext {
  readonly route: string;
  readonly routeMethod: string;
  readonly path: string;
  readonly pathParameters: string[];
  readonly cacheKeyParameters?: string[];
  readonly cors: CorsAnswerParts;
  /** The authorization type of the route's method (its own, or the API's default). */
  readonly authorizationType: apigw.AuthorizationType;
  /** The headers the route's authorizer reads the caller's token from. */
  readonly authorizerIdentityHeaders: string[];
}

/**
 * What replaces the caller's Authorization header in proxy mode. Not empty: AWS documents no empty static
 * value, and LocalStack's parameter mapping (written against AWS) skips a mapping whose value is empty, which
 * in HTTP_PROXY would let the caller's header through; a mapped header does replace the caller's.
 */
export const NO_AUTHORIZATION = "'none'";
const AUTHORIZING_TYPES: string[] = [apigw.AuthorizationType.IAM, apigw.AuthorizationType.COGNITO, apigw.AuthorizationType.CUSTOM];
const AUTHORIZER_NAMES: { [type: string]: string } = {
  [apigw.AuthorizationType.IAM]: 'SigV4 signature of IAM authorization',
  [apigw.AuthorizationType.COGNITO]: 'Cognito authorizer\'s token',
  [apigw.AuthorizationType.CUSTOM]: 'Lambda authorizer\'s token',
};

/** The `{name}` parameters and `${stageVariables.x}` names a URL uses. @internal */
export function urlReferences(url: string): { parameters: string[]; stageVariables: string[] } {
  return {
    parameters: [...url.matchAll(URL_PARAMETER)].map((m) => m[1]),
    stageVariables: [...url.matchAll(URL_STAGE_VARIABLE)].map((m) => m[1]),
  };
}

/** Checks a backend URL against the route: scheme, `{param}`s and stage variable names. @internal */
export function checkBackendUrl(route: string, url: string, pathParameters: string[], what = 'url'): string[] {
  if (typeof url !== 'string' || url === '') throw new Error(`${route}: ${what} is required, e.g. 'https://api.example.com/{proxy}'`);
  if (!Token.isUnresolved(url.split('/')[0]) && !/^https?:\/\//.test(url) && !url.startsWith('${stageVariables.')) {
    throw new Error(`${route}: ${what} '${url}' must start with https:// or http://`);
  }
  const refs = urlReferences(url);
  for (const p of refs.parameters) {
    if (p.endsWith('+')) {
      throw new Error(`${route}: ${what} uses {${p}}: write {${p.slice(0, -1)}} in the URL (the + belongs only in the route path)`);
    }
    if (!pathParameters.includes(p)) {
      throw new Error(`${route}: ${what} uses {${p}}, which is not a path parameter of the route: use one of ` +
        (pathParameters.length ? pathParameters.map((x) => `{${x}}`).join(', ') : 'none (the route path has no parameters)') +
        ', or add it to the route path');
    }
  }
  for (const v of refs.stageVariables) {
    if (!/^[A-Za-z0-9_]+$/.test(v)) throw new Error(`${route}: ${what} uses \${stageVariables.${v}}: stage variable names are letters, digits and _`);
  }
  return refs.parameters;
}

/** Rejects a timeout outside 50 ms..29 s (or below 50 ms only, when the user raised the quota). @internal */
export function checkHttpTimeout(route: string, timeout: Duration | undefined, allowOverLimit: boolean | undefined): void {
  if (!timeout || timeout.isUnresolved()) return;
  const ms = timeout.toMilliseconds();
  if (ms < 50) throw new Error(`${route}: integration timeout ${ms} ms is under API Gateway's 50 ms minimum: use 50 ms or more`);
  if (ms > 29000 && !allowOverLimit) {
    throw new Error(`${route}: integration timeout ${ms} ms is over API Gateway's default 29 s: use at most 29 s, or set ` +
      'allowTimeoutOverLimit: true if your account has a raised integration timeout quota');
  }
}

/** The JSON error body of a mapped backend error, with the request id. @internal */
export function httpErrorTemplate(message: string): string {
  return `{"message": "${message}", "requestId": ${jsonString('$context.requestId')}}`;
}

/**
 * Keeps the caller's credentials (Authorization and the headers the authorizer reads) from the backend unless
 * the route says otherwise: replaces them in proxy mode, maps them in custom mode only on request, and refuses
 * mappings that contradict the choice.
 */
function checkAuthorizationForwarding(
  ctx: HttpRouteContext, options: HttpBackendOptions, proxy: boolean,
  requestParameters: { [k: string]: string }, methodRequestParameters: { [k: string]: boolean },
): void {
  const { route } = ctx;
  const explicit = options.forwardAuthorizationHeader;
  if (explicit !== undefined && typeof explicit !== 'boolean') {
    throw new Error(`${route}: forwardAuthorizationHeader must be a boolean (true or false), got ${typeof explicit}`);
  }
  const authorizer = AUTHORIZING_TYPES.includes(ctx.authorizationType) ? AUTHORIZER_NAMES[ctx.authorizationType] : undefined;
  const credentialHeaders: string[] = [];
  for (const h of ['Authorization', ...(authorizer ? ctx.authorizerIdentityHeaders : [])]) {
    if (!credentialHeaders.some((x) => x.toLowerCase() === h.toLowerCase())) credentialHeaders.push(h);
  }
  const destination = (key: string) => key.slice('integration.request.'.length);
  const setBy = (header: string) => Object.keys(requestParameters).find((k) => k.toLowerCase() === `integration.request.header.${header.toLowerCase()}`);
  for (const header of credentialHeaders) {
    const set = setBy(header);
    if (explicit === true && set) {
      throw new Error(`${route}: forwardAuthorizationHeader: true sends the caller's ${header} header, but requestParameters or ` +
        `staticHeaders also set ${destination(set)}: remove one of them`);
    }
    const reads = Object.entries(requestParameters).find(([, v]) => v.toLowerCase() === `method.request.header.${header.toLowerCase()}`);
    if (reads && (explicit === false || (authorizer && explicit === undefined))) {
      const why = authorizer ? `it holds the caller's credentials for this API (the ${authorizer})` : 'forwardAuthorizationHeader is false';
      throw new Error(`${route}: requestParameters '${destination(reads[0])}' sends the caller's ${header} header to the backend, ` +
        `but ${why}: set forwardAuthorizationHeader: true to send it on purpose, or map another value`);
    }
  }
  const forward = explicit ?? (proxy && !authorizer);
  for (const header of credentialHeaders.filter((h) => !setBy(h))) {
    if (proxy && !forward) {
      requestParameters[`integration.request.header.${header}`] = NO_AUTHORIZATION;
    } else if (!proxy && forward) {
      requestParameters[`integration.request.header.${header}`] = `method.request.header.${header}`;
      methodRequestParameters[`method.request.header.${header}`] = false;
    }
  }
}

/** Builds the integration for an HTTP backend (public or over a VPC link). @internal */
export function buildHttpIntegration(ctx: HttpRouteContext, options: HttpBackendOptions, urlParameters: string[]): BuiltHttpIntegration {
  const { route } = ctx;
  const proxy = options.proxy ?? true;
  checkHttpTimeout(route, options.timeout, options.allowTimeoutOverLimit);
  if (proxy && options.requestTemplate) throw new Error(`${route}: requestTemplate needs proxy: false (a proxy integration passes the request untouched)`);
  if (proxy && options.responseTemplate !== undefined) throw new Error(`${route}: responseTemplate needs proxy: false (a proxy integration passes the answer untouched)`);
  if (options.requestTemplate !== undefined && !(options.requestTemplate instanceof RequestTemplate)) {
    throw new Error(`${route}: requestTemplate must be a RequestTemplate, e.g. RequestTemplate.fromString(vtl)`);
  }
  const integrationHttpMethod = (options.httpMethod ?? ctx.routeMethod).toUpperCase();
  if (!['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(integrationHttpMethod)) {
    throw new Error(`${route}: httpMethod '${options.httpMethod}' is not an HTTP method: use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY`);
  }

  const requestParameters: { [k: string]: string } = {};
  const methodRequestParameters: { [k: string]: boolean } = {};
  for (const p of urlParameters) requestParameters[`integration.request.path.${p}`] = `method.request.path.${p}`;
  for (const [destination, parameter] of Object.entries(options.requestParameters ?? {})) {
    const m = /^(header|querystring|path)\.(.+)$/.exec(destination);
    if (!m || !(m[1] === 'header' ? HEADER_NAME : PARAM_NAME).test(m[2])) {
      throw new Error(`${route}: requestParameters key '${destination}' must be header.<Name>, querystring.<name> or path.<name>`);
    }
    if (!(parameter instanceof HttpParameter)) throw new Error(`${route}: requestParameters '${destination}' must be an HttpParameter, e.g. HttpParameter.fromHeader('X-Id')`);
    if (m[1] === 'path' && !urlParameters.includes(m[2])) {
      throw new Error(`${route}: requestParameters '${destination}' sets a path parameter the URL does not use: add {${m[2]}} to the URL`);
    }
    const key = `integration.request.${destination}`;
    if (key in requestParameters) throw new Error(`${route}: requestParameters '${destination}' is already mapped from the URL's {${m[2]}}`);
    if (parameter._methodLocation === 'path' && !ctx.pathParameters.includes(parameter._methodName!)) {
      throw new Error(`${route}: HttpParameter.fromPath('${parameter._methodName}') is not a path parameter of the route`);
    }
    if (parameter._staticValue !== undefined) {
      checkStaticValue(route, `requestParameters '${destination}' (HttpParameter.staticValue)`, parameter._staticValue);
    }
    if (parameter._methodLocation && parameter._methodLocation !== 'path') methodRequestParameters[parameter._expression] = false;
    requestParameters[key] = parameter._expression;
  }
  for (const [header, value] of Object.entries(options.staticHeaders ?? {})) {
    if (!HEADER_NAME.test(header)) throw new Error(`${route}: staticHeaders '${header}' is not a valid header name`);
    const key = `integration.request.header.${header}`;
    if (key in requestParameters) throw new Error(`${route}: header ${header} is set twice (requestParameters and staticHeaders): set it once`);
    if (typeof value !== 'string' || value.includes("'")) throw new Error(`${route}: staticHeaders '${header}' cannot contain a single quote: remove it`);
    requestParameters[key] = staticHeaderValue(route, `${header} (staticHeaders)`, value);
  }

  checkAuthorizationForwarding(ctx, options, proxy, requestParameters, methodRequestParameters);

  const base: apigw.IntegrationOptions = {
    requestParameters: Object.keys(requestParameters).length ? requestParameters : undefined,
    cacheKeyParameters: ctx.cacheKeyParameters,
    timeout: options.timeout,
  };
  if (proxy) {
    return { type: apigw.IntegrationType.HTTP_PROXY, integrationHttpMethod, options: base, methodRequestParameters };
  }

  const { cors } = ctx;
  const owner = { route, httpMethod: ctx.routeMethod, path: ctx.path };
  const successPlace = 'the response template of the 200 and 201 answers (responseTemplate, default response and selection pattern 201, application/json)';
  const userRequest = options.requestTemplate?._userVtl;
  if (userRequest !== undefined) checkUserTemplate(owner, 'the request template (requestTemplate, application/json)', userRequest);
  if (options.responseTemplate !== undefined) {
    checkUserTemplate(owner, successPlace, options.responseTemplate);
    checkWrappedUserTemplate(owner, successPlace, cors.templatePrefix + options.responseTemplate);
  }
  const template = options.requestTemplate?._render(route, ctx.pathParameters);
  const success = options.responseTemplate ?? (cors.templatePrefix ? '$input.body' : undefined);
  // A passed-through body keeps the backend's Content-Type; without this mapping API Gateway answers with
  // the template's application/json (or its default) whatever the backend sent.
  const passthrough = options.responseTemplate === undefined;
  const keepContentType: { [k: string]: string } = passthrough ? { [CONTENT_TYPE]: 'integration.response.header.Content-Type' } : {};
  const response = (statusCode: string, selectionPattern: string | undefined, body: string | undefined,
    extra: { [k: string]: string } = {}): apigw.IntegrationResponse => ({
    statusCode,
    selectionPattern,
    responseParameters: nonEmpty({ ...cors.responseParameters, ...extra }),
    responseTemplates: body !== undefined ? { 'application/json': cors.templatePrefix + body } : undefined,
  });
  // HTTP integrations select responses by the backend's status code; the patterns never overlap, since
  // API Gateway does not define which of two matching patterns wins.
  const integrationResponses = [
    response('200', undefined, success, keepContentType),
    response('201', '201', success, keepContentType),
    response('204', '204', cors.templatePrefix ? '' : undefined),
    response('400', BACKEND_CLIENT_ERROR, httpErrorTemplate('The backend rejected the request')),
    response('404', '404', httpErrorTemplate('Not found')),
    response('502', '5\\d{2}', httpErrorTemplate('The backend failed')),
  ];
  const withBody = passthrough ? ['200', '201'] : [];
  return {
    type: apigw.IntegrationType.HTTP,
    integrationHttpMethod,
    options: {
      ...base,
      requestTemplates: template !== undefined ? { 'application/json': template } : undefined,
      passthroughBehavior: template !== undefined ? apigw.PassthroughBehavior.NEVER : apigw.PassthroughBehavior.WHEN_NO_TEMPLATES,
      integrationResponses,
    },
    methodResponses: ['200', '201', '204', '400', '404', '502'].map((statusCode) => ({
      statusCode,
      responseParameters: nonEmpty({ ...cors.declared, ...(withBody.includes(statusCode) ? { [CONTENT_TYPE]: true } : {}) }),
    })),
    methodRequestParameters,
  };
}
