process.env.CDK_VALIDATION = 'false';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { HttpBackendOptions, HttpParameter, HttpRoute, PrivateVpcLinkRoute, RouteAuthorization } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, newFunction, newStack } from './util';

/**
 * What HttpRoute and PrivateVpcLinkRoute send the backend in the Authorization header (issue 11, B9) and
 * which Content-Type a passed-through answer keeps (B11), read from the synthesized methods.
 */

const AUTHORIZATION = 'integration.request.header.Authorization';
const CONTENT_TYPE = 'method.response.header.Content-Type';

type RouteKind = 'HttpRoute' | 'PrivateVpcLinkRoute';
type AuthKind = 'none' | 'iam' | 'cognito' | 'lambdaToken' | 'lambdaRequest' | 'existingCognito' | 'apiDefaultCognito'
  | 'cognitoIdTokenHeader' | 'lambdaRequestOwnHeaders' | 'existingTokenHeader';
const AUTH_KINDS: AuthKind[] = ['none', 'iam', 'cognito', 'lambdaToken', 'lambdaRequest', 'existingCognito', 'apiDefaultCognito'];

/** One route of `kind` on a fresh API, authorized as `auth`; returns the stack to synthesize. */
function routeWith(kind: RouteKind, auth: AuthKind, options: HttpBackendOptions & { cors?: boolean } = {}): Stack {
  const stack = newStack();
  const pool = new cognito.UserPool(stack, 'Pool');
  // Authorizers that are created must be used (aws-cdk-lib refuses an unattached one): create them on demand.
  const existing = () => new apigw.CognitoUserPoolsAuthorizer(stack, 'Existing', { cognitoUserPools: [pool] });
  const api = new apigw.RestApi(stack, 'Api', auth === 'apiDefaultCognito'
    ? { defaultMethodOptions: { authorizer: existing(), authorizationType: apigw.AuthorizationType.COGNITO } }
    : {});
  const fn = () => newFunction(stack, 'AuthFn');
  const authorization = {
    none: () => RouteAuthorization.none(),
    iam: () => RouteAuthorization.iam(),
    cognito: () => RouteAuthorization.cognito([pool]),
    lambdaToken: () => RouteAuthorization.lambdaToken(fn()),
    lambdaRequest: () => RouteAuthorization.lambdaRequest(fn(), { identitySources: [apigw.IdentitySource.header('Authorization')] }),
    existingCognito: () => RouteAuthorization.authorizer(existing()),
    apiDefaultCognito: () => undefined,
    // Authorizers that read the token from headers of their own.
    cognitoIdTokenHeader: () => RouteAuthorization.cognito([pool], { identitySource: apigw.IdentitySource.header('X-Id-Token') }),
    lambdaRequestOwnHeaders: () => RouteAuthorization.lambdaRequest(fn(), {
      identitySources: [apigw.IdentitySource.header('X-Api-Token'), apigw.IdentitySource.queryString('tenant'), apigw.IdentitySource.header('authorization')],
    }),
    existingTokenHeader: () => RouteAuthorization.authorizer(new apigw.TokenAuthorizer(stack, 'Token', {
      handler: fn(), identitySource: apigw.IdentitySource.header('X-Token'),
    })),
  }[auth]();
  const { cors, ...backend } = options;
  const common = {
    api, path: '/things/{id}', method: 'GET', authorization,
    cors: cors ? { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } : undefined,
    ...backend,
  };
  if (kind === 'HttpRoute') {
    new HttpRoute(stack, 'Route', { ...common, url: 'https://third-party.example.com/things/{id}' });
  } else {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    new PrivateVpcLinkRoute(stack, 'Route', { ...common, loadBalancer: new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc }) });
  }
  return stack;
}

const methodOf = (stack: Stack): Json => methodAt(Template.fromStack(stack), '/things/{id}', 'GET');

