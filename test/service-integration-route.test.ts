process.env.CDK_VALIDATION = 'false';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiCors, DynamoAttribute, Field, MockRoute, RouteAuthorization, ServiceAction, ServiceIntegrationRoute, ServiceIntegrationRouteProps } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, methodsByPath, newStack, resourcesOfType } from './util';

const INTEGRATION_ROLE = 'API Gateway service integrations of ';
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Integration roles of the template, as [logicalId, properties]. */
function integrationRoles(template: Template): Array<[string, Json]> {
  return resourcesOfType(template, 'AWS::IAM::Role').filter(([, p]) => p.Description?.startsWith(INTEGRATION_ROLE));
}

/** The statements of every policy attached to `roleId`. */
function statementsOf(template: Template, roleId: string): Json[] {
  return [
    ...resourcesOfType(template, 'AWS::IAM::Policy'),
    ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy'),
  ].filter(([, p]) => (p.Roles ?? []).some((r: Json) => r.Ref === roleId)).flatMap(([, p]) => p.PolicyDocument.Statement);
}

describe('one integration role per API', () => {
  const stack = newStack();
  const first = new apigw.RestApi(stack, 'First');
  const second = new apigw.RestApi(stack, 'Second');
  const mockOnly = new apigw.RestApi(stack, 'MockOnly');
  const shared = new sqs.Queue(stack, 'Shared');
  const other = new sqs.Queue(stack, 'Other');
  const third = new sqs.Queue(stack, 'Third');
  // The shared queue behind 5 routes of the first API, 2 other queues; the second API uses the shared queue once.
  for (let i = 0; i < 5; i++) {
    new ServiceIntegrationRoute(stack, `Shared${i}`, { api: first, path: `/shared/${i}`, method: 'POST', action: ServiceAction.sqsSendMessage(shared) });
  }
  new ServiceIntegrationRoute(stack, 'OtherRoute', { api: first, path: '/other', method: 'POST', action: ServiceAction.sqsSendMessage(other) });
  new ServiceIntegrationRoute(stack, 'ThirdRoute', { api: first, path: '/third', method: 'PUT', action: ServiceAction.sqsSendMessage(third) });
  new ServiceIntegrationRoute(stack, 'SecondShared', { api: second, path: '/shared', method: 'POST', action: ServiceAction.sqsSendMessage(shared) });
  new MockRoute(stack, 'Mock', { api: mockOnly, path: '/mock', method: 'GET', body: { ok: true } });
  const template = Template.fromStack(stack);
  const roles = integrationRoles(template);
  const roleFor = (api: apigw.RestApi) => roles.find(([, p]) => p.Description === `${INTEGRATION_ROLE}${api.node.path}`)!;
  const queueId = (q: sqs.Queue) => stack.getLogicalId(q.node.defaultChild as sqs.CfnQueue);

  test('two APIs with service routes get two roles, the API without service routes none', () => {
    expect(roles.map(([, p]) => p.Description).sort()).toEqual([`${INTEGRATION_ROLE}Stack/First`, `${INTEGRATION_ROLE}Stack/Second`]);
    for (const [, role] of roles) {
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
      ]);
    }
  });

  test('every service route of an API assumes its API\'s role', () => {
    const [firstRole] = roleFor(first);
    const [secondRole] = roleFor(second);
    for (const path of ['/shared/0', '/shared/4', '/other']) {
      expect(methodAt(template, path, 'POST', stack.getLogicalId(first.node.defaultChild as apigw.CfnRestApi)).Integration.Credentials)
        .toEqual(arnOf(firstRole));
    }
    expect(methodAt(template, '/third', 'PUT').Integration.Credentials).toEqual(arnOf(firstRole));
    expect(methodAt(template, '/shared', 'POST').Integration.Credentials).toEqual(arnOf(secondRole));
  });

  test('same action: one statement listing each exact ARN once (5 routes on one queue give one ARN)', () => {
    expect(statementsOf(template, roleFor(first)[0])).toEqual([{
      Action: 'sqs:SendMessage', Effect: 'Allow', Resource: [arnOf(queueId(shared)), arnOf(queueId(other)), arnOf(queueId(third))],
    }]);
    expect(statementsOf(template, roleFor(second)[0])).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(queueId(shared)) },
    ]);
  });
});

