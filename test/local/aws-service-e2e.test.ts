import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ServiceIntegrationsStack } from '../../examples/service-integrations-stack';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { sigV4Headers } from './credentials';
import { httpRequest } from './http-client';

/**
 * AWS service integrations of the ServiceIntegrations example sent to a local endpoint that checks each
 * request as the service would (signature scope, action, parameters) and answers the service's
 * documented response: SQS SendMessage, SNS Publish, EventBridge PutEvents. The emulator signs with
 * SigV4 and feeds the answer to the routes' response templates unchanged.
 */
interface Received { service: string; method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
const received: Received[] = [];
let failNext: number | undefined;

function fakeAws(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = String(req.headers.authorization ?? '');
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(auth);
      const service = scope?.[2] ?? 'unsigned';
      received.push({ service, method: req.method!, url: req.url!, headers: req.headers, body });
      const reply = (status: number, doc: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-1' });
        res.end(JSON.stringify(doc));
      };
      if (!scope || !req.headers['x-amz-date']) return reply(403, { message: 'Missing Authentication Token' });
      if (failNext) {
        const status = failNext;
        failNext = undefined;
        return reply(status, { __type: 'InternalFailure', message: 'service failure' });
      }
      if (service === 'sqs') {
        const form = new URLSearchParams(body);
        if (form.get('Action') !== 'SendMessage' || !form.get('MessageBody')) return reply(400, { Error: { Code: 'MissingParameter' } });
        return reply(200, { SendMessageResponse: { SendMessageResult: { MessageId: 'msg-1', MD5OfMessageBody: 'x' }, ResponseMetadata: { RequestId: 'req-1' } } });
      }
      if (service === 'sns') {
        const form = new URLSearchParams(body);
        if (form.get('Action') !== 'Publish' || !form.get('TopicArn')) return reply(400, { Error: { Code: 'InvalidParameter' } });
        return reply(200, { PublishResponse: { PublishResult: { MessageId: 'sns-1' }, ResponseMetadata: { RequestId: 'req-1' } } });
      }
      if (service === 'events') {
        if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') return reply(400, { __type: 'UnknownOperationException' });
        const entries = (JSON.parse(body) as { Entries: Array<{ Detail: string }> }).Entries;
        JSON.parse(entries[0].Detail); // EventBridge refuses a Detail that is not JSON
        return reply(200, { FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
      }
      return reply(400, { message: `unexpected service ${service}` });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let aws: http.Server;
let dir: string;
let api: LocalApi;
let bare: LocalApi;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  aws = await fakeAws();
  const url = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
  dir = synthesize('aws-service', (app) => new ServiceIntegrationsStack(app, 'ApigwPatternsServiceIntegrations'));
  api = LocalApi.fromAssembly(dir, { endpoints: { sqs: url, sns: url }, endpointUrl: url, log: (l) => lines.push(l) });
  bare = LocalApi.fromAssembly(dir);
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  await bare.close();
  await new Promise((r) => aws.close(r));
  removeDir(dir);
});

const post = (path: string, body: string, headers: Record<string, string>) =>
  httpRequest(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

test('SQS SendMessage (POST /orders): a signed form request to the queue\'s path, the order as sent, the caller as message group; the message id comes back', async () => {
  const order = { items: [{ productId: 'p1', quantity: 2 }], note: 'a", "admin": true, "x": "\\ ü\n' };
  const r = await post('/orders', JSON.stringify(order), { Authorization: api.mintToken({ sub: 'buyer-1' }) });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { messageId: 'msg-1' }]);
  const sent = received.filter((x) => x.service === 'sqs').pop()!;
  expect(sent.method).toBe('POST');
  expect(sent.url).toMatch(/^\/000000000000\/.+OrdersQueue/);
  expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
  // A query-protocol service answers JSON when asked, which the route's response template reads.
  expect(sent.headers.accept).toBe('application/json');
  const form = new URLSearchParams(sent.body);
  expect(JSON.parse(form.get('MessageBody')!)).toEqual(order);
  expect(form.get('MessageGroupId')).toBe('buyer-1');
  expect(sent.headers.authorization).toMatch(/\/us-east-1\/sqs\/aws4_request/);
});

test('SNS Publish (POST /notifications, AWS_IAM): the topic, the message and the subject header; the message id comes back', async () => {
  const r = await post('/notifications', JSON.stringify({ hello: 'world' }), { ...sigV4Headers('us-east-1'), 'X-Subject': 'Greetings' });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { messageId: 'sns-1' }]);
  const form = new URLSearchParams(received.filter((x) => x.service === 'sns').pop()!.body);
  expect(form.get('Action')).toBe('Publish');
  expect(form.get('TopicArn')).toMatch(/OrderEvents|Notifications|Topic/);
  expect(JSON.parse(form.get('Message')!)).toEqual({ hello: 'world' });
  expect(form.get('Subject')).toBe('Greetings');
});

