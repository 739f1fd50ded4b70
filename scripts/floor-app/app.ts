// A user's app at the aws-cdk-lib floor: scripts/test-at-floor.js installs the packed tarball into a fresh
// project pinned to that aws-cdk-lib, compiles this file with the project's own TypeScript (our .d.ts checked
// against the floor's types) and runs it. A route of every kind, every service integration, and the pieces
// around them; then the synthesized template is checked for each of them, and the local emulator serves it.
import * as fs from 'fs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  ApiCors, ApiDocument, ApiNestedStack, ContentBasedRoute, DynamoAttribute, FanOutBranch, FanOutFailurePolicy, FanOutRoute, Field,
  HttpRoute, KeyCondition, LambdaCustomRoute, LambdaErrorResponse, LambdaProxyRoute, MockRoute, PrivateVpcLinkRoute, RequestTemplate,
  RouteAuthorization, SecureRestApi, ServiceAction, ServiceIntegrationRoute, StageVariable, StageVariables, TemplateValue, UsagePlanTier,
} from 'cdk-apigateway-patterns';
import { LocalApi } from 'cdk-apigateway-patterns/local';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'FloorApp', { env: { account: '123456789012', region: 'eu-west-1' } });
const api = new SecureRestApi(stack, 'Api', { deployOptions: { stageName: 'prod' }, binaryMediaTypes: ['image/png'] });
new ApiCors(stack, 'Cors', { api, allowOrigins: ['https://app.example.com'], allowHeaders: ['Content-Type', 'Authorization'] });

const fn = (id: string) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
});
const pool = new cognito.UserPool(stack, 'Pool');
const signedIn = RouteAuthorization.cognito([pool]);
const str = DynamoAttribute.stringValue;

// Lambda proxy (cached), Lambda custom (VTL both ways, a TOKEN authorizer whose context reaches the template)
new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders/{orderId}', method: 'GET', handler: fn('OrdersFn'), cache: { ttl: Duration.minutes(5) } });
new LambdaCustomRoute(stack, 'Legacy', {
  api, path: '/legacy/customers', method: 'POST', handler: fn('LegacyFn'),
  authorization: RouteAuthorization.lambdaToken(fn('AuthFn'), { validationRegex: '^Bearer [-0-9a-zA-Z._]+$' }),
  requestTemplate: RequestTemplate.fromValues({
    CUST_NAME: TemplateValue.stringValue(Field.body('$.name')), CALLER: TemplateValue.stringValue(Field.authorizerContext('userId')),
  }),
  responseTemplate: '{"customerId": $input.json(\'$.CUST_NO\')}',
  errorResponses: [LambdaErrorResponse.tagged('NotFound', 404)],
});
// Mock
new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', body: { status: 'ok' } });
// HTTP proxy through a stage variable, HTTP custom
const usersHost = StageVariable.of('usersHost');
StageVariables.set(api.deploymentStage, { usersHost: 'users.example.com' });
new HttpRoute(stack, 'UsersProxy', { api, path: '/users/{proxy+}', method: 'ANY', url: `https://${usersHost.reference}/users/{proxy}` });
new HttpRoute(stack, 'Quote', {
  api, path: '/quote', method: 'POST', url: 'https://quotes.example.com/v1/quote', proxy: false,
  requestTemplate: RequestTemplate.fromFields({ symbol: Field.body('$.symbol') }),
});
// Private integration over a VPC link to an NLB
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: false });
nlb.addListener('Http', { port: 80 }).addTargets('Targets', { port: 80 });
new PrivateVpcLinkRoute(stack, 'Internal', { api, path: '/internal/{proxy+}', method: 'ANY', loadBalancer: nlb });
// ... and over a VPC link V2 to an ALB
const linkSg = new ec2.SecurityGroup(stack, 'LinkSg', { vpc });
const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
alb.addListener('AppHttp', { port: 80, open: false }).addTargets('AppTargets', { port: 80 });
alb.connections.allowFrom(linkSg, ec2.Port.tcp(80));
const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, securityGroups: [linkSg] });
new PrivateVpcLinkRoute(stack, 'App', { api, path: '/app/{proxy+}', method: 'ANY', loadBalancer: alb, vpcLinkV2: linkV2 });