describe('the role prop', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const queue = new sqs.Queue(stack, 'Queue');
  const mine = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
  const route = new ServiceIntegrationRoute(stack, 'Own', { api, path: '/own', method: 'POST', action: ServiceAction.sqsSendMessage(queue), role: mine });
  const template = Template.fromStack(stack);

  test('the route assumes the given role, and no shared role or grant is created', () => {
    expect(route.role).toBe(mine);
    expect(methodAt(template, '/own', 'POST').Integration.Credentials).toEqual(arnOf(stack.getLogicalId(mine.node.defaultChild as iam.CfnRole)));
    expect(integrationRoles(template)).toEqual([]);
    expect(resourcesOfType(template, 'AWS::IAM::Policy')).toEqual([]);
  });

  test('beside routes without it, the shared role gets only their grants', () => {
    const s = newStack();
    const a = new apigw.RestApi(s, 'Api');
    const q1 = new sqs.Queue(s, 'Q1');
    const q2 = new sqs.Queue(s, 'Q2');
    const own = new iam.Role(s, 'Own', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    new ServiceIntegrationRoute(s, 'A', { api: a, path: '/a', method: 'POST', action: ServiceAction.sqsSendMessage(q1), role: own });
    new ServiceIntegrationRoute(s, 'B', { api: a, path: '/b', method: 'POST', action: ServiceAction.sqsSendMessage(q2) });
    const t = Template.fromStack(s);
    const [[roleId]] = integrationRoles(t);
    expect(statementsOf(t, roleId)).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(s.getLogicalId(q2.node.defaultChild as sqs.CfnQueue)) }]);
    expect(statementsOf(t, s.getLogicalId(own.node.defaultChild as iam.CfnRole))).toEqual([]);
  });
});

describe('additionalRequestTemplates', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const queue = new sqs.Queue(stack, 'Queue');
  const plain = 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)';
  new ServiceIntegrationRoute(stack, 'Text', {
    api, path: '/text', method: 'POST', action: ServiceAction.sqsSendMessage(queue),
    additionalRequestTemplates: { 'text/plain': plain, 'application/vnd.orders+json': plain },
  });
  const template = Template.fromStack(stack);
  const attempt = (templates: { [ct: string]: string }) => errorOf(() => new ServiceIntegrationRoute(stack, `Bad${Object.keys(templates)[0].length}`, {
    api, path: `/bad${Object.keys(templates)[0].length}`, method: 'POST', action: ServiceAction.sqsSendMessage(queue), additionalRequestTemplates: templates,
  }));

  test('a text/plain template is added beside the action\'s, and passthrough stays NEVER', () => {
    const integration = methodAt(template, '/text', 'POST').Integration;
    expect(integration.RequestTemplates).toEqual({
      'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
      'text/plain': plain,
      'application/vnd.orders+json': plain,
    });
    expect(integration.PassthroughBehavior).toBe('NEVER');
  });

  test('redefining application/json throws', () => {
    expect(attempt({ 'application/json': '{}' })).toMatch(/^Route Stack\/Bad\d+: additionalRequestTemplates redefines application\/json, which the action already maps: templates are for other content types only$/);
  });

  test.each(['text', 'text/plain; charset=utf-8', 'text/ plain', '*/*', ''])('bad media type %j throws', (mediaType) => {
    expect(attempt({ [mediaType]: 'x' })).toMatch(/^Route Stack\/Bad\d+: '.*' is not a media type such as text\/plain$/);
  });
});

