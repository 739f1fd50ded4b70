process.env.CDK_VALIDATION = 'false';

import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaProxyRoute, MockRoute, RouteAuthorization } from '../lib';
import { errorOf, Json, methodAt, newFunction, newStack, resourcesOfType } from './util';

const ref = (stack: Stack, construct: { node: { defaultChild?: any } } | apigw.IAuthorizer) =>
  ({ Ref: stack.getLogicalId(((construct as any).node.defaultChild ?? construct) as any) });

function authorizers(template: Template): Json[] {
  return resourcesOfType(template, 'AWS::ApiGateway::Authorizer').map(([, p]) => p);
}

describe('authorization on one API with a default Cognito authorizer', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const tokenFn = newFunction(stack, 'TokenFn');
  const requestFn = newFunction(stack, 'RequestFn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const otherPool = new cognito.UserPool(stack, 'OtherPool');
  const defaultAuthorizer = new apigw.CognitoUserPoolsAuthorizer(stack, 'DefaultAuthorizer', { cognitoUserPools: [otherPool] });
  const api = new apigw.RestApi(stack, 'Api', {
    defaultMethodOptions: { authorizationType: apigw.AuthorizationType.COGNITO, authorizer: defaultAuthorizer, authorizationScopes: ['default/scope'] },
  });
  const existing = new apigw.TokenAuthorizer(stack, 'Existing', { handler: newFunction(stack, 'ExistingFn') });
  const route = (id: string, path: string, authorization?: RouteAuthorization, method = 'GET') =>
    new LambdaProxyRoute(stack, id, { api, path, method, handler: fn, authorization });

  route('Default', '/default');
  route('Open', '/open', RouteAuthorization.none());
  route('Iam', '/iam', RouteAuthorization.iam());
  // Many routes over one pool: one authorizer, each route with its own scopes.
  route('Private', '/private', RouteAuthorization.cognito([pool], { scopes: ['orders/read', 'orders/admin'] }));
  route('PrivatePost', '/private', RouteAuthorization.cognito([pool], { scopes: ['orders/write'] }), 'POST');
  route('PrivateNoScopes', '/private/{id}', RouteAuthorization.cognito([pool]));
  route('PrivateEmptyScopes', '/private/{id}/x', RouteAuthorization.cognito([pool], { scopes: [] }));
  route('BothPools', '/both', RouteAuthorization.cognito([otherPool, pool]));
  route('BothPoolsAgain', '/both/{id}', RouteAuthorization.cognito([pool, otherPool], { resultsCacheTtl: Duration.minutes(1) }));
  for (let i = 0; i < 5; i++) route(`Token${i}`, `/token/t${i}`, RouteAuthorization.lambdaToken(tokenFn));
  route('TokenTuned', '/token-tuned', RouteAuthorization.lambdaToken(tokenFn, {
    identitySource: apigw.IdentitySource.header('X-Token'), validationRegex: '^Bearer .+$', resultsCacheTtl: Duration.seconds(0),
  }));
  const sources = [apigw.IdentitySource.header('Authorization'), apigw.IdentitySource.queryString('tenant')];
  route('Request', '/request', RouteAuthorization.lambdaRequest(requestFn, { identitySources: sources, resultsCacheTtl: Duration.hours(1) }));
  route('Request2', '/request/{id}', RouteAuthorization.lambdaRequest(requestFn, { identitySources: [...sources].reverse() }));
  route('UseExisting', '/existing', RouteAuthorization.authorizer(existing));
  route('UseExistingCognito', '/existing-cognito', RouteAuthorization.authorizer(defaultAuthorizer, { scopes: ['custom/scope'] }));
  new MockRoute(stack, 'MockPrivate', { api, path: '/mock', method: 'GET', authorization: RouteAuthorization.cognito([pool], { scopes: ['mock/read'] }) });
  const template = Template.fromStack(stack);
  const m = (path: string, method = 'GET') => methodAt(template, path, method);

  test('without authorization a route inherits the default authorizer and scopes', () => {
    expect(m('/default')).toMatchObject({
      AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: ref(stack, defaultAuthorizer), AuthorizationScopes: ['default/scope'],
    });
  });

  test('none() overrides the default authorizer', () => {
    const open = m('/open');
    expect(open.AuthorizationType).toBe('NONE');
    expect(open.AuthorizerId).toBeUndefined();
    expect(open.AuthorizationScopes).toBeUndefined();
  });

  test('iam() is AWS_IAM without an authorizer', () => {
    const iam = m('/iam');
    expect(iam.AuthorizationType).toBe('AWS_IAM');
    expect(iam.AuthorizerId).toBeUndefined();
    expect(iam.AuthorizationScopes).toBeUndefined();
  });

  test('cognito() with scopes: COGNITO_USER_POOLS with the route\'s own AuthorizationScopes', () => {
    const cognitoAuthorizer = m('/private').AuthorizerId;
    expect(m('/private')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['orders/read', 'orders/admin'] });
    expect(m('/private', 'POST')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['orders/write'], AuthorizerId: cognitoAuthorizer });
    expect(m('/mock')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['mock/read'], AuthorizerId: cognitoAuthorizer });
    expect(cognitoAuthorizer).not.toEqual(ref(stack, defaultAuthorizer));
  });

  test('cognito() without scopes (or with none listed) inherits the default scopes', () => {
    // aws-cdk-lib falls back to defaultMethodOptions.authorizationScopes when a method names none.
    expect(m('/private/{id}').AuthorizationScopes).toEqual(['default/scope']);
    expect(m('/private/{id}/x').AuthorizationScopes).toEqual(['default/scope']);
  });

  test('the Cognito authorizer lists the pools, and one per pool set however they are ordered', () => {
    const cognitoAuthorizers = authorizers(template).filter((a) => a.Type === 'COGNITO_USER_POOLS');
    // The default one, one for [pool], one for [pool, otherPool] in either order.
    expect(cognitoAuthorizers).toHaveLength(3);
    expect(m('/both').AuthorizerId).toEqual(m('/both/{id}').AuthorizerId);
    const poolArn = (p: cognito.UserPool) => ({ 'Fn::GetAtt': [stack.getLogicalId(p.node.defaultChild as cognito.CfnUserPool), 'Arn'] });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS', ProviderARNs: [poolArn(pool)], IdentitySource: 'method.request.header.Authorization',
    });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [poolArn(otherPool), poolArn(pool)] });
  });

  test('lambdaToken(): one TOKEN authorizer per function and options, CUSTOM on the methods', () => {
    const tokenAuthorizers = authorizers(template).filter((a) => a.Type === 'TOKEN');
    // One for the 5 plain routes, one with other options, and the existing one.
    expect(tokenAuthorizers).toHaveLength(3);
    const ids = new Set([0, 1, 2, 3, 4].map((i) => JSON.stringify(m(`/token/t${i}`).AuthorizerId)));
    expect(ids.size).toBe(1);
    for (let i = 0; i < 5; i++) expect(m(`/token/t${i}`).AuthorizationType).toBe('CUSTOM');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN', IdentitySource: 'method.request.header.X-Token', IdentityValidationExpression: '^Bearer .+$', AuthorizerResultTtlInSeconds: 0,
    });
    expect(m('/token-tuned').AuthorizerId).not.toEqual(m('/token/t0').AuthorizerId);
  });

  test('lambdaRequest(): one REQUEST authorizer with the identity sources, whatever their order', () => {
    const requestAuthorizers = authorizers(template).filter((a) => a.Type === 'REQUEST');
    expect(requestAuthorizers).toHaveLength(1);
    expect(requestAuthorizers[0]).toMatchObject({
      IdentitySource: 'method.request.header.Authorization,method.request.querystring.tenant',
      AuthorizerResultTtlInSeconds: 3600,
    });
    expect(m('/request').AuthorizationType).toBe('CUSTOM');
    expect(m('/request').AuthorizerId).toEqual(m('/request/{id}').AuthorizerId);
  });

  test('authorizer(existing) uses that authorizer; a Cognito one keeps its scopes', () => {
    expect(m('/existing')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: ref(stack, existing) });
    expect(m('/existing').AuthorizationScopes).toBeUndefined();
    expect(m('/existing-cognito')).toMatchObject({
      AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: ref(stack, defaultAuthorizer), AuthorizationScopes: ['custom/scope'],
    });
  });

  test('the API has exactly the authorizers it needs', () => {
    // default Cognito, [pool], [pool, otherPool], token, tuned token, request, existing token.
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 7);
  });

  test('each authorizer function may be invoked by API Gateway once per authorizer; the backend once', () => {
    const fnArn = (f: lambda.Function) => JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(f.node.defaultChild as lambda.CfnFunction), 'Arn'] });
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => JSON.stringify(p.FunctionName));
    expect(permissions.filter((p) => p === fnArn(fn))).toHaveLength(1);
    // tokenFn backs two authorizers (different options), requestFn one.
    expect(permissions.filter((p) => p === fnArn(tokenFn))).toHaveLength(2);
    expect(permissions.filter((p) => p === fnArn(requestFn))).toHaveLength(1);
  });
});

