import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ApiCors, LambdaProxyRoute, MockRoute, RouteAuthorization } from '../lib';
import { exampleFunction, FRONT_END_HEADERS, FRONT_END_ORIGINS } from './shared/functions';

/** Props of `FoundationStack`. */
export interface FoundationStackProps extends StackProps {
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

/** The OAuth scope write routes ask for: `<resource server identifier>/<scope name>`. */
const ORDERS_SERVER_ID = 'orders';
const WRITE_SCOPE_NAME = 'write';
export const ORDERS_WRITE_SCOPE = `${ORDERS_SERVER_ID}/${WRITE_SCOPE_NAME}`;

/**
 * The routes the first release of the library covers, on one REST API for a browser front end:
 *
 * | Method | Path                          | Construct        | Backend / options                                   |
 * | ------ | ----------------------------- | ---------------- | --------------------------------------------------- |
 * | GET    | /orders                       | LambdaProxyRoute | orders function, Cognito                            |
 * | POST   | /orders                       | LambdaProxyRoute | orders function, Cognito + scope, request validation |
 * | GET    | /orders/{orderId}             | LambdaProxyRoute | orders function, Cognito                            |
 * | POST   | /orders/{orderId}             | LambdaProxyRoute | orders function, Cognito + scope (order actions)     |
 * | PUT    | /orders/{orderId}             | LambdaProxyRoute | orders function, Cognito + scope                     |
 * | DELETE | /orders/{orderId}             | LambdaProxyRoute | orders function, Cognito + scope                     |
 * | ANY    | /orders/{orderId}/{proxy+}    | LambdaProxyRoute | orders function, Cognito + scope (greedy path)       |
 * | GET    | /products                     | LambdaProxyRoute | products function, cached 300 s by category         |
 * | GET    | /products/{productId}         | LambdaProxyRoute | products function, cached 300 s by id and currency  |
 * | GET    | /private                      | LambdaProxyRoute | who-am-i function, Cognito (any ID token)           |
 * | GET    | /me                           | LambdaProxyRoute | who-am-i function, Lambda TOKEN authorizer          |
 * | GET    | /health                       | MockRoute        | `{"status":"ok"}`                                   |
 *
 * Every route has CORS from one `ApiCors` (each resource gets one OPTIONS preflight, and the API's
 * DEFAULT_4XX/5XX answers carry CORS headers). The orders function backs seven routes and the who-am-i
 * function two, yet each has one Lambda permission for this API. The `prod` stage has a 0.5 GB cache.
 */
export class FoundationStack extends Stack {
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The user pool whose tokens the Cognito routes accept. */
  public readonly userPool: cognito.UserPool;

