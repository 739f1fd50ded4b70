process.env.CDK_VALIDATION = 'false';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Field, LambdaCustomRoute, LambdaCustomRouteProps, LambdaErrorResponse, LambdaProxyRoute, RequestTemplate } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { javaMatches } from '../lib/vtl/java-regex';
import { errorOf, Json, methodAt, newFunction, newStack, resourcesOfType } from './util';

function arnOf(stack: Stack, fn: lambda.IFunction): Json {
  return { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] };
}

const INTERNAL = '{"message": "Internal server error", "requestId": "$context.requestId"}';
const SUCCESS = "#set($__et = $input.path('$.errorType'))#set($__st = $input.path('$.stackTrace'))" +
  "#set($__em = $input.path('$.errorMessage'))" +
  '#if("$!{__et}" != "" && "$!{__st}" != "" && "$!{__em}" == "")' +
  `#set($context.responseOverride.status = 500)${INTERNAL}#{else}$input.json('$')#end`;

/** The Lambda error payload API Gateway hands to an error response template. */
function lambdaError(errorMessage: string): string {
  return JSON.stringify({ errorMessage, errorType: 'Error', stackTrace: ['Error: x', '    at handler (/var/task/index.js:3:9)'] });
}

/**
 * API Gateway's response selection for a Lambda custom integration: no error message selects the response
 * without a pattern; otherwise the response whose Java regex matches the WHOLE message. Fails if several
 * match, so the answer never depends on the order patterns are tried in.
 */
function select(responses: Json[], errorMessage: string): Json {
  if (errorMessage === '') return responses.find((r) => r.SelectionPattern === undefined);
  const matched = responses.filter((r) => r.SelectionPattern !== undefined && javaMatches(errorMessage, r.SelectionPattern));
  if (matched.length > 1) throw new Error(`${JSON.stringify(errorMessage)} matches ${matched.map((r) => r.StatusCode).join(', ')}`);
  return matched[0] ?? responses.find((r) => r.SelectionPattern === undefined);
}

/** The status and JSON body a client gets when the function fails with `errorMessage`. */
function answerForError(responses: Json[], errorMessage: string): [number, Json] {
  const response = select(responses, errorMessage);
  const result = MappingTemplate.renderWithOverrides(response.ResponseTemplates['application/json'], {
    body: lambdaError(errorMessage), context: { requestId: 'req-1' },
  });
  return [result.statusOverride ?? Number(response.StatusCode), JSON.parse(result.output)];
}

