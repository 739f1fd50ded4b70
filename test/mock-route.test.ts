process.env.CDK_VALIDATION = 'false';

import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { MockRoute, MockRouteProps, MockSelector } from '../lib';
import { errorOf, Json, methodAt, newStack } from './util';

const JSON_TYPE = 'application/json';

describe('MockRoute answers', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const mock = (id: string, props: Omit<MockRouteProps, 'api' | 'method'> & { method?: string }) =>
    new MockRoute(stack, id, { api, method: 'GET', ...props });

  const tricky = { message: 'costs $5 #1', nested: { list: [1, 'a$b', '#if(true)x#end', '${x}'], ok: true, none: null }, quote: "it's \"q\"" };
  mock('Plain', { path: '/plain', statusCode: 201, body: tricky });
  mock('Default', { path: '/default' });
  mock('Template', { path: '/time', responseTemplate: '{"time": "$context.requestTime"}' });
  mock('Headers', { path: '/headers', body: { ok: true }, headers: { 'X-Request-Source': 'mock', 'Cache-Control': 'max-age=60, public' } });
  mock('Query', {
    path: '/orders',
    body: { orders: [] },
    headers: { 'X-Main': 'yes' },
    scenarios: [
      { value: 'notFound', statusCode: 404, body: { error: 'not found' }, headers: { 'X-Error': 'nf' } },
      { value: "it's$#", statusCode: 500, responseTemplate: '{"error": "$context.requestId"}' },
      { value: 'created', statusCode: 201 },
    ],
  });
  mock('Header', {
    path: '/header',
    scenarios: [{ value: 'slow', statusCode: 504 }],
    scenarioSelector: MockSelector.header('X-Mock-Scenario'),
  });
  mock('LowerHeader', {
    path: '/lower-header',
    scenarios: [{ value: 'slow', statusCode: 504 }],
    scenarioSelector: MockSelector.header('x-mock'),
  });
  mock('Path', {
    path: '/items/{itemId}',
    body: { item: 'ok' },
    scenarios: [{ value: 'missing', statusCode: 404, body: { error: 'missing' } }, { value: 'gone', statusCode: 410 }],
    scenarioSelector: MockSelector.pathParameter('itemId'),
  });
  const template = Template.fromStack(stack);
  const integration = (path: string) => methodAt(template, path, 'GET').Integration;

  test('a fixed answer: status in the request template, body in the integration response template', () => {
    const i = integration('/plain');
    expect(i.Type).toBe('MOCK');
    expect(i.RequestTemplates).toEqual({ [JSON_TYPE]: '{"statusCode": 201}' });
    expect(i.IntegrationResponses).toHaveLength(1);
    expect(i.IntegrationResponses[0].StatusCode).toBe('201');
    expect(i.IntegrationResponses[0].SelectionPattern).toBeUndefined();
    expect(JSON.parse(i.IntegrationResponses[0].ResponseTemplates[JSON_TYPE])).toEqual(tricky);
    expect(methodAt(template, '/plain', 'GET').MethodResponses).toEqual([{ StatusCode: '201' }]);
  });

  test('$ and # in the body are written as \\u0024 and \\u0023 so VTL reads neither', () => {
    const text: string = integration('/plain').IntegrationResponses[0].ResponseTemplates[JSON_TYPE];
    expect(text).not.toMatch(/[$#]/);
    expect(text).toContain('costs \\u00245 \\u00231');
    expect(text).toContain('\\u0023if(true)x\\u0023end');
    expect(text).toContain('\\u0024{x}');
  });

  test('without body or template the answer is 200 with an empty body', () => {
    const i = integration('/default');
    expect(i.RequestTemplates).toEqual({ [JSON_TYPE]: '{"statusCode": 200}' });
    expect(i.IntegrationResponses).toEqual([{ StatusCode: '200', ResponseTemplates: { [JSON_TYPE]: '' } }]);
  });

  test('a responseTemplate is passed through unchanged', () => {
    expect(integration('/time').IntegrationResponses[0].ResponseTemplates).toEqual({ [JSON_TYPE]: '{"time": "$context.requestTime"}' });
  });

  test('headers become static quoted method.response.header values, declared on the method response', () => {
    expect(integration('/headers').IntegrationResponses[0].ResponseParameters).toEqual({
      'method.response.header.X-Request-Source': "'mock'",
      'method.response.header.Cache-Control': "'max-age=60, public'",
    });
    expect(methodAt(template, '/headers', 'GET').MethodResponses).toEqual([{
      StatusCode: '200',
      ResponseParameters: { 'method.response.header.X-Request-Source': true, 'method.response.header.Cache-Control': true },
    }]);
  });

  test('every mock is PassthroughBehavior NEVER', () => {
    for (const path of ['/plain', '/default', '/time', '/headers', '/orders', '/header', '/items/{itemId}']) {
      expect(integration(path).PassthroughBehavior).toBe('NEVER');
    }
  });

  describe('scenarios', () => {
    test('the request template reads the query parameter and prints the scenario status, else the main one', () => {
      expect(integration('/orders').RequestTemplates).toEqual({
        [JSON_TYPE]: "#set($__scenario = $input.params().querystring.get('scenario'))" +
          "#if($__scenario == 'notFound'){\"statusCode\": 404}" +
          "#elseif($__scenario == 'it''s$#'){\"statusCode\": 500}" +
          "#elseif($__scenario == 'created'){\"statusCode\": 201}" +
          '#else{"statusCode": 200}#end',
      });
    });

    test('one integration response per answer; scenarios are selected by their exact code, the main one is the default', () => {
      const responses: Json[] = integration('/orders').IntegrationResponses;
      expect(responses.map((r) => [r.StatusCode, r.SelectionPattern])).toEqual([
        ['200', undefined], ['404', '404'], ['500', '500'], ['201', '201'],
      ]);
      expect(JSON.parse(responses[0].ResponseTemplates[JSON_TYPE])).toEqual({ orders: [] });
      expect(JSON.parse(responses[1].ResponseTemplates[JSON_TYPE])).toEqual({ error: 'not found' });
      expect(responses[2].ResponseTemplates[JSON_TYPE]).toBe('{"error": "$context.requestId"}');
      expect(responses[3].ResponseTemplates[JSON_TYPE]).toBe('');
      expect(responses[0].ResponseParameters).toEqual({ 'method.response.header.X-Main': "'yes'" });
      expect(responses[1].ResponseParameters).toEqual({ 'method.response.header.X-Error': "'nf'" });
      expect(responses[2].ResponseParameters).toBeUndefined();
    });

    test('a method response for every status, with the headers of that answer', () => {
      expect(methodAt(template, '/orders', 'GET').MethodResponses).toEqual([
        { StatusCode: '200', ResponseParameters: { 'method.response.header.X-Main': true } },
        { StatusCode: '404', ResponseParameters: { 'method.response.header.X-Error': true } },
        { StatusCode: '500' },
        { StatusCode: '201' },
      ]);
    });

    test('a header selector reads the header, falling back to its lower-case form', () => {
      expect(integration('/header').RequestTemplates[JSON_TYPE]).toBe(
        "#set($__scenario = $input.params().header.get('X-Mock-Scenario'))" +
        "#if(\"$!__scenario\" == '')#set($__scenario = $input.params().header.get('x-mock-scenario'))#end" +
        "#if($__scenario == 'slow'){\"statusCode\": 504}#else{\"statusCode\": 200}#end",
      );
      expect(integration('/lower-header').RequestTemplates[JSON_TYPE]).toBe(
        "#set($__scenario = $input.params().header.get('x-mock'))#if($__scenario == 'slow'){\"statusCode\": 504}#else{\"statusCode\": 200}#end",
      );
    });

    test('a path parameter selector reads the path parameter', () => {
      expect(integration('/items/{itemId}').RequestTemplates[JSON_TYPE]).toBe(
        "#set($__scenario = $input.params().path.get('itemId'))" +
        "#if($__scenario == 'missing'){\"statusCode\": 404}#elseif($__scenario == 'gone'){\"statusCode\": 410}#else{\"statusCode\": 200}#end",
      );
      expect(methodAt(template, '/items/{itemId}', 'GET').RequestParameters).toEqual({ 'method.request.path.itemId': true });
      expect(methodAt(template, '/items/{itemId}', 'GET').MethodResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '404', '410']);
    });
  });
});