  constructor(scope: Construct, id: string, props: FoundationStackProps = {}) {
    super(scope, id, props);
    const origins = props.allowedOrigins ?? FRONT_END_ORIGINS;

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'orders-api',
      description: 'cdk-apigateway-patterns example: Lambda proxy routes, mocks, CORS, caching, authorizers',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
      },
    });
    const api = this.api;

    // Scenario 9: browser clients on two origins sending Content-Type and Authorization. Created before
    // the routes, so that every route gets a preflight on its resource.
    new ApiCors(this, 'Cors', {
      api,
      allowOrigins: origins,
      allowHeaders: FRONT_END_HEADERS,
      maxAge: Duration.minutes(10),
    });

    // Scenario 10: a Cognito user pool with an "orders/write" scope for the write routes.
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const writeScope = new cognito.ResourceServerScope({ scopeName: WRITE_SCOPE_NAME, scopeDescription: 'Create and change orders' });
    const ordersServer = this.userPool.addResourceServer('OrdersServer', {
      identifier: ORDERS_SERVER_ID,
      scopes: [writeScope],
    });
    this.userPool.addClient('WebClient', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.resourceServer(ordersServer, writeScope)],
        callbackUrls: origins.map((o) => `${o}/callback`),
        logoutUrls: origins.map((o) => `${o}/`),
      },
    });
    const signedIn = RouteAuthorization.cognito([this.userPool]);
    const canWrite = RouteAuthorization.cognito([this.userPool], { scopes: [ORDERS_WRITE_SCOPE] });

    // Scenario 1 (Lambda part): one orders function behind seven routes.
    const ordersFn = exampleFunction(this, 'OrdersFunction', {
      description: 'Orders service behind the /orders routes (Lambda proxy)',
      allowedOrigins: origins,
      handlerCode: ORDERS_HANDLER,
    });
    const orders = (routeId: string, method: string, path: string, authorization: RouteAuthorization) =>
      new LambdaProxyRoute(this, routeId, { api, method, path, handler: ordersFn, authorization });
    orders('ListOrders', 'GET', '/orders', signedIn);
    new LambdaProxyRoute(this, 'CreateOrder', {
      api,
      method: 'POST',
      path: '/orders',
      handler: ordersFn,
      authorization: canWrite,
      operationName: 'CreateOrder',
      // API Gateway answers 400 itself, without calling the function, when storeId or the body is wrong.
      requestValidation: {
        requiredQueryParameters: ['storeId'],
        bodyModelName: 'CreateOrderRequest',
        bodySchema: CREATE_ORDER_SCHEMA,
      },
    });
    orders('GetOrder', 'GET', '/orders/{orderId}', signedIn);
    orders('OrderAction', 'POST', '/orders/{orderId}', canWrite);
    orders('UpdateOrder', 'PUT', '/orders/{orderId}', canWrite);
    orders('CancelOrder', 'DELETE', '/orders/{orderId}', canWrite);
    orders('OrderSubresources', 'ANY', '/orders/{orderId}/{proxy+}', canWrite);

    // Scenario 7: GET routes cached for 300 s on the prod stage's 0.5 GB cache. Path parameters are cache
    // keys automatically; the named query parameters are added. With two CORS origins the answer depends
    // on the caller's Origin, so the library makes Origin a cache key too (the cache ignores Vary).
    const productsFn = exampleFunction(this, 'ProductsFunction', {
      description: 'Product catalogue behind the cached /products routes (Lambda proxy)',
      allowedOrigins: origins,
      handlerCode: PRODUCTS_HANDLER,
    });
    new LambdaProxyRoute(this, 'ListProducts', {
      api,
      method: 'GET',
      path: '/products',
      handler: productsFn,
      cache: { ttl: Duration.seconds(300), queryParameters: ['category'], clusterSize: '0.5' },
    });
    new LambdaProxyRoute(this, 'GetProduct', {
      api,
      method: 'GET',
      path: '/products/{productId}',
      handler: productsFn,
      cache: { ttl: Duration.seconds(300), queryParameters: ['currency'] },
    });

    // Scenario 10: the caller's identity reaches the backend in requestContext.authorizer, from Cognito
    // (claims) on /private and from a Lambda TOKEN authorizer (its returned context) on /me.
    const whoAmIFn = exampleFunction(this, 'WhoAmIFunction', {
      description: 'Answers who the caller is, from the authorizer output',
      allowedOrigins: origins,
      handlerCode: WHO_AM_I_HANDLER,
    });
    new LambdaProxyRoute(this, 'Private', { api, method: 'GET', path: '/private', handler: whoAmIFn, authorization: signedIn });
    const tokenAuthorizerFn = exampleFunction(this, 'TokenAuthorizerFunction', {
      description: 'Lambda TOKEN authorizer for /me (demo tokens "Bearer user-<id>")',
      proxyPrelude: false,
      handlerCode: TOKEN_AUTHORIZER_HANDLER,
    });
    new LambdaProxyRoute(this, 'Me', {
      api,
      method: 'GET',
      path: '/me',
      handler: whoAmIFn,
      authorization: RouteAuthorization.lambdaToken(tokenAuthorizerFn, {
        validationRegex: '^Bearer user-[a-z0-9]{1,32}$',
        resultsCacheTtl: Duration.minutes(5),
      }),
    });

    new MockRoute(this, 'Health', { api, method: 'GET', path: '/health', body: { status: 'ok' } });
  }
}

