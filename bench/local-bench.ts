/**
 * `npm run bench:local [-- --duration 5 --connections 16 --rounds 3]`: requests per second and p50/p99 latency of
 * the local emulator on 127.0.0.1, beside a bare node:http server answering the same bytes (the
 * ceiling), in one run: (1) the bare server, (2) a MockRoute with its response template, (3) a Lambda
 * proxy route whose function answers the same JSON; (4) a direct DynamoDB GetItem from this process to
 * dynalite, the ceiling of (5) a ServiceIntegrationRoute making that GetItem; (6) a FanOutRoute with
 * three branches (GetItem, Query, Lambda) run by the emulator's Step Functions interpreter. Each server
 * runs in its own process (dynalite too); the load client (bench/load-client.ts) runs here. The targets
 * are measured in turn for `--rounds` rounds (3) and each figure is the median of its rounds, so that a
 * noisy moment of the machine hits all alike. Targets (issue 12): the MOCK route at >= 50 % of the bare
 * server's requests/s; the Lambda proxy route's warm p50 under 5 ms.
 */
process.env.CDK_VALIDATION = 'false';

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DynamoAttribute, FanOutBranch, FanOutRoute, Field, KeyCondition, LambdaProxyRoute, RouteAuthorization, ServiceAction, ServiceIntegrationRoute,
} from '../lib';
import { sendSigned } from '../lib/local/aws/signed-send';
import { LOCAL_CREDENTIALS } from '../lib/local/integration/aws-service';
import { LocalApi } from '../lib/local/local-api';
import { LoadResult, runCalls, runLoad } from './load-client';

const ITEM = { id: { S: 'item-1' }, name: { S: 'Coffee' }, priceCents: { N: '450' } };
const ORDERS = { orders: [{ orderId: 'o-1001', status: 'SHIPPED' }, { orderId: 'o-1002', status: 'PENDING' }] };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** One app with the two APIs the bench serves (no throttling, no keys: the pipeline itself is measured). */
function synthesize(dir: string): void {
  const app = new App({ outdir: dir });
  const mocks = new Stack(app, 'BenchMock');
  const mockApi = new apigw.RestApi(mocks, 'Api', { deployOptions: { stageName: 'bench' } });
  // A response template that reads $input, $context and $util on every request, as mock APIs for front ends do.
  const list = JSON.stringify(ORDERS.orders);
  mockApi.root.addResource('orders').addMethod('GET', new apigw.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{
      statusCode: '200',
      responseTemplates: {
        'application/json': `#set($scenario = $input.params('scenario'))#if($scenario == '')#set($scenario = 'default')#end` +
          `{"orders": ${list}, "scenario": "$util.escapeJavaScript($scenario)", "requestTime": "$context.requestTime"}`,
      },
    }],
  }), { methodResponses: [{ statusCode: '200' }] });
  const proxy = new Stack(app, 'BenchLambda');
  const proxyApi = new apigw.RestApi(proxy, 'Api', { deployOptions: { stageName: 'bench' } });
  const fn = new lambda.Function(proxy, 'Orders', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`const body = ${JSON.stringify(JSON.stringify(ORDERS))};
exports.handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body });`),
  });
  new LambdaProxyRoute(proxy, 'OrdersRoute', { api: proxyApi, method: 'GET', path: '/orders', handler: fn });

  // DynamoDB through a service integration, and a three-branch fan-out, against the local DynamoDB.
  const data = new Stack(app, 'BenchData');
  const dataApi = new apigw.RestApi(data, 'Api', { deployOptions: { stageName: 'bench' } });
  const table = new dynamodb.Table(data, 'Items', {
    tableName: 'bench-items', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY,
  });
  const id = DynamoAttribute.stringValue(Field.path('id'));
  new ServiceIntegrationRoute(data, 'GetItem', {
    api: dataApi, method: 'GET', path: '/items/{id}', authorization: RouteAuthorization.none(),
    action: ServiceAction.dynamoDbGetItem(table, { key: { id } }),
  });
  const recommend = new lambda.Function(data, 'Recommend', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline("exports.handler = async () => ({ items: ['sku-1', 'sku-2'] });"),
  });
  new FanOutRoute(data, 'FanOut', {
    api: dataApi, method: 'GET', path: '/profiles/{id}', authorization: RouteAuthorization.none(),
    branches: {
      item: FanOutBranch.dynamoDbGetItem(table, { key: { id } }),
      related: FanOutBranch.dynamoDbQuery(table, { keyCondition: KeyCondition.eq('id', id) }),
      recommended: FanOutBranch.lambdaInvoke(recommend),
    },
    logging: false,
  });
  app.synth();
}