describe('a LambdaCustomRoute', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  new LambdaCustomRoute(stack, 'Default', { api, path: '/orders/{id}', method: 'GET', handler: fn, timeout: Duration.seconds(3) });
  new LambdaCustomRoute(stack, 'Mapped', {
    api, path: '/orders', method: 'POST', handler: fn,
    requestTemplate: RequestTemplate.fromFields({ name: Field.body('$.name'), order: Field.bodyJson('$') }),
    errorResponses: [
      LambdaErrorResponse.tagged('NotFound', 404),
      LambdaErrorResponse.tagged('BadRequest', 400),
      LambdaErrorResponse.tagged('Gone', 404, { message: 'The order is gone' }),
      LambdaErrorResponse.tagged('Conflict', 409, { message: 'Version conflict' }),
      LambdaErrorResponse.matching('Task timed out after [0-9.]+ seconds', 504),
      LambdaErrorResponse.tagged('Unavailable', 500),
    ],
  });
  const template = Template.fromStack(stack);
  const mapped = methodAt(template, '/orders', 'POST');
  const responses = mapped.Integration.IntegrationResponses;

  test('the exact integration: AWS (non-proxy) POST to the function, NEVER passthrough, default request template, 200 and 500', () => {
    const method = methodAt(template, '/orders/{id}', 'GET');
    const str = (expr: string, v: string) => `#set($${v} = ${expr})"$util.escapeJavaScript("$!{${v}}").replaceAll("\\\\'","'")"`;
    expect(method.Integration).toEqual({
      Type: 'AWS',
      IntegrationHttpMethod: 'POST',
      Uri: {
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/',
          arnOf(stack, fn), '/invocations',
        ]],
      },
      TimeoutInMillis: 3000,
      PassthroughBehavior: 'NEVER',
      RequestTemplates: {
        'application/json': '{"body": $input.json(\'$\'), ' +
          `"path": {"id": ${str("$input.params().path.get('id')", '__rt0')}}, ` +
          '"query": {#foreach($__rt1 in $input.params().querystring.keySet())"$util.escapeJavaScript($__rt1).replaceAll("\\\\\'","\'")": ' +
          '"$util.escapeJavaScript($input.params().querystring.get($__rt1)).replaceAll("\\\\\'","\'")"#if($foreach.hasNext), #end#end}, ' +
          `"headers": {}, "requestId": ${str('$context.requestId', '__rt2')}}`,
      },
      IntegrationResponses: [
        { StatusCode: '200', ResponseTemplates: { 'application/json': SUCCESS } },
        { StatusCode: '500', SelectionPattern: '[\\s\\S]+', ResponseTemplates: { 'application/json': INTERNAL } },
      ],
    });
    expect(method.MethodResponses).toEqual([{ StatusCode: '200' }, { StatusCode: '500' }]);
    expect(method.RequestParameters).toEqual({ 'method.request.path.id': true });
  });

  test('error responses: one integration response per status, patterns sharing a status joined, a disjoint catch-all 500', () => {
    expect(responses.map((r: Json) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined],
      ['404', '(?:\\[NotFound\\][\\s\\S]*)|(?:\\[Gone\\][\\s\\S]*)'],
      ['400', '\\[BadRequest\\][\\s\\S]*'],
      ['409', '\\[Conflict\\][\\s\\S]*'],
      ['504', 'Task timed out after [0-9.]+ seconds'],
      ['500', '(?:\\[Unavailable\\][\\s\\S]*)|(?:(?!' + [
        '\\[NotFound\\][\\s\\S]*', '\\[BadRequest\\][\\s\\S]*', '\\[Gone\\][\\s\\S]*', '\\[Conflict\\][\\s\\S]*',
        'Task timed out after [0-9.]+ seconds', '\\[Unavailable\\][\\s\\S]*',
      ].map((p) => `(?:${p})(?![\\s\\S])`).join('|') + ')[\\s\\S]+)'],
    ]);
    expect(mapped.MethodResponses).toEqual(['200', '404', '400', '409', '504', '500'].map((StatusCode) => ({ StatusCode })));
    expect(responses[3].ResponseTemplates).toEqual({ 'application/json': '{"message": "Version conflict", "requestId": "$context.requestId"}' });
    expect(responses[2].ResponseTemplates).toEqual({
      'application/json': "#set($__em = $input.path('$.errorMessage'))#set($__msg = \"$!{__em}\")" +
        '{"message": "$util.escapeJavaScript($__msg.replaceFirst(\'^\\[BadRequest\\]\\s*\', \'\')).replaceAll("\\\\\'","\'")", "requestId": "$context.requestId"}',
    });
  });

  test.each([
    ['[NotFound] order 42 does not exist', 404, 'order 42 does not exist'],
    ['[NotFound]order 42', 404, 'order 42'],
    ['[NotFound]', 404, ''],
    ['[NotFound] a", "admin": true, "x": "', 404, 'a", "admin": true, "x": "'],
    ["[NotFound] it's \\ back $context.requestId #set($a = 1) 😀", 404, "it's \\ back $context.requestId #set($a = 1) 😀"],
    ['[BadRequest] name is required\nand qty must be > 0', 400, 'name is required\nand qty must be > 0'],
    ['[Gone] order 7 was deleted at 12:00', 404, 'The order is gone'],
    ['[Conflict] version 3 != 4\n    at update (/var/task/index.js:9:5)', 409, 'Version conflict'],
    ['Task timed out after 3.00 seconds', 504, 'Gateway timeout'],
    ['[Unavailable] database is down', 500, 'database is down'],
    ['boom', 500, 'Internal server error'],
    ['boom\n    at handler (/var/task/index.js:3:9)', 500, 'Internal server error'],
    ['Cannot read properties of undefined (reading \'id\')', 500, 'Internal server error'],
    [' [NotFound] leading space', 500, 'Internal server error'],
    ['[notfound] wrong case', 500, 'Internal server error'],
    ['prefix [NotFound] x', 500, 'Internal server error'],
    ['Task timed out after 3.00 seconds\nextra', 500, 'Internal server error'],
    ['\n', 500, 'Internal server error'],
  ])('the error %j answers %d with message %j', (errorMessage, status, message) => {
    expect(answerForError(responses, errorMessage)).toEqual([status, { message, requestId: 'req-1' }]);
  });

  test('an error with an empty message selects the 200 response, which answers a fixed 500 without the stack trace', () => {
    expect(answerForError(responses, '')).toEqual([500, { message: 'Internal server error', requestId: 'req-1' }]);
  });

  test.each([
    ['an object', { id: '42', items: [{ sku: 'a"b', qty: 2 }], note: "it's\n😀" }],
    ['an array', [1, 'two', { three: null }]],
    ['a string', 'hello "world"'],
    ['a number', 42],
    ['an object with an errorMessage field', { errorMessage: '', errorType: 'NotAnError' }],
  ])('a successful call returning %s answers 200 with the result as is', (_what, result) => {
    const success = select(responses, '');
    const rendered = MappingTemplate.renderWithOverrides(success.ResponseTemplates['application/json'], { body: JSON.stringify(result) });
    expect(rendered.statusOverride).toBeUndefined();
    expect(JSON.parse(rendered.output)).toEqual(result);
  });

  test('the request template of fromFields reaches the function as exact JSON', () => {
    const value = 'a", "admin": true, "x": "';
    const body = JSON.stringify({ name: value, qty: 2 });
    expect(MappingTemplate.renderJson(mapped.Integration.RequestTemplates['application/json'], { body }))
      .toEqual({ name: value, order: { name: value, qty: 2 } });
  });
});

