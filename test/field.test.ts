process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../lib';
import { jsonString } from '../lib/templates/escape';
import { MappingTemplate, MappingTemplateRequest } from '../lib/testing';
import { errorOf } from './util';

const ROUTE = 'Route Stack/R';
const expr = (field: Field, params: string[] = ['id']) => field._expression(ROUTE, params);

describe('each factory gives the documented VTL expression', () => {
  test.each<[string, Field, string]>([
    ["body('$')", Field.body('$'), '$input.body'],
    ["body('$.user.name')", Field.body('$.user.name'), "$input.path('$.user.name')"],
    ["body('$.items[0]')", Field.body('$.items[0]'), "$input.path('$.items[0]')"],
    ["body(\"$['odd key']\")", Field.body("$['odd key']"), "$input.path('$[''odd key'']')"],
    ["bodyJson('$')", Field.bodyJson('$'), "$input.json('$')"],
    ["bodyJson('$.items')", Field.bodyJson('$.items'), "$input.json('$.items')"],
    ["path('id')", Field.path('id'), "$input.params().path.get('id')"],
    ["query('page')", Field.query('page'), "$input.params().querystring.get('page')"],
    ["header('X-Trace-Id')", Field.header('X-Trace-Id'), "$input.params().header.get('X-Trace-Id')"],
    ["context('requestId')", Field.context('requestId'), '$context.requestId'],
    ["context('identity.sourceIp')", Field.context('identity.sourceIp'), '$context.identity.sourceIp'],
    ["context('authorizer.principalId')", Field.context('authorizer.principalId'), '$context.authorizer.principalId'],
    ["authorizerClaim('sub')", Field.authorizerClaim('sub'), "$context.authorizer.claims['sub']"],
    ["authorizerClaim('cognito:groups')", Field.authorizerClaim('cognito:groups'), "$context.authorizer.claims['cognito:groups']"],
    ["authorizerContext('userId')", Field.authorizerContext('userId'), '$context.authorizer.userId'],
    ["stageVariable('tableSuffix')", Field.stageVariable('tableSuffix'), "$stageVariables['tableSuffix']"],
    ["stageVariable('1st')", Field.stageVariable('1st'), "$stageVariables['1st']"],
    ["literal('plain')", Field.literal('plain'), "'plain'"],
    ["literal(\"it's $x #y\")", Field.literal("it's $x #y"), "'it''s $x #y'"],
    ["literal('')", Field.literal(''), "''"],
  ])('Field.%s', (_name, field, expected) => {
    expect(expr(field)).toBe(expected);
  });
});

