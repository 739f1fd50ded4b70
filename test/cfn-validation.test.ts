import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { ApiCors, LambdaProxyRoute, MockRoute, MockSelector, PrivateVpcLinkRoute, RouteAuthorization } from '../lib';
import { newFunction } from './util';

/*
 * The one test that keeps aws-cdk-lib's built-in CloudFormation validation on (as errors, the way
 * cdk.json runs it): a stack using every feature must synthesize without a violation.
 */
test('a stack with every feature passes the built-in CloudFormation validation', () => {
  delete process.env.CDK_VALIDATION;
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Everything');
  const fn = newFunction(stack, 'Fn');
  const authFn = newFunction(stack, 'AuthFn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { methodOptions: { '/orders/GET': { throttlingRateLimit: 10 } } } });
  const cors = { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true, maxAge: Duration.minutes(5) };
  const schema = { type: apigw.JsonSchemaType.OBJECT, required: ['item'], properties: { item: { type: apigw.JsonSchemaType.STRING } } };

  new LambdaProxyRoute(stack, 'ListOrders', {
    api, path: '/orders', method: 'GET', handler: fn, cors, timeout: Duration.seconds(10),
    cache: { ttl: Duration.minutes(5), queryParameters: ['page'], clusterSize: '0.5' },
    authorization: RouteAuthorization.cognito([pool], { scopes: ['orders/read'] }),
    requestValidation: { requiredQueryParameters: ['page'] },
  });
  new LambdaProxyRoute(stack, 'CreateOrder', {
    api, path: '/orders', method: 'POST', handler: fn, cors, apiKeyRequired: true,
    authorization: RouteAuthorization.lambdaRequest(authFn, { identitySources: [apigw.IdentitySource.header('Authorization')] }),
    requestValidation: { bodySchema: schema, bodyModelName: 'OrderInput', requiredHeaders: ['Idempotency-Key'] },
  });
  new LambdaProxyRoute(stack, 'GetOrder', {
    api, path: '/orders/{orderId}', method: 'GET', handler: fn, cache: { ttl: Duration.seconds(30), dataEncrypted: false },
    authorization: RouteAuthorization.lambdaToken(authFn),
  });
  new LambdaProxyRoute(stack, 'Files', { api, path: '/files/{proxy+}', method: 'ANY', handler: fn, authorization: RouteAuthorization.iam() });
  new LambdaProxyRoute(stack, 'Root', { api, path: '/', method: 'GET', handler: fn, authorization: RouteAuthorization.none() });
  new MockRoute(stack, 'Item', {
    api, path: '/items/{itemId}', method: 'GET', cors, body: { item: 'ok', price: '$5' }, headers: { 'X-Mock': 'yes' },
    scenarios: [{ value: 'missing', statusCode: 404, body: { error: 'missing' } }, { value: 'slow', statusCode: 504, responseTemplate: '{}' }],
    scenarioSelector: MockSelector.pathParameter('itemId'), cache: { ttl: Duration.minutes(1) },
  });

  const publicApi = new apigw.RestApi(stack, 'PublicApi');
  new ApiCors(stack, 'PublicCors', { api: publicApi, allowOrigins: ['*'] });
  new MockRoute(stack, 'Health', {
    api: publicApi, path: '/health', method: 'GET', body: { ok: true },
    scenarios: [{ value: 'down', statusCode: 503 }], scenarioSelector: MockSelector.header('X-Scenario'),
  });
  new LambdaProxyRoute(stack, 'PublicOrders', { api: publicApi, path: '/orders/{orderId}', method: 'GET', handler: fn });

  // Private integrations: a V1 link to an NLB, and a V2 link to an ALB (IntegrationTarget).
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  nlb.addListener('Http', { port: 80 }).addTargets('Ip', { port: 80, targets: [new elbv2targets.IpTarget('10.0.0.10')] });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  alb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
  const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  new PrivateVpcLinkRoute(stack, 'Internal', { api: publicApi, path: '/internal/{proxy+}', method: 'ANY', loadBalancer: nlb });
  new PrivateVpcLinkRoute(stack, 'App', { api: publicApi, path: '/app/{proxy+}', method: 'ANY', loadBalancer: alb, vpcLinkV2: linkV2 });

  let template: Template | undefined;
  expect(() => {
    template = Template.fromStack(stack);
  }).not.toThrow();
  template!.resourceCountIs('AWS::ApiGateway::RestApi', 2);
  template!.resourceCountIs('AWS::ApiGateway::GatewayResponse', 4);
});