describe('response template, CORS and cache', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  const origins = ['https://app.example.com', 'https://admin.example.com'];
  new LambdaCustomRoute(stack, 'Legacy', {
    api, path: '/legacy/{id}', method: 'GET', handler: fn,
    responseTemplate: '{"orderId": "$util.escapeJavaScript($input.path(\'$.ORDER_ID\'))"}',
    errorResponses: [LambdaErrorResponse.tagged('NotFound', 404)],
    cors: { allowOrigins: origins },
    cache: { ttl: Duration.minutes(5), queryParameters: ['lang'] },
  });
  const template = Template.fromStack(stack);
  const method = methodAt(template, '/legacy/{id}', 'GET');
  const headers = {
    'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
    'method.response.header.Vary': "'Origin'",
  };

  test('the response template runs after the empty-message guard', () => {
    const ok = method.Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
    expect(ok.endsWith('#{else}{"orderId": "$util.escapeJavaScript($input.path(\'$.ORDER_ID\'))"}#end')).toBe(true);
    const result = MappingTemplate.renderWithOverrides(ok, { body: '{"ORDER_ID": "7"}', headers: { Origin: origins[1] } });
    expect(JSON.parse(result.output)).toEqual({ orderId: '7' });
    expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': origins[1] });
  });

  test('CORS headers on every integration response, declared on every method response, origin reflected in every template', () => {
    const responses = method.Integration.IntegrationResponses;
    expect(responses.map((r: Json) => r.StatusCode)).toEqual(['200', '404', '500']);
    for (const r of responses) expect(r.ResponseParameters).toEqual(headers);
    expect(method.MethodResponses).toEqual(['200', '404', '500'].map((StatusCode) => ({
      StatusCode, ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': true, 'method.response.header.Vary': true },
    })));
    for (const [message, status, body] of [['[NotFound] x', '404', { message: 'x', requestId: 'r' }], ['boom', '500', { message: 'Internal server error', requestId: 'r' }]] as const) {
      const r = select(responses, message);
      expect(r.StatusCode).toBe(status);
      const result = MappingTemplate.renderWithOverrides(r.ResponseTemplates['application/json'], {
        body: lambdaError(message), headers: { origin: origins[1] }, context: { requestId: 'r' },
      });
      expect(JSON.parse(result.output)).toEqual(body);
      expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': origins[1] });
    }
  });

  test('the cache keys reach the integration (Origin added for several CORS origins)', () => {
    expect(method.Integration.CacheKeyParameters).toEqual(['method.request.path.id', 'method.request.querystring.lang', 'method.request.header.Origin']);
  });
});

