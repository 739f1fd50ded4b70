import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { FanOutStack } from '../../examples/fan-out-stack';
import { LocalBackends } from '../../lib/local/backends';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { credentialsFor } from './credentials';
import { httpRequest } from './http-client';

/**
 * The FanOut example run by the emulator over 127.0.0.1: its Express state machines run in-process
 * (JSONata, Parallel, Choice, Catch, lambda:invoke, DynamoDB through dynalite, SQS through a local
 * endpoint that checks each call as SQS would). Scenario 3 (GET /users/me/profile), scenario 4
 * (POST /jobs routed by `type`) and the asynchronous fan-out (POST /orders/{orderId}/events, 202).
 */
interface Received { service: string; target: string; body: string; authorization: string }
const received: Received[] = [];

/** SQS (JSON protocol, as the SDK of an aws-sdk task speaks it) and SNS (query protocol) on one port. */
function localQueues(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', (): void => {
      const body = Buffer.concat(chunks).toString('utf8');
      const authorization = String(req.headers.authorization ?? '');
      const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.exec(authorization)?.[1] ?? 'unsigned';
      const target = String(req.headers['x-amz-target'] ?? '');
      received.push({ service, target, body, authorization });
      if (service === 'sqs' && target === 'AmazonSQS.SendMessage') {
        const input = JSON.parse(body) as { QueueUrl?: string; MessageBody?: string };
        if (!input.QueueUrl || typeof input.MessageBody !== 'string') {
          res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#MissingParameter', message: 'QueueUrl and MessageBody are required' }));
          return;
        }
        if (input.QueueUrl.includes('BatchJobs') && input.MessageBody.includes('"reject"')) {
          res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidMessageContents', message: 'rejected' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ MessageId: `msg-${received.length}`, MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e' }));
        return;
      }
      if (service === 'sns') {
        const form = new URLSearchParams(body);
        res.writeHead(form.get('Action') === 'Publish' && form.get('TopicArn') ? 200 : 400, { 'Content-Type': 'text/xml' });
        res.end('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-1</MessageId></PublishResult>'
          + '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>');
        return;
      }
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `unexpected ${service} ${target}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let queues: http.Server;
let dir: string;
let backends: LocalBackends;
let api: LocalApi;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  queues = await localQueues();
  const url = `http://127.0.0.1:${(queues.address() as AddressInfo).port}`;
  dir = synthesize('fan-out', (app) => new FanOutStack(app, 'ApigwPatternsFanOut'));
  backends = await LocalBackends.start(dir);
  api = LocalApi.fromAssembly(dir, { endpoints: { ...backends.endpoints, sqs: url, sns: url }, log: (l) => lines.push(l) });
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  await backends.close();
  await new Promise((resolve) => queues.close(resolve));
  removeDir(dir);
});

function table(pattern: RegExp): string {
  return api.assembly.tables.find((t) => pattern.test(t.logicalId))!.name;
}

test('the state machines of the assembly are read with their definitions and local ARNs', () => {
  const machines = api.assembly.stateMachines;
  expect(machines.map((m) => [m.logicalId, m.type, m.problem])).toEqual(expect.arrayContaining([
    [expect.stringMatching(/^ProfileStateMachine/), 'EXPRESS', undefined],
    [expect.stringMatching(/^JobsStateMachine/), 'EXPRESS', undefined],
  ]));
  for (const m of machines) expect(m.arn).toBe(`arn:aws:states:${api.model.region}:${api.model.account}:stateMachine:${m.name}`);
});

