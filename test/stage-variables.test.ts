process.env.CDK_VALIDATION = 'false';
import { Aws, CfnCondition, Fn } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Field, HttpRoute, MockRoute, PrivateVpcLinkRoute, RequestTemplate, StageVariable, StageVariables } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, methodAt, newStack, resourcesOfType } from './util';

describe('scenario 8: one API, a dev and a prod backend chosen by a stage variable', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod', variables: { logLevel: 'warn' } } });
  const backend = StageVariable.of('backendUrl');
  new HttpRoute(stack, 'Users', { api, path: '/users/{proxy+}', method: 'ANY', url: `https://${backend.reference}/users/{proxy}` });
  new HttpRoute(stack, 'Echo', {
    api, path: '/echo', method: 'POST', url: `https://${backend.reference}/echo`, proxy: false,
    requestTemplate: RequestTemplate.fromFields({ backend: backend.field }),
    requestParameters: { 'header.X-Backend': backend.parameter },
  });
  const dev = new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
  StageVariables.set(api.deploymentStage, { backendUrl: 'api.example.com' });
  StageVariables.set(dev, { backendUrl: 'api-dev.example.com' });
  StageVariables.set(dev, { backendUrl: 'api-dev.example.com', extra: 'a-b._~:/?#&=,1' });
  const template = Template.fromStack(stack);
  const stage = (name: string) => resourcesOfType(template, 'AWS::ApiGateway::Stage').find(([, p]) => p.StageName === name)![1];

  test('each stage gets its variables, merged with those it was created with', () => {
    expect(stage('prod').Variables).toEqual({ logLevel: 'warn', backendUrl: 'api.example.com' });
    expect(stage('dev').Variables).toEqual({ backendUrl: 'api-dev.example.com', extra: 'a-b._~:/?#&=,1' });
  });

  test('the URL, template field and parameter all read the variable', () => {
    expect(methodAt(template, '/users/{proxy+}', 'ANY').Integration.Uri).toBe('https://${stageVariables.backendUrl}/users/{proxy}');
    const integration = methodAt(template, '/echo', 'POST').Integration;
    expect(integration.RequestParameters['integration.request.header.X-Backend']).toBe('stageVariables.backendUrl');
    const vtl = integration.RequestTemplates['application/json'];
    expect(MappingTemplate.renderJson(vtl, { stageVariables: { backendUrl: 'api-dev.example.com' } })).toEqual({ backend: 'api-dev.example.com' });
    expect(MappingTemplate.render(vtl, { stageVariables: {} })).toBe('{"backend": ""}');
  });

  test('StageVariable exposes its name, reference and Field', () => {
    expect(backend.name).toBe('backendUrl');
    expect(backend.reference).toBe('${stageVariables.backendUrl}');
    expect(backend.field._description).toBe(Field.stageVariable('backendUrl')._description);
  });
});

describe('a route using a stage variable a declared stage lacks fails synthesis', () => {
  test('names the route, the variable and the stage', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: 'https://${stageVariables.usersHost}/users' });
    const dev = new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
    StageVariables.set(dev, { usersHost: 'dev.example.com' });
    StageVariables.set(api.deploymentStage, { other: 'x' });
    expect(errorOf(() => Template.fromStack(stack))).toContain(
      "Route Stack/Users: uses ${stageVariables.usersHost}, which stage 'prod' does not define (the URL would be called with an empty value there): " +
      "add it with StageVariables.set(stage, { usersHost: '...' })");
  });

  test('the deployment stage\'s own variables count as declared', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { variables: { other: 'x' } } });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: 'https://${stageVariables.usersHost}/users' });
    expect(errorOf(() => Template.fromStack(stack))).toContain("which stage 'prod' does not define");
  });

});

