import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { RouteAuthorization } from '../authorization';
import { FanOutBranch } from '../fan-out-branch';
import { Field } from '../field';
import { HttpParameter } from '../http-parameter';
import { RequestTemplate } from '../request-template';
import { ServiceAction } from '../service-action';
import {
  ANY, BOOLEAN, CORS_PROPS, DURATION, EXPRESS_WORKFLOW_PROPS, IAM_ROLE, instanceOf, kind, LAMBDA_FUNCTION, listOf, LOAD_BALANCER, mapOf,
  NUMBER, PropSpec, required, REST_API, STRING, STRING_LIST, struct, THROTTLE_PROPS, VPC_LINK,
} from './prop-checks';

/**
 * What each route's props must be, for `checkProps` at the top of its constructor. Only routes (and the
 * API-wide constructs) import this module, so the classes it names never import it back.
 */

const REQUEST_TEMPLATE = instanceOf(RequestTemplate, 'a RequestTemplate such as RequestTemplate.fromFields({...})');
const statusCode = (example: number) => kind(`a number such as ${example}`, NUMBER.test);

/** RouteLocation and RouteOptions: every route's. */
export const ROUTE_PROPS: PropSpec = {
  api: required(kind('the RestApi the route belongs to (apigw.IRestApi)', REST_API.test)),
  path: required(kind("a string such as '/orders/{orderId}'", STRING.test)),
  method: required(kind("a string such as 'GET'", STRING.test)),
  authorization: instanceOf(RouteAuthorization, 'a RouteAuthorization such as RouteAuthorization.iam()'),
  apiKeyRequired: BOOLEAN,
  requestValidation: struct("request validation options such as { requiredHeaders: ['Idempotency-Key'] }", {
    requiredQueryParameters: STRING_LIST,
    requiredHeaders: STRING_LIST,
    bodySchema: kind('a JSON Schema object (apigw.JsonSchema)', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
    bodyModelName: STRING,
  }),
  cache: struct('cache options such as { ttl: Duration.minutes(5) }', {
    ttl: required(kind('a Duration such as Duration.minutes(5)', DURATION.test)),
    queryParameters: STRING_LIST,
    headers: STRING_LIST,
    dataEncrypted: BOOLEAN,
    clusterSize: kind("a string such as '0.5'", STRING.test),
  }),
  cors: struct("CORS options such as { allowOrigins: ['https://app.example.com'] }", CORS_PROPS),
  operationName: STRING,
  description: STRING,
  parameterDescriptions: mapOf("descriptions by 'path:name', 'query:name' or 'header:name', e.g. { 'query:limit': 'Items per page' }", STRING),
};

/** HttpBackendOptions: HttpRoute's and PrivateVpcLinkRoute's. */
const HTTP_BACKEND_PROPS: PropSpec = {
  proxy: BOOLEAN,
  httpMethod: STRING,
  requestTemplate: REQUEST_TEMPLATE,
  responseTemplate: STRING,
  requestParameters: mapOf("a map such as { 'header.X-Request-Id': HttpParameter.fromContext('requestId') }",
    instanceOf(HttpParameter, 'an HttpParameter such as HttpParameter.fromContext(\'requestId\')')),
  staticHeaders: mapOf("a map of header names to strings such as { 'X-Api-Version': '2' }", STRING),
  timeout: DURATION,
  allowTimeoutOverLimit: BOOLEAN,
};

export const LAMBDA_PROXY_ROUTE_PROPS: PropSpec = {
  handler: required(LAMBDA_FUNCTION),
  timeout: DURATION,
};

export const LAMBDA_CUSTOM_ROUTE_PROPS: PropSpec = {
  handler: required(LAMBDA_FUNCTION),
  requestTemplate: REQUEST_TEMPLATE,
  responseTemplate: STRING,
  errorResponses: listOf("a list such as [LambdaErrorResponse.tagged('NotFound', 404)]", ANY),
  timeout: DURATION,
};

export const HTTP_ROUTE_PROPS: PropSpec = {
  ...HTTP_BACKEND_PROPS,
  url: required(kind("a string such as 'https://api.example.com/{proxy}'", STRING.test)),
};

export const PRIVATE_VPC_LINK_ROUTE_PROPS: PropSpec = {
  ...HTTP_BACKEND_PROPS,
  loadBalancer: LOAD_BALANCER,
  vpcLinkV2: kind('a VPC link V2 (apigatewayv2.IVpcLink)', VPC_LINK.test),
  vpcLink: kind('a VPC link (apigw.IVpcLink)', VPC_LINK.test),
  vpcLinkIdFromStageVariable: STRING,
  uri: STRING,
  protocol: kind('a VpcLinkProtocol such as VpcLinkProtocol.HTTPS', STRING.test),
  port: kind('a number such as 8080', NUMBER.test),
  backendPath: STRING,
};

/** One answer of a MockRoute (MockResponse). */
const MOCK_RESPONSE_PROPS: PropSpec = {
  statusCode: statusCode(200),
  body: ANY,
  responseTemplate: STRING,
  headers: mapOf("a map of header names to strings such as { 'Cache-Control': 'no-store' }", STRING),
};

export const MOCK_ROUTE_PROPS: PropSpec = {
  ...MOCK_RESPONSE_PROPS,
  scenarios: listOf("a list of scenarios such as [{ value: 'notFound', statusCode: 404, body: {...} }]",
    struct("a scenario such as { value: 'notFound', statusCode: 404 }", {
      ...MOCK_RESPONSE_PROPS,
      value: required(kind("a string such as 'notFound'", STRING.test)),
    })),
};

export const SERVICE_INTEGRATION_ROUTE_PROPS: PropSpec = {
  action: required(instanceOf(ServiceAction, 'a ServiceAction such as ServiceAction.sqsSendMessage(queue)')),
  additionalRequestTemplates: mapOf("a map of content types to VTL strings such as { 'text/plain': '...' }", STRING),
  timeout: DURATION,
  role: IAM_ROLE,
  successStatusCode: statusCode(202),
};

const BRANCH = instanceOf(FanOutBranch, 'a FanOutBranch such as FanOutBranch.lambdaInvoke(fn)');

export const FAN_OUT_ROUTE_PROPS: PropSpec = {
  ...EXPRESS_WORKFLOW_PROPS,
  branches: required(mapOf('a map of branch names to FanOutBranches such as { user: FanOutBranch.lambdaInvoke(fn) }', BRANCH)),
  failurePolicy: kind('a FanOutFailurePolicy such as FanOutFailurePolicy.PARTIAL_RESULTS', STRING.test),
};

export const CONTENT_BASED_ROUTE_PROPS: PropSpec = {
  ...EXPRESS_WORKFLOW_PROPS,
  selector: required(instanceOf(Field, "a Field such as Field.body('$.type')")),
  cases: required(listOf("a list of cases such as [{ value: 'urgent', target: FanOutBranch.lambdaInvoke(fn) }]",
    struct("a case such as { value: 'urgent', target: FanOutBranch.lambdaInvoke(fn) }", {
      value: required(kind("a string such as 'urgent'", STRING.test)),
      target: required(BRANCH),
      name: STRING,
    }))),
  defaultTarget: required(BRANCH),
};

export const API_CORS_PROPS: PropSpec = {
  api: required(REST_API),
  ...CORS_PROPS,
};

const QUOTA_PROPS: PropSpec = {
  limit: required(kind('a whole number of requests such as 1000', NUMBER.test)),
  period: required(kind('an apigw.Period such as apigw.Period.DAY', STRING.test)),
  offset: kind('a number such as 0', NUMBER.test),
};

export const USAGE_PLAN_TIER_PROPS: PropSpec = {
  api: required(instanceOf(apigw.RestApi, 'an apigateway RestApi of this app')),
  tierName: STRING,
  description: STRING,
  stages: listOf('a list of apigw.Stage', instanceOf(apigw.Stage, 'an apigw.Stage of the API')),
  throttle: struct('throttle settings such as { rateLimit: 10, burstLimit: 20 }', THROTTLE_PROPS),
  quota: struct('quota settings such as { limit: 1000, period: apigw.Period.DAY }', QUOTA_PROPS),
};

export const TIER_API_KEY_OPTIONS: PropSpec = {
  value: STRING,
  description: STRING,
  enabled: BOOLEAN,
  customerId: STRING,
};
