process.env.CDK_VALIDATION = 'false';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Field, ServiceAction, ServiceIntegrationRoute, SqsSendMessageOptions } from '../../lib';
import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';
import { prng, errorOf, Json, methodAt, newStack, resourcesOfType } from '../util';

const HOSTILE = [
  'a", "admin": true, "x": "', "it's", 'back\\slash \\" \\u0041', 'line\nbreak\r\n\ttab', 'unicode é 中文 😀 שלום',
  '$context.requestId #set($x = 1) ${x}', '&MessageGroupId=evil&Action=DeleteQueue', 'a=b&c=d', '100% + 1 = 101', '%26%3D',
  '</script><script>alert(1)</script>', '{"order": {"id": 1, "items": ["a", "b"]}, "note": "x & y = z"}', ' ', '+', '\u0000\u001f\u007f',
];

const PIECES = ['&', '=', '+', '%', '%2B', ' ', '"', "'", '\\', '\n', '\t', '#', '$', '{', '}', '😀', 'é', '\u2028', 'Action', 'MessageBody', ';', '?', 'a', '1'];
const random = prng(11);
const GENERATED = Array.from({ length: 300 }, () => {
  let s = '';
  const n = 1 + Math.floor(random() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)];
  return s;
});

/** The form fields of a rendered request body, in order (URLSearchParams form-decodes like SQS). */
function form(rendered: string): Array<[string, string]> {
  return [...new URLSearchParams(rendered).entries()];
}

const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