describe('one Lambda permission per function per API, across proxy and custom routes', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const other = new apigw.RestApi(stack, 'Other');
  const fn = newFunction(stack, 'Fn');
  new LambdaProxyRoute(stack, 'Proxy', { api, path: '/a', method: 'GET', handler: fn });
  new LambdaCustomRoute(stack, 'Custom', { api, path: '/b', method: 'POST', handler: fn });
  new LambdaCustomRoute(stack, 'Custom2', { api, path: '/b', method: 'PUT', handler: fn });
  new LambdaCustomRoute(stack, 'OtherCustom', { api: other, path: '/c', method: 'POST', handler: fn });
  new LambdaProxyRoute(stack, 'OtherProxy', { api: other, path: '/d', method: 'GET', handler: fn });
  const template = Template.fromStack(stack);

  test('one permission per API, each scoped to its API', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => p);
    expect(permissions).toHaveLength(2);
    for (const p of permissions) {
      expect(p.FunctionName).toEqual(arnOf(stack, fn));
      expect(p.Principal).toBe('apigateway.amazonaws.com');
    }
    const apiRefs = permissions.map((p) => p.SourceArn['Fn::Join'][1].find((x: Json) => x.Ref && !x.Ref.startsWith('AWS::')).Ref).sort();
    expect(apiRefs).toEqual([
      stack.getLogicalId(api.node.defaultChild as apigw.CfnRestApi), stack.getLogicalId(other.node.defaultChild as apigw.CfnRestApi),
    ].sort());
  });

  test('the custom routes are type AWS and the proxy routes AWS_PROXY', () => {
    expect(methodAt(template, '/a', 'GET').Integration.Type).toBe('AWS_PROXY');
    expect(methodAt(template, '/b', 'POST').Integration.Type).toBe('AWS');
    expect(methodAt(template, '/b', 'PUT').Integration.Type).toBe('AWS');
    expect(methodAt(template, '/b', 'PUT').Integration.TimeoutInMillis).toBeUndefined();
  });

  test('matching() without a message answers a fixed text for its status, never the error text', () => {
    const s = newStack();
    const a = new apigw.RestApi(s, 'Api');
    new LambdaCustomRoute(s, 'R', {
      api: a, path: '/r', method: 'POST', handler: newFunction(s, 'Fn'),
      errorResponses: [LambdaErrorResponse.matching('Teapot:[\\s\\S]*', 418), LambdaErrorResponse.matching('Quota:[\\s\\S]*', 507),
        LambdaErrorResponse.matching('Slow:[\\s\\S]*', 429)],
    });
    const responses = methodAt(Template.fromStack(s), '/r', 'POST').Integration.IntegrationResponses;
    expect(answerForError(responses, 'Teapot: secret arn:aws:x')).toEqual([418, { message: 'The request was refused', requestId: 'req-1' }]);
    expect(answerForError(responses, 'Quota: secret')).toEqual([507, { message: 'The request failed', requestId: 'req-1' }]);
    expect(answerForError(responses, 'Slow: 3 s')).toEqual([429, { message: 'Too many requests', requestId: 'req-1' }]);
  });
});