describe.each<RouteKind>(['HttpRoute', 'PrivateVpcLinkRoute'])('%s: the caller\'s Authorization header (B9)', (kind) => {
  test.each(AUTH_KINDS)('proxy mode, %s: replaced by a fixed value when an authorizer checked it, passed through otherwise', (auth) => {
    const method = methodOf(routeWith(kind, auth));
    expect(method.Integration.Type).toBe('HTTP_PROXY');
    const expected = auth === 'none' ? undefined : "'none'";
    expect(method.Integration.RequestParameters[AUTHORIZATION]).toBe(expected);
    // The override is a static value: no method request parameter is read for it.
    expect(method.RequestParameters['method.request.header.Authorization']).toBeUndefined();
  });

  test.each(AUTH_KINDS)('custom mode, %s: not mapped (API Gateway sends only mapped headers)', (auth) => {
    const method = methodOf(routeWith(kind, auth, { proxy: false }));
    expect(method.Integration.Type).toBe('HTTP');
    expect(method.Integration.RequestParameters?.[AUTHORIZATION]).toBeUndefined();
  });

  test('forwardAuthorizationHeader: true passes the token through in proxy mode and maps it in custom mode', () => {
    expect(methodOf(routeWith(kind, 'cognito', { forwardAuthorizationHeader: true })).Integration.RequestParameters[AUTHORIZATION]).toBeUndefined();
    const custom = methodOf(routeWith(kind, 'cognito', { proxy: false, forwardAuthorizationHeader: true }));
    expect(custom.Integration.RequestParameters[AUTHORIZATION]).toBe('method.request.header.Authorization');
    expect(custom.RequestParameters['method.request.header.Authorization']).toBe(false);
  });

  test('forwardAuthorizationHeader: false strips the header of an open proxy route too', () => {
    expect(methodOf(routeWith(kind, 'none', { forwardAuthorizationHeader: false })).Integration.RequestParameters[AUTHORIZATION]).toBe("'none'");
  });

  test('the backend\'s own credentials in staticHeaders replace the caller\'s token, and no fixed value is added', () => {
    const method = methodOf(routeWith(kind, 'cognito', { staticHeaders: { Authorization: 'Bearer backend-key' } }));
    expect(method.Integration.RequestParameters[AUTHORIZATION]).toBe("'Bearer backend-key'");
    expect(Object.values(method.Integration.RequestParameters)).not.toContain("'none'");
  });
});

describe.each<RouteKind>(['HttpRoute', 'PrivateVpcLinkRoute'])('%s: the headers an authorizer reads its token from (B9)', (kind) => {
  const headersOf = (method: Json) => Object.entries(method.Integration.RequestParameters ?? {})
    .filter(([k]) => k.startsWith('integration.request.header.')).sort();

  test.each<[AuthKind, string[]]>([
    ['cognitoIdTokenHeader', ['Authorization', 'X-Id-Token']],
    ['lambdaRequestOwnHeaders', ['Authorization', 'X-Api-Token']],
    ['existingTokenHeader', ['Authorization', 'X-Token']],
  ])('proxy mode, %s: Authorization and each identity-source header are replaced', (auth, headers) => {
    expect(headersOf(methodOf(routeWith(kind, auth)))).toEqual(headers.map((h) => [`integration.request.header.${h}`, "'none'"]));
  });

  test('custom mode with forwardAuthorizationHeader: true maps and declares each of them', () => {
    const method = methodOf(routeWith(kind, 'cognitoIdTokenHeader', { proxy: false, forwardAuthorizationHeader: true }));
    expect(headersOf(method)).toEqual([
      ['integration.request.header.Authorization', 'method.request.header.Authorization'],
      ['integration.request.header.X-Id-Token', 'method.request.header.X-Id-Token'],
    ]);
    expect(method.RequestParameters).toEqual(expect.objectContaining({
      'method.request.header.Authorization': false, 'method.request.header.X-Id-Token': false,
    }));
  });

  test('mapping an identity-source header to the backend needs forwardAuthorizationHeader: true', () => {
    expect(errorOf(() => routeWith(kind, 'existingTokenHeader', { requestParameters: { 'header.X-Upstream': HttpParameter.fromHeader('x-token') } })))
      .toBe("Route Stack/Route: requestParameters 'header.X-Upstream' sends the caller's X-Token header to the backend, but it holds the caller's " +
        "credentials for this API (the Lambda authorizer's token): set forwardAuthorizationHeader: true to send it on purpose, or map another value");
  });
});

