import * as fs from 'node:fs';
import * as path from 'node:path';
import { FoundationStack } from '../../examples/foundation-stack';
import { assemblyFolder, parseArgs, serve } from '../../lib/local/cli';
import { LOCAL_STATE_DIR, mintFromAssembly, parseTokenArgs } from '../../lib/local/cli-token';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize, tempDir } from './assemblies';
import { synthesizeMocks } from './example-assemblies';
import { httpRequest } from './http-client';

const root = path.join(__dirname, '..', '..');

test('parseArgs: serve with its options and defaults; bad usage is refused with a message', () => {
  expect(parseArgs(['serve'])).toEqual({ app: 'cdk.out', port: 3000, host: '127.0.0.1', stack: undefined, stage: undefined, vpcLinks: {}, stageVariables: {} });
  expect(parseArgs(['serve', '--vpc-link', 'vpclink-1=http://127.0.0.1:8080', '--vpc-link=my-nlb.elb.amazonaws.com=https://localhost:8443/base']).vpcLinks)
    .toEqual({ 'vpclink-1': 'http://127.0.0.1:8080', 'my-nlb.elb.amazonaws.com': 'https://localhost:8443/base' });
  expect(() => parseArgs(['serve', '--vpc-link', 'vpclink-1'])).toThrow(/expected ID=URL/);
  expect(parseArgs(['serve', '--stage-variable', 'backendUrl=http://127.0.0.1:8080', '--stage-variable=empty=']).stageVariables).toEqual({ backendUrl: 'http://127.0.0.1:8080', empty: '' });
  expect(() => parseArgs(['serve', '--stage-variable', 'no-equals'])).toThrow(/expected NAME=VALUE/);
  expect(parseArgs(['serve', '--endpoint', 'dynamodb=http://127.0.0.1:8000', '--endpoint=sqs=http://127.0.0.1:9324', '--endpoint-url', 'http://127.0.0.1:4566']))
    .toMatchObject({ endpoints: { dynamodb: 'http://127.0.0.1:8000', sqs: 'http://127.0.0.1:9324' }, endpointUrl: 'http://127.0.0.1:4566' });
  expect(() => parseArgs(['serve', '--endpoint', 'dynamodb'])).toThrow(/expected SERVICE=URL/);
  expect(parseArgs(['serve', '--backends', 'local']).backends).toBe('local');
  expect(() => parseArgs(['serve', '--backends', 'docker'])).toThrow('--backends docker: the only value is local');
  expect(parseArgs(['serve', '--app', 'out', '--stack=S', '--stage', 'dev', '--port', '4000', '--host', '0.0.0.0']))
    .toEqual({ app: 'out', stack: 'S', stage: 'dev', port: 4000, host: '0.0.0.0', vpcLinks: {}, stageVariables: {} });
  expect(() => parseArgs([])).toThrow(/^Usage: cdk-apigateway-patterns serve/);
  expect(() => parseArgs(['deploy'])).toThrow(/^unknown command deploy/);
  expect(() => parseArgs(['serve', '--port', 'x'])).toThrow('--port x is not a port number');
  expect(() => parseArgs(['serve', '--nope'])).toThrow(/^unknown option --nope/);
  expect(parseArgs(['serve', '--watch']).watch).toBe(true);
  expect(() => parseArgs(['serve', '--app'])).toThrow('--app needs a value');
});

describe('serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesizeMocks();
  });
  afterAll(() => removeDir(dir));

  test('prints one line per API with its URL, then the route table, and serves each API', async () => {
    const lines: string[] = [];
    const apis = await serve({ app: dir, port: 0, host: '127.0.0.1' }, (l) => lines.push(l));
    try {
      expect(apis).toHaveLength(1);
      expect(lines[0]).toMatch(/^ApigwPatternsMocks\/Api http:\/\/127\.0\.0\.1:\d+\/dev\/$/);
      expect(lines).toEqual(expect.arrayContaining(['ApigwPatternsMocks/Api (stages: dev)', '  GET     /mock/orders/{orderId}  (MOCK)', '  OPTIONS /test  (MOCK)']));
      const url = lines[0].split(' ')[1];
      expect((await httpRequest(`${url}health`)).body).toBe('{"status":"ok"}');
      expect(lines[lines.length - 1]).toMatch(/^GET \/dev\/health -> GET \/health \[MOCK\] 200 /);
    } finally {
      await Promise.all(apis.map((a) => a.close()));
    }
  });

  test('--app naming a folder that does not exist is refused with a hint', () => {
    expect(() => assemblyFolder('no-such-cdk.out', dir)).toThrow(/no-such-cdk\.out: no such cloud assembly folder; run 'cdk synth' first/);
  });

  test('--stage and --stack that match nothing are refused with a message', async () => {
    await expect(serve({ app: dir, port: 0, host: '127.0.0.1', stage: 'prod' }, () => undefined)).rejects.toThrow(/no REST API to serve with a stage prod/);
    await expect(serve({ app: dir, port: 0, host: '127.0.0.1', stack: 'Other' }, () => undefined)).rejects.toThrow(/no REST API to serve in stack Other/);
  });

  test('--app as a command: run as the CDK CLI runs an app (CDK_OUTDIR, cdk.json context in CDK_CONTEXT_JSON)', () => {
    const cwd = tempDir('app-cmd');
    try {
      fs.writeFileSync(path.join(cwd, 'cdk.json'), JSON.stringify({ context: { answer: 42 } }));
      const script = `const fs=require('fs');fs.cpSync(${JSON.stringify(dir)},process.env.CDK_OUTDIR,{recursive:true});`
        + "fs.writeFileSync(process.env.CDK_OUTDIR+'/context.json',process.env.CDK_CONTEXT_JSON)";
      const out = assemblyFolder(`node -e "${script.replace(/"/g, '\\"')}"`, cwd);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'context.json'), 'utf8'))).toEqual({ answer: 42 });
      expect(LocalApi.fromAssembly(out).model.constructPath).toBe('ApigwPatternsMocks/Api');
      removeDir(out);
    } finally {
      removeDir(cwd);
    }
  });
});

