import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import {
  ApiCors, DynamoAttribute, Field, LambdaProxyRoute, MockRoute, ServiceAction, ServiceIntegrationRoute,
} from '../lib';
import { ALLOWED_ORIGIN, Backends, CACHE_TTL, RouteSpec } from './scenario';

/** The same API written with this library: ApiCors, then one route construct per route. */
export function buildLibraryApi(stack: Stack, routes: RouteSpec[], backends: Backends): apigw.RestApi {
  const api = new apigw.RestApi(stack, 'Api');
  new ApiCors(stack, 'Cors', { api, allowOrigins: [ALLOWED_ORIGIN] });

  for (const r of routes) {
    const common = {
      api,
      path: r.path,
      method: r.method,
      cache: r.cached ? { ttl: CACHE_TTL } : undefined,
    };
    const id = `Route${r.index}`;
    switch (r.kind) {
      case 'lambda':
        new LambdaProxyRoute(stack, id, { ...common, handler: backends.functions[r.functionIndex] });
        break;
      case 'sqs':
        new ServiceIntegrationRoute(stack, id, { ...common, action: ServiceAction.sqsSendMessage(backends.queues[r.backendIndex]) });
        break;
      case 'dynamodb':
        new ServiceIntegrationRoute(stack, id, {
          ...common,
          action: ServiceAction.dynamoDbGetItem(backends.tables[r.backendIndex], {
            key: { id: DynamoAttribute.stringValue(Field.path('id')) },
          }),
        });
        break;
      case 'mock':
        new MockRoute(stack, id, { ...common, body: { message: `mock r${r.index}` } });
        break;
    }
  }
  return api;
}