describe('invalid names and paths fail at construction with a message saying what to write', () => {
  test.each<[string, () => Field, RegExp]>([
    ['body without $', () => Field.body('user.name'), /^Field\.body\('user\.name'\): not a supported JSONPath: write '\$', '\$\.a\.b'/],
    ['body filter', () => Field.body('$..name'), /Field\.body\('\$\.\.name'\): not a supported JSONPath/],
    ['body wildcard', () => Field.body('$.items[*]'), /Field\.body\('\$\.items\[\*\]'\): not a supported JSONPath/],
    ['body script', () => Field.body("$.a')#set($x=1)"), /not a supported JSONPath/],
    ['body empty', () => Field.body(''), /Field\.body\(''\): not a supported JSONPath/],
    ['bodyJson names itself', () => Field.bodyJson('$.a b'), /^Field\.bodyJson\('\$\.a b'\): not a supported JSONPath/],
    ['path with brace', () => Field.path('{id}'), /^Field\.path\('\{id\}'\): not a valid path parameter name: use letters, digits and \. _ ~ -$/],
    ['path empty', () => Field.path(''), /^Field\.path\(''\): not a valid path parameter name/],
    ['query with quote', () => Field.query("a'b"), /^Field\.query\('a'b'\): not a valid query parameter name: use letters, digits/],
    ['header with space', () => Field.header('X Trace'), /^Field\.header\('X Trace'\): not a valid header name: use letters, digits and !#\$%&\*\+\.\^_`\|~-$/],
    ['header with colon', () => Field.header('Host:'), /not a valid header name/],
    ['claim with quote', () => Field.authorizerClaim("a'b"), /^Field\.authorizerClaim\('a'b'\): not a valid claim name: use letters, digits and : \. _ -$/],
    ['authorizer key with dot', () => Field.authorizerContext('a.b'), /^Field\.authorizerContext\('a\.b'\): not a valid authorizer context key name: use a letter or _/],
    ['authorizer key with digit first', () => Field.authorizerContext('1a'), /not a valid authorizer context key name/],
    ['stage variable with dash', () => Field.stageVariable('a-b'), /^Field\.stageVariable\('a-b'\): not a valid stage variable name: use letters, digits and _$/],
    ['context unknown', () => Field.context('requestid'), /^Field\.context\('requestid'\): unknown context variable: use one of requestId, extendedRequestId, requestTime, /],
    ['context authorizer claims', () => Field.context('authorizer.claims.sub'), /unknown context variable: use one of .*identity\.sourceIp/],
    ['literal with \\u escape', () => Field.literal('a\\u0041'), /^Field\.literal\('a\\u0041'\): Velocity would unescape its \\uXXXX sequence: write the character itself$/],
  ])('%s', (_name, make, message) => {
    expect(errorOf(make)).toMatch(message);
  });

  test('Field.context lists every supported name', () => {
    const message = errorOf(() => Field.context('nope'));
    for (const name of ['requestId', 'requestTime', 'requestTimeEpoch', 'identity.sourceIp', 'identity.userAgent', 'authorizer.principalId']) {
      expect(message).toContain(name);
    }
  });
});

describe('a path Field must name a parameter of the route', () => {
  test('the expression check names the route and lists its parameters', () => {
    expect(errorOf(() => expr(Field.path('nope'), ['customerId', 'orderId']))).toBe(
      "Route Stack/R: Field.path('nope') is not a parameter of the route's path: use one of {customerId}, {orderId}, or add it to the path");
    expect(errorOf(() => expr(Field.path('nope'), []))).toBe(
      "Route Stack/R: Field.path('nope') is not a parameter of the route's path: use one of none (the path has no parameters), or add it to the path");
  });

  test('through a ServiceIntegrationRoute with a FIFO queue', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new apigw.RestApi(stack, 'Api');
    const queue = new sqs.Queue(stack, 'Orders', { fifo: true });
    const message = errorOf(() => new ServiceIntegrationRoute(stack, 'Enqueue', {
      api, path: '/customers/{customerId}/orders', method: 'POST',
      action: ServiceAction.sqsSendMessage(queue, { messageGroupId: Field.path('nope') }),
    }));
    expect(message).toBe("Route Stack/Enqueue: Field.path('nope') is not a parameter of the route's path: " +
      'use one of {customerId}, or add it to the path');
    // The same route with a real parameter builds.
    expect(() => new ServiceIntegrationRoute(stack, 'Enqueue2', {
      api, path: '/customers/{customerId}/orders', method: 'PUT',
      action: ServiceAction.sqsSendMessage(queue, { messageGroupId: Field.path('customerId') }),
    })).not.toThrow();
  });
});

describe('each Field rendered inside jsonString gives the request value', () => {
  const HOSTILE = 'a", "admin": true, "x": "\\ \' \n\t é 😀 $context.requestId #set($x=1)';
  const request: MappingTemplateRequest = {
    body: JSON.stringify({ user: { name: 'Ann', address: { city: HOSTILE } }, items: ['first', 'second'], 'odd key': 'odd', n: 42, flag: true }),
    pathParameters: { id: 'p-1', other: HOSTILE },
    queryParameters: { page: '2', q: HOSTILE },
    headers: { 'X-Trace-Id': 'trace-1', 'X-Hostile': HOSTILE },
    stageVariables: { tableSuffix: 'dev', '1st': 'one', secret: 'must not leak' },
    context: {
      requestId: 'req-123',
      requestTime: '21/Nov/2026:06:26:57 +0000',
      requestTimeEpoch: 1795242417000,
      identity: { sourceIp: '198.51.100.7' },
      authorizer: { principalId: 'user-9', userId: 'u-9', claims: { 'sub': 'sub-1', 'cognito:groups': 'admins,users', 'email': HOSTILE } },
    },
  };
  const render = (field: Field, req: MappingTemplateRequest = request) =>
    MappingTemplate.renderJson(`{"v": ${jsonString(expr(field, ['id', 'other']))}}`, req).v;

  test.each<[string, Field, string]>([
    ['whole body', Field.body('$'), request.body!],
    ['nested body path', Field.body('$.user.name'), 'Ann'],
    ['deeply nested hostile body value', Field.body('$.user.address.city'), HOSTILE],
    ['array index', Field.body('$.items[1]'), 'second'],
    ['odd key', Field.body("$['odd key']"), 'odd'],
    ['number in the body', Field.body('$.n'), '42'],
    ['boolean in the body', Field.body('$.flag'), 'true'],
    ['missing body path', Field.body('$.user.missing'), ''],
    ['index past the end', Field.body('$.items[5]'), ''],
    ['bodyJson of an array', Field.bodyJson('$.items'), '["first","second"]'],
    ['bodyJson of a string', Field.bodyJson('$.user.name'), '"Ann"'],
    ['path', Field.path('id'), 'p-1'],
    ['hostile path', Field.path('other'), HOSTILE],
    ['query', Field.query('page'), '2'],
    ['hostile query', Field.query('q'), HOSTILE],
    ['missing query', Field.query('absent'), ''],
    ['header', Field.header('X-Trace-Id'), 'trace-1'],
    ['hostile header', Field.header('X-Hostile'), HOSTILE],
    ['missing header', Field.header('X-Absent'), ''],
    ['requestId', Field.context('requestId'), 'req-123'],
    ['requestTime', Field.context('requestTime'), '21/Nov/2026:06:26:57 +0000'],
    ['requestTimeEpoch', Field.context('requestTimeEpoch'), '1795242417000'],
    ['sourceIp', Field.context('identity.sourceIp'), '198.51.100.7'],
    ['principalId', Field.context('authorizer.principalId'), 'user-9'],
    ['claim sub', Field.authorizerClaim('sub'), 'sub-1'],
    ['claim cognito:groups', Field.authorizerClaim('cognito:groups'), 'admins,users'],
    ['hostile claim', Field.authorizerClaim('email'), HOSTILE],
    ['missing claim', Field.authorizerClaim('custom:tenant'), ''],
    ['authorizer context', Field.authorizerContext('userId'), 'u-9'],
    ['stage variable', Field.stageVariable('tableSuffix'), 'dev'],
    ['stage variable starting with a digit', Field.stageVariable('1st'), 'one'],
    ['missing stage variable', Field.stageVariable('none'), ''],
    ['literal', Field.literal("it's $x #y"), "it's $x #y"],
  ])('%s', (_name, field, expected) => {
    expect(render(field)).toBe(expected);
  });

  test('an empty body is {} for Field.body("$") (API Gateway gives the template {}), and a missing path is ""', () => {
    expect(render(Field.body('$'), { body: '' })).toBe('{}');
    expect(render(Field.body('$.a'), { body: '' })).toBe('');
    expect(render(Field.body('$.a'), { body: 'not json' })).toBe('');
  });

  test('claims without a Cognito authorizer, and no authorizer context, give ""', () => {
    expect(render(Field.authorizerClaim('cognito:groups'), {})).toBe('');
    expect(render(Field.authorizerContext('userId'), {})).toBe('');
  });
});
