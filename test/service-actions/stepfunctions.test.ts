process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate } from '../../lib/testing';
import { errorOf, methodAt, resourcesOfType } from '../util';

// Step Functions StartExecution / StartSyncExecution: the request template must hand the request body to
// the execution as its input byte for byte, and the sync response template must turn the execution's
// outcome into the answer's status and body, whatever the body, output, error or cause contain.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  "it\\'s",
  "\\'",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '}{',
  '</script><script>alert(1)</script>',
  '\u0000\u001f\u007f\u2028\u2029',
];
const JSON_BODIES = [
  '{}',
  '{"order": {"id": 1}}',
  ...ADVERSARIAL.map((v) => JSON.stringify({ v, nested: [v, { it: v }] })),
  JSON.stringify({ quote: "it's", both: 'a\'b"c', dollar: '$5 #1' }, null, 2),
];

function newMachine(scope: Stack, id: string, type?: sfn.StateMachineType): sfn.StateMachine {
  return new sfn.StateMachine(scope, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(scope, `${id}Pass`)),
    stateMachineType: type,
  });
}

/** CloudFormation string values (Fn::Join, Ref, GetAtt) as plain text; a Ref to a state machine is its ARN. */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return value.Ref.startsWith('AWS::') ? `{${value.Ref}}` : `arn:aws:states:us-east-1:123456789012:stateMachine:${value.Ref}`;
  if (value['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

function requestTemplate(method: any): string {
  const templates = method.Integration.RequestTemplates;
  expect(Object.keys(templates)).toEqual(['application/json']);
  return text(templates['application/json']);
}

function responseTemplate(method: any, status: string): string {
  const response = method.Integration.IntegrationResponses.find((r: any) => r.StatusCode === status);
  return text(response.ResponseTemplates['application/json']);
}

function arnOf(template: Template, logicalIdPrefix: string): string {
  const ids = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).filter((id) => id.startsWith(logicalIdPrefix));
  expect(ids).toHaveLength(1);
  return text({ Ref: ids[0] });
}

describe('StartExecution and StartSyncExecution', () => {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  const standard = newMachine(stack, 'Standard');
  const express = newMachine(stack, 'Express', sfn.StateMachineType.EXPRESS);
  new ServiceIntegrationRoute(stack, 'Start', { api, path: '/executions', method: 'POST', action: ServiceAction.stepFunctionsStartExecution(standard) });
  new ServiceIntegrationRoute(stack, 'Named', {
    api, path: '/named/{id}', method: 'POST',
    action: ServiceAction.stepFunctionsStartExecution(express, { name: Field.header('Idempotency-Key') }),
  });
  new ServiceIntegrationRoute(stack, 'Order', {
    api, path: '/orders', method: 'POST',
    action: ServiceAction.stepFunctionsStartExecution(standard, { input: Field.bodyJson('$.order') }),
  });
  new ServiceIntegrationRoute(stack, 'Fixed', {
    api, path: '/fixed', method: 'POST',
    action: ServiceAction.stepFunctionsStartExecution(standard, { input: Field.literal('{"mode": "it\'s $batch #1"}') }),
  });
  new ServiceIntegrationRoute(stack, 'Sync', {
    api, path: '/sync', method: 'POST', cors: { allowOrigins: ['https://app.example.com'] },
    action: ServiceAction.stepFunctionsStartSyncExecution(express),
  });
  new ServiceIntegrationRoute(stack, 'SyncExposed', {
    api, path: '/sync-exposed', method: 'POST',
    action: ServiceAction.stepFunctionsStartSyncExecution(express, { exposeServiceErrors: true }),
  });
  const template = Template.fromStack(stack);
  const standardArn = arnOf(template, 'Standard');
  const expressArn = arnOf(template, 'Express');
  const start = methodAt(template, '/executions', 'POST');
  const named = methodAt(template, '/named/{id}', 'POST');
  const order = methodAt(template, '/orders', 'POST');
  const fixed = methodAt(template, '/fixed', 'POST');
  const sync = methodAt(template, '/sync', 'POST');
  const syncExposed = methodAt(template, '/sync-exposed', 'POST');

  describe('request template', () => {
    test.each([['StartExecution', start, () => standardArn], ['StartSyncExecution', sync, () => expressArn]])(
      '%s: the input is exactly the request body, for JSON and adversarial bodies', (_name, method, arn) => {
        const request = requestTemplate(method);
        for (const body of [...JSON_BODIES, ...ADVERSARIAL]) {
          const rendered = MappingTemplate.render(request, { body });
          const parsed = JSON.parse(rendered);
          expect(parsed).toEqual({ stateMachineArn: arn(), input: body });
          expect(Object.keys(parsed)).toEqual(['stateMachineArn', 'input']);
        }
      });

    test('an empty body is the input {} (API Gateway renders an empty body as {})', () => {
      expect(MappingTemplate.renderJson(requestTemplate(start), { body: '' })).toEqual({ stateMachineArn: standardArn, input: '{}' });
    });

    test('the exact template text', () => {
      expect(requestTemplate(start)).toBe(`{"stateMachineArn": "${standardArn}", ` +
        '"input": "$util.escapeJavaScript($input.body).replaceAll("\\\\\'","\'")"}');
    });

    test('the name comes from the header, escaped; a missing or empty header leaves the key out', () => {
      const request = requestTemplate(named);
      for (const name of ['order-42', ...ADVERSARIAL.filter((v) => v !== '')]) {
        for (const header of ['Idempotency-Key']) {
          const parsed = MappingTemplate.renderJson(request, { body: '{"a": 1}', headers: { [header]: name } });
          expect(parsed).toEqual({ stateMachineArn: expressArn, input: '{"a": 1}', name });
          expect(Object.keys(parsed)).toEqual(['stateMachineArn', 'input', 'name']);
        }
      }
      expect(MappingTemplate.renderJson(request, { body: '{"a": 1}' })).toEqual({ stateMachineArn: expressArn, input: '{"a": 1}' });
      expect(MappingTemplate.renderJson(request, { body: '{"a": 1}', headers: { 'Idempotency-Key': '' } }))
        .toEqual({ stateMachineArn: expressArn, input: '{"a": 1}' });
    });

    test('Field.bodyJson gives the JSON text of one body value as the input', () => {
      const request = requestTemplate(order);
      for (const value of [{ id: 1, note: "it's" }, ...ADVERSARIAL, [1, 'two', { three: '$x' }], 12.5, true]) {
        const parsed = MappingTemplate.renderJson(request, { body: JSON.stringify({ order: value, other: 'x' }) });
        expect(Object.keys(parsed)).toEqual(['stateMachineArn', 'input']);
        expect(JSON.parse(parsed.input)).toEqual(value);
      }
      // A missing value (or a non-JSON body) is API Gateway's "" (an empty JSON string), still valid JSON.
      expect(MappingTemplate.renderJson(request, { body: '{"other": 1}' }).input).toBe('""');
      expect(MappingTemplate.renderJson(request, { body: 'not json' }).input).toBe('""');
    });

    test('a literal JSON input is sent as written, whatever the request', () => {
      for (const body of ['', ...ADVERSARIAL]) {
        expect(MappingTemplate.renderJson(requestTemplate(fixed), { body })).toEqual({
          stateMachineArn: standardArn, input: '{"mode": "it\'s $batch #1"}',
        });
      }
    });
  });

  describe('StartExecution response', () => {
    const ok = responseTemplate(start, '200');

    test('answers the execution ARN and start date', () => {
      const body = '{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:abc", "startDate": 1.700000000123E9}';
      const parsed = MappingTemplate.renderJson(ok, { body });
      expect(parsed).toEqual({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:abc', startDate: 1700000000.123 });
      expect(Object.keys(parsed)).toEqual(['executionArn', 'startDate']);
      expect(MappingTemplate.renderJson(ok, { body: '{"executionArn": "x", "startDate": 1700000000}' })).toEqual({ executionArn: 'x', startDate: 1700000000 });
    });

    test('never emits invalid JSON or extra keys, whatever the service answers', () => {
      for (const v of ADVERSARIAL) {
        const parsed = MappingTemplate.renderJson(ok, { body: JSON.stringify({ executionArn: v, startDate: v }) });
        expect(parsed).toEqual({ executionArn: v, startDate: null });
      }
      expect(MappingTemplate.renderJson(ok, { body: '{}' })).toEqual({ executionArn: '', startDate: null });
      expect(MappingTemplate.renderJson(ok, { body: 'not json' })).toEqual({ executionArn: '', startDate: null });
    });

    test('service errors answer 400 / 502 with a fixed message and the request id', () => {
      for (const [status, message] of [['400', 'The service rejected the request'], ['502', 'The service failed to handle the request']]) {
        for (const body of ['{"__type": "ExecutionAlreadyExists", "message": "secret arn"}', ...ADVERSARIAL]) {
          expect(MappingTemplate.renderJson(responseTemplate(start, status), { body, context: { requestId: 'req-1' } }))
            .toEqual({ message, requestId: 'req-1' });
        }
      }
    });
  });

  describe('StartSyncExecution response', () => {
    const ok = responseTemplate(sync, '200');
    const render = (response: object) => MappingTemplate.renderWithOverrides(ok, { body: JSON.stringify(response) });

    test('SUCCEEDED answers 200 with the execution output printed as JSON', () => {
      const outputs = [
        { a: "it's \"quoted\"\n", b: [1, 2, { c: null }], d: '$context.requestId #set($x = 1)', e: 'é 😀 \\u0041' },
        'just a string', 42, 1.5, true, null, [], {}, ADVERSARIAL,
      ];
      for (const output of outputs) {
        const result = render({ status: 'SUCCEEDED', output: JSON.stringify(output), executionArn: 'x' });
        expect(result.statusOverride).toBeUndefined();
        expect(JSON.parse(result.output)).toEqual(output);
      }
    });

    test('SUCCEEDED with no output answers null', () => {
      for (const response of [{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED', output: '' }, { status: 'SUCCEEDED', output: null }]) {
        const result = render(response);
        expect(result.output).toBe('null');
        expect(result.statusOverride).toBeUndefined();
      }
    });

    const LAMBDA_CAUSE = JSON.stringify({
      errorType: 'Error', errorMessage: 'connect ECONNREFUSED 10.0.3.7:5432 (db-prod.internal, arn:aws:rds:us-east-1:123456789012:db:orders)',
      trace: ['Error: connect ECONNREFUSED', '    at TCPConnectWrap.afterConnect (/var/task/index.js:9:3)'],
    });

    test('FAILED answers 500 with a fixed message, the error name as code and the request id, never the cause', () => {
      const requests = [
        { error: 'OrderRejected', code: 'OrderRejected' },
        { error: 'States.TaskFailed', code: 'States.TaskFailed' },
        { error: 'Lambda.Unknown', code: 'Lambda.Unknown' },
        { error: 'DynamoDB.ConditionalCheckFailedException', code: 'DynamoDB.ConditionalCheckFailedException' },
        { error: 'x-1_y.z', code: 'x-1_y.z' },
        { error: 'a'.repeat(64), code: 'a'.repeat(64) },
        // Not plain names: a sentence, an ARN, a path, too long, empty, missing, or adversarial text.
        { error: 'Something went wrong', code: 'Unknown' },
        { error: 'arn:aws:iam::123456789012:role/secret', code: 'Unknown' },
        { error: 'a'.repeat(65), code: 'Unknown' },
        { error: '1Error', code: 'Unknown' },
        { error: '', code: 'Unknown' },
        { code: 'Unknown' },
        ...ADVERSARIAL.map((v) => ({ error: v, code: 'Unknown' })),
      ];
      for (const { error, code } of requests) {
        for (const cause of [LAMBDA_CAUSE, ...ADVERSARIAL]) {
          const result = MappingTemplate.renderWithOverrides(ok, {
            body: JSON.stringify({ status: 'FAILED', error, cause, output: '{"never": true}' }), context: { requestId: 'req-5' },
          });
          expect(result.statusOverride).toBe(500);
          const parsed = JSON.parse(result.output);
          expect(parsed).toEqual({ message: 'The state machine execution failed', code, requestId: 'req-5' });
          expect(Object.keys(parsed)).toEqual(['message', 'code', 'requestId']);
          expect(result.output).not.toContain('ECONNREFUSED');
          expect(result.output).not.toContain('123456789012');
        }
      }
    });

    test('exposeServiceErrors: FAILED answers the error and cause too, as parseable JSON whatever they contain', () => {
      const exposed = responseTemplate(syncExposed, '200');
      for (const v of [...ADVERSARIAL, LAMBDA_CAUSE]) {
        const result = MappingTemplate.renderWithOverrides(exposed, {
          body: JSON.stringify({ status: 'FAILED', error: v, cause: `cause: ${v}`, output: '{"never": true}' }), context: { requestId: 'r' },
        });
        expect(result.statusOverride).toBe(500);
        const parsed = JSON.parse(result.output);
        expect(parsed).toEqual({ message: 'The state machine execution failed', code: 'Unknown', error: v, cause: `cause: ${v}`, requestId: 'r' });
        expect(Object.keys(parsed)).toEqual(['message', 'code', 'error', 'cause', 'requestId']);
      }
      const bare = MappingTemplate.renderWithOverrides(exposed, { body: '{"status": "FAILED"}', context: { requestId: 'r' } });
      expect(bare.statusOverride).toBe(500);
      expect(JSON.parse(bare.output)).toEqual({ message: 'The state machine execution failed', code: 'Unknown', error: '', cause: '', requestId: 'r' });
      // Successes and timeouts answer the same as without the option.
      const success = MappingTemplate.renderWithOverrides(exposed, { body: JSON.stringify({ status: 'SUCCEEDED', output: '{"a": 1}' }) });
      expect([success.statusOverride, JSON.parse(success.output)]).toEqual([undefined, { a: 1 }]);
    });

    test('exposeServiceErrors must be a boolean (plain JavaScript and jsii callers)', () => {
      const message = errorOf(() => {
        const s = new Stack(new App(), 'Stack');
        new ServiceIntegrationRoute(s, 'Sync', {
          api: new apigw.RestApi(s, 'Api'), path: '/sync', method: 'POST',
          action: ServiceAction.stepFunctionsStartSyncExecution(newMachine(s, 'M', sfn.StateMachineType.EXPRESS), { exposeServiceErrors: 'yes' as any }),
        });
      });
      expect(message).toBe('Route Stack/Sync: exposeServiceErrors must be true or false, not "yes"');
    });

    test('TIMED_OUT answers 504 with a fixed message', () => {
      const result = MappingTemplate.renderWithOverrides(ok, {
        body: JSON.stringify({ status: 'TIMED_OUT', error: 'States.Timeout', cause: ADVERSARIAL[0] }), context: { requestId: 'req-9' },
      });
      expect(result.statusOverride).toBe(504);
      expect(JSON.parse(result.output)).toEqual({ message: 'The state machine execution timed out', requestId: 'req-9' });
    });

    test('any other status is a failure (500), never a 200 with a made-up output', () => {
      for (const status of ['ABORTED', 'RUNNING', '', "SUCCEEDED'", 'succeeded', ...ADVERSARIAL]) {
        const result = MappingTemplate.renderWithOverrides(ok, {
          body: JSON.stringify({ status, output: '{"a": 1}', error: 'E', cause: 'C' }), context: { requestId: 'r' },
        });
        expect(result.statusOverride).toBe(500);
        expect(JSON.parse(result.output)).toEqual({ message: 'The state machine execution failed', code: 'E', requestId: 'r' });
      }
    });

    test('with a single CORS origin the answer carries it as a static header', () => {
      expect(sync.Integration.IntegrationResponses[0].ResponseParameters).toEqual({
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'method.response.header.Vary': "'Origin'",
      });
    });
  });

  describe('synthesized integration', () => {
    test('StartExecution: states action URI, JSON protocol headers, role, NEVER, responses', () => {
      const integration = start.Integration;
      expect(text(integration.Uri)).toBe('arn:{AWS::Partition}:apigateway:{AWS::Region}:states:action/StartExecution');
      expect(integration.Type).toBe('AWS');
      expect(integration.IntegrationHttpMethod).toBe('POST');
      expect(integration.PassthroughBehavior).toBe('NEVER');
      expect(integration.RequestParameters).toEqual({
        'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
        'integration.request.header.X-Amz-Target': "'AWSStepFunctions.StartExecution'",
      });
      expect(integration.Credentials['Fn::GetAtt'][0]).toMatch(/^ApiApigatewayPatternsIntegrationRole/);
      expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern]))
        .toEqual([['200', undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}']]);
      expect(start.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['200', '400', '502']);
    });

    test('StartSyncExecution: the same target form as aws-cdk-lib (no subdomain), and method responses for 500 and 504', () => {
      const integration = sync.Integration;
      expect(text(integration.Uri)).toBe('arn:{AWS::Partition}:apigateway:{AWS::Region}:states:action/StartSyncExecution');
      expect(integration.RequestParameters).toEqual({
        'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
        'integration.request.header.X-Amz-Target': "'AWSStepFunctions.StartSyncExecution'",
      });
      expect(integration.PassthroughBehavior).toBe('NEVER');
      const cors = { 'method.response.header.Access-Control-Allow-Origin': true, 'method.response.header.Vary': true };
      expect(sync.MethodResponses).toEqual(['200', '400', '502', '500', '504'].map((StatusCode) => ({ StatusCode, ResponseParameters: cors })));
    });

    test('IAM: exactly states:StartExecution and states:StartSyncExecution on the state machine ARNs', () => {
      const policies = resourcesOfType(template, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Roles.some((r: any) => r.Ref.startsWith('ApiApigatewayPatternsIntegrationRole')));
      expect(policies).toHaveLength(1);
      const statements = policies[0][1].PolicyDocument.Statement.map((s: any) => ({
        Action: s.Action, Effect: s.Effect, Resource: [s.Resource].flat().map(text),
      }));
      expect(statements).toEqual([
        { Action: 'states:StartExecution', Effect: 'Allow', Resource: [standardArn, expressArn] },
        { Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: [expressArn] },
      ]);
    });
  });
});

describe('misuse fails at synth, naming the route', () => {
  function bind(action: (stack: Stack) => ServiceAction, path = '/run'): string {
    return errorOf(() => {
      const stack = new Stack(new App(), 'Stack');
      const api = new apigw.RestApi(stack, 'Api');
      new ServiceIntegrationRoute(stack, 'Run', { api, path, method: 'POST', action: action(stack) });
    });
  }

  test('StartSyncExecution on a STANDARD state machine', () => {
    for (const type of [undefined, sfn.StateMachineType.STANDARD]) {
      const message = bind((s) => ServiceAction.stepFunctionsStartSyncExecution(newMachine(s, 'M', type)));
      expect(message).toContain('Route Stack/Run: StartSyncExecution runs EXPRESS state machines only');
      expect(message).toContain('Stack/M is STANDARD');
      expect(message).toContain('StateMachineType.EXPRESS');
    }
  });

  test('an imported state machine is accepted for StartSyncExecution (its type cannot be known)', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new apigw.RestApi(stack, 'Api');
    const imported = sfn.StateMachine.fromStateMachineArn(stack, 'M', 'arn:aws:states:us-east-1:123456789012:stateMachine:Sync');
    new ServiceIntegrationRoute(stack, 'Run', { api, path: '/run', method: 'POST', action: ServiceAction.stepFunctionsStartSyncExecution(imported) });
    const method = methodAt(Template.fromStack(stack), '/run', 'POST');
    expect(MappingTemplate.renderJson(requestTemplate(method), { body: "{\"a\": \"it's\"}" })).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Sync', input: "{\"a\": \"it's\"}",
    });
  });

  test('an input that is not JSON text', () => {
    expect(bind((s) => ServiceAction.stepFunctionsStartExecution(newMachine(s, 'M'), { input: Field.query('q') })))
      .toMatch(/^Route Stack\/Run: the execution input must be JSON text, but Field\.query\('q'\) is a plain string: use Field\.body\('\$'\)/);
    expect(bind((s) => ServiceAction.stepFunctionsStartExecution(newMachine(s, 'M'), { input: Field.body('$.order') })))
      .toBe("Route Stack/Run: the execution input must be JSON text, but Field.body('$.order') gives a plain value: use Field.bodyJson('$.order')");
    expect(bind((s) => ServiceAction.stepFunctionsStartExecution(newMachine(s, 'M'), { input: Field.literal('not json') })))
      .toMatch(/^Route Stack\/Run: the execution input Field\.literal\('not json'\) is not JSON text/);
    expect(bind((s) => ServiceAction.stepFunctionsStartSyncExecution(newMachine(s, 'M', sfn.StateMachineType.EXPRESS), { input: Field.context('requestId') })))
      .toMatch(/^Route Stack\/Run: the execution input must be JSON text/);
  });

  test('a name from a path parameter the route does not have', () => {
    expect(bind((s) => ServiceAction.stepFunctionsStartExecution(newMachine(s, 'M'), { name: Field.path('id') })))
      .toMatch(/^Route Stack\/Run: Field\.path\('id'\) is not a parameter of the route's path/);
  });

  test('a literal state machine ARN that is not an ARN', () => {
    const message = bind((s) => ServiceAction.stepFunctionsStartExecution(
      sfn.StateMachine.fromStateMachineArn(s, 'M', 'arn:aws:states:us-east-1:123456789012:stateMachine:x"y')));
    expect(message).toMatch(/^Route Stack\/Run: .* is not a state machine ARN/);
  });
});