describe('authorizers across APIs', () => {
  test('the same pool and function on two APIs: one authorizer of each kind per API', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const pool = new cognito.UserPool(stack, 'Pool');
    for (const name of ['Api1', 'Api2']) {
      const api = new apigw.RestApi(stack, name);
      for (let i = 0; i < 3; i++) {
        new MockRoute(stack, `${name}C${i}`, { api, path: `/c${i}`, method: 'GET', authorization: RouteAuthorization.cognito([pool]) });
        new MockRoute(stack, `${name}T${i}`, { api, path: `/t${i}`, method: 'GET', authorization: RouteAuthorization.lambdaToken(fn) });
      }
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 4);
    const perApi = new Map<string, string[]>();
    for (const a of authorizers(template)) perApi.set(a.RestApiId.Ref, [...(perApi.get(a.RestApiId.Ref) ?? []), a.Type].sort());
    expect([...perApi.values()]).toEqual([['COGNITO_USER_POOLS', 'TOKEN'], ['COGNITO_USER_POOLS', 'TOKEN']]);
  });
});

describe('authorization misuse', () => {
  function route(authorization: () => RouteAuthorization, stack = newStack()): string {
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, 'GetOrder', { api, path: '/orders', method: 'GET', authorization: authorization() }));
  }

  test('scopes with a non-Cognito authorizer', () => {
    const stack = newStack();
    const tokenAuthorizer = new apigw.TokenAuthorizer(stack, 'Token', { handler: newFunction(stack, 'Fn') });
    expect(route(() => RouteAuthorization.authorizer(tokenAuthorizer, { scopes: ['orders/read'] }), stack)).toMatch(
      /^Route Stack\/GetOrder: authorization scopes need a Cognito user pools authorizer, but this authorizer is CUSTOM: remove the scopes or use RouteAuthorization\.cognito\(userPools, \{ scopes \}\)/,
    );
  });

  test('lambdaRequest without identity sources', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    expect(route(() => RouteAuthorization.lambdaRequest(fn, { identitySources: [] }), stack)).toMatch(
      /^Route Stack\/GetOrder: a Lambda REQUEST authorizer needs at least one identity source, e\.g\. apigw\.IdentitySource\.header\('Authorization'\)/,
    );
    expect(() => RouteAuthorization.lambdaRequest(fn, {} as any)).toThrow(/^RouteAuthorization\.lambdaRequest: options\.identitySources is required: give a list of identity sources such as \[apigw\.IdentitySource\.header\('Authorization'\)\] \(got undefined\)$/);
  });

  test('an authorizer cache TTL over 1 hour', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    expect(route(() => RouteAuthorization.lambdaToken(fn, { resultsCacheTtl: Duration.seconds(3601) }), stack)).toMatch(
      /^Route Stack\/GetOrder: the authorizer results cache TTL is 3601 s; API Gateway allows at most 3600 s/,
    );
    expect(route(() => RouteAuthorization.lambdaRequest(fn, {
      identitySources: [apigw.IdentitySource.header('Authorization')], resultsCacheTtl: Duration.hours(2),
    }), newStack())).toMatch(/^Route Stack\/GetOrder: the authorizer results cache TTL is 7200 s; API Gateway allows at most 3600 s: use a resultsCacheTtl of 1 hour or less/);
    const pool = new cognito.UserPool(stack, 'Pool');
    expect(route(() => RouteAuthorization.cognito([pool], { resultsCacheTtl: Duration.hours(2) }), newStack())).toMatch(
      /^Route Stack\/GetOrder: the authorizer results cache TTL is 7200 s; API Gateway allows at most 3600 s: use a resultsCacheTtl of 1 hour or less/,
    );
  });

  test('cognito with no pools', () => {
    expect(() => RouteAuthorization.cognito([])).toThrow(/^RouteAuthorization\.cognito: pass at least one user pool/);
    expect(() => RouteAuthorization.cognito(undefined as any)).toThrow(/^RouteAuthorization\.cognito: userPools is required: give a list of user pools such as \[userPool\] \(got undefined\)$/);
  });

  test('an OPTIONS route with authorization or an API key', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const message = /^Route Stack\/Options\d?: an OPTIONS route must not require an API key or authorization: browsers send CORS preflights without credentials or keys/;
    expect(errorOf(() => new MockRoute(stack, 'Options', { api, path: '/a', method: 'OPTIONS', authorization: RouteAuthorization.iam() }))).toMatch(message);
    expect(errorOf(() => new MockRoute(stack, 'Options2', { api, path: '/b', method: 'OPTIONS', apiKeyRequired: true }))).toMatch(message);
    // none() is fine.
    new MockRoute(stack, 'Options3', { api, path: '/c', method: 'OPTIONS', authorization: RouteAuthorization.none() });
  });
});