describe('CORS on a service route', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const queue = new sqs.Queue(stack, 'Queue');
  const origins = ['https://app.example.com', 'https://admin.example.com'];
  new ServiceIntegrationRoute(stack, 'One', { api, path: '/one', method: 'POST', action: ServiceAction.sqsSendMessage(queue), cors: { allowOrigins: ['https://app.example.com'] } });
  new ServiceIntegrationRoute(stack, 'Several', {
    api, path: '/several', method: 'POST', action: ServiceAction.sqsSendMessage(queue),
    cors: { allowOrigins: origins, allowCredentials: true, exposeHeaders: ['X-Request-Id'] },
  });
  const template = Template.fromStack(stack);

  test('Access-Control-Allow-Origin on every integration response, declared on every method response', () => {
    const method = methodAt(template, '/one', 'POST');
    expect(method.Integration.IntegrationResponses.map((r: Json) => [r.StatusCode, r.ResponseParameters])).toEqual(['200', '400', '502'].map((code) => [code, {
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Vary': "'Origin'",
    }]));
    expect(method.MethodResponses).toEqual(['200', '400', '502'].map((code) => ({
      StatusCode: code,
      ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': true, 'method.response.header.Vary': true },
    })));
  });

  test('several origins: every response reflects an allowed Origin and its body stays the same JSON', () => {
    const method = methodAt(template, '/several', 'POST');
    const headers = {
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Vary': "'Origin'",
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Access-Control-Expose-Headers': "'X-Request-Id'",
    };
    const responses = method.Integration.IntegrationResponses;
    expect(responses.map((r: Json) => r.StatusCode)).toEqual(['200', '400', '502']);
    for (const r of responses) expect(r.ResponseParameters).toEqual(headers);
    for (const m of method.MethodResponses) {
      expect(m.ResponseParameters).toEqual(Object.fromEntries(Object.keys(headers).map((h) => [h, true])));
    }
    const ok = responses[0].ResponseTemplates['application/json'];
    const body = JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'id-1' } } });
    for (const origin of [...origins, 'https://evil.example.com', 'https://app.example.com", "x": "']) {
      const result = MappingTemplate.renderWithOverrides(ok, { body, headers: { Origin: origin } });
      expect(JSON.parse(result.output)).toEqual({ messageId: 'id-1' });
      expect(result.headerOverrides).toEqual(origins.includes(origin) ? { 'Access-Control-Allow-Origin': origin } : {});
    }
    const failed = MappingTemplate.renderWithOverrides(responses[2].ResponseTemplates['application/json'], { headers: { origin: origins[1] }, context: { requestId: 'r' } });
    expect(JSON.parse(failed.output)).toEqual({ message: 'The service failed to handle the request', requestId: 'r' });
    expect(failed.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': origins[1] });
  });

  test('an OPTIONS preflight on each CORS resource, and CORS gateway responses', () => {
    expect(methodsByPath(template)).toEqual({ '/one': ['OPTIONS', 'POST'], '/several': ['OPTIONS', 'POST'] });
    const preflight = methodAt(template, '/one', 'OPTIONS');
    expect(preflight.Integration.Type).toBe('MOCK');
    expect(preflight.AuthorizationType).toBe('NONE');
    expect(preflight.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Methods']).toBe("'POST,OPTIONS'");
    expect(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(([, p]) => p.ResponseType).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
  });
});

describe('route options', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const queue = new sqs.Queue(stack, 'Queue');
  const pool = new cognito.UserPool(stack, 'Pool');
  const action = ServiceAction.sqsSendMessage(queue);
  const route = (id: string, props: Partial<ServiceIntegrationRouteProps> & { path: string; method: string }) =>
    new ServiceIntegrationRoute(stack, id, { api, action, ...props });
  route('Cached', { path: '/items/{itemId}/parts/{partId}', method: 'GET', cache: { ttl: Duration.minutes(5), queryParameters: ['page'] } });
  route('Iam', { path: '/iam', method: 'POST', authorization: RouteAuthorization.iam() });
  route('Cognito', { path: '/private', method: 'POST', authorization: RouteAuthorization.cognito([pool], { scopes: ['orders/write'] }), apiKeyRequired: true });
  route('Fast', { path: '/fast', method: 'POST', timeout: Duration.millis(50) });
  route('Slow', { path: '/slow', method: 'POST', timeout: Duration.seconds(29) });
  const template = Template.fromStack(stack);

  test('caching a GET service route keys the cache on its path parameters (and named query parameters)', () => {
    const method = methodAt(template, '/items/{itemId}/parts/{partId}', 'GET');
    expect(method.Integration.CacheKeyParameters).toEqual([
      'method.request.path.itemId', 'method.request.path.partId', 'method.request.querystring.page',
    ]);
    expect(method.RequestParameters).toEqual({
      'method.request.path.itemId': true, 'method.request.path.partId': true, 'method.request.querystring.page': false,
    });
    const [, stage] = resourcesOfType(template, 'AWS::ApiGateway::Stage')[0];
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.MethodSettings).toEqual([{
      ResourcePath: '/~1items~1{itemId}~1parts~1{partId}', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 300, CacheDataEncrypted: true,
    }]);
  });

  test('authorization and API key options apply to the method', () => {
    expect(methodAt(template, '/iam', 'POST').AuthorizationType).toBe('AWS_IAM');
    const cognitoMethod = methodAt(template, '/private', 'POST');
    expect(cognitoMethod.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(cognitoMethod.AuthorizationScopes).toEqual(['orders/write']);
    expect(cognitoMethod.AuthorizerId).toEqual({ Ref: expect.any(String) });
    expect(cognitoMethod.ApiKeyRequired).toBe(true);
    expect(methodAt(template, '/iam', 'POST').ApiKeyRequired).toBeUndefined();
  });

  test('the timeout is passed to the integration; without one API Gateway\'s default applies', () => {
    expect(methodAt(template, '/fast', 'POST').Integration.TimeoutInMillis).toBe(50);
    expect(methodAt(template, '/slow', 'POST').Integration.TimeoutInMillis).toBe(29000);
    expect(methodAt(template, '/iam', 'POST').Integration.TimeoutInMillis).toBeUndefined();
  });

  test.each([[49, 'millis'], [29001, 'millis'], [30, 'seconds']] as const)('timeout %d %s is out of bounds', (amount, unit) => {
    const timeout = unit === 'millis' ? Duration.millis(amount) : Duration.seconds(amount);
    expect(errorOf(() => route(`T${amount}${unit}`, { path: `/t${amount}${unit}`, method: 'POST', timeout })))
      .toMatch(/^Route Stack\/T\w+: integration timeout \d+ ms is outside API Gateway's 50 ms to 29 s: use a timeout in that range$/);
  });

  test('a missing action throws', () => {
    expect(errorOf(() => new ServiceIntegrationRoute(stack, 'NoAction', { api, path: '/none', method: 'POST' } as any)))
      .toBe('Route Stack/NoAction: action is required: give a ServiceAction such as ServiceAction.sqsSendMessage(queue) (got undefined)');
  });
});

