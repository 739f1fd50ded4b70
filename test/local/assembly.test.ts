import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiNestedStack, MockRoute } from '../../lib';
import { loadAssembly } from '../../lib/local/assembly';
import { LocalApi } from '../../lib/local/local-api';
import { localId } from '../../lib/local/intrinsics';
import { ApiModel, AssemblyModel } from '../../lib/local/model';
import { removeDir, synthesize } from './assemblies';
import { synthesizeMocks } from './example-assemblies';

function methodsOf(api: ApiModel): string[] {
  return [...api.resources.values()].flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.path}`)).sort();
}

describe('the example app\'s Mocks stack (scenario 2)', () => {
  let dir: string;
  let model: AssemblyModel;
  beforeAll(() => {
    dir = synthesizeMocks();
    model = loadAssembly(dir);
  });
  afterAll(() => removeDir(dir));

  test('one API, with its construct path, a stable local id, the stack env stand-ins and no warnings', () => {
    expect(model.warnings).toEqual([]);
    expect(model.apis).toHaveLength(1);
    const [api] = model.apis;
    expect(api).toMatchObject({ constructPath: 'ApigwPatternsMocks/Api', name: 'mock-api', stackName: 'ApigwPatternsMocks', region: 'us-east-1', account: '000000000000' });
    expect(api.id).toBe(localId('ApigwPatternsMocks/ApiF70053CD'));
    expect(loadAssembly(dir).apis[0].id).toBe(api.id);
  });

  test('the resource tree and every method, with the integration fields resolved', () => {
    const [api] = model.apis;
    expect(methodsOf(api)).toEqual([
      'GET /health', 'GET /mock/orders', 'GET /mock/orders/{orderId}', 'GET /test',
      'OPTIONS /health', 'OPTIONS /mock/orders', 'OPTIONS /mock/orders/{orderId}', 'OPTIONS /test', 'POST /mock/orders',
    ]);
    const get = [...api.resources.values()].find((r) => r.path === '/mock/orders/{orderId}')!.methods.GET;
    expect(get).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false, RequestParameters: { 'method.request.path.orderId': true } });
    expect(get.Integration).toMatchObject({ Type: 'MOCK', PassthroughBehavior: 'NEVER' });
    expect(get.Integration!.IntegrationResponses!.map((r) => [r.StatusCode, r.SelectionPattern])).toEqual([['200', undefined], ['404', '404'], ['500', '500']]);
    expect(get.MethodResponses.map((r) => r.StatusCode)).toEqual(['200', '404', '500']);
  });

  test('the stage, the gateway responses and the validator', () => {
    const [api] = model.apis;
    expect(api.stages.map((s) => s.StageName)).toEqual(['dev']);
    expect(api.stages[0].MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    expect(api.stages[0].DeploymentId).toEqual(expect.any(String));
    expect([...api.gatewayResponses.keys()].sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    expect(api.gatewayResponses.get('DEFAULT_4XX')!.ResponseParameters).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'http://localhost:3000'",
      'gatewayresponse.header.Vary': "'Origin'",
    });
    expect(api.requestValidators).toHaveLength(1);
  });
});

describe('a plain aws-cdk-lib RestApi with routes in an ApiNestedStack, a function, keys, plans and a SpecRestApi', () => {
  let dir: string;
  let model: AssemblyModel;
  beforeAll(() => {
    dir = synthesize('plain', (app) => {
      const stack = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
      });
      const api = new apigw.RestApi(stack, 'Api', {
        binaryMediaTypes: ['image/png'],
        apiKeySourceType: apigw.ApiKeySourceType.HEADER,
        deployOptions: { stageName: 'dev', variables: { backend: 'https://dev.example.com' }, cachingEnabled: true, cacheClusterEnabled: true },
      });
      api.root.addMethod('GET', new apigw.MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }] }),
        { methodResponses: [{ statusCode: '200' }] });
      api.root.addResource('items').addMethod('POST', new apigw.LambdaIntegration(fn), { apiKeyRequired: true });
      api.addGatewayResponse('NotFound', { type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', templates: { 'application/json': '{"error":"$context.error.message"}' } });
      api.addRequestValidator('Validator', { validateRequestBody: true });
      api.addModel('Item', { schema: { type: apigw.JsonSchemaType.OBJECT } });
      const key = api.addApiKey('Key', { value: 'a-local-key-with-20-chars' });
      const plan = api.addUsagePlan('Plan', { throttle: { rateLimit: 5, burstLimit: 10 } });
      plan.addApiStage({ stage: api.deploymentStage });
      plan.addApiKey(key);
      // A route in another stack of the app: its references to the API become Fn::ImportValue.
      const cross = new Stack(app, 'Cross', { env: { account: '123456789012', region: 'eu-west-1' } });
      apigw.RestApi.fromRestApiAttributes(cross, 'Imported', { restApiId: api.restApiId, rootResourceId: api.restApiRootResourceId })
        .root.addResource('cross').addMethod('GET', new apigw.MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }] }),
          { methodResponses: [{ statusCode: '200' }] });
      const nested = new ApiNestedStack(stack, 'Routes', { api });
      new MockRoute(nested, 'Nested', { api, method: 'GET', path: '/nested/{id}', body: { ok: true } });

      const spec = new Stack(app, 'Spec');
      new apigw.SpecRestApi(spec, 'SpecApi', {
        deployOptions: { stageName: 'v2' },
        apiDefinition: apigw.ApiDefinition.fromInline({
          'openapi': '3.0.1',
          'info': { title: 't', version: '1' },
          'x-amazon-apigateway-binary-media-types': ['image/png'],
          'x-amazon-apigateway-gateway-responses': {
            MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, responseTemplates: { 'application/json': '{"nothing":"$context.error.message"}' } },
          },
          'paths': {
            '/pets/{petId}': {
              get: {
                parameters: [{ name: 'petId', in: 'path', required: true }],
                responses: { 200: { description: 'ok' }, 404: { description: 'no' } },
                'x-amazon-apigateway-integration': {
                  type: 'mock',
                  requestTemplates: { 'application/json': "#if($input.params('petId') == 'none'){\"statusCode\": 404}#else{\"statusCode\": 200}#end" },
                  responses: {
                    'default': { statusCode: '200', responseTemplates: { 'application/json': '{"id": "$input.params(\'petId\')"}' } },
                    '404': { statusCode: '404', responseTemplates: { 'application/json': '{"error": "no pet"}' } },
                  },
                },
              },
            },
            '/{proxy+}': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri: 'https://example.com/{proxy}' } } },
          },
        }),
      });
    });
    model = loadAssembly(dir);
  });
  afterAll(() => removeDir(dir));

  test('routes from the nested stack land in the API\'s tree (its parameters carry the API id and root resource id)', () => {
    const api = model.apis.find((a) => a.constructPath === 'Plain/Api')!;
    expect(methodsOf(api)).toEqual(expect.arrayContaining(['GET /', 'POST /items', 'GET /nested/{id}']));
  });

  test('routes in another stack of the app reach the API through Fn::ImportValue of its exports', () => {
    const api = model.apis.find((a) => a.constructPath === 'Plain/Api')!;
    expect(methodsOf(api)).toContain('GET /cross');
  });

  test('the stack environment, stage variables, cache settings, binary media types and key source', () => {
    const api = model.apis.find((a) => a.constructPath === 'Plain/Api')!;
    expect(api).toMatchObject({ region: 'eu-west-1', account: '123456789012', binaryMediaTypes: ['image/png'], apiKeySourceType: 'HEADER' });
    expect(api.stages[0]).toMatchObject({ StageName: 'dev', Variables: { backend: 'https://dev.example.com' }, CacheClusterEnabled: true });
  });

  test('the Lambda integration names the function\'s local ARN, and the function is in the model with its properties', () => {
    const api = model.apis.find((a) => a.constructPath === 'Plain/Api')!;
    const post = [...api.resources.values()].find((r) => r.path === '/items')!.methods.POST;
    expect(post.ApiKeyRequired).toBe(true);
    expect(post.Integration!.Type).toBe('AWS_PROXY');
    const fn = [...model.functions.values()].find((f) => f.logicalId.startsWith('Fn'))!;
    expect(fn.arn).toMatch(/^arn:aws:lambda:eu-west-1:123456789012:function:Plain-Fn/);
    expect(post.Integration!.Uri).toBe(`arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${fn.arn}/invocations`);
    expect(fn.properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { ZipFile: expect.stringContaining('exports.handler') } });
    expect(model.functions.get(fn.name)).toBe(fn);
  });

  test('gateway responses, validators, models, keys (with their value) and usage plans', () => {
    const api = model.apis.find((a) => a.constructPath === 'Plain/Api')!;
    expect(api.gatewayResponses.get('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ StatusCode: '404' });
    expect(api.requestValidators[0].properties).toMatchObject({ ValidateRequestBody: true });
    expect(api.models[0].properties).toMatchObject({ ContentType: 'application/json', Schema: { type: 'object' } });
    expect(api.apiKeys.map((k) => k.properties.Value)).toEqual(['a-local-key-with-20-chars']);
    expect(api.usagePlans[0].properties).toMatchObject({ Throttle: { RateLimit: 5, BurstLimit: 10 } });
    expect(api.usagePlanKeys).toHaveLength(1);
  });

  test('a SpecRestApi\'s inline OpenAPI body: its routes, integrations, gateway responses and binary media types', async () => {
    const spec = model.apis.find((a) => a.stackName === 'Spec')!;
    expect(methodsOf(spec)).toEqual(['ANY /{proxy+}', 'GET /pets/{petId}']);
    expect(spec.binaryMediaTypes).toEqual(['image/png']);
    const get = [...spec.resources.values()].find((r) => r.path === '/pets/{petId}')!.methods.GET;
    expect(get.RequestParameters).toEqual({ 'method.request.path.petId': true });
    expect(get.Integration!.IntegrationResponses!.map((r) => [r.StatusCode, r.SelectionPattern]).sort()).toEqual([['200', undefined], ['404', '404']]);
    expect(model.warnings).toEqual([expect.stringMatching(/^Spec\/SpecApi\w+: a SpecRestApi: its OpenAPI security schemes \(authorizers\) and request validators are not read yet$/)]);
    const local = LocalApi.fromAssembly(dir, { stack: 'Spec' });
    expect(await local.request({ method: 'GET', path: '/pets/7' })).toMatchObject({ statusCode: 200, body: '{"id": "7"}' });
    expect(await local.request({ method: 'GET', path: '/pets/none' })).toMatchObject({ statusCode: 404, body: '{"error": "no pet"}' });
    // ANY /{proxy+}: its Uri's {proxy} has no integration.request.path.proxy mapping, a configuration error (500).
    expect(await local.request({ method: 'POST', path: '/pets' })).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}' });
    expect(local.stageNames).toEqual(['v2']);
    expect(await local.request({ method: 'GET', path: '/' })).toMatchObject({ statusCode: 404, body: '{"nothing":"Missing Authentication Token"}' });
  });
});

test('a folder without manifest.json is refused with a hint', () => {
  expect(() => loadAssembly(__dirname)).toThrow(/is not a cloud assembly: it has no manifest.json \(run 'cdk synth' first\)/);
});