describe('scenario 3: GET /users/me/profile merges a GetItem, a Query and a Lambda', () => {
  beforeAll(async () => {
    await backends.dynamodb!.call('PutItem', { TableName: table(/UsersTable/), Item: { userId: { S: 'user-3' }, username: { S: 'grace' }, email: { S: 'grace@example.com' }, secret: { S: 'not projected' } } });
    for (const [date, total] of [['2026-01-01', '10'], ['2026-02-01', '20'], ['2026-03-01', '30.5']]) {
      await backends.dynamodb!.call('PutItem', { TableName: table(/OrdersTable/), Item: { userId: { S: 'user-3' }, orderDate: { S: date }, total: { N: total } } });
    }
    await backends.dynamodb!.call('PutItem', { TableName: table(/OrdersTable/), Item: { userId: { S: 'someone-else' }, orderDate: { S: '2026-01-05' }, total: { N: '99' } } });
  });

  test('all three branches answer: one JSON document, keyed by branch, newest orders first, the projection applied', async () => {
    const r = await httpRequest(`${base}/users/me/profile`, { headers: { Authorization: api.mintToken({ sub: 'user-3' }), Origin: 'https://app.example.com' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(JSON.parse(r.body)).toEqual({
      user: { userId: 'user-3', username: 'grace', email: 'grace@example.com' },
      orders: {
        items: [
          { userId: 'user-3', orderDate: '2026-03-01', total: 30.5 },
          { userId: 'user-3', orderDate: '2026-02-01', total: 20 },
          { userId: 'user-3', orderDate: '2026-01-01', total: 10 },
        ],
        count: 3,
        hasMore: false,
      },
      recommendations: { basis: 'best sellers', items: ['sku-1', 'sku-2'] },
    });
  });

  test('a caller with no record gets a null user and no orders, not someone else\'s', async () => {
    const r = await httpRequest(`${base}/users/me/profile`, { headers: { Authorization: api.mintToken({ sub: 'nobody' }) } });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ user: null, orders: { items: [], count: 0, hasMore: false } });
  });

  test('PARTIAL_RESULTS: a failing branch (its table gone) is reported in its place and the others still answer', async () => {
    const orders = table(/OrdersTable/);
    const { Table } = await backends.dynamodb!.call('DescribeTable', { TableName: orders }) as { Table: Record<string, unknown> };
    await backends.dynamodb!.call('DeleteTable', { TableName: orders });
    try {
      const r = await httpRequest(`${base}/users/me/profile`, { headers: { Authorization: api.mintToken({ sub: 'user-3' }) } });
      expect(r.statusCode).toBe(200);
      const body = JSON.parse(r.body);
      expect(body.orders).toEqual({ error: { branch: 'orders', code: 'DynamoDb.ResourceNotFoundException' } });
      expect(body.user.username).toBe('grace');
      expect(body.recommendations.basis).toBe('best sellers');
      expect(lines.some((l) => /orders: DynamoDb\.ResourceNotFoundException caught/.test(l))).toBe(true);
    } finally {
      await backends.dynamodb!.call('CreateTable', {
        TableName: orders, KeySchema: Table.KeySchema, AttributeDefinitions: Table.AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST',
      });
    }
  });

  test('without a token the authorizer answers 401 and no execution starts', async () => {
    const before = api.stepFunctions.list().length;
    const r = await httpRequest(`${base}/users/me/profile`);
    expect(r.statusCode).toBe(401);
    expect(api.stepFunctions.list().length).toBe(before);
  });
});

describe('scenario 4: POST /jobs is routed by the body\'s type', () => {
  const post = (body: unknown): ReturnType<typeof httpRequest> => httpRequest(`${base}/jobs`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': api.mintToken({ sub: 'user-4' }) }, body: JSON.stringify(body),
  });

  test('"urgent" goes to the priority queue, with the request body as the message', async () => {
    received.length = 0;
    const job = { type: 'urgent', payload: { id: 7 } };
    const r = await post(job);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ routedTo: 'urgent', result: { messageId: expect.stringMatching(/^msg-/) } });
    expect(received).toHaveLength(1);
    const sent = JSON.parse(received[0].body) as { QueueUrl: string; MessageBody: string };
    expect(sent.QueueUrl).toMatch(/^https:\/\/sqs\.[^/]+\/\d+\/.*PriorityJobs/);
    expect(JSON.parse(sent.MessageBody)).toEqual(job);
    expect(received[0].authorization).toMatch(/\/sqs\/aws4_request/);
  });

  test('"batch" goes to the batch queue', async () => {
    received.length = 0;
    const r = await post({ type: 'batch' });
    expect(JSON.parse(r.body).routedTo).toBe('batch');
    expect(JSON.parse(received[0].body).QueueUrl).toMatch(/BatchJobs/);
  });

  test('anything else goes to the standard processor (a Lambda) and no queue is called', async () => {
    received.length = 0;
    const r = await post({ type: 'other' });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ routedTo: 'default', result: { accepted: true, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(received).toHaveLength(0);
  });

  test('a target that fails answers 502 naming the target and the service\'s error code', async () => {
    const r = await post({ type: 'batch', reject: true, note: '"reject"' });
    expect(r.statusCode).toBe(502);
    expect(JSON.parse(r.body)).toEqual({ message: 'The target of the request failed', target: 'batch', code: 'Sqs.InvalidMessageContents', requestId: expect.any(String) });
  });

  test('adversarial content reaches the queue as the exact body sent, and selects nothing it should not', async () => {
    received.length = 0;
    const job = { type: 'urgent', note: 'a", "admin": true, "x": "\\\n\u00fc\u65e5 {% $states %} $$.Execution' };
    const r = await post(job);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(JSON.parse(received[0].body).MessageBody)).toEqual(job);
    const injected = await post({ type: 'urgent", "x": "batch' });
    expect(JSON.parse(injected.body).routedTo).toBe('default');
  });
});

test('asynchronous fan-out: POST /orders/{orderId}/events publishes to SNS and answers 202', async () => {
  received.length = 0;
  const method = api.model.root.children.find((c) => c.pathPart === 'orders')!.children[0].children[0].methods.POST;
  const body = JSON.stringify({ status: 'paid' });
  const r = await httpRequest(`${base}/orders/o-1/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Event-Type': 'paid', ...credentialsFor(api, method) }, body,
  });
  expect(r.statusCode).toBe(202);
  expect(received.map((x) => x.service)).toEqual(['sns']);
  const form = new URLSearchParams(received[0].body);
  expect(form.get('Action')).toBe('Publish');
  expect(form.get('TopicArn')).toMatch(/^arn:aws:sns:.*OrderEvents/);
});
