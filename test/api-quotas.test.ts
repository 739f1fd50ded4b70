process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiNestedStack, MockRoute, PrivateVpcLinkRoute, RouteAuthorization, VpcLinkProtocol } from '../lib';
import { uriPort } from '../lib/internal/api-quotas';
import * as elbv2targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { newFunction, newStack } from './util';

const warningsOf = (stack: Stack, pattern: string) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(pattern)).map((w) => ({ id: w.id, text: String(w.entry.data) }));
const mock = (scope: Stack, id: string, api: apigw.IRestApi, path: string, extra: object = {}) =>
  new MockRoute(scope, id, { api, path, method: 'GET', statusCode: 200, body: {}, ...extra });

describe('Resources per API (300)', () => {
  /** An API with `libraryPaths` paths from routes and `plainPaths` from plain aws-cdk-lib, plus the root. */
  const build = (libraryPaths: number, plainPaths: number, nested = false) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const routes = nested ? new ApiNestedStack(stack, 'Routes', { api }) : stack;
    for (let i = 0; i < libraryPaths; i++) mock(routes as Stack, `M${i}`, api, `/m${i}`);
    // Resources without methods: CloudFormation's 500 per stack would stop the synth first.
    for (let i = 0; i < plainPaths; i++) api.root.addResource(`p${i}`);
    return stack;
  };

  test('301 resources (the root, routes and plain aws-cdk-lib resources) warn with the quota\'s name and how to raise it', () => {
    const stack = build(100, 200);
    const warnings = warningsOf(stack, 'Resources per API');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/Api');
    expect(warnings[0].text).toMatch(/^Stack\/Api has 301 resources \(paths, the root \/ included\), over API Gateway's "Resources per API" quota of 300/);
    expect(warnings[0].text).toContain('Service Quotas console (Amazon API Gateway, "Resources/Routes per REST/WebSocket API", L-01C8A9E0)');
    expect(warnings[0].text).toContain('aws service-quotas request-service-quota-increase --service-code apigateway --quota-code L-01C8A9E0 --desired-value 301');
  });

  test('300 resources (root included) do not warn', () => {
    expect(warningsOf(build(100, 199), 'Resources per API')).toEqual([]);
  });

  test('resources in an ApiNestedStack count, and a path shared by several routes counts once', () => {
    const stack = build(250, 0, true);
    const api = stack.node.findChild('Api') as apigw.RestApi;
    // The same paths again (other methods) add nothing; 50 new ones under them add 50.
    for (let i = 0; i < 250; i++) new MockRoute(stack, `Post${i}`, { api, path: `/m${i}`, method: 'POST', statusCode: 200, body: {} });
    for (let i = 0; i < 50; i++) mock(stack, `Sub${i}`, api, `/m${i}/sub`);
    const warnings = warningsOf(stack, 'Resources per API');
    expect(warnings.map((w) => w.text.match(/^Stack\/Api has (\d+) resources \(paths, the root \/ included\) across its stack and 1 route stack/)?.[1]))
      .toEqual(['301']);
  });
});

describe('Authorizers per API (10)', () => {
  const build = (libraryAuthorizers: number, plainAuthorizers: number) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    for (let i = 0; i < libraryAuthorizers; i++) {
      mock(stack, `M${i}`, api, `/m${i}`, { authorization: RouteAuthorization.lambdaToken(newFunction(stack, `Auth${i}`)) });
    }
    for (let i = 0; i < plainAuthorizers; i++) {
      const authorizer = new apigw.TokenAuthorizer(stack, `Plain${i}`, { handler: newFunction(stack, `PlainFn${i}`) });
      api.root.addResource(`p${i}`).addMethod('GET', undefined, { authorizer });
    }
    return stack;
  };

  test('11 authorizers (from routes and plain aws-cdk-lib) warn with the quota\'s name and the Support Center', () => {
    const warnings = warningsOf(build(6, 5), 'Authorizers per API');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/Api');
    expect(warnings[0].text).toMatch(/^Stack\/Api has 11 authorizers, over API Gateway's "Authorizers per API \(AWS Lambda and Amazon Cognito\)" quota of 10/);
    expect(warnings[0].text).toContain('AWS Support Center');
  });

  test('10 authorizers, or many routes sharing one, do not warn', () => {
    expect(warningsOf(build(5, 5), 'Authorizers per API')).toEqual([]);
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const fn = newFunction(stack, 'Auth');
    for (let i = 0; i < 20; i++) mock(stack, `M${i}`, api, `/m${i}`, { authorization: RouteAuthorization.lambdaToken(fn) });
    expect(warningsOf(stack, 'Authorizers per API')).toEqual([]);
  });

  test('authorizers of another API do not count', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const other = new apigw.RestApi(stack, 'Other');
    for (let i = 0; i < 6; i++) mock(stack, `A${i}`, api, `/a${i}`, { authorization: RouteAuthorization.lambdaToken(newFunction(stack, `AuthA${i}`)) });
    for (let i = 0; i < 6; i++) mock(stack, `B${i}`, other, `/b${i}`, { authorization: RouteAuthorization.lambdaToken(newFunction(stack, `AuthB${i}`)) });
    expect(warningsOf(stack, 'Authorizers per API')).toEqual([]);
  });
});

