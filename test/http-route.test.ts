process.env.CDK_VALIDATION = 'false';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Field, HttpParameter, HttpRoute, HttpRouteProps, RequestTemplate, StageVariables } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { javaMatches } from '../lib/vtl/java-regex';
import { errorOf, Json, methodAt, newStack } from './util';

const ADVERSARIAL = [
  'plain',
  'say "hi"',
  "it's",
  'back\\slash',
  'line\nbreak',
  'ünïcödé 🎉',
  'a", "admin": true, "x": "',
  '#set($x = 1)$context.requestId ${x}',
  '',
];

describe('HttpRoute proxy and custom integrations', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  new HttpRoute(stack, 'Users', { api, path: '/users/{proxy+}', method: 'ANY', url: 'https://${stageVariables.usersHost}/users/{proxy}' });
  new HttpRoute(stack, 'Item', {
    api, path: '/items/{itemId}', method: 'GET', url: 'https://backend.example.com/v1/items/{itemId}', httpMethod: 'post',
    timeout: Duration.seconds(5),
    requestParameters: {
      'header.X-Request-Id': HttpParameter.fromContext('requestId'),
      'querystring.page': HttpParameter.fromQuery('p'),
      'header.X-Tenant': HttpParameter.fromHeader('X-Tenant'),
      'header.X-Env': HttpParameter.fromStageVariable('env'),
      'querystring.raw': HttpParameter.fromPath('itemId'),
      'header.X-Fixed': HttpParameter.staticValue('v1'),
    },
    staticHeaders: { 'X-Api-Version': '2' },
    cache: { ttl: Duration.minutes(1) },
  });
  new HttpRoute(stack, 'Greet', {
    api, path: '/greet', method: 'POST', url: 'http://legacy.example.com/greet', proxy: false,
    requestTemplate: RequestTemplate.fromFields({ name: Field.body('$.name'), env: Field.stageVariable('env') }),
    responseTemplate: '{"wrapped": $input.json(\'$\')}',
  });
  new HttpRoute(stack, 'Cors', {
    api, path: '/cors', method: 'GET', url: 'https://backend.example.com/cors', proxy: false,
    cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] },
  });
  new HttpRoute(stack, 'Long', { api, path: '/long', method: 'GET', url: 'https://slow.example.com', timeout: Duration.seconds(60), allowTimeoutOverLimit: true });
  // The stage defines the variable the Users URL uses (checked at synth).
  StageVariables.set(api.deploymentStage, { usersHost: 'users.example.com' });
  const template = Template.fromStack(stack);
  const integrationOf = (path: string, method: string): Json => methodAt(template, path, method).Integration;

  test('proxy by default: HTTP_PROXY, ANY stays ANY, greedy {proxy} mapped, stage variable kept in the URI', () => {
    expect(integrationOf('/users/{proxy+}', 'ANY')).toEqual({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'ANY',
      Uri: 'https://${stageVariables.usersHost}/users/{proxy}',
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
    expect(methodAt(template, '/users/{proxy+}', 'ANY').RequestParameters).toEqual({ 'method.request.path.proxy': true });
  });

  test('parameter mapping, static headers, backend method, timeout and cache keys', () => {
    const method = methodAt(template, '/items/{itemId}', 'GET');
    expect(method.Integration).toEqual({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'POST',
      Uri: 'https://backend.example.com/v1/items/{itemId}',
      TimeoutInMillis: 5000,
      CacheKeyParameters: ['method.request.path.itemId'],
      RequestParameters: {
        'integration.request.path.itemId': 'method.request.path.itemId',
        'integration.request.header.X-Request-Id': 'context.requestId',
        'integration.request.querystring.page': 'method.request.querystring.p',
        'integration.request.header.X-Tenant': 'method.request.header.X-Tenant',
        'integration.request.header.X-Env': 'stageVariables.env',
        'integration.request.querystring.raw': 'method.request.path.itemId',
        'integration.request.header.X-Fixed': "'v1'",
        'integration.request.header.X-Api-Version': "'2'",
      },
    });
    expect(method.RequestParameters).toEqual({
      'method.request.path.itemId': true,
      'method.request.querystring.p': false,
      'method.request.header.X-Tenant': false,
    });
  });

  test('custom mode: HTTP with a request template, NEVER passthrough and 2xx/4xx/5xx responses', () => {
    const integration = integrationOf('/greet', 'POST');
    expect(integration.Type).toBe('HTTP');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(integration.Uri).toBe('http://legacy.example.com/greet');
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.IntegrationResponses.map((r: Json) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined], ['201', '201'], ['204', '204'], ['400', '4(?:0[0-35-9]|[1-9]\\d)'], ['404', '404'], ['502', '5\\d{2}'],
    ]);
    expect(integration.IntegrationResponses[0].ResponseTemplates).toEqual({ 'application/json': '{"wrapped": $input.json(\'$\')}' });
    expect(methodAt(template, '/greet', 'POST').MethodResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '201', '204', '400', '404', '502']);
  });

  test('every backend status from 200 to 599 selects at most one response, and every error status exactly one', () => {
    const responses = integrationOf('/greet', 'POST').IntegrationResponses as Json[];
    for (let status = 200; status < 600; status++) {
      const matched = responses.filter((r) => r.SelectionPattern !== undefined && javaMatches(String(status), r.SelectionPattern));
      expect(matched.length).toBeLessThanOrEqual(1);
      const answer = matched.length ? matched[0].StatusCode : '200';
      const expected = status === 201 || status === 204 ? String(status) : status === 404 ? '404' : status >= 500 ? '502' : status >= 400 ? '400' : '200';
      expect([status, answer]).toEqual([status, expected]);
    }
  });

  test.each(ADVERSARIAL)('the request template escapes %j', (name) => {
    const vtl = integrationOf('/greet', 'POST').RequestTemplates['application/json'];
    const out = MappingTemplate.renderJson(vtl, { body: JSON.stringify({ name }), stageVariables: { env: name } });
    expect(out).toEqual({ name, env: name });
  });

  test('the request template with an empty body gives empty strings', () => {
    const vtl = integrationOf('/greet', 'POST').RequestTemplates['application/json'];
    expect(MappingTemplate.render(vtl, { body: '' })).toBe('{"name": "", "env": ""}');
  });

  test('error bodies are fixed JSON with the escaped request id', () => {
    const responses = integrationOf('/greet', 'POST').IntegrationResponses;
    const bad = responses[3].ResponseTemplates['application/json'];
    const notFound = responses[4].ResponseTemplates['application/json'];
    const failed = responses[5].ResponseTemplates['application/json'];
    expect(MappingTemplate.renderJson(notFound, { context: { requestId: 'abc' } })).toEqual({ message: 'Not found', requestId: 'abc' });
    expect(MappingTemplate.render(bad, { context: { requestId: 'r"1' } })).toBe('{"message": "The backend rejected the request", "requestId": "r\\"1"}');
    expect(MappingTemplate.renderJson(failed, { context: { requestId: 'abc' } })).toEqual({ message: 'The backend failed', requestId: 'abc' });
  });

  test('custom mode without a template passes the body through; CORS reflects the allowed origin on every answer', () => {
    const integration = integrationOf('/cors', 'GET');
    expect(integration.PassthroughBehavior).toBe('WHEN_NO_TEMPLATES');
    expect(integration.RequestTemplates).toBeUndefined();
    for (const r of integration.IntegrationResponses) {
      expect(r.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBeDefined();
    }
    const ok = integration.IntegrationResponses[0].ResponseTemplates['application/json'];
    const result = MappingTemplate.renderWithOverrides(ok, { body: '{"a": "x\\"y"}', headers: { Origin: 'https://b.example.com' } });
    expect(result.output).toBe('{"a": "x\\"y"}');
    expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://b.example.com' });
    const evil = MappingTemplate.renderWithOverrides(ok, { body: '', headers: { Origin: 'https://evil.example.com' } });
    expect(evil.headerOverrides).toEqual({});
    const noContent = integration.IntegrationResponses[2].ResponseTemplates['application/json'];
    expect(MappingTemplate.renderWithOverrides(noContent, { headers: { Origin: 'https://a.example.com' } }).output).toBe('');
  });

  test('a timeout over 29 s with allowTimeoutOverLimit', () => {
    expect(integrationOf('/long', 'GET').TimeoutInMillis).toBe(60000);
  });
});