describe('the caller\'s Authorization header: misuse names the route and the fix', () => {
  test.each<[string, AuthKind, HttpBackendOptions, string]>([
    ['a Cognito route that maps the caller\'s token to the backend', 'cognito',
      { proxy: false, requestParameters: { 'header.X-Token': HttpParameter.fromHeader('Authorization') } },
      "Route Stack/Route: requestParameters 'header.X-Token' sends the caller's Authorization header to the backend, but it holds the " +
      "caller's credentials for this API (the Cognito authorizer's token): set forwardAuthorizationHeader: true to send it on purpose, or map another value"],
    ['a Lambda-authorized proxy route that maps it back', 'lambdaToken',
      { requestParameters: { 'header.Authorization': HttpParameter.fromHeader('authorization') } },
      "Route Stack/Route: requestParameters 'header.Authorization' sends the caller's Authorization header to the backend, but it holds the " +
      "caller's credentials for this API (the Lambda authorizer's token): set forwardAuthorizationHeader: true to send it on purpose, or map another value"],
    ['an IAM route that maps it', 'iam',
      { requestParameters: { 'header.X-Sig': HttpParameter.fromHeader('Authorization') } },
      "Route Stack/Route: requestParameters 'header.X-Sig' sends the caller's Authorization header to the backend, but it holds the " +
      "caller's credentials for this API (the SigV4 signature of IAM authorization): set forwardAuthorizationHeader: true to send it on purpose, or map another value"],
    ['forwardAuthorizationHeader: false beside a mapping of the header', 'none',
      { forwardAuthorizationHeader: false, requestParameters: { 'header.Authorization': HttpParameter.fromHeader('Authorization') } },
      "Route Stack/Route: requestParameters 'header.Authorization' sends the caller's Authorization header to the backend, but " +
      'forwardAuthorizationHeader is false: set forwardAuthorizationHeader: true to send it on purpose, or map another value'],
    ['forwardAuthorizationHeader: true beside a static Authorization', 'cognito',
      { forwardAuthorizationHeader: true, staticHeaders: { authorization: 'Bearer backend-key' } },
      "Route Stack/Route: forwardAuthorizationHeader: true sends the caller's Authorization header, but requestParameters or staticHeaders " +
      'also set header.authorization: remove one of them'],
    ['a string where a boolean belongs (JavaScript and jsii callers)', 'cognito',
      { forwardAuthorizationHeader: 'yes' as any },
      'Route Stack/Route: forwardAuthorizationHeader must be a boolean (true or false), got string'],
  ])('%s', (_, auth, options, message) => {
    expect(errorOf(() => routeWith('HttpRoute', auth, options))).toBe(message);
    expect(errorOf(() => routeWith('PrivateVpcLinkRoute', auth, options))).toBe(message);
  });

  test('an open custom route may map the caller\'s header on purpose', () => {
    const method = methodOf(routeWith('HttpRoute', 'none', { proxy: false, requestParameters: { 'header.Authorization': HttpParameter.fromHeader('Authorization') } }));
    expect(method.Integration.RequestParameters[AUTHORIZATION]).toBe('method.request.header.Authorization');
  });
});

describe.each<RouteKind>(['HttpRoute', 'PrivateVpcLinkRoute'])('%s: a passed-through answer keeps the backend\'s Content-Type (B11)', (kind) => {
  const statuses = (method: Json) => method.Integration.IntegrationResponses.map((r: Json) => [r.StatusCode, r.ResponseParameters?.[CONTENT_TYPE]]);
  const declared = (method: Json) => method.MethodResponses.map((r: Json) => [r.StatusCode, r.ResponseParameters?.[CONTENT_TYPE]]);
  const BODY_STATUSES = [['200', 'integration.response.header.Content-Type'], ['201', 'integration.response.header.Content-Type'],
    ['204', undefined], ['400', undefined], ['404', undefined], ['502', undefined]];

  test('custom mode without a response template: 200 and 201 map and declare Content-Type; the JSON error answers do not', () => {
    const method = methodOf(routeWith(kind, 'cognito', { proxy: false }));
    expect(statuses(method)).toEqual(BODY_STATUSES);
    expect(declared(method)).toEqual(BODY_STATUSES.map(([s, v]) => [s, v ? true : undefined]));
  });

  test('with CORS both mappings coexist, and the reflecting template passes an HTML body through untouched', () => {
    const method = methodOf(routeWith(kind, 'none', { proxy: false, cors: true }));
    expect(statuses(method)).toEqual(BODY_STATUSES);
    for (const r of method.Integration.IntegrationResponses) {
      expect(r.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBeDefined();
    }
    for (const r of method.MethodResponses) {
      expect(r.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(true);
    }
    const html = '<!doctype html><p class="x">it\'s \\ "quoted" ünï</p>\n';
    const ok = method.Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
    const result = MappingTemplate.renderWithOverrides(ok, { body: html, headers: { Origin: 'https://a.example.com' } });
    expect(result.output).toBe(html);
  });

  test('a response template of the route\'s own writes JSON: no Content-Type mapping', () => {
    const method = methodOf(routeWith(kind, 'none', { proxy: false, responseTemplate: '{"wrapped": $input.json(\'$\')}' }));
    expect(statuses(method).every(([, v]: [string, unknown]) => v === undefined)).toBe(true);
    expect(declared(method).every(([, v]: [string, unknown]) => v === undefined)).toBe(true);
  });

  test('proxy mode has no integration responses to change (API Gateway passes the backend\'s headers)', () => {
    expect(methodOf(routeWith(kind, 'none')).Integration.IntegrationResponses).toBeUndefined();
  });
});
