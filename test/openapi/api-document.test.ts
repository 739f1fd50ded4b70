process.env.CDK_VALIDATION = 'false';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { addExampleStacks } from '../../examples/example-stacks';
import { ApiDocument } from '../../lib';
import { loadAssembly } from '../../lib/local/assembly';
import { routeTable } from '../../lib/local/router';
import { withPlaceholders } from '../../lib/openapi/placeholders';

/**
 * The OpenAPI document of every example API, written into the cloud assembly at synth and validated by
 * a real OpenAPI validator (@readme/openapi-parser), with and without API Gateway's extensions.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const context = require('../../cdk.json').context as Record<string, unknown>;

let outdir: string;
const written = new Map<string, Record<string, any>>();
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-'));
  const app = new App({ outdir, context });
  for (const stack of addExampleStacks(app)) {
    const api = stack.node.findAll().find((c): c is apigw.RestApi => c instanceof apigw.RestApiBase && Stack.of(c) === stack)!;
    new ApiDocument(stack, 'OpenApi', { api });
    new ApiDocument(stack, 'ImportableOpenApi', {
      api, includeIntegrations: true, yaml: true, title: `${stack.stackName} (importable)`, fileName: `${stack.artifactId}.Api.importable.openapi.json`,
    });
  }
  app.synth();
  for (const f of fs.readdirSync(outdir).filter((n) => n.endsWith('.openapi.json'))) written.set(f, JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const STACKS = ['ApigwPatternsFoundation', 'ApigwPatternsMocks', 'ApigwPatternsServiceIntegrations', 'ApigwPatternsHttpBackends', 'ApigwPatternsFanOut'];

test('one document per example API is in the cloud assembly, named <stack>.<api>.openapi.json, and the importable ones as asked', () => {
  expect([...written.keys()].sort()).toEqual(STACKS.flatMap((s) => [`${s}.Api.importable.openapi.json`, `${s}.Api.openapi.json`]).sort());
  expect(fs.readdirSync(outdir).filter((n) => n.endsWith('.yaml')).sort()).toEqual(STACKS.map((s) => `${s}.Api.importable.openapi.yaml`).sort());
});

test.each(STACKS.flatMap((s) => [`${s}.Api.openapi.json`, `${s}.Api.importable.openapi.json`]))(
  '%s validates with zero errors, and no unresolved token text is in it', async (file) => {
    const document = written.get(file)!;
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(JSON.stringify(document)).not.toMatch(/\$\{Token\[|\[object Object\]/);
  });

test('the YAML document says the same as the JSON one and validates too', async () => {
  const file = path.join(outdir, 'ApigwPatternsFoundation.Api.importable.openapi.yaml');
  const result = await validate(file);
  expect(result.valid ? [] : result.errors).toEqual([]);
});

describe('what the Foundation API document says', () => {
  const doc = (): Record<string, any> => written.get('ApigwPatternsFoundation.Api.openapi.json')!;
  const importable = (): Record<string, any> => written.get('ApigwPatternsFoundation.Api.importable.openapi.json')!;

  test('a server per stage, with the API id and region as placeholders', () => {
    expect(doc().servers).toEqual([{
      url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{basePath}',
      variables: { restApiId: { default: expect.stringMatching(/^\$\{Api[0-9A-F]{8}\}$/) }, region: { default: '${AWS::Region}' }, basePath: { default: 'prod' } },
    }]);
  });

  test('POST /orders: operationId, the required query parameter and body (a validator checks both), the model as a component, Cognito with its scope', () => {
    const post = doc().paths['/orders'].post;
    expect([post.operationId, post.description, post['x-cdk-apigateway-patterns-route']])
      .toEqual(['CreateOrder', 'Places an order for the signed-in caller (the orders/write scope) in one store', 'LambdaProxyRoute']);
    expect(post.parameters).toEqual([{ name: 'storeId', in: 'query', required: true, schema: { type: 'string' }, description: 'The store the order is placed in' }]);
    expect(post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateOrderRequest' } } } });
    expect(doc().components.schemas.CreateOrderRequest).toMatchObject({ type: 'object' });
    const [requirement] = post.security;
    const [scheme] = Object.keys(requirement);
    expect(requirement[scheme]).toEqual(['orders/write']);
    expect(doc().components.securitySchemes[scheme]).toEqual({ 'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools' });
    expect(post).not.toHaveProperty('x-amazon-apigateway-integration');
  });

  test('path parameters are required and named as in the path; OPTIONS preflights are documented without security', () => {
    const get = doc().paths['/orders/{orderId}'].get;
    expect(get.parameters).toContainEqual({ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } });
    expect(doc().paths['/orders/{orderId}'].options.security).toBeUndefined();
  });

  test('routes behind an API key name the x-api-key scheme', () => {
    const keyed = Object.values(doc().paths).flatMap((p: any) => Object.values(p)).filter((o: any) => (o.security ?? []).some((r: any) => 'api_key' in r));
    expect(keyed.length).toBeGreaterThan(0);
    expect(doc().components.securitySchemes.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
  });

  test('with integrations: the integration, the validator, the API\'s validators, gateway responses and the authorizer extension', () => {
    const post = importable().paths['/orders'].post;
    expect(post['x-amazon-apigateway-integration']).toEqual({
      type: 'aws_proxy', httpMethod: 'POST', uri: expect.stringMatching(/^arn:\$\{AWS::Partition\}:apigateway:\$\{AWS::Region\}:lambda:path\/2015-03-31\/functions\/\$\{Orders\w+\.Arn\}\/invocations$/),
    });
    const validator = post['x-amazon-apigateway-request-validator'];
    expect(importable()['x-amazon-apigateway-request-validators'][validator]).toEqual({ validateRequestBody: true, validateRequestParameters: true });
    expect(Object.keys(importable()['x-amazon-apigateway-gateway-responses'])).toEqual(expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX']));
    const schemes = Object.values(importable().components.securitySchemes) as any[];
    expect(schemes.map((s) => s['x-amazon-apigateway-authorizer']?.type).filter(Boolean).sort()).toEqual(['cognito_user_pools', 'token']);
    expect(JSON.stringify(importable())).not.toMatch(/Token\[/);
  });
});

describe('round trip: the importable document, imported by SpecRestApi into a fresh stack, has the same routes', () => {
  /** What a method is, as a comparable value: verb, path, integration, request parameters, responses. */
  function shape(m: import('../../lib/local/model').MethodModel): unknown {
    const i = m.Integration;
    return {
      route: `${m.HttpMethod} ${m.resourcePath}`,
      // The document declares every path parameter (OpenAPI requires it), declared by the route or not.
      requestParameters: Object.keys(m.RequestParameters).filter((k) => !k.startsWith('method.request.path.')).sort(),
      operationName: m.OperationName,
      responses: m.MethodResponses.map((r) => [r.StatusCode, Object.keys(r.ResponseParameters ?? {}).sort()]).sort(),
      integration: i && {
        type: i.Type, httpMethod: i.IntegrationHttpMethod, uri: i.Uri, credentials: i.Credentials, requestParameters: i.RequestParameters,
        requestTemplates: i.RequestTemplates, passthrough: i.PassthroughBehavior, contentHandling: i.ContentHandling, timeout: i.TimeoutInMillis,
        // Selection patterns are matched, not ordered: compare them as a set.
        responses: (i.IntegrationResponses ?? []).map((r) => [r.StatusCode, r.SelectionPattern, r.ResponseTemplates, r.ResponseParameters, r.ContentHandling])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      },
    };
  }

  function importedByRoute(api: import('../../lib/local/model').ApiModel, verb: string, resourcePath: string): import('../../lib/local/model').MethodModel {
    return routeTable(api.root).find((m) => m.HttpMethod === verb && m.resourcePath === resourcePath)!;
  }

  test.each(STACKS)('%s', (stack) => {
    const document = written.get(`${stack}.Api.importable.openapi.json`)!;
    const importDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-import-'));
    try {
      const app = new App({ outdir: importDir });
      new apigw.SpecRestApi(new Stack(app, 'Imported'), 'Api', { apiDefinition: apigw.ApiDefinition.fromInline(document), cloudWatchRole: false });
      app.synth();
      const imported = loadAssembly(importDir).apis[0];
      // The original, as its template says, with deploy-time values written as the document writes them.
      const original = loadAssembly(outdir).apis.find((a) => a.stackName === stack)!;
      const importedShapes = routeTable(imported.root).map(shape);
      const originalShapes = routeTable(original.root).map(shape);
      expect(importedShapes.map((s: any) => s.route)).toEqual(originalShapes.map((s: any) => s.route));
      for (const [n, s] of (importedShapes as any[]).entries()) {
        const o = originalShapes[n] as any;
        expect([s.route, s.requestParameters, s.operationName, s.responses]).toEqual([o.route, o.requestParameters, o.operationName, o.responses]);
        expect([s.route, s.integration?.type, s.integration?.httpMethod, s.integration?.passthrough, s.integration?.contentHandling, s.integration?.timeout])
          .toEqual([o.route, o.integration?.type, o.integration?.httpMethod, o.integration?.passthrough, o.integration?.contentHandling, o.integration?.timeout]);
        expect([s.route, s.integration?.responses.map((r: unknown[]) => [r[0], r[1], r[4]])]).toEqual([o.route, o.integration?.responses.map((r: unknown[]) => [r[0], r[1], r[4]])]);
        expect([s.route, Object.keys(s.integration?.requestTemplates ?? {})]).toEqual([o.route, Object.keys(o.integration?.requestTemplates ?? {})]);
      }
      // Text for text: the template's integrations, deploy-time values as the document writes them.
      const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8')) as { Resources: Record<string, any> };
      let compared = 0;
      for (const m of routeTable(original.root)) {
        const raw = withPlaceholders(template.Resources[m.logicalId.replace(/^.*\//, '')].Properties.Integration) as Record<string, any>;
        const back = importedByRoute(imported, m.HttpMethod, m.resourcePath).Integration!;
        compared++;
        expect([m.logicalId, back.Uri, back.Credentials, back.RequestTemplates, back.RequestParameters])
          .toEqual([m.logicalId, raw.Uri, raw.Credentials, raw.RequestTemplates, raw.RequestParameters]);
        const byPattern = (list: any[] | undefined): any[] => (list ?? []).map((r) => [r.SelectionPattern, r.ResponseTemplates, r.ResponseParameters])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        expect([m.logicalId, byPattern(back.IntegrationResponses)]).toEqual([m.logicalId, byPattern(raw.IntegrationResponses)]);
      }
      expect(compared).toBeGreaterThan(3);
    } finally {
      fs.rmSync(importDir, { recursive: true, force: true });
    }
  });
});
