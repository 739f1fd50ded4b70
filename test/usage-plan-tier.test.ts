process.env.CDK_VALIDATION = 'false';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { LambdaProxyRoute, MockRoute, RouteAuthorization, UsagePlanTier, UsagePlanTierProps } from '../lib';
import { errorOf, Json, newFunction, newStack, resourcesOfType } from './util';

describe('three tiers side by side on two stages', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
  const dev = new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
  const search = new LambdaProxyRoute(stack, 'Search', { api, path: '/search', method: 'GET', handler: fn, apiKeyRequired: true });
  const orders = new LambdaProxyRoute(stack, 'Orders', { api, path: '/orders/{id}', method: 'GET', handler: fn, apiKeyRequired: true });

  const free = new UsagePlanTier(stack, 'Free', { api, throttle: { rateLimit: 1, burstLimit: 2 }, quota: { limit: 100, period: apigw.Period.DAY } });
  const basic = new UsagePlanTier(stack, 'Basic', {
    api, tierName: 'Basic', description: 'Scenario 6', stages: [api.deploymentStage, dev],
    throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigw.Period.DAY },
  });
  const pro = new UsagePlanTier(stack, 'Pro', { api, throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 1_000_000, period: apigw.Period.MONTH, offset: 1 } });
  const customerA = basic.addApiKey('Customer-A', { description: 'Customer A' });
  free.addApiKey('Trial-1');
  pro.addApiKey('Partner-X', { value: 'partner-x-key-0123456789abcdef' });
  basic.throttleRoute(search, { rateLimit: 2, burstLimit: 4 });
  pro.throttleRoute(search, { rateLimit: 50 });
  const imported = apigw.ApiKey.fromApiKeyId(stack, 'Imported', 'abc123');
  pro.addExistingApiKey(imported);
  const template = Template.fromStack(stack);
  const planOf = (name: string) => resourcesOfType(template, 'AWS::ApiGateway::UsagePlan').find(([, p]) => p.UsagePlanName === name)!;
  const apiRef = { Ref: stack.getLogicalId(api.node.defaultChild as apigw.CfnRestApi) };
  const stageRef = (s: apigw.Stage) => ({ Ref: stack.getLogicalId(s.node.defaultChild as apigw.CfnStage) });

  test('one usage plan per tier with its throttle and quota', () => {
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 3);
    expect(planOf('Free')[1]).toEqual(expect.objectContaining({
      Throttle: { RateLimit: 1, BurstLimit: 2 }, Quota: { Limit: 100, Period: 'DAY' },
    }));
    expect(planOf('Basic')[1]).toEqual(expect.objectContaining({
      Description: 'Scenario 6', Throttle: { RateLimit: 10, BurstLimit: 20 }, Quota: { Limit: 1000, Period: 'DAY' },
    }));
    expect(planOf('Pro')[1].Quota).toEqual({ Limit: 1000000, Period: 'MONTH', Offset: 1 });
  });

  test('stages: the deployment stage by default, or the ones named; route throttles on each stage, addressed by the route', () => {
    expect(planOf('Free')[1].ApiStages).toEqual([{ ApiId: apiRef, Stage: stageRef(api.deploymentStage), Throttle: {} }]);
    const searchThrottle = { '/search/GET': { RateLimit: 2, BurstLimit: 4 } };
    expect(planOf('Basic')[1].ApiStages).toEqual([
      { ApiId: apiRef, Stage: stageRef(api.deploymentStage), Throttle: searchThrottle },
      { ApiId: apiRef, Stage: stageRef(dev), Throttle: searchThrottle },
    ]);
    expect(planOf('Pro')[1].ApiStages[0].Throttle).toEqual({ '/search/GET': { RateLimit: 50 } });
  });

  test('keys: generated values unless one is given, each key in its one plan', () => {
    const keys = resourcesOfType(template, 'AWS::ApiGateway::ApiKey').map(([id, p]) => [id, p] as [string, Json]);
    expect(keys.map(([, p]) => p.Name).sort()).toEqual(['Customer-A', 'Partner-X', 'Trial-1']);
    for (const [, p] of keys) expect(p.Enabled).toBe(true);
    expect(keys.find(([, p]) => p.Name === 'Customer-A')![1].Value).toBeUndefined();
    expect(keys.find(([, p]) => p.Name === 'Trial-1')![1].Value).toBeUndefined();
    expect(keys.find(([, p]) => p.Name === 'Partner-X')![1].Value).toBe('partner-x-key-0123456789abcdef');
    const planKeys = resourcesOfType(template, 'AWS::ApiGateway::UsagePlanKey').map(([, p]) => p);
    expect(planKeys).toHaveLength(4);
    const customerAId = stack.getLogicalId(customerA.node.defaultChild as apigw.CfnApiKey);
    expect(planKeys.filter((k) => k.KeyId.Ref === customerAId)).toEqual([
      { KeyId: { Ref: customerAId }, KeyType: 'API_KEY', UsagePlanId: { Ref: planOf('Basic')[0] } },
    ]);
    expect(planKeys.filter((k) => k.KeyId === 'abc123').map((k) => k.UsagePlanId)).toEqual([{ Ref: planOf('Pro')[0] }]);
    expect(pro.apiKeys).toHaveLength(2);
  });

  test('routes keep apiKeyRequired and no warning is given: every stage is covered', () => {
    for (const route of [search, orders]) expect((route.method.node.defaultChild as apigw.CfnMethod).apiKeyRequired).toBe(true);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('usage plan'));
  });
});