describe('StageVariables misuse', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  new HttpRoute(stack, 'R', { api, path: '/r', method: 'GET', url: 'https://x.example.com' });
  const set = (values: { [k: string]: string }) => errorOf(() => StageVariables.set(api.deploymentStage, values));

  test.each<[string, { [k: string]: string }, string]>([
    ['a bad name', { 'a-b': 'x' }, "StageVariables.set(Stack/Api/DeploymentStage.prod): 'a-b' is not a valid stage variable name: use 1 to 64 letters, digits and _"],
    ['a name over 64 characters', { ['n'.repeat(65)]: 'x' }, `StageVariables.set(Stack/Api/DeploymentStage.prod): '${'n'.repeat(65)}' is not a valid stage variable name: use 1 to 64 letters, digits and _`],
    ['a value with a space', { a: 'x y' }, "StageVariables.set(Stack/Api/DeploymentStage.prod): the value of a ('x y') must be 1 to 512 of letters, digits and -._~:/?#&=, (no spaces, quotes or %): put a URL's host or path here, not free text"],
    ['a value with a quote', { a: "it's" }, "StageVariables.set(Stack/Api/DeploymentStage.prod): the value of a ('it's') must be 1 to 512 of letters"],
    ['an empty value', { a: '' }, "StageVariables.set(Stack/Api/DeploymentStage.prod): the value of a ('') must be 1 to 512"],
    ['a value over 512 characters', { a: 'v'.repeat(513) }, 'must be 1 to 512 of letters'],
    ['a token value', { a: api.restApiId }, 'StageVariables.set(Stack/Api/DeploymentStage.prod): the value of a must be a concrete string (a stage variable cannot hold a token)'],
  ])('%s', (_, values, message) => {
    expect(set(values)).toContain(message);
  });

  test('a variable set twice with different values', () => {
    StageVariables.set(api.deploymentStage, { host: 'a.example.com' });
    expect(set({ host: 'b.example.com' })).toBe("StageVariables.set(Stack/Api/DeploymentStage.prod): host is already 'a.example.com' on this stage: set each variable once");
  });

  test('more than 100 variables on a stage', () => {
    const many: { [k: string]: string } = {};
    for (let i = 0; i < 101; i++) many[`v${i}`] = 'x';
    // host (set above) and v0..v100.
    expect(set(many)).toBe('StageVariables.set(Stack/Api/DeploymentStage.prod): the stage would hold 102 variables; API Gateway allows 100');
    // The failed call changed nothing: v0 is still free.
    expect(() => StageVariables.set(api.deploymentStage, { v0: 'y' })).not.toThrow();
  });

  test('StageVariable.of validates the name', () => {
    expect(errorOf(() => StageVariable.of('a.b'))).toBe("StageVariable.of('a.b'): 'a.b' is not a valid stage variable name: use 1 to 64 letters, digits and _");
  });

  test('a non-Stage', () => {
    expect(errorOf(() => StageVariables.set({} as apigw.Stage, { a: 'b' }))).toBe('StageVariables.set: pass an apigateway Stage (e.g. api.deploymentStage)');
  });
});

