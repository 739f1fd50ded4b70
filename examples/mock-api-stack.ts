import { Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiCors, MockRoute, MockSelector, SecureRestApi } from '../lib';
import { acknowledgeOpenRoute, exampleWebAcl } from './shared/security';

/** Props of `MockApiStack`. */
export interface MockApiStackProps extends StackProps {
  /**
   * Origins of the front end under development.
   * @default ['http://localhost:3000']
   */
  readonly allowedOrigins?: string[];
  /**
   * The stage the API is deployed to.
   * @default 'dev'
   */
  readonly stageName?: string;
}

/**
 * Scenario 2: an API that API Gateway answers itself (MOCK integrations), for front-end development
 * before the backends exist, including the error answers the front end must handle:
 *
 * | Method | Path                   | Construct | Answers                                                          |
 * | ------ | ---------------------- | --------- | ---------------------------------------------------------------- |
 * | GET    | /test                  | MockRoute | 200 `{"message": "This is a mock response", "timestamp": ...}`   |
 * | GET    | /health                | MockRoute | 200 `{"status":"ok"}`                                            |
 * | GET    | /mock/orders           | MockRoute | 200 list; `?scenario=notFound` 404, `=error` 500, `=throttled` 429 |
 * | POST   | /mock/orders           | MockRoute | 201; header `X-Mock-Scenario: invalid` 400, `conflict` 409       |
 * | GET    | /mock/orders/{orderId} | MockRoute | 200 order; orderId `missing` 404, `broken` 500                   |
 *
 * The front end runs on http://localhost:3000, allowed by the API's `ApiCors`; every mock answer,
 * including the simulated errors, carries the CORS headers. The routes are open on purpose (the front end
 * under development has no sign-in yet, and a mock reaches no data); the API is a `SecureRestApi`
 * (logs, tracing) behind a WAF web ACL that rate-limits each client.
 */
export class MockApiStack extends Stack {
  /** The REST API. */
  public readonly api: SecureRestApi;

  constructor(scope: Construct, id: string, props: MockApiStackProps = {}) {
    super(scope, id, props);

    this.api = new SecureRestApi(this, 'Api', {
      restApiName: 'mock-api',
      description: 'cdk-apigateway-patterns example: mock answers and error simulation for front-end work',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      webAclArn: exampleWebAcl(this, 'WebAcl').attrArn,
      deployOptions: {
        stageName: props.stageName ?? 'dev',
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
    });
    const api = this.api;

    new ApiCors(this, 'Cors', {
      api,
      allowOrigins: props.allowedOrigins ?? ['http://localhost:3000'],
      allowHeaders: ['Content-Type', 'Authorization', 'X-Mock-Scenario'],
    });

    const mocks: MockRoute[] = [];
    // A dynamic body: the request time is filled in by API Gateway for each call.
    mocks.push(new MockRoute(this, 'Test', {
      api,
      method: 'GET',
      path: '/test',
      responseTemplate:
        '{"message": "This is a mock response", "timestamp": "$context.requestTime", "epochMillis": $context.requestTimeEpoch}',
    }));

    mocks.push(new MockRoute(this, 'Health', { api, method: 'GET', path: '/health', body: { status: 'ok' } }));

    // Error simulation picked by a query parameter: /mock/orders?scenario=notFound.
    mocks.push(new MockRoute(this, 'ListOrders', {
      api,
      method: 'GET',
      path: '/mock/orders',
      body: { orders: [{ orderId: 'o-1001', status: 'SHIPPED' }, { orderId: 'o-1002', status: 'PENDING' }] },
      scenarioSelector: MockSelector.queryParameter('scenario'),
      scenarios: [
        { value: 'notFound', statusCode: 404, body: { error: 'NotFound', message: 'No orders found' } },
        { value: 'error', statusCode: 500, body: { error: 'InternalError', message: 'Something went wrong' } },
        {
          value: 'throttled',
          statusCode: 429,
          body: { error: 'TooManyRequests', message: 'Slow down' },
          headers: { 'Retry-After': '5' },
        },
      ],
    }));

    // Picked by a request header, for clients that cannot change the URL.
    mocks.push(new MockRoute(this, 'CreateOrder', {
      api,
      method: 'POST',
      path: '/mock/orders',
      statusCode: 201,
      body: { orderId: 'o-1003', status: 'PENDING' },
      scenarioSelector: MockSelector.header('X-Mock-Scenario'),
      scenarios: [
        { value: 'invalid', statusCode: 400, body: { error: 'ValidationError', message: 'items must not be empty' } },
        { value: 'conflict', statusCode: 409, body: { error: 'Conflict', message: 'Order already exists' } },
      ],
    }));

    // Picked by the path itself: /mock/orders/missing answers 404.
    mocks.push(new MockRoute(this, 'GetOrder', {
      api,
      method: 'GET',
      path: '/mock/orders/{orderId}',
      body: { orderId: 'o-1001', status: 'SHIPPED', items: [{ productId: 'p1', quantity: 2 }] },
      scenarioSelector: MockSelector.pathParameter('orderId'),
      scenarios: [
        { value: 'missing', statusCode: 404, body: { error: 'NotFound', message: 'Order not found' } },
        { value: 'broken', statusCode: 500, body: { error: 'InternalError', message: 'Something went wrong' } },
      ],
    }));

    for (const mock of mocks) {
      acknowledgeOpenRoute(mock, `Scenario 2: ${mock.httpMethod} ${mock.path} is a MOCK for front-end development before ` +
        'sign-in exists; API Gateway answers fixed sample data itself, so there is no backend or data to protect');
    }
  }
}