describe('misuse', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  let n = 0;
  const attempt = (props: Partial<LambdaCustomRouteProps>) => {
    const id = `Bad${n++}`;
    return errorOf(() => new LambdaCustomRoute(stack, id, { api, path: `/${id.toLowerCase()}/{id}`, method: 'POST', handler: fn, ...props }));
  };
  const route = (i: number) => `Route Stack/Bad${i}`;

  test('no handler', () => {
    expect(attempt({ handler: undefined })).toBe(`${route(n - 1)}: handler is required: give a Lambda function (lambda.IFunction) (got undefined)`);
  });

  test.each([Duration.millis(10), Duration.seconds(30)])('timeout %s', (timeout) => {
    expect(attempt({ timeout })).toMatch(/^Route Stack\/Bad\d+: integration timeout \d+ ms is outside API Gateway's 50 ms to 29 s: use a timeout in that range$/);
  });

  test('a request template Field naming a path parameter the route lacks', () => {
    expect(attempt({ requestTemplate: RequestTemplate.fromFields({ o: Field.path('orderId') }) })).toBe(
      `${route(n - 1)}: Field.path('orderId') is not a parameter of the route's path: use one of {id}, or add it to the path`);
  });

  test('a request template that is not a RequestTemplate, and an empty response template', () => {
    expect(attempt({ requestTemplate: '{}' as any })).toMatch(/^Route Stack\/Bad\d+: requestTemplate must be a RequestTemplate such as RequestTemplate.fromFields\(\{...\}\) \(got the string '\{\}'\)$/);
    expect(attempt({ responseTemplate: ' ' })).toMatch(/^Route Stack\/Bad\d+: responseTemplate is empty: pass VTL, or leave it out/);
  });

  test.each([
    [[LambdaErrorResponse.tagged('NotFound', 99)], 'error response [NotFound] answers status 99: use an HTTP status code from 100 to 599'],
    [[LambdaErrorResponse.tagged('NotFound', 600)], 'error response [NotFound] answers status 600: use an HTTP status code from 100 to 599'],
    [[LambdaErrorResponse.tagged('NotFound', 404.5)], 'error response [NotFound] answers status 404.5: use an HTTP status code from 100 to 599'],
    [[LambdaErrorResponse.tagged('Ok', 200)], 'error response [Ok] answers 200, the status of a successful call: map errors to another status'],
    [[LambdaErrorResponse.tagged('NotFound', 404), LambdaErrorResponse.tagged('NotFound', 410)], 'error response [NotFound] is listed twice: list each pattern once'],
    [[LambdaErrorResponse.matching('x.*', 400), LambdaErrorResponse.matching('x.*', 400)], "error pattern 'x.*' is listed twice: list each pattern once"],
    [[LambdaErrorResponse.matching('(?s).*Error.*', 500)], "error pattern '(?s).*Error.*' starts with inline flags, which break when patterns are joined: write [\\s\\S] for any character including newlines"],
    [[LambdaErrorResponse.matching('.*', 500)], "error pattern '.*' matches an empty message, which every successful call has: make it match error messages only"],
    [[LambdaErrorResponse.matching('(Timeout)?', 504)], "error pattern '(Timeout)?' matches an empty message, which every successful call has: make it match error messages only"],
    [[LambdaErrorResponse.matching('\\u0041.*', 400)], "error pattern '\\u0041.*' holds a \\uXXXX escape, which Velocity would unescape: write the character itself"],
    [[LambdaErrorResponse.tagged('NotFound', 404, { message: ' ' })], 'error response [NotFound] has an empty message: write one, or leave it out'],
    [['x' as any], "errorResponses holds something else than a LambdaErrorResponse: use LambdaErrorResponse.tagged('NotFound', 404)"],
  ])('errorResponses %#', (errorResponses, message) => {
    expect(attempt({ errorResponses })).toBe(`${route(n - 1)}: ${message}`);
  });

  test.each(['[unclosed', 'a(b', '*x'])('an invalid regex %j', (pattern) => {
    expect(attempt({ errorResponses: [LambdaErrorResponse.matching(pattern, 400)] }))
      .toMatch(/^Route Stack\/Bad\d+: error pattern '.*' is not a valid regular expression \(.*\): write a Java regex such as NotFound\[\\s\\S\]\*$/);
  });

  test.each(['Not Found', '', '[NotFound]', '1x', 'a'.repeat(65)])('a bad tag %j', (tag) => {
    expect(errorOf(() => LambdaErrorResponse.tagged(tag, 404))).toBe(
      `LambdaErrorResponse.tagged('${tag}'): a tag is a letter followed by up to 63 letters, digits and _ . -, e.g. 'NotFound'`);
  });

  test('an empty pattern', () => {
    expect(errorOf(() => LambdaErrorResponse.matching('', 400))).toBe(
      'LambdaErrorResponse.matching: pattern is empty: pass a Java regex that matches the whole error message');
  });

  test('a tag with regex metacharacters is matched literally', () => {
    const s = newStack();
    const a = new apigw.RestApi(s, 'Api');
    new LambdaCustomRoute(s, 'R', { api: a, path: '/r', method: 'POST', handler: newFunction(s, 'Fn'), errorResponses: [LambdaErrorResponse.tagged('Not.Found-1', 404)] });
    const responses = methodAt(Template.fromStack(s), '/r', 'POST').Integration.IntegrationResponses;
    expect(responses[1].SelectionPattern).toBe('\\[Not\\.Found\\-1\\][\\s\\S]*');
    expect(answerForError(responses, '[Not.Found-1] gone')).toEqual([404, { message: 'gone', requestId: 'req-1' }]);
    expect(answerForError(responses, '[NotXFound-1] gone')).toEqual([500, { message: 'Internal server error', requestId: 'req-1' }]);
  });
});