/** A signed DynamoDB GetItem straight to the local DynamoDB: what the GetItem route's integration sends. */
function directGetItem(url: string): () => Promise<number> {
  const body = Buffer.from(JSON.stringify({ TableName: 'bench-items', Key: { id: { S: ITEM.id.S } } }));
  return async () => {
    const r = await sendSigned({
      method: 'POST', url: `${url}/`, body, service: 'dynamodb', region: 'us-east-1', credentials: LOCAL_CREDENTIALS, now: new Date(), timeoutMs: 10_000,
      headers: { 'Host': new URL(url).host, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
    });
    return r.kind === 'response' ? r.statusCode : 0;
  };
}

async function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'local-bench-server.ts'), ...args], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server ${args[0]} exited with ${code}`)));
  });
  return { child, port };
}

/** The run with the median requests/s (its latencies with it), failures summed over the runs. */
function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const failures = results.reduce((n, r) => n + r.failures, 0);
  return { ...sorted[Math.floor(sorted.length / 2)], failures, failedWith: results.find((r) => r.failedWith !== undefined)?.failedWith };
}

/** A target: a URL loaded over HTTP, or a call made from this process. */
type Target = string | (() => Promise<number>);

async function measure(name: string, target: Target, connections: number, durationMs: number, warmUp: boolean): Promise<LoadResult> {
  const run = (ms: number): Promise<LoadResult> => (typeof target === 'string'
    ? runLoad(target, { connections, durationMs: ms })
    : runCalls(target, 200, { connections, durationMs: ms }));
  if (warmUp) await run(Math.min(2000, durationMs)); // JIT, workers, sockets
  const result = await run(durationMs);
  if (result.failures > 0) process.stderr.write(`${name}: ${result.failures} answers were ${result.failedWith}, not 200\n`);
  return result;
}

async function main(): Promise<void> {
  const durationMs = option('duration', 5) * 1000;
  const connections = option('connections', 16);
  const rounds = option('rounds', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-'));
  const children: ChildProcess[] = [];
  try {
    synthesize(dir);
    // The bare server answers exactly what the emulator's MOCK route answers.
    const reference = LocalApi.fromAssembly(dir, { stack: 'BenchMock' });
    const mockAnswer = await reference.request({ method: 'GET', path: '/orders' });
    await reference.close();
    const servers = {
      bare: await startServer(['bare', String(mockAnswer.statusCode), JSON.stringify(mockAnswer.headers), mockAnswer.rawBody.toString('base64')]),
      mock: await startServer(['emulator', dir, 'BenchMock']),
      lambda: await startServer(['emulator', dir, 'BenchLambda']),
    };
    children.push(...Object.values(servers).map((s) => s.child));
    const dynamo = await startServer(['backends', dir, JSON.stringify(ITEM)]);
    children.push(dynamo.child);
    const dynamoUrl = `http://127.0.0.1:${dynamo.port}`;
    const data = await startServer(['emulator', dir, 'BenchData', JSON.stringify({ dynamodb: dynamoUrl })]);
    children.push(data.child);
    const targets: Array<[string, Target]> = [
      ['bare node:http (same bytes)', `http://127.0.0.1:${servers.bare.port}/bench/orders`],
      ['emulator: MOCK + response template ($input, $context, $util)', `http://127.0.0.1:${servers.mock.port}/bench/orders`],
      ['emulator: Lambda proxy (warm)', `http://127.0.0.1:${servers.lambda.port}/bench/orders`],
      ['direct DynamoDB GetItem to dynalite (signed, from the bench process)', directGetItem(dynamoUrl)],
      ['emulator: ServiceIntegrationRoute dynamoDbGetItem (dynalite)', `http://127.0.0.1:${data.port}/bench/items/item-1`],
      ['emulator: FanOutRoute, 3 branches (GetItem, Query, Lambda)', `http://127.0.0.1:${data.port}/bench/profiles/item-1`],
    ];
    const runs: LoadResult[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, [name, url]] of targets.entries()) runs[i].push(await measure(name, url, connections, durationMs, round === 0));
    }
    const results: Array<[string, LoadResult]> = targets.map(([name], i) => [name, median(runs[i])]);
    const bare = results[0][1].requestsPerSecond;
    const lines = [
      `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${connections} connections, ${durationMs / 1000} s a run after a warm-up, median of ${rounds} rounds`,
      '',
      '| server | requests/s | vs bare | p50 ms | p99 ms | failed |',
      '|---|---:|---:|---:|---:|---:|',
      ...results.map(([name, r]) => `| ${name} | ${r.requestsPerSecond.toFixed(0)} | ${(r.requestsPerSecond / bare * 100).toFixed(0)} % | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.failures > 0 ? `${r.failures} (${r.failedWith})` : 0} |`),
      '',
    ];
    const mock = results[1][1];
    const proxy = results[2][1];
    const check = (ok: boolean, what: string): string => `${ok ? 'PASS' : 'FAIL'} ${what}`;
    lines.push(check(mock.failures === 0 && mock.requestsPerSecond >= 0.5 * bare, `MOCK route at >= 50 % of the bare server's requests/s (${(mock.requestsPerSecond / bare * 100).toFixed(0)} %)`));
    lines.push(check(proxy.failures === 0 && proxy.p50Ms < 5, `Lambda proxy warm p50 < 5 ms (${proxy.p50Ms.toFixed(2)} ms)`));
    const [direct, getItem] = [results[3][1], results[4][1]];
    lines.push(`GetItem route at ${(getItem.requestsPerSecond / direct.requestsPerSecond * 100).toFixed(0)} % of a direct GetItem's requests/s (its ceiling)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (results.some(([, r]) => r.failures > 0)) process.exitCode = 1;
  } finally {
    for (const c of children) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