describe('a response without a template on a route reflecting several origins', () => {
  test('still answers the service body (the reflection template prints $input.body)', () => {
    const stack = newStack('CustomCors');
    const api = new apigw.RestApi(stack, 'Api');
    new ApiCors(stack, 'Cors', { api, allowOrigins: ['https://a.example.com', 'https://b.example.com'] });
    new ServiceIntegrationRoute(stack, 'Describe', {
      api, path: '/table', method: 'GET',
      action: ServiceAction.custom({
        service: 'dynamodb', action: 'DescribeTable', requestTemplate: '{"TableName": "t"}',
        iamActions: ['dynamodb:DescribeTable'], iamResources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/t'],
      }),
    });
    const method = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::Method'))
      .find((m) => m.Properties.HttpMethod === 'GET');
    const ok = method.Properties.Integration.IntegrationResponses.find((r: any) => r.StatusCode === '200');
    const result = MappingTemplate.renderWithOverrides(ok.ResponseTemplates['application/json'], {
      body: '{"Table":{"TableName":"t"}}', headers: { Origin: 'https://b.example.com' },
    });
    expect(result.output).toBe('{"Table":{"TableName":"t"}}');
    expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://b.example.com' });
  });
});

describe('successStatusCode', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const topic = new sns.Topic(stack, 'Topic');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new ServiceIntegrationRoute(stack, 'Publish', {
    api, path: '/jobs', method: 'POST', action: ServiceAction.snsPublish(topic), successStatusCode: 202,
    cors: { allowOrigins: ['https://app.example.com'] },
  });
  new ServiceIntegrationRoute(stack, 'Put', {
    api, path: '/items', method: 'POST', successStatusCode: 200,
    action: ServiceAction.dynamoDbPutItem(table, { item: { id: DynamoAttribute.stringValue(Field.context('requestId')) } }),
  });
  const template = Template.fromStack(stack);

  test('202 Accepted replaces the action\'s 200, in the integration and method responses, with CORS kept', () => {
    const method = methodAt(template, '/jobs', 'POST');
    const statuses = method.Integration.IntegrationResponses.map((r: Json) => [r.StatusCode, r.SelectionPattern]);
    expect(statuses).toEqual([['202', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}']]);
    expect(method.MethodResponses.map((r: Json) => r.StatusCode)).toEqual(['202', '400', '502']);
    expect(method.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'https://app.example.com'");
    expect(method.MethodResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(true);
  });

  test('a created item can answer 200 instead of 201', () => {
    const method = methodAt(template, '/items', 'POST');
    expect(method.Integration.IntegrationResponses[0].StatusCode).toBe('200');
    expect(method.MethodResponses.map((r: Json) => r.StatusCode)).not.toContain('201');
  });

  test.each<[number, RegExp]>([
    [302, /: successStatusCode 302 is not a success status: use 200 to 299, e.g. 202 for accepted work$/],
    [200.5, /successStatusCode 200.5 is not a success status/],
  ])('%s is refused', (status, message) => {
    const s = newStack();
    const a = new apigw.RestApi(s, 'Api');
    const error = errorOf(() => new ServiceIntegrationRoute(s, 'R', { api: a, path: '/x', method: 'POST', action: ServiceAction.snsPublish(new sns.Topic(s, 'T')), successStatusCode: status }));
    expect(error).toMatch(/^Route Stack\/R: /);
    expect(error).toMatch(message);
  });
});
