process.env.CDK_VALIDATION = 'false';
import * as fs from 'node:fs';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { loadAssembly } from '../../lib/local/assembly';
import { LocalBackends } from '../../lib/local/backends';
import { withStreamName } from '../../lib/local/backends/kinesis';
import { parseArgs, serve } from '../../lib/local/cli';
import { removeDir, synthesize, tempDir } from './assemblies';
import { httpRequest } from './http-client';

/** `--data DIR`: what the local backends hold survives a restart; `memory` (the default) does not. */
let dir: string;
let data: string;
beforeAll(() => {
  dir = synthesize('backends-data', (app) => {
    const stack = new Stack(app, 'Data');
    new dynamodb.Table(stack, 'Things', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
    new s3.Bucket(stack, 'Blobs');
    new kinesis.Stream(stack, 'Events', { shardCount: 2 });
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'test' }, cloudWatchRole: false });
    const machine = new sfn.StateMachine(stack, 'Echo', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Say', { parameters: { 'said.$': '$.word' } })),
    });
    new ServiceIntegrationRoute(stack, 'EchoRoute', { api, path: '/echo', method: 'POST', action: ServiceAction.stepFunctionsStartSyncExecution(machine) });
  });
  data = tempDir('backends-data-dir');
});
afterAll(() => {
  removeDir(dir);
  removeDir(data);
});

test('a folder keeps the table\'s items, the bucket\'s objects and the stream\'s records between runs', async () => {
  const assembly = loadAssembly(dir);
  const [table, bucket, stream] = [assembly.tables[0].name, assembly.buckets[0].name, assembly.streams[0].name];
  const first = await LocalBackends.start(assembly, { data });
  expect(first.describe()).toEqual([
    expect.stringMatching(/^local dynamodb http:\/\/127\.0\.0\.1:\d+ \(dynalite, data in .*dynamodb\)$/),
    expect.stringMatching(/^local s3 .* \(s3rver, data in .*s3\)$/),
    expect.stringMatching(/^local kinesis .* \(kinesalite, data in .*kinesis\)$/),
  ]);
  await first.dynamodb!.call('PutItem', { TableName: table, Item: { id: { S: 'kept' } } });
  await first.s3!.putObject(bucket, 'a/b.bin', Buffer.from([0, 1, 2, 255]), 'application/octet-stream');
  const put = await first.kinesis!.call('PutRecord', { StreamName: stream, PartitionKey: 'p', Data: Buffer.from('hello').toString('base64') }) as { ShardId: string };
  const shards = ((await first.kinesis!.call('DescribeStream', { StreamName: stream })) as { StreamDescription: { Shards: unknown[] } }).StreamDescription.Shards;
  expect(shards).toHaveLength(2);
  await first.close();

  const second = await LocalBackends.start(assembly, { data });
  try {
    expect((await second.dynamodb!.call('GetItem', { TableName: table, Key: { id: { S: 'kept' } } })).Item).toEqual({ id: { S: 'kept' } });
    expect((await second.s3!.getObject(bucket, 'a/b.bin'))!.body).toEqual(Buffer.from([0, 1, 2, 255]));
    const { ShardIterator } = await second.kinesis!.call('GetShardIterator', { StreamName: stream, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }) as { ShardIterator: string };
    const { Records } = await second.kinesis!.call('GetRecords', { ShardIterator }) as { Records: Array<{ Data: string }> };
    expect(Records.map((r) => Buffer.from(r.Data, 'base64').toString())).toEqual(['hello']);
  } finally {
    await second.close();
  }
  expect(fs.readdirSync(data).sort()).toEqual(['dynamodb', 'kinesis', 's3']);
});

test('in memory nothing survives, and the temporary S3 folder is removed', async () => {
  const assembly = loadAssembly(dir);
  const table = assembly.tables[0].name;
  const first = await LocalBackends.start(assembly);
  await first.dynamodb!.call('PutItem', { TableName: table, Item: { id: { S: 'gone' } } });
  expect(first.describe()[1]).toMatch(/s3rver, in a temporary folder/);
  await first.close();
  const second = await LocalBackends.start(assembly, { data: 'memory' });
  try {
    expect((await second.dynamodb!.call('GetItem', { TableName: table, Key: { id: { S: 'gone' } } })).Item).toBeUndefined();
  } finally {
    await second.close();
  }
});

test('the Kinesis front names the stream from StreamARN and leaves other bodies alone', () => {
  const named = JSON.parse(withStreamName(Buffer.from(JSON.stringify({ StreamARN: 'arn:aws:kinesis:us-east-1:1:stream/clicks', Data: 'eA==' }))).toString());
  expect(named).toEqual({ StreamName: 'clicks', Data: 'eA==' });
  for (const body of ['{"StreamName":"x","StreamARN":"arn:aws:kinesis:r:1:stream/y"}', 'not json', '[1]']) {
    expect(withStreamName(Buffer.from(body)).toString()).toBe(body);
  }
});

test('serve --data needs --backends local', () => {
  expect(parseArgs(['serve', '--backends', 'local', '--data', '.apigw-local/data'])).toMatchObject({ backends: 'local', data: '.apigw-local/data' });
  expect(() => parseArgs(['serve', '--data', 'x'])).toThrow('--data is where --backends local keeps its data: give --backends local too');
});

test('serve --backends local prints each backend and the state machines it runs, and serves with them', async () => {
  const lines: string[] = [];
  let backends: LocalBackends | undefined;
  const apis = await serve({ app: dir, port: 0, host: '127.0.0.1', backends: 'local' }, (l) => lines.push(l), undefined, (b) => { backends = b; });
  try {
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^local dynamodb http:\/\/127\.0\.0\.1:\d+ \(dynalite, in memory\)$/),
      expect.stringMatching(/^local s3 http:\/\/127\.0\.0\.1:\d+ \(s3rver, in a temporary folder\)$/),
      expect.stringMatching(/^local kinesis http:\/\/127\.0\.0\.1:\d+ \(kinesalite, in memory\)$/),
      expect.stringMatching(/^step functions: 1 state machine\(s\) run in the emulator: Data-Echo\w*-\w+ \(express\)$/),
    ]));
    const url = lines.find((l) => l.startsWith('Data/Api '))!.split(' ')[1];
    const r = await httpRequest(`${url}echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"word":"hi \\"there\\""}' });
    expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { said: 'hi "there"' }]);
  } finally {
    await Promise.all(apis.map((a) => a.close()));
    await backends?.close();
  }
});