describe('API key coverage and key source checks at synth', () => {
  test('a stage with key-required routes but no usage plan gets a warning naming the stage and routes', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const dev = new apigw.Stage(stack, 'Dev', { deployment: api.latestDeployment!, stageName: 'dev' });
    new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true }, apiKeyRequired: true });
    new MockRoute(stack, 'Open', { api, path: '/open', method: 'GET', statusCode: 200, body: { ok: true } });
    new UsagePlanTier(stack, 'Basic', { api });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no usage plan covers'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      `Stack/Health requires an API key, but no usage plan covers stage ${dev.node.path} of Stack/Api, so no key works there: ` +
      'add the stage to a UsagePlanTier (stages: [...]) [ack: cdk-apigateway-patterns:apiKeyWithoutUsagePlan]',
    ]);
  });

  test('a plain apigateway UsagePlan covering the stage counts too', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true }, apiKeyRequired: true });
    new apigw.UsagePlan(stack, 'Plan', { apiStages: [{ api, stage: api.deploymentStage }] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('no tier and a key-required route: the deployment stage is named', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { defaultMethodOptions: { apiKeyRequired: true } });
    new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true } });
    Annotations.fromStack(stack).hasWarning('/Stack/Api', Match.stringLikeRegexp('^Stack/Health requires an API key, but no usage plan covers stage Stack/Api/DeploymentStage.prod'));
  });

  test('with the AUTHORIZER key source, a key-required route without a Lambda authorizer fails the synth', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api', { apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER });
    new LambdaProxyRoute(stack, 'Good', { api, path: '/good', method: 'GET', handler: fn, apiKeyRequired: true, authorization: RouteAuthorization.lambdaToken(fn) });
    new LambdaProxyRoute(stack, 'Bad', { api, path: '/bad', method: 'GET', handler: fn, apiKeyRequired: true });
    new UsagePlanTier(stack, 'Tier', { api });
    expect(errorOf(() => Template.fromStack(stack))).toMatch(
      /Route Stack\/Bad: requires an API key, and the API's key source is AUTHORIZER, so its key must come from a Lambda authorizer \(usageIdentifierKey\): give the route RouteAuthorization.lambdaToken or lambdaRequest, or use the HEADER key source/);
    expect(errorOf(() => Template.fromStack(stack))).not.toMatch(/Route Stack\/Good/);
  });
});

