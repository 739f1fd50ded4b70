process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomServiceActionOptions, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate } from '../../lib/testing';
import { errorOf, methodAt, resourcesOfType } from '../util';

// ServiceAction.custom: the user's target, template and grant are emitted as given, after the checks for
// the mistakes that only show after a deploy (no target or two, wildcard actions or resources).

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '',
  '}{',
];

const STREAM_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/clicks';
// A user's template that escapes as the README recommends: the body becomes the record's base64 data.
const FIREHOSE_TEMPLATE = '{"DeliveryStreamName": "clicks", "Record": {"Data": "$util.base64Encode($input.body)"}}';
const FIREHOSE_RESPONSE = '{"recordId": "$util.escapeJavaScript($input.path(\'$.RecordId\')).replaceAll("\\\\\'","\'")"}';

function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `{${value.Ref}}`;
  if (value['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

describe('a custom action is emitted as given', () => {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  new ServiceIntegrationRoute(stack, 'PutRecord', {
    api, path: '/clicks', method: 'POST',
    action: ServiceAction.custom({
      service: 'firehose', action: 'PutRecord', requestTemplate: FIREHOSE_TEMPLATE, responseTemplate: FIREHOSE_RESPONSE,
      contentType: 'application/x-amz-json-1.1', iamActions: ['firehose:PutRecord'], iamResources: [STREAM_ARN],
    }),
  });
  new ServiceIntegrationRoute(stack, 'ListQueues', {
    api, path: '/queues', method: 'GET',
    action: ServiceAction.custom({
      service: 'sqs', path: '123456789012/orders', integrationHttpMethod: 'get', requestTemplate: 'Action=GetQueueAttributes&AttributeName.1=All',
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      iamActions: ['sqs:GetQueueAttributes'], iamResources: ['arn:aws:sqs:us-east-1:123456789012:orders'],
    }),
  });
  const template = Template.fromStack(stack);
  const putRecord = methodAt(template, '/clicks', 'POST');
  const listQueues = methodAt(template, '/queues', 'GET');

  test('action target: URI, method, Content-Type header, templates, NEVER, role', () => {
    const integration = putRecord.Integration;
    expect(text(integration.Uri)).toBe('arn:{AWS::Partition}:apigateway:{AWS::Region}:firehose:action/PutRecord');
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.RequestParameters).toEqual({ 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" });
    expect(integration.RequestTemplates).toEqual({ 'application/json': FIREHOSE_TEMPLATE });
    expect(integration.Credentials['Fn::GetAtt'][0]).toMatch(/^ApiApigatewayPatternsIntegrationRole/);
    expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern, r.ResponseTemplates['application/json']])).toEqual([
      ['200', undefined, FIREHOSE_RESPONSE],
      ['400', '4\\d{2}', '{"message": "The service rejected the request", "requestId": "$context.requestId"}'],
      ['502', '5\\d{2}', '{"message": "The service failed to handle the request", "requestId": "$context.requestId"}'],
    ]);
    expect(putRecord.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['200', '400', '502']);
  });

  test('path target: URI, the given HTTP method upper-cased, request parameters, no 200 template (passes through)', () => {
    const integration = listQueues.Integration;
    expect(text(integration.Uri)).toBe('arn:{AWS::Partition}:apigateway:{AWS::Region}:sqs:path/123456789012/orders');
    expect(integration.IntegrationHttpMethod).toBe('GET');
    expect(integration.RequestParameters).toEqual({ 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" });
    expect(integration.RequestTemplates).toEqual({ 'application/json': 'Action=GetQueueAttributes&AttributeName.1=All' });
    expect(integration.IntegrationResponses[0]).toEqual({ StatusCode: '200' });
  });

  test('the templates render as their author wrote them, with adversarial input', () => {
    for (const body of ADVERSARIAL) {
      const request = MappingTemplate.renderJson(FIREHOSE_TEMPLATE, { body });
      expect(Buffer.from(request.Record.Data, 'base64').toString('utf8')).toBe(body === '' ? '{}' : body);
      expect(MappingTemplate.renderJson(FIREHOSE_RESPONSE, { body: JSON.stringify({ RecordId: body }) })).toEqual({ recordId: body });
      expect(MappingTemplate.render('Action=GetQueueAttributes&AttributeName.1=All', { body })).toBe('Action=GetQueueAttributes&AttributeName.1=All');
    }
  });

  test('the shared error answers are fixed JSON with the request id', () => {
    for (const r of putRecord.Integration.IntegrationResponses.slice(1)) {
      for (const body of ADVERSARIAL) {
        expect(Object.keys(MappingTemplate.renderJson(r.ResponseTemplates['application/json'], { body, context: { requestId: 'r' } })))
          .toEqual(['message', 'requestId']);
      }
    }
  });

  test('IAM: exactly the given actions on exactly the given resources', () => {
    const policies = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Roles.some((r: any) => r.Ref.startsWith('ApiApigatewayPatternsIntegrationRole')));
    expect(policies).toHaveLength(1);
    expect(policies[0][1].PolicyDocument.Statement).toEqual([
      { Action: 'firehose:PutRecord', Effect: 'Allow', Resource: STREAM_ARN },
      { Action: 'sqs:GetQueueAttributes', Effect: 'Allow', Resource: 'arn:aws:sqs:us-east-1:123456789012:orders' },
    ]);
  });
});

describe('misuse fails at synth, naming the route', () => {
  const valid: CustomServiceActionOptions = {
    service: 'firehose', action: 'PutRecord', requestTemplate: '{}', iamActions: ['firehose:PutRecord'], iamResources: [STREAM_ARN],
  };
  function bind(overrides: Partial<CustomServiceActionOptions> & { [k: string]: unknown }): string {
    return errorOf(() => {
      const stack = new Stack(new App(), 'Stack');
      const api = new apigw.RestApi(stack, 'Api');
      new ServiceIntegrationRoute(stack, 'Call', { api, path: '/call', method: 'POST', action: ServiceAction.custom({ ...valid, ...overrides }) });
    });
  }
  const PREFIX = 'Route Stack/Call: ServiceAction.custom: ';

  test.each<[string, Partial<CustomServiceActionOptions> & { [k: string]: unknown }, string]>([
    ['both action and path', { path: 'x' }, 'set exactly one of action'],
    ['neither action nor path', { action: undefined }, 'set exactly one of action'],
    ['a wildcard action', { iamActions: ['firehose:*'] }, "iamActions has 'firehose:*': wildcard actions are not allowed"],
    ['a partial wildcard action', { iamActions: ['firehose:PutRecord', 'firehose:Put*'] }, "iamActions has 'firehose:Put*': wildcard actions"],
    ['a bare * action', { iamActions: ['*'] }, "iamActions has '*': wildcard actions"],
    ['an action without its service prefix', { iamActions: ['PutRecord'] }, "iamActions has 'PutRecord', which is not an IAM action"],
    ['no actions', { iamActions: [] }, 'iamActions is empty'],
    ['no resources', { iamResources: [] }, 'iamResources is empty'],
    ['a * resource', { iamResources: [STREAM_ARN, '*'] }, "iamResources has '*': name the exact resource ARNs, never '*'"],
    ['an empty resource', { iamResources: [' '] }, "iamResources has ' '"],
    ['a service name with capitals', { service: 'Firehose' }, "service 'Firehose' is not an AWS service name"],
    ['a service name with a space', { service: 'fire hose' }, "service 'fire hose' is not an AWS service name"],
    ['an action that is not a name', { action: 'Put Record' }, "action 'Put Record' is not an API action name"],
    ['a path with a space', { action: undefined, path: 'a b' }, "path 'a b' must be non-empty and without spaces"],
    ['an empty path', { action: undefined, path: '' }, "path '' must be non-empty"],
    ['an unknown integration method', { integrationHttpMethod: 'FETCH' }, "integrationHttpMethod 'FETCH' must be one of"],
    ['no request template', { requestTemplate: undefined }, 'requestTemplate is required'],
    ['a bad request parameter name', { requestParameters: { 'method.request.header.X': "'v'" } }, "request parameter 'method.request.header.X' must be named"],
    ['contentType and a Content-Type parameter', {
      contentType: 'application/json', requestParameters: { 'integration.request.header.content-type': "'text/plain'" },
    }, 'contentType and requestParameters both set'],
    ['a contentType with a quote', { contentType: "text/plain'" }, "contentType 'text/plain'' is not a media type"],
  ])('%s', (_name, overrides, message) => {
    const error = bind(overrides);
    expect(error.startsWith(PREFIX)).toBe(true);
    expect(error).toContain(message);
  });
});
