process.env.CDK_VALIDATION = 'false';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as sqs from 'aws-cdk-lib/aws-sqs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import jsonata = require('jsonata');
import { ContentBasedRoute, ContentBasedRouteProps, FanOutBranch, Field } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, newFunction, resourcesOfType } from './util';

/*
 * ContentBasedRoute: the Choice state (cases in order, the default, one answer state), the conditions'
 * JSONata evaluated against adversarial selector values, least-privilege IAM, the request template
 * (the selected value reaches the execution input exactly) and the answers, and every misuse error.
 */

const ADVERSARIAL = ['urgent ', 'URGENT', 'a", "admin": true, "x": "', "it's", 'back\\slash', 'line\nbreak', 'ünï 😀', '', '{% "urgent" %}', '" = "urgent'];
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

function text(value: Json, resources: Json): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map((v: Json) => text(v, resources)).join(value['Fn::Join'][0]);
  if (value.Ref) return resources[value.Ref]?.Type === 'AWS::StepFunctions::StateMachine' ? `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${value.Ref}` : `{Ref:${value.Ref}}`;
  if (value['Fn::GetAtt']) return `{GetAtt:${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

/** Evaluates a `{% ... %}` field of the definition against `input`, as Step Functions would. */
async function evaluate(field: string, input: Json): Promise<Json> {
  const m = /^\{%([\s\S]*)%\}$/.exec(field.trim());
  if (!m) throw new Error(`not JSONata: ${field}`);
  return jsonata(m[1]).evaluate({}, { states: { input } });
}

const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
const api = new apigw.RestApi(stack, 'Api');
const urgentQueue = new sqs.Queue(stack, 'Urgent');
const batchQueue = new sqs.Queue(stack, 'Batch');
const standardFn = newFunction(stack, 'Standard');
const sendTo = (queue: sqs.Queue) => FanOutBranch.awsSdk({
  service: 'sqs', action: 'sendMessage', iamResources: [queue.queueArn], iamActions: ['sqs:SendMessage'],
  parameters: { QueueUrl: queue.queueUrl, MessageBody: '{% $string($states.input.body) %}' },
  resultSelector: '{% {"messageId": $states.result.MessageId} %}',
});
const jobs = new ContentBasedRoute(stack, 'Jobs', {
  api, path: '/jobs', method: 'POST', selector: Field.body('$.type'),
  cases: [
    { value: 'urgent', target: sendTo(urgentQueue) },
    { value: 'batch job', name: 'batch', target: sendTo(batchQueue) },
  ],
  defaultTarget: FanOutBranch.lambdaInvoke(standardFn, { timeout: Duration.seconds(5) }),
  timeout: Duration.seconds(10),
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources;
const machineId = stack.getLogicalId(jobs.stateMachine.node.defaultChild as any);
const definition = JSON.parse(text(resources[machineId].Properties.DefinitionString, resources));
const method = methodAt(template, '/jobs', 'POST');

describe('the state machine', () => {
  test('an EXPRESS JSONata machine: Choice with the cases in order, the default, then one answer state', () => {
    expect(resources[machineId].Properties.StateMachineType).toBe('EXPRESS');
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.TimeoutSeconds).toBe(10);
    expect(definition.StartAt).toBe('Route by content');
    const choice = definition.States['Route by content'];
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices.map((c: Json) => c.Next)).toEqual(['urgent', 'batch']);
    expect(choice.Default).toBe('default');
    for (const name of ['urgent', 'batch', 'default']) {
      expect(definition.States[name].Next).toBe('Answer');
      expect(definition.States[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: `${name}.failed` }]);
      expect(definition.States[`${name}.failed`]).toEqual(expect.objectContaining({ Type: 'Fail', Error: `ContentRoute.${name}` }));
    }
    expect(definition.States.default.TimeoutSeconds).toBe(5);
  });

  test.each(ADVERSARIAL)('the selected value %j matches no case unless it is exactly one', async (value) => {
    const [urgent, batch] = definition.States['Route by content'].Choices;
    const input = { fields: { f0: value }, body: { type: value } };
    expect(await evaluate(urgent.Condition, input)).toBe(false);
    expect(await evaluate(batch.Condition, input)).toBe(false);
  });

  test('exact values match their case only', async () => {
    const [urgent, batch] = definition.States['Route by content'].Choices;
    expect([await evaluate(urgent.Condition, { fields: { f0: 'urgent' } }), await evaluate(batch.Condition, { fields: { f0: 'urgent' } })]).toEqual([true, false]);
    expect([await evaluate(urgent.Condition, { fields: { f0: 'batch job' } }), await evaluate(batch.Condition, { fields: { f0: 'batch job' } })]).toEqual([false, true]);
  });

  test('the answer names the case and carries the target\'s value', async () => {
    expect(await evaluate(definition.States.Answer.Output, { batch: { messageId: 'm-1' } })).toEqual({ routedTo: 'batch', result: { messageId: 'm-1' } });
    expect(await evaluate(definition.States.Answer.Output, { default: null })).toEqual({ routedTo: 'default', result: null });
  });
});

describe('IAM', () => {
  test('API Gateway may only StartSyncExecution this machine', () => {
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ApiApigatewayPatternsIntegrationRole'))
      .flatMap(([, p]) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: 'states:StartSyncExecution', Effect: 'Allow', Resource: { Ref: machineId } }]);
  });

  test('the machine may send to each queue and invoke the function, nothing else, no wildcard action', () => {
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('JobsStateMachineRole'))
      .flatMap(([, p]) => p.PolicyDocument.Statement);
    const actions = statements.flatMap((s: Json) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(statements.filter((s: Json) => [s.Action].flat().includes('sqs:SendMessage')).map((s: Json) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [stack.getLogicalId(urgentQueue.node.defaultChild as any), 'Arn'] },
      { 'Fn::GetAtt': [stack.getLogicalId(batchQueue.node.defaultChild as any), 'Arn'] },
    ]);
    expect(actions).toContain('lambda:InvokeFunction');
  });
});

describe('the request and the answers', () => {
  test.each(ADVERSARIAL)('the body type %j reaches the execution input exactly', (value) => {
    const vtl = text(method.Integration.RequestTemplates['application/json'], resources);
    const request = MappingTemplate.renderJson(vtl, { body: JSON.stringify({ type: value, n: 1 }), context: { requestId: 'r-1' } });
    expect(Object.keys(request)).toEqual(['stateMachineArn', 'input']);
    const input = JSON.parse(request.input);
    expect(input.fields).toEqual({ f0: value });
    expect(input.body).toEqual({ type: value, n: 1 });
  });

  const answer = (execution: Json) => {
    const response = method.Integration.IntegrationResponses.find((r: Json) => r.StatusCode === '200');
    const out = MappingTemplate.renderWithOverrides(response.ResponseTemplates['application/json'], { body: JSON.stringify(execution), context: { requestId: 'r-1' } });
    return [out.statusOverride ?? 200, JSON.parse(out.output)];
  };

  test('a succeeded execution answers its output', () => {
    expect(answer({ status: 'SUCCEEDED', output: '{"routedTo": "urgent", "result": {"messageId": "m"}}' }))
      .toEqual([200, { routedTo: 'urgent', result: { messageId: 'm' } }]);
  });

  test('a failed target answers 502 naming it, without the cause text', () => {
    expect(answer({ status: 'FAILED', error: 'ContentRoute.batch', cause: 'SQS.AccessDeniedException' }))
      .toEqual([502, { message: 'The target of the request failed', target: 'batch', code: 'SQS.AccessDeniedException', requestId: 'r-1' }]);
    expect(answer({ status: 'TIMED_OUT' })).toEqual([504, { message: 'The request did not finish in time', requestId: 'r-1' }]);
    expect(answer({ status: 'FAILED', error: 'States.Runtime', cause: 'arn:aws:secret' })).toEqual([502, { message: 'The request failed', requestId: 'r-1' }]);
  });
});

describe('misuse', () => {
  let n = 0;
  const build = (props: Partial<ContentBasedRouteProps>) => {
    const s = new Stack(new App(), 'S');
    const a = new apigw.RestApi(s, 'Api');
    const fn = newFunction(s, 'F');
    return errorOf(() => new ContentBasedRoute(s, `R${++n}`, {
      api: a, path: '/jobs', method: 'POST', selector: Field.body('$.type'),
      cases: [{ value: 'urgent', target: FanOutBranch.lambdaInvoke(fn) }],
      defaultTarget: FanOutBranch.lambdaInvoke(fn),
      ...props,
    } as ContentBasedRouteProps));
  };
  const fnBranch = () => FanOutBranch.lambdaInvoke(newFunction(new Stack(), 'X'));

  test.each<[string, () => Partial<ContentBasedRouteProps>, RegExp]>([
    ['no cases', () => ({ cases: [] }), /: cases is empty: route at least one value/],
    ['a value twice', () => ({ cases: [{ value: 'a', target: fnBranch() }, { value: 'a', target: fnBranch() }] }), /: the value 'a' is listed twice: each value selects one target$/],
    ['a value that is no name', () => ({ cases: [{ value: 'batch job', target: fnBranch() }] }), /: case 'batch job' needs a name: .*give name: \.\.\. when the value is not such a name\)$/],
    ['a name used twice', () => ({ cases: [{ value: 'a', name: 'x', target: fnBranch() }, { value: 'b', name: 'X', target: fnBranch() }] }), /: case name 'X' is already used by case 'a'/],
    ['the default name', () => ({ cases: [{ value: 'default', target: fnBranch() }] }), /: case name 'default' is already used by defaultTarget/],
    ['no default target', () => ({ defaultTarget: undefined }), /: defaultTarget is required/],
    ['no selector', () => ({ selector: undefined }), /: selector is required/],
    ['a JSON selector', () => ({ selector: Field.bodyJson('$.type') }), /: selector must be a text value: use Field.body, not Field.bodyJson$/],
    ['a literal selector', () => ({ selector: Field.literal('x') }), /: selector is a literal/],
    ['a target that is no branch', () => ({ cases: [{ value: 'a', target: {} as FanOutBranch }] }), /: cases\[0\]\.target must be a FanOutBranch such as FanOutBranch\.lambdaInvoke\(fn\) \(got an empty object \{\}\)$/],
    ['a timeout over 28 s', () => ({ timeout: Duration.seconds(40) }), /: timeout 40 s is over 28 s/],
    ['a case timeout over the route\'s', () => ({ timeout: Duration.seconds(5), cases: [{ value: 'a', target: FanOutBranch.lambdaInvoke(newFunction(new Stack(), 'Y'), { timeout: Duration.seconds(5) }) }] }),
      /: case 'a': timeout 5 s is not less than the route's timeout 5 s/],
  ])('%s', (_, props, message) => {
    const error = build(props());
    expect(error).toMatch(/^Route S\/R\d+: /);
    expect(error).toMatch(message);
  });
});