test('EventBridge PutEvents (POST /events) through --endpoint-url: X-Amz-Target and JSON 1.1, the body as the event detail; the event id comes back', async () => {
  const r = await post('/events', JSON.stringify({ clicked: 'buy', quote: 'a"b' }), { 'Authorization': api.mintToken({ sub: 'u' }), 'X-Event-Type': 'click' });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { eventId: 'evt-1' }]);
  const sent = received.filter((x) => x.service === 'events').pop()!;
  expect(sent.headers['content-type']).toBe('application/x-amz-json-1.1');
  const entry = JSON.parse(sent.body).Entries[0];
  expect([entry.DetailType, JSON.parse(entry.Detail)]).toEqual(['click', { clicked: 'buy', quote: 'a"b' }]);
});

test('the service\'s own failure reaches the route\'s error mapping (a 5xx → the route\'s 502 answer, without the service\'s text), and the server keeps serving', async () => {
  failNext = 500;
  const r = await post('/orders', JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }] }), { Authorization: api.mintToken({ sub: 'b' }) });
  const route = api.model.root.children.find((c) => c.path === '/orders')!.methods.POST;
  const fivexx = route.Integration!.IntegrationResponses!.find((x) => x.SelectionPattern === '5\\d{2}')!;
  expect(r.statusCode).toBe(Number(fivexx.StatusCode));
  expect(JSON.parse(r.body).message).toBe('The service failed to handle the request');
  expect(r.body).not.toMatch(/InternalFailure|service failure/);
  expect((await post('/orders', JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }] }), { Authorization: api.mintToken({ sub: 'b' }) })).statusCode).toBe(200);
});

test('without an endpoint for the service: 502 naming the option to give, never a made-up success', async () => {
  const r = await bare.request({ method: 'POST', path: '/orders', headers: { 'Content-Type': 'application/json', 'Authorization': bare.mintToken({ sub: 'b' }) }, body: JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }] }) });
  expect([r.statusCode, JSON.parse(r.body).message]).toEqual([502, expect.stringMatching(/no endpoint for sqs \(path .*OrdersQueue.*\): give one with --endpoint sqs=URL or --endpoint-url URL/)]);
});

test('Step Functions StartSyncExecution (POST /quotes): the Express quote calculator (JSONPath Pass with Parameters) runs in the emulator and its output is the answer', async () => {
  const items = [{ productId: 'p"1', quantity: 2 }];
  const r = await post('/quotes', JSON.stringify({ items }), { Authorization: api.mintToken({ sub: 'q' }) });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { items, currency: 'USD', validForSeconds: 900 }]);
  expect(received.filter((x) => x.service === 'states')).toEqual([]);
  const execution = api.stepFunctions.list()[0];
  expect([execution.status, execution.type, execution.executionArn]).toEqual(['SUCCEEDED', 'EXPRESS', expect.stringMatching(/^arn:aws:states:us-east-1:\d+:express:.*QuoteCalculator.*:[0-9a-f-]{36}:[0-9a-f-]{36}$/)]);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/step functions express execution .* SUCCEEDED in \d+ ms: output \{"items"/)]));
});

test('Step Functions StartExecution (POST /workflows): answers at once with the execution ARN; the STANDARD workflow runs in the background, named by the caller; a second start is refused', async () => {
  const token = api.mintToken({ sub: 'onboard-1' });
  const r = await post('/workflows', JSON.stringify({ plan: 'plus' }), { Authorization: token });
  expect(r.statusCode).toBe(200);
  const answer = JSON.parse(r.body) as { executionArn: string; startDate: unknown };
  expect(answer.executionArn).toMatch(/^arn:aws:states:us-east-1:\d+:execution:.*OnboardingWorkflow.*:onboard-1$/);
  await api.stepFunctions.idle();
  const execution = api.stepFunctions.execution(answer.executionArn)!;
  expect([execution.status, JSON.parse(execution.output!)]).toEqual(['SUCCEEDED', { userId: 'onboard-1', plan: 'plus' }]);
  expect(lines).toEqual(expect.arrayContaining([expect.stringContaining(`step functions standard execution ${answer.executionArn} SUCCEEDED`)]));
  const again = await post('/workflows', JSON.stringify({ plan: 'plus' }), { Authorization: token });
  expect(again.statusCode).toBe(400);
});
