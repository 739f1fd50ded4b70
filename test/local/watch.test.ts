import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { serve } from '../../lib/local/cli';
import { LocalApi } from '../../lib/local/local-api';
import { AssemblyWatcher } from '../../lib/local/watch';
import { removeDir, tempDir } from './assemblies';
import { httpRequest } from './http-client';

/** `serve --watch`: a new synth into the served folder is picked up on the same port; a broken one is not. */
function synthInto(dir: string, route: string): void {
  const app = new App({ outdir: dir });
  const stack = new Stack(app, 'Watched');
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'dev' } });
  api.root.addResource(route).addMethod('GET', new apigw.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': `{"route": "${route}"}` } }],
  }), { methodResponses: [{ statusCode: '200' }] });
  app.synth();
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let dir: string;
let apis: LocalApi[];
let watcher: AssemblyWatcher | undefined;
const lines: string[] = [];

beforeAll(async () => {
  process.env.CDK_VALIDATION = 'false';
  dir = tempDir('watch');
  synthInto(dir, 'first');
  apis = await serve({ app: dir, port: 0, host: '127.0.0.1', watch: true }, (l) => lines.push(l), (w) => {
    watcher = w;
  });
});
afterAll(async () => {
  delete process.env.CDK_VALIDATION;
  watcher?.close();
  await Promise.all(apis.map((a) => a.close()));
  removeDir(dir);
});

test('a new synth into the folder is served on the same port; the old route is gone', async () => {
  const url = lines[0].split(' ')[1];
  expect(JSON.parse((await httpRequest(`${url}first`)).body)).toEqual({ route: 'first' });
  expect(lines).toContain(`watching ${dir} for changes`);
  synthInto(dir, 'second');
  await until(() => lines.some((l) => l.startsWith('reloaded Watched/Api')), 'the reload');
  await watcher!.settled();
  expect(lines).toContain('reloaded Watched/Api (1 routes)');
  expect(JSON.parse((await httpRequest(`${url}second`)).body)).toEqual({ route: 'second' });
  expect((await httpRequest(`${url}first`)).statusCode).toBe(403);
  // The served list holds the new version (closing it closes the server).
  expect(apis[0].routes()).toEqual([expect.stringContaining('/second')]);
});

test('a manifest that cannot be read keeps the previous version serving, and says why', async () => {
  const url = lines[0].split(' ')[1];
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{ "version": ');
  await until(() => lines.some((l) => l.startsWith('reload failed')), 'the failed reload');
  expect(lines.find((l) => l.startsWith('reload failed'))).toMatch(/still serving the previous version/);
  expect((await httpRequest(`${url}second`)).statusCode).toBe(200);
});

test('--watch with --app COMMAND is refused with what to do instead', async () => {
  await expect(serve({ app: 'node -e "process.exit(0)"', port: 0, host: '127.0.0.1', watch: true }, () => undefined))
    .rejects.toThrow(/--watch reloads an assembly folder/);
});

test('a hand-over lets requests already in flight finish on the old version, its function included', async () => {
  const slowDir = tempDir('handover');
  try {
    const app = new App({ outdir: slowDir });
    const stack = new Stack(app, 'Slow');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return { statusCode: 200, body: "slow" }; };'),
    });
    new apigw.LambdaRestApi(stack, 'Api', { handler: fn, deployOptions: { stageName: 'dev' } });
    app.synth();
    const old = LocalApi.fromAssembly(slowDir);
    const { url } = await old.listen(0);
    const inFlight = httpRequest(`${url}anything`);
    await new Promise((r) => setTimeout(r, 100));
    const next = LocalApi.fromAssembly(slowDir);
    const handedOver = old.handOver(next);
    expect(await inFlight).toMatchObject({ statusCode: 200, body: 'slow' });
    await handedOver;
    expect((await httpRequest(`${url}again`)).body).toBe('slow');
    await next.close();
  } finally {
    removeDir(slowDir);
  }
});
