import { LOCAL_CREDENTIALS } from '../../../lib/local/integration/aws-service';
import { FunctionPool } from '../../../lib/local/lambda/function-pool';
import { StateMachineModel } from '../../../lib/local/model';
import { LocalStepFunctions } from '../../../lib/local/stepfunctions/executions';

/** The Step Functions API actions the emulator answers for the assembly's machines, in the API's shapes. */
const ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:';
function machine(name: string, type: 'STANDARD' | 'EXPRESS', definition: StateMachineModel['definition']): StateMachineModel {
  return { logicalId: name, stackPath: 'S', arn: `${ARN}${name}`, name, type, definition };
}
const machines = [
  machine('Express', 'EXPRESS', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'got.$': '$', 'name.$': '$$.Execution.Name' }, End: true } } }),
  machine('Failing', 'EXPRESS', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } }),
  machine('Slow', 'EXPRESS', { StartAt: 'W', TimeoutSeconds: 1, States: { W: { Type: 'Wait', Seconds: 30, End: true } } }),
  machine('Standard', 'STANDARD', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } }),
  { logicalId: 'InS3', stackPath: 'S', arn: `${ARN}InS3`, name: 'InS3', type: 'STANDARD' as const, problem: 'its definition is in S3 (DefinitionS3Location), which the emulator does not read' },
];
const lines: string[] = [];
const sfn = new LocalStepFunctions(machines, {
  functions: new FunctionPool(new Map()), region: 'eu-west-1', account: '111122223333', credentials: LOCAL_CREDENTIALS, now: () => new Date(), log: (l) => lines.push(l),
});
afterAll(async () => {
  sfn.close();
  await sfn.idle();
});

test('StartSyncExecution: status, output as text, the dates in epoch seconds, the Express execution ARN', async () => {
  const before = Date.now() / 1000;
  const r = await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Express`, input: '{"a":"\\u00fc\\"x"}', name: 'run-1' });
  expect(r!.statusCode).toBe(200);
  expect(r!.body).toMatchObject({
    executionArn: expect.stringMatching(/^arn:aws:states:eu-west-1:111122223333:express:Express:run-1:[0-9a-f-]{36}$/),
    stateMachineArn: `${ARN}Express`, name: 'run-1', status: 'SUCCEEDED', input: '{"a":"\\u00fc\\"x"}',
    output: JSON.stringify({ got: { a: 'ü"x' }, name: 'run-1' }), outputDetails: { included: true },
  });
  expect(r!.body.startDate).toBeGreaterThanOrEqual(Math.floor(before));
  expect(r!.body.stopDate).toBeGreaterThanOrEqual(r!.body.startDate as number);
  expect(r!.body).not.toHaveProperty('error');
});

test('a failed execution answers 200 with status FAILED, error and cause; a timed-out one TIMED_OUT', async () => {
  expect((await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Failing`, input: '{}' }))!.body).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' });
  const slow = await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Slow`, input: '{}' });
  expect([slow!.statusCode, slow!.body.status, slow!.body.error]).toEqual([200, 'TIMED_OUT', 'States.Timeout']);
});

test('the API\'s refusals: a STANDARD machine synchronously, input that is not JSON, a bad name, a definition the emulator cannot read', async () => {
  const type = (r: Awaited<ReturnType<typeof sfn.api>>): unknown => [r!.statusCode, String(r!.body.__type).replace(/^.*#/, '')];
  expect(type(await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Standard`, input: '{}' }))).toEqual([400, 'StateMachineTypeNotSupported']);
  expect(type(await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Express`, input: '{nope' }))).toEqual([400, 'InvalidExecutionInput']);
  expect(type(await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Express`, input: '{}', name: 'a b' }))).toEqual([400, 'InvalidName']);
  const s3 = await sfn.api('StartExecution', { stateMachineArn: `${ARN}InS3`, input: '{}' });
  expect([type(s3), s3!.body.message]).toEqual([[400, 'InvalidDefinition'], expect.stringContaining('DefinitionS3Location')]);
  // A machine not in the assembly is not answered here: the request goes to the states endpoint.
  expect(await sfn.api('StartSyncExecution', { stateMachineArn: `${ARN}Elsewhere`, input: '{}' })).toBeUndefined();
});

test('StartExecution answers at once; DescribeExecution shows it RUNNING; StopExecution aborts it; the same name again is ExecutionAlreadyExists', async () => {
  const started = await sfn.api('StartExecution', { stateMachineArn: `${ARN}Standard`, input: '{"x":1}', name: 'job-1' });
  expect(started!.body).toEqual({ executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:Standard:job-1', startDate: expect.any(Number) });
  const arn = started!.body.executionArn as string;
  expect((await sfn.api('DescribeExecution', { executionArn: arn }))!.body).toMatchObject({ status: 'RUNNING', input: '{"x":1}' });
  expect(String((await sfn.api('StartExecution', { stateMachineArn: `${ARN}Standard`, input: '{}', name: 'job-1' }))!.body.__type)).toMatch(/ExecutionAlreadyExists$/);
  const stopped = await sfn.api('StopExecution', { executionArn: arn, error: 'Operator', cause: 'enough' });
  expect(stopped!.body).toEqual({ stopDate: expect.any(Number) });
  expect((await sfn.api('DescribeExecution', { executionArn: arn }))!.body).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'enough' });
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/standard execution .*:job-1 ABORTED in \d+ ms: Operator: enough/)]));
});
