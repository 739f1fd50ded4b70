process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  ContentBasedRoute, DynamoAttribute, FanOutBranch, FanOutFailurePolicy, FanOutRoute, Field, KeyCondition, ServiceAction,
  ServiceIntegrationRoute,
} from '../lib';
import { MappingTemplate } from '../lib/testing';
import { Json, resourcePaths } from './util';

// Issue 11 B10: a service's own error text (messages, causes, stack traces, ARNs, account ids, table and
// bus names) never reaches clients by default. Every error answer of every service action and of the
// FanOut / ContentBased routes is rendered, with the library's renderer, against realistic error bodies
// of each service, carrying a marker and adversarial text; the answer must be JSON with only the
// library's own keys, and none of the service's text. `exposeServiceErrors` is the explicit way out.

const MARK = 'LEAK7f3a';
const ACCOUNT = '123456789012';
const ADVERSARIAL = [
  `a", "admin": true, "x": "${MARK}`,
  `it's ${MARK} \\" back\\slash`,
  `line\nbreak ${MARK}\r\n\t`,
  `$context.requestId #set($x = 1) ${MARK}`,
  `</script><script>${MARK}</script>`,
  `unicode é 中文 😀 ${MARK}`,
];
const ARN_TEXT = `User: arn:aws:sts::${ACCOUNT}:assumed-role/ApiRole-${MARK}/x is not authorized on arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Users-${MARK}`;
const STACK_TRACE = JSON.stringify({
  errorType: 'Error', errorMessage: `connect ECONNREFUSED 10.0.3.7:5432 ${MARK}`, trace: [`Error: ${MARK}`, '    at handler (/var/task/index.js:9:3)'],
});

