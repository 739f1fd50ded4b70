import { addExampleStacks } from '../../examples/example-stacks';
import { LocalApi } from '../../lib/local/local-api';
import { routeTable } from '../../lib/local/router';
import { removeDir, synthesize } from './assemblies';

/** The whole example app, as `cdk synth` builds it: every API loads and every route answers. */
let dir: string;
let apis: LocalApi[];
const logLines: string[] = [];
beforeAll(() => {
  dir = synthesize('example-app', (app) => addExampleStacks(app));
  apis = LocalApi.allFromAssembly(dir, { log: (l) => logLines.push(l) });
});
afterAll(() => removeDir(dir));

test('every example stack\'s API loads, with nothing skipped', () => {
  expect(apis.map((a) => a.model.constructPath)).toEqual([
    'ApigwPatternsFoundation/Api', 'ApigwPatternsMocks/Api', 'ApigwPatternsServiceIntegrations/Api', 'ApigwPatternsHttpBackends/Api', 'ApigwPatternsFanOut/Api',
  ]);
  expect(apis[0].warnings).toEqual([]);
});

test('every route answers: MOCKs run, the other types answer 502 naming themselves, and nothing fails inside the emulator', async () => {
  const seen = new Map<string, Set<number>>();
  for (const api of apis) {
    for (const m of routeTable(api.model.root)) {
      const method = m.HttpMethod === 'ANY' ? 'GET' : m.HttpMethod;
      const body = method === 'GET' || method === 'OPTIONS' ? undefined : '{}';
      const r = await api.request({ method, path: m.resourcePath.replace(/\{[^}]+\}/g, 'x1'), headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:3000' }, body });
      const type = m.Integration!.Type;
      seen.set(type, new Set([...(seen.get(type) ?? []), r.statusCode]));
      if (type === 'MOCK') expect([m.logicalId, r.statusCode < 400]).toEqual([m.logicalId, true]);
      else expect([m.logicalId, r.statusCode, JSON.parse(r.body).message]).toEqual([m.logicalId, 502, expect.stringContaining('the emulator does not run')]);
    }
  }
  expect([...seen.keys()].sort()).toEqual(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']);
  expect(logLines.filter((l) => /emulator error/.test(l))).toEqual([]);
});