describe('SendMessage routes', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const standard = new sqs.Queue(stack, 'Orders');
  const fifo = new sqs.Queue(stack, 'Ordered', { fifo: true });
  const contentBased = new sqs.Queue(stack, 'Deduped', { fifo: true, contentBasedDeduplication: true });
  const route = (id: string, path: string, method: string, queue: sqs.IQueue, options?: SqsSendMessageOptions) =>
    new ServiceIntegrationRoute(stack, id, { api, path, method, action: ServiceAction.sqsSendMessage(queue, options) });
  route('Enqueue', '/orders', 'POST', standard);
  route('Fifo', '/customers/{customerId}/orders', 'POST', fifo, { messageGroupId: Field.path('customerId') });
  route('FifoKeyed', '/customers/{customerId}/orders', 'PUT', fifo, {
    messageGroupId: Field.path('customerId'), deduplicationId: Field.header('Idempotency-Key'),
  });
  route('FifoContent', '/groups/{group}', 'POST', contentBased, { messageGroupId: Field.path('group') });
  route('Attributes', '/events', 'POST', standard, {
    messageAttributesFromHeaders: { traceId: 'X-Trace-Id', tenant: 'X-Tenant', 'source.app': 'X-Source' },
    delaySeconds: 30,
  });
  route('Note', '/notes', 'POST', standard, { messageBody: Field.body('$.note') });
  const template = Template.fromStack(stack);
  const requestTemplate = (path: string, method = 'POST'): string => {
    const templates = methodAt(template, path, method).Integration.RequestTemplates;
    expect(Object.keys(templates)).toEqual(['application/json']);
    return templates['application/json'];
  };

  test('standard queue: the exact template', () => {
    expect(requestTemplate('/orders')).toBe('Action=SendMessage&MessageBody=$util.urlEncode($input.body)');
  });

  test('standard queue: any body arrives as MessageBody exactly, and no field is ever added', () => {
    const t = requestTemplate('/orders');
    for (const body of [...HOSTILE, ...GENERATED]) {
      expect(form(MappingTemplate.render(t, { body }))).toEqual([['Action', 'SendMessage'], ['MessageBody', body]]);
    }
  });

  test('an empty body is sent as {}: API Gateway gives templates {} for an empty body', () => {
    // Recorded AWS behaviour (LocalStack test_input_body_formatting): $input.body of no body is "{}".
    expect(MappingTemplate.render(requestTemplate('/orders'), { body: '' })).toBe('Action=SendMessage&MessageBody=%7B%7D');
  });

  test('FIFO: MessageGroupId from the path, MessageDeduplicationId the request id by default', () => {
    const t = requestTemplate('/customers/{customerId}/orders');
    expect(t).toBe('Action=SendMessage&MessageBody=$util.urlEncode($input.body)' +
      "&MessageGroupId=$util.urlEncode($input.params().path.get('customerId'))" +
      '&MessageDeduplicationId=$util.urlEncode($context.requestId)');
    for (const value of HOSTILE) {
      const rendered = MappingTemplate.render(t, { body: value, pathParameters: { customerId: value } });
      expect(form(rendered)).toEqual([
        ['Action', 'SendMessage'], ['MessageBody', value], ['MessageGroupId', value], ['MessageDeduplicationId', REQUEST_ID],
      ]);
    }
  });

  test('FIFO: a deduplication id Field replaces the request id', () => {
    const t = requestTemplate('/customers/{customerId}/orders', 'PUT');
    expect(t).toContain("&MessageDeduplicationId=$util.urlEncode($input.params().header.get('Idempotency-Key'))");
    for (const value of HOSTILE) {
      const rendered = MappingTemplate.render(t, { body: '{"a":1}', pathParameters: { customerId: 'c1' }, headers: { 'Idempotency-Key': value } });
      expect(form(rendered)).toEqual([
        ['Action', 'SendMessage'], ['MessageBody', '{"a":1}'], ['MessageGroupId', 'c1'], ['MessageDeduplicationId', value],
      ]);
    }
  });

  test('FIFO with content-based deduplication: no deduplication id by default, so SQS deduplicates on the body', () => {
    const t = requestTemplate('/groups/{group}');
    expect(t).toBe("Action=SendMessage&MessageBody=$util.urlEncode($input.body)&MessageGroupId=$util.urlEncode($input.params().path.get('group'))");
    expect(form(MappingTemplate.render(t, { body: 'x', pathParameters: { group: 'g' } })).map(([k]) => k))
      .toEqual(['Action', 'MessageBody', 'MessageGroupId']);
  });

  test('attributes from headers: the exact template, with DelaySeconds', () => {
    const attribute = (i: number, name: string, header: string) =>
      `#set($__attrValue${i} = $input.params().header.get('${header}'))#if("$!{__attrValue${i}}" != "")#set($__attr = $__attr + 1)` +
      `&MessageAttribute.\${__attr}.Name=$util.urlEncode('${name}')&MessageAttribute.\${__attr}.Value.DataType=String` +
      `&MessageAttribute.\${__attr}.Value.StringValue=$util.urlEncode($__attrValue${i})#end`;
    expect(requestTemplate('/events')).toBe('Action=SendMessage&MessageBody=$util.urlEncode($input.body)&DelaySeconds=30#set($__attr = 0)' +
      attribute(0, 'traceId', 'X-Trace-Id') + attribute(1, 'tenant', 'X-Tenant') + attribute(2, 'source.app', 'X-Source'));
  });

  test('attributes are numbered 1..n without gaps for every subset of headers present', () => {
    const t = requestTemplate('/events');
    const all: Array<[string, string, string]> = [['traceId', 'X-Trace-Id', 'trace & = 1'], ['tenant', 'X-Tenant', HOSTILE[0]], ['source.app', 'X-Source', 'é😀']];
    for (let mask = 0; mask < 8; mask++) {
      const present = all.filter((_, i) => mask & (1 << i));
      const headers: { [h: string]: string } = { 'X-Other': 'ignored', 'X-Tenant-Empty': '' };
      for (const [, header, value] of present) headers[header] = value;
      const expected: Array<[string, string]> = [['Action', 'SendMessage'], ['MessageBody', 'body'], ['DelaySeconds', '30']];
      present.forEach(([name, , value], i) => expected.push(
        [`MessageAttribute.${i + 1}.Name`, name],
        [`MessageAttribute.${i + 1}.Value.DataType`, 'String'],
        [`MessageAttribute.${i + 1}.Value.StringValue`, value],
      ));
      expect(form(MappingTemplate.render(t, { body: 'body', headers }))).toEqual(expected);
    }
  });

  test('an empty header value adds no attribute (SQS rejects an empty string attribute)', () => {
    const rendered = MappingTemplate.render(requestTemplate('/events'), { body: 'b', headers: { 'X-Trace-Id': '', 'X-Source': 's' } });
    expect(form(rendered)).toEqual([
      ['Action', 'SendMessage'], ['MessageBody', 'b'], ['DelaySeconds', '30'],
      ['MessageAttribute.1.Name', 'source.app'], ['MessageAttribute.1.Value.DataType', 'String'], ['MessageAttribute.1.Value.StringValue', 's'],
    ]);
  });

  test('hostile header values stay inside their attribute value', () => {
    const t = requestTemplate('/events');
    for (const value of [...HOSTILE, ...GENERATED.slice(0, 100)]) {
      const fields = form(MappingTemplate.render(t, { body: value, headers: { 'X-Tenant': value } }));
      expect(fields.map(([k]) => k)).toEqual(['Action', 'MessageBody', 'DelaySeconds',
        'MessageAttribute.1.Name', 'MessageAttribute.1.Value.DataType', 'MessageAttribute.1.Value.StringValue']);
      expect(fields[1][1]).toBe(value);
      expect(fields[5][1]).toBe(value);
    }
  });

  test('a body Field as MessageBody: the value at the path, "" when missing', () => {
    const t = requestTemplate('/notes');
    expect(t).toBe("Action=SendMessage&MessageBody=$util.urlEncode($input.path('$.note'))");
    for (const value of HOSTILE) {
      expect(form(MappingTemplate.render(t, { body: JSON.stringify({ note: value, other: 1 }) }))).toEqual([['Action', 'SendMessage'], ['MessageBody', value]]);
    }
    expect(form(MappingTemplate.render(t, { body: '{}' }))).toEqual([['Action', 'SendMessage'], ['MessageBody', '']]);
  });

  test('the integration: type AWS to sqs:path/{account}/{queueName}, form Content-Type, passthrough NEVER, the shared role', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role').filter(([, p]) => p.Description?.startsWith('API Gateway service integrations'));
    expect(roles).toHaveLength(1);
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));
    for (const [path, method] of [['/orders', 'POST'], ['/customers/{customerId}/orders', 'POST'], ['/events', 'POST']]) {
      const integration = methodAt(template, path, method).Integration;
      expect(integration.Type).toBe('AWS');
      expect(integration.IntegrationHttpMethod).toBe('POST');
      expect(integration.PassthroughBehavior).toBe('NEVER');
      expect(integration.RequestParameters).toEqual({ 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" });
      expect(integration.Credentials).toEqual({ 'Fn::GetAtt': [roles[0][0], 'Arn'] });
      const [, parts] = integration.Uri['Fn::Join'];
      expect(parts.slice(0, 6)).toEqual(['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':sqs:path/', { Ref: 'AWS::AccountId' }]);
      expect(parts[6]).toBe('/');
      expect(parts[7]['Fn::GetAtt'][1]).toBe('QueueName');
      expect(queueIds).toContain(parts[7]['Fn::GetAtt'][0]);
      expect(parts).toHaveLength(8);
    }
  });

  test('integration responses 200 / 400 (4\\d{2}) / 502 (5\\d{2}), each with a method response', () => {
    const method = methodAt(template, '/orders', 'POST');
    const responses = method.Integration.IntegrationResponses;
    expect(responses.map((r: Json) => [r.StatusCode, r.SelectionPattern])).toEqual([['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}']]);
    expect(method.MethodResponses).toEqual([{ StatusCode: '200' }, { StatusCode: '400' }, { StatusCode: '502' }]);
    expect(responses.every((r: Json) => r.ResponseParameters === undefined)).toBe(true);
  });

  test('the 200 template answers {"messageId": ...} from a real SendMessage response, whatever the id holds', () => {
    const ok = methodAt(template, '/orders', 'POST').Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
    const sqsResponse = (messageId: string) => JSON.stringify({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: '4a1d4b8c-53f1-5c7e-9a6b-7c0b2b1c9d3e' },
        SendMessageResult: {
          MD5OfMessageAttributes: null, MD5OfMessageBody: '51b0a325b6ba9ebf9b4d2a7e0e8a5c42', MD5OfMessageSystemAttributes: null,
          MessageId: messageId, SequenceNumber: null,
        },
      },
    });
    expect(MappingTemplate.render(ok, { body: sqsResponse('5fea7756-0ea4-451a-a703-a558b933e274' ) }))
      .toBe('{"messageId": "5fea7756-0ea4-451a-a703-a558b933e274"}');
    for (const id of HOSTILE) {
      const out = MappingTemplate.renderJson(ok, { body: sqsResponse(id) });
      expect(out).toEqual({ messageId: id });
    }
    // A body without the id (not the SQS shape) still gives valid JSON.
    expect(MappingTemplate.renderJson(ok, { body: '<xml/>' })).toEqual({ messageId: '' });
  });

  test('the error templates answer a fixed message and the request id, never the service message', () => {
    const responses = methodAt(template, '/orders', 'POST').Integration.IntegrationResponses;
    const serviceError = JSON.stringify({ Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'arn:aws:sqs:us-east-1:123456789012:q "x"' } });
    const request: MappingTemplateRequest = { body: serviceError, context: { requestId: 'req-1' } };
    expect(MappingTemplate.renderJson(responses[1].ResponseTemplates['application/json'], request))
      .toEqual({ message: 'The service rejected the request', requestId: 'req-1' });
    expect(MappingTemplate.renderJson(responses[2].ResponseTemplates['application/json'], request))
      .toEqual({ message: 'The service failed to handle the request', requestId: 'req-1' });
  });
});

