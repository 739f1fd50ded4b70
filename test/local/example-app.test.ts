import { addExampleStacks } from '../../examples/example-stacks';
import { LocalApi } from '../../lib/local/local-api';
import { routeTable } from '../../lib/local/router';
import { removeDir, synthesize } from './assemblies';
import { credentialsFor } from './credentials';

/** The whole example app, as `cdk synth` builds it: every API loads and every route answers. */
let dir: string;
let apis: LocalApi[];
const logLines: string[] = [];
beforeAll(() => {
  dir = synthesize('example-app', (app) => addExampleStacks(app));
  apis = LocalApi.allFromAssembly(dir, { log: (l) => logLines.push(l) });
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  removeDir(dir);
});

test('every example stack\'s API loads, with nothing skipped', () => {
  expect(apis.map((a) => a.model.constructPath)).toEqual([
    'ApigwPatternsFoundation/Api', 'ApigwPatternsMocks/Api', 'ApigwPatternsServiceIntegrations/Api', 'ApigwPatternsHttpBackends/Api', 'ApigwPatternsFanOut/Api',
  ]);
  expect(apis[0].warnings).toEqual([]);
});

test('every route answers: without credentials an authorized route is refused as AWS refuses it; with them MOCKs and Lambda functions run, AWS service integrations without an endpoint answer 502 naming the option, and nothing fails inside the emulator', async () => {
  const seen = new Map<string, Set<number>>();
  for (const api of apis) {
    for (const m of routeTable(api.model.root)) {
      const type = m.Integration!.Type;
      // HTTP routes of the example go to example.com hosts: their own tests point them at local servers.
      if (type === 'HTTP' || type === 'HTTP_PROXY') continue;
      const method = m.HttpMethod === 'ANY' ? 'GET' : m.HttpMethod;
      const body = method === 'GET' || method === 'OPTIONS' ? undefined : '{}';
      const request = { method, path: m.resourcePath.replace(/\{[^}]+\}/g, 'x1'), body };
      const headers = { 'Content-Type': 'application/json', 'Origin': 'http://localhost:3000' };
      if (m.AuthorizationType !== 'NONE' || m.ApiKeyRequired) {
        const refused = await api.request({ ...request, headers });
        const expected = m.AuthorizationType === 'AWS_IAM' ? [403, 'Missing Authentication Token']
          : m.AuthorizationType !== 'NONE' ? [401, 'Unauthorized'] : [403, 'Forbidden'];
        expect([m.logicalId, refused.statusCode, JSON.parse(refused.body).message]).toEqual([m.logicalId, ...expected]);
      }
      const r = await api.request({ ...request, headers: { ...headers, ...credentialsFor(api, m) } });
      seen.set(type, new Set([...(seen.get(type) ?? []), r.statusCode]));
      expect([m.logicalId, r.statusCode === 401 || r.statusCode === 403]).toEqual([m.logicalId, false]);
      if (type === 'MOCK') expect([m.logicalId, r.statusCode < 400]).toEqual([m.logicalId, true]);
      const runsLocally = /:states:action\/StartSyncExecution/.test(m.Integration!.Uri!);
      if (runsLocally) {
        // Its state machine runs in the emulator: a Lambda target answers; a DynamoDB branch without an endpoint fails the execution, saying why in the log.
        expect([m.logicalId, [200, 400, 502].includes(r.statusCode)]).toEqual([m.logicalId, true]);
      } else if (type === 'AWS' && !m.Integration!.Uri!.includes(':lambda:path/')) {
        // The request carries no parameters and an empty object: a validated route refuses it first.
        const expected = r.statusCode === 400 ? /^(Missing required request parameters: \[|Invalid request body$)/ : /: no endpoint for (dynamodb|sqs|sns|events|kinesis|s3|states) \(.*\): give one with --endpoint \1=URL or --endpoint-url URL/;
        expect([m.logicalId, r.statusCode === 400 || r.statusCode === 502, JSON.parse(r.body).message]).toEqual([m.logicalId, true, expect.stringMatching(expected)]);
      }
    }
  }
  expect([...seen.keys()].sort()).toEqual(['AWS', 'AWS_PROXY', 'MOCK']);
  expect(logLines.filter((l) => /emulator error/.test(l))).toEqual([]);
  expect(logLines).toEqual(expect.arrayContaining([
    expect.stringMatching(/step functions express execution .* FAILED in \d+ ms: Emulator\.Unsupported: dynamodb:GetItem: no endpoint for dynamodb: give one with --endpoint dynamodb=URL/),
  ]));
});

test('an API with several stages (scenario 8: dev and prod) serves each under its own prefix, with its own stage variables', async () => {
  const api = apis.find((a) => a.model.constructPath === 'ApigwPatternsHttpBackends/Api')!;
  expect([...api.stageNames].sort()).toEqual(['dev', 'prod']);
  const variables = Object.fromEntries(api.model.stages.map((s) => [s.StageName, s.Variables]));
  expect(variables.dev).not.toEqual(variables.prod);
  const { url, port } = await api.listen(0);
  try {
    expect(url).toBe(`http://127.0.0.1:${port}/${api.stageNames[0]}/`);
    const { httpRequest } = await import('./http-client');
    // A route that does not leave the machine (HTTP routes go to the stage's example.com host).
    const first = routeTable(api.model.root).find((m) => m.HttpMethod === 'GET' && !m.Integration!.Type.startsWith('HTTP'))!;
    for (const stage of ['dev', 'prod']) {
      const r = await httpRequest(`http://127.0.0.1:${port}/${stage}${first.resourcePath.replace(/\{[^}]+\}/g, 'x1')}`);
      expect([stage, r.statusCode]).toEqual([stage, first.Integration!.Type === 'MOCK' ? 200 : expect.any(Number)]);
    }
    expect((await httpRequest(`http://127.0.0.1:${port}/staging/`)).body).toBe('{"message":"Missing Authentication Token"}');
  } finally {
    await api.close();
  }
});

test('each stack\'s user pool has its own local id: a token minted for one API\'s pool is refused by another stack\'s API', async () => {
  const foundation = apis.find((a) => a.model.constructPath === 'ApigwPatternsFoundation/Api')!;
  const backends = apis.find((a) => a.model.constructPath === 'ApigwPatternsHttpBackends/Api')!;
  expect(foundation.cognitoUserPools()[0].userPoolId).not.toBe(backends.cognitoUserPools()[0].userPoolId);
  const token = foundation.mintToken({ sub: 'u1' });
  expect((await foundation.request({ method: 'GET', path: '/private', headers: { Authorization: token } })).statusCode).toBe(200);
  expect((await backends.request({ method: 'GET', path: '/orders', headers: { Authorization: token } })).statusCode).toBe(401);
});
