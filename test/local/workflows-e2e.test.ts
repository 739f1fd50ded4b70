import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { FanOutBranch, FanOutFailurePolicy, FanOutRoute } from '../../lib';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest } from './http-client';

/**
 * A FanOutRoute under FAIL_REQUEST over 127.0.0.1, with a Lambda branch and a child Express state
 * machine branch (states:startExecution.sync:2, a JSONPath machine built with aws-cdk-lib's states):
 * every branch answering, each failing in turn (502 naming the branch and its error), and the whole
 * fan-out past its timeout (504).
 */
let dir: string;
let api: LocalApi;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = synthesize('workflows', (app) => {
    const stack = new Stack(app, 'Workflows', { env: { account: '111122223333', region: 'eu-west-1' } });
    const restApi = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { stageName: 'test' } });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async (event) => {
        if (event.query.fail === 'lambda') { const e = new Error('lambda failed on purpose'); e.name = 'PurposeError'; throw e; }
        return { query: event.query, requestId: event.requestId };
      };`),
    });
    const fail = new sfn.Fail(stack, 'ChildFails', { error: 'ChildFailed', cause: 'asked to' });
    const slow = new sfn.Wait(stack, 'Slow', { time: sfn.WaitTime.duration(Duration.seconds(5)) }).next(new sfn.Succeed(stack, 'AfterWait'));
    const echo = new sfn.Pass(stack, 'Echo', {
      parameters: { 'mode.$': '$.query.fail', 'words.$': "States.StringSplit($.query.words, ',')", 'count.$': "States.ArrayLength(States.StringSplit($.query.words, ','))" },
    });
    const child = new sfn.StateMachine(stack, 'Child', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Choice(stack, 'Mode')
        .when(sfn.Condition.stringEquals('$.query.fail', 'child'), fail)
        .when(sfn.Condition.stringEquals('$.query.fail', 'slow'), slow)
        .otherwise(echo)),
    });
    new FanOutRoute(stack, 'Both', {
      api: restApi, path: '/both', method: 'GET',
      branches: { fn: FanOutBranch.lambdaInvoke(fn), child: FanOutBranch.stateMachine(child) },
      failurePolicy: FanOutFailurePolicy.FAIL_REQUEST,
      timeout: Duration.seconds(2),
    });
  });
  api = LocalApi.fromAssembly(dir, { log: (l) => { lines.push(l); if (process.env.DEBUG_WF) console.log(l); } });
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  removeDir(dir);
});

test('both branches answer: the Lambda\'s answer and the child execution\'s output, keyed by branch', async () => {
  const r = await httpRequest(`${base}/both?fail=none&words=a,b,c`);
  expect(r.statusCode).toBe(200);
  expect(JSON.parse(r.body)).toEqual({
    fn: { query: { fail: 'none', words: 'a,b,c' }, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    child: { mode: 'none', words: ['a', 'b', 'c'], count: 3 },
  });
  const executions = api.stepFunctions.list();
  expect(executions.map((e) => [e.type, e.status])).toEqual([['EXPRESS', 'SUCCEEDED'], ['EXPRESS', 'SUCCEEDED']]);
});

test.each([
  ['lambda', 'fn', 'PurposeError'],
  // The child's own error name, which the branch reads from StartSyncExecution's answer.
  ['child', 'child', 'ChildFailed'],
])('FAIL_REQUEST: when the %s branch fails the answer is 502 naming the branch and its error', async (fail, branch, code) => {
  const r = await httpRequest(`${base}/both?fail=${fail}&words=x`);
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([502, { message: 'A branch of the fan-out failed', branch, code, requestId: expect.any(String) }]);
  expect(r.body).not.toMatch(/on purpose|asked to/);
});

test('past the route\'s timeout (2 s) the answer is 504 and the execution is TIMED_OUT', async () => {
  const started = Date.now();
  const r = await httpRequest(`${base}/both?fail=slow&words=x`);
  expect([r.statusCode, JSON.parse(r.body).message]).toEqual([504, 'The fan-out did not finish in time']);
  expect(Date.now() - started).toBeLessThan(4000);
  const parent = api.stepFunctions.list().find((e) => /Both/.test(e.stateMachineArn) && e.status !== 'SUCCEEDED' && e.status !== 'FAILED');
  expect([parent?.status, parent?.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
});

test('an injection attempt in a query value stays a value', async () => {
  const words = 'a", "admin": true, "x": "\\';
  const r = await httpRequest(`${base}/both?fail=none&words=${encodeURIComponent(words)}`);
  expect(r.statusCode).toBe(200);
  const body = JSON.parse(r.body);
  expect(body.fn.query).toEqual({ fail: 'none', words });
  expect(Object.keys(body)).toEqual(['fn', 'child']);
  expect(body.child.words).toEqual(words.split(','));
});
