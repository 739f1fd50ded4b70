import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FoundationStack } from '../../../examples/foundation-stack';
import { HttpBackendsStack } from '../../../examples/http-backends-stack';
import {
  assetPathOf, buildProxyEvent, CfnResourceLike, functionSpecFromTemplate, LocalFunction, parseProxyResponse, UnsupportedFunctionError,
} from '../../../lib/local/lambda';

/*
 * Functions read from synthesized templates and run: the example app's inline (ZipFile) handlers,
 * a folder asset found through its aws:asset:path metadata, and the runtimes that are refused.
 */

type Template = { Resources: Record<string, CfnResourceLike> };

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'example-fns-'));
const inlineCodeRoot = path.join(root, 'inline');
const functions: LocalFunction[] = [];
afterAll(async () => {
  await Promise.all(functions.map((f) => f.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

function synth(build: (app: App) => Stack[], context: Record<string, unknown> = {}): { dir: string; templates: Map<string, Template> } {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../cdk.json'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(root, 'cdk.out-'));
  const app = new App({ outdir: dir, context: { ...cdkJson.context, ...context } });
  const stacks = build(app);
  const assembly = app.synth();
  return { dir, templates: new Map(stacks.map((s) => [s.stackName, assembly.getStackArtifact(s.artifactId).template as Template])) };
}

function functionOf(dir: string, stackName: string, template: Template, idPrefix: string, timeoutMs?: number): LocalFunction {
  const [logicalId, resource] = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(idPrefix))!;
  const spec = functionSpecFromTemplate(logicalId, resource, { assemblyDir: dir, stackName, inlineCodeRoot, timeoutMs });
  const f = new LocalFunction(spec, { onLog: () => undefined });
  functions.push(f);
  return f;
}

describe('the example app\'s inline handlers', () => {
  let dir: string;
  let foundation: Template;
  let httpBackends: Template;
  beforeAll(() => {
    const out = synth((app) => [new FoundationStack(app, 'ApigwPatternsFoundation'), new HttpBackendsStack(app, 'ApigwPatternsHttpBackends')]);
    dir = out.dir;
    foundation = out.templates.get('ApigwPatternsFoundation')!;
    httpBackends = out.templates.get('ApigwPatternsHttpBackends')!;
  });

  const request = (method: string, p: string, headers: Record<string, string> = {}, query: Record<string, string> = {}, body = '') => ({
    method, path: p, headers, query, body: Buffer.from(body), sourceIp: '127.0.0.1',
  });

  test('the spec carries the template\'s handler, runtime, environment, timeout and memory', () => {
    const [logicalId, resource] = Object.entries(foundation.Resources).find(([id]) => id.startsWith('ProductsFunction') && !id.includes('Role') && !id.includes('Logs'))!;
    const spec = functionSpecFromTemplate(logicalId, resource, { assemblyDir: dir, stackName: 'ApigwPatternsFoundation', inlineCodeRoot });
    expect(spec).toMatchObject({
      functionName: `ApigwPatternsFoundation-${logicalId}`,
      runtime: 'nodejs26.x',
      handler: 'index.handler',
      environment: { ALLOWED_ORIGINS: 'https://app.example.com,https://admin.example.com' },
      timeoutMs: 10000,
      memorySizeMb: 256,
    });
    expect(fs.readFileSync(path.join(spec.codeDir, 'index.js'), 'utf8')).toBe((resource.Properties!.Code as { ZipFile: string }).ZipFile);
    // This test process is not Node.js 26: the spec says so for the log.
    if (!process.versions.node.startsWith('26.')) expect(spec.warnings).toEqual([expect.stringMatching(/nodejs26\.x runs locally on this process's Node\.js/)]);
  });

  test('numeric strings from resolved intrinsics, layers noted', () => {
    const spec = functionSpecFromTemplate('Fn', {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' }, Timeout: '7', MemorySize: '512', Layers: ['arn:aws:lambda:us-east-1:1:layer:x:1'] },
    }, { assemblyDir: dir, inlineCodeRoot });
    expect(spec).toMatchObject({ timeoutMs: 7000, memorySizeMb: 512 });
    expect(spec.warnings).toContainEqual(expect.stringMatching(/1 layer\(s\) are not loaded locally/));
  });

  test('products: a proxy event in, a proxy answer out, CORS origin reflected from the function\'s environment', async () => {
    const f = functionOf(dir, 'ApigwPatternsFoundation', foundation, 'ProductsFunction');
    const event = buildProxyEvent({
      request: request('GET', '/products/p1', { Origin: 'https://admin.example.com' }, { currency: 'EUR' }),
      resourcePath: '/products/{productId}', resourceId: 'res', pathParameters: { productId: 'p1' }, stage: 'prod', apiId: 'api',
    });
    const result = await f.invoke(event);
    const parsed = parseProxyResponse(result.payload, result.functionError !== undefined);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.response.statusCode).toBe(200);
    expect(parsed.response.multiValueHeaders['Access-Control-Allow-Origin']).toEqual(['https://admin.example.com']);
    expect(JSON.parse(parsed.response.body.toString())).toEqual({ productId: 'p1', currency: 'EUR', name: 'Coffee', priceCents: 450 });
    const missing = await f.invoke(buildProxyEvent({
      request: request('GET', '/products/p9'), resourcePath: '/products/{productId}', resourceId: 'res', pathParameters: { productId: 'p9' }, stage: 'prod', apiId: 'api',
    }));
    expect(missing.coldStart).toBe(false);
    expect(JSON.parse(missing.payload).statusCode).toBe(404);
  });

  test('orders: the Cognito claims reach the handler through requestContext.authorizer', async () => {
    const f = functionOf(dir, 'ApigwPatternsFoundation', foundation, 'OrdersFunction');
    const event = buildProxyEvent({
      request: request('POST', '/orders', { 'Content-Type': 'application/json' }, { storeId: 's-1' }, '{"items":[{"productId":"p1","quantity":2}]}'),
      resourcePath: '/orders', resourceId: 'res', stage: 'prod', apiId: 'api', requestId: 'req-42',
      authorizer: { claims: { sub: 'user-7' } },
    });
    const body = JSON.parse(JSON.parse((await f.invoke(event)).payload).body);
    expect(body).toMatchObject({ customer: 'user-7', orderId: 'req-42', storeId: 's-1', status: 'PENDING' });
    const anonymous = await f.invoke(buildProxyEvent({ request: request('GET', '/orders'), resourcePath: '/orders', resourceId: 'res', stage: 'prod', apiId: 'api' }));
    expect(JSON.parse(anonymous.payload).statusCode).toBe(401);
  });

  test('the TOKEN authorizer: a policy for a good token, errorMessage "Unauthorized" for a bad one', async () => {
    const f = functionOf(dir, 'ApigwPatternsFoundation', foundation, 'TokenAuthorizerFunction');
    const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/whoami';
    const allowed = await f.invoke({ type: 'TOKEN', authorizationToken: 'Bearer user-ada', methodArn });
    expect(JSON.parse(allowed.payload)).toMatchObject({ principalId: 'ada', context: { userId: 'ada', tier: 'standard' } });
    const denied = await f.invoke({ type: 'TOKEN', authorizationToken: 'Bearer nobody!', methodArn });
    expect(denied.functionError).toBe('Unhandled');
    expect(JSON.parse(denied.payload)).toMatchObject({ errorType: 'Error', errorMessage: 'Unauthorized' });
  });

  test('the legacy adapter (Lambda custom): a tagged error message for the integration response regex', async () => {
    const f = functionOf(dir, 'ApigwPatternsHttpBackends', httpBackends, 'LegacyCustomersFn');
    const found = await f.invoke({ OPERATION: 'LOOKUP', CUST_NO: 'C7', OWNER_ID: 'u-1', REQ_ID: 'r1' });
    expect(found.functionError).toBeUndefined();
    expect(JSON.parse(found.payload)).toMatchObject({ CUST_NO: 'C7', STATUS_CD: 'A' });
    const notFound = await f.invoke({ OPERATION: 'LOOKUP', CUST_NO: 'C0', OWNER_ID: 'u-1', REQ_ID: 'r2' });
    expect(notFound.functionError).toBe('Unhandled');
    expect(JSON.parse(notFound.payload).errorMessage).toBe('[NotFound] customer C0 does not exist');
    expect(parseProxyResponse(notFound.payload, true)).toMatchObject({ ok: false });
  });
});

describe('asset code and refused functions', () => {
  let dir: string;
  let template: Template;
  let assetDir: string;
  beforeAll(() => {
    assetDir = path.join(root, 'asset-src');
    fs.mkdirSync(path.join(assetDir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(assetDir, 'src', 'app.mjs'), 'export const handler = async (event) => ({ statusCode: 200, body: "asset " + process.env.GREETING + " " + event.path });\n');
    fs.writeFileSync(path.join(assetDir, 'hang.js'), 'exports.handler = () => new Promise(() => {});\n');
    // The CLI turns asset metadata on for every synth; an App in a test must ask for it.
    const out = synth((app) => {
      const stack = new Stack(app, 'AssetStack');
      new lambda.Function(stack, 'AssetFn', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'src/app.handler', code: lambda.Code.fromAsset(assetDir), environment: { GREETING: 'hello' },
      });
      new lambda.Function(stack, 'HangFn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'hang.handler', code: lambda.Code.fromAsset(assetDir), timeout: Duration.seconds(1) });
      new lambda.Function(stack, 'PythonFn', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): return 1') });
      return [stack];
    }, { 'aws:cdk:enable-asset-metadata': true });
    dir = out.dir;
    template = out.templates.get('AssetStack')!;
  });

  test('the asset folder comes from the resource\'s aws:asset:path metadata and the assembly folder', async () => {
    const [logicalId, resource] = Object.entries(template.Resources).find(([id, r]) => id.startsWith('AssetFn') && r.Type === 'AWS::Lambda::Function')!;
    const folder = assetPathOf(resource, dir)!;
    expect(path.dirname(folder)).toBe(dir);
    expect(fs.readFileSync(path.join(folder, 'src', 'app.mjs'), 'utf8')).toContain('asset');
    const f = new LocalFunction(functionSpecFromTemplate(logicalId, resource, { assemblyDir: dir, stackName: 'AssetStack' }), { onLog: () => undefined });
    functions.push(f);
    expect(f.spec.timeoutMs).toBe(3000); // Lambda's default when the template gives none
    expect(JSON.parse((await f.invoke({ path: '/x' })).payload)).toEqual({ statusCode: 200, body: 'asset hello /x' });
    expect(assetPathOf({ Type: 'AWS::Lambda::Function', Metadata: {} }, dir)).toBeUndefined();
  });

  test('without asset metadata (a plain app.synth()), the asset manifest gives the folder from the S3Key', async () => {
    const out = synth((app) => {
      const stack = new Stack(app, 'NoMetadataStack');
      new lambda.Function(stack, 'AssetFn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'src/app.handler', code: lambda.Code.fromAsset(assetDir) });
      return [stack];
    });
    const [logicalId, resource] = Object.entries(out.templates.get('NoMetadataStack')!.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    expect(resource.Metadata?.['aws:asset:path']).toBeUndefined();
    const folder = assetPathOf(resource, out.dir)!;
    expect(fs.readFileSync(path.join(folder, 'src', 'app.mjs'), 'utf8')).toContain('asset');
    const f = new LocalFunction(functionSpecFromTemplate(logicalId, resource, { assemblyDir: out.dir }), { onLog: () => undefined });
    functions.push(f);
    expect(JSON.parse((await f.invoke({ path: '/y' })).payload).statusCode).toBe(200);
  });

  test('the template\'s whole-second Timeout is enforced', async () => {
    const f = functionOf(dir, 'AssetStack', template, 'HangFn');
    expect(f.spec.timeoutMs).toBe(1000);
    const r = await f.invoke({});
    expect(JSON.parse(r.payload).errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
  });

  test('other runtimes and code the emulator cannot load are errors naming the function', () => {
    const [logicalId, python] = Object.entries(template.Resources).find(([id, r]) => id.startsWith('PythonFn') && r.Type === 'AWS::Lambda::Function')!;
    expect(() => functionSpecFromTemplate(logicalId, python, { assemblyDir: dir, stackName: 'AssetStack' }))
      .toThrow(new UnsupportedFunctionError(`AssetStack-${logicalId}`, 'runtime python3.12 is not run locally (Node.js runtimes only)'));
    expect(() => functionSpecFromTemplate('S3Fn', {
      Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'from-s3', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { S3Bucket: 'b', S3Key: 'k.zip' } },
    }, { assemblyDir: dir })).toThrow(/Lambda function from-s3: its code is neither inline \(ZipFile\) nor an asset of this cloud assembly/);
    expect(() => functionSpecFromTemplate('ImageFn', {
      Type: 'AWS::Lambda::Function', Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } },
    }, { assemblyDir: dir })).toThrow(/Lambda function ImageFn: container image functions/);
  });
});