describe('method ARN of an authorized method (1,600 bytes)', () => {
  // 8 segments of 200 characters: a path of 1,608 bytes.
  const longPath = '/' + Array.from({ length: 8 }, (_, i) => String(i).repeat(200)).join('/');

  test('an IAM route whose ARN is over 1,600 bytes at its shortest warns, naming the route, 414 and the estimate', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    mock(stack, 'Long', api, longPath, { authorization: RouteAuthorization.iam() });
    const warnings = warningsOf(stack, 'method ARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/Api/Default' + longPath + '/GET');
    // "arn:aws-us-gov:execute-api:us-isof-south-1:123456789012:abcdefghij/prod/" (72 bytes) + GET + the path.
    expect(warnings[0].text).toMatch(new RegExp(`^GET /0+/1+/2+/3+/4+/5+/6+/7+ \\(Stack/Api/Default/.*/GET\\) is AWS_IAM-authorized and its method ARN .* takes at least ${72 + 3 + 1608} bytes, over API Gateway's limit of 1600 bytes`));
    expect(warnings[0].text).toContain('414 Request URI too long');
    expect(warnings[0].text).toContain('longest plausible partition (10), Region (15), account (12), API id (10)');
  });

  test('a plain aws-cdk-lib method with a Cognito authorizer counts too; the same path without authorization does not', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    mock(stack, 'Open', api, longPath);
    const pool = new cognito.UserPool(stack, 'Pool');
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(stack, 'Cognito', { cognitoUserPools: [pool] });
    api.root.resourceForPath(longPath).addMethod('POST', undefined, { authorizer });
    expect(warningsOf(stack, 'method ARN').map((w) => w.text.slice(0, 5))).toEqual(['POST ']);
  });

  test('a known Region, account and stage name shorten the estimate: the same path fits', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { region: 'eu-west-1', account: '123456789012' } });
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'v1' } });
    // 1,600 - 59 bytes: "arn:aws-us-gov:execute-api:eu-west-1:123456789012:abcdefghij/v1/GET" is 67 with the partition's worst case.
    const fits = '/' + 'a'.repeat(1600 - 67 - 1);
    mock(stack, 'Fits', api, fits, { authorization: RouteAuthorization.iam() });
    expect(warningsOf(stack, 'method ARN')).toEqual([]);
    mock(stack, 'Over', api, fits + 'b', { authorization: RouteAuthorization.iam() });
    expect(warningsOf(stack, 'method ARN')).toHaveLength(1);
  });
});

describe('PrivateVpcLinkRoute port without a listener', () => {
  const build = () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const api = new apigw.RestApi(stack, 'Api');
    return { stack, vpc, nlb, api };
  };
  const listen = (listener: elbv2.NetworkListener) => listener.addTargets('Ip', { port: 80, targets: [new elbv2targets.IpTarget('10.0.0.10')] });

  test('a route calling a port the NLB has no listener on warns, naming the route, the port and the listeners', () => {
    const { stack, nlb, api } = build();
    listen(nlb.addListener('Http', { port: 80 }));
    new PrivateVpcLinkRoute(stack, 'Secure', { api, path: '/s', method: 'GET', loadBalancer: nlb, protocol: VpcLinkProtocol.HTTPS });
    new PrivateVpcLinkRoute(stack, 'Alt', { api, path: '/alt', method: 'GET', loadBalancer: nlb, port: 8080 });
    new PrivateVpcLinkRoute(stack, 'Plain', { api, path: '/p', method: 'GET', loadBalancer: nlb });
    const warnings = warningsOf(stack, 'listener');
    expect(warnings.map((w) => w.id).sort()).toEqual(['/Stack/Alt', '/Stack/Secure']);
    expect(warnings.find((w) => w.id === '/Stack/Secure')!.text)
      .toMatch(/^Route Stack\/Secure: calls port 443 of Stack\/Nlb, which has listeners on port\(s\) 80 only: .*add a listener on that port/);
  });

  test('a listener added after the route is seen (the check runs at synth); an NLB without listeners warns', () => {
    const { stack, vpc, nlb, api } = build();
    new PrivateVpcLinkRoute(stack, 'Alt', { api, path: '/alt', method: 'GET', loadBalancer: nlb, port: 8080 });
    const bare = new elbv2.NetworkLoadBalancer(stack, 'Bare', { vpc });
    new PrivateVpcLinkRoute(stack, 'ToBare', { api, path: '/bare', method: 'GET', loadBalancer: bare });
    listen(new elbv2.NetworkListener(stack, 'AltListener', { loadBalancer: nlb, port: 8080 }));
    const warnings = warningsOf(stack, 'listener');
    expect(warnings.map((w) => w.id)).toEqual(['/Stack/ToBare']);
    expect(warnings[0].text).toMatch(/calls port 80 of Stack\/Bare, which has no listener/);
  });

  test('the port of an explicit uri is checked; an imported NLB and a stage-variable host are not', () => {
    const { stack, nlb, api } = build();
    listen(nlb.addListener('Http', { port: 80 }));
    new PrivateVpcLinkRoute(stack, 'Uri', { api, path: '/u', method: 'GET', loadBalancer: nlb, uri: `http://${nlb.loadBalancerDnsName}:9000/u` });
    const imported = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(stack, 'Imported', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/x/0123456789abcdef', loadBalancerDnsName: 'x.elb.amazonaws.com',
    });
    new PrivateVpcLinkRoute(stack, 'ToImported', { api, path: '/i', method: 'GET', loadBalancer: imported, port: 9000 });
    expect(warningsOf(stack, 'listener').map((w) => w.id)).toEqual(['/Stack/Uri']);
    expect(uriPort('http://${stageVariables.host}/x')).toBeUndefined();
    expect(uriPort('https://api.internal/x')).toBe(443);
    expect(uriPort('http://api.internal:8080')).toBe(8080);
  });
});
