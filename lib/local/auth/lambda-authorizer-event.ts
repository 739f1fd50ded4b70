/**
 * The events API Gateway sends a Lambda authorizer.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
import { randomUUID } from 'node:crypto';
import { LocalRequest } from '../request';
import { headerValue } from './identity-source';
import { methodArn, MethodArnParts } from './method-arn';

export interface TokenAuthorizerEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken: string;
  readonly methodArn: string;
}

export interface RequestAuthorizerEvent {
  readonly type: 'REQUEST';
  readonly methodArn: string;
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly queryStringParameters: Record<string, string>;
  readonly multiValueQueryStringParameters: Record<string, string[]>;
  readonly pathParameters: Record<string, string>;
  readonly stageVariables: Record<string, string>;
  readonly requestContext: Record<string, unknown>;
}

export type LambdaAuthorizerEvent = TokenAuthorizerEvent | RequestAuthorizerEvent;

/** Where the request landed, beyond the request itself. */
export interface AuthorizerRequestContext {
  /** Region, account, API id, stage, verb and path of the method ARN. */
  readonly arn: MethodArnParts;
  /** The matched resource's path template, e.g. `/users/{id}`. */
  readonly resourcePath: string;
  /** The matched resource's id (the CloudFormation logical id or a local stand-in). */
  readonly resourceId?: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** `$context` variables by name, for `context.*` identity sources. */
  readonly contextVariables?: Readonly<Record<string, string>>;
  /**
   * The proxy event's `requestContext` for this request, when the core builds one (then the
   * authorizer sees the same ids and times as the integration). @default - built here
   */
  readonly requestContext?: Readonly<Record<string, unknown>>;
}

export function tokenAuthorizerEvent(token: string, ctx: AuthorizerRequestContext): TokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn: methodArn(ctx.arn) };
}

/** A `requestContext` of the shape the docs' REQUEST example shows, when the core gives none. */
function defaultRequestContext(request: LocalRequest, ctx: AuthorizerRequestContext): Record<string, unknown> {
  const now = new Date();
  const { arn } = ctx;
  return {
    resourceId: ctx.resourceId ?? 'local',
    resourcePath: ctx.resourcePath,
    httpMethod: request.method.toUpperCase(),
    extendedRequestId: randomUUID(),
    requestTime: now.toISOString(),
    path: `/${arn.stage}${request.path}`,
    accountId: arn.accountId,
    protocol: 'HTTP/1.1',
    stage: arn.stage,
    domainPrefix: arn.apiId,
    requestTimeEpoch: now.getTime(),
    requestId: randomUUID(),
    identity: {
      cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null,
      sourceIp: request.sourceIp, principalOrgId: null, accessKey: null, cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null, userArn: null, userAgent: headerValue(request.headers, 'User-Agent') ?? null, user: null,
      apiKey: headerValue(request.headers, 'x-api-key') ?? null,
    },
    domainName: `${arn.apiId}.execute-api.${arn.region}.amazonaws.com`,
    apiId: arn.apiId,
  };
}

/**
 * The REQUEST event. `path` is the path as sent without the stage and `requestContext.path` with
 * it, as in the proxy event; empty maps are sent as `{}` (the docs' example shows every map
 * present). Headers are single-valued in LocalRequest, so each multi-value list has one entry.
 */
export function requestAuthorizerEvent(request: LocalRequest, ctx: AuthorizerRequestContext): RequestAuthorizerEvent {
  const multi = (m: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [v]]));
  return {
    type: 'REQUEST',
    methodArn: methodArn(ctx.arn),
    resource: ctx.resourcePath,
    path: request.path,
    httpMethod: request.method.toUpperCase(),
    headers: { ...request.headers },
    multiValueHeaders: multi(request.headers),
    queryStringParameters: { ...request.query },
    multiValueQueryStringParameters: multi(request.query),
    pathParameters: { ...(ctx.pathParameters ?? {}) },
    stageVariables: { ...(ctx.stageVariables ?? {}) },
    requestContext: { ...(ctx.requestContext ?? defaultRequestContext(request, ctx)) },
  };
}