describe('UsagePlanTier misuse', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const api = new apigw.RestApi(stack, 'Api');
  const otherApi = new apigw.RestApi(stack, 'Other');
  new MockRoute(stack, 'OtherRoute', { api: otherApi, path: '/x', method: 'GET', statusCode: 200, body: {} });
  const route = new LambdaProxyRoute(stack, 'Route', { api, path: '/r', method: 'GET', handler: fn });
  const foreignRoute = new LambdaProxyRoute(stack, 'Foreign', { api: otherApi, path: '/f', method: 'GET', handler: fn });
  let n = 0;
  const tier = (props: Partial<UsagePlanTierProps> = {}) => new UsagePlanTier(stack, `T${++n}`, { api, ...props });

  test.each<[string, Partial<UsagePlanTierProps>, RegExp]>([
    ['a zero rate', { throttle: { rateLimit: 0 } }, /: throttle rateLimit is 0: give a positive number of requests per second, or leave it out$/],
    ['a negative burst', { throttle: { burstLimit: -1 } }, /: throttle burstLimit is -1: give a positive whole number of requests, or leave it out$/],
    ['a fractional burst', { throttle: { burstLimit: 1.5 } }, /burstLimit is 1.5/],
    ['a quota without a period', { quota: { limit: 10 } }, /: quota\.period is required: give an apigw\.Period such as apigw\.Period\.DAY \(got undefined\)$/],
    ['a quota without a limit', { quota: { period: apigw.Period.DAY } }, /: quota\.limit is required: give a whole number of requests such as 1000 \(got undefined\)$/],
    ['a zero quota', { quota: { limit: 0, period: apigw.Period.DAY } }, /: quota limit is 0: give a positive whole number of requests per period$/],
    ['a negative quota', { quota: { limit: -5, period: apigw.Period.DAY } }, /quota limit is -5/],
    ['a week offset of 7', { quota: { limit: 5, period: apigw.Period.WEEK, offset: 7 } }, /: quota offset 7 is not a start day of a WEEK period: use 0 to 6$/],
    ['a day offset', { quota: { limit: 5, period: apigw.Period.DAY, offset: 1 } }, /: quota offset 1 is not a start day of a DAY period: use 0 \(a DAY period starts at midnight UTC\)$/],
    ['no stages', { stages: [] }, /: stages is empty/],
    ['another API\'s stage', { stages: [otherApi.deploymentStage] }, /: stage Stack\/Other\/DeploymentStage.prod belongs to another API/],
    ['a stage twice', { stages: [api.deploymentStage, api.deploymentStage] }, /: a stage is listed twice/],
    ['a bad name', { tierName: 'Basic/2' }, /: tierName 'Basic\/2' must be 1 to 128 letters/],
  ])('%s', (_, props, message) => {
    const error = errorOf(() => tier(props));
    expect(error).toMatch(/^UsagePlanTier Stack\/T\d+: /);
    expect(error).toMatch(message);
  });

  test('a key in two tiers, or twice in one', () => {
    const a = tier();
    const b = tier();
    const key = a.addApiKey('Customer-B');
    expect(errorOf(() => b.addExistingApiKey(key))).toMatch(
      new RegExp(`^UsagePlanTier ${b.node.path}: API key ${key.node.path} is already in UsagePlanTier ${a.node.path}: a key belongs to one tier; create another key for this customer or move it$`));
    expect(errorOf(() => a.addExistingApiKey(key))).toMatch(/is already in this tier: add each key once$/);
    expect(errorOf(() => a.addApiKey('Customer-B'))).toMatch(/API key Customer-B is already in this tier/);
  });

  test('bad key names and values', () => {
    const t = tier();
    expect(errorOf(() => t.addApiKey('a/b'))).toMatch(/API key name 'a\/b' must be 1 to 128 letters, digits, spaces and _ \. -$/);
    expect(errorOf(() => t.addApiKey('Short', { value: 'tooshort' }))).toMatch(/the value of API key Short must be 20 to 128 printable characters without spaces/);
    expect(errorOf(() => t.addApiKey('Spaced', { value: 'has a space in the middle of it' }))).toMatch(/without spaces/);
  });

  test('route throttles: own API only, once, not empty, positive', () => {
    const t = tier();
    expect(errorOf(() => t.throttleRoute(foreignRoute, { rateLimit: 1 }))).toMatch(/: Stack\/Foreign is on another API: a tier throttles routes of its own API$/);
    expect(errorOf(() => t.throttleRoute(route, {}))).toMatch(/: the throttle of Stack\/Route is empty: give rateLimit and\/or burstLimit$/);
    expect(errorOf(() => t.throttleRoute(route, { rateLimit: -1 }))).toMatch(/: the throttle of Stack\/Route rateLimit is -1/);
    t.throttleRoute(route, { rateLimit: 1 });
    expect(errorOf(() => t.throttleRoute(route, { rateLimit: 2 }))).toMatch(/: Stack\/Route is throttled twice: throttle each route once$/);
  });
});

describe('API key names that differ only in characters a construct id drops', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  new MockRoute(stack, 'Route', { api, path: '/r', method: 'GET', statusCode: 200, body: {}, apiKeyRequired: true });
  const tier = new UsagePlanTier(stack, 'Basic', { api });
  const names = ['Customer-A', 'Customer A', 'Customer_A', 'CustomerA', 'Customer.A'];
  const keys = names.map((name) => tier.addApiKey(name));
  const template = Template.fromStack(stack);

  test('are distinct keys, each with its own name and logical id', () => {
    const byName = new Map(resourcesOfType(template, 'AWS::ApiGateway::ApiKey').map(([id, p]) => [p.Name, id]));
    expect([...byName.keys()].sort()).toEqual([...names].sort());
    expect(new Set(byName.values()).size).toBe(names.length);
    expect(tier.apiKeys).toEqual(keys);
  });

  test('the first keeps the id it always had; the others add a hash of their exact name', () => {
    expect(keys[0].node.id).toBe('ApiKeyCustomerA');
    for (const key of keys.slice(1)) expect(key.node.id).toMatch(/^ApiKeyCustomerA-[0-9a-f]{8}$/);
    // The hash is of the name, not of the order: the same name gets the same id in another tier.
    const stack2 = newStack('S2');
    const other = new UsagePlanTier(stack2, 'Other', { api: new apigw.RestApi(stack2, 'Api') });
    other.addApiKey('Customer-A');
    expect(other.addApiKey('Customer A').node.id).toBe(keys[1].node.id);
  });

  test('the same name twice is one key added twice, and the error says which key it is', () => {
    expect(errorOf(() => tier.addApiKey('Customer A'))).toBe(
      `UsagePlanTier Stack/Basic: API key Customer A is already in this tier (${keys[1].node.path}): add each key once`);
  });
});
