import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  ApiCors,
  ContentBasedRoute,
  DynamoAttribute,
  ExpressWorkflowOptions,
  FanOutBranch,
  FanOutFailurePolicy,
  FanOutRoute,
  Field,
  KeyCondition,
  RouteAuthorization,
  SecureRestApi,
  ServiceAction,
  ServiceIntegrationRoute,
} from '../lib';
import { exampleFunction, FRONT_END_HEADERS, FRONT_END_ORIGINS } from './shared/functions';
import { exampleQueue, exampleTable } from './shared/resources';
import { exampleUserPool, exampleWebAcl } from './shared/security';

/** Props of `FanOutStack`. */
export interface FanOutStackProps extends StackProps {
  /**
   * Origins of the browser front end.
   * @default FRONT_END_ORIGINS (https://app.example.com, https://admin.example.com)
   */
  readonly allowedOrigins?: string[];
}

/**
 * Scenarios 3 and 4, and asynchronous fan-out: several backends for one request without glue Lambdas.
 *
 * | Method | Path                      | Construct               | Backends                                                            |
 * | ------ | ------------------------- | ----------------------- | ------------------------------------------------------------------- |
 * | GET    | /users/me/profile         | FanOutRoute             | in parallel: the caller's user record (DynamoDB GetItem) and orders (DynamoDB Query, newest 10), recommendations (Lambda); partial results if one fails |
 * | POST   | /jobs                     | ContentBasedRoute       | body `type` "urgent" → priority queue, "batch" → batch queue, anything else → standard processor (Lambda) |
 * | POST   | /orders/{orderId}/events  | ServiceIntegrationRoute | SNS publish, answered 202 Accepted; billing and shipping queues subscribe; IAM-signed by the shop's services |
 *
 * The profile and the jobs need a signed-in user (Cognito; no self sign-up). The profile is the caller's:
 * both DynamoDB reads are keyed by the `sub` claim of the verified token, so no id in the URL can reach
 * another user's record. Order events drive billing and shipping, so shoppers cannot publish them: the
 * route takes IAM-signed requests from the shop's own services. The API is a SecureRestApi behind a WAF
 * web ACL. The state machines log every event (without request data) and are traced with X-Ray.
 */
export class FanOutStack extends Stack {
  /** The REST API. */
  public readonly api: SecureRestApi;
  /** GET /users/me/profile. */
  public readonly profile: FanOutRoute;
  /** POST /jobs. */
  public readonly jobs: ContentBasedRoute;

