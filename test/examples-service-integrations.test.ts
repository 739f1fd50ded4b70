process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { ServiceIntegrationsStack } from '../examples/service-integrations-stack';
import { FRONT_END_ORIGINS } from '../examples/shared/functions';
import { MappingTemplate, MappingTemplateRequest, MappingTemplateResult } from '../lib/testing';
import { Json, resourcePaths } from './util';

/*
 * The service-integrations example (scenario 5 and scenario 1's products table), synthesized once with
 * cdk.json's context (the examples test runs aws-cdk-lib's validation on the whole app). Every mapping
 * template of every method is rendered against adversarial requests and realistic service answers with
 * adversarial values; the routes are found in the template, so a new route is covered without a change
 * here (and fails until its exact expectations are added).
 */

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
const app = new App({ context: cdkJson.context });
const stack = new ServiceIntegrationsStack(app, 'ServiceIntegrations');
const template = Template.fromStack(stack);
const resources: { [id: string]: { Type: string; Properties?: Json } } = template.toJSON().Resources;

// ---------------------------------------------------------------------------------------------------
// CloudFormation values as fake but realistic strings
// ---------------------------------------------------------------------------------------------------

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const PSEUDO: { [name: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
const ARN_SERVICE: { [type: string]: string } = {
  'AWS::DynamoDB::Table': 'dynamodb', 'AWS::SQS::Queue': 'sqs', 'AWS::SNS::Topic': 'sns', 'AWS::Events::EventBus': 'events',
  'AWS::Kinesis::Stream': 'kinesis', 'AWS::S3::Bucket': 's3', 'AWS::StepFunctions::StateMachine': 'states', 'AWS::KMS::Key': 'kms',
  'AWS::IAM::Role': 'iam',
};

function arnOf(id: string): string {
  const type = resources[id]?.Type;
  if (!type) throw new Error(`no resource ${id}`);
  if (type === 'AWS::S3::Bucket') return `arn:aws:s3:::${id.toLowerCase()}`;
  if (type === 'AWS::StepFunctions::StateMachine') return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`;
  return `arn:aws:${ARN_SERVICE[type]}:${REGION}:${ACCOUNT}:${id}`;
}

/** Resolves Fn::Join, Ref and Fn::GetAtt to the strings CloudFormation would produce (with fake names). */
function resolve(value: Json): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref) {
    if (PSEUDO[value.Ref]) return PSEUDO[value.Ref];
    const type = resources[value.Ref]?.Type;
    // A topic's and a state machine's Ref is their ARN; a table's, queue's and bucket's their name.
    if (type === 'AWS::SNS::Topic' || type === 'AWS::StepFunctions::StateMachine') return arnOf(value.Ref);
    if (type === 'AWS::S3::Bucket') return value.Ref.toLowerCase();
    return value.Ref;
  }
  if (value['Fn::GetAtt']) {
    const [id, attribute] = value['Fn::GetAtt'];
    if (attribute === 'Arn') return arnOf(id);
    if (attribute === 'QueueName') return id;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function logicalIdOf(construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}
const child = (id: string) => stack.node.findChild(id);
const USERS_TABLE = resolve({ Ref: logicalIdOf(stack.usersTable) });
const ORDERS_TABLE = resolve({ Ref: logicalIdOf(child('OrdersTable')) });
const PRODUCTS_TABLE = resolve({ Ref: logicalIdOf(child('ProductsTable')) });
const TOPIC_ARN = arnOf(logicalIdOf(child('NotificationsTopic')));
const BUS_ARN = arnOf(logicalIdOf(child('AppEventBus')));
const STREAM_ARN = arnOf(logicalIdOf(child('ClickStream')));
const ONBOARDING_ARN = arnOf(logicalIdOf(child('OnboardingWorkflow')));
const QUOTES_ARN = arnOf(logicalIdOf(child('QuoteCalculator')));

// ---------------------------------------------------------------------------------------------------
// The methods, found in the template
// ---------------------------------------------------------------------------------------------------

interface IntegrationResponse {
  readonly StatusCode: string;
  readonly SelectionPattern?: string;
  readonly ResponseTemplates?: { [contentType: string]: string };
  readonly ResponseParameters?: { [param: string]: string };
}

interface MethodUnderTest {
  /** `POST /users` */
  readonly route: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly pathParameters: string[];
  readonly props: Json;
  readonly integrationType: string;
  /** `dynamodb:action/UpdateItem`, `sqs:path/...`; undefined for MOCK. */
  readonly target?: string;
  readonly service?: string;
  readonly requestTemplates: { [contentType: string]: string };
  readonly responses: IntegrationResponse[];
  readonly declaredStatuses: string[];
}

const paths = resourcePaths(template);
const METHODS: MethodUnderTest[] = Object.values(resources)
  .filter((r) => r.Type === 'AWS::ApiGateway::Method')
  .map((r) => {
    const props = r.Properties;
    const p = props.ResourceId.Ref ? paths[props.ResourceId.Ref] : '/';
    const integration = props.Integration;
    const uri = integration.Uri ? resolve(integration.Uri) : undefined;
    const target = uri ? /^arn:aws:apigateway:[^:]+:(.+)$/.exec(uri)?.[1] : undefined;
    const requestTemplates: { [contentType: string]: string } = {};
    for (const [contentType, t] of Object.entries(integration.RequestTemplates ?? {})) requestTemplates[contentType] = resolve(t);
    const responses: IntegrationResponse[] = (integration.IntegrationResponses ?? []).map((ir: Json) => ({
      ...ir,
      ResponseTemplates: ir.ResponseTemplates ? Object.fromEntries(Object.entries(ir.ResponseTemplates).map(([k, v]) => [k, resolve(v)])) : undefined,
    }));
    return {
      route: `${props.HttpMethod} ${p}`,
      path: p,
      httpMethod: props.HttpMethod,
      pathParameters: [...p.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]),
      props,
      integrationType: integration.Type,
      target,
      service: target?.split(':')[0],
      requestTemplates,
      responses,
      declaredStatuses: (props.MethodResponses ?? []).map((mr: Json) => mr.StatusCode),
    };
  });
const SERVICE_METHODS = METHODS.filter((m) => m.integrationType === 'AWS');
const method = (route: string): MethodUnderTest => {
  const found = METHODS.filter((m) => m.route === route);
  if (found.length !== 1) throw new Error(`expected one ${route}, found ${found.length}`);
  return found[0];
};
const jsonTemplate = (m: MethodUnderTest): string => {
  const t = m.requestTemplates['application/json'];
  if (t === undefined) throw new Error(`${m.route} has no application/json request template`);
  return t;
};

// ---------------------------------------------------------------------------------------------------
// Adversarial requests
// ---------------------------------------------------------------------------------------------------

const INJECTION = 'a", "admin": true, "x": "';
const HOSTILE = [
  INJECTION,
  "it's",
  'back\\slash \\" \\u0041 \\',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀 👩‍👩‍👧',
  '$context.requestId #set($x = 1) ${x} $input.body',
  "'; #end #if(true) {\"statusCode\": 200}",
  '}{',
  '&Action=DeleteQueue&MessageBody=x&',
  '%26Subject%3Dx + =',
  '</script><script>alert(1)</script>',
  ' ',
  '',
];
/** The body from the issue: JSON whose string values try to close their quotes. */
const HOSTILE_JSON_BODY = '{"username": "a\\", \\"admin\\": true, \\"x\\": \\"", "email": "it\'s\\n\\\\ é 😀"}';
const BODIES = [
  HOSTILE_JSON_BODY,
  JSON.stringify({ username: INJECTION, email: "it's\n\\ é 😀" }),
  JSON.stringify({ username: 'alice', email: 'alice@example.com' }),
  JSON.stringify({ username: '$context.requestId #set($x = 1)', email: '#end</x>', userId: 'u-1' }),
  JSON.stringify({ customerId: 'c-1', items: [{ productId: 'p"1', quantity: 2 }, { productId: 'p\\2', quantity: 1 }], note: 'tab\there' }),
  JSON.stringify({ nested: { deeper: ['a', { b: 'c"d' }, 1.5, true, null] }, text: '\u0001 control \u2028 separator' }),
  '[1, 2, "three"]',
  '"just a JSON string"',
  'not json & Action=DeleteQueue&MessageBody=x',
  '{"unterminated": ',
  '',
];
const HEADERS = ['X-Subject', 'X-Event-Type', 'X-Session-Id', 'Idempotency-Key', 'Authorization'];
/** A caller's sub (a UUID on Cognito); the hostile values also play the sub, to test its escaping. */
const SUB = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';

function requestId(i: number): string {
  return `c6af9ac6-7b61-11e6-9a41-${(0x93e8deadbeef + i).toString(16).padStart(12, '0')}`;
}
function requestTime(i: number): string {
  return `${String(1 + (i % 28)).padStart(2, '0')}/Apr/2025:12:${String(i % 60).padStart(2, '0')}:56 +0000`;
}

/** Every value in every place a route reads, plus each body with benign values, plus an empty request. */
function requestsFor(m: MethodUnderTest): MappingTemplateRequest[] {
  const build = (value: string, body: string, i: number, origin?: string): MappingTemplateRequest => ({
    body,
    pathParameters: Object.fromEntries(m.pathParameters.map((p) => [p, value])),
    queryParameters: { nextToken: value, admin: 'true' },
    headers: { ...Object.fromEntries(HEADERS.map((h) => [h, value])), 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
    context: { requestId: requestId(i), requestTime: requestTime(i), authorizer: { claims: { sub: value } } },
  });
  return [
    ...HOSTILE.map((v, i) => build(v, BODIES[i % BODIES.length], i, i % 2 ? FRONT_END_ORIGINS[i % FRONT_END_ORIGINS.length] : v)),
    ...BODIES.map((b, i) => build(i % 2 ? SUB : `benign-${i}`, b, 100 + i)),
    {},
  ];
}

// ---------------------------------------------------------------------------------------------------
// What each request template must produce, exactly
// ---------------------------------------------------------------------------------------------------

const param = (r: MappingTemplateRequest, name: string) => r.pathParameters?.[name] ?? '';
const header = (r: MappingTemplateRequest, name: string) => r.headers?.[name] ?? '';
const query = (r: MappingTemplateRequest, name: string) => r.queryParameters?.[name] ?? '';
const context = (r: MappingTemplateRequest, name: 'requestId' | 'requestTime') =>
  r.context?.[name] ?? MappingTemplate.render(`$context.${name}`);
/** The caller: the `sub` claim of the token the Cognito authorizer verified. */
const caller = (r: MappingTemplateRequest): string => r.context?.authorizer?.claims?.sub ?? '';
/** `$input.body`: the raw body; API Gateway gives an empty body as `{}`. */
const rawBody = (r: MappingTemplateRequest) => (r.body ? r.body : '{}');

function parsedBody(r: MappingTemplateRequest): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(rawBody(r)) };
  } catch {
    return { ok: false };
  }
}

/**
 * A body that starts like JSON (`{`, `[`) but is not: API Gateway answers 400 as soon as a template
 * reads it with `$input.path` / `$input.json` (2015 recordings); other text reads as one string.
 */
const refusedBody = (r: MappingTemplateRequest) => !parsedBody(r).ok && /^\s*[[{]/.test(rawBody(r));

/** `$input.path('$.<key>')` as text, for bodies whose value there is a string or absent. */
function bodyText(r: MappingTemplateRequest, key: string): string {
  const body = parsedBody(r);
  if (!body.ok || body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) return '';
  const v = (body.value as { [k: string]: unknown })[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new Error(`test body has a non-string ${key}: ${r.body}`);
  return v;
}

/** `ExclusiveStartKey` for a request: absent without a token; every test token here is not a valid one, so `{}`. */
function startKey(r: MappingTemplateRequest): Json {
  return query(r, 'nextToken') === '' ? {} : { ExclusiveStartKey: {} };
}

type Expected = { format: 'json'; value: Json } | { format: 'form'; fields: Array<[string, string]> };
const json = (value: Json): Expected => ({ format: 'json', value });
const form = (fields: Array<[string, string]>): Expected => ({ format: 'form', fields });
const S = (value: string) => ({ S: value });

/** The exact request each route sends, as a function of the client's request. */
const EXPECTED_REQUESTS: { [route: string]: (r: MappingTemplateRequest) => Expected } = {
  'POST /users': (r) => json({
    TableName: USERS_TABLE,
    Key: { userId: S(caller(r)) },
    UpdateExpression: 'SET #a0 = :v0, #a1 = :v1, #a2 = :v2, #a3 = :v3',
    ConditionExpression: 'attribute_not_exists(#k0)',
    ExpressionAttributeNames: { '#a0': 'requestId', '#a1': 'createdAt', '#a2': 'username', '#a3': 'email', '#k0': 'userId' },
    ExpressionAttributeValues: {
      ':v0': S(context(r, 'requestId')), ':v1': S(context(r, 'requestTime')), ':v2': S(bodyText(r, 'username')), ':v3': S(bodyText(r, 'email')),
    },
    ReturnValues: 'ALL_NEW',
  }),
  'GET /users/me': (r) => json({
    TableName: USERS_TABLE,
    Key: { userId: S(caller(r)) },
    ProjectionExpression: '#p0, #p1, #p2, #p3, #p4',
    ExpressionAttributeNames: { '#p0': 'userId', '#p1': 'username', '#p2': 'email', '#p3': 'createdAt', '#p4': 'updatedAt' },
  }),
  'PATCH /users/me': (r) => json({
    TableName: USERS_TABLE,
    Key: { userId: S(caller(r)) },
    UpdateExpression: 'SET #a0 = :v0, #a1 = :v1',
    ConditionExpression: 'attribute_exists(#k0)',
    ExpressionAttributeNames: { '#a0': 'email', '#a1': 'updatedAt', '#k0': 'userId' },
    ExpressionAttributeValues: { ':v0': S(bodyText(r, 'email')), ':v1': S(context(r, 'requestTime')) },
    ReturnValues: 'ALL_NEW',
  }),
  'DELETE /users/me': (r) => json({ TableName: USERS_TABLE, Key: { userId: S(caller(r)) }, ReturnValues: 'ALL_OLD' }),
  'GET /users/me/orders': (r) => json({
    TableName: ORDERS_TABLE,
    KeyConditionExpression: '#k0 = :k0',
    ExpressionAttributeNames: { '#k0': 'userId' },
    ExpressionAttributeValues: { ':k0': S(caller(r)) },
    Limit: 25,
    ScanIndexForward: false,
    ...startKey(r),
  }),
  // The order id from the path, inside the caller's own partition.
  'GET /users/me/orders/{orderId}': (r) => json({
    TableName: ORDERS_TABLE,
    Key: { userId: S(caller(r)), orderId: S(param(r, 'orderId')) },
  }),
  // Support staff only (the users/admin scope): any user's profile, by the id in the path.
  'GET /users/{userId}': (r) => json({
    TableName: USERS_TABLE,
    Key: { userId: S(param(r, 'userId')) },
    ProjectionExpression: '#p0, #p1, #p2, #p3, #p4',
    ExpressionAttributeNames: { '#p0': 'userId', '#p1': 'username', '#p2': 'email', '#p3': 'createdAt', '#p4': 'updatedAt' },
  }),
  'GET /products': (r) => json({ TableName: PRODUCTS_TABLE, Limit: 50, ...startKey(r) }),
  'GET /categories/{category}/products': (r) => json({
    TableName: PRODUCTS_TABLE,
    IndexName: 'byCategory',
    KeyConditionExpression: '#k0 = :k0',
    ExpressionAttributeNames: { '#k0': 'category' },
    ExpressionAttributeValues: { ':k0': S(param(r, 'category')) },
    Limit: 50,
    ...startKey(r),
  }),
  'POST /orders': (r) => form([
    ['Action', 'SendMessage'],
    ['MessageBody', rawBody(r)],
    ['MessageGroupId', caller(r)],
    ['MessageDeduplicationId', context(r, 'requestId')],
  ]),
  'POST /users/me/payments': (r) => form([
    ['Action', 'SendMessage'],
    ['MessageBody', rawBody(r)],
    ['MessageGroupId', caller(r)],
    ['MessageDeduplicationId', context(r, 'requestId')],
  ]),
  'POST /notifications': (r) => form([
    ['Action', 'Publish'],
    ['TopicArn', TOPIC_ARN],
    ['Message', rawBody(r)],
    ...(header(r, 'X-Subject') !== '' ? [['Subject', header(r, 'X-Subject')] as [string, string]] : []),
  ]),
  'POST /events': (r) => {
    // Detail is the body's JSON text (compared parsed): a body that is not JSON gives its text as a string.
    const body = parsedBody(r);
    return json({
      Entries: [{
        Source: 'com.example.frontend',
        DetailType: header(r, 'X-Event-Type'),
        Detail: { parsed: body.ok ? body.value : rawBody(r) },
        EventBusName: BUS_ARN,
      }],
    });
  },
  'POST /clicks': (r) => json({
    StreamARN: STREAM_ARN,
    Data: Buffer.from(rawBody(r), 'utf8').toString('base64'),
    PartitionKey: header(r, 'X-Session-Id'),
  }),
  'POST /workflows': (r) => json({
    stateMachineArn: ONBOARDING_ARN,
    input: rawBody(r),
    // Named by the caller, whatever the request says (an Idempotency-Key header is ignored).
    ...(caller(r) !== '' ? { name: caller(r) } : {}),
  }),
  'POST /quotes': (r) => json({ stateMachineArn: QUOTES_ARN, input: rawBody(r) }),
  'GET /admin/tables/users': () => json({ TableName: USERS_TABLE }),
};

/** Routes whose integration has no request template at all: S3 gets the body untouched. */
const NO_REQUEST_TEMPLATE = ['GET /users/me/files/{key}', 'PUT /users/me/files/{key}'];

/** Every key of a JSON value, also inside string values that hold JSON (a Step Functions input, an event's detail). */
function keysIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        keysIn(JSON.parse(trimmed), out);
      } catch {
        // not JSON: no keys
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => keysIn(v, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysIn(v, out);
    }
  }
  return out;
}

function formFields(output: string): Array<[string, string]> {
  return [...new URLSearchParams(output).entries()];
}

/** A rendered JSON request with the event detail parsed, for comparison with `EXPECTED_REQUESTS`. */
function normalized(route: string, rendered: Json): Json {
  if (route !== 'POST /events') return rendered;
  const entries = rendered.Entries.map((e: Json) => ({ ...e, Detail: { parsed: JSON.parse(e.Detail) } }));
  return { ...rendered, Entries: entries };
}

describe('request templates', () => {
  test('every method of the stack is either a CORS preflight, a route with exact expectations, or an S3 route without a template', () => {
    const routes = METHODS.filter((m) => m.httpMethod !== 'OPTIONS').map((m) => m.route).sort();
    expect(routes).toEqual([...Object.keys(EXPECTED_REQUESTS), ...NO_REQUEST_TEMPLATE].sort());
    for (const m of METHODS.filter((x) => x.httpMethod === 'OPTIONS')) expect(m.integrationType).toBe('MOCK');
    for (const route of NO_REQUEST_TEMPLATE) expect(method(route).requestTemplates).toEqual({});
    // application/json only: any other content type is refused (415), never passed through.
    for (const m of SERVICE_METHODS.filter((x) => !NO_REQUEST_TEMPLATE.includes(x.route))) {
      expect({ route: m.route, types: Object.keys(m.requestTemplates), passthrough: m.props.Integration.PassthroughBehavior })
        .toEqual({ route: m.route, types: ['application/json'], passthrough: 'NEVER' });
      // The expectation's format is the one the service is told: form fields exactly when the body is form-encoded.
      const contentType = m.props.Integration.RequestParameters?.['integration.request.header.Content-Type'];
      const format = EXPECTED_REQUESTS[m.route]({}).format;
      expect({ route: m.route, form: contentType === "'application/x-www-form-urlencoded'" }).toEqual({ route: m.route, form: format === 'form' });
    }
  });

  test.each(Object.keys(EXPECTED_REQUESTS))('%s renders exactly the expected service request for every adversarial request', (route) => {
    const m = method(route);
    const t = jsonTemplate(m);
    const requests = requestsFor(m);
    for (const r of requests) {
      if (refusedBody(r) && /\$input\.(path|json)\(/.test(t)) {
        expect(() => MappingTemplate.render(t, r)).toThrow(/Could not process payload/);
        continue;
      }
      const expected = EXPECTED_REQUESTS[route](r);
      const output = MappingTemplate.render(t, r);
      if (expected.format === 'form') {
        // Form-encoded (SQS, SNS): exactly the expected fields, in order, with the original values.
        expect({ request: r, fields: formFields(output) }).toEqual({ request: r, fields: expected.fields });
      } else {
        let rendered: Json;
        try {
          rendered = JSON.parse(output);
        } catch (e) {
          throw new Error(`${route}: not JSON for ${JSON.stringify(r)}: ${(e as Error).message}\n${output}`);
        }
        expect({ request: r, rendered: normalized(route, rendered) }).toEqual({ request: r, rendered: expected.value });
        // No key the input tried to add, at any depth, also inside JSON held in strings.
        expect(keysIn(rendered)).not.toContain('admin');
      }
    }
  });

  test('CORS preflights answer 204 whatever the request', () => {
    const preflights = METHODS.filter((m) => m.httpMethod === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const m of preflights) {
      for (const r of requestsFor(m)) expect(MappingTemplate.renderJson(jsonTemplate(m), r)).toEqual({ statusCode: 204 });
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Response templates: realistic service answers with adversarial values
// ---------------------------------------------------------------------------------------------------

type AttributeValue = { [type: string]: Json };

function plain(av: AttributeValue): Json {
  const [type, v] = Object.entries(av)[0];
  switch (type) {
    case 'S': case 'B': return v;
    case 'N': return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v) ? Number(v) : v;
    case 'BOOL': return v;
    case 'NULL': return null;
    case 'SS': case 'BS': return v;
    case 'NS': return v.map(Number);
    case 'M': return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x as AttributeValue)]));
    case 'L': return v.map(plain);
    default: throw new Error(`unknown type ${type}`);
  }
}
const plainItem = (item: { [k: string]: AttributeValue }) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plain(v)]));

/** A stored user with `v` in every string, map key and set, and every attribute type. */
function userItem(v: string): { [k: string]: AttributeValue } {
  return {
    userId: S(v),
    createdAt: S('09/Apr/2025:12:34:56 +0000'),
    username: S(v),
    email: S(`${v}@example.com`),
    loginCount: { N: '42' },
    score: { N: '-1.5E3' },
    verified: { BOOL: true },
    tags: { SS: [v, 'plain'] },
    lucky: { NS: ['7', '3.14'] },
    avatar: { B: 'iVBORw0KGgo=' },
    profile: { M: { [v]: S(v), history: { L: [S(v), { N: '1' }, { NULL: true }, { M: { deep: S(v) } }] } } },
    deleted: { NULL: true },
  };
}

interface ResponseCase {
  readonly name: string;
  readonly body: string;
  /** The JSON the client gets (undefined: the output must be empty). */
  readonly expected?: (r: MappingTemplateRequest) => Json;
  /** The status the template sets (undefined: none, the integration response's own). */
  readonly status?: number;
}

const errorBody = (message: string) => (r: MappingTemplateRequest) => ({ message, requestId: context(r, 'requestId') });
const FIXED_ERRORS: { [status: string]: string } = {
  400: 'The service rejected the request',
  404: 'No such object',
  502: 'The service failed to handle the request',
};

/** The DynamoDB key attributes a route's pagination token must carry, per route. */
const PAGE_KEYS: { [route: string]: (v: string) => { [k: string]: AttributeValue } } = {
  'GET /users/me/orders': (v) => ({ userId: S(v), orderId: S(`o-${v}`) }),
  'GET /products': (v) => ({ productId: S(v) }),
  'GET /categories/{category}/products': (v) => ({ productId: S(v), category: S(`c-${v}`), name: S(`n-${v}`) }),
};

/** What each success response answers, by service action; the error responses are derived from their pattern. */

/** An error name as a service route answers it in `code`: as it is when a plain name, else Unknown. */
function plainCode(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name) ? name : 'Unknown';
}
function successCases(m: MethodUnderTest): ResponseCase[] {
  const perValue = (f: (v: string) => ResponseCase) => HOSTILE.map(f);
  // `dynamodb:GetItem` for action targets, `sqs:path` for path targets.
  const [service, target] = [m.service, m.target!.slice(m.service!.length + 1)];
  const action = target.startsWith('action/') ? `${service}:${target.slice('action/'.length)}` : `${service}:path`;
  switch (action) {
    case 'dynamodb:UpdateItem':
      return [
        ...perValue((v) => ({ name: 'ALL_NEW item', body: JSON.stringify({ Attributes: userItem(v) }), expected: () => plainItem(userItem(v)) })),
        { name: 'no attributes', body: '{}', expected: () => ({}) },
      ];
    case 'dynamodb:GetItem':
    case 'dynamodb:DeleteItem': {
      const key = action === 'dynamodb:GetItem' ? 'Item' : 'Attributes';
      return [
        ...perValue((v) => ({ name: key, body: JSON.stringify({ [key]: userItem(v) }), expected: () => plainItem(userItem(v)) })),
        { name: 'no item', body: '{}', expected: errorBody('Not found'), status: 404 },
      ];
    }
    case 'dynamodb:Query':
    case 'dynamodb:Scan':
      return [
        ...perValue((v) => ({
          name: 'a last page',
          body: JSON.stringify({ Items: [userItem(v), userItem('second')], Count: 2, ScannedCount: 2 }),
          expected: () => ({ items: [plainItem(userItem(v)), plainItem(userItem('second'))], count: 2 }),
        })),
        { name: 'no items', body: JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }), expected: () => ({ items: [], count: 0 }) },
      ];
    case 'dynamodb:DescribeTable':
      return [
        ...perValue((v) => ({
          name: 'a table',
          body: JSON.stringify({ Table: { TableName: v, TableStatus: v, ItemCount: 1234, TableArn: `arn:${v}`, KeySchema: [{ AttributeName: v, KeyType: 'HASH' }] } }),
          expected: () => ({ tableName: v, status: v, itemCount: 1234 }),
        })),
        { name: 'no table', body: '{}', expected: () => ({ tableName: '', status: '', itemCount: null }) },
      ];
    case 'sqs:path':
      return perValue((v) => ({
        name: 'SendMessage',
        body: JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: v, MD5OfMessageBody: v }, ResponseMetadata: { RequestId: v } } }),
        expected: () => ({ messageId: v }),
      }));
    case 'sns:path':
      return perValue((v) => ({
        name: 'Publish',
        body: JSON.stringify({ PublishResponse: { PublishResult: { MessageId: v, SequenceNumber: null }, ResponseMetadata: { RequestId: v } } }),
        expected: () => ({ messageId: v }),
      }));
    case 'events:PutEvents':
      return [
        ...perValue((v) => ({ name: 'accepted', body: JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: v }] }), expected: () => ({ eventId: v }) })),
        ...perValue((v) => ({
          name: 'malformed',
          body: JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: v }] }),
          // The entry's message is EventBridge's own text: never answered (issue 11 B10).
          expected: (r) => ({ message: 'EventBridge rejected the event', code: 'MalformedDetail', requestId: context(r, 'requestId') }),
          status: 400,
        })),
        ...perValue((v) => ({
          name: 'failed',
          body: JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: v === '' ? 'InternalFailure' : v, ErrorMessage: v }] }),
          expected: (r) => ({ message: 'EventBridge failed to accept the event', code: plainCode(v === '' ? 'InternalFailure' : v), requestId: context(r, 'requestId') }),
          status: 500,
        })),
      ];
    case 'kinesis:PutRecord':
      return perValue((v) => ({
        name: 'PutRecord',
        body: JSON.stringify({ SequenceNumber: v, ShardId: 'shardId-000000000002', EncryptionType: 'KMS' }),
        expected: () => ({ sequenceNumber: v, shardId: 'shardId-000000000002' }),
      }));
    case 'states:StartExecution':
      return perValue((v) => ({
        name: 'started',
        body: JSON.stringify({ executionArn: v, startDate: 1744201696.123 }),
        expected: () => ({ executionArn: v, startDate: 1744201696.123 }),
      }));
    case 'states:StartSyncExecution':
      return [
        ...perValue((v) => ({
          name: 'succeeded',
          body: JSON.stringify({ status: 'SUCCEEDED', output: JSON.stringify({ items: [{ productId: v, quantity: 2 }], currency: 'USD', [v]: v }) }),
          expected: () => ({ items: [{ productId: v, quantity: 2 }], currency: 'USD', [v]: v }),
        })),
        { name: 'no output', body: JSON.stringify({ status: 'SUCCEEDED' }), expected: () => null },
        ...perValue((v) => ({
          name: 'failed',
          body: JSON.stringify({ status: 'FAILED', error: v, cause: v }),
          // Never the cause; the error name only when it is a plain name (issue 11 B10).
          expected: (r) => ({ message: 'The state machine execution failed', code: plainCode(v), requestId: context(r, 'requestId') }),
          status: 500,
        })),
        {
          name: 'timed out',
          body: JSON.stringify({ status: 'TIMED_OUT' }),
          expected: errorBody('The state machine execution timed out'),
          status: 504,
        },
      ];
    case 's3:path':
      // PutObject answers no body: the 200 template keeps it empty whatever S3 sends.
      return [{ name: 'PutObject answer', body: '' }, { name: 'unexpected body', body: '{"admin": true}' }];
    default:
      throw new Error(`${m.route}: no response cases for ${m.target}`);
  }
}

/** The DynamoDB presets' targets (a custom DynamoDB action gets the generic error answers). */
const DYNAMODB_PRESET_TARGETS = ['UpdateItem', 'GetItem', 'DeleteItem', 'Query', 'Scan'].map((a) => `dynamodb:action/${a}`);
const DYNAMO_ERROR = (type: string, message: string) => JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

/** The cases of an error response, from its selection pattern and the route's service. */
function errorCases(m: MethodUnderTest, response: IntegrationResponse): ResponseCase[] {
  const status = response.StatusCode;
  const serviceErrors = HOSTILE.map((v) => m.service === 's3'
    ? `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>${v}</Message></Error>`
    : JSON.stringify({ __type: v, message: v, Error: { Code: v, Message: v } }));
  if (DYNAMODB_PRESET_TARGETS.includes(m.target!) && status === '400') {
    // A failed condition: 409 for a create-only put, 404 for an update of a missing item, else 400.
    const condition: string | undefined = JSON.parse(MappingTemplate.render(jsonTemplate(m))).ConditionExpression;
    const conditional = condition?.startsWith('attribute_not_exists') ? { status: 409, message: 'An item with this key already exists' }
      : condition?.startsWith('attribute_exists') ? { status: 404, message: 'Not found' } : undefined;
    return [
      {
        name: 'condition failed',
        body: DYNAMO_ERROR('ConditionalCheckFailedException', INJECTION),
        expected: errorBody(conditional?.message ?? FIXED_ERRORS[400]),
        status: conditional?.status,
      },
      ...['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].map((type) => ({
        name: type, body: DYNAMO_ERROR(type, INJECTION), expected: errorBody('Too many requests: retry later'), status: 429,
      })),
      ...serviceErrors.map((body) => ({ name: 'other client error', body, expected: errorBody(FIXED_ERRORS[400]) })),
      { name: 'validation', body: DYNAMO_ERROR('ValidationException', INJECTION), expected: errorBody(FIXED_ERRORS[400]) },
    ];
  }
  if (!FIXED_ERRORS[status]) throw new Error(`${m.route}: no cases for the ${status} response`);
  return serviceErrors.map((body) => ({ name: `${status} answer`, body, expected: errorBody(FIXED_ERRORS[status]) }));
}

function casesFor(m: MethodUnderTest, response: IntegrationResponse): ResponseCase[] {
  if (m.integrationType === 'MOCK') return [{ name: 'preflight', body: '' }];
  return response.SelectionPattern === undefined ? successCases(m) : errorCases(m, response);
}

/** Routes with their own single-origin CORS (an S3 object passes through, so no template can pick the origin). */
const SINGLE_ORIGIN_PATHS = ['/users/me/files/{key}'];

/**
 * How a response sets Access-Control-Allow-Origin: the API's ApiCors allows two origins, so its answers
 * default to the first and a template reflects the caller's allowed Origin; single-origin routes are static.
 */
function corsOf(m: MethodUnderTest, response: IntegrationResponse): 'reflect' | 'static' {
  const label = `${m.route} ${response.StatusCode}`;
  const allowOrigin = response.ResponseParameters?.['method.response.header.Access-Control-Allow-Origin'];
  expect({ label, allowOrigin }).toEqual({ label, allowOrigin: `'${FRONT_END_ORIGINS[0]}'` });
  const reflects = (response.ResponseTemplates?.['application/json'] ?? '').includes('responseOverride.header.Access-Control-Allow-Origin');
  expect({ label, reflects }).toEqual({ label, reflects: !SINGLE_ORIGIN_PATHS.includes(m.path) });
  return reflects ? 'reflect' : 'static';
}

const ORIGIN_VALUES = [...FRONT_END_ORIGINS, ...HOSTILE, 'https://app.example.com.evil.test', 'HTTPS://APP.EXAMPLE.COM'];

describe('response templates', () => {
  const withTemplates = METHODS.flatMap((m) => m.responses.map((response) => ({ m, response })));

  test('every integration response has a template, except S3 answers passed through and single-origin preflights', () => {
    for (const { m, response } of withTemplates) {
      const t = response.ResponseTemplates?.['application/json'];
      if (t === undefined) {
        // With one allowed origin the CORS headers are static, so a preflight needs no template.
        const expected = m.integrationType === 'MOCK' ? { status: '204', service: undefined, cors: 'static' } : { status: '200', service: 's3', cors: 'static' };
        expect({ route: m.route, status: response.StatusCode, service: m.service, pattern: response.SelectionPattern, cors: corsOf(m, response) })
          .toEqual({ route: m.route, pattern: undefined, ...expected });
      } else {
        expect(Object.keys(response.ResponseTemplates!)).toEqual(['application/json']);
      }
    }
  });

  test.each(METHODS.map((m) => [m.route, m] as const))('%s: every response template renders the exact answer for adversarial service values', (_route, m) => {
    for (const response of m.responses) {
      const t = response.ResponseTemplates?.['application/json'];
      if (t === undefined) continue;
      const cors = corsOf(m, response);
      casesFor(m, response).forEach((c, i) => {
        const origin = ORIGIN_VALUES[i % ORIGIN_VALUES.length];
        const request: MappingTemplateRequest = {
          body: c.body,
          headers: { Origin: origin },
          pathParameters: Object.fromEntries(m.pathParameters.map((p) => [p, HOSTILE[i % HOSTILE.length]])),
          context: { requestId: requestId(i), requestTime: requestTime(i) },
        };
        let result: MappingTemplateResult;
        try {
          result = MappingTemplate.renderWithOverrides(t, request);
        } catch (e) {
          throw new Error(`${m.route} ${response.StatusCode} ${c.name}: ${(e as Error).message}`);
        }
        const label = `${m.route} ${response.StatusCode} ${c.name} #${i}`;
        if (c.expected === undefined) {
          expect({ label, output: result.output.trim() }).toEqual({ label, output: '' });
        } else {
          let parsed: Json;
          try {
            parsed = JSON.parse(result.output);
          } catch (e) {
            throw new Error(`${label}: not JSON: ${(e as Error).message}\n${result.output}`);
          }
          expect({ label, parsed }).toEqual({ label, parsed: c.expected(request) });
          expect(keysIn(parsed)).not.toContain('admin');
        }
        // A status the template picks is a declared method response.
        expect({ label, status: result.statusOverride }).toEqual({ label, status: c.status });
        if (c.status !== undefined) expect(m.declaredStatuses).toContain(String(c.status));
        // The caller's Origin is reflected only when it is an allowed origin.
        const reflected = result.headerOverrides['Access-Control-Allow-Origin'];
        const expectedOrigin = cors === 'reflect' && FRONT_END_ORIGINS.includes(origin) ? origin : undefined;
        expect({ label, origin, reflected }).toEqual({ label, origin, reflected: expectedOrigin });
      });
    }
  });

  test('pagination tokens round-trip: the nextToken of a page is the next request\'s ExclusiveStartKey, whatever the key values', () => {
    for (const [route, keyOf] of Object.entries(PAGE_KEYS)) {
      const m = method(route);
      const success = m.responses.find((r) => r.SelectionPattern === undefined)!.ResponseTemplates!['application/json'];
      // DynamoDB key values are never empty, so neither are the values of a LastEvaluatedKey.
      for (const v of HOSTILE.filter((x) => x !== '')) {
        const key = keyOf(v);
        const page = MappingTemplate.renderJson(success, { body: JSON.stringify({ Items: [key], Count: 1, LastEvaluatedKey: key }) });
        expect(page.nextToken).toMatch(/^[A-Za-z0-9_=.-]+$/);
        const next = MappingTemplate.renderJson(jsonTemplate(m), {
          queryParameters: { nextToken: page.nextToken },
          pathParameters: Object.fromEntries(m.pathParameters.map((p) => [p, v])),
        });
        expect({ route, v, startKey: next.ExclusiveStartKey }).toEqual({ route, v, startKey: key });
      }
    }
    expect(Object.keys(PAGE_KEYS).sort()).toEqual(SERVICE_METHODS.filter((m) => /dynamodb:action\/(Query|Scan)$/.test(m.target!)).map((m) => m.route).sort());
  });
});