describe('every stage of the API must define the variables its URLs use, even when no stage defines any', () => {
  const URL = 'https://${stageVariables.usersHost}/users';
  const fix = "add it with StageVariables.set(stage, { usersHost: '...' })";

  test('no variables anywhere: the deployment stage lacks it (at runtime the URL would be https:///users)', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    expect(errorOf(() => Template.fromStack(stack))).toContain(
      `Route Stack/Users: uses \${stageVariables.usersHost}, which stage 'prod' does not define (the URL would be called with an empty value there): ${fix}`);
  });

  test('a stage created without variables beside one that has them', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    StageVariables.set(api.deploymentStage, { usersHost: 'api.example.com' });
    new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
    const error = errorOf(() => Template.fromStack(stack));
    expect(error).toContain(`Route Stack/Users: uses \${stageVariables.usersHost}, which stage 'dev' does not define`);
    expect(error).not.toContain("stage 'prod'");
  });

  test('each variable and each route is named', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: 'https://${stageVariables.host}/${stageVariables.prefix}/users' });
    new HttpRoute(stack, 'Orders', { api, path: '/orders', method: 'GET', url: 'https://${stageVariables.host}/orders' });
    StageVariables.set(api.deploymentStage, { prefix: 'v1' });
    const error = errorOf(() => Template.fromStack(stack));
    expect(error).toContain("Route Stack/Users: uses ${stageVariables.host}, which stage 'prod' does not define");
    expect(error).toContain("Route Stack/Orders: uses ${stageVariables.host}, which stage 'prod' does not define");
    expect(error).not.toContain('stageVariables.prefix}, which');
  });

  test('variables set after the route was created count (the check runs at synth)', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    const dev = new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
    StageVariables.set(dev, { usersHost: 'dev.example.com' });
    StageVariables.set(api.deploymentStage, { usersHost: 'api.example.com' });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('deployOptions.variables and a Stage\'s own variables count', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { variables: { usersHost: 'api.example.com' } } });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev', variables: { usersHost: 'dev.example.com' } });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('PrivateVpcLinkRoute: the URL\'s variables and the VPC link id variable', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new PrivateVpcLinkRoute(stack, 'Internal', {
      api, path: '/internal', method: 'GET', vpcLinkIdFromStageVariable: 'vpcLinkId', uri: 'http://${stageVariables.internalHost}/x',
    });
    StageVariables.set(api.deploymentStage, { internalHost: 'internal.example.com' });
    expect(errorOf(() => Template.fromStack(stack))).toContain(
      "Route Stack/Internal: uses ${stageVariables.vpcLinkId}, which stage 'prod' does not define (the URL would be called with an empty value there): " +
      "add it with StageVariables.set(stage, { vpcLinkId: '...' })");
  });

  test('a stage of the API written as a CfnStage', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { variables: { usersHost: 'api.example.com' } } });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    new apigw.CfnStage(stack, 'Raw', { restApiId: api.restApiId, deploymentId: api.latestDeployment!.deploymentId, stageName: 'raw' });
    expect(errorOf(() => Template.fromStack(stack))).toContain(
      "Route Stack/Users: uses ${stageVariables.usersHost}, which stage 'raw' does not define (the URL would be called with an empty value there): " +
      'add usersHost to the Variables of Stack/Raw');
  });

  test('stages of other APIs do not count', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { variables: { usersHost: 'api.example.com' } } });
    const other = new apigw.RestApi(stack, 'Other');
    new MockRoute(stack, 'OtherRoute', { api: other, path: '/x', method: 'GET' });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('stages the library cannot see get a warning naming the route, the variable and StageVariables.set', () => {
  const URL = 'https://${stageVariables.usersHost}/users';

  test('an imported API with no stage in the app', () => {
    const stack = newStack();
    const api = apigw.RestApi.fromRestApiAttributes(stack, 'Api', { restApiId: 'abc123', rootResourceId: 'root1' });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp(
      '^Route Stack/Users: uses \\$\\{stageVariables.usersHost\\}, but no stage of Stack/Api is in this app, so the library cannot check that one defines it: ' +
      "define it on every stage that serves the route \\(StageVariables.set\\(stage, \\{ usersHost: '...' \\}\\) on a stage of this app\\)"));
  });

  test('an API deployed by hand (deploy: false) with no stage yet', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deploy: false });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('no stage of Stack/Api is in this app'));
  });

  test('an imported API with a stage in the app: that stage is checked, and the others get a warning', () => {
    const stack = newStack();
    const api = apigw.RestApi.fromRestApiAttributes(stack, 'Api', { restApiId: 'abc123', rootResourceId: 'root1' });
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    new apigw.Stage(stack, 'Beta', { deployment: new apigw.Deployment(stack, 'Deployment', { api }), stageName: 'beta' });
    expect(errorOf(() => Template.fromStack(stack))).toContain("Route Stack/Users: uses ${stageVariables.usersHost}, which stage 'beta' does not define");
  });

  test('variables given as a token', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'Users', { api, path: '/users', method: 'GET', url: URL });
    new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(Aws.ACCOUNT_ID, '123456789012') });
    (api.deploymentStage.node.defaultChild as apigw.CfnStage).variables = Fn.conditionIf('IsProd', { usersHost: 'a' }, { usersHost: 'b' });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp(
      "variables of stage 'prod' are a token the library cannot read: make sure they define usersHost"));
  });
});