/** Realistic failure answers of the services, each carrying the marker (never in a plain error name). */
const FAILURE_BODIES: string[] = [
  // JSON protocol errors (DynamoDB, Kinesis, Step Functions, EventBridge, SQS JSON).
  ...[ARN_TEXT, ...ADVERSARIAL].flatMap((message) => [
    JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message }),
    JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message }),
    JSON.stringify({ __type: 'ResourceNotFoundException', Message: message }),
    JSON.stringify({ __type: `AccessDenied ${message}`, message }),
  ]),
  // Query protocol (SNS, SQS) and S3 XML errors.
  `<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>${ARN_TEXT}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied ${MARK}</Message><Key>secret/${MARK}.pdf</Key></Error>`,
  // StartSyncExecution answers 200 with the failed execution (the FanOut/ContentBased error names are branch names).
  ...[STACK_TRACE, ARN_TEXT, ...ADVERSARIAL].flatMap((cause) => [
    JSON.stringify({ status: 'FAILED', error: 'States.TaskFailed', cause, executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:express:M:${MARK}` }),
    JSON.stringify({ status: 'FAILED', error: cause, cause }),
    JSON.stringify({ status: 'FAILED', error: 'FanOut.user', cause }),
    JSON.stringify({ status: 'FAILED', error: 'ContentRoute.urgent', cause }),
    JSON.stringify({ status: 'TIMED_OUT', error: 'States.Timeout', cause }),
  ]),
  // PutEvents answers 200 with a failed entry.
  ...[ARN_TEXT, ...ADVERSARIAL].flatMap((message) => [
    JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: message }] }),
    JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: message }] }),
    JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: message, ErrorMessage: message }] }),
  ]),
];

/** The keys an error answer may have, and the values only those keys may take from the service. */
const ERROR_KEYS = ['message', 'code', 'branch', 'target', 'requestId'];

const stack = new Stack(new App(), 'Errors');
const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes: ['image/png'] });
const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
const express = new sfn.StateMachine(stack, 'Express', {
  definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')), stateMachineType: sfn.StateMachineType.EXPRESS,
});
const id = DynamoAttribute.stringValue(Field.path('id'));
const actions: { [path: string]: ServiceAction } = {
  '/sqs': ServiceAction.sqsSendMessage(new sqs.Queue(stack, 'Queue')),
  '/sns': ServiceAction.snsPublish(new sns.Topic(stack, 'Topic')),
  '/put/{id}': ServiceAction.dynamoDbPutItem(table, { item: { id }, onlyIfNew: true }),
  '/get/{id}': ServiceAction.dynamoDbGetItem(table, { key: { id } }),
  '/query/{id}': ServiceAction.dynamoDbQuery(table, { keyCondition: KeyCondition.eq('id', id) }),
  '/update/{id}': ServiceAction.dynamoDbUpdateItem(table, { key: { id }, set: { name: DynamoAttribute.stringValue(Field.body('$.name')) } }),
  '/delete/{id}': ServiceAction.dynamoDbDeleteItem(table, { key: { id } }),
  '/scan': ServiceAction.dynamoDbScan(table),
  '/start': ServiceAction.stepFunctionsStartExecution(express),
  '/sync': ServiceAction.stepFunctionsStartSyncExecution(express),
  '/events': ServiceAction.eventBridgePutEvents(new events.EventBus(stack, 'Bus'), { source: 'com.example', detailType: Field.literal('T') }),
  '/kinesis': ServiceAction.kinesisPutRecord(new kinesis.Stream(stack, 'Stream')),
  '/files/{key}': ServiceAction.s3GetObject(new s3.Bucket(stack, 'Files'), { key: Field.path('key') }),
  '/uploads/{key}': ServiceAction.s3PutObject(new s3.Bucket(stack, 'Uploads'), { key: Field.path('key') }),
  '/custom': ServiceAction.custom({
    service: 'firehose', action: 'PutRecord', requestTemplate: '{}', responseTemplate: '{"ok": true}',
    iamActions: ['firehose:PutRecord'], iamResources: [`arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/s`],
  }),
};
for (const [path, action] of Object.entries(actions)) {
  new ServiceIntegrationRoute(stack, `Route${path.replace(/[^A-Za-z]/g, '')}`, { api, path, method: path.startsWith('/uploads') ? 'PUT' : 'POST', action });
}
new FanOutRoute(stack, 'FanOut', { api, path: '/profile/{id}', method: 'GET', branches: { user: FanOutBranch.dynamoDbGetItem(table, { key: { id } }) } });
new FanOutRoute(stack, 'Partial', {
  api, path: '/partial/{id}', method: 'GET', failurePolicy: FanOutFailurePolicy.PARTIAL_RESULTS,
  branches: { user: FanOutBranch.dynamoDbGetItem(table, { key: { id } }) },
});
new ContentBasedRoute(stack, 'Content', {
  api, path: '/jobs/{id}', method: 'POST', selector: Field.body('$.type'),
  cases: [{ value: 'urgent', target: FanOutBranch.dynamoDbGetItem(table, { key: { id } }) }],
  defaultTarget: FanOutBranch.dynamoDbGetItem(table, { key: { id } }),
});
const template = Template.fromStack(stack);
const paths = resourcePaths(template);
const methods: Array<[string, Json]> = Object.values(template.findResources('AWS::ApiGateway::Method'))
  .map((m: Json) => m.Properties)
  .filter((p: Json) => p.Integration?.Type === 'AWS')
  .map((p: Json) => [`${p.HttpMethod} ${paths[p.ResourceId.Ref]}`, p]);

test('every service route of the stack is checked', () => {
  expect(methods.map(([name]) => name).sort()).toEqual([
    ...Object.keys(actions).map((p) => `${p.startsWith('/uploads') ? 'PUT' : 'POST'} ${p}`),
    'GET /profile/{id}', 'GET /partial/{id}', 'POST /jobs/{id}',
  ].sort());
});

describe.each(methods)('%s', (_name, method) => {
  const responses: Json[] = method.Integration.IntegrationResponses;

  test('every error status has its own template: the service body never passes through an error answer', () => {
    for (const r of responses.filter((x) => Number(x.StatusCode) >= 400)) {
      expect(typeof r.ResponseTemplates?.['application/json']).toBe('string');
    }
  });

  test('no error answer carries the service\'s text, whatever the service answers', () => {
    let errorAnswers = 0;
    for (const r of responses) {
      const responseTemplate = r.ResponseTemplates?.['application/json'];
      if (typeof responseTemplate !== 'string') continue; // a passthrough success (an S3 object), checked above for errors
      for (const body of FAILURE_BODIES) {
        const result = MappingTemplate.renderWithOverrides(responseTemplate, { body, context: { requestId: 'req-1' } });
        const status = result.statusOverride ?? Number(r.StatusCode);
        if (status < 400) continue;
        errorAnswers++;
        const answer = JSON.parse(result.output);
        expect(Object.keys(answer).filter((k) => !ERROR_KEYS.includes(k))).toEqual([]);
        expect(answer.requestId).toBe('req-1');
        expect(result.output).not.toContain(MARK);
        expect(result.output).not.toContain(ACCOUNT);
        expect(result.output).not.toContain('ECONNREFUSED');
        if (answer.code !== undefined) expect(answer.code).toMatch(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/);
      }
    }
    expect(errorAnswers).toBeGreaterThan(0);
  });
});

describe('exposeServiceErrors: true is the explicit way to show the service\'s text', () => {
  const exposedStack = new Stack(new App(), 'Exposed');
  const exposedApi = new apigw.RestApi(exposedStack, 'Api');
  const machine = new sfn.StateMachine(exposedStack, 'Express', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(exposedStack, 'Pass')), stateMachineType: sfn.StateMachineType.EXPRESS,
  });
  new ServiceIntegrationRoute(exposedStack, 'Sync', {
    api: exposedApi, path: '/sync', method: 'POST', action: ServiceAction.stepFunctionsStartSyncExecution(machine, { exposeServiceErrors: true }),
  });
  new ServiceIntegrationRoute(exposedStack, 'Events', {
    api: exposedApi, path: '/events', method: 'POST',
    action: ServiceAction.eventBridgePutEvents(new events.EventBus(exposedStack, 'Bus'), {
      source: 'com.example', detailType: Field.literal('T'), exposeServiceErrors: true,
    }),
  });
  const exposedTemplate = Template.fromStack(exposedStack);
  const okTemplate = (path: string) => {
    const all = Object.values(exposedTemplate.findResources('AWS::ApiGateway::Method')).map((m: Json) => m.Properties);
    const p = resourcePaths(exposedTemplate);
    return all.find((m: Json) => p[m.ResourceId.Ref] === path).Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
  };

  test('Step Functions: the failed execution\'s error and cause, escaped', () => {
    const body = JSON.stringify({ status: 'FAILED', error: 'States.TaskFailed', cause: STACK_TRACE });
    expect(MappingTemplate.renderJson(okTemplate('/sync'), { body, context: { requestId: 'r' } })).toEqual({
      message: 'The state machine execution failed', code: 'States.TaskFailed', error: 'States.TaskFailed', cause: STACK_TRACE, requestId: 'r',
    });
  });

  test('EventBridge: the failed entry\'s message, escaped', () => {
    for (const message of [ARN_TEXT, ...ADVERSARIAL]) {
      const body = JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: message }] });
      expect(MappingTemplate.renderJson(okTemplate('/events'), { body, context: { requestId: 'r' } })).toEqual({
        message: 'EventBridge rejected the event', code: 'MalformedDetail', errorMessage: message, requestId: 'r',
      });
    }
  });
});