// AWS service integrations: SQS, SNS, DynamoDB (every preset), Step Functions, EventBridge, Kinesis, S3, custom
const users = new dynamodb.Table(stack, 'UsersTable', { partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });
const orders = new dynamodb.Table(stack, 'OrdersTable', {
  partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
});
const userId = str(Field.path('userId'));
const express = new sfn.StateMachine(stack, 'Express', {
  stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
});
const services: Record<string, [method: string, path: string, action: ServiceAction]> = {
  Enqueue: ['POST', '/queue', ServiceAction.sqsSendMessage(new sqs.Queue(stack, 'Queue'))],
  Notify: ['POST', '/notify', ServiceAction.snsPublish(new sns.Topic(stack, 'Topic'))],
  GetUser: ['GET', '/users-db/{userId}', ServiceAction.dynamoDbGetItem(users, { key: { userId } })],
  PutUser: ['PUT', '/users-db/{userId}', ServiceAction.dynamoDbPutItem(users, { item: { userId, name: str(Field.body('$.name')) } })],
  UpdateUser: ['PATCH', '/users-db/{userId}', ServiceAction.dynamoDbUpdateItem(users, { key: { userId }, set: { name: str(Field.body('$.name')) } })],
  DeleteUser: ['DELETE', '/users-db/{userId}', ServiceAction.dynamoDbDeleteItem(users, { key: { userId } })],
  ListOrders: ['GET', '/users-db/{userId}/orders', ServiceAction.dynamoDbQuery(orders, { keyCondition: KeyCondition.eq('userId', userId), limit: 25 })],
  ScanUsers: ['GET', '/users-db', ServiceAction.dynamoDbScan(users, { limit: 50 })],
  Start: ['POST', '/workflows', ServiceAction.stepFunctionsStartExecution(express)],
  Run: ['POST', '/workflows/run', ServiceAction.stepFunctionsStartSyncExecution(express)],
  Publish: ['POST', '/events', ServiceAction.eventBridgePutEvents(new events.EventBus(stack, 'Bus'), { source: 'com.example', detailType: Field.literal('OrderPlaced') })],
  Record: ['POST', '/records', ServiceAction.kinesisPutRecord(new kinesis.Stream(stack, 'Stream'))],
  GetFile: ['GET', '/files/{key}', ServiceAction.s3GetObject(new s3.Bucket(stack, 'Files'), { key: Field.path('key') })],
  PutFile: ['PUT', '/uploads/{key}', ServiceAction.s3PutObject(new s3.Bucket(stack, 'Uploads'), { key: Field.path('key') })],
  Describe: ['GET', '/users-table', ServiceAction.custom({
    service: 'dynamodb', action: 'DescribeTable', requestTemplate: `{"TableName": "${users.tableName}"}`,
    iamActions: ['dynamodb:DescribeTable'], iamResources: [users.tableArn],
  })],
};
for (const [id, [method, path, action]] of Object.entries(services)) {
  new ServiceIntegrationRoute(stack, id, { api, path, method, action, authorization: signedIn });
}

// Fan-out (one request, three backends, one answer) and content-based routing
new FanOutRoute(stack, 'Profile', {
  api, path: '/users-db/{userId}/profile', method: 'GET', authorization: signedIn,
  branches: {
    user: FanOutBranch.dynamoDbGetItem(users, { key: { userId } }),
    orders: FanOutBranch.dynamoDbQuery(orders, { keyCondition: KeyCondition.eq('userId', userId), limit: 10 }),
    recommendations: FanOutBranch.lambdaInvoke(fn('RecoFn'), { timeout: Duration.seconds(3) }),
  },
  failurePolicy: FanOutFailurePolicy.PARTIAL_RESULTS,
});
const urgent = new sqs.Queue(stack, 'Urgent');
new ContentBasedRoute(stack, 'Jobs', {
  api, path: '/jobs', method: 'POST', selector: Field.body('$.type'),
  cases: [{
    value: 'urgent', target: FanOutBranch.awsSdk({
      service: 'sqs', action: 'sendMessage', parameters: { QueueUrl: urgent.queueUrl, MessageBody: '{% $string($states.input.body) %}' },
      iamResources: [urgent.queueArn], iamActions: ['sqs:SendMessage'],
    }),
  }],
  defaultTarget: FanOutBranch.lambdaInvoke(fn('JobsFn')),
});

