process.env.CDK_VALIDATION = 'false';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoAttribute,
  FanOutBranch,
  FanOutFailurePolicy,
  FanOutRoute,
  FanOutRouteProps,
  Field,
  KeyCondition,
} from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, newFunction, resourcesOfType } from './util';

// FanOutRoute: the state machine definition (branches, merge, retry, catch, failure policy), least-privilege
// IAM on both roles, the request template (the execution input is a JSON document carried in a JSON string,
// so every request value is escaped twice) and the response template, rendered with adversarial input, and
// every misuse error. The JSONata of the definition is evaluated when the `jsonata` package is installed.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  "it\\'s \\'",
  'back\\slash \\" \\u0041 \\\\',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '}{',
  '</script><script>alert(1)</script> a/b',
  '\u0000\u001f\u007f\u2028\u2029',
  '{% $states.input %}',
];

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** A state machine's Ref as the ARN CloudFormation would give. */
function machineArn(logicalId: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
}

/** CloudFormation string values as plain text; a Ref to a state machine is its ARN. */
function text(value: Json, resources: Json): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map((v: Json) => text(v, resources)).join(value['Fn::Join'][0]);
  if (value.Ref) {
    if (value.Ref.startsWith('AWS::')) return `{${value.Ref}}`;
    return resources[value.Ref]?.Type === 'AWS::StepFunctions::StateMachine' ? machineArn(value.Ref) : `{Ref:${value.Ref}}`;
  }
  if (value['Fn::GetAtt']) return `{GetAtt:${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** The parsed Amazon States Language definition of the one state machine whose logical id starts with `prefix`. */
function definitionOf(template: Template, prefix: string): Json {
  const resources = template.toJSON().Resources;
  const ids = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return JSON.parse(text(resources[ids[0]].Properties.DefinitionString, resources));
}

function machineId(template: Template, prefix: string): string {
  const ids = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function requestTemplate(template: Template, method: Json): string {
  const templates = method.Integration.RequestTemplates;
  expect(Object.keys(templates)).toEqual(['application/json']);
  return text(templates['application/json'], template.toJSON().Resources);
}

function responseTemplate(method: Json, status: string): string {
  const response = method.Integration.IntegrationResponses.find((r: Json) => r.StatusCode === status);
  return response.ResponseTemplates['application/json'];
}

/** The branches of the Parallel state, by the name of their first state. */
function branchesOf(definition: Json): { [name: string]: Json } {
  const parallel = definition.States['Fan out'];
  return Object.fromEntries(parallel.Branches.map((b: Json) => [b.StartAt, b]));
}

function policyStatements(template: Template, roleLogicalIdPrefix: string): Json[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Roles.some((r: Json) => r.Ref.startsWith(roleLogicalIdPrefix)))
    .flatMap(([, p]) => p.PolicyDocument.Statement);
}

function newTables(stack: Stack): { users: dynamodb.Table; orders: dynamodb.Table } {
  const users = new dynamodb.Table(stack, 'Users', { partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });
  const orders = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'orderDate', type: dynamodb.AttributeType.STRING },
  });
  orders.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
  return { users, orders };
}

function newMachine(stack: Stack, id: string, type?: sfn.StateMachineType): sfn.StateMachine {
  return new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
    stateMachineType: type,
  });
}

// ---------------------------------------------------------------------------------------------------
// One stack with every branch kind (FAIL_REQUEST) and a PARTIAL_RESULTS route, synthesized once.
// ---------------------------------------------------------------------------------------------------

const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
const api = new apigw.RestApi(stack, 'Api');
const { users, orders } = newTables(stack);
const recommendationsFn = newFunction(stack, 'Recommendations');
const child = newMachine(stack, 'Child', sfn.StateMachineType.EXPRESS);
const profile = new FanOutRoute(stack, 'Profile', {
  api, path: '/users/{userId}/profile', method: 'GET',
  branches: {
    user: FanOutBranch.dynamoDbGetItem(users, {
      key: { userId: DynamoAttribute.stringValue(Field.path('userId')) }, projection: ['name', 'email'], timeout: Duration.seconds(3),
    }),
    orders: FanOutBranch.dynamoDbQuery(orders, {
      keyCondition: KeyCondition.eq('userId', DynamoAttribute.stringValue(Field.path('userId')))
        .andSortKey(KeyCondition.beginsWith('orderDate', DynamoAttribute.stringValue(Field.query('year')))),
      limit: 10, scanIndexForward: false,
    }),
    recommendations: FanOutBranch.lambdaInvoke(recommendationsFn, {
      headers: ['X-Correlation-Id', 'Accept-Language'], timeout: Duration.seconds(5),
      retry: { errors: ['Lambda.TooManyRequestsException'], maxAttempts: 2, interval: Duration.seconds(1), backoffRate: 2 },
    }),
    loyalty: FanOutBranch.stateMachine(child, { headers: ['X-Correlation-Id'] }),
    flags: FanOutBranch.awsSdk({
      service: 'ssm', action: 'getParameter', iamActions: ['ssm:GetParameter'],
      parameters: { Name: "{% '/flags/' & $states.input.path.userId %}" },
      iamResources: [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/flags/*`],
      resultSelector: '{% $parse($states.result.Parameter.Value) %}',
    }),
  },
});
const partial = new FanOutRoute(stack, 'Dashboard', {
  api, path: '/dashboard/{userId}', method: 'GET', failurePolicy: FanOutFailurePolicy.PARTIAL_RESULTS,
  timeout: Duration.seconds(10), logging: false, tracing: true, stateMachineName: 'dashboard-fan-out',
  branches: {
    user: FanOutBranch.dynamoDbGetItem(users, { key: { userId: DynamoAttribute.stringValue(Field.path('userId')) } }),
    recommendations: FanOutBranch.lambdaInvoke(recommendationsFn),
  },
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources;
const profileId = machineId(template, 'Profile');
const dashboardId = machineId(template, 'Dashboard');
const definition = definitionOf(template, 'Profile');
const partialDefinition = definitionOf(template, 'Dashboard');
const branches = branchesOf(definition);
const profileMethod = methodAt(template, '/users/{userId}/profile', 'GET');
const dashboardMethod = methodAt(template, '/dashboard/{userId}', 'GET');

describe('state machine definition', () => {
  test('an EXPRESS JSONata machine: a Parallel state, then a Pass state merging the branches', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      LoggingConfiguration: {
        Level: 'ERROR', IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProfileLogs'), 'Arn'] } } }],
      },
      TracingConfiguration: Match.absent(),
    });
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.TimeoutSeconds).toBe(28);
    expect(definition.StartAt).toBe('Fan out');
    expect(Object.keys(definition.States)).toEqual(['Fan out', 'Merge results']);
    expect(definition.States['Fan out']).toEqual(expect.objectContaining({ Type: 'Parallel', Next: 'Merge results' }));
    expect(definition.States['Fan out'].Catch).toBeUndefined();
    expect(definition.States['Merge results']).toEqual({ Type: 'Pass', Output: '{% $merge($states.input) %}', End: true });
    expect(Object.keys(branches)).toEqual(['user', 'orders', 'recommendations', 'loyalty', 'flags']);
  });

  test('every branch task catches every error into its failure state, and only the listed ones retry', () => {
    for (const [name, branch] of Object.entries(branches)) {
      const task = branch.States[name];
      expect(task.Type).toBe('Task');
      expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: `${name}.failed` }]);
      expect(branch.States[`${name}.failed`]).toEqual({
        Type: 'Fail', QueryLanguage: 'JSONata', Error: `FanOut.${name}`,
        Cause: '{% ($e := $exists($states.input.Error) ? $string($states.input.Error) : ""; ' +
          '$contains($e, /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/) ? $e : "Unknown") %}',
      });
      if (name === 'recommendations') {
        expect(task.Retry).toEqual([{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }]);
      } else {
        expect(task.Retry).toBeUndefined();
      }
    }
  });

  test('branch timeouts become task timeouts', () => {
    expect(branches.user.States.user.TimeoutSeconds).toBe(3);
    expect(branches.recommendations.States.recommendations.TimeoutSeconds).toBe(5);
    expect(branches.orders.States.orders.TimeoutSeconds).toBeUndefined();
  });

  test('dynamoDbGetItem: the optimized GetItem with the key from the execution input, answered as a plain item', () => {
    const task = branches.user.States.user;
    expect(task.Resource).toBe('arn:{AWS::Partition}:states:::dynamodb:getItem');
    expect(task.Arguments).toEqual({
      Key: { userId: { S: '{% $states.input.fields.f0 %}' } },
      TableName: `{Ref:${logicalId('Users')}}`,
      ConsistentRead: false,
      ExpressionAttributeNames: { '#p0': 'name', '#p1': 'email' },
      ProjectionExpression: '#p0,#p1',
    });
    expect(Object.keys(task.Output)).toEqual(['user']);
    expect(task.Output.user).toMatch(/^\{% \(.*\$exists\(\$states\.result\.Item\) \? \$item\(\$states\.result\.Item\) : null\) %\}$/);
    expect(task.End).toBe(true);
  });

  test('dynamoDbQuery: the AWS SDK query with key conditions from the execution input', () => {
    const task = branches.orders.States.orders;
    expect(task.Resource).toBe('arn:{AWS::Partition}:states:::aws-sdk:dynamodb:query');
    expect(task.Arguments).toEqual({
      TableName: `{Ref:${logicalId('Orders')}}`,
      KeyConditionExpression: '#k0 = :k0 AND begins_with(#k1, :k1)',
      ExpressionAttributeNames: { '#k0': 'userId', '#k1': 'orderDate' },
      ExpressionAttributeValues: { ':k0': { S: '{% $states.input.fields.f0 %}' }, ':k1': { S: '{% $states.input.fields.f1 %}' } },
      Limit: 10,
      ScanIndexForward: false,
    });
    expect(task.Output.orders).toContain('{"items": $items, "count": $count($items), "hasMore": $exists($states.result.LastEvaluatedKey)}');
  });

  test('lambda: the request as the payload, without aws-cdk-lib\'s minute-long default retry', () => {
    const task = branches.recommendations.States.recommendations;
    expect(task.Resource).toBe('arn:{AWS::Partition}:states:::lambda:invoke');
    expect(task.Arguments).toEqual({
      FunctionName: `{GetAtt:${logicalId('Recommendations')}.Arn}`,
      Payload: '{% {"body": $states.input.body, "path": $states.input.path, "query": $states.input.query, "headers": ' +
        '{"X-Correlation-Id": $lookup($states.input.headers, "X-Correlation-Id"), "Accept-Language": ' +
        '$lookup($states.input.headers, "Accept-Language")}, "requestId": $states.input.requestId} %}',
    });
    expect(task.Output).toEqual({ recommendations: '{% ($v := $states.result.Payload; $exists($v) ? $v : null) %}' });
  });

  test('stateMachine: StartSyncExecution of the EXPRESS child, then a Choice on its status', () => {
    const states = branches.loyalty.States;
    expect(Object.keys(states).sort()).toEqual(['loyalty', 'loyalty.failed', 'loyalty.status', 'loyalty.succeeded']);
    expect(states.loyalty.Resource).toBe('arn:{AWS::Partition}:states:::aws-sdk:sfn:startSyncExecution');
    expect(states.loyalty.Arguments).toEqual({
      StateMachineArn: machineArn(logicalId('Child')),
      Input: '{% $string({"body": $states.input.body, "path": $states.input.path, "query": $states.input.query, ' +
        '"headers": {"X-Correlation-Id": $lookup($states.input.headers, "X-Correlation-Id")}, "requestId": $states.input.requestId}) %}',
    });
    expect(states.loyalty.Next).toBe('loyalty.status');
    expect(states['loyalty.status']).toEqual({
      Type: 'Choice', QueryLanguage: 'JSONata',
      Choices: [{ Condition: '{% $states.input.ok = true %}', Next: 'loyalty.succeeded' }],
      Default: 'loyalty.failed',
    });
    expect(states['loyalty.succeeded']).toEqual({ Type: 'Pass', QueryLanguage: 'JSONata', Output: { loyalty: '{% $states.input.value %}' }, End: true });
  });

  test('awsSdk: the call with the given parameters, and the branch value from resultSelector', () => {
    const task = branches.flags.States.flags;
    expect(task.Resource).toBe('arn:{AWS::Partition}:states:::aws-sdk:ssm:getParameter');
    expect(task.Arguments).toEqual({ Name: "{% '/flags/' & $states.input.path.userId %}" });
    expect(task.Output).toEqual({ flags: '{% $parse($states.result.Parameter.Value) %}' });
  });

  test('PARTIAL_RESULTS: a failed branch answers an error marker in its place instead of failing', () => {
    expect(partialDefinition.TimeoutSeconds).toBe(10);
    const partialBranches = branchesOf(partialDefinition);
    for (const name of ['user', 'recommendations']) {
      expect(partialBranches[name].States[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: `${name}.failed` }]);
      expect(partialBranches[name].States[`${name}.failed`]).toEqual({
        Type: 'Succeed', QueryLanguage: 'JSONata',
        Output: { [name]: { error: { branch: name, code: '{% ($e := $exists($states.input.Error) ? $string($states.input.Error) : ""; ' +
          '$contains($e, /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/) ? $e : "Unknown") %}' } } },
      });
    }
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'dashboard-fan-out', TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.absent(),
    });
  });

  test('the default log group is under /aws/vendedlogs/states/, kept a month, removed with the stack', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toHaveLength(1);
    const [group] = Object.values(groups) as Json[];
    expect(group.Properties.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\/Stack-Profile-[A-Za-z0-9]+$/);
    expect(group.Properties.RetentionInDays).toBe(30);
    expect(group.DeletionPolicy).toBe('Delete');
  });
});