describe('HttpRoute misuse', () => {
  const make = (props: Partial<HttpRouteProps>, path = '/things/{id}') => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new HttpRoute(stack, 'R', { api, path, method: 'GET', url: 'https://x.example.com/{id}', ...props } as HttpRouteProps));
  };

  test.each<[string, Partial<HttpRouteProps>, string]>([
    ['a URL parameter the route lacks', { url: 'https://x.example.com/{other}' }, 'Route Stack/R: url uses {other}, which is not a path parameter of the route: use one of {id}, or add it to the route path'],
    ['{proxy+} in the URL', { url: 'https://x.example.com/{id+}' }, 'Route Stack/R: url uses {id+}: write {id} in the URL (the + belongs only in the route path)'],
    ['a URL without scheme', { url: 'x.example.com/{id}' }, "Route Stack/R: url 'x.example.com/{id}' must start with https:// or http://"],
    ['an empty URL', { url: '' }, "Route Stack/R: url is required, e.g. 'https://api.example.com/{proxy}'"],
    ['a bad stage variable name', { url: 'https://${stageVariables.a-b}/{id}' }, 'Route Stack/R: url uses ${stageVariables.a-b}: stage variable names are letters, digits and _'],
    ['a timeout under 50 ms', { timeout: Duration.millis(10) }, "Route Stack/R: integration timeout 10 ms is under API Gateway's 50 ms minimum: use 50 ms or more"],
    ['a timeout over 29 s', { timeout: Duration.seconds(30) }, "Route Stack/R: integration timeout 30000 ms is over API Gateway's default 29 s: use at most 29 s, or set allowTimeoutOverLimit: true if your account has a raised integration timeout quota"],
    ['a request template in proxy mode', { requestTemplate: RequestTemplate.fromString('{}') }, 'Route Stack/R: requestTemplate needs proxy: false (a proxy integration passes the request untouched)'],
    ['a response template in proxy mode', { responseTemplate: '{}' }, 'Route Stack/R: responseTemplate needs proxy: false (a proxy integration passes the answer untouched)'],
    ['a raw string as request template', { proxy: false, requestTemplate: '{}' as any }, "Route Stack/R: requestTemplate must be a RequestTemplate such as RequestTemplate.fromFields({...}) (got the string '{}')"],
    ['a bad backend method', { httpMethod: 'FETCH' }, "Route Stack/R: httpMethod 'FETCH' is not an HTTP method: use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY"],
    ['a bad parameter destination', { requestParameters: { 'body.x': HttpParameter.staticValue('v') } }, "Route Stack/R: requestParameters key 'body.x' must be header.<Name>, querystring.<name> or path.<name>"],
    ['a non-HttpParameter value', { requestParameters: { 'header.X': 'v' as any } }, "Route Stack/R: requestParameters.header.X must be an HttpParameter such as HttpParameter.fromContext('requestId') (got the string 'v')"],
    ['a path destination the URL lacks', { requestParameters: { 'path.other': HttpParameter.staticValue('v') } }, "Route Stack/R: requestParameters 'path.other' sets a path parameter the URL does not use: add {other} to the URL"],
    ['a path destination mapped from the URL', { requestParameters: { 'path.id': HttpParameter.staticValue('v') } }, "Route Stack/R: requestParameters 'path.id' is already mapped from the URL's {id}"],
    ['fromPath of a missing parameter', { requestParameters: { 'header.X': HttpParameter.fromPath('nope') } }, "Route Stack/R: HttpParameter.fromPath('nope') is not a path parameter of the route"],
    ['a header set twice', { requestParameters: { 'header.X': HttpParameter.staticValue('a') }, staticHeaders: { X: 'b' } }, 'Route Stack/R: header X is set twice (requestParameters and staticHeaders): set it once'],
    ['a bad static header name', { staticHeaders: { 'X Y': 'b' } }, "Route Stack/R: staticHeaders 'X Y' is not a valid header name"],
    ['a quote in a static header', { staticHeaders: { X: "it's" } }, "Route Stack/R: staticHeaders 'X' cannot contain a single quote: remove it"],
  ])('%s', (_, props, message) => {
    expect(make(props)).toBe(message);
  });

  test('HttpParameter factories validate', () => {
    expect(errorOf(() => HttpParameter.staticValue("a'b"))).toBe('HttpParameter.staticValue("a\'b"): a static parameter value is written between single quotes and cannot contain one: remove the quote');
    expect(errorOf(() => HttpParameter.fromHeader('a b'))).toBe("HttpParameter.fromHeader('a b'): not a valid name");
    expect(errorOf(() => HttpParameter.fromQuery('a&b'))).toBe("HttpParameter.fromQuery('a&b'): not a valid name");
    expect(errorOf(() => HttpParameter.fromPath('a/b'))).toBe("HttpParameter.fromPath('a/b'): not a valid name");
    expect(errorOf(() => HttpParameter.fromContext('$x'))).toBe("HttpParameter.fromContext('$x'): not a valid name");
    expect(errorOf(() => HttpParameter.fromStageVariable('a-b'))).toBe("HttpParameter.fromStageVariable('a-b'): not a valid name");
  });

  test('a route path parameter in the request template must exist', () => {
    expect(make({ proxy: false, requestTemplate: RequestTemplate.fromFields({ x: Field.path('nope') }) })).toMatch(/^Route Stack\/R: Field\.path\('nope'\) is not a parameter/);
  });
});
