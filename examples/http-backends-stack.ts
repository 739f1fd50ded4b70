import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import {
  ApiCors,
  Field,
  HttpParameter,
  HttpRoute,
  LambdaCustomRoute,
  LambdaErrorResponse,
  LambdaProxyRoute,
  PrivateVpcLinkRoute,
  RequestTemplate,
  RouteAuthorization,
  SecureRestApi,
  ServiceAction,
  ServiceIntegrationRoute,
  StageVariable,
  StageVariables,
  TemplateValue,
} from '../lib';
import { exampleFunction, FRONT_END_HEADERS, FRONT_END_ORIGINS } from './shared/functions';
import { LEGACY_ADAPTER_CODE } from './shared/legacy-adapter';
import { acknowledgeOpenRoute, exampleUserPool, exampleWebAcl } from './shared/security';

/** Props of `HttpBackendsStack`. */
export interface HttpBackendsStackProps extends StackProps {
  /**
   * Origins of the browser front end.
   * @default FRONT_END_ORIGINS (https://app.example.com, https://admin.example.com)
   */
  readonly allowedOrigins?: string[];
  /**
   * The external users service's host per stage: the `backendUrl` stage variable (scenario 8).
   * @default { prod: 'api.example.com', dev: 'api-dev.example.com' }
   */
  readonly backendHosts?: { readonly prod: string; readonly dev: string };
}

/** The stage variable that names the external backend's host in each stage (scenario 8). */
export const BACKEND_URL = StageVariable.of('backendUrl');

/**
 * Scenarios 1, 8, 11 and 12: one API in front of backends of every kind, deployed to a `prod` and a `dev`
 * stage that reach different external hosts through the `backendUrl` stage variable.
 *
 * | Method | Path                        | Construct                  | Backend                                                          |
 * | ------ | --------------------------- | -------------------------- | ---------------------------------------------------------------- |
 * | ANY    | /users, /users/{proxy+}     | HttpRoute (HTTP_PROXY)     | https://${backendUrl}/users/...: api.example.com or api-dev.example.com |
 * | GET    | /catalog/search             | HttpRoute (HTTP custom)    | https://${backendUrl}/v2/search, query and headers mapped, answer reshaped, cached 60 s |
 * | GET    | /orders, /orders/{orderId}  | LambdaProxyRoute           | the orders function                                              |
 * | GET    | /products                   | ServiceIntegrationRoute    | DynamoDB Scan of the Products table                              |
 * | POST   | /legacy/customers           | LambdaCustomRoute          | legacy adapter: JSON → legacy XML → JSON, [NotFound]/[Invalid] mapped |
 * | GET    | /legacy/customers/{id}      | LambdaCustomRoute          | the same adapter, lookup                                         |
 * | ANY    | /inventory/{proxy+}         | PrivateVpcLinkRoute        | inventory service on ECS Fargate behind an internal NLB          |
 * | GET    | /inventory                  | PrivateVpcLinkRoute (HTTP) | the same NLB through the same VPC link, 3 s timeout              |
 *
 * Proxy routes pass the backend's answer untouched, so those backends set their own CORS headers; the
 * preflights and API Gateway's own error answers get them from the API's `ApiCors`.
 *
 * Callers sign in with the stack's Cognito user pool (no self sign-up), except on the public catalogue
 * reads (GET /products and /catalog/search). Every backend that gets an id from the path also gets the
 * caller's identity, so it can answer only what is the caller's: the HTTP and VPC-link proxies send the
 * verified `sub` claim as `X-Caller-Sub` (set by API Gateway, replacing any such header the client sent),
 * the legacy adapter gets it as `OWNER_ID`, and the orders function reads it from the request context. The API is a `SecureRestApi`; the dev stage gets the same protection by hand
 * (access and execution logs, X-Ray, the web ACL). The VPC logs its flows.
 */
