process.env.CDK_VALIDATION = 'false';

import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiCors, CorsOptions, LambdaProxyRoute, MockRoute, RouteAuthorization } from '../lib';
import { errorOf, Json, methodAt, methodsByPath, newFunction, newStack, resourcesOfType } from './util';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com:8443';
const DEFAULT_HEADERS = "'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token'";
const H = (name: string) => `method.response.header.${name}`;

/** The one integration response of the preflight on `path`, and its method response. */
function preflight(template: Template, path: string): { integration: Json; response: Json; method: Json } {
  const method = methodAt(template, path, 'OPTIONS');
  expect(method.Integration.IntegrationResponses).toHaveLength(1);
  expect(method.MethodResponses).toHaveLength(1);
  return { integration: method.Integration.IntegrationResponses[0], response: method.MethodResponses[0], method };
}

describe('per-route CORS on one API', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const defaultAuthorizer = new apigw.CognitoUserPoolsAuthorizer(stack, 'DefaultAuthorizer', { cognitoUserPools: [pool] });
  const api = new apigw.RestApi(stack, 'Api', {
    defaultMethodOptions: {
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: defaultAuthorizer,
      authorizationScopes: ['orders/read'],
      apiKeyRequired: true,
    },
  });
  const single: CorsOptions = { allowOrigins: [APP] };
  const star: CorsOptions = { allowOrigins: ['*'], allowHeaders: ['Content-Type', 'X-Custom'], maxAge: Duration.minutes(10) };
  const several: CorsOptions = { allowOrigins: [APP, ADMIN], allowCredentials: true, exposeHeaders: ['X-Request-Id'], statusCode: 200 };
  for (const method of ['GET', 'POST', 'DELETE']) {
    new LambdaProxyRoute(stack, `Deep${method}`, { api, path: '/a/b/c', method, handler: fn, cors: single });
  }
  new LambdaProxyRoute(stack, 'AnyRoute', { api, path: '/any/{proxy+}', method: 'ANY', handler: fn, cors: star });
  new LambdaProxyRoute(stack, 'Secured', {
    api, path: '/secured', method: 'PUT', handler: fn, cors: several, apiKeyRequired: true,
    authorization: RouteAuthorization.lambdaToken(newFunction(stack, 'AuthFn')),
  });
  new LambdaProxyRoute(stack, 'SecuredGet', { api, path: '/secured', method: 'get', handler: fn, cors: several });
  new LambdaProxyRoute(stack, 'Plain', { api, path: '/a/plain', method: 'GET', handler: fn });
  new MockRoute(stack, 'Mock', {
    api, path: '/mock', method: 'GET', cors: several, body: { ok: true }, headers: { 'X-Main': 'm' },
    scenarios: [{ value: 'nf', statusCode: 404, body: { error: 'nf' } }, { value: 'boom', statusCode: 500, responseTemplate: '{}' }],
  });
  new MockRoute(stack, 'MockSingle', { api, path: '/mock-single', method: 'GET', cors: single, body: { ok: true } });
  const template = Template.fromStack(stack);

  test('exactly one OPTIONS method per CORS resource, none on intermediate resources or resources without CORS', () => {
    expect(methodsByPath(template)).toEqual({
      '/a/b/c': ['DELETE', 'GET', 'OPTIONS', 'POST'],
      '/any/{proxy+}': ['ANY', 'OPTIONS'],
      '/secured': ['GET', 'OPTIONS', 'PUT'],
      '/a/plain': ['GET'],
      '/mock': ['GET', 'OPTIONS'],
      '/mock-single': ['GET', 'OPTIONS'],
    });
    // /a, /a/b and /any exist as resources but have no methods at all.
    const withMethods = new Set(resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, p]) => JSON.stringify(p.ResourceId)));
    const pathParts = resourcesOfType(template, 'AWS::ApiGateway::Resource').map(([id, p]) => [id, p.PathPart]);
    const empty = pathParts.filter(([id]) => !withMethods.has(JSON.stringify({ Ref: id }))).map(([, part]) => part).sort();
    expect(empty).toEqual(['a', 'any', 'b']);
  });

  test('Access-Control-Allow-Methods lists the CORS methods of the resource, sorted, then OPTIONS', () => {
    expect(preflight(template, '/a/b/c').integration.ResponseParameters[H('Access-Control-Allow-Methods')]).toBe("'DELETE,GET,POST,OPTIONS'");
    expect(preflight(template, '/secured').integration.ResponseParameters[H('Access-Control-Allow-Methods')]).toBe("'GET,PUT,OPTIONS'");
    expect(preflight(template, '/mock').integration.ResponseParameters[H('Access-Control-Allow-Methods')]).toBe("'GET,OPTIONS'");
  });

  test('ANY alone expands to every method', () => {
    expect(preflight(template, '/any/{proxy+}').integration.ResponseParameters[H('Access-Control-Allow-Methods')])
      .toBe("'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS'");
  });

  test('the preflight is a MOCK answering its status code, open to anyone without an API key', () => {
    for (const path of ['/a/b/c', '/any/{proxy+}', '/secured', '/mock']) {
      const { method } = preflight(template, path);
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.ApiKeyRequired).toBe(false);
      expect(method.AuthorizerId).toBeUndefined();
      expect(method.AuthorizationScopes).toBeUndefined();
      expect(method.Integration.Type).toBe('MOCK');
    }
    expect(preflight(template, '/a/b/c').method.Integration.RequestTemplates).toEqual({ 'application/json': '{"statusCode": 204}' });
    expect(preflight(template, '/a/b/c').integration.StatusCode).toBe('204');
    expect(preflight(template, '/secured').method.Integration.RequestTemplates).toEqual({ 'application/json': '{"statusCode": 200}' });
    expect(preflight(template, '/secured').response.StatusCode).toBe('200');
  });

  test("the routes themselves keep their authorization: the API's Cognito default, or their own authorizer and key", () => {
    const deep = methodAt(template, '/a/b/c', 'GET');
    expect(deep.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(deep.ApiKeyRequired).toBe(true);
    expect(deep.AuthorizationScopes).toEqual(['orders/read']);
    const secured = methodAt(template, '/secured', 'PUT');
    expect(secured.AuthorizationType).toBe('CUSTOM');
    expect(secured.ApiKeyRequired).toBe(true);
    expect(secured.AuthorizerId).toEqual({ Ref: expect.stringMatching(/Authorizer1/) });
  });

  test('one allowed origin: a static header and Vary: Origin, no reflection template', () => {
    const { integration, response } = preflight(template, '/a/b/c');
    expect(integration.ResponseParameters).toEqual({
      [H('Access-Control-Allow-Origin')]: `'${APP}'`,
      [H('Vary')]: "'Origin'",
      [H('Access-Control-Allow-Headers')]: DEFAULT_HEADERS,
      [H('Access-Control-Allow-Methods')]: "'DELETE,GET,POST,OPTIONS'",
    });
    expect(integration.ResponseTemplates).toBeUndefined();
    expect(response.ResponseParameters).toEqual({
      [H('Access-Control-Allow-Origin')]: true,
      [H('Vary')]: true,
      [H('Access-Control-Allow-Headers')]: true,
      [H('Access-Control-Allow-Methods')]: true,
    });
  });

  test("'*': no Vary; allowHeaders and maxAge become Access-Control-Allow-Headers and -Max-Age", () => {
    const { integration } = preflight(template, '/any/{proxy+}');
    expect(integration.ResponseParameters).toEqual({
      [H('Access-Control-Allow-Origin')]: "'*'",
      [H('Access-Control-Allow-Headers')]: "'Content-Type,X-Custom'",
      [H('Access-Control-Allow-Methods')]: "'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS'",
      [H('Access-Control-Max-Age')]: "'600'",
    });
    expect(integration.ResponseTemplates).toBeUndefined();
  });

  test('several origins: the first as static header, the exact origins reflected by the template; credentials', () => {
    const { integration, response } = preflight(template, '/secured');
    expect(integration.ResponseParameters).toEqual({
      [H('Access-Control-Allow-Origin')]: `'${APP}'`,
      [H('Vary')]: "'Origin'",
      [H('Access-Control-Allow-Credentials')]: "'true'",
      [H('Access-Control-Allow-Headers')]: DEFAULT_HEADERS,
      [H('Access-Control-Allow-Methods')]: "'GET,PUT,OPTIONS'",
    });
    // The caller's Origin is compared with the exact allowed origins, never printed into the body.
    expect(integration.ResponseTemplates).toEqual({
      'application/json': "#set($__origin = $input.params().header.get('Origin'))" +
        "#if(\"$!__origin\" == '')#set($__origin = $input.params().header.get('origin'))#end" +
        `#if($__origin == '${APP}' || $__origin == '${ADMIN}')` +
        '#set($context.responseOverride.header.Access-Control-Allow-Origin = $__origin)#{end}',
    });
    expect(Object.keys(response.ResponseParameters)).toContain(H('Access-Control-Allow-Credentials'));
  });

  test('expose headers are sent on actual responses, not on the preflight', () => {
    expect(preflight(template, '/secured').integration.ResponseParameters[H('Access-Control-Expose-Headers')]).toBeUndefined();
    const responses: Json[] = methodAt(template, '/mock', 'GET').Integration.IntegrationResponses;
    for (const r of responses) expect(r.ResponseParameters[H('Access-Control-Expose-Headers')]).toBe("'X-Request-Id'");
  });

  test('a CORS MockRoute carries Access-Control-Allow-Origin on every integration response, declared on every method response', () => {
    const method = methodAt(template, '/mock', 'GET');
    const responses: Json[] = method.Integration.IntegrationResponses;
    expect(responses.map((r) => r.StatusCode)).toEqual(['200', '404', '500']);
    for (const r of responses) {
      expect(r.ResponseParameters).toEqual(expect.objectContaining({
        [H('Access-Control-Allow-Origin')]: `'${APP}'`,
        [H('Vary')]: "'Origin'",
        [H('Access-Control-Allow-Credentials')]: "'true'",
      }));
      // Several origins: every answer reflects an allowed Origin, then prints its own body.
      expect(r.ResponseTemplates['application/json']).toMatch(/^#set\(\$__origin = .*#\{end\}(\{.*\}|)$/);
    }
    expect(JSON.parse(responses[1].ResponseTemplates['application/json'].replace(/^.*#\{end\}/, ''))).toEqual({ error: 'nf' });
    expect(responses[0].ResponseParameters[H('X-Main')]).toBe("'m'");
    expect(method.MethodResponses).toHaveLength(3);
    for (const r of method.MethodResponses) {
      expect(r.ResponseParameters).toEqual(expect.objectContaining({
        [H('Access-Control-Allow-Origin')]: true, [H('Vary')]: true, [H('Access-Control-Allow-Credentials')]: true,
      }));
    }
  });

  test('a CORS MockRoute with one origin has no reflection in its body template', () => {
    const [response] = methodAt(template, '/mock-single', 'GET').Integration.IntegrationResponses;
    expect(response.ResponseTemplates['application/json']).toBe('{"ok":true}');
    expect(response.ResponseParameters[H('Access-Control-Allow-Origin')]).toBe(`'${APP}'`);
  });

  test('DEFAULT_4XX and DEFAULT_5XX gateway responses exist once per API, with CORS headers', () => {
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        RestApiId: { Ref: stack.getLogicalId(api.node.defaultChild as apigw.CfnRestApi) },
        // Several origins with credentials: the first origin only (never '*' with credentials).
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': `'${APP}'`,
          'gatewayresponse.header.Vary': "'Origin'",
          'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        },
      });
    }
  });

  test('a warning says the gateway responses name one origin only', () => {
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(`gateway 4XX/5XX responses carry Access-Control-Allow-Origin ${APP} only`));
  });
});