function logicalId(prefix: string): string {
  const ids = Object.keys(resources).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('IAM', () => {
  test('API Gateway\'s role may only StartSyncExecution these two machines', () => {
    expect(policyStatements(template, 'ApiApigatewayPatternsIntegrationRole')).toEqual([
      { Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: [{ Ref: profileId }, { Ref: dashboardId }] },
    ]);
    expect(profileMethod.Integration.Credentials['Fn::GetAtt'][0]).toMatch(/^ApiApigatewayPatternsIntegrationRole/);
  });

  test('the machine\'s role may only call each branch\'s exact action on its exact resource', () => {
    const statements = policyStatements(template, 'ProfileStateMachineRole');
    expect(statements).toEqual([
      { Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:us-east-1:123456789012:table/', { Ref: logicalId('Users') }]] } },
      { Action: 'dynamodb:Query', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId('Orders'), 'Arn'] } },
      {
        Action: 'lambda:InvokeFunction', Effect: 'Allow',
        // aws-cdk-lib's LambdaInvoke also allows the function's versions and aliases (`<arn>:*`).
        Resource: [{ 'Fn::GetAtt': [logicalId('Recommendations'), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId('Recommendations'), 'Arn'] }, ':*']] }],
      },
      { Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: { Ref: logicalId('Child') } },
      { Action: 'ssm:GetParameter', Effect: 'Allow', Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/flags/*' },
      {
        // Log delivery: CloudWatch Logs requires Resource "*" for these actions.
        Action: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
        Effect: 'Allow', Resource: '*',
      },
    ]);
  });

  test('no wildcard action anywhere; Resource "*" only for log delivery and X-Ray, which AWS requires', () => {
    for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
      for (const statement of policy.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        if ([statement.Resource].flat().includes('*')) {
          expect([statement.Action].flat().every((a: string) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
        }
      }
    }
    // Tracing (the dashboard) adds exactly X-Ray's own statement.
    expect(policyStatements(template, 'DashboardStateMachineRole').filter((s) => s.Resource === '*')).toEqual([{
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      Effect: 'Allow', Resource: '*',
    }]);
  });

  test('a table with a customer managed key: kms:Decrypt on that key', () => {
    const s = new Stack(new App(), 'Kms');
    const key = new kms.Key(s, 'Key');
    const table = new dynamodb.Table(s, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key,
    });
    new FanOutRoute(s, 'R', {
      api: new apigw.RestApi(s, 'Api'), path: '/t/{id}', method: 'GET', logging: false,
      branches: {
        item: FanOutBranch.dynamoDbGetItem(table, { key: { id: DynamoAttribute.stringValue(Field.path('id')) } }),
        items: FanOutBranch.dynamoDbQuery(table, { keyCondition: KeyCondition.eq('id', DynamoAttribute.stringValue(Field.path('id'))) }),
      },
    });
    const statements = policyStatements(Template.fromStack(s), 'RStateMachineRole');
    expect(statements.map((st) => [st.Action, st.Resource])).toEqual([
      ['dynamodb:GetItem', expect.anything()],
      ['dynamodb:Query', { 'Fn::GetAtt': [expect.stringMatching(/^T[0-9A-F]{8}$/), 'Arn'] }],
      ['kms:Decrypt', { 'Fn::GetAtt': [expect.stringMatching(/^Key[0-9A-F]{8}$/), 'Arn'] }],
    ]);
  });

  test('a query on an index is allowed on the index only', () => {
    const s = new Stack(new App(), 'Index');
    const t = newTables(s);
    new FanOutRoute(s, 'R', {
      api: new apigw.RestApi(s, 'Api'), path: '/s/{status}', method: 'GET', logging: false,
      branches: {
        open: FanOutBranch.dynamoDbQuery(t.orders, {
          indexName: 'byStatus', keyCondition: KeyCondition.eq('status', DynamoAttribute.stringValue(Field.path('status'))),
        }),
      },
    });
    const synth = Template.fromStack(s);
    const [statement] = policyStatements(synth, 'RStateMachineRole');
    expect(statement.Action).toBe('dynamodb:Query');
    expect(statement.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Orders/), 'Arn'] }, '/index/byStatus']] });
    expect(branchesOf(definitionOf(synth, 'R')).open.States.open.Arguments.IndexName).toBe('byStatus');
  });
});

describe('integration', () => {
  test('StartSyncExecution straight from API Gateway, waiting 1 s longer than the state machine', () => {
    const integration = profileMethod.Integration;
    expect(text(integration.Uri, resources)).toBe(`arn:{AWS::Partition}:apigateway:${REGION}:states:action/StartSyncExecution`);
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.TimeoutInMillis).toBe(29000);
    expect(dashboardMethod.Integration.TimeoutInMillis).toBe(11000);
    expect(integration.RequestParameters).toEqual({
      'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
      'integration.request.header.X-Amz-Target': "'AWSStepFunctions.StartSyncExecution'",
    });
    expect(integration.IntegrationResponses.map((r: Json) => [r.StatusCode, r.SelectionPattern]))
      .toEqual([['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}']]);
    expect(profileMethod.MethodResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '400', '502', '504']);
    expect(profile.stateMachine.stateMachineType).toBe(sfn.StateMachineType.EXPRESS);
    expect(profile.method.httpMethod).toBe('GET');
    expect(partial.stateMachine).toBeInstanceOf(sfn.StateMachine);
  });
});

// ---------------------------------------------------------------------------------------------------
// Request template: the execution input, escaped twice
// ---------------------------------------------------------------------------------------------------

describe('request template', () => {
  const request = requestTemplate(template, profileMethod);

  function render(r: Parameters<typeof MappingTemplate.render>[1]): { arn: string; input: Json; inputText: string } {
    const rendered = MappingTemplate.render(request, r);
    const outer = JSON.parse(rendered);
    expect(Object.keys(outer)).toEqual(['stateMachineArn', 'input']);
    expect(typeof outer.input).toBe('string');
    return { arn: outer.stateMachineArn, input: JSON.parse(outer.input), inputText: outer.input };
  }

  test('the input document holds the body, path, query, the branches\' headers, the request id and the key fields', () => {
    const { arn, input } = render({
      body: '', pathParameters: { userId: 'u-1' }, queryParameters: { year: '2024', page: '2' },
      headers: { 'X-Correlation-Id': 'c-1', 'Accept-Language': 'fr', Authorization: 'secret' }, context: { requestId: 'req-1' },
    });
    expect(arn).toBe(machineArn(profileId));
    expect(input).toEqual({
      body: {}, path: { userId: 'u-1' }, query: { year: '2024', page: '2' },
      headers: { 'X-Correlation-Id': 'c-1', 'Accept-Language': 'fr' }, requestId: 'req-1',
      fields: { f0: 'u-1', f1: '2024' },
    });
    expect(Object.keys(input)).toEqual(['body', 'path', 'query', 'headers', 'requestId', 'fields']);
  });

  test('missing headers and query values are empty strings, so every reference of the machine resolves', () => {
    const { input } = render({ pathParameters: { userId: 'u' } });
    expect(input.headers).toEqual({ 'X-Correlation-Id': '', 'Accept-Language': '' });
    expect(input.fields).toEqual({ f0: 'u', f1: '' });
    expect(input.query).toEqual({});
  });

  test('adversarial values in every place come through exactly, with no key added', () => {
    for (const v of ADVERSARIAL) {
      const { input } = render({
        body: JSON.stringify({ v, nested: [v, { [v]: v }] }),
        pathParameters: { userId: v }, queryParameters: { year: v, [v]: v },
        headers: { 'X-Correlation-Id': v, 'Accept-Language': v }, context: { requestId: v },
      });
      expect(input).toEqual({
        body: { v, nested: [v, { [v]: v }] }, path: { userId: v }, query: { year: v, [v]: v },
        headers: { 'X-Correlation-Id': v, 'Accept-Language': v }, requestId: v, fields: { f0: v, f1: v },
      });
      expect(Object.keys(input)).toEqual(['body', 'path', 'query', 'headers', 'requestId', 'fields']);
      expect(Object.keys(input.fields)).toEqual(['f0', 'f1']);
    }
  });

  test('adversarial bodies (JSON or not) never break the document', () => {
    for (const body of [...ADVERSARIAL, '[1, "two", {"3": null}]', '"just a string"', '12.5', 'true', 'null']) {
      if (/^\s*[[{]/.test(body) && !isJson(body)) {
        // Starts like JSON but is not: API Gateway answers 400 before the execution starts (2015 recordings).
        expect(() => render({ body, pathParameters: { userId: 'u' } })).toThrow(/Could not process payload/);
        continue;
      }
      const { input } = render({ body, pathParameters: { userId: 'u' } });
      expect(Object.keys(input)).toEqual(['body', 'path', 'query', 'headers', 'requestId', 'fields']);
      // An empty body reads as {}; text that is not JSON reads as one string of it (2015 recordings).
      let parsed: Json = body === '' ? {} : body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // keep the text
      }
      expect(input.body).toEqual(parsed);
    }
  });

  test('the route without headers or fields has empty objects', () => {
    const { input } = (() => {
      const rendered = MappingTemplate.renderJson(requestTemplate(template, dashboardMethod), { pathParameters: { userId: 'x' } });
      return { input: JSON.parse(rendered.input) };
    })();
    expect(input).toEqual({ body: {}, path: { userId: 'x' }, query: {}, headers: {}, requestId: expect.any(String), fields: { f0: 'x' } });
  });
});

// ---------------------------------------------------------------------------------------------------
// Response template: the execution's outcome as the answer
// ---------------------------------------------------------------------------------------------------

describe('response template', () => {
  const ok = responseTemplate(profileMethod, '200');
  const render = (response: object) => MappingTemplate.renderWithOverrides(ok, { body: JSON.stringify(response), context: { requestId: 'req-7' } });

  test('SUCCEEDED answers 200 with the merged object, printed as the machine wrote it', () => {
    const merged = {
      user: { userId: 'u', name: ADVERSARIAL[0], tags: ['a'] }, orders: { items: [], count: 0, hasMore: false },
      recommendations: null, loyalty: [[1]], flags: { beta: true, note: ADVERSARIAL.join(' ') },
    };
    const result = render({ status: 'SUCCEEDED', output: JSON.stringify(merged) });
    expect(result.statusOverride).toBeUndefined();
    expect(JSON.parse(result.output)).toEqual(merged);
  });

  test('PARTIAL_RESULTS: a failed branch\'s marker comes through with 200', () => {
    const merged = { user: { error: { branch: 'user', code: 'States.Timeout' } }, recommendations: ['x'] };
    const result = MappingTemplate.renderWithOverrides(responseTemplate(dashboardMethod, '200'),
      { body: JSON.stringify({ status: 'SUCCEEDED', output: JSON.stringify(merged) }) });
    expect(result.statusOverride).toBeUndefined();
    expect(JSON.parse(result.output)).toEqual(merged);
  });

  test('FAILED by a branch answers 502 naming the branch and its error name, never the cause text', () => {
    for (const branch of ['user', 'orders', 'recommendations', 'loyalty', 'flags', '_x9']) {
      // The cause holds the branch's error name; anything but a plain name is answered as Unknown.
      const causes: Array<[string, string]> = [['States.Timeout', 'States.Timeout'], ['Lambda.Unknown', 'Lambda.Unknown'],
        ['arn:aws:lambda:us-east-1:123456789012:function:f', 'Unknown'], ['Error: connect ECONNREFUSED', 'Unknown'], ['', 'Unknown'],
        ...ADVERSARIAL.map((v): [string, string] => [v, 'Unknown'])];
      for (const [cause, code] of causes) {
        const result = render({ status: 'FAILED', error: `FanOut.${branch}`, cause, output: '{"never": 1}' });
        expect(result.statusOverride).toBe(502);
        const parsed = JSON.parse(result.output);
        expect(parsed).toEqual({ message: 'A branch of the fan-out failed', branch, code, requestId: 'req-7' });
        expect(Object.keys(parsed)).toEqual(['message', 'branch', 'code', 'requestId']);
      }
    }
  });

  test('any other failure answers 502 with a fixed message: an error that is not a branch name is never printed', () => {
    const errors = ['States.Runtime', 'States.DataLimitExceeded', 'FanOut.', 'FanOut.a-b', 'FanOut.user"x', 'FanOut.9lives',
      `FanOut.${'a'.repeat(65)}`, 'xFanOut.user', 'FanOut.user\n', '', ...ADVERSARIAL];
    for (const error of errors) {
      for (const status of ['FAILED', 'ABORTED', '', 'succeeded']) {
        const result = render({ status, error, cause: 'secret arn:aws:iam::123456789012:role/x' });
        expect(result.statusOverride).toBe(502);
        expect(JSON.parse(result.output)).toEqual({ message: 'The fan-out failed', requestId: 'req-7' });
      }
    }
  });

  test('TIMED_OUT answers 504', () => {
    const result = render({ status: 'TIMED_OUT', error: 'States.Timeout', cause: ADVERSARIAL[0] });
    expect(result.statusOverride).toBe(504);
    expect(JSON.parse(result.output)).toEqual({ message: 'The fan-out did not finish in time', requestId: 'req-7' });
  });

  test('service errors answer 400 / 502 with a fixed message', () => {
    for (const [status, message] of [['400', 'The service rejected the request'], ['502', 'The service failed to handle the request']]) {
      for (const body of ['{"__type": "InvalidExecutionInput", "message": "arn:aws:..."}', ...ADVERSARIAL]) {
        expect(MappingTemplate.renderJson(responseTemplate(profileMethod, status), { body, context: { requestId: 'r' } }))
          .toEqual({ message, requestId: 'r' });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// CORS and caching
// ---------------------------------------------------------------------------------------------------

describe('CORS and caching', () => {
  const s = new Stack(new App(), 'Cors');
  const a = new apigw.RestApi(s, 'Api');
  const t = new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new FanOutRoute(s, 'R', {
    api: a, path: '/items/{id}', method: 'GET', logging: false,
    cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] },
    cache: { ttl: Duration.minutes(1), queryParameters: ['lang'] },
    branches: { item: FanOutBranch.dynamoDbGetItem(t, { key: { id: DynamoAttribute.stringValue(Field.path('id')) } }) },
  });
  const method = methodAt(Template.fromStack(s), '/items/{id}', 'GET');

  test('every answer reflects an allowed Origin and declares the CORS headers', () => {
    for (const response of method.Integration.IntegrationResponses) {
      expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBeDefined();
      const result = MappingTemplate.renderWithOverrides(response.ResponseTemplates['application/json'], {
        body: JSON.stringify({ status: 'SUCCEEDED', output: '{"item": null}' }), headers: { Origin: 'https://b.example.com' },
      });
      expect(result.headerOverrides['Access-Control-Allow-Origin']).toBe('https://b.example.com');
    }
    for (const response of method.MethodResponses) {
      expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(true);
    }
  });

  test('path and listed query parameters key the cache', () => {
    expect(method.Integration.CacheKeyParameters).toEqual(['method.request.path.id', 'method.request.querystring.lang', 'method.request.header.Origin']);
  });
});

// ---------------------------------------------------------------------------------------------------
// The definition's JSONata, evaluated (needs the `jsonata` package; skipped without it)
// ---------------------------------------------------------------------------------------------------

let jsonataLib: any;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jsonataLib = require('jsonata');
} catch {
  jsonataLib = undefined;
}
const describeJsonata = jsonataLib ? describe : describe.skip;

/** Evaluates a `{% %}` field as Step Functions does, with its `$parse`. Plain values are returned as they are. */
async function evaluate(field: Json, states: { input?: Json; result?: Json }): Promise<Json> {
  if (typeof field === 'string') {
    const m = /^\{%([\s\S]*)%\}$/.exec(field);
    if (!m) return field;
    const expression = jsonataLib(m[1]);
    expression.registerFunction('parse', (s: string) => JSON.parse(s), '<s:x>');
    const value = await expression.evaluate({}, { states });
    if (value === undefined) throw new Error(`States.QueryEvaluationError: ${field} returned nothing`);
    return JSON.parse(JSON.stringify(value));
  }
  if (Array.isArray(field)) return Promise.all(field.map((f) => evaluate(f, states)));
  if (field && typeof field === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(field)) out[k] = await evaluate(v, states);
    return out;
  }
  return field;
}

describeJsonata('JSONata of the definition', () => {
  const input = {
    body: { note: ADVERSARIAL[0] }, path: { userId: 'u-1' }, query: { year: '2024' },
    headers: { 'X-Correlation-Id': 'c', 'Accept-Language': 'fr' }, requestId: 'req', fields: { f0: 'u-1', f1: '2024' },
  };

  test('key values and payloads resolve from the execution input', async () => {
    expect(await evaluate(branches.user.States.user.Arguments.Key, { input })).toEqual({ userId: { S: 'u-1' } });
    expect(await evaluate(branches.orders.States.orders.Arguments.ExpressionAttributeValues, { input }))
      .toEqual({ ':k0': { S: 'u-1' }, ':k1': { S: '2024' } });
    expect(await evaluate(branches.recommendations.States.recommendations.Arguments.Payload, { input })).toEqual({
      body: input.body, path: input.path, query: input.query, headers: input.headers, requestId: 'req',
    });
    const childInput = await evaluate(branches.loyalty.States.loyalty.Arguments.Input, { input });
    expect(JSON.parse(childInput)).toEqual({ body: input.body, path: input.path, query: input.query, headers: { 'X-Correlation-Id': 'c' }, requestId: 'req' });
  });

  test('GetItem: DynamoDB JSON becomes plain JSON at any depth; no item is null', async () => {
    const output = branches.user.States.user.Output;
    const item = {
      userId: { S: 'u"1\\' }, age: { N: '42' }, score: { N: '-0.5' }, big: { N: '12345678901234567890' }, active: { BOOL: false },
      nothing: { NULL: true }, tags: { SS: ['a'] }, nums: { NS: ['1', '2.5'] }, blobs: { BS: ['AQ=='] }, blob: { B: 'AQID' },
      empty: { M: {} }, list: { L: [{ S: 'one' }] }, nested: { L: [{ L: [{ N: '1' }] }, { M: { k: { L: [] } } }] },
      deep: { M: { a: { M: { b: { M: { c: { L: [{ M: { d: { S: 'deep' } } }] } } } } } } }, odd: { X: '?' },
      [ADVERSARIAL[0]]: { S: ADVERSARIAL[6] },
    };
    expect(await evaluate(output, { result: { Item: item } })).toEqual({
      user: {
        userId: 'u"1\\', age: 42, score: -0.5, big: '12345678901234567890', active: false, nothing: null, tags: ['a'], nums: [1, 2.5],
        blobs: ['AQ=='], blob: 'AQID', empty: {}, list: ['one'], nested: [[1], { k: [] }], deep: { a: { b: { c: [{ d: 'deep' }] } } },
        odd: null, [ADVERSARIAL[0]]: ADVERSARIAL[6],
      },
    });
    expect(await evaluate(output, { result: {} })).toEqual({ user: null });
    expect(await evaluate(output, { result: { Item: {} } })).toEqual({ user: {} });
  });

  test('Query: items as plain JSON, count and hasMore', async () => {
    const output = branches.orders.States.orders.Output;
    expect(await evaluate(output, { result: { Items: [{ id: { S: 'a' } }], Count: 1, LastEvaluatedKey: { id: { S: 'a' } } } }))
      .toEqual({ orders: { items: [{ id: 'a' }], count: 1, hasMore: true } });
    expect(await evaluate(output, { result: { Items: [], Count: 0 } })).toEqual({ orders: { items: [], count: 0, hasMore: false } });
  });

  test('lambda: the payload is the value, one-element arrays included; nothing is null', async () => {
    const output = branches.recommendations.States.recommendations.Output;
    for (const payload of [[1], [[1]], { a: 1 }, 'x', 0, false, null]) {
      expect(await evaluate(output, { result: { Payload: payload, StatusCode: 200 } })).toEqual({ recommendations: payload });
    }
    expect(await evaluate(output, { result: { StatusCode: 200 } })).toEqual({ recommendations: null });
  });

  test('stateMachine: a succeeded child gives its output, a failed one the shape of a caught error', async () => {
    const task = branches.loyalty.States.loyalty;
    const succeeded = await evaluate(task.Output, { result: { Status: 'SUCCEEDED', Output: '{"points": [5]}' } });
    expect(succeeded).toEqual({ ok: true, value: { points: [5] } });
    expect(await evaluate(branches.loyalty.States['loyalty.succeeded'].Output, { input: succeeded })).toEqual({ loyalty: { points: [5] } });
    expect(await evaluate(branches.loyalty.States['loyalty.status'].Choices[0].Condition, { input: succeeded })).toBe(true);
    const failed = await evaluate(task.Output, { result: { Status: 'FAILED', Error: 'Child.Broken', Cause: 'stack trace' } });
    expect(failed).toEqual({ ok: false, Error: 'Child.Broken', Cause: 'stack trace' });
    expect(await evaluate(branches.loyalty.States['loyalty.status'].Choices[0].Condition, { input: failed })).toBe(false);
    expect(await evaluate(task.Output, { result: { Status: 'TIMED_OUT' } })).toEqual({ ok: false, Error: 'TIMED_OUT', Cause: '' });
  });

  test('failure states: the branch error name, never the cause; a name that is not a plain name is Unknown', async () => {
    const fail = branches.user.States['user.failed'];
    expect(await evaluate(fail.Cause, { input: { Error: 'States.Timeout', Cause: 'secret' } })).toBe('States.Timeout');
    const marker0 = branchesOf(partialDefinition).user.States['user.failed'].Output;
    for (const error of ['Error: secret at /var/task/index.js', 'arn:aws:iam::123456789012:role/x', '', 'a'.repeat(65), 42, ...ADVERSARIAL]) {
      expect(await evaluate(fail.Cause, { input: { Error: error, Cause: 'secret' } })).toBe('Unknown');
      expect(await evaluate(marker0, { input: { Error: error } })).toEqual({ user: { error: { branch: 'user', code: 'Unknown' } } });
    }
    expect(await evaluate(fail.Cause, { input: {} })).toBe('Unknown');
    expect(await evaluate(fail.Cause, { input: { Error: 'a'.repeat(64) } })).toBe('a'.repeat(64));
    const marker = branchesOf(partialDefinition).user.States['user.failed'].Output;
    expect(await evaluate(marker, { input: { Error: 'DynamoDB.ResourceNotFoundException', Cause: 'arn:aws:...' } }))
      .toEqual({ user: { error: { branch: 'user', code: 'DynamoDB.ResourceNotFoundException' } } });
  });

  test('the merge gives one object keyed by branch name', async () => {
    const parallelOutput = [{ user: { id: 'u' } }, { orders: { items: [[1]], count: 1, hasMore: false } }, { recommendations: [5] },
      { loyalty: null }, { flags: { error: { branch: 'flags', code: 'X' } } }];
    expect(await evaluate(definition.States['Merge results'].Output, { input: parallelOutput })).toEqual({
      user: { id: 'u' }, orders: { items: [[1]], count: 1, hasMore: false }, recommendations: [5], loyalty: null,
      flags: { error: { branch: 'flags', code: 'X' } },
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Misuse
// ---------------------------------------------------------------------------------------------------

describe('misuse fails at synth, naming the route and the fix', () => {
  function make(props: (s: Stack) => Partial<FanOutRouteProps>): FanOutRoute {
    const s = new Stack(new App(), 'S');
    const fn = newFunction(s, 'Fn');
    return new FanOutRoute(s, 'Fan', {
      api: new apigw.RestApi(s, 'Api'), path: '/p/{id}', method: 'GET', branches: { a: FanOutBranch.lambdaInvoke(fn) }, ...props(s),
    } as FanOutRouteProps);
  }
  const build = (props: (s: Stack) => Partial<FanOutRouteProps>): string => errorOf(() => make(props));
  const lambdaBranch = (s: Stack) => FanOutBranch.lambdaInvoke(newFunction(s, `F${s.node.children.length}`));

  test('no branches', () => {
    expect(build(() => ({ branches: {} }))).toBe("Route S/Fan: branches is empty: a fan-out needs at least one branch, e.g. { user: FanOutBranch.lambdaInvoke(fn) }");
    expect(build(() => ({ branches: undefined as any }))).toMatch(/^Route S\/Fan: branches is required/);
  });

  test.each(['1user', 'user-name', 'user name', 'user.name', '$user', 'a'.repeat(65), 'ユーザー', '__proto__x"'])(
    'branch name %j', (name) => {
      expect(build((s) => ({ branches: { [name]: lambdaBranch(s) } })))
        .toBe(`Route S/Fan: branch name '${name}' is not allowed: names become JSON keys and state names, so use a letter or _ ` +
          'followed by up to 63 letters, digits or _ (e.g. userProfile)');
    });

  test('names 64 characters long, with _ and digits, are fine', () => {
    expect(() => make((s) => ({ branches: { ['a'.repeat(64)]: lambdaBranch(s), _x9: lambdaBranch(s) } }))).not.toThrow();
  });

  test('branch names that differ only in case', () => {
    expect(build((s) => ({ branches: { user: lambdaBranch(s), User: lambdaBranch(s) } })))
      .toBe("Route S/Fan: branch names 'user' and 'User' differ only in case: name them apart, since clients may read keys case-insensitively");
  });

  test('a branch that is not a FanOutBranch', () => {
    expect(build(() => ({ branches: { a: {} as any } }))).toBe('Route S/Fan: branches.a must be a FanOutBranch such as FanOutBranch.lambdaInvoke(fn) (got an empty object {})');
  });

  test('a STANDARD state machine as a branch', () => {
    for (const type of [undefined, sfn.StateMachineType.STANDARD]) {
      const message = build((s) => ({ branches: { child: FanOutBranch.stateMachine(newMachine(s, 'M', type)) } }));
      expect(message).toMatch(/^Route S\/Fan: branch 'child': S\/M is STANDARD, but the fan-out runs it synchronously inside an Express workflow/);
      expect(message).toContain('stateMachineType: StateMachineType.EXPRESS');
    }
  });

  test('an imported state machine is taken on trust', () => {
    expect(() => make((s) => ({
      branches: { child: FanOutBranch.stateMachine(sfn.StateMachine.fromStateMachineArn(s, 'M', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:m`)) },
    }))).not.toThrow();
  });

  test('route timeouts', () => {
    expect(build(() => ({ timeout: Duration.seconds(29) })))
      .toMatch(/^Route S\/Fan: timeout 29 s is over 28 s: API Gateway waits at most 29 s.*set allowTimeoutOverLimit: true/);
    expect(make(() => ({ timeout: Duration.seconds(60), allowTimeoutOverLimit: true })).stateMachine).toBeDefined();
    expect(build(() => ({ timeout: Duration.seconds(300), allowTimeoutOverLimit: true })))
      .toBe('Route S/Fan: timeout 300 s is over 299 s: a synchronous Express execution runs at most 5 minutes');
    expect(build(() => ({ timeout: Duration.millis(1500) })))
      .toBe('Route S/Fan: timeout 1500 ms must be a whole number of seconds, at least 1: a state machine times out in whole seconds');
  });

  test('a branch timeout not under the route\'s', () => {
    expect(build((s) => ({ timeout: Duration.seconds(5), branches: { slow: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { timeout: Duration.seconds(5) }) } })))
      .toBe("Route S/Fan: branch 'slow': timeout 5 s is not less than the route's timeout 5 s: the request would time out (504) " +
        'before the task; lower the task timeout or raise the route timeout');
    expect(build((s) => ({ branches: { slow: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { timeout: Duration.millis(2500) }) } })))
      .toMatch(/^Route S\/Fan: branch 'slow': timeout 2500 ms must be a whole number of seconds/);
  });

  test('retries that cannot fit in the route\'s timeout', () => {
    expect(build((s) => ({
      timeout: Duration.seconds(10),
      branches: { r: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { timeout: Duration.seconds(3), retry: { maxAttempts: 2, interval: Duration.seconds(1) } }) },
    }))).toBe("Route S/Fan: branch 'r': 3 attempts of up to 3 s and 3 s of waits between them take up to 12 s, not less than the " +
      "route's timeout 10 s: lower timeout, retry.maxAttempts or retry.interval, or raise the route timeout");
    // aws-cdk-lib's retry defaults: 3 attempts, 1 s, doubling: 1 + 2 + 4 s of waits.
    expect(build((s) => ({ timeout: Duration.seconds(7), branches: { r: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { retry: {} }) } })))
      .toBe("Route S/Fan: branch 'r': 3 retries wait 7 s in all, not less than the route's timeout 7 s: lower timeout, " +
        'retry.maxAttempts or retry.interval, or raise the route timeout');
    expect(() => make((s) => ({ timeout: Duration.seconds(8), branches: { r: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { retry: {} }) } }))).not.toThrow();
  });

  test('logging turned off with log options', () => {
    expect(build((s) => ({ logging: false, logs: { destination: new logs.LogGroup(s, 'L') } })))
      .toBe('Route S/Fan: logs is set but logging is false: remove one of them');
  });

  test('an invalid state machine name or failure policy', () => {
    for (const name of ['has space', 'a/b', 'a:b', '', 'x'.repeat(81)]) {
      expect(build(() => ({ stateMachineName: name }))).toBe(`Route S/Fan: stateMachineName '${name}' must be 1 to 80 characters ` +
        'without whitespace or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /');
    }
    expect(() => make(() => ({ stateMachineName: 'profile.fan-out_v2' }))).not.toThrow();
    expect(build(() => ({ failurePolicy: 'IGNORE' as any }))).toBe("Route S/Fan: failurePolicy 'IGNORE' is not one of FAIL_REQUEST, PARTIAL_RESULTS");
  });

  test('a path Field the route does not have', () => {
    expect(build((s) => ({
      branches: {
        user: FanOutBranch.dynamoDbGetItem(newTables(s).users, { key: { userId: DynamoAttribute.stringValue(Field.path('userId')) } }),
      },
    }))).toMatch(/^Route S\/Fan: Field\.path\('userId'\) is not a parameter of the route's path: use one of \{id\}/);
  });

  test('DynamoDB keys and conditions are checked against the table, as the route presets do', () => {
    expect(build((s) => ({
      branches: { user: FanOutBranch.dynamoDbGetItem(newTables(s).users, { key: { id: DynamoAttribute.stringValue(Field.path('id')) } }) },
    }))).toMatch(/^Route S\/Fan: key lacks the partition key userId of S\/Users/);
    expect(build((s) => ({
      branches: { user: FanOutBranch.dynamoDbGetItem(newTables(s).users, { key: { userId: DynamoAttribute.numberValue(Field.path('id')) } }) },
    }))).toMatch(/^Route S\/Fan: key\.userId: userId is a string \(S\) key/);
    expect(build((s) => ({
      branches: { o: FanOutBranch.dynamoDbQuery(newTables(s).orders, { keyCondition: KeyCondition.eq('orderDate', DynamoAttribute.stringValue(Field.path('id'))) }) },
    }))).toMatch(/^Route S\/Fan: keyCondition must start with KeyCondition\.eq\('userId', \.\.\.\)/);
    expect(build((s) => ({
      branches: { o: FanOutBranch.dynamoDbQuery(newTables(s).orders, { keyCondition: KeyCondition.eq('userId', DynamoAttribute.stringValue(Field.path('id'))), indexName: 'nope' }) },
    }))).toMatch(/^Route S\/Fan: S\/Orders has no index nope: use one of byStatus/);
    expect(build((s) => ({
      branches: { o: FanOutBranch.dynamoDbQuery(newTables(s).orders, { keyCondition: KeyCondition.eq('userId', DynamoAttribute.stringValue(Field.path('id'))), limit: 0 }) },
    }))).toBe("Route S/Fan: branch 'o': limit 0 must be a whole number from 1 to 1000");
  });

  test('awsSdk without exact IAM', () => {
    const sdk = (o: object) => build(() => ({
      branches: { x: FanOutBranch.awsSdk({ service: 'ssm', action: 'getParameter', iamResources: ['arn:aws:ssm:us-east-1:1:parameter/x'], ...o }) },
    }));
    expect(sdk({ iamResources: ['*'] })).toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: iamResources '*' must be an exact ARN, not '*': name the resources the call needs");
    expect(sdk({ iamResources: [] })).toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: iamResources is required: list the exact resource ARNs the call needs");
    expect(sdk({ iamActions: ['ssm:*'] })).toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: iamActions 'ssm:*' must be one exact action such as 'ssm:GetParameter' (no wildcards)");
    expect(sdk({ action: 'GetParameter' })).toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: action 'GetParameter' must be the API action in camelCase, e.g. 'getParameter'");
    expect(sdk({ service: 'SSM' })).toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: service 'SSM' is not a service name such as 'ssm' or 's3'");
    expect(sdk({ resultSelector: '$states.result' }))
      .toBe("Route S/Fan: branch 'x': FanOutBranch.awsSdk: resultSelector must be a JSONata expression in {% %}, e.g. '{% $states.result.Parameter.Value %}'");
  });

  test('lambda headers that are not header names, or listed twice', () => {
    expect(build((s) => ({ branches: { a: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { headers: ['Bad Header'] }) } })))
      .toBe("Route S/Fan: branch 'a' header 'Bad Header' is not a valid header name");
    expect(build((s) => ({ branches: { a: FanOutBranch.lambdaInvoke(newFunction(s, 'G'), { headers: ['X-A', 'x-a'] }) } })))
      .toBe("Route S/Fan: branch 'a' lists header 'x-a' twice: list each header once");
  });
});