export class HttpBackendsStack extends Stack {
  /** The REST API. */
  public readonly api: SecureRestApi;
  /** The `dev` stage (the `prod` stage is `api.deploymentStage`). */
  public readonly devStage: apigw.Stage;
  /** The internal load balancer in front of the inventory service. */
  public readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** The user pool whose signed-in users may call the routes. */
  public readonly userPool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: HttpBackendsStackProps = {}) {
    super(scope, id, props);
    const origins = props.allowedOrigins ?? FRONT_END_ORIGINS;
    const hosts = props.backendHosts ?? { prod: 'api.example.com', dev: 'api-dev.example.com' };

    const webAcl = exampleWebAcl(this, 'WebAcl');
    this.api = new SecureRestApi(this, 'Api', {
      restApiName: 'http-backends-api',
      description: 'cdk-apigateway-patterns example: HTTP backends per stage, a legacy XML service and a private service on ECS',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      webAclArn: webAcl.attrArn,
      deployOptions: { stageName: 'prod', throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    });
    const api = this.api;
    // Scenario 8: both stages serve the same deployment; only the stage variable differs. The dev stage
    // is secured as SecureRestApi secures the prod stage: JSON access logs, ERROR execution logs, X-Ray.
    this.devStage = new apigw.Stage(this, 'DevStage', {
      deployment: api.latestDeployment!,
      stageName: 'dev',
      throttlingRateLimit: 10,
      throttlingBurstLimit: 20,
      accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(this, 'DevAccessLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      })),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
      tracingEnabled: true,
    });
    // Execution logging needs the account's CloudWatch role, which the prod stage waits for.
    this.devStage.node.addDependency(api.deploymentStage);
    new wafv2.CfnWebACLAssociation(this, 'DevWebAclAssociation', { resourceArn: this.devStage.stageArn, webAclArn: webAcl.attrArn })
      .node.addDependency(this.devStage);
    StageVariables.set(api.deploymentStage, { [BACKEND_URL.name]: hosts.prod });
    StageVariables.set(this.devStage, { [BACKEND_URL.name]: hosts.dev });

    new ApiCors(this, 'Cors', { api, allowOrigins: origins, allowHeaders: FRONT_END_HEADERS, maxAge: Duration.minutes(10) });
    this.userPool = exampleUserPool(this, 'UserPool');
    this.userPool.addClient('WebClient', { generateSecret: false, preventUserExistenceErrors: true, authFlows: { userSrp: true } });
    const authorization = RouteAuthorization.cognito([this.userPool]);
    // The caller's verified identity for backends behind proxies: they see the path, so they must know whose
    // request it is to keep each user to their own records. (The backend must accept calls from this API only.)
    const callerHeader = { 'header.X-Caller-Sub': HttpParameter.fromContext('authorizer.claims.sub') };

    // --- Scenario 1: microservices behind one API ---
    new HttpRoute(this, 'Users', {
      api, path: '/users', method: 'ANY', url: `https://${BACKEND_URL.reference}/users`, authorization, requestParameters: callerHeader,
    });
    new HttpRoute(this, 'UsersProxy', {
      api, path: '/users/{proxy+}', method: 'ANY', url: `https://${BACKEND_URL.reference}/users/{proxy}`, timeout: Duration.seconds(10),
      authorization, requestParameters: callerHeader,
    });
    const ordersFn = exampleFunction(this, 'OrdersFn', {
      description: 'Orders service (Lambda proxy)',
      allowedOrigins: origins,
      handlerCode: `
exports.handler = async (event) => {
  // Orders are looked up by (customer, orderId), the customer being the verified caller: another user's
  // order id finds nothing.
  const customer = event.requestContext.authorizer.claims.sub;
  const id = event.pathParameters && event.pathParameters.orderId;
  return id ? reply(event, 200, { orderId: id, customer, status: 'SHIPPED' }) : reply(event, 200, { customer, orders: [] });
};`,
    });
    new LambdaProxyRoute(this, 'ListOrders', { api, path: '/orders', method: 'GET', handler: ordersFn, authorization });
    new LambdaProxyRoute(this, 'GetOrder', { api, path: '/orders/{orderId}', method: 'GET', handler: ordersFn, authorization });
    const products = new dynamodb.Table(this, 'ProductsTable', {
      partitionKey: { name: 'productId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const listProducts = new ServiceIntegrationRoute(this, 'ListProducts', {
      api, path: '/products', method: 'GET', action: ServiceAction.dynamoDbScan(products, { limit: 50 }),
    });
    acknowledgeOpenRoute(listProducts, 'Scenario 1: GET /products is the public, read-only product catalogue that shoppers ' +
      'browse before they sign in; the web ACL rate-limits each client');

    // An HTTP custom integration on the same per-stage host: the query and request id are mapped, a
    // version header is fixed, and the backend's answer is reshaped ($input.json prints valid JSON).
    const searchCatalog = new HttpRoute(this, 'SearchCatalog', {
      api,
      path: '/catalog/search',
      method: 'GET',
      url: `https://${BACKEND_URL.reference}/v2/search`,
      proxy: false,
      requestParameters: {
        'querystring.q': HttpParameter.fromQuery('q'),
        'header.X-Request-Id': HttpParameter.fromContext('requestId'),
      },
      staticHeaders: { 'X-Api-Version': '2' },
      responseTemplate: '{"results": $input.json(\'$.items\'), "total": $input.json(\'$.count\')}',
      timeout: Duration.seconds(5),
      cache: { ttl: Duration.seconds(60), queryParameters: ['q'] },
      requestValidation: { requiredQueryParameters: ['q'] },
    });
    acknowledgeOpenRoute(searchCatalog, 'GET /catalog/search searches the public product catalogue for shoppers who have ' +
      'not signed in; answers are cached 60 s per query and the web ACL rate-limits each client');

    // --- Scenario 11: a legacy XML service through a Lambda custom integration ---
    const legacyFn = exampleFunction(this, 'LegacyCustomersFn', {
      description: 'Adapter to the legacy customer service (XML)',
      proxyPrelude: false,
      handlerCode: LEGACY_ADAPTER_CODE,
    });
    const legacyErrors = [LambdaErrorResponse.tagged('NotFound', 404), LambdaErrorResponse.tagged('Invalid', 400)];
    // The legacy record, renamed for the client (the adapter returns the legacy element names).
    const customerResponse = '{"customerId": $input.json(\'$.CUST_NO\'), "name": $input.json(\'$.CUST_NAME\'), ' +
      '"email": $input.json(\'$.EMAIL_ADDR\'), "creditLimit": $input.json(\'$.CREDIT_LIM\'), "status": $input.json(\'$.STATUS_CD\')}';
    new LambdaCustomRoute(this, 'CreateLegacyCustomer', {
      api,
      path: '/legacy/customers',
      method: 'POST',
      handler: legacyFn,
      requestTemplate: RequestTemplate.fromValues({
        OPERATION: TemplateValue.stringValue(Field.literal('CREATE')),
        CUST_NAME: TemplateValue.stringValue(Field.body('$.name')),
        EMAIL_ADDR: TemplateValue.stringValue(Field.body('$.email')),
        CREDIT_LIM: TemplateValue.numberValue(Field.body('$.creditLimit')),
        OWNER_ID: TemplateValue.stringValue(Field.authorizerClaim('sub')),
        REQ_ID: TemplateValue.stringValue(Field.context('requestId')),
      }),
      responseTemplate: customerResponse,
      errorResponses: legacyErrors,
      timeout: Duration.seconds(10),
      authorization,
    });
    new LambdaCustomRoute(this, 'GetLegacyCustomer', {
      api,
      path: '/legacy/customers/{customerId}',
      method: 'GET',
      handler: legacyFn,
      requestTemplate: RequestTemplate.fromFields({
        OPERATION: Field.literal('LOOKUP'),
        CUST_NO: Field.path('customerId'),
        // The legacy service answers a lookup only for customers of OWNER_ID, the caller.
        OWNER_ID: Field.authorizerClaim('sub'),
        REQ_ID: Field.context('requestId'),
      }),
      responseTemplate: customerResponse,
      errorResponses: legacyErrors,
      timeout: Duration.seconds(10),
      authorization,
    });

    // --- Scenario 12: a private service on ECS Fargate behind an internal NLB ---
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'services', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'VpcFlowLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      })),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'InventoryTask', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    taskDefinition.addContainer('web', {
      // A stand-in for the inventory service: any HTTP server on port 80.
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'),
      portMappings: [{ containerPort: 80 }],
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'inventory',
        logGroup: new logs.LogGroup(this, 'InventoryLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      }),
    });
    const service = new ecs.FargateService(this, 'InventoryService', {
      cluster,
      taskDefinition,
      desiredCount: 2,
      minHealthyPercent: 100,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
    });
    const nlbSecurityGroup = new ec2.SecurityGroup(this, 'NlbSecurityGroup', {
      vpc,
      description: 'Inventory NLB: reached only through the API Gateway VPC link',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'InventoryNlb', {
      vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      crossZoneEnabled: true,
      securityGroups: [nlbSecurityGroup],
      // A REST API VPC link's traffic arrives over PrivateLink from addresses no rule can name.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    });
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason: 'A Network Load Balancer writes access logs for TLS listeners only; this one has a single TCP listener ' +
        '(port 80, reached through the VPC link), so there would be no log; the VPC flow logs record its traffic',
    });
    const listener = this.loadBalancer.addListener('Http', { port: 80 });
    listener.addTargets('Inventory', {
      port: 80,
      targets: [service.loadBalancerTarget({ containerName: 'web', containerPort: 80 })],
      healthCheck: { protocol: elbv2.Protocol.HTTP, path: '/', interval: Duration.seconds(10) },
      deregistrationDelay: Duration.seconds(30),
    });
    // Only the load balancer reaches the tasks (egress on the NLB's group, ingress on the tasks').
    nlbSecurityGroup.connections.allowTo(service, ec2.Port.tcp(80), 'HTTP from the inventory NLB to its tasks');

    // Both routes use the one VpcLink of this NLB (created by the first, found by the second).
    new PrivateVpcLinkRoute(this, 'Inventory', {
      api, path: '/inventory/{proxy+}', method: 'ANY', loadBalancer: this.loadBalancer, authorization, requestParameters: callerHeader,
    });
    new PrivateVpcLinkRoute(this, 'InventorySummary', {
      api,
      path: '/inventory',
      method: 'GET',
      loadBalancer: this.loadBalancer,
      backendPath: '/index.html',
      timeout: Duration.seconds(3),
      proxy: false,
      requestParameters: { 'header.X-Request-Id': HttpParameter.fromContext('requestId') },
      authorization,
    });
  }
}