  constructor(scope: Construct, id: string, props: FanOutStackProps = {}) {
    super(scope, id, props);
    const origins = props.allowedOrigins ?? FRONT_END_ORIGINS;
    const webAcl = exampleWebAcl(this, 'WebAcl');
    this.api = new SecureRestApi(this, 'Api', {
      restApiName: 'fan-out-api',
      description: 'cdk-apigateway-patterns example: parallel fan-out, content-based routing and asynchronous fan-out',
      webAclArn: webAcl.attrArn,
      deployOptions: { stageName: 'prod', throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    });
    const api = this.api;
    new ApiCors(this, 'Cors', { api, allowOrigins: origins, allowHeaders: FRONT_END_HEADERS, maxAge: Duration.minutes(10) });
    const authorization = RouteAuthorization.cognito([exampleUserPool(this, 'UserPool')]);

    // --- Scenario 3: the caller's profile, from three backends at once, keyed by the caller's sub ---
    const users = exampleTable(this, 'UsersTable', { partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });
    const orders = exampleTable(this, 'OrdersTable', {
      partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'orderDate', type: dynamodb.AttributeType.STRING },
    });
    const recommendationsFn = exampleFunction(this, 'RecommendationsFn', {
      description: 'Recommendations: this week\'s best sellers (a fan-out branch)',
      proxyPrelude: false,
      // A Lambda branch gets the request (body, path, query, chosen headers), not the authorizer's claims,
      // so these recommendations are the same for every caller.
      handlerCode: `
exports.handler = async () => ({ basis: 'best sellers', items: ['sku-1', 'sku-2'] });`,
    });
    const userId = DynamoAttribute.stringValue(Field.authorizerClaim('sub'));
    this.profile = new FanOutRoute(this, 'Profile', {
      api,
      path: '/users/me/profile',
      method: 'GET',
      authorization,
      branches: {
        user: FanOutBranch.dynamoDbGetItem(users, { key: { userId }, projection: ['userId', 'username', 'email'] }),
        orders: FanOutBranch.dynamoDbQuery(orders, { keyCondition: KeyCondition.eq('userId', userId), scanIndexForward: false, limit: 10 }),
        recommendations: FanOutBranch.lambdaInvoke(recommendationsFn, {
          timeout: Duration.seconds(3),
          retry: { errors: ['Lambda.TooManyRequestsException'], maxAttempts: 1, interval: Duration.seconds(1) },
        }),
      },
      // A profile without recommendations is still a profile.
      failurePolicy: FanOutFailurePolicy.PARTIAL_RESULTS,
      timeout: Duration.seconds(10),
      ...observed(this, 'ProfileWorkflowLogs'),
    });
    acknowledgeWorkflowRole(this.profile.stateMachine, 'reads the users table, queries the orders table and invokes the recommendations function', [recommendationsFn]);

    // --- Scenario 4: content-based routing of jobs ---
    const priorityQueue = exampleQueue(this, 'PriorityJobs');
    const batchQueue = exampleQueue(this, 'BatchJobs');
    const standardFn = exampleFunction(this, 'StandardJobsFn', {
      description: 'Standard job processor (content-based routing default)',
      proxyPrelude: false,
      handlerCode: `
exports.handler = async (event) => ({ accepted: true, requestId: event.requestId });`,
    });
    this.jobs = new ContentBasedRoute(this, 'Jobs', {
      api,
      path: '/jobs',
      method: 'POST',
      authorization,
      selector: Field.body('$.type'),
      cases: [
        { value: 'urgent', target: enqueue(priorityQueue) },
        { value: 'batch', target: enqueue(batchQueue) },
      ],
      defaultTarget: FanOutBranch.lambdaInvoke(standardFn, { timeout: Duration.seconds(5) }),
      timeout: Duration.seconds(8),
      ...observed(this, 'JobsWorkflowLogs'),
    });
    acknowledgeWorkflowRole(this.jobs.stateMachine, 'sends to the two job queues and invokes the standard processor', [standardFn]);

    // --- Asynchronous fan-out: one message, several subscribers, 202 at once ---
    const topicKey = new kms.Key(this, 'OrderEventsKey', {
      description: 'Encrypts the order events topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const orderEvents = new sns.Topic(this, 'OrderEvents', { masterKey: topicKey, enforceSSL: true });
    for (const name of ['Billing', 'Shipping']) {
      orderEvents.addSubscription(new subscriptions.SqsSubscription(exampleQueue(this, `${name}Queue`), { rawMessageDelivery: true }));
    }
    const publishOrderEvent = new ServiceIntegrationRoute(this, 'PublishOrderEvent', {
      api,
      path: '/orders/{orderId}/events',
      method: 'POST',
      // Billing and shipping act on these events: only the shop's services (IAM-signed) may publish them.
      authorization: RouteAuthorization.iam(),
      action: ServiceAction.snsPublish(orderEvents, { messageAttributesFromHeaders: { eventType: 'X-Event-Type' } }),
      successStatusCode: 202,
    });
    Validations.of(publishOrderEvent.method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'POST /orders/{orderId}/events drives billing and shipping, so it is for the shop\'s own services, which ' +
        'sign their requests with IAM (AWS_IAM authorization); shoppers of the user pool must not reach it',
    });
  }
}

/** Workflow logging cdk-nag asks for (SF1: every event; SF2: X-Ray), without the request data. */
function observed(scope: Construct, id: string): ExpressWorkflowOptions {
  const destination = new logs.LogGroup(scope, id, {
    logGroupName: `/aws/vendedlogs/states/${Stack.of(scope).stackName}-${id}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { logs: { destination, level: sfn.LogLevel.ALL, includeExecutionData: false }, tracing: true };
}

/** Why the workflow role holds `*` resources: services that have no resource-level permissions. */
function acknowledgeWorkflowRole(machine: sfn.StateMachine, does: string, functions: lambda.IFunction[]): void {
  Validations.of(machine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Besides its exact grants (it ${does}), the workflow role has only Step Functions log delivery and X-Ray ` +
      'actions, which have no resource-level permissions',
  });
  for (const fn of functions) {
    Validations.of(machine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: `aws-cdk-lib's LambdaInvoke task also grants the versions and aliases of ${fn.node.id} (<arn>:*), so a ` +
        'qualified ARN can be invoked; it is still this one function',
    });
  }
}


/** A content-based routing target that sends the request body to `target` as the message. */
function enqueue(target: sqs.Queue): FanOutBranch {
  return FanOutBranch.awsSdk({
    service: 'sqs',
    action: 'sendMessage',
    parameters: { QueueUrl: target.queueUrl, MessageBody: '{% $string($states.input.body) %}' },
    iamResources: [target.queueArn],
    iamActions: ['sqs:SendMessage'],
    resultSelector: '{% {"messageId": $states.result.MessageId} %}',
    timeout: Duration.seconds(3),
  });
}

