import { Aws, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ALLOWED_ORIGIN, Backends, CACHE_TTL, RouteSpec } from './scenario';

/**
 * The API written with plain aws-cdk-lib, the way a careful user does it: defaultCorsPreflightOptions,
 * LambdaIntegration with its defaults, one role per AWS integration granted exactly its action on its
 * resource (the AWS Solutions Constructs style), MockIntegration for mocks, CORS headers on every
 * non-proxy answer and on the 4XX/5XX gateway responses, and method-level caching through
 * deployOptions.methodOptions with the path parameter as cache key.
 */
export function buildPlainApi(stack: Stack, routes: RouteSpec[], backends: Backends): apigw.RestApi {
  const methodOptions: { [path: string]: apigw.MethodDeploymentOptions } = {};
  for (const r of routes.filter((x) => x.cached)) {
    methodOptions[`${r.path}/${r.method}`] = { cachingEnabled: true, cacheTtl: CACHE_TTL, cacheDataEncrypted: true };
  }
  const cached = routes.some((r) => r.cached);
  const api = new apigw.RestApi(stack, 'Api', {
    defaultCorsPreflightOptions: { allowOrigins: [ALLOWED_ORIGIN] },
    deployOptions: {
      cacheClusterEnabled: cached || undefined,
      cacheClusterSize: cached ? '0.5' : undefined,
      methodOptions,
    },
  });
  // Browsers only see 401/403/429/5xx answered by API Gateway itself if they carry CORS headers.
  const gatewayHeaders = { 'Access-Control-Allow-Origin': `'${ALLOWED_ORIGIN}'` };
  api.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: gatewayHeaders });
  api.addGatewayResponse('Default5xx', { type: apigw.ResponseType.DEFAULT_5XX, responseHeaders: gatewayHeaders });

  const corsResponse = { 'method.response.header.Access-Control-Allow-Origin': `'${ALLOWED_ORIGIN}'` };
  const corsDeclared = { 'method.response.header.Access-Control-Allow-Origin': true };
  const errorResponses: apigw.IntegrationResponse[] = [
    { statusCode: '400', selectionPattern: '4\\d{2}', responseParameters: corsResponse,
      responseTemplates: { 'application/json': '{"message": "Bad request", "requestId": "$context.requestId"}' } },
    { statusCode: '502', selectionPattern: '5\\d{2}', responseParameters: corsResponse,
      responseTemplates: { 'application/json': '{"message": "Service error", "requestId": "$context.requestId"}' } },
  ];
  const serviceMethodResponses: apigw.MethodResponse[] = ['200', '400', '404', '502']
    .map((statusCode) => ({ statusCode, responseParameters: corsDeclared }));

  for (const r of routes) {
    const resource = api.root.resourceForPath(r.path);
    const cacheKeyParameters = r.cached ? ['method.request.path.id'] : undefined;
    const requestParameters = r.cached ? { 'method.request.path.id': true } : undefined;
    switch (r.kind) {
      case 'lambda':
        resource.addMethod(r.method, new apigw.LambdaIntegration(backends.functions[r.functionIndex], { cacheKeyParameters }),
          { requestParameters });
        break;
      case 'sqs': {
        const queue = backends.queues[r.backendIndex];
        const role = new iam.Role(stack, `Route${r.index}Role`, { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
        role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
        resource.addMethod(r.method, new apigw.AwsIntegration({
          service: 'sqs',
          path: `${Aws.ACCOUNT_ID}/${queue.queueName}`,
          integrationHttpMethod: 'POST',
          options: {
            credentialsRole: role,
            requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
            requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
            passthroughBehavior: apigw.PassthroughBehavior.NEVER,
            integrationResponses: [
              { statusCode: '200', responseParameters: corsResponse, responseTemplates: {
                'application/json': '{"messageId": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}',
              } },
              ...errorResponses,
            ],
          },
        }), { methodResponses: serviceMethodResponses });
        break;
      }
      case 'dynamodb': {
        const table = backends.tables[r.backendIndex];
        const role = new iam.Role(stack, `Route${r.index}Role`, { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
        role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
        resource.addMethod(r.method, new apigw.AwsIntegration({
          service: 'dynamodb',
          action: 'GetItem',
          options: {
            credentialsRole: role,
            requestTemplates: {
              'application/json': `{"TableName": "${table.tableName}", "Key": {"id": {"S": "$util.escapeJavaScript($input.params('id'))"}}}`,
            },
            passthroughBehavior: apigw.PassthroughBehavior.NEVER,
            cacheKeyParameters,
            integrationResponses: [
              { statusCode: '200', responseParameters: corsResponse, responseTemplates: {
                'application/json': "#set($item = $input.path('$.Item'))#if(\"$!item\" == \"\")" +
                  '#set($context.responseOverride.status = 404){"message": "Not found"}' +
                  "#else{\"id\": \"$util.escapeJavaScript($item.id.S)\"}#end",
              } },
              ...errorResponses,
            ],
          },
        }), { requestParameters, methodResponses: serviceMethodResponses });
        break;
      }
      case 'mock':
        resource.addMethod(r.method, new apigw.MockIntegration({
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: apigw.PassthroughBehavior.NEVER,
          cacheKeyParameters,
          integrationResponses: [{
            statusCode: '200',
            responseParameters: corsResponse,
            responseTemplates: { 'application/json': `{"message": "mock r${r.index}"}` },
          }],
        }), { requestParameters, methodResponses: [{ statusCode: '200', responseParameters: corsDeclared }] });
        break;
    }
  }
  return api;
}