// Usage plans and API keys, routes in a nested stack, the OpenAPI document
const search = new LambdaProxyRoute(stack, 'Search', { api, path: '/search', method: 'GET', handler: fn('SearchFn'), apiKeyRequired: true });
const basic = new UsagePlanTier(stack, 'Basic', { api, throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigw.Period.DAY } });
basic.addApiKey('Customer-A');
basic.throttleRoute(search, { rateLimit: 2, burstLimit: 4 });
const nested = new ApiNestedStack(stack, 'Reports', { api });
new MockRoute(nested, 'Report', { api, path: '/reports', method: 'GET', body: { reports: [] } });
new ApiDocument(stack, 'Doc', { api });

const assembly = app.synth();
const template = Template.fromJSON(assembly.getStackByName('FloorApp').template);

// What each kind of route must have put in the template.
interface MethodProperties { HttpMethod: string; Integration?: { Type?: string; ConnectionType?: string; IntegrationTarget?: unknown } }
const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as { Properties: MethodProperties }[];
const integrationTypes = new Set(methods.map((m) => `${m.Properties.Integration?.Type}${m.Properties.Integration?.ConnectionType === 'VPC_LINK' ? ' VPC_LINK' : ''}`));
const expected = ['AWS_PROXY', 'AWS', 'MOCK', 'HTTP_PROXY', 'HTTP', 'HTTP_PROXY VPC_LINK'];
const missing = expected.filter((t) => !integrationTypes.has(t));
if (missing.length) throw new Error(`no method with integration ${missing.join(', ')} (found ${[...integrationTypes].join(', ')})`);
if (!methods.some((m) => m.Properties.Integration?.IntegrationTarget)) throw new Error('no method targets the ALB through the VPC link V2');
const counts: Record<string, number> = {
  'AWS::StepFunctions::StateMachine': 3, // the Express one above, the fan-out's and the content-based route's
  'AWS::ApiGateway::UsagePlan': 1,
  'AWS::ApiGateway::ApiKey': 1,
  'AWS::ApiGateway::VpcLink': 1,
  'AWS::ApiGatewayV2::VpcLink': 1,
  'AWS::ApiGateway::Authorizer': 2,
  'AWS::CloudFormation::Stack': 1,
};
for (const [type, count] of Object.entries(counts)) template.resourceCountIs(type, count);
const documents = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.openapi.json'));
if (documents.length !== 1) throw new Error(`expected one OpenAPI document, found ${documents.join(', ') || 'none'}`);
process.stdout.write(`floor app: ${methods.length} methods (${[...integrationTypes].sort().join(', ')}), ${Object.keys(template.toJSON().Resources).length} resources\n`);

// The emulator serves what this aws-cdk-lib synthesized, over a socket: a mock, a Lambda run in-process, an authorizer.
async function serveLocally(): Promise<void> {
  const local = LocalApi.fromAssembly(assembly.directory, { stack: 'FloorApp' });
  const { url } = await local.listen(0);
  try {
    const answers: string[] = [];
    for (const [path, status] of [['health', 200], ['orders/o-1', 200], ['queue', 401]] as const) {
      const response = await fetch(`${url}${path}`, { method: path === 'queue' ? 'POST' : 'GET' });
      const body = await response.text();
      if (response.status !== status) throw new Error(`${path}: ${response.status} ${body}, expected ${status}`);
      answers.push(`${path} ${response.status} ${body}`);
    }
    process.stdout.write(`served locally at ${url}: ${answers.join('; ')}\n`);
  } finally {
    await local.close();
  }
}
serveLocally().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
