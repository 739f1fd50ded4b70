/**
 * The Lambda proxy integration event, payload format 1.0, as API Gateway REST APIs build it.
 *
 * Format: "Input format of a Lambda function for proxy integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * (keys and their order as in that page's example; `requestContext` keys are the `$context` variables,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isBinaryMediaType } from '../content-handling';
import { LocalRequest } from '../request';

/** `requestContext.identity`: every key AWS sends, null when the request does not carry it. */
export interface ProxyEventIdentity {
  readonly cognitoIdentityPoolId: string | null;
  readonly accountId: string | null;
  readonly cognitoIdentityId: string | null;
  readonly caller: string | null;
  readonly apiKey: string | null;
  readonly apiKeyId: string | null;
  readonly accessKey: string | null;
  readonly sourceIp: string;
  readonly cognitoAuthenticationType: string | null;
  readonly cognitoAuthenticationProvider: string | null;
  readonly userArn: string | null;
  readonly userAgent: string | null;
  readonly user: string | null;
  readonly principalOrgId: string | null;
}

export interface ProxyEventRequestContext {
  readonly resourceId: string;
  readonly authorizer?: Record<string, unknown>;
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly extendedRequestId: string;
  readonly requestTime: string;
  readonly path: string;
  readonly accountId: string;
  readonly protocol: string;
  readonly stage: string;
  readonly domainPrefix: string;
  readonly requestTimeEpoch: number;
  readonly requestId: string;
  readonly identity: ProxyEventIdentity;
  readonly domainName: string;
  readonly apiId: string;
}

/** The event a proxy handler receives. */
export interface ProxyEventV1 {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string> | null;
  readonly multiValueHeaders: Record<string, string[]> | null;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: Record<string, string> | null;
  readonly stageVariables: Record<string, string> | null;
  readonly requestContext: ProxyEventRequestContext;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** What the gateway knows about the request beyond the request itself. */
export interface ProxyEventInput {
  readonly request: LocalRequest;
  /** The matched resource's path template, e.g. '/users/{id}' or '/{proxy+}'. */
  readonly resourcePath: string;
  /** The matched resource's id (the `AWS::ApiGateway::Resource` logical id works locally). */
  readonly resourceId: string;
  /** Path parameters, already URL-decoded; empty or absent gives `null` as on AWS. */
  readonly pathParameters?: Record<string, string>;
  readonly stage: string;
  /** The stage's variables; empty or absent gives `null` as on AWS. */
  readonly stageVariables?: Record<string, string>;
  readonly apiId: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default a random UUID */
  readonly requestId?: string;
  /** @default now */
  readonly requestTimeEpoch?: number;
  /**
   * `requestContext.authorizer`, left out when there is no authorizer. Shapes AWS sends:
   * Lambda authorizer `{ principalId, integrationLatency, ...context }`, Cognito `{ claims: {...} }`.
   */
  readonly authorizer?: Record<string, unknown>;
  /** Identity values the method request established (API key, IAM or Cognito identity). */
  readonly identity?: Partial<Omit<ProxyEventIdentity, 'sourceIp' | 'userAgent'>>;
  /**
   * Every value of a repeated query string parameter (`?a=1&a=2`), when the caller has them;
   * `queryStringParameters` then holds the last value, as on AWS. @default request.query, one value each
   */
  readonly multiValueQuery?: Record<string, string[]>;
  /** Every value of a repeated header, likewise (`headers` holds the last). @default request.headers */
  readonly multiValueHeaders?: Record<string, string[]>;
  /** The API's `BinaryMediaTypes`: a request whose Content-Type matches one gets a base64 body. */
  readonly binaryMediaTypes?: readonly string[];
}

/** Build the event API Gateway sends a Lambda proxy integration. */
export function buildProxyEvent(input: ProxyEventInput): ProxyEventV1 {
  const { request } = input;
  const region = input.region ?? 'us-east-1';
  const epoch = input.requestTimeEpoch ?? Date.now();
  const multiHeaders = input.multiValueHeaders ?? mapValues(request.headers, (v) => [v]);
  const multiQuery = input.multiValueQuery ?? mapValues(request.query, (v) => [v]);
  const headerNames = Object.keys(multiHeaders);
  const queryNames = Object.keys(multiQuery);
  // The request's own Host is what AWS reports as domainName; without one, the execute-api name.
  const domainName = headerValue(request.headers, 'host') ?? `${input.apiId}.execute-api.${region}.amazonaws.com`;
  const contentType = headerValue(request.headers, 'content-type');
  const binary = contentType !== undefined && isBinaryMediaType(contentType, input.binaryMediaTypes ?? []);
  const hasBody = request.body.length > 0;
  return {
    resource: input.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers: headerNames.length > 0 ? lastValues(multiHeaders) : null,
    multiValueHeaders: headerNames.length > 0 ? copyLists(multiHeaders) : null,
    queryStringParameters: queryNames.length > 0 ? lastValues(multiQuery) : null,
    multiValueQueryStringParameters: queryNames.length > 0 ? copyLists(multiQuery) : null,
    pathParameters: nonEmpty(input.pathParameters),
    stageVariables: nonEmpty(input.stageVariables),
    requestContext: {
      resourceId: input.resourceId,
      ...(input.authorizer ? { authorizer: input.authorizer } : {}),
      resourcePath: input.resourcePath,
      httpMethod: request.method,
      extendedRequestId: randomBytes(10).toString('base64'),
      requestTime: clfTime(epoch),
      path: `/${input.stage}${request.path}`,
      accountId: input.accountId ?? '123456789012',
      protocol: 'HTTP/1.1',
      stage: input.stage,
      domainPrefix: domainName.split('.')[0],
      requestTimeEpoch: epoch,
      requestId: input.requestId ?? randomUUID(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        apiKey: null,
        apiKeyId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        user: null,
        principalOrgId: null,
        ...input.identity,
        sourceIp: request.sourceIp,
        userAgent: headerValue(request.headers, 'user-agent') ?? null,
      },
      domainName,
      apiId: input.apiId,
    },
    // AWS sends null, not '', for a request without a body.
    body: hasBody ? (binary ? request.body.toString('base64') : request.body.toString('utf8')) : null,
    isBase64Encoded: hasBody && binary,
  };
}

/** `$context.requestTime`: CLF format, dd/MMM/yyyy:HH:mm:ss +0000. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lowerName);
  return key === undefined ? undefined : headers[key];
}

function nonEmpty(values: Record<string, string> | undefined): Record<string, string> | null {
  return values && Object.keys(values).length > 0 ? { ...values } : null;
}

function lastValues(values: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[v.length - 1]]));
}

function copyLists(values: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...v]]));
}

function mapValues<T>(values: Record<string, string>, f: (v: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, f(v)]));
}
