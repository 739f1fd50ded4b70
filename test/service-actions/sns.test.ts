process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';
import { errorOf, methodAt } from '../util';

// SNS Publish: every emitted template rendered with benign and hostile requests; the form body must
// decode to exactly the expected fields, whatever the request holds.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀 👩‍👩‍👧',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  'a=b&Action=DeleteTopic&TopicArn=x',
  '%41%3D+plus+%26 ~*',
  '}{',
  ' ',
];
const JSON_BODY = JSON.stringify({ text: 'hello "world" & it\'s 50% + 😀', n: 1, nested: { a: [1, 'two'] } });

/** Resolves the Fn::Join / Ref / GetAtt of a synthesized value to a string, with fake ARNs. */
function resolve(value: any): string {
  if (typeof value === 'string') return value;
  const pseudo: { [k: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref) return pseudo[value.Ref] ?? `arn:aws:sns:us-east-1:123456789012:${value.Ref}`;
  if (value['Fn::GetAtt']) return `arn:aws:kms:us-east-1:123456789012:key/${value['Fn::GetAtt'][0]}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** The form fields of a rendered body, in order, decoded as a form parser does. */
function formFields(output: string): Array<[string, string]> {
  for (const pair of output.split('&')) expect(pair).toMatch(/^[A-Za-z0-9.]+=[A-Za-z0-9%+.*_-]*$/);
  return [...new URLSearchParams(output)];
}

const app = new App();
const stack = new Stack(app, 'Sns');
const api = new apigw.RestApi(stack, 'Api');
const key = new kms.Key(stack, 'Key');
const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
const fifo = new sns.Topic(stack, 'Fifo', { fifo: true });
const contentFifo = new sns.Topic(stack, 'ContentFifo', { fifo: true, contentBasedDeduplication: true });
const imported = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-east-1:210987654321:shared-events');
new ServiceIntegrationRoute(stack, 'Notify', { api, path: '/notify', method: 'POST', action: ServiceAction.snsPublish(topic) });
new ServiceIntegrationRoute(stack, 'Alert', {
  api, path: '/alerts/{level}', method: 'POST',
  action: ServiceAction.snsPublish(topic, {
    message: Field.body('$.text'),
    subject: Field.header('X-Subject'),
    messageAttributesFromHeaders: { 'tenant': 'X-Tenant', 'trace.id': 'X-Trace-Id', 'level-name': 'X-Level' },
    messageGroupId: Field.path('level'),
  }),
});
new ServiceIntegrationRoute(stack, 'Ordered', {
  api, path: '/orders/{customerId}', method: 'POST',
  action: ServiceAction.snsPublish(fifo, { messageGroupId: Field.path('customerId'), subject: Field.literal("Order's $total #1") }),
});
new ServiceIntegrationRoute(stack, 'Deduped', {
  api, path: '/deduped', method: 'POST',
  action: ServiceAction.snsPublish(contentFifo, { messageGroupId: Field.literal('default') }),
});
new ServiceIntegrationRoute(stack, 'ExplicitDedup', {
  api, path: '/explicit', method: 'PUT',
  action: ServiceAction.snsPublish(contentFifo, { messageGroupId: Field.query('group'), deduplicationId: Field.header('Idempotency-Key') }),
});
new ServiceIntegrationRoute(stack, 'Shared', { api, path: '/shared', method: 'POST', action: ServiceAction.snsPublish(imported) });
const template = Template.fromStack(stack);
const json = template.toJSON();

const TOPIC_ARN = resolve(stack.resolve(topic.topicArn));
const FIFO_ARN = resolve(stack.resolve(fifo.topicArn));
const CONTENT_FIFO_ARN = resolve(stack.resolve(contentFifo.topicArn));

function requestTemplate(path: string, method = 'POST'): string {
  return resolve(methodAt(template, path, method).Integration.RequestTemplates['application/json']);
}
function render(path: string, request: MappingTemplateRequest, method = 'POST'): Array<[string, string]> {
  return formFields(MappingTemplate.render(requestTemplate(path, method), request));
}

describe('synthesized integration', () => {
  test.each(['/notify', '/alerts/{level}', '/orders/{customerId}', '/deduped', '/shared'])('%s posts a form to sns:path// with the API role', (path) => {
    const method = methodAt(template, path, 'POST');
    const integration = method.Integration;
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(resolve(integration.Uri)).toBe('arn:aws:apigateway:us-east-1:sns:path//');
    expect(integration.Credentials).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiApigatewayPatternsIntegrationRole/), 'Arn'] });
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.RequestParameters).toEqual({ 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" });
    expect(Object.keys(integration.RequestTemplates)).toEqual(['application/json']);
    expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}'],
    ]);
    expect(method.MethodResponses).toEqual([{ StatusCode: '200' }, { StatusCode: '400' }, { StatusCode: '502' }]);
  });

  test('the topic ARN is the topic reference itself', () => {
    const parts = methodAt(template, '/notify', 'POST').Integration.RequestTemplates['application/json']['Fn::Join'][1];
    expect(parts).toContainEqual(stack.resolve(topic.topicArn));
  });
});

describe('default request template: the body is the message, byte for byte', () => {
  test.each([...ADVERSARIAL, JSON_BODY, 'plain text', '[1,2]'])('body %j', (body) => {
    expect(render('/notify', { body })).toEqual([['Action', 'Publish'], ['TopicArn', TOPIC_ARN], ['Message', body]]);
  });

  test('an empty body publishes {} (what API Gateway gives a template for no body)', () => {
    expect(render('/notify', { body: '' })).toEqual([['Action', 'Publish'], ['TopicArn', TOPIC_ARN], ['Message', '{}']]);
  });

  test('a hostile header, query or path value changes nothing', () => {
    for (const value of ADVERSARIAL) {
      expect(render('/notify', { body: 'm', headers: { 'X-Subject': value, 'Content-Type': value }, queryParameters: { Action: value } }))
        .toEqual([['Action', 'Publish'], ['TopicArn', TOPIC_ARN], ['Message', 'm']]);
    }
  });

  test('an imported topic is named by its literal ARN', () => {
    expect(render('/shared', { body: 'x' })).toEqual([
      ['Action', 'Publish'], ['TopicArn', 'arn:aws:sns:us-east-1:210987654321:shared-events'], ['Message', 'x'],
    ]);
  });
});

describe('subject, message attributes and message group', () => {
  const base = (text: string): Array<[string, string]> => [
    ['Action', 'Publish'], ['TopicArn', TOPIC_ARN], ['Message', text],
  ];

  test('the message is the text at $.text, whatever it holds', () => {
    for (const text of [...ADVERSARIAL, 'ok']) {
      expect(render('/alerts/{level}', { body: JSON.stringify({ text, admin: true }), pathParameters: { level: 'warn' } }))
        .toEqual([...base(text), ['MessageGroupId', 'warn']]);
    }
  });

  test('a missing $.text sends an empty message (SNS answers 400)', () => {
    expect(render('/alerts/{level}', { body: '{"other": 1}', pathParameters: { level: 'warn' } }))
      .toEqual([...base(''), ['MessageGroupId', 'warn']]);
  });

  test('present headers become attributes numbered without gaps, absent or empty ones are left out', () => {
    const body = JSON.stringify({ text: 'hi' });
    const attr = (n: number, name: string, value: string): Array<[string, string]> => [
      [`MessageAttributes.entry.${n}.Name`, name],
      [`MessageAttributes.entry.${n}.Value.DataType`, 'String'],
      [`MessageAttributes.entry.${n}.Value.StringValue`, value],
    ];
    const cases: Array<[{ [h: string]: string }, Array<[string, string]>]> = [
      [{}, []],
      [{ 'X-Trace-Id': 't-1' }, attr(1, 'trace.id', 't-1')],
      [{ 'X-Tenant': 'acme', 'X-Level': 'high' }, [...attr(1, 'tenant', 'acme'), ...attr(2, 'level-name', 'high')]],
      [{ 'X-Tenant': '', 'X-Trace-Id': 't', 'X-Level': 'l' }, [...attr(1, 'trace.id', 't'), ...attr(2, 'level-name', 'l')]],
      [{ 'X-Tenant': 'a', 'X-Trace-Id': 'b', 'X-Level': 'c' }, [...attr(1, 'tenant', 'a'), ...attr(2, 'trace.id', 'b'), ...attr(3, 'level-name', 'c')]],
    ];
    for (const [headers, expected] of cases) {
      expect(render('/alerts/{level}', { body, headers, pathParameters: { level: 'p1' } }))
        .toEqual([...base('hi'), ['MessageGroupId', 'p1'], ...expected]);
    }
  });

  test('hostile header, subject and path values land in their own field, exactly', () => {
    const body = JSON.stringify({ text: 'hi' });
    for (const value of ADVERSARIAL) {
      const headers = { 'X-Subject': value, 'X-Tenant': value, 'X-Level': 'fixed' };
      expect(render('/alerts/{level}', { body, headers, pathParameters: { level: value } })).toEqual([
        ...base('hi'), ['Subject', value], ['MessageGroupId', value],
        ['MessageAttributes.entry.1.Name', 'tenant'], ['MessageAttributes.entry.1.Value.DataType', 'String'],
        ['MessageAttributes.entry.1.Value.StringValue', value],
        ['MessageAttributes.entry.2.Name', 'level-name'], ['MessageAttributes.entry.2.Value.DataType', 'String'],
        ['MessageAttributes.entry.2.Value.StringValue', 'fixed'],
      ]);
    }
  });

  test('an absent or empty subject header sends no Subject', () => {
    const body = JSON.stringify({ text: 'hi' });
    for (const headers of [{}, { 'X-Subject': '' }] as Array<{ [h: string]: string }>) {
      expect(render('/alerts/{level}', { body, headers, pathParameters: { level: 'a' } })).toEqual([...base('hi'), ['MessageGroupId', 'a']]);
    }
  });
});

describe('FIFO topics', () => {
  test('group from the path, deduplication id from the request id, a literal subject exactly', () => {
    for (const customerId of ['c-1', ...ADVERSARIAL]) {
      for (const body of ['{"a":1}', ...ADVERSARIAL]) {
        expect(render('/orders/{customerId}', { body, pathParameters: { customerId }, context: { requestId: 'req-1' } })).toEqual([
          ['Action', 'Publish'], ['TopicArn', FIFO_ARN], ['Message', body], ['Subject', "Order's $total #1"],
          ['MessageGroupId', customerId], ['MessageDeduplicationId', 'req-1'],
        ]);
      }
    }
  });

  test('content-based deduplication: no deduplication id unless one is configured', () => {
    expect(render('/deduped', { body: 'b', context: { requestId: 'req-2' } })).toEqual([
      ['Action', 'Publish'], ['TopicArn', CONTENT_FIFO_ARN], ['Message', 'b'], ['MessageGroupId', 'default'],
    ]);
    for (const value of ADVERSARIAL) {
      expect(render('/explicit', { body: 'b', queryParameters: { group: value }, headers: { 'Idempotency-Key': value } }, 'PUT')).toEqual([
        ['Action', 'Publish'], ['TopicArn', CONTENT_FIFO_ARN], ['Message', 'b'], ['MessageGroupId', value], ['MessageDeduplicationId', value],
      ]);
    }
  });
});

describe('response templates', () => {
  const responses = (path: string) => methodAt(template, path, 'POST').Integration.IntegrationResponses
    .map((r: any) => [r.StatusCode, r.ResponseTemplates['application/json']]);

  test('success answers the message id from a realistic Publish response', () => {
    const [[, success]] = responses('/notify');
    const body = JSON.stringify({
      PublishResponse: {
        PublishResult: { MessageId: '6d2a6b2c-7f3e-5b6a-9a3e-0f0f4a9c1e2d', SequenceNumber: null },
        ResponseMetadata: { RequestId: 'b3f1c2d4-1111-2222-3333-444455556666' },
      },
    });
    expect(MappingTemplate.renderJson(success, { body })).toEqual({ messageId: '6d2a6b2c-7f3e-5b6a-9a3e-0f0f4a9c1e2d' });
    // A FIFO topic's answer carries a sequence number too; only the id is returned.
    const fifoBody = JSON.stringify({ PublishResponse: { PublishResult: { MessageId: 'm-1', SequenceNumber: '10000000000000003000' } } });
    expect(MappingTemplate.renderJson(responses('/orders/{customerId}')[0][1], { body: fifoBody })).toEqual({ messageId: 'm-1' });
  });

  test('any message id (or none) stays one JSON string', () => {
    const [[, success]] = responses('/notify');
    for (const id of ADVERSARIAL) {
      const body = JSON.stringify({ PublishResponse: { PublishResult: { MessageId: id } } });
      expect(MappingTemplate.renderJson(success, { body })).toEqual({ messageId: id });
    }
    expect(MappingTemplate.renderJson(success, { body: '{}' })).toEqual({ messageId: '' });
    expect(MappingTemplate.renderJson(success, { body: '<xml/>' })).toEqual({ messageId: '' });
  });

  test('service errors answer a fixed message and the request id, never the service text', () => {
    const errorBody = JSON.stringify({ Error: { Code: 'AuthorizationError', Message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized' } });
    const [, [s400, t400], [s502, t502]] = responses('/notify');
    expect([s400, s502]).toEqual(['400', '502']);
    expect(MappingTemplate.renderJson(t400, { body: errorBody, context: { requestId: 'r-9' } }))
      .toEqual({ message: 'The service rejected the request', requestId: 'r-9' });
    expect(MappingTemplate.renderJson(t502, { body: errorBody, context: { requestId: 'r-9' } }))
      .toEqual({ message: 'The service failed to handle the request', requestId: 'r-9' });
  });
});

describe('IAM', () => {
  test('sns:Publish on exactly the topics, kms on exactly the topic key, nothing else', () => {
    const policies = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      {
        Action: 'sns:Publish', Effect: 'Allow',
        Resource: [
          stack.resolve(topic.topicArn), stack.resolve(fifo.topicArn), stack.resolve(contentFifo.topicArn),
          'arn:aws:sns:us-east-1:210987654321:shared-events',
        ],
      },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: stack.resolve(key.keyArn) },
    ]);
  });
});

describe('misuse fails at synth, naming the route', () => {
  function build(options: any, t: (s: Stack) => sns.ITopic = (s) => new sns.Topic(s, 'T'), path = '/p/{id}'): () => unknown {
    const s = new Stack(new App(), 'Misuse');
    const a = new apigw.RestApi(s, 'Api');
    return () => new ServiceIntegrationRoute(s, 'Bad', { api: a, path, method: 'POST', action: ServiceAction.snsPublish(t(s), options) });
  }
  const attempt = (options: any, t?: (s: Stack) => sns.ITopic): string => errorOf(build(options, t));
  const fifoTopic = (s: Stack) => new sns.Topic(s, 'F', { fifo: true });

  test('a FIFO topic without a message group', () => {
    expect(attempt({}, fifoTopic)).toMatch(/^Route Misuse\/Bad: .*FIFO topic.*set messageGroupId/);
  });

  test('a deduplication id on a standard topic', () => {
    expect(attempt({ deduplicationId: Field.context('requestId') })).toMatch(/^Route Misuse\/Bad: deduplicationId applies to FIFO topics only/);
  });

  test.each(['aws.trace', 'Amazon.x', '.lead', 'trail.', 'a..b', '', 'sp ace', 'x'.repeat(257)])('attribute name %j', (attribute) => {
    expect(attempt({ messageAttributesFromHeaders: { [attribute]: 'X-H' } })).toMatch(/^Route Misuse\/Bad: message attribute name .* is not valid for SNS/);
  });

  test('an invalid header name', () => {
    expect(attempt({ messageAttributesFromHeaders: { ok: 'X H' } })).toMatch(/^Route Misuse\/Bad: 'X H' is not a valid header name/);
  });

  test.each(['', 'x'.repeat(100), 'two\nlines', 'tab\there', 'bell\u0007'])('a literal subject %j', (subject) => {
    expect(attempt({ subject: Field.literal(subject) })).toMatch(/^Route Misuse\/Bad: subject [^]* is not valid for SNS: use less than 100 characters/);
  });

  test('a literal subject of 99 characters with quotes, $, # and unicode is fine', () => {
    const subject = `Ünïcode "quoted" $x #y ${'x'.repeat(99 - 23)}`;
    expect(subject).toHaveLength(99);
    expect(build({ subject: Field.literal(subject) })).not.toThrow();
  });

  test.each(['', 'x'.repeat(129), 'with space', 'ü'])('a literal message group id %j', (group) => {
    expect(attempt({ messageGroupId: Field.literal(group) }, fifoTopic)).toMatch(/^Route Misuse\/Bad: messageGroupId .* is not valid for SNS/);
  });

  test('a path field that is not in the route path', () => {
    expect(attempt({ message: Field.path('nope') })).toMatch(/^Route Misuse\/Bad: Field.path\('nope'\) is not a parameter of the route's path/);
  });
});
