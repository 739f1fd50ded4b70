import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CorsOptions, DynamoAttribute, DynamoReturnValues, Field, KeyCondition, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { methodAt } from '../util';

/**
 * One synthesized stack with a route for every DynamoDB preset and option the tests render, shared by
 * the DynamoDB test files (each file synthesizes it once).
 */

export const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀 👩‍👩‍👧',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '}{',
  '</script>',
  ' ',
  '',
];

export const CORS_ORIGINS = ['https://a.example.com', 'https://b.example.com'];

const S = dynamodb.AttributeType.STRING;
const N = dynamodb.AttributeType.NUMBER;

export interface Fixture {
  readonly stack: Stack;
  readonly template: Template;
  readonly json: any;
  readonly users: dynamodb.Table;
  readonly orders: dynamodb.TableV2;
  readonly key: kms.Key;
  /** The AWS::ApiGateway::Method properties at `path`. */
  method(path: string, httpMethod: string): any;
  /** The request template of the route at `path`, with CloudFormation references resolved to fake values. */
  requestTemplate(path: string, httpMethod: string): string;
  /** The response template for `status` of the route at `path`. */
  responseTemplate(path: string, httpMethod: string, status: number): string;
}

/** Resolves Fn::Join / Ref / Fn::GetAtt to strings: a table's Ref becomes `<LogicalId>-name`. */
export function resolve(value: any): string {
  if (typeof value === 'string') return value;
  const pseudo: { [k: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref) return pseudo[value.Ref] ?? `${value.Ref}-name`;
  if (value['Fn::GetAtt']) return `arn-of-${value['Fn::GetAtt'][0]}`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

export function buildFixture(): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Dynamo');
  const api = new apigw.RestApi(stack, 'Api');
  const key = new kms.Key(stack, 'Key');
  const users = new dynamodb.Table(stack, 'Users', { partitionKey: { name: 'id', type: S } });
  const orders = new dynamodb.TableV2(stack, 'Orders', {
    partitionKey: { name: 'customerId', type: S },
    sortKey: { name: 'orderDate', type: S },
    globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'total', type: N } }],
    localSecondaryIndexes: [{ indexName: 'byTotal', sortKey: { name: 'total', type: N } }],
  });
  const counters = new dynamodb.Table(stack, 'Counters', {
    partitionKey: { name: 'shard', type: N },
    sortKey: { name: 'seq', type: N },
  });
  const secure = new dynamodb.Table(stack, 'Secure', {
    partitionKey: { name: 'id', type: S },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const legacy = dynamodb.Table.fromTableName(stack, 'Legacy', 'legacy-items');

  const route = (id: string, path: string, method: string, action: ServiceAction, cors?: CorsOptions) =>
    new ServiceIntegrationRoute(stack, id, { api, path, method, action, cors });
  const str = (f: Field) => DynamoAttribute.stringValue(f);

  route('PutUser', '/users', 'POST', ServiceAction.dynamoDbPutItem(users, {
    item: {
      id: str(Field.context('requestId')),
      createdAt: str(Field.context('requestTime')),
      username: str(Field.body('$.username')),
      age: DynamoAttribute.numberValue(Field.body('$.age')),
      admin: DynamoAttribute.booleanValue(Field.body('$.admin')),
      'odd name #1 $x': str(Field.body("$['odd key']")),
    },
    onlyIfNew: true,
  }));
  route('PutOrder', '/customers/{customerId}/orders/{orderDate}', 'PUT', ServiceAction.dynamoDbPutItem(orders, {
    item: {
      orderDate: str(Field.path('orderDate')),
      customerId: str(Field.path('customerId')),
      note: str(Field.header('X-Note')),
      total: DynamoAttribute.numberValue(Field.query('total')),
    },
  }));
  route('PutKeyOnly', '/counters/{shard}/{seq}', 'PUT', ServiceAction.dynamoDbPutItem(counters, {
    item: { shard: DynamoAttribute.numberValue(Field.path('shard')), seq: DynamoAttribute.numberValue(Field.path('seq')) },
  }));
  route('GetUser', '/users/{id}', 'GET', ServiceAction.dynamoDbGetItem(users, { key: { id: str(Field.path('id')) } }));
  route('GetOrder', '/customers/{customerId}/orders/{orderDate}', 'GET', ServiceAction.dynamoDbGetItem(orders, {
    key: { customerId: str(Field.path('customerId')), orderDate: str(Field.path('orderDate')) },
    projection: ['total', 'status', 'odd name #1 $x'],
    consistentRead: true,
  }));
  route('QueryOrders', '/customers/{customerId}/orders', 'GET', ServiceAction.dynamoDbQuery(orders, {
    keyCondition: KeyCondition.eq('customerId', str(Field.path('customerId')))
      .andSortKey(KeyCondition.beginsWith('orderDate', str(Field.query('month')))),
    limit: 25,
    scanIndexForward: false,
  }));
  route('QueryByStatus', '/orders/status/{status}', 'GET', ServiceAction.dynamoDbQuery(orders, {
    keyCondition: KeyCondition.eq('status', str(Field.path('status')))
      .andSortKey(KeyCondition.between('total', DynamoAttribute.numberValue(Field.query('min')), DynamoAttribute.numberValue(Field.query('max')))),
    indexName: 'byStatus',
    paginationToken: Field.header('X-Next-Token'),
  }));
  route('QueryByTotal', '/customers/{customerId}/big-orders', 'GET', ServiceAction.dynamoDbQuery(orders, {
    keyCondition: KeyCondition.eq('customerId', str(Field.path('customerId')))
      .andSortKey(KeyCondition.greaterThanOrEqual('total', DynamoAttribute.numberValue(Field.literal('100')))),
    indexName: 'byTotal',
    consistentRead: true,
  }));
  route('QueryUsers', '/users/{id}/self', 'GET', ServiceAction.dynamoDbQuery(users, {
    keyCondition: KeyCondition.eq('id', str(Field.path('id'))),
  }));
  const operators: Array<[string, (name: string, v: DynamoAttribute) => KeyCondition]> = [
    ['eq', KeyCondition.eq], ['lt', KeyCondition.lessThan], ['le', KeyCondition.lessThanOrEqual],
    ['gt', KeyCondition.greaterThan], ['ge', KeyCondition.greaterThanOrEqual],
  ];
  for (const [name, op] of operators) {
    route(`Counter${name}`, `/counters/{shard}/${name}`, 'GET', ServiceAction.dynamoDbQuery(counters, {
      keyCondition: KeyCondition.eq('shard', DynamoAttribute.numberValue(Field.path('shard'))).andSortKey(op('seq', DynamoAttribute.numberValue(Field.query('seq')))),
    }));
  }
  route('UpdateUser', '/users/{id}', 'PATCH', ServiceAction.dynamoDbUpdateItem(users, {
    key: { id: str(Field.path('id')) },
    set: {
      username: str(Field.body('$.username')),
      age: DynamoAttribute.numberValue(Field.body('$.age')),
      updatedBy: str(Field.authorizerClaim('sub')),
    },
  }));
  route('UpdateFlags', '/users/{id}/flags', 'PUT', ServiceAction.dynamoDbUpdateItem(users, {
    key: { id: str(Field.path('id')) },
    set: { admin: DynamoAttribute.booleanValue(Field.query('admin')) },
    returnValues: DynamoReturnValues.NONE,
  }));
  route('UpdateTotal', '/customers/{customerId}/orders/{orderDate}', 'PATCH', ServiceAction.dynamoDbUpdateItem(orders, {
    key: { orderDate: str(Field.path('orderDate')), customerId: str(Field.path('customerId')) },
    set: { total: DynamoAttribute.numberValue(Field.body('$.total')) },
    returnValues: DynamoReturnValues.UPDATED_NEW,
  }));
  route('DeleteUser', '/users/{id}', 'DELETE', ServiceAction.dynamoDbDeleteItem(users, { key: { id: str(Field.path('id')) } }));
  route('DeleteOrder', '/customers/{customerId}/orders/{orderDate}', 'DELETE', ServiceAction.dynamoDbDeleteItem(orders, {
    key: { customerId: str(Field.path('customerId')), orderDate: str(Field.path('orderDate')) },
    returnDeletedItem: false,
  }));
  route('ScanUsers', '/users', 'GET', ServiceAction.dynamoDbScan(users));
  route('ScanStatus', '/orders', 'GET', ServiceAction.dynamoDbScan(orders, { indexName: 'byStatus', limit: 1000 }));
  route('ScanConsistent', '/counters', 'GET', ServiceAction.dynamoDbScan(counters, { limit: 1, consistentRead: true }));
  route('GetLegacy', '/legacy/{sku}', 'GET', ServiceAction.dynamoDbGetItem(legacy, {
    key: { sku: str(Field.path('sku')) },
    keySchema: { partitionKey: { name: 'sku', type: S } },
  }));
  route('QueryLegacyIndex', '/legacy/{sku}/versions', 'GET', ServiceAction.dynamoDbQuery(legacy, {
    keyCondition: KeyCondition.eq('sku', str(Field.path('sku'))).andSortKey(KeyCondition.lessThan('version', DynamoAttribute.numberValue(Field.query('before')))),
    indexName: 'bySku',
    keySchema: { partitionKey: { name: 'sku', type: S }, sortKey: { name: 'version', type: N } },
  }));
  route('ScanLegacy', '/legacy', 'GET', ServiceAction.dynamoDbScan(legacy));
  route('GetSecure', '/secure/{id}', 'GET', ServiceAction.dynamoDbGetItem(secure, { key: { id: str(Field.path('id')) } }));
  route('PutSecure', '/secure', 'POST', ServiceAction.dynamoDbPutItem(secure, { item: { id: str(Field.context('requestId')) } }));
  route('GetWithCors', '/cors/{id}', 'GET', ServiceAction.dynamoDbGetItem(users, { key: { id: str(Field.path('id')) } }), {
    allowOrigins: CORS_ORIGINS,
  });
  route('DeleteSecure', '/secure/{id}', 'DELETE', ServiceAction.dynamoDbDeleteItem(secure, { key: { id: str(Field.path('id')) } }));

  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const method = (path: string, httpMethod: string) => methodAt(template, path, httpMethod);
  return {
    stack, template, json, users, orders, key, method,
    requestTemplate: (path, httpMethod) => resolve(method(path, httpMethod).Integration.RequestTemplates['application/json']),
    responseTemplate: (path, httpMethod, status) => {
      const responses = method(path, httpMethod).Integration.IntegrationResponses.filter((r: any) => r.StatusCode === String(status));
      if (responses.length !== 1) throw new Error(`expected one ${status} response on ${httpMethod} ${path}, found ${responses.length}`);
      return responses[0].ResponseTemplates['application/json'];
    },
  };
}
