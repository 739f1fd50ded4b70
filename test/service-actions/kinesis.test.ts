process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';
import { errorOf, methodAt } from '../util';

// Kinesis PutRecord: the rendered request must be JSON with exactly our keys, Data must base64-decode
// to exactly the UTF-8 bytes of the value, and the partition key must be the value itself.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀 👩‍👩‍👧 \u0000 \u007f \u2028',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '"}, "StreamARN": "arn:aws:kinesis:us-east-1:999999999999:stream/evil", "x": "',
  '}{',
  ' ',
  'x'.repeat(3000),
];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function resolve(value: any): string {
  if (typeof value === 'string') return value;
  const pseudo: { [k: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref && pseudo[value.Ref]) return pseudo[value.Ref];
  if (value['Fn::GetAtt']) return `arn:aws:kinesis:us-east-1:123456789012:stream/${value['Fn::GetAtt'][0]}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

const app = new App();
const stack = new Stack(app, 'Kinesis');
const api = new apigw.RestApi(stack, 'Api');
const key = new kms.Key(stack, 'Key');
const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
const managed = new kinesis.Stream(stack, 'Managed', { encryption: kinesis.StreamEncryption.MANAGED });
const imported = kinesis.Stream.fromStreamArn(stack, 'Imported', 'arn:aws:kinesis:us-east-1:210987654321:stream/clicks');
new ServiceIntegrationRoute(stack, 'Records', { api, path: '/records', method: 'POST', action: ServiceAction.kinesisPutRecord(stream) });
new ServiceIntegrationRoute(stack, 'Readings', {
  api, path: '/devices/{deviceId}/readings', method: 'POST',
  action: ServiceAction.kinesisPutRecord(managed, { data: Field.bodyJson('$.reading'), partitionKey: Field.path('deviceId') }),
});
new ServiceIntegrationRoute(stack, 'Clicks', {
  api, path: '/clicks', method: 'PUT',
  action: ServiceAction.kinesisPutRecord(imported, { data: Field.body('$.url'), partitionKey: Field.header('X-Session') }),
});
const template = Template.fromStack(stack);
const json = template.toJSON();
const STREAM_ARN = resolve(stack.resolve(stream.streamArn));
const MANAGED_ARN = resolve(stack.resolve(managed.streamArn));
const IMPORTED_ARN = 'arn:aws:kinesis:us-east-1:210987654321:stream/clicks';

function renderRequest(path: string, request: MappingTemplateRequest, method = 'POST'): any {
  const rendered = MappingTemplate.renderJson(resolve(methodAt(template, path, method).Integration.RequestTemplates['application/json']), request);
  expect(rendered.Data).toMatch(BASE64);
  return rendered;
}
/** The UTF-8 text base64 `data` holds, after checking it decodes to exactly the UTF-8 bytes of `expected`. */
function expectData(data: string, expected: string): void {
  expect(Buffer.from(data, 'base64').equals(Buffer.from(expected, 'utf8'))).toBe(true);
}

describe('synthesized integration', () => {
  test.each([['/records', 'POST'], ['/devices/{deviceId}/readings', 'POST'], ['/clicks', 'PUT']])('%s %s calls kinesis:action/PutRecord', (path, httpMethod) => {
    const method = methodAt(template, path, httpMethod);
    const integration = method.Integration;
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(resolve(integration.Uri)).toBe('arn:aws:apigateway:us-east-1:kinesis:action/PutRecord');
    expect(integration.Credentials).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiApigatewayPatternsIntegrationRole/), 'Arn'] });
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.RequestParameters).toEqual({
      'integration.request.header.X-Amz-Target': "'Kinesis_20131202.PutRecord'",
      'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
    });
    expect(Object.keys(integration.RequestTemplates)).toEqual(['application/json']);
    expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}'],
    ]);
    expect(method.MethodResponses).toEqual([{ StatusCode: '200' }, { StatusCode: '400' }, { StatusCode: '502' }]);
  });

  test('the stream is named by its ARN reference', () => {
    const parts = methodAt(template, '/records', 'POST').Integration.RequestTemplates['application/json']['Fn::Join'][1];
    expect(parts).toContainEqual(stack.resolve(stream.streamArn));
  });
});

describe('request template', () => {
  test('Data is base64 of exactly the body bytes (UTF-8), the partition key is the request id', () => {
    const bodies = [...ADVERSARIAL, JSON.stringify({ a: 'é 😀', b: [1, 2] }), '{"pretty": \n  true}\n'];
    for (const body of bodies) {
      const rendered = renderRequest('/records', { body, context: { requestId: 'c0ffee-1' } });
      expect(rendered).toEqual({ StreamARN: STREAM_ARN, Data: expect.any(String), PartitionKey: 'c0ffee-1' });
      expectData(rendered.Data, body);
    }
  });

  test('an empty body writes {} (what API Gateway gives a template for no body)', () => {
    expectData(renderRequest('/records', { body: '' }).Data, '{}');
  });

  test('a hostile request id stays the partition key, exactly', () => {
    for (const requestId of ADVERSARIAL) {
      expect(renderRequest('/records', { body: 'b', context: { requestId } })).toEqual({ StreamARN: STREAM_ARN, Data: 'Yg==', PartitionKey: requestId });
    }
  });

  test('data from $.reading as JSON text, partition key from the path', () => {
    for (const deviceId of ['dev-1', ...ADVERSARIAL]) {
      for (const reading of [{ t: 21.5, unit: '°C' }, ...ADVERSARIAL.map((s) => ({ [s]: [s] })), ['a', 1], 'text', 7]) {
        const rendered = renderRequest('/devices/{deviceId}/readings', { body: JSON.stringify({ reading, admin: true }), pathParameters: { deviceId } });
        expect(rendered).toEqual({ StreamARN: MANAGED_ARN, Data: expect.any(String), PartitionKey: deviceId });
        expect(JSON.parse(Buffer.from(rendered.Data, 'base64').toString('utf8'))).toEqual(reading);
      }
    }
  });

  test('a missing $.reading writes "" (the two characters); a missing header an empty partition key (Kinesis answers 400)', () => {
    expectData(renderRequest('/devices/{deviceId}/readings', { body: '{}', pathParameters: { deviceId: 'd' } }).Data, '""');
    expect(renderRequest('/clicks', { body: '{"url": "u"}' }, 'PUT')).toEqual({ StreamARN: IMPORTED_ARN, Data: 'dQ==', PartitionKey: '' });
  });

  test('a string at $.url as its text, partition key from a header, on a stream of another account', () => {
    for (const value of ['https://example.com/a?b=c&d=é', ...ADVERSARIAL]) {
      const rendered = renderRequest('/clicks', { body: JSON.stringify({ url: value }), headers: { 'X-Session': value } }, 'PUT');
      expect(rendered).toEqual({ StreamARN: IMPORTED_ARN, Data: expect.any(String), PartitionKey: value });
      expectData(rendered.Data, value);
    }
  });
});

describe('response templates', () => {
  const [success, clientError, serviceError] = methodAt(template, '/records', 'POST').Integration.IntegrationResponses
    .map((r: any) => r.ResponseTemplates['application/json']);

  test('success answers the sequence number and shard id from a realistic PutRecord response', () => {
    const body = JSON.stringify({
      EncryptionType: 'KMS', SequenceNumber: '49590338271490256608559692538361571095921575989136588898', ShardId: 'shardId-000000000001',
    });
    expect(MappingTemplate.renderJson(success, { body }))
      .toEqual({ sequenceNumber: '49590338271490256608559692538361571095921575989136588898', shardId: 'shardId-000000000001' });
  });

  test('any values (or none) stay one JSON string each', () => {
    for (const value of ADVERSARIAL) {
      expect(MappingTemplate.renderJson(success, { body: JSON.stringify({ SequenceNumber: value, ShardId: value }) }))
        .toEqual({ sequenceNumber: value, shardId: value });
    }
    expect(MappingTemplate.renderJson(success, { body: '{}' })).toEqual({ sequenceNumber: '', shardId: '' });
  });

  test('service errors answer a fixed message and the request id, never the service text', () => {
    const body = JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Stream clicks under account 123456789012 not found.' });
    expect(MappingTemplate.renderJson(clientError, { body, context: { requestId: 'r-1' } }))
      .toEqual({ message: 'The service rejected the request', requestId: 'r-1' });
    expect(MappingTemplate.renderJson(serviceError, { body, context: { requestId: 'r-1' } }))
      .toEqual({ message: 'The service failed to handle the request', requestId: 'r-1' });
  });
});

describe('IAM', () => {
  test('kinesis:PutRecord on exactly the streams, kms:GenerateDataKey on exactly the customer key', () => {
    const policies = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      { Action: 'kinesis:PutRecord', Effect: 'Allow', Resource: [stack.resolve(stream.streamArn), stack.resolve(managed.streamArn), IMPORTED_ARN] },
      { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: stack.resolve(key.keyArn) },
    ]);
  });
});

describe('misuse fails at synth, naming the route', () => {
  function attempt(options: any, path = '/p/{id}'): string {
    const s = new Stack(new App(), 'Misuse');
    const a = new apigw.RestApi(s, 'Api');
    const st = new kinesis.Stream(s, 'S');
    return errorOf(() => new ServiceIntegrationRoute(s, 'Bad', { api: a, path, method: 'POST', action: ServiceAction.kinesisPutRecord(st, options) }));
  }

  test.each(['', 'k'.repeat(257)])('a literal partition key of the wrong length', (partitionKey) => {
    expect(attempt({ partitionKey: Field.literal(partitionKey) })).toMatch(/^Route Misuse\/Bad: partitionKey '.*' must be 1 to 256 characters/);
  });

  test('a path field that is not in the route path', () => {
    expect(attempt({ partitionKey: Field.path('deviceId') })).toMatch(/^Route Misuse\/Bad: Field.path\('deviceId'\) is not a parameter/);
  });
});
