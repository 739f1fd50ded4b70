process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import jsonata = require('jsonata');
import { FanOutStack } from '../examples/fan-out-stack';
import { MappingTemplate } from '../lib/testing';
import { Json, methodAt, resourcesOfType } from './util';

/*
 * The fan-out example (scenarios 3 and 4, and asynchronous fan-out), synthesized once with cdk.json's
 * context (the examples test runs aws-cdk-lib's validation and cdk-nag on the whole app).
 */

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
const stack = new FanOutStack(new App({ context: cdkJson.context }), 'FanOut');
const template = Template.fromStack(stack);
const resources: { [id: string]: { Type: string; Properties: Json } } = template.toJSON().Resources;
const logicalIdOf = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnResource);

function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `{${value.Ref}}`;
  if (value['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
const definitionOf = (machine: IConstruct) => JSON.parse(text(resources[logicalIdOf(machine)].Properties.DefinitionString));
const machineStatements = (machine: { role: IConstruct }) => resourcesOfType(template, 'AWS::IAM::Policy')
  .filter(([, p]) => p.Roles.some((r: Json) => r.Ref === logicalIdOf(machine.role)))
  .flatMap(([, p]) => p.PolicyDocument.Statement);

const ADVERSARIAL = ['u-1', 'a", "admin": true, "x": "', "it's", 'back\\slash', 'line\nbreak', 'ünï 😀', '{% $states %}'];

describe('scenario 3: GET /users/me/profile fans out to three backends', () => {
  const definition = definitionOf(stack.profile.stateMachine);
  const method = methodAt(template, '/users/me/profile', 'GET');

  test('an Express machine: user, orders and recommendations in parallel, merged into one object', () => {
    expect(resources[logicalIdOf(stack.profile.stateMachine)].Properties.StateMachineType).toBe('EXPRESS');
    expect(definition.States['Fan out'].Branches.map((b: Json) => b.StartAt)).toEqual(['user', 'orders', 'recommendations']);
    expect(definition.States['Fan out'].Next).toBe('Merge results');
    expect(definition.TimeoutSeconds).toBe(10);
    const reco = definition.States['Fan out'].Branches[2].States.recommendations;
    expect(reco.TimeoutSeconds).toBe(3);
    expect(reco.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 1 })]);
    // Partial results: a failed branch answers an error marker instead of failing the request.
    expect(definition.States['Fan out'].Branches[2].States['recommendations.failed'].Type).toBe('Succeed');
  });

  test('Cognito-authorized; API Gateway starts only this machine, synchronously, and waits 1 s longer', () => {
    expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(method.Integration.TimeoutInMillis).toBe(11000);
    expect(JSON.stringify(method.Integration.Uri)).toContain(':states:action/StartSyncExecution');
  });

  test('the machine may read exactly its table, query exactly the orders table and invoke the function', () => {
    const actions = machineStatements(stack.profile.stateMachine).flatMap((s: Json) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'lambda:InvokeFunction']));
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test.each(ADVERSARIAL)("the caller's sub %j reaches the execution input exactly, escaped twice, and keys both reads", (sub) => {
    const vtl = text(method.Integration.RequestTemplates['application/json']);
    const request = MappingTemplate.renderJson(vtl, { context: { requestId: 'r', authorizer: { claims: { sub } } } });
    const input = JSON.parse(request.input);
    expect(input.path).toEqual({});
    expect(input.fields).toEqual({ f0: sub });
    const [user, orders] = definition.States['Fan out'].Branches.map((b: Json) => b.States[b.StartAt].Arguments);
    expect(user.Key).toEqual({ userId: { S: '{% $states.input.fields.f0 %}' } });
    expect(orders.ExpressionAttributeNames).toEqual({ '#k0': 'userId' });
    expect(orders.ExpressionAttributeValues).toEqual({ ':k0': { S: '{% $states.input.fields.f0 %}' } });
  });
});

describe('scenario 4: POST /jobs routed by the body\'s type', () => {
  const definition = definitionOf(stack.jobs.stateMachine);

  test('urgent and batch go to their queues, anything else to the standard processor', async () => {
    const choice = definition.States['Route by content'];
    expect(choice.Choices.map((c: Json) => c.Next)).toEqual(['urgent', 'batch']);
    expect(choice.Default).toBe('default');
    const evaluate = (condition: string, type: string) =>
      jsonata(/^\{%([\s\S]*)%\}$/.exec(condition)![1]).evaluate({}, { states: { input: { fields: { f0: type } } } });
    expect(await Promise.all(['urgent', 'batch', 'Urgent', ''].map((t) => evaluate(choice.Choices[0].Condition, t)))).toEqual([true, false, false, false]);
    expect(definition.States.urgent.Arguments.QueueUrl).toEqual(expect.any(String));
    expect(definition.States.default.Resource).toContain('lambda:invoke');
  });

  test('the machine may send to exactly the two job queues', () => {
    const sends = machineStatements(stack.jobs.stateMachine).filter((s: Json) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends.flatMap((s: Json) => [s.Resource].flat()).map((r: Json) => r['Fn::GetAtt'][0]).sort())
      .toEqual([logicalIdOf(stack.node.findChild('PriorityJobs')), logicalIdOf(stack.node.findChild('BatchJobs'))].sort());
  });
});

describe('asynchronous fan-out: POST /orders/{orderId}/events', () => {
  test('publishes to SNS and answers 202 Accepted at once, for IAM-signed callers only', () => {
    const method = methodAt(template, '/orders/{orderId}/events', 'POST');
    expect(method.AuthorizationType).toBe('AWS_IAM');
    expect(JSON.stringify(method.Integration.Uri)).toContain(':sns:path//');
    expect(method.Integration.IntegrationResponses[0].StatusCode).toBe('202');
    expect(method.MethodResponses.map((r: Json) => r.StatusCode)).toContain('202');
  });

  test('the billing and shipping queues subscribe with raw delivery', () => {
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').map(([, p]) => p);
    expect(subscriptions.map((s) => [s.Protocol, s.RawMessageDelivery, s.Endpoint['Fn::GetAtt'][0]]).sort()).toEqual([
      ['sqs', true, logicalIdOf(stack.node.findChild('BillingQueue'))],
      ['sqs', true, logicalIdOf(stack.node.findChild('ShippingQueue'))],
    ].sort());
  });
});
