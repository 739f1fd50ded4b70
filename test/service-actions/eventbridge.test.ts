process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';
import { errorOf, methodAt } from '../util';

// EventBridge PutEvents: the request template must always be one entry with exactly our keys, whose
// Detail string parses back to the request's JSON object; the response template must turn a failed
// entry into an error status.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀 👩‍👩‍👧',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '"}]}, {"Source": "aws.evil"',
  '</script>',
  '}{',
];
const OBJECT_BODIES: object[] = [
  {},
  { orderId: 'o-1', total: 12.5, items: [{ sku: 'a', qty: 2 }], paid: true, coupon: null },
  ...ADVERSARIAL.map((s) => ({ [s]: s, nested: { list: [s, 1, { deeper: s }] } })),
];

function resolve(value: any): string {
  if (typeof value === 'string') return value;
  const pseudo: { [k: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref && pseudo[value.Ref]) return pseudo[value.Ref];
  if (value['Fn::GetAtt']) return `arn:aws:events:us-east-1:123456789012:event-bus/${value['Fn::GetAtt'][0]}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

const app = new App();
const stack = new Stack(app, 'Events');
const api = new apigw.RestApi(stack, 'Api');
const bus = new events.EventBus(stack, 'Bus');
const defaultBus = events.EventBus.fromEventBusName(stack, 'Default', 'default');
const partnerBus = events.EventBus.fromEventBusArn(stack, 'Partner', 'arn:aws:events:us-east-1:210987654321:event-bus/central');
new ServiceIntegrationRoute(stack, 'Orders', {
  api, path: '/orders', method: 'POST',
  action: ServiceAction.eventBridgePutEvents(bus, { source: 'com.example.orders', detailType: Field.literal('OrderPlaced') }),
});
new ServiceIntegrationRoute(stack, 'Typed', {
  api, path: '/events/{kind}', method: 'POST',
  action: ServiceAction.eventBridgePutEvents(defaultBus, {
    source: "com.example.$app #1 'quoted'", detailType: Field.path('kind'), detail: Field.bodyJson('$.detail'),
    resources: ['arn:aws:s3:::bucket-a', 'arn:aws:dynamodb:us-east-1:123456789012:table/T'],
  }),
});
new ServiceIntegrationRoute(stack, 'Central', {
  api, path: '/central', method: 'PUT',
  action: ServiceAction.eventBridgePutEvents(partnerBus, { source: 'com.example.edge', detailType: Field.header('X-Event-Type') }),
});
new ServiceIntegrationRoute(stack, 'Exposed', {
  api, path: '/exposed', method: 'POST',
  action: ServiceAction.eventBridgePutEvents(bus, { source: 'com.example.orders', detailType: Field.literal('OrderPlaced'), exposeServiceErrors: true }),
});
const template = Template.fromStack(stack);
const json = template.toJSON();
const BUS_ARN = resolve(stack.resolve(bus.eventBusArn));
const DEFAULT_ARN = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
const PARTNER_ARN = 'arn:aws:events:us-east-1:210987654321:event-bus/central';

function renderRequest(path: string, request: MappingTemplateRequest, method = 'POST'): any {
  const t = resolve(methodAt(template, path, method).Integration.RequestTemplates['application/json']);
  return MappingTemplate.renderJson(t, request);
}
function responseTemplates(path: string, method = 'POST'): string[] {
  return methodAt(template, path, method).Integration.IntegrationResponses.map((r: any) => r.ResponseTemplates['application/json']);
}

describe('synthesized integration', () => {
  test.each([['/orders', 'POST'], ['/events/{kind}', 'POST'], ['/central', 'PUT']])('%s %s calls events:action/PutEvents', (path, httpMethod) => {
    const method = methodAt(template, path, httpMethod);
    const integration = method.Integration;
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(resolve(integration.Uri)).toBe('arn:aws:apigateway:us-east-1:events:action/PutEvents');
    expect(integration.Credentials).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiApigatewayPatternsIntegrationRole/), 'Arn'] });
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.RequestParameters).toEqual({
      'integration.request.header.X-Amz-Target': "'AWSEvents.PutEvents'",
      'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
    });
    expect(Object.keys(integration.RequestTemplates)).toEqual(['application/json']);
    expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}'],
    ]);
    // 500 is set by the 200 response template for a failed entry (400 is declared already).
    expect(method.MethodResponses).toEqual([{ StatusCode: '200' }, { StatusCode: '400' }, { StatusCode: '502' }, { StatusCode: '500' }]);
  });

  test('the bus is named by its ARN reference', () => {
    const parts = methodAt(template, '/orders', 'POST').Integration.RequestTemplates['application/json']['Fn::Join'][1];
    expect(parts).toContainEqual(stack.resolve(bus.eventBusArn));
  });
});

describe('request template', () => {
  test('Detail is the JSON text of the body object, which parses back to it exactly', () => {
    for (const body of OBJECT_BODIES) {
      for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2)]) {
        const rendered = renderRequest('/orders', { body: text });
        expect(rendered).toEqual({
          Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: expect.any(String), EventBusName: BUS_ARN }],
        });
        expect(JSON.parse(rendered.Entries[0].Detail)).toEqual(body);
      }
    }
  });

  test('an empty body sends the empty object', () => {
    expect(renderRequest('/orders', { body: '' }).Entries[0].Detail).toBe('{}');
  });

  test('a body that is not a JSON object stays one string EventBridge rejects as MalformedDetail', () => {
    // A JSON scalar or array gives its text; text that is not JSON gives that text as one JSON string
    // (2015 recordings). Neither is an object.
    const cases: Array<[string, string]> = [
      ['"a string"', '"a string"'], ['[1,{"a":"b"}]', '[1,{"a":"b"}]'], ['42', '42'], ['null', 'null'], ['true', 'true'],
    ];
    for (const [body, detail] of cases) {
      expect(renderRequest('/orders', { body })).toEqual({
        Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: detail, EventBusName: BUS_ARN }],
      });
    }
    for (const body of [...ADVERSARIAL.filter((s) => s !== ''), 'plain text']) {
      const rendered = renderRequest('/orders', { body });
      expect(rendered).toEqual({ Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: expect.any(String), EventBusName: BUS_ARN }] });
      expect(JSON.parse(rendered.Entries[0].Detail)).toBe(body);
    }
    // Text that starts like JSON but is not: API Gateway answers 400 before EventBridge is called.
    expect(() => renderRequest('/orders', { body: '{"a":1} trailing' })).toThrow(/Could not process payload/);
  });

  test('detail type from the path, detail from $.detail, fixed resources on the default bus', () => {
    const expected = (kind: string, detail: string) => ({
      Entries: [{
        Source: "com.example.$app #1 'quoted'", DetailType: kind, Detail: detail, EventBusName: DEFAULT_ARN,
        Resources: ['arn:aws:s3:::bucket-a', 'arn:aws:dynamodb:us-east-1:123456789012:table/T'],
      }],
    });
    for (const kind of ['OrderShipped', ...ADVERSARIAL]) {
      for (const detail of OBJECT_BODIES) {
        const rendered = renderRequest('/events/{kind}', { body: JSON.stringify({ detail, admin: true }), pathParameters: { kind } });
        expect(rendered).toEqual(expected(kind, expect.any(String) as any));
        expect(JSON.parse(rendered.Entries[0].Detail)).toEqual(detail);
      }
    }
    expect(renderRequest('/events/{kind}', { body: '{"other": 1}', pathParameters: { kind: 'k' } })).toEqual(expected('k', '""'));
  });

  test('detail type from a header, on a bus in another account', () => {
    for (const type of ['Edge', ...ADVERSARIAL]) {
      expect(renderRequest('/central', { body: '{"a":1}', headers: { 'X-Event-Type': type } }, 'PUT')).toEqual({
        Entries: [{ Source: 'com.example.edge', DetailType: type, Detail: '{"a":1}', EventBusName: PARTNER_ARN }],
      });
    }
    // No header: an empty DetailType, which EventBridge rejects as InvalidArgument (answered 400).
    expect(renderRequest('/central', { body: '{}' }, 'PUT').Entries[0].DetailType).toBe('');
  });

  test('hostile headers, query and context values never reach the entry', () => {
    for (const value of ADVERSARIAL) {
      expect(renderRequest('/orders', {
        body: '{"a":1}', headers: { 'X-Event-Type': value, 'Content-Type': value }, queryParameters: { source: value }, context: { requestId: value },
      })).toEqual({ Entries: [{ Source: 'com.example.orders', DetailType: 'OrderPlaced', Detail: '{"a":1}', EventBusName: BUS_ARN }] });
    }
  });
});

describe('response templates', () => {
  const [success, clientError, serviceError] = responseTemplates('/orders');
  const entryResult = (entry: object, failed: number) => JSON.stringify({ FailedEntryCount: failed, Entries: [entry] });

  test('success answers the event id, with no status override', () => {
    const result = MappingTemplate.renderWithOverrides(success, { body: entryResult({ EventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' }, 0) });
    expect(JSON.parse(result.output)).toEqual({ eventId: '11710aed-b79e-4468-a20b-bb3c0c3b4860' });
    expect(result.statusOverride).toBeUndefined();
  });

  test.each([
    ['MalformedDetail', 'Detail is malformed.'],
    ['InvalidArgument', 'Parameter DetailType is not valid. Reason: Provided DetailType is empty.'],
  ])('a %s entry answers 400 with its code, never its message (unless exposeServiceErrors)', (code, message) => {
    const result = MappingTemplate.renderWithOverrides(success, {
      body: entryResult({ ErrorCode: code, ErrorMessage: message }, 1), context: { requestId: 'r-1' },
    });
    expect(result.statusOverride).toBe(400);
    expect(JSON.parse(result.output)).toEqual({ message: 'EventBridge rejected the event', code, requestId: 'r-1' });
    const [exposedSuccess] = responseTemplates('/exposed');
    const exposed = MappingTemplate.renderWithOverrides(exposedSuccess, {
      body: entryResult({ ErrorCode: code, ErrorMessage: message }, 1), context: { requestId: 'r-1' },
    });
    expect(exposed.statusOverride).toBe(400);
    expect(JSON.parse(exposed.output)).toEqual({ message: 'EventBridge rejected the event', code, errorMessage: message, requestId: 'r-1' });
  });

  test.each([
    ['InternalFailure', 'Internal Failure'],
    ['ThrottlingException', 'Rate exceeded'],
    ['AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/Role/x is not authorized to perform: events:PutEvents'],
    ['NotAuthorizedForSourceException', 'Not authorized for the source.'],
  ])('a %s entry answers 500 with its code, never its message (unless exposeServiceErrors)', (code, message) => {
    const result = MappingTemplate.renderWithOverrides(success, {
      body: entryResult({ ErrorCode: code, ErrorMessage: message }, 1), context: { requestId: 'r-2' },
    });
    expect(result.statusOverride).toBe(500);
    expect(JSON.parse(result.output)).toEqual({ message: 'EventBridge failed to accept the event', code, requestId: 'r-2' });
    expect(result.output).not.toContain('arn:');
    const [exposedSuccess] = responseTemplates('/exposed');
    const exposed = MappingTemplate.renderWithOverrides(exposedSuccess, {
      body: entryResult({ ErrorCode: code, ErrorMessage: message }, 1), context: { requestId: 'r-2' },
    });
    expect(JSON.parse(exposed.output)).toEqual({ message: 'EventBridge failed to accept the event', code, errorMessage: message, requestId: 'r-2' });
  });

  test('hostile entry codes and messages: never printed by default, a code that is not a plain name is Unknown', () => {
    const [exposedSuccess] = responseTemplates('/exposed');
    for (const value of ADVERSARIAL) {
      const malformed = MappingTemplate.renderWithOverrides(success, {
        body: entryResult({ ErrorCode: 'MalformedDetail', ErrorMessage: value }, 1), context: { requestId: 'r' },
      });
      expect(JSON.parse(malformed.output)).toEqual({ message: 'EventBridge rejected the event', code: 'MalformedDetail', requestId: 'r' });
      const other = MappingTemplate.renderWithOverrides(success, { body: entryResult({ ErrorCode: value, ErrorMessage: value }, 1), context: { requestId: 'r' } });
      expect(other.statusOverride).toBe(500);
      expect(JSON.parse(other.output)).toEqual({ message: 'EventBridge failed to accept the event', code: 'Unknown', requestId: 'r' });
      // Exposed, the message is re-escaped into one JSON string.
      const exposed = MappingTemplate.renderWithOverrides(exposedSuccess, {
        body: entryResult({ ErrorCode: value, ErrorMessage: value }, 1), context: { requestId: 'r' },
      });
      expect(JSON.parse(exposed.output)).toEqual({ message: 'EventBridge failed to accept the event', code: 'Unknown', errorMessage: value, requestId: 'r' });
      const ok = MappingTemplate.renderWithOverrides(success, { body: entryResult({ EventId: value }, 0) });
      expect(ok.statusOverride).toBeUndefined();
      expect(JSON.parse(ok.output)).toEqual({ eventId: value });
    }
  });

  test('an answer without a failure count is not taken for a success', () => {
    for (const body of ['{}', '<xml/>', '{"Entries": []}']) {
      const result = MappingTemplate.renderWithOverrides(success, { body, context: { requestId: 'r' } });
      expect(result.statusOverride).toBe(500);
      expect(JSON.parse(result.output)).toEqual({ message: 'EventBridge failed to accept the event', code: 'Unknown', requestId: 'r' });
    }
  });

  test('request-level errors answer a fixed message and the request id', () => {
    const body = JSON.stringify({ __type: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' });
    expect(MappingTemplate.renderJson(clientError, { body, context: { requestId: 'r-3' } }))
      .toEqual({ message: 'The service rejected the request', requestId: 'r-3' });
    expect(MappingTemplate.renderJson(serviceError, { body, context: { requestId: 'r-3' } }))
      .toEqual({ message: 'The service failed to handle the request', requestId: 'r-3' });
  });
});

describe('IAM', () => {
  test('events:PutEvents on exactly the buses, nothing else', () => {
    const policies = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Action: 'events:PutEvents', Effect: 'Allow',
      Resource: [stack.resolve(bus.eventBusArn), stack.resolve(defaultBus.eventBusArn), PARTNER_ARN],
    }]);
    expect(resolve(stack.resolve(defaultBus.eventBusArn))).toBe(DEFAULT_ARN);
  });
});

describe('misuse fails at synth, naming the route', () => {
  function attempt(options: any, path = '/p/{id}'): string {
    const s = new Stack(new App(), 'Misuse');
    const a = new apigw.RestApi(s, 'Api');
    const b = new events.EventBus(s, 'B');
    return errorOf(() => new ServiceIntegrationRoute(s, 'Bad', { api: a, path, method: 'POST', action: ServiceAction.eventBridgePutEvents(b, options) }));
  }
  const detailType = Field.literal('T');

  test('exposeServiceErrors that is not a boolean (plain JavaScript and jsii callers)', () => {
    expect(attempt({ source: 'com.example', detailType, exposeServiceErrors: 'false' }))
      .toBe('Route Misuse/Bad: exposeServiceErrors must be true or false, not "false"');
  });

  test.each(['aws.orders', 'AWS.ec2', 'aws.'])('a reserved source %j', (source) => {
    expect(attempt({ source, detailType })).toMatch(/^Route Misuse\/Bad: source '.*' starts with 'aws\.', which is reserved/);
  });

  test.each(['', 'x'.repeat(257)])('a source of the wrong length', (source) => {
    expect(attempt({ source, detailType })).toMatch(/^Route Misuse\/Bad: source must be 1 to 256 characters/);
  });

  test('no detail type', () => {
    expect(attempt({ source: 'com.x' })).toMatch(/^Route Misuse\/Bad: detailType is required/);
  });

  test.each(['', 'x'.repeat(129)])('a literal detail type of the wrong length', (type) => {
    expect(attempt({ source: 'com.x', detailType: Field.literal(type) })).toMatch(/^Route Misuse\/Bad: detailType '.*' must be 1 to 128 characters/);
  });

  test('a resource that is not an ARN', () => {
    expect(attempt({ source: 'com.x', detailType, resources: ['bucket-a'] })).toMatch(/^Route Misuse\/Bad: resource 'bucket-a' is not an ARN/);
  });

  test('a path field that is not in the route path', () => {
    expect(attempt({ source: 'com.x', detailType: Field.path('kind') })).toMatch(/^Route Misuse\/Bad: Field.path\('kind'\) is not a parameter/);
  });
});