// ---------------------------------------------------------------------------------------------------
// Scenario 5
// ---------------------------------------------------------------------------------------------------

describe('scenario 5: writes straight to services, without Lambda', () => {
  const context5 = { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', requestTime: '09/Apr/2025:12:34:56 +0000' };

  test("POST /users writes the caller's profile: keyed by their sub, the request id and time as string attributes, username and email from the body", () => {
    const request = { body: JSON.stringify({ ...JSON.parse(HOSTILE_JSON_BODY), userId: 'someone-else' }), context: { ...context5, authorizer: { claims: { sub: SUB } } } };
    const rendered = MappingTemplate.renderJson(jsonTemplate(method('POST /users')), request);
    const names = rendered.ExpressionAttributeNames;
    const valueOf = (attribute: string) => {
      const placeholder = Object.keys(names).find((k) => names[k] === attribute && k.startsWith('#a'))!;
      return rendered.ExpressionAttributeValues[placeholder.replace('#a', ':v')];
    };
    expect(rendered.Key).toEqual({ userId: { S: SUB } });
    expect(valueOf('requestId')).toEqual({ S: context5.requestId });
    expect(valueOf('createdAt')).toEqual({ S: context5.requestTime });
    expect(valueOf('username')).toEqual({ S: 'a", "admin": true, "x": "' });
    expect(valueOf('email')).toEqual({ S: "it's\n\\ é 😀" });
    expect(rendered.ConditionExpression).toBe('attribute_not_exists(#k0)');
    expect(names['#k0']).toBe('userId');
    expect(rendered.ReturnValues).toBe('ALL_NEW');
  });

  test('POST /users answers 201 with a clean JSON profile from the UpdateItem ALL_NEW answer', () => {
    const m = method('POST /users');
    const created = m.responses.find((r) => r.SelectionPattern === undefined)!;
    expect(created.StatusCode).toBe('201');
    const dynamoAnswer = {
      Attributes: {
        userId: { S: SUB },
        requestId: { S: context5.requestId },
        createdAt: { S: context5.requestTime },
        username: { S: 'a", "admin": true, "x": "' },
        email: { S: "it's\n\\ é 😀" },
      },
    };
    const result = MappingTemplate.renderWithOverrides(created.ResponseTemplates!['application/json'], {
      body: JSON.stringify(dynamoAnswer),
      headers: { Origin: FRONT_END_ORIGINS[1] },
    });
    expect(JSON.parse(result.output)).toEqual({
      userId: SUB,
      requestId: context5.requestId,
      createdAt: context5.requestTime,
      username: 'a", "admin": true, "x": "',
      email: "it's\n\\ é 😀",
    });
    expect(result.statusOverride).toBeUndefined();
    expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': FRONT_END_ORIGINS[1] });
  });

  test('POST /users validates the body against a JSON Schema', () => {
    const props = method('POST /users').props;
    expect(props.RequestValidatorId).toBeDefined();
    const model = resources[props.RequestModels['application/json'].Ref].Properties;
    expect(model.Schema).toEqual(expect.objectContaining({ required: ['username', 'email'], additionalProperties: false }));
    const validator = resources[props.RequestValidatorId.Ref].Properties;
    expect(validator.ValidateRequestBody).toBe(true);
  });

  test.each(BODIES)("POST /orders: the SQS MessageBody form-decodes to exactly the body %j, in the caller's message group", (body) => {
    const output = MappingTemplate.render(jsonTemplate(method('POST /orders')), { body, context: { authorizer: { claims: { sub: SUB } } } });
    const fields = formFields(output);
    expect(fields.map(([k]) => k)).toEqual(['Action', 'MessageBody', 'MessageGroupId', 'MessageDeduplicationId']);
    expect(new URLSearchParams(output).get('MessageBody')).toBe(body === '' ? '{}' : body);
    expect(new URLSearchParams(output).get('MessageGroupId')).toBe(SUB);
  });

  test('POST /orders asks for no customer in the body: the order is the caller\'s', () => {
    const model = resources[method('POST /orders').props.RequestModels['application/json'].Ref].Properties;
    expect(model.Schema).toEqual(expect.objectContaining({ required: ['items'], additionalProperties: false }));
    expect(Object.keys(model.Schema.properties)).not.toContain('customerId');
  });

  test.each(BODIES)("POST /workflows: the Step Functions input is exactly the body %j, the execution named by the caller's sub", (body) => {
    const rendered = MappingTemplate.renderJson(jsonTemplate(method('POST /workflows')), {
      body, headers: { 'Idempotency-Key': 'chosen-by-client' }, context: { authorizer: { claims: { sub: SUB } } },
    });
    expect(rendered).toEqual({ stateMachineArn: ONBOARDING_ARN, input: body === '' ? '{}' : body, name: SUB });
  });

  test('the onboarding workflow takes the user from its execution name, not from the input', () => {
    const machine = resources[logicalIdOf(child('OnboardingWorkflow'))].Properties;
    const definition = JSON.parse(resolve(machine.DefinitionString));
    expect(definition.States.Welcome.Parameters).toEqual({ 'userId.$': '$$.Execution.Name', 'plan.$': '$.plan' });
    const model = resources[method('POST /workflows').props.RequestModels['application/json'].Ref].Properties;
    expect(Object.keys(model.Schema.properties)).toEqual(['plan']);
  });

  test('the workflow is a STANDARD state machine and the quotes one EXPRESS', () => {
    const types = Object.fromEntries(Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map(([id, r]) => [arnOf(id), r.Properties.StateMachineType ?? 'STANDARD']));
    expect(types).toEqual({ [ONBOARDING_ARN]: 'STANDARD', [QUOTES_ARN]: 'EXPRESS' });
  });

  test('scenario 1: GET /products is a cached Scan of the Products table, one cache entry per page and origin', () => {
    const m = method('GET /products');
    expect(m.target).toBe('dynamodb:action/Scan');
    expect(MappingTemplate.renderJson(jsonTemplate(m)).TableName).toBe(PRODUCTS_TABLE);
    expect(m.props.Integration.CacheKeyParameters).toEqual(['method.request.querystring.nextToken', 'method.request.header.Origin']);
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGateway::Stage')!.Properties;
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.MethodSettings.filter((s: Json) => s.CachingEnabled).map((s: Json) => [s.HttpMethod, s.ResourcePath, s.CacheTtlInSeconds]))
      .toEqual([['GET', '/~1products', 300], ['GET', '/~1categories~1{category}~1products', 300]]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Every preset, one role, least privilege
// ---------------------------------------------------------------------------------------------------

describe('presets and IAM', () => {
  test('every ServiceAction preset is used, each on the expected integration target', () => {
    const targets = SERVICE_METHODS.map((m) => `${m.route} -> ${m.props.Integration.IntegrationHttpMethod} ${m.target}`).sort();
    const account = ACCOUNT;
    expect(targets).toEqual([
      'DELETE /users/me -> POST dynamodb:action/DeleteItem', // dynamoDbDeleteItem
      'GET /admin/tables/users -> POST dynamodb:action/DescribeTable', // custom
      'GET /categories/{category}/products -> POST dynamodb:action/Query', // dynamoDbQuery on a GSI
      'GET /products -> POST dynamodb:action/Scan', // dynamoDbScan
      'GET /users/me -> POST dynamodb:action/GetItem', // dynamoDbGetItem
      // s3GetObject, in the caller's folder
      'GET /users/me/files/{key} -> GET s3:path/' + resolve({ Ref: logicalIdOf(child('FilesBucket')) }) + '/files/{owner}/{object}',
      'GET /users/me/orders -> POST dynamodb:action/Query', // dynamoDbQuery on the table
      'GET /users/me/orders/{orderId} -> POST dynamodb:action/GetItem', // dynamoDbGetItem, composite key
      'GET /users/{userId} -> POST dynamodb:action/GetItem', // dynamoDbGetItem, support staff
      'PATCH /users/me -> POST dynamodb:action/UpdateItem', // dynamoDbUpdateItem
      'POST /clicks -> POST kinesis:action/PutRecord', // kinesisPutRecord
      'POST /events -> POST events:action/PutEvents', // eventBridgePutEvents
      'POST /notifications -> POST sns:path//', // snsPublish
      `POST /orders -> POST sqs:path/${account}/${logicalIdOf(child('OrdersQueue'))}`, // sqsSendMessage, FIFO
      'POST /quotes -> POST states:action/StartSyncExecution', // stepFunctionsStartSyncExecution
      // dynamoDbPutItem: UpdateItem with ReturnValues ALL_NEW, the only write that answers the stored item.
      'POST /users -> POST dynamodb:action/UpdateItem',
      `POST /users/me/payments -> POST sqs:path/${account}/${logicalIdOf(child('PaymentsQueue'))}`, // sqsSendMessage, FIFO
      'POST /workflows -> POST states:action/StartExecution', // stepFunctionsStartExecution
      // s3PutObject, in the caller's folder
      'PUT /users/me/files/{key} -> PUT s3:path/' + resolve({ Ref: logicalIdOf(child('FilesBucket')) }) + '/files/{owner}/{object}',
    ]);
    // Query on the table and on the GSI; both queues are FIFO (one message group per caller).
    expect(MappingTemplate.renderJson(jsonTemplate(method('GET /users/me/orders'))).IndexName).toBeUndefined();
    expect(MappingTemplate.renderJson(jsonTemplate(method('GET /categories/{category}/products'))).IndexName).toBe('byCategory');
    expect(resources[logicalIdOf(child('PaymentsQueue'))].Properties.FifoQueue).toBe(true);
    expect(resources[logicalIdOf(child('OrdersQueue'))].Properties.FifoQueue).toBe(true);
  });

  /** Every identity policy statement of the stack, with where it came from. */
  function identityStatements(): Array<{ where: string; roles: string[]; statement: Json }> {
    const out: Array<{ where: string; roles: string[]; statement: Json }> = [];
    const add = (where: string, roles: Json[] | undefined, document: Json) => {
      for (const statement of document.Statement) out.push({ where, roles: (roles ?? []).map((r) => r.Ref), statement });
    };
    for (const [id, r] of Object.entries(resources)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') add(id, p.Roles, p.PolicyDocument);
      if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(r.Type)) {
        for (const inline of p.Policies ?? []) add(`${id}/${inline.PolicyName}`, [{ Ref: id }], inline.PolicyDocument);
      }
      if (r.Type === 'AWS::IAM::RolePolicy') add(id, [{ Ref: p.RoleName }], p.PolicyDocument);
    }
    return out;
  }
  const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  /** The actions Step Functions logging and X-Ray tracing need, which have no resource-level permissions. */
  const STATE_MACHINE_OBSERVABILITY_ACTIONS = [
    'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies',
    'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery',
    'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
  ];
  /** The roles of the state machines. */
  const stateMachineRoles = () => Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map((r) => r.Properties.RoleArn['Fn::GetAtt'][0]);
  /** The account-wide API Gateway logging role SecureRestApi sets up (this stack is the app's first API). */
  const accountLoggingRole = () => Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Account')
    .map((r) => r.Properties.CloudWatchRoleArn['Fn::GetAtt'][0]);

  test('no IAM statement has a wildcard action or resource * (but the state machines\' log delivery and X-Ray), and no role has a managed policy attached (but the account logging role)', () => {
    const statements = identityStatements();
    expect(statements.length).toBeGreaterThan(0);
    const machineRoles = stateMachineRoles();
    expect(machineRoles).toHaveLength(2);
    for (const { where, roles, statement } of statements) {
      expect({ where, notAction: statement.NotAction, notResource: statement.NotResource, effect: statement.Effect })
        .toEqual({ where, notAction: undefined, notResource: undefined, effect: 'Allow' });
      for (const action of list(statement.Action)) expect({ where, action, wildcard: String(action).includes('*') }).toEqual({ where, action, wildcard: false });
      if (list(statement.Resource).includes('*')) {
        // Only a state machine's own role, and only for exactly the actions that take no resource.
        const machineRole = roles.length === 1 && machineRoles.includes(roles[0]);
        expect({ where, machineRole, actions: list(statement.Action).sort(), resource: statement.Resource })
          .toEqual({ where, machineRole: true, actions: STATE_MACHINE_OBSERVABILITY_ACTIONS, resource: '*' });
      }
    }
    const [loggingRole] = accountLoggingRole();
    for (const [id, r] of Object.entries(resources).filter(([, x]) => x.Type === 'AWS::IAM::Role')) {
      const expected = id === loggingRole
        ? [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] }]
        : undefined;
      expect({ id, managed: r.Properties.ManagedPolicyArns }).toEqual({ id, managed: expected });
    }
  });

  test('one integration role for the whole API, used by every service route', () => {
    // (Besides the account-wide logging role, which API Gateway uses for every API's logs, not for integrations.)
    const roles = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::IAM::Role' && !accountLoggingRole().includes(id) &&
      r.Properties.AssumeRolePolicyDocument.Statement.some((s: Json) => s.Principal?.Service === 'apigateway.amazonaws.com'));
    expect(roles).toHaveLength(1);
    const [roleId] = roles[0];
    for (const m of SERVICE_METHODS) expect({ route: m.route, role: m.props.Integration.Credentials }).toEqual({ route: m.route, role: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    // No Lambda function anywhere: every route calls its service directly.
    expect(Object.values(resources).filter((r) => r.Type.startsWith('AWS::Lambda::'))).toEqual([]);
  });

  test('the integration role may do exactly each action on exactly its resource; S3 objects under the prefix are the only pattern', () => {
    const roleId = SERVICE_METHODS[0].props.Integration.Credentials['Fn::GetAtt'][0];
    const statements = identityStatements().filter((s) => s.roles.includes(roleId));
    const id = (name: string) => logicalIdOf(child(name));
    const arn = (name: string) => ({ 'Fn::GetAtt': [id(name), 'Arn'] });
    const grants = new Set<string>();
    for (const { statement } of statements) {
      for (const resource of list(statement.Resource)) {
        // Exact: a resource's ARN attribute, or the Ref of a resource whose Ref is its ARN (topic, state machine).
        const exactArn = resource['Fn::GetAtt']?.[1] === 'Arn';
        const arnRef = typeof resource.Ref === 'string' &&
          ['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine'].includes(resources[resource.Ref]?.Type);
        const join = resource['Fn::Join'];
        const suffix = join && join[0] === '' && join[1].length === 2 && join[1][0]['Fn::GetAtt']?.[1] === 'Arn' ? join[1][1] : undefined;
        const joinedType = suffix !== undefined ? resources[join[1][0]['Fn::GetAtt'][0]].Type : undefined;
        const indexArn = joinedType === 'AWS::DynamoDB::Table' && /^\/index\/[A-Za-z0-9_.-]+$/.test(suffix);
        const objectArn = joinedType === 'AWS::S3::Bucket' && /^\/[A-Za-z0-9!_.()/-]*\*$/.test(suffix) && suffix.indexOf('*') === suffix.length - 1;
        expect({ resource, exact: exactArn || arnRef || indexArn || objectArn }).toEqual({ resource, exact: true });
        if (JSON.stringify(resource).includes('*')) expect(objectArn).toBe(true);
        for (const action of list(statement.Action)) grants.add(`${action} ${JSON.stringify(resource)}`);
      }
    }
    const grant = (action: string, resource: Json) => `${action} ${JSON.stringify(resource)}`;
    const filesObjects = { 'Fn::Join': ['', [arn('FilesBucket'), '/files/*']] };
    expect([...grants].sort()).toEqual([
      grant('dynamodb:UpdateItem', arn('UsersTable')),
      grant('dynamodb:GetItem', arn('UsersTable')),
      grant('dynamodb:DeleteItem', arn('UsersTable')),
      grant('dynamodb:DescribeTable', arn('UsersTable')),
      grant('dynamodb:Query', arn('OrdersTable')),
      grant('dynamodb:GetItem', arn('OrdersTable')),
      grant('dynamodb:Query', { 'Fn::Join': ['', [arn('ProductsTable'), '/index/byCategory']] }),
      grant('dynamodb:Scan', arn('ProductsTable')),
      grant('sqs:SendMessage', arn('OrdersQueue')),
      grant('sqs:SendMessage', arn('PaymentsQueue')),
      grant('sns:Publish', { Ref: id('NotificationsTopic') }),
      grant('kms:GenerateDataKey', arn('NotificationsKey')),
      grant('kms:Decrypt', arn('NotificationsKey')),
      grant('events:PutEvents', arn('AppEventBus')),
      grant('kinesis:PutRecord', arn('ClickStream')),
      grant('s3:GetObject', filesObjects),
      grant('s3:PutObject', filesObjects),
      grant('states:StartExecution', { Ref: id('OnboardingWorkflow') }),
      grant('states:StartSyncExecution', { Ref: id('QuoteCalculator') }),
    ].sort());
  });

  test('resource policies allow nothing broadly: wildcard actions only in Deny statements (TLS only), and the key\'s account-root admin', () => {
    const policies: Array<[string, Json]> = [];
    for (const [id, r] of Object.entries(resources)) {
      const p = r.Properties ?? {};
      if (p.PolicyDocument && !r.Type.startsWith('AWS::IAM::')) policies.push([id, p.PolicyDocument]);
      if (r.Type === 'AWS::KMS::Key') policies.push([id, p.KeyPolicy]);
    }
    // The files bucket's and its access-log bucket's (TLS only; S3 log delivery may put objects).
    expect(policies.map(([id]) => resources[id].Type).sort()).toEqual([
      'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy',
      'AWS::SQS::QueuePolicy', 'AWS::SQS::QueuePolicy', 'AWS::SQS::QueuePolicy', 'AWS::SQS::QueuePolicy',
    ]);
    for (const [id, document] of policies) {
      for (const s of document.Statement) {
        const broad = list(s.Action).some((a) => String(a).includes('*'));
        if (!broad) continue;
        if (s.Effect === 'Deny') {
          expect({ id, condition: s.Condition }).toEqual({ id, condition: { Bool: { 'aws:SecureTransport': 'false' } } });
        } else {
          // aws-cdk-lib's default key policy: the account (through IAM policies) administers the key.
          expect({ id, type: resources[id].Type, action: s.Action, principal: JSON.stringify(s.Principal) })
            .toEqual({ id, type: 'AWS::KMS::Key', action: 'kms:*', principal: expect.stringContaining(':root') });
        }
      }
    }
  });

  test('resource counts', () => {
    const count = (type: string) => Object.values(resources).filter((r) => r.Type === type).length;
    expect({
      methods: count('AWS::ApiGateway::Method'),
      serviceMethods: SERVICE_METHODS.length,
      preflights: METHODS.filter((m) => m.httpMethod === 'OPTIONS').length,
      models: count('AWS::ApiGateway::Model'),
      validators: count('AWS::ApiGateway::RequestValidator'),
      gatewayResponses: count('AWS::ApiGateway::GatewayResponse'),
      roles: count('AWS::IAM::Role'),
      policies: count('AWS::IAM::Policy'),
      tables: count('AWS::DynamoDB::Table'),
      queues: count('AWS::SQS::Queue'),
      lambdaPermissions: count('AWS::Lambda::Permission'),
      total: Object.keys(resources).length,
    }).toEqual({
      methods: 35,
      // GET /users/{userId} for support staff beside the caller's own /users/me routes.
      serviceMethods: 19,
      preflights: 16,
      models: 6,
      validators: 2,
      gatewayResponses: 2,
      // The API's integration role, one role per state machine (its policy: log delivery and X-Ray only, as
      // Pass states need nothing), and the account's API Gateway logging role (this stack has the app's
      // first SecureRestApi; in the example app it is in the Foundation stack).
      roles: 4,
      policies: 3,
      tables: 3,
      queues: 4,
      lambdaPermissions: 0,
      // With the users resource server and the support back office's client.
      total: 109,
    });
  });
});

describe('whose records: the caller\'s, or any for support staff', () => {
  test("the file routes put the object in the caller's folder: files/<sub>/<key>, the folder mapped from the verified token", () => {
    for (const route of NO_REQUEST_TEMPLATE) {
      const integration = method(route).props.Integration;
      expect({ route, uri: resolve(integration.Uri) }).toEqual({ route, uri: expect.stringMatching(/\/files\/\{owner\}\/\{object\}$/) });
      expect({ route, owner: integration.RequestParameters['integration.request.path.owner'] })
        .toEqual({ route, owner: 'context.authorizer.claims.sub' });
      expect({ route, object: integration.RequestParameters['integration.request.path.object'] })
        .toEqual({ route, object: 'method.request.path.key' });
    }
  });

  test('signed-in users reach /users/me; GET /users/{userId} needs the users/admin scope, which only the back office client may ask for', () => {
    for (const route of ['GET /users/me', 'PATCH /users/me', 'DELETE /users/me', 'GET /users/me/orders', 'GET /users/me/orders/{orderId}']) {
      const props = method(route).props;
      expect({ route, type: props.AuthorizationType, scopes: props.AuthorizationScopes }).toEqual({ route, type: 'COGNITO_USER_POOLS', scopes: undefined });
    }
    expect(method('GET /users/{userId}').props.AuthorizationScopes).toEqual(['users/admin']);
    const clients = Object.values(resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolClient').map((r) => r.Properties);
    const withAdmin = clients.filter((c) => JSON.stringify(c.AllowedOAuthScopes ?? []).includes('/admin'));
    expect(withAdmin).toHaveLength(1);
    expect(withAdmin[0]).toEqual(expect.objectContaining({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] }));
    const server = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPoolResourceServer')!.Properties;
    expect(server.Identifier).toBe('users');
    expect(server.Scopes.map((x: Json) => x.ScopeName)).toEqual(['admin']);
  });
});

describe('the stack itself', () => {
  test('tables are on-demand with point-in-time recovery; queues encrypted, TLS only, with a dead-letter queue', () => {
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::DynamoDB::Table')) {
      expect(r.Properties).toEqual(expect.objectContaining({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }));
    }
    const queues = Object.entries(resources).filter(([, x]) => x.Type === 'AWS::SQS::Queue');
    for (const [, q] of queues) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    const withDlq = queues.filter(([, q]) => q.Properties.RedrivePolicy);
    expect(withDlq.map(([id]) => id).sort()).toEqual([logicalIdOf(child('OrdersQueue')), logicalIdOf(child('PaymentsQueue'))].sort());
  });

  test('callers sign in with the user pool, except on the public catalogue reads and the IAM-signed routes (notifications, admin)', () => {
    const pool = logicalIdOf(stack.userPool);
    const authorizers = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers.map(([, r]) => [r.Properties.Type, r.Properties.ProviderARNs])).toEqual([['COGNITO_USER_POOLS', [{ 'Fn::GetAtt': [pool, 'Arn'] }]]]);
    const auth = Object.fromEntries(SERVICE_METHODS.map((m) => [m.route, m.props.AuthorizationType]));
    expect(Object.entries(auth).filter(([, type]) => type !== 'COGNITO_USER_POOLS').sort()).toEqual([
      ['GET /admin/tables/users', 'AWS_IAM'],
      ['GET /categories/{category}/products', 'NONE'],
      ['GET /products', 'NONE'],
      ['POST /notifications', 'AWS_IAM'],
    ]);
    for (const m of SERVICE_METHODS.filter((x) => x.props.AuthorizationType === 'COGNITO_USER_POOLS')) {
      expect({ route: m.route, authorizer: m.props.AuthorizerId }).toEqual({ route: m.route, authorizer: { Ref: authorizers[0][0] } });
    }
  });

  test('the state machines log every event (without execution data) to their own log group and are traced', () => {
    const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(2);
    for (const m of machines) {
      expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true });
      const logging = m.Properties.LoggingConfiguration;
      expect(logging).toEqual(expect.objectContaining({ Level: 'ALL', IncludeExecutionData: false }));
      const group = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      expect(resources[group].Type).toBe('AWS::Logs::LogGroup');
    }
  });

  test('the files bucket logs its access to a private, TLS-only logs bucket', () => {
    const bucket = resources[logicalIdOf(child('FilesBucket'))].Properties;
    const logs = logicalIdOf(child('AccessLogsBucket'));
    expect(bucket.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs }, LogFilePrefix: 'files-bucket/' });
    expect(resources[logs].Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
  });

  test('the files bucket is encrypted, TLS only and private, and the API sends its media types as binary', () => {
    const bucket = resources[logicalIdOf(child('FilesBucket'))].Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    const api = Object.values(resources).find((r) => r.Type === 'AWS::ApiGateway::RestApi')!.Properties;
    expect(api.BinaryMediaTypes).toEqual(['image/png', 'image/jpeg', 'application/pdf', 'application/octet-stream']);
  });

  test('no synth warnings or errors (e.g. the S3 presets\' binaryMediaTypes warning)', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