/** The body `POST /orders` accepts (JSON Schema draft 4, checked by API Gateway). */
const CREATE_ORDER_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'CreateOrderRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['customerId', 'items'],
  additionalProperties: false,
  properties: {
    customerId: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 64 },
    items: {
      type: apigw.JsonSchemaType.ARRAY,
      minItems: 1,
      maxItems: 50,
      items: {
        type: apigw.JsonSchemaType.OBJECT,
        required: ['productId', 'quantity'],
        additionalProperties: false,
        properties: {
          productId: { type: apigw.JsonSchemaType.STRING, minLength: 1 },
          quantity: { type: apigw.JsonSchemaType.INTEGER, minimum: 1, maximum: 100 },
        },
      },
    },
    note: { type: apigw.JsonSchemaType.STRING, maxLength: 500 },
  },
};

const ORDERS_HANDLER = `
exports.handler = async (event) => {
  const id = (event.pathParameters || {}).orderId;
  const claims = (event.requestContext.authorizer || {}).claims || {};
  switch (event.httpMethod + ' ' + event.resource) {
    case 'GET /orders':
      return reply(event, 200, { orders: [], customer: claims.sub });
    case 'POST /orders': {
      const order = JSON.parse(event.body);
      const storeId = event.queryStringParameters.storeId;
      return reply(event, 201, { ...order, orderId: event.requestContext.requestId, storeId, status: 'PENDING' });
    }
    case 'GET /orders/{orderId}':
      return reply(event, 200, { orderId: id, status: 'PENDING' });
    case 'POST /orders/{orderId}':
      return reply(event, 202, { orderId: id, action: (JSON.parse(event.body || '{}')).action || null });
    case 'PUT /orders/{orderId}':
      return reply(event, 200, { ...JSON.parse(event.body || '{}'), orderId: id });
    case 'DELETE /orders/{orderId}':
      return reply(event, 200, { orderId: id, status: 'CANCELLED' });
    default:
      // ANY /orders/{orderId}/{proxy+}: e.g. GET /orders/42/items/7
      return reply(event, 200, { orderId: id, subresource: event.pathParameters.proxy, method: event.httpMethod });
  }
};
`;

const PRODUCTS_HANDLER = `
const PRODUCTS = { p1: { name: 'Coffee', priceCents: 450 }, p2: { name: 'Tea', priceCents: 300 } };
exports.handler = async (event) => {
  const query = event.queryStringParameters || {};
  const id = (event.pathParameters || {}).productId;
  if (!id) {
    const items = Object.entries(PRODUCTS).map(([productId, p]) => ({ productId, ...p }));
    return reply(event, 200, { category: query.category || 'all', items });
  }
  const product = PRODUCTS[id];
  if (!product) return reply(event, 404, { message: 'Product not found' });
  return reply(event, 200, { productId: id, currency: query.currency || 'USD', ...product });
};
`;

const WHO_AM_I_HANDLER = `
exports.handler = async (event) => {
  const authorizer = event.requestContext.authorizer || {};
  if (authorizer.claims) {
    // Cognito user pools authorizer: the token's claims.
    const { sub, email, scope } = authorizer.claims;
    return reply(event, 200, { via: 'cognito', sub, email, scope });
  }
  // Lambda authorizer: principalId and the context it returned.
  return reply(event, 200, { via: 'lambda', principalId: authorizer.principalId, userId: authorizer.userId, tier: authorizer.tier });
};
`;

// A demo TOKEN authorizer: accepts "Bearer user-<id>" (a real one verifies a signed JWT). The policy
// allows every method of the stage, because API Gateway caches it per token for every route the
// authorizer guards. The context values reach the backend as requestContext.authorizer.<key>.
const TOKEN_AUTHORIZER_HANDLER = `
exports.handler = async (event) => {
  const match = /^Bearer user-([a-z0-9]{1,32})$/.exec(event.authorizationToken || '');
  if (!match) throw new Error('Unauthorized');
  const [arn, stage] = event.methodArn.split('/');
  return {
    principalId: match[1],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn + '/' + stage + '/*' }],
    },
    context: { userId: match[1], tier: 'standard' },
  };
};
`;