describe('gateway responses', () => {
  test("one pair per API, with '*' when every CORS setting is '*'", () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const apis = [new apigw.RestApi(stack, 'Api1'), new apigw.RestApi(stack, 'Api2')];
    apis.forEach((api, i) => {
      for (let r = 0; r < 6; r++) {
        new LambdaProxyRoute(stack, `R${i}x${r}`, { api, path: `/r${r}`, method: 'GET', handler: fn, cors: { allowOrigins: ['*'] } });
      }
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 4);
    for (const api of apis) {
      const ref = { Ref: stack.getLogicalId(api.node.defaultChild as apigw.CfnRestApi) };
      const responses = resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').filter(([, p]) => JSON.stringify(p.RestApiId) === JSON.stringify(ref));
      expect(responses.map(([, p]) => p.ResponseType).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
      for (const [, p] of responses) {
        expect(p.ResponseParameters).toEqual({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" });
      }
    }
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test("several origins without credentials answer '*' on gateway responses", () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'M', { api, path: '/m', method: 'GET', cors: { allowOrigins: [APP, ADMIN] } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });

  test("the preflight does not inherit the API's default required request parameters", () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { defaultMethodOptions: { requestParameters: { 'method.request.header.X-Tenant': true } } });
    new MockRoute(stack, 'Get', { api, path: '/orders', method: 'GET', cors: { allowOrigins: [APP] } });
    const template = Template.fromStack(stack);
    expect(methodAt(template, '/orders', 'GET').RequestParameters).toEqual({ 'method.request.header.X-Tenant': true });
    expect(preflight(template, '/orders').method.RequestParameters ?? {}).toEqual({});
  });

  test('a CORS route on the root gets its preflight on the root resource', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'Root', { api, path: '/', method: 'GET', cors: { allowOrigins: [APP] } });
    const template = Template.fromStack(stack);
    expect(methodsByPath(template)).toEqual({ '/': ['GET', 'OPTIONS'] });
    expect(preflight(template, '/').integration.ResponseParameters[H('Access-Control-Allow-Methods')]).toBe("'GET,OPTIONS'");
  });

  test('an API without CORS has no gateway responses', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'M', { api, path: '/m', method: 'GET' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
    expect(methodsByPath(template)).toEqual({ '/m': ['GET'] });
  });
});

describe('ApiCors', () => {
  test('routes without their own cors option get the API-wide CORS, and the gateway responses', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api');
    new ApiCors(stack, 'Cors', { api, allowOrigins: [APP], allowCredentials: true });
    new LambdaProxyRoute(stack, 'Get', { api, path: '/orders', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'Post', { api, path: '/orders', method: 'POST', handler: fn });
    new MockRoute(stack, 'Health', { api, path: '/health/{part}', method: 'GET', body: { ok: true } });
    // A route's own option wins over ApiCors.
    new MockRoute(stack, 'Public', { api, path: '/public', method: 'GET', cors: { allowOrigins: ['*'] } });
    const template = Template.fromStack(stack);
    expect(methodsByPath(template)).toEqual({
      '/orders': ['GET', 'OPTIONS', 'POST'],
      '/health/{part}': ['GET', 'OPTIONS'],
      '/public': ['GET', 'OPTIONS'],
    });
    expect(preflight(template, '/orders').integration.ResponseParameters).toEqual(expect.objectContaining({
      [H('Access-Control-Allow-Origin')]: `'${APP}'`,
      [H('Access-Control-Allow-Credentials')]: "'true'",
      [H('Access-Control-Allow-Methods')]: "'GET,POST,OPTIONS'",
    }));
    expect(methodAt(template, '/health/{part}', 'GET').Integration.IntegrationResponses[0].ResponseParameters[H('Access-Control-Allow-Origin')])
      .toBe(`'${APP}'`);
    expect(preflight(template, '/public').integration.ResponseParameters[H('Access-Control-Allow-Origin')]).toBe("'*'");
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
  });

  test('ApiCors alone creates the gateway responses', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    new ApiCors(stack, 'Cors', { api, allowOrigins: ['*'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_5XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });

  test('ApiCors after a route throws', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'M', { api, path: '/m', method: 'GET' });
    expect(errorOf(() => new ApiCors(stack, 'Cors', { api, allowOrigins: ['*'] }))).toMatch(
      /^ApiCors Stack\/Cors: created after 1 route\(s\) of the API: create ApiCors before the routes so that every route gets it/,
    );
  });

  test('two ApiCors on one API throw', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new ApiCors(stack, 'Cors', { api, allowOrigins: ['*'] });
    expect(errorOf(() => new ApiCors(stack, 'Cors2', { api, allowOrigins: ['*'] }))).toMatch(
      /^ApiCors Stack\/Cors2: the API already has an ApiCors: keep one per API/,
    );
  });

  test('ApiCors options are validated like route options', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    expect(errorOf(() => new ApiCors(stack, 'Cors', { api, allowOrigins: ['*'], allowCredentials: true }))).toMatch(
      /^ApiCors Stack\/Cors: CORS cannot allow credentials for origin '\*'/,
    );
  });
});