test('the package: a bin from the built CLI (with its shebang), a ./local subpath export, and nothing of it in the jsii API', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(pkg.bin).toEqual({ 'cdk-apigateway-patterns': 'dist/local/cli.js' });
  expect(pkg.exports['./local']).toEqual({ types: './dist/local/index.d.ts', default: './dist/local/index.js' });
  expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  expect(pkg.exports['./package.json']).toBe('./package.json');
  expect(pkg.typesVersions['*'].local).toEqual(['dist/local/index.d.ts']);
  expect(fs.readFileSync(path.join(root, 'lib', 'local', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(fs.readFileSync(path.join(root, 'lib', 'index.ts'), 'utf8')).not.toMatch(/local/);
});

describe('token', () => {
  test('parseTokenArgs: scopes, claims, groups, type and expiry; bad usage is refused', () => {
    expect(parseTokenArgs(['--api', 'S/Api', '--scope', 'orders/write', '--claim', 'email=me@example.com', '--claim=tier=gold', '--group', 'admins', '--sub', 'u1', '--expires', '60']))
      .toEqual({ app: 'cdk.out', stack: undefined, api: 'S/Api', mint: { scopes: ['orders/write'], claims: { email: 'me@example.com', tier: 'gold' }, groups: ['admins'], sub: 'u1', expiresInSeconds: 60 } });
    expect(parseTokenArgs(['--id-token']).mint).toEqual({ tokenUse: 'id' });
    expect(() => parseTokenArgs(['--claim', 'nope'])).toThrow(/expected NAME=VALUE/);
    expect(() => parseTokenArgs(['--expires', '-1'])).toThrow(/not a number of seconds/);
    expect(() => parseTokenArgs(['--bogus'])).toThrow(/^unknown option --bogus/);
  });

  test('a token minted by the command (key in <cwd>/.apigw-local) is accepted by an API served with the same key folder, and not by one with another key', async () => {
    const dir = synthesize('token-cli', (app) => new FoundationStack(app, 'ApigwPatternsFoundation'));
    const cwd = tempDir('token-cwd');
    try {
      const token = mintFromAssembly(dir, parseTokenArgs(['--claim', 'email=cli@example.com', '--sub', 'cli-user']), cwd);
      expect(fs.existsSync(path.join(cwd, LOCAL_STATE_DIR, 'local-cognito-signing-key.pem'))).toBe(true);
      const sameKey = LocalApi.fromAssembly(dir, { cognitoKeyDir: path.join(cwd, LOCAL_STATE_DIR) });
      const otherKey = LocalApi.fromAssembly(dir);
      try {
        const ok = await sameKey.request({ method: 'GET', path: '/private', headers: { Authorization: token } });
        expect([ok.statusCode, JSON.parse(ok.body)]).toEqual([200, expect.objectContaining({ via: 'cognito', sub: 'cli-user', email: 'cli@example.com' })]);
        expect((await otherKey.request({ method: 'GET', path: '/private', headers: { Authorization: token } })).statusCode).toBe(401);
      } finally {
        await sameKey.close();
        await otherKey.close();
      }
      expect(() => mintFromAssembly(dir, parseTokenArgs(['--pool', 'us-east-1_Nope']), cwd)).toThrow(/has no Cognito authorizer for user pool us-east-1_Nope/);
    } finally {
      removeDir(dir);
      removeDir(cwd);
    }
  });
});
