import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  ApiCors,
  DynamoAttribute,
  Field,
  KeyCondition,
  RouteAuthorization,
  SecureRestApi,
  ServiceAction,
  ServiceIntegrationRoute,
  ServiceIntegrationRouteProps,
} from '../lib';
import { FRONT_END_HEADERS, FRONT_END_ORIGINS } from './shared/functions';
import { exampleQueue, exampleTable } from './shared/resources';
import { acknowledgeOpenRoute, exampleUserPool, exampleWebAcl } from './shared/security';

/** The scope support staff's tokens carry: it lets them read any user's profile. */
const USERS_SERVER_ID = 'users';
const ADMIN_SCOPE_NAME = 'admin';
export const USERS_ADMIN_SCOPE = `${USERS_SERVER_ID}/${ADMIN_SCOPE_NAME}`;

/** Props of `ServiceIntegrationsStack`. */
export interface ServiceIntegrationsStackProps extends StackProps {
  /**
   * Origins of the browser front end.
   * @default FRONT_END_ORIGINS (https://app.example.com, https://admin.example.com)
   */
  readonly allowedOrigins?: string[];
  /**
   * The stage the API is deployed to (it gets the cache cluster).
   * @default 'prod'
   */
  readonly stageName?: string;
}

/** The media types the files bucket holds: API Gateway sends them as bytes, both ways. */
export const FILE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'application/pdf', 'application/octet-stream'];

/**
 * Scenario 5 (and scenario 1's products table): an API that writes to and reads from AWS services
 * directly, without a Lambda function, one `ServiceIntegrationRoute` per route:
 *
 * | Method | Path                             | ServiceAction                   | Backend / options                                                   |
 * | ------ | -------------------------------- | ------------------------------- | ------------------------------------------------------------------- |
 * | POST   | /users                           | dynamoDbPutItem                 | Users table: the caller's profile (key: their `sub`), request id and time, 201, JSON Schema |
 * | GET    | /users/me                        | dynamoDbGetItem                 | Users table, the caller's profile, 404 when missing                 |
 * | PATCH  | /users/me                        | dynamoDbUpdateItem              | Users table, the caller's profile, 404 when missing                 |
 * | DELETE | /users/me                        | dynamoDbDeleteItem              | Users table, answers the caller's deleted profile                   |
 * | GET    | /users/me/orders                 | dynamoDbQuery                   | Orders table, the caller's orders, newest first, paginated          |
 * | GET    | /users/me/orders/{orderId}       | dynamoDbGetItem                 | Orders table, key (caller's sub, orderId): only the caller's order  |
 * | GET    | /users/{userId}                  | dynamoDbGetItem                 | Users table, any profile: support staff only (`users/admin` scope)  |
 * | GET    | /products                        | dynamoDbScan                    | Products table, cached 300 s per page                               |
 * | GET    | /categories/{category}/products  | dynamoDbQuery                   | Products table's byCategory index                                   |
 * | POST   | /orders                          | sqsSendMessage                  | orders queue (FIFO), body as the message, one group per caller      |
 * | POST   | /users/me/payments               | sqsSendMessage                  | payments queue (FIFO), one group per caller                         |
 * | POST   | /notifications                   | snsPublish                      | notifications topic, subject from a header; IAM-signed (shop services) |
 * | POST   | /events                          | eventBridgePutEvents            | the app's event bus                                                 |
 * | POST   | /clicks                          | kinesisPutRecord                | clickstream, partitioned by session                                 |
 * | GET    | /users/me/files/{key}            | s3GetObject                     | files bucket, the caller's folder `files/<sub>/`                    |
 * | PUT    | /users/me/files/{key}            | s3PutObject                     | files bucket, the caller's folder `files/<sub>/`                    |
 * | POST   | /workflows                       | stepFunctionsStartExecution     | onboarding workflow (STANDARD) of the caller, once per user         |
 * | POST   | /quotes                          | stepFunctionsStartSyncExecution | quote calculator (EXPRESS), answers its output                      |
 * | GET    | /admin/tables/users              | custom (DynamoDB DescribeTable) | IAM-authorized, status and item count                               |
 *
 * Every route has CORS: the API's `ApiCors` reflects either front-end origin; the file routes allow only
 * the app origin, since an S3 object passes through untouched and no template can pick the origin. All
 * routes share one integration role, granted each action on exactly its resource.
 *
 * Callers sign in with the stack's Cognito user pool (users are created by the shop, not by themselves),
 * except on the two public catalogue reads (GET /products and /categories/{category}/products) and the
 * IAM-signed routes of the shop's own services and operators (POST /notifications, GET
 * /admin/tables/users). A signed-in user reaches only their own records: every user-owned record is keyed
 * by the caller's `sub` claim (`Field.authorizerClaim('sub')`), never by an id in the URL or body (an order
 * id in the path is looked up inside the caller's partition); the one route that takes a user id in its
 * path (`GET /users/{userId}`) needs the `users/admin` scope, which only the support back office's client
 * may ask for. The API is a `SecureRestApi` (access and
 * execution logs, X-Ray) behind a WAF web ACL; the state machines log every execution and are traced;
 * the files bucket logs its access to a logs bucket.
 */