describe('IAM', () => {
  /** The statements of every policy attached to the API's integration role. */
  function integrationStatements(template: Template): Json[] {
    const [[roleId]] = resourcesOfType(template, 'AWS::IAM::Role').filter(([, p]) => p.Description?.startsWith('API Gateway service integrations'));
    return resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Roles.some((r: Json) => r.Ref === roleId))
      .flatMap(([, p]) => p.PolicyDocument.Statement);
  }

  test('exactly sqs:SendMessage on the queue ARN', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const queue = new sqs.Queue(stack, 'Queue');
    new ServiceIntegrationRoute(stack, 'Enqueue', { api, path: '/q', method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
    const template = Template.fromStack(stack);
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    expect(integrationStatements(template)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    ]);
  });

  test('a KMS-encrypted queue adds kms:GenerateDataKey and kms:Decrypt on exactly that key', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const key = new kms.Key(stack, 'Key');
    new kms.Key(stack, 'OtherKey');
    const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
    new ServiceIntegrationRoute(stack, 'Enqueue', { api, path: '/q', method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
    const template = Template.fromStack(stack);
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    expect(integrationStatements(template)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    ]);
  });

  test('an imported queue with a key: its ARN and the key ARN as given', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const queue = sqs.Queue.fromQueueAttributes(stack, 'Imported', {
      queueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders',
      keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    new ServiceIntegrationRoute(stack, 'Enqueue', { api, path: '/q', method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
    const template = Template.fromStack(stack);
    expect(integrationStatements(template)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: 'arn:aws:sqs:eu-west-1:111122223333:orders' },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    ]);
    const uri = methodAt(template, '/q', 'POST').Integration.Uri['Fn::Join'][1];
    expect(uri.slice(4)).toEqual([':sqs:path/111122223333/orders']);
  });
});

