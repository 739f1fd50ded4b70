import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Stack } from 'aws-cdk-lib';
import { LambdaProxyRoute, RouteAuthorization, SecureRestApi } from '../lib';
import { newFunction } from './util';

export const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0b1d2c3e-aaaa-bbbb-cccc-111122223333';

/** A SecureRestApi with a WAF web ACL and two Cognito routes, one validating a body and one a query parameter. */
export function secureApiWithRoutes(stack: Stack): SecureRestApi {
  const fn = newFunction(stack, 'Fn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const api = new SecureRestApi(stack, 'Api', { webAclArn: WEB_ACL, deployOptions: { stageName: 'prod', throttlingRateLimit: 50 } });
  new LambdaProxyRoute(stack, 'Create', {
    api, path: '/orders', method: 'POST', handler: fn, cors: { allowOrigins: ['https://app.example.com'] },
    authorization: RouteAuthorization.cognito([pool]),
    requestValidation: { bodySchema: { type: apigw.JsonSchemaType.OBJECT } },
  });
  new LambdaProxyRoute(stack, 'List', {
    api, path: '/orders', method: 'GET', handler: fn, authorization: RouteAuthorization.cognito([pool]),
    requestValidation: { requiredQueryParameters: ['page'] },
  });
  return api;
}