export class ServiceIntegrationsStack extends Stack {
  /** The REST API. */
  public readonly api: SecureRestApi;
  /** Users written by POST /users. */
  public readonly usersTable: dynamodb.Table;
  /** The user pool whose signed-in users may call the routes. */
  public readonly userPool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: ServiceIntegrationsStackProps = {}) {
    super(scope, id, props);
    const origins = props.allowedOrigins ?? FRONT_END_ORIGINS;

    this.api = new SecureRestApi(this, 'Api', {
      restApiName: 'service-integrations-api',
      description: 'cdk-apigateway-patterns example: routes straight to DynamoDB, SQS, SNS, EventBridge, Kinesis, S3 and Step Functions',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // PUT /files/{key} takes uploads past the common rule set's 8 KB body limit.
      webAclArn: exampleWebAcl(this, 'WebAcl', { allowLargeBodies: true }).attrArn,
      // Only the file routes carry binary bodies; JSON requests stay text for their templates.
      binaryMediaTypes: FILE_MEDIA_TYPES,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
      },
    });
    const api = this.api;

    new ApiCors(this, 'Cors', {
      api,
      allowOrigins: origins,
      allowHeaders: [...FRONT_END_HEADERS, 'X-Session-Id', 'X-Event-Type', 'X-Subject'],
      maxAge: Duration.minutes(10),
    });
    // Every route needs a signed-in user unless it says otherwise.
    this.userPool = exampleUserPool(this, 'UserPool');
    this.userPool.addClient('WebClient', { generateSecret: false, preventUserExistenceErrors: true, authFlows: { userSrp: true } });
    const signedIn = RouteAuthorization.cognito([this.userPool]);
    // Support staff's back office gets access tokens with the users/admin scope (client credentials); the
    // web client cannot ask for it, so a shopper's token never carries it.
    const adminScope = new cognito.ResourceServerScope({ scopeName: ADMIN_SCOPE_NAME, scopeDescription: 'Read any user profile (support staff)' });
    const usersServer = this.userPool.addResourceServer('UsersServer', { identifier: USERS_SERVER_ID, scopes: [adminScope] });
    this.userPool.addClient('SupportBackOffice', {
      generateSecret: true,
      preventUserExistenceErrors: true,
      oAuth: { flows: { clientCredentials: true }, scopes: [cognito.OAuthScope.resourceServer(usersServer, adminScope)] },
    });
    const supportStaff = RouteAuthorization.cognito([this.userPool], { scopes: [USERS_ADMIN_SCOPE] });
    // Whose records: the signed-in caller's, from the token API Gateway verified (never from the request).
    const caller = Field.authorizerClaim('sub');
    const route = (routeId: string, routeProps: Omit<ServiceIntegrationRouteProps, 'api'>) =>
      new ServiceIntegrationRoute(this, routeId, { api, authorization: signedIn, ...routeProps });
    const publicCatalogue = 'Scenario 1: the product catalogue is public, read-only data, cached 300 s per page and ' +
      'rate-limited per client by the web ACL; shoppers browse it before they sign in';
    const str = (field: Field) => DynamoAttribute.stringValue(field);

    // --- DynamoDB ---
    this.usersTable = exampleTable(this, 'UsersTable', { partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });
    const users = this.usersTable;
    const ordersTable = exampleTable(this, 'OrdersTable', {
      partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
    });
    const productsTable = exampleTable(this, 'ProductsTable', { partitionKey: { name: 'productId', type: dynamodb.AttributeType.STRING } });
    productsTable.addGlobalSecondaryIndex({
      indexName: 'byCategory',
      partitionKey: { name: 'category', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'name', type: dynamodb.AttributeType.STRING },
    });

    // Scenario 5: the caller's profile, keyed by their sub, with the request id and time as attributes, so
    // it needs no Lambda function; the answer is the stored item as plain JSON (201). A second POST of the
    // same user fails (onlyIfNew), and no one can create a profile for somebody else.
    route('CreateUser', {
      method: 'POST',
      path: '/users',
      operationName: 'CreateUser',
      action: ServiceAction.dynamoDbPutItem(users, {
        item: {
          userId: str(caller),
          requestId: str(Field.context('requestId')),
          createdAt: str(Field.context('requestTime')),
          username: str(Field.body('$.username')),
          email: str(Field.body('$.email')),
        },
        onlyIfNew: true,
      }),
      requestValidation: { bodyModelName: 'CreateUserRequest', bodySchema: CREATE_USER_SCHEMA },
    });
    // The caller's own profile and orders live under /users/me: the key is the caller's sub, so there is
    // no id in the URL to change. (A route keyed by a path id would let any signed-in user reach anyone's.)
    const myKey = { userId: str(caller) };
    const profileFields = ['userId', 'username', 'email', 'createdAt', 'updatedAt'];
    route('GetMyProfile', {
      method: 'GET',
      path: '/users/me',
      action: ServiceAction.dynamoDbGetItem(users, { key: myKey, projection: profileFields }),
    });
    route('UpdateMyProfile', {
      method: 'PATCH',
      path: '/users/me',
      action: ServiceAction.dynamoDbUpdateItem(users, {
        key: myKey,
        set: { email: str(Field.body('$.email')), updatedAt: str(Field.context('requestTime')) },
      }),
      requestValidation: { bodyModelName: 'UpdateUserRequest', bodySchema: UPDATE_USER_SCHEMA },
    });
    route('DeleteMyProfile', { method: 'DELETE', path: '/users/me', action: ServiceAction.dynamoDbDeleteItem(users, { key: myKey }) });
    route('ListMyOrders', {
      method: 'GET',
      path: '/users/me/orders',
      action: ServiceAction.dynamoDbQuery(ordersTable, {
        keyCondition: KeyCondition.eq('userId', str(caller)),
        scanIndexForward: false,
        limit: 25,
      }),
    });
    // An id in the path is safe inside the caller's own partition: the key is (sub, orderId), so another
    // user's order id finds nothing (404), just like an order that does not exist.
    route('GetMyOrder', {
      method: 'GET',
      path: '/users/me/orders/{orderId}',
      action: ServiceAction.dynamoDbGetItem(ordersTable, { key: { userId: str(caller), orderId: str(Field.path('orderId')) } }),
    });
    // Any user's profile by id, for support staff only: the route asks for the users/admin scope.
    route('GetUser', {
      method: 'GET',
      path: '/users/{userId}',
      authorization: supportStaff,
      action: ServiceAction.dynamoDbGetItem(users, { key: { userId: str(Field.path('userId')) }, projection: profileFields }),
    });

    // Scenario 1: GET /products is a Scan of the Products table. Each page is cached for 300 s; the page
    // token is a cache key, so page 2 is never answered with page 1.
    acknowledgeOpenRoute(route('ListProducts', {
      method: 'GET',
      path: '/products',
      authorization: RouteAuthorization.none(),
      action: ServiceAction.dynamoDbScan(productsTable, { limit: 50 }),
      cache: { ttl: Duration.seconds(300), queryParameters: ['nextToken'], clusterSize: '0.5' },
    }), publicCatalogue);
    acknowledgeOpenRoute(route('ListCategoryProducts', {
      method: 'GET',
      path: '/categories/{category}/products',
      action: ServiceAction.dynamoDbQuery(productsTable, {
        indexName: 'byCategory',
        keyCondition: KeyCondition.eq('category', str(Field.path('category'))),
        limit: 50,
      }),
      authorization: RouteAuthorization.none(),
      cache: { ttl: Duration.seconds(300), queryParameters: ['nextToken'] },
    }), publicCatalogue);

    // --- SQS: scenario 5's POST /orders enqueues the order as sent; payments keep their order per customer.
    // Both queues are FIFO with the caller's sub as the message group: the consumer learns whose order or
    // payment it is from the group (the MessageGroupId attribute), which the caller cannot choose, and
    // each customer's messages stay in order. The body names no customer. ---
    const ordersQueue = exampleQueue(this, 'OrdersQueue', true);
    route('EnqueueOrder', {
      method: 'POST',
      path: '/orders',
      action: ServiceAction.sqsSendMessage(ordersQueue, { messageGroupId: caller }),
      requestValidation: { bodyModelName: 'OrderRequest', bodySchema: ORDER_SCHEMA },
    });
    const paymentsQueue = exampleQueue(this, 'PaymentsQueue', true);
    route('EnqueuePayment', {
      method: 'POST',
      path: '/users/me/payments',
      action: ServiceAction.sqsSendMessage(paymentsQueue, { messageGroupId: caller }),
    });

    // --- SNS, EventBridge, Kinesis ---
    const topicKey = new kms.Key(this, 'NotificationsKey', {
      description: 'Encrypts the notifications topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const topic = new sns.Topic(this, 'NotificationsTopic', { masterKey: topicKey, enforceSSL: true });
    // Every subscriber gets what is published (e-mail included): the shop's services send notifications,
    // signed with IAM; a shopper's sign-in is not enough to write to everyone.
    const notify = route('Notify', {
      method: 'POST',
      path: '/notifications',
      authorization: RouteAuthorization.iam(),
      action: ServiceAction.snsPublish(topic, { subject: Field.header('X-Subject') }),
    });
    Validations.of(notify.method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'POST /notifications publishes to every subscriber of the topic, so only the shop\'s own services may call ' +
        'it, signing their requests with IAM (AWS_IAM authorization); shoppers of the user pool must not reach it',
    });

    const bus = new events.EventBus(this, 'AppEventBus', { description: 'Events the front end reports through POST /events' });
    route('PutEvent', {
      method: 'POST',
      path: '/events',
      action: ServiceAction.eventBridgePutEvents(bus, { source: 'com.example.frontend', detailType: Field.header('X-Event-Type') }),
      // EventBridge takes only a JSON object as detail: anything else is refused here with a 400.
      requestValidation: { requiredHeaders: ['X-Event-Type'], bodyModelName: 'ClientEvent', bodySchema: EVENT_SCHEMA },
    });

    const clicks = new kinesis.Stream(this, 'ClickStream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // One session's clicks land on one shard, in order.
    route('PutClick', {
      method: 'POST',
      path: '/clicks',
      action: ServiceAction.kinesisPutRecord(clicks, { partitionKey: Field.header('X-Session-Id') }),
      requestValidation: { requiredHeaders: ['X-Session-Id'] },
    });

    // --- S3: each user's files in their own folder, files/<sub>/, whatever key they send; a single CORS
    // origin, since the object passes through untouched. GET answers objects as bytes, so the bucket holds
    // only FILE_MEDIA_TYPES (see s3GetObject). ---
    // The files bucket's server access logs, kept a year (S3 delivers them; cdk-nag S1).
    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const files = new s3.Bucket(this, 'FilesBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const filesCors = { allowOrigins: [origins[0]], allowHeaders: FRONT_END_HEADERS, exposeHeaders: ['ETag'], maxAge: Duration.minutes(10) };
    const fileKey = { key: Field.path('key'), keyPrefix: 'files/', ownerFolder: caller };
    route('GetMyFile', { method: 'GET', path: '/users/me/files/{key}', action: ServiceAction.s3GetObject(files, fileKey), cors: filesCors });
    const putFile = route('PutMyFile', {
      method: 'PUT', path: '/users/me/files/{key}', action: ServiceAction.s3PutObject(files, fileKey), cors: filesCors,
    });
    // The folder and key come from the request, so the grant names the objects under files/, never the whole bucket.
    const filesBucketId = Stack.of(this).getLogicalId(files.node.defaultChild as s3.CfnBucket);
    Validations.of(putFile.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${filesBucketId}.Arn>/files/*]`,
      reason: 'GET and PUT /users/me/files/{key} read and write the object files/<caller sub>/<key>, which names differ ' +
        'per request, so the integration role may get and put exactly the objects under the files/ prefix of the files ' +
        'bucket and nothing else; the caller\'s folder is chosen by API Gateway from the verified token',
    });

    // --- Step Functions: scenario 5's workflow, and a synchronous quote ---
    const onboarding = observedStateMachine(this, 'OnboardingWorkflow', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'Onboards the caller of POST /workflows: the input is the request body, the user is the execution name',
      definitionBody: sfn.DefinitionBody.fromChainable(
        new sfn.Pass(this, 'Welcome', {
          comment: 'Stands in for the welcome e-mail and account set-up',
          parameters: { 'userId.$': '$$.Execution.Name', 'plan.$': '$.plan' },
        }).next(new sfn.Succeed(this, 'Onboarded')),
      ),
    });
    route('StartWorkflow', {
      method: 'POST',
      path: '/workflows',
      // The execution is named by the caller's sub: the workflow knows whom it onboards from a value the
      // caller cannot choose ($$.Execution.Name), and a second start for the same user is refused (400).
      action: ServiceAction.stepFunctionsStartExecution(onboarding, { name: caller }),
      requestValidation: { bodyModelName: 'OnboardingRequest', bodySchema: ONBOARDING_SCHEMA },
    });

    const quotes = observedStateMachine(this, 'QuoteCalculator', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      comment: 'Answers a quote for the request body of POST /quotes',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(this, 'PriceItems', {
        parameters: { 'items.$': '$.items', 'currency': 'USD', 'validForSeconds': 900 },
      })),
      timeout: Duration.seconds(20),
    });
    route('CreateQuote', {
      method: 'POST',
      path: '/quotes',
      action: ServiceAction.stepFunctionsStartSyncExecution(quotes),
      requestValidation: { bodyModelName: 'QuoteRequest', bodySchema: QUOTE_SCHEMA },
      timeout: Duration.seconds(25),
    });

    // --- custom: any call the presets lack, with an exact grant (here DescribeTable on the Users table) ---
    const describeUsersTable = route('DescribeUsersTable', {
      method: 'GET',
      path: '/admin/tables/users',
      authorization: RouteAuthorization.iam(),
      action: ServiceAction.custom({
        service: 'dynamodb',
        action: 'DescribeTable',
        requestTemplate: `{"TableName": "${users.tableName}"}`,
        responseTemplate: DESCRIBE_TABLE_RESPONSE,
        iamActions: ['dynamodb:DescribeTable'],
        iamResources: [users.tableArn],
      }),
    });
    Validations.of(describeUsersTable.method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'GET /admin/tables/users is for operators, who sign their requests with their IAM credentials (AWS_IAM ' +
        'authorization); shoppers of the user pool must not reach it',
    });
  }
}

/**
 * A state machine that logs every execution event to its own log group, kept a month, and is traced with
 * X-Ray (cdk-nag SF1, SF2). The input and output are not logged: they are request bodies.
 */
function observedStateMachine(scope: Construct, id: string, props: Omit<sfn.StateMachineProps, 'logs' | 'tracingEnabled'>): sfn.StateMachine {
  const destination = new logs.LogGroup(scope, `${id}Logs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = new sfn.StateMachine(scope, id, {
    ...props,
    logs: { destination, level: sfn.LogLevel.ALL, includeExecutionData: false },
    tracingEnabled: true,
  });
  Validations.of(machine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Step Functions logging to CloudWatch Logs (logs:*LogDelivery*, DescribeLogGroups, DescribeResourcePolicies, ' +
      'PutResourcePolicy) and X-Ray tracing (xray:Put*, GetSampling*) need these actions on Resource *: they have no ' +
      'resource-level permissions; this role has nothing else',
  });
  return machine;
}



/** One line of an order or a quote. */
function lineItemSchema(): apigw.JsonSchema {
  return {
    type: apigw.JsonSchemaType.OBJECT,
    required: ['productId', 'quantity'],
    properties: {
      productId: { type: apigw.JsonSchemaType.STRING, minLength: 1 },
      quantity: { type: apigw.JsonSchemaType.INTEGER, minimum: 1, maximum: 100 },
    },
  };
}

/** The body POST /users accepts (JSON Schema draft 4, checked by API Gateway before DynamoDB is called). */
const CREATE_USER_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'CreateUserRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['username', 'email'],
  additionalProperties: false,
  properties: {
    username: { type: apigw.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_.-]{3,32}$' },
    email: { type: apigw.JsonSchemaType.STRING, minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' },
  },
};

/** The order POST /orders enqueues. It names no customer: the message group is the caller. */
const ORDER_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'OrderRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: 50, items: lineItemSchema() },
    note: { type: apigw.JsonSchemaType.STRING, maxLength: 500 },
  },
};

/** The input of the onboarding workflow (POST /workflows); whom it onboards is the caller, not the body. */
const ONBOARDING_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'OnboardingRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['plan'],
  additionalProperties: false,
  properties: { plan: { type: apigw.JsonSchemaType.STRING, enum: ['free', 'plus'] } },
};

/** What POST /quotes prices. */
const QUOTE_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'QuoteRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['items'],
  properties: { items: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: 50, items: lineItemSchema() } },
};

/** The body POST /events accepts: any JSON object (the event's detail). */
const EVENT_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'ClientEvent',
  type: apigw.JsonSchemaType.OBJECT,
};

/** The body PATCH /users/me accepts. */
const UPDATE_USER_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'UpdateUserRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['email'],
  additionalProperties: false,
  properties: {
    email: { type: apigw.JsonSchemaType.STRING, minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' },
  },
};

/**
 * DescribeTable's answer reduced to what an operator needs. A custom action owns its escaping: strings
 * through escapeJavaScript (with `\'` put back to `'`), the count printed only when it is digits.
 */
const DESCRIBE_TABLE_RESPONSE =
  "#set($table = $input.path('$.Table'))#set($count = \"$!{table.ItemCount}\")" +
  `{"tableName": "${jsonText('$table.TableName')}", "status": "${jsonText('$table.TableStatus')}", ` +
  '"itemCount": #if($count.matches("[0-9]+"))$count#{else}null#end}';

/** VTL printing a value as JSON string content (escapeJavaScript writes `\'`, which JSON rejects). */
function jsonText(expression: string): string {
  return `$util.escapeJavaScript(${expression}).replaceAll("\\\\'","'")`;
}