describe('misuse fails at synth with the route name and the fix', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const standard = new sqs.Queue(stack, 'Standard');
  const fifo = new sqs.Queue(stack, 'Fifo', { fifo: true });
  let n = 0;
  const attempt = (queue: sqs.IQueue, options: SqsSendMessageOptions) => errorOf(() => new ServiceIntegrationRoute(stack, `R${++n}`, {
    api, path: `/p${n}/{id}`, method: 'POST', action: ServiceAction.sqsSendMessage(queue, options),
  }));

  test('a FIFO queue without messageGroupId', () => {
    expect(attempt(fifo, {})).toMatch(/^Route Stack\/R\d+: Stack\/Fifo is a FIFO queue, which needs a message group: set messageGroupId, e\.g\. Field\.path\('customerId'\)/);
  });

  test('messageGroupId or deduplicationId on a standard queue', () => {
    expect(attempt(standard, { messageGroupId: Field.literal('g') }))
      .toMatch(/^Route Stack\/R\d+: messageGroupId and deduplicationId apply to FIFO queues only, and Stack\/Standard is a standard queue: remove them/);
    expect(attempt(standard, { deduplicationId: Field.context('requestId') })).toMatch(/apply to FIFO queues only/);
  });

  test('delaySeconds on a FIFO queue, or out of range', () => {
    expect(attempt(fifo, { messageGroupId: Field.literal('g'), delaySeconds: 5 }))
      .toMatch(/^Route Stack\/R\d+: FIFO queues have no per-message delay: remove delaySeconds$/);
    for (const bad of [-1, 901, 1.5, NaN]) {
      expect(attempt(standard, { delaySeconds: bad })).toMatch(new RegExp(`^Route Stack/R\\d+: delaySeconds ${bad} must be a whole number from 0 to 900$`));
    }
    expect(() => new ServiceIntegrationRoute(stack, 'Delay0', { api, path: '/d0', method: 'POST', action: ServiceAction.sqsSendMessage(standard, { delaySeconds: 0 }) })).not.toThrow();
    expect(() => new ServiceIntegrationRoute(stack, 'Delay900', { api, path: '/d900', method: 'POST', action: ServiceAction.sqsSendMessage(standard, { delaySeconds: 900 }) })).not.toThrow();
  });

  test('more than 10 message attributes', () => {
    const attributes: { [a: string]: string } = {};
    for (let i = 0; i < 11; i++) attributes[`a${i}`] = `X-A${i}`;
    expect(attempt(standard, { messageAttributesFromHeaders: attributes })).toMatch(/^Route Stack\/R\d+: SQS allows at most 10 message attributes; 11 are configured$/);
  });

  test.each(['aws.trace', 'AMAZON.x', 'a..b', '.a', 'a.', 'a b', '', 'x'.repeat(257), 'é'])('attribute name %j', (name) => {
    expect(attempt(standard, { messageAttributesFromHeaders: { [name]: 'X-H' } }))
      .toMatch(/^Route Stack\/R\d+: message attribute name '.*' is not valid for SQS \(letters, digits, _ - \.; not starting with aws\. or amazon\.\)$/);
  });

  test.each(['X Trace', 'X-Trace:', "X-'", ''])('header name %j', (header) => {
    expect(attempt(standard, { messageAttributesFromHeaders: { trace: header } })).toMatch(new RegExp(`^Route Stack/R\\d+: '${header.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is not a valid header name$`));
  });

  test('valid attribute names pass', () => {
    expect(() => new ServiceIntegrationRoute(stack, 'GoodAttrs', {
      api, path: '/good', method: 'POST',
      action: ServiceAction.sqsSendMessage(standard, { messageAttributesFromHeaders: { 'a.b-c_d': 'X-A', 'awsish': 'X-B', 'A1': 'X-C' } }),
    })).not.toThrow();
  });
});