describe('MockRoute misuse', () => {
  function create(props: Partial<MockRouteProps>, id = 'GetOrder'): string {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, id, { api, path: '/orders/{orderId}', method: 'GET', ...props }));
  }

  test('two scenarios with the same status code', () => {
    expect(create({ scenarios: [{ value: 'a', statusCode: 404 }, { value: 'b', statusCode: 404 }] })).toMatch(
      /^Route Stack\/GetOrder: scenario 'b' answers 404 like scenario 'a': a mock picks its answer by status code, so give each scenario its own status code/,
    );
  });

  test('a scenario with the status code of the main answer', () => {
    expect(create({ statusCode: 200, scenarios: [{ value: 'ok', statusCode: 200 }] })).toMatch(
      /^Route Stack\/GetOrder: scenario 'ok' answers 200 like the main answer: .*give each scenario its own status code/,
    );
    // The default status of both is 200.
    expect(create({ scenarios: [{ value: 'ok' }] })).toMatch(/scenario 'ok' answers 200 like the main answer/);
  });

  test('the same scenario value twice', () => {
    expect(create({ scenarios: [{ value: 'x', statusCode: 404 }, { value: 'x', statusCode: 500 }] })).toMatch(
      /^Route Stack\/GetOrder: scenario value 'x' is listed twice: give each scenario its own value/,
    );
  });

  test('an empty or missing scenario value', () => {
    expect(create({ scenarios: [{ value: '', statusCode: 404 }] })).toMatch(
      /^Route Stack\/GetOrder: scenario 1 needs a non-empty value \(the request value that picks it\)/,
    );
    expect(create({ scenarios: [{ value: 'a', statusCode: 404 }, { statusCode: 500 } as any] }))
      .toMatch(/^Route Stack\/GetOrder: scenarios\[1\]\.value is required: give a string such as 'notFound' \(got undefined\)$/);
  });

  test('body and responseTemplate both', () => {
    expect(create({ body: { a: 1 }, responseTemplate: '{}' })).toMatch(
      /^Route Stack\/GetOrder: the main answer has both body and responseTemplate: give one/,
    );
    expect(create({ scenarios: [{ value: 'nf', statusCode: 404, body: {}, responseTemplate: '{}' }] })).toMatch(
      /^Route Stack\/GetOrder: scenario 'nf' has both body and responseTemplate: give one/,
    );
  });

  test.each([99, 600, 200.5])('status code %p', (statusCode) => {
    expect(create({ statusCode })).toMatch(/^Route Stack\/GetOrder: the main answer has status code .*: use an HTTP status code from 100 to 599/);
  });

  test.each([[Number.NaN, 'the number NaN'], ['200' as any, "the string '200'"]])('status code %p is not a number', (statusCode, got) => {
    expect(create({ statusCode })).toBe(`Route Stack/GetOrder: statusCode must be a number such as 200 (got ${got})`);
  });

  test('a bad status code in a scenario', () => {
    expect(create({ scenarios: [{ value: 'x', statusCode: 1000 }] })).toMatch(
      /^Route Stack\/GetOrder: scenario 'x' has status code 1000: use an HTTP status code from 100 to 599/,
    );
  });

  test('a header value with a single quote', () => {
    expect(create({ headers: { 'X-Note': "it's" } })).toMatch(
      /^Route Stack\/GetOrder: header X-Note value "it's" contains a single quote/,
    );
  });

  test('a header value with a line break', () => {
    expect(create({ headers: { 'X-Note': 'a\r\nSet-Cookie: x' } })).toMatch(/^Route Stack\/GetOrder: header X-Note value must not contain a line break/);
  });

  test('an invalid header name', () => {
    expect(create({ headers: { 'X Note': 'a' } })).toMatch(/^Route Stack\/GetOrder: the main answer has header name 'X Note', which is not a valid HTTP header name/);
  });

  test('a path selector naming a parameter the path lacks', () => {
    expect(create({ scenarios: [{ value: 'x', statusCode: 404 }], scenarioSelector: MockSelector.pathParameter('id') })).toMatch(
      /^Route Stack\/GetOrder: the scenario selector reads path parameter 'id', which \/orders\/\{orderId\} does not have: use one of \{orderId\} or a query parameter/,
    );
  });

  test('a non-serializable body', () => {
    expect(create({ body: { big: BigInt(1) } })).toMatch(
      /^Route Stack\/GetOrder: the main answer has a body that is not JSON-serializable: pass plain objects, arrays, strings, numbers or booleans/,
    );
    expect(create({ scenarios: [{ value: 'x', statusCode: 404, body: () => 1 }] })).toMatch(/^Route Stack\/GetOrder: scenario 'x' has a body that is not JSON-serializable/);
  });

  test('a scenario value Velocity would unescape (\\uXXXX)', () => {
    expect(create({ scenarios: [{ value: 'a\\u0041', statusCode: 404 }] })).toMatch(
      /^Route Stack\/GetOrder: cannot place 'a\\u0041' in a mapping template literal: .*use scenario values and a selector name without it/,
    );
  });

  test('an Access-Control-* header set by hand on a CORS route', () => {
    expect(create({ cors: { allowOrigins: ['https://app.example.com'] }, headers: { 'access-control-allow-origin': '*' } })).toMatch(
      /^Route Stack\/GetOrder: the main answer sets access-control-allow-origin by hand while the route has CORS: let the cors option set CORS headers/,
    );
    expect(create({
      cors: { allowOrigins: ['*'] },
      scenarios: [{ value: 'x', statusCode: 404, headers: { 'Access-Control-Max-Age': '10' } }],
    })).toMatch(/^Route Stack\/GetOrder: scenario 'x' sets Access-Control-Max-Age by hand while the route has CORS/);
  });

  test('an Access-Control-* header without CORS is the user\'s own business', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'M', { api, path: '/m', method: 'GET', headers: { 'Access-Control-Allow-Origin': '*' } });
    expect(methodAt(Template.fromStack(stack), '/m', 'GET').Integration.IntegrationResponses[0].ResponseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'*'",
    });
  });
});