describe('error patterns of different statuses must not overlap', () => {
  let n = 0;
  const make = (errorResponses: LambdaErrorResponse[]) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const id = `R${n++}`;
    new LambdaCustomRoute(stack, id, { api, path: '/r', method: 'POST', handler: newFunction(stack, 'Fn'), errorResponses });
    return methodAt(Template.fromStack(stack), '/r', 'POST').Integration.IntegrationResponses as Json[];
  };
  const attempt = (errorResponses: LambdaErrorResponse[]) => errorOf(() => make(errorResponses));

  test('a user pattern that catches a tagged response\'s messages names both and the fix', () => {
    expect(attempt([LambdaErrorResponse.matching('\\[Not[\\s\\S]*', 404), LambdaErrorResponse.tagged('NotFound', 410)])).toBe(
      `Route Stack/R${n - 1}: error patterns overlap: the message "[NotFound] order 42 does not exist" matches both ` +
      "LambdaErrorResponse.tagged('NotFound', 410) and LambdaErrorResponse.matching('\\[Not[\\s\\S]*', 404), " +
      'and API Gateway does not define which one answers: make LambdaErrorResponse.matching(\'\\[Not[\\s\\S]*\', 404) leave ' +
      '[NotFound] messages to the tagged response, e.g. start it with (?!\\[NotFound\\]), or throw those errors with another tag');
  });

  test('whatever the order they are listed in', () => {
    expect(attempt([LambdaErrorResponse.tagged('NotFound', 410), LambdaErrorResponse.matching('[\\s\\S]*Found[\\s\\S]*', 500)]))
      .toMatch(/^Route Stack\/R\d+: error patterns overlap: the message "\[NotFound\] order 42 does not exist" matches both LambdaErrorResponse.tagged\('NotFound', 410\) and LambdaErrorResponse.matching\('\[\\s\\S\]\*Found\[\\s\\S\]\*', 500\)/);
  });

  test('two user patterns: a sample message of one matched by the other', () => {
    expect(attempt([LambdaErrorResponse.matching('Timeout after \\d+ ms', 504), LambdaErrorResponse.matching('.*after.*', 503)])).toBe(
      `Route Stack/R${n - 1}: error patterns overlap: the message "Timeout after 0 ms" matches both ` +
      "LambdaErrorResponse.matching('Timeout after \\d+ ms', 504) and LambdaErrorResponse.matching('.*after.*', 503), " +
      'and API Gateway does not define which one answers: make the patterns match disjoint messages, e.g. throw each kind of ' +
      'error with its own [Tag] and map it with LambdaErrorResponse.tagged');
    // The second one's samples are tried too: 'Fatal: disk' is matched by the broader first pattern.
    expect(attempt([LambdaErrorResponse.matching('Fatal:[\\s\\S]*', 500), LambdaErrorResponse.matching('Fatal: (disk|memory)', 507)]))
      .toMatch(/error patterns overlap: the message "Fatal:( disk| memory)?" matches both/);
  });

  test('the fix the error suggests works: each message has exactly one answer', () => {
    const responses = make([
      LambdaErrorResponse.matching('(?!\\[NotFound\\])\\[Not[\\s\\S]*', 404),
      LambdaErrorResponse.tagged('NotFound', 410),
      LambdaErrorResponse.matching('Task timed out after [0-9.]+ seconds', 504),
    ]);
    expect(answerForError(responses, '[NotFound] order 42')).toEqual([410, { message: 'order 42', requestId: 'req-1' }]);
    expect(answerForError(responses, '[NotAllowed] no')).toEqual([404, { message: 'Not found', requestId: 'req-1' }]);
    expect(answerForError(responses, 'Task timed out after 3.00 seconds')).toEqual([504, { message: 'Gateway timeout', requestId: 'req-1' }]);
  });

  test('patterns of one status may overlap: they share one response, and the first listed writes the body', () => {
    const responses = make([LambdaErrorResponse.tagged('NotFound', 404), LambdaErrorResponse.matching('\\[Not[\\s\\S]*', 404)]);
    expect(answerForError(responses, '[NotFound] order 42')).toEqual([404, { message: 'order 42', requestId: 'req-1' }]);
    expect(answerForError(responses, '[NotHere] x')).toEqual([404, { message: 'Not found', requestId: 'req-1' }]);
  });
});