describe('CORS misuse', () => {
  function route(cors: CorsOptions, props: { path?: string; method?: string; id?: string } = {}): string {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, props.id ?? 'GetOrder', { api, path: props.path ?? '/orders', method: props.method ?? 'GET', cors }));
  }

  test("'*' with credentials", () => {
    expect(route({ allowOrigins: ['*'], allowCredentials: true })).toMatch(
      /^Route Stack\/GetOrder: CORS cannot allow credentials for origin '\*' .*: list the origins that may send credentials/,
    );
  });

  test("'*' mixed with origins", () => {
    expect(route({ allowOrigins: ['*', APP] })).toMatch(
      /^Route Stack\/GetOrder: CORS mixes '\*' with specific origins \(https:\/\/app.example.com\): use either \['\*'\] or a list of origins/,
    );
  });

  test.each([`${APP}/`, `${APP}/path`, 'app.example.com', 'ftp://app.example.com', `${APP}?x=1`, 'https://*.example.com'])('origin %p', (origin) => {
    expect(route({ allowOrigins: [origin] })).toMatch(
      /^Route Stack\/GetOrder: CORS origin '.*' is not of the form scheme:\/\/host\[:port\] \(no path, no trailing slash\), e\.g\. https:\/\/app\.example\.com/,
    );
  });

  test('empty origins', () => {
    expect(route({ allowOrigins: [] })).toMatch(/^Route Stack\/GetOrder: CORS needs at least one origin in allowOrigins \(or \['\*'\]\)/);
    expect(route({} as CorsOptions)).toMatch(/^Route Stack\/GetOrder: cors\.allowOrigins is required: give a list of origins such as \['https:\/\/app\.example\.com'\] \(or \['\*'\]\) \(got undefined\)$/);
  });

  test('an origin listed twice, a bad header name, a non-2xx preflight status', () => {
    expect(route({ allowOrigins: [APP, APP] })).toMatch(/^Route Stack\/GetOrder: CORS lists an origin twice/);
    expect(route({ allowOrigins: [APP], allowHeaders: ['Bad Header'] })).toMatch(/^Route Stack\/GetOrder: CORS header name 'Bad Header' is not a valid HTTP header name/);
    expect(route({ allowOrigins: [APP], statusCode: 302 })).toMatch(/^Route Stack\/GetOrder: CORS preflight statusCode 302 must be a 2xx code, e\.g\. 204/);
  });

  function twoRoutes(first: { method: string; cors?: CorsOptions }, second: { method: string; cors?: CorsOptions }): string {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'First', { api, path: '/orders/{id}', ...first });
    return errorOf(() => new MockRoute(stack, 'Second', { api, path: '/orders/{id}', ...second }));
  }

  test('routes on the same resource with different cors', () => {
    expect(twoRoutes({ method: 'GET', cors: { allowOrigins: [APP] } }, { method: 'POST', cors: { allowOrigins: [ADMIN] } })).toMatch(
      /^Route Stack\/Second: its CORS settings differ from those of Route Stack\/First on the same resource \/orders\/\{id\}: one preflight answers for the whole resource, so give both routes the same cors options/,
    );
    expect(twoRoutes({ method: 'GET', cors: { allowOrigins: [APP] } }, { method: 'POST', cors: { allowOrigins: [APP], maxAge: Duration.seconds(5) } }))
      .toMatch(/^Route Stack\/Second: its CORS settings differ/);
  });

  test('a CORS route beside a non-CORS route on one resource is allowed (only the CORS methods are listed)', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'First', { api, path: '/orders', method: 'GET', cors: { allowOrigins: [APP] } });
    new MockRoute(stack, 'Second', { api, path: '/orders', method: 'POST' });
    const template = Template.fromStack(stack);
    expect(preflight(template, '/orders').integration.ResponseParameters[H('Access-Control-Allow-Methods')]).toBe("'GET,OPTIONS'");
  });

  test('ANY beside explicit methods on a CORS resource, in both orders', () => {
    const cors = { allowOrigins: [APP] };
    expect(twoRoutes({ method: 'GET', cors }, { method: 'ANY', cors })).toMatch(
      /^Route Stack\/Second: ANY beside GET on the CORS resource \/orders\/\{id\}: the preflight could not say which methods are allowed; use explicit methods \(GET, POST, \.\.\.\) or ANY alone/,
    );
    expect(twoRoutes({ method: 'ANY', cors }, { method: 'POST', cors })).toMatch(
      /^Route Stack\/Second: POST beside ANY on the CORS resource \/orders\/\{id\}: .*use explicit methods \(GET, POST, \.\.\.\) or ANY alone/,
    );
  });

  test('an OPTIONS route with CORS', () => {
    expect(route({ allowOrigins: [APP] }, { method: 'OPTIONS' })).toMatch(
      /^Route Stack\/GetOrder: an OPTIONS route with CORS on \/orders: CORS creates the OPTIONS preflight itself; remove this route or its cors option/,
    );
  });

  test('an OPTIONS route and a CORS route on the same resource, in both orders', () => {
    const cors = { allowOrigins: [APP] };
    expect(twoRoutes({ method: 'GET', cors }, { method: 'OPTIONS' })).toMatch(
      /^Route Stack\/Second: OPTIONS \/orders\/\{id\} is already defined by the CORS preflight of Route Stack\/First on this API: .*change the path or method, or remove one route/,
    );
    expect(twoRoutes({ method: 'OPTIONS' }, { method: 'GET', cors })).toMatch(
      /^the CORS preflight of Route Stack\/Second: OPTIONS \/orders\/\{id\} is already defined by Route Stack\/First on this API: .*change the path or method, or remove one route/,
    );
  });

  test("a RestApi with aws-cdk-lib's defaultCorsPreflightOptions", () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { defaultCorsPreflightOptions: { allowOrigins: apigw.Cors.ALL_ORIGINS } });
    expect(errorOf(() => new MockRoute(stack, 'GetOrder', { api, path: '/orders', method: 'GET', cors: { allowOrigins: [APP] } }))).toMatch(
      /^Route Stack\/GetOrder: the resource \/orders already gets a preflight from aws-cdk-lib's defaultCorsPreflightOptions: remove defaultCorsPreflightOptions/,
    );
  });

  test('an OPTIONS method added outside this library', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addResource('orders').addMethod('OPTIONS');
    expect(errorOf(() => new MockRoute(stack, 'GetOrder', { api, path: '/orders', method: 'GET', cors: { allowOrigins: [APP] } }))).toMatch(
      /^Route Stack\/GetOrder: the resource \/orders already has an OPTIONS method created outside this library: remove it/,
    );
  });
});
