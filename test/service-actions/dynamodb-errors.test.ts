process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoAttribute, DynamoReturnValues, Field, KeyCondition, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { errorOf } from '../util';

// Every misuse of the DynamoDB presets fails at construction, naming the route and the fix.

const S = dynamodb.AttributeType.STRING;
const N = dynamodb.AttributeType.NUMBER;
const B = dynamodb.AttributeType.BINARY;
const str = (f: Field) => DynamoAttribute.stringValue(f);
const num = (f: Field) => DynamoAttribute.numberValue(f);
const id = str(Field.path('id'));

/** Adds a GSI keyed on two attributes to `table` (aws-cdk-lib 2.226 and newer). */
const addMultiAttributeIndex = (table: dynamodb.Table) =>
  table.addGlobalSecondaryIndex({ indexName: 'byRegion', partitionKeys: [{ name: 'region', type: S }, { name: 'city', type: S }] });

/** Whether the installed aws-cdk-lib has multi-attribute keys: older releases (the floor among them) refuse or drop them. */
function hasMultiAttributeKeys(): boolean {
  const stack = new Stack();
  const table = new dynamodb.Table(stack, 'Probe', { partitionKey: { name: 'id', type: S } });
  try {
    addMultiAttributeIndex(table);
  } catch {
    return false;
  }
  const [probe] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
  const indexes = probe.Properties.GlobalSecondaryIndexes as { KeySchema: { KeyType: string }[] }[] | undefined;
  return indexes?.[0]?.KeySchema.filter((k) => k.KeyType === 'HASH').length === 2;
}
const MULTI_ATTRIBUTE_KEYS = hasMultiAttributeKeys();

interface Tables {
  users: dynamodb.Table;
  orders: dynamodb.TableV2;
  plain: dynamodb.Table;
  binary: dynamodb.Table;
  multi: dynamodb.Table;
  imported: dynamodb.ITable;
}

/** The error of building one route with the action `make` returns, on a fresh stack. */
function misuse(make: (t: Tables) => ServiceAction, path = '/items/{id}', method = 'POST'): string {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  const users = new dynamodb.Table(stack, 'Users', { partitionKey: { name: 'id', type: S } });
  const orders = new dynamodb.TableV2(stack, 'Orders', {
    partitionKey: { name: 'id', type: S },
    sortKey: { name: 'date', type: S },
    globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'total', type: N } }],
  });
  const plain = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'id', type: S }, sortKey: { name: 'n', type: N } });
  const binary = new dynamodb.Table(stack, 'Binary', { partitionKey: { name: 'id', type: B } });
  const multi = new dynamodb.Table(stack, 'Multi', { partitionKey: { name: 'id', type: S } });
  if (MULTI_ATTRIBUTE_KEYS) addMultiAttributeIndex(multi);
  const imported = dynamodb.Table.fromTableName(stack, 'Imported', 'imported-table');
  const message = errorOf(() => new ServiceIntegrationRoute(stack, 'Route', {
    api, path, method, action: make({ users, orders, plain, binary, multi, imported }),
  }));
  expect(message.startsWith('Route Stack/Route: ')).toBe(true);
  return message;
}

describe('key schema', () => {
  test('an imported table needs keySchema', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.imported, { key: { id } }))).toBe(
      "Route Stack/Route: Stack/Imported (imported-table) is imported, so dynamoDbGetItem cannot know its key: pass keySchema, e.g. { partitionKey: { name: 'id', type: AttributeType.STRING } }");
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.imported, { item: { id } }))).toContain('so dynamoDbPutItem cannot know its key: pass keySchema');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.imported, { keyCondition: KeyCondition.eq('id', id) }))).toContain('so dynamoDbQuery cannot know its key: pass keySchema');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.imported, { keyCondition: KeyCondition.eq('id', id), indexName: 'gsi1' }))).toBe(
      "Route Stack/Route: Stack/Imported (imported-table) is imported, so dynamoDbQuery cannot know the key of index gsi1: pass keySchema (the index's partition and sort key)");
  });

  test('keySchema is for imported tables only, and must be complete', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id }, keySchema: { partitionKey: { name: 'id', type: S } } }))).toBe(
      'Route Stack/Route: keySchema is for imported tables, and Stack/Users is defined in this app, which gives its key: remove keySchema');
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.imported, { key: { id }, keySchema: {} as any }))).toBe('Route Stack/Route: keySchema.partitionKey is required');
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.imported, { key: { id }, keySchema: { partitionKey: { name: 'id', type: 'X' as any } } }))).toBe(
      'Route Stack/Route: keySchema.partitionKey needs a name and a type (AttributeType.STRING, NUMBER or BINARY)');
  });

  test('binary keys are refused', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.binary, { key: { id } }))).toBe(
      'Route Stack/Route: the key attribute id of the table is binary, which DynamoAttribute cannot write: use a string or number key');
  });

  (MULTI_ATTRIBUTE_KEYS ? test : test.skip)('multi-attribute keys are refused (aws-cdk-lib releases that have them)', () => {
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.multi, { indexName: 'byRegion', keyCondition: KeyCondition.eq('region', id) }))).toBe(
      'Route Stack/Route: index byRegion of Stack/Multi has a multi-attribute key, which these presets do not support: use an index with a single partition key and at most one sort key');
  });

  test('a literal table name must be a DynamoDB table name', () => {
    const message = misuse((t) => ServiceAction.dynamoDbScan(dynamodb.Table.fromTableName(t.users.stack, 'Bad', 'bad name"')));
    expect(message).toBe('Route Stack/Route: \'bad name"\' is not a DynamoDB table name (3 to 255 letters, digits, _ . -)');
  });
});

describe('keys and items', () => {
  test('a key lacking the partition or sort key', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.orders, { key: { id } }))).toBe(
      'Route Stack/Route: key lacks the sort key date of Stack/Orders: add key.date');
    expect(misuse((t) => ServiceAction.dynamoDbDeleteItem(t.orders, { key: { date: id } }))).toBe(
      'Route Stack/Route: key lacks the partition key id of Stack/Orders: add key.id');
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.users, { item: { name: id } }))).toBe(
      'Route Stack/Route: item lacks the partition key id of Stack/Users: add item.id');
  });

  test('a key naming other attributes', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id, name: id } }))).toBe(
      'Route Stack/Route: key names name, which is not a key attribute of Stack/Users: a key is exactly id');
    expect(misuse((t) => ServiceAction.dynamoDbUpdateItem(t.orders, { key: { id, date: id, a: id, b: id }, set: { x: id } }))).toBe(
      'Route Stack/Route: key names a, b, which are not key attributes of Stack/Orders: a key is exactly id and date');
  });

  test('a key value of the wrong type', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id: num(Field.path('id')) } }))).toBe(
      "Route Stack/Route: key.id: id is a string (S) key, but the value is DynamoAttribute.numberValue(Field.path('id')): use DynamoAttribute.stringValue(...)");
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.plain, { item: { id, n: DynamoAttribute.booleanValue(Field.body('$.n')) } }))).toBe(
      "Route Stack/Route: item.n: n is a number (N) key, but the value is DynamoAttribute.booleanValue(Field.body('$.n')): use DynamoAttribute.numberValue(...)");
  });

  test('maps that are missing, empty or hold something else', () => {
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.users, { item: {} }))).toBe(
      'Route Stack/Route: item is empty: list the attributes to write, key attributes included');
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.users, {} as any))).toBe(
      'Route Stack/Route: item is required: a map of attribute name to DynamoAttribute');
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id: Field.path('id') as any } }))).toBe(
      "Route Stack/Route: key.id must be a DynamoAttribute, e.g. DynamoAttribute.stringValue(Field.body('$.id'))");
    expect(misuse((t) => ServiceAction.dynamoDbPutItem(t.users, { item: { id, '': id } }))).toBe(
      "Route Stack/Route: item: '' is not an attribute name (1 to 65535 bytes)");
  });

  test('a path Field the route does not have', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id: str(Field.path('userId')) } }))).toContain(
      "Route Stack/Route: Field.path('userId') is not a parameter of the route's path");
  });
});

describe('GetItem', () => {
  test('projection must list distinct attribute names', () => {
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id }, projection: [] }))).toBe(
      'Route Stack/Route: projection is empty: list the attributes to answer, or leave projection out for all of them');
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id }, projection: ['a', 'a'] }))).toBe(
      "Route Stack/Route: projection lists 'a' twice: list each attribute once");
    expect(misuse((t) => ServiceAction.dynamoDbGetItem(t.users, { key: { id }, projection: [''] }))).toBe(
      "Route Stack/Route: projection: '' is not an attribute name (1 to 65535 bytes)");
  });
});

describe('Query', () => {
  const eqId = KeyCondition.eq('id', id);

  test('the key condition must start with the partition key equality', () => {
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, {} as any))).toBe(
      "Route Stack/Route: keyCondition is required, e.g. KeyCondition.eq('id', DynamoAttribute.stringValue(Field.path('id')))");
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { keyCondition: KeyCondition.eq('name', id) }))).toBe(
      "Route Stack/Route: keyCondition must start with KeyCondition.eq('id', ...): the partition key of the table is id and a Query needs its exact value");
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { keyCondition: KeyCondition.beginsWith('id', id) }))).toContain(
      "keyCondition must start with KeyCondition.eq('id', ...)");
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.orders, { indexName: 'byStatus', keyCondition: eqId }))).toBe(
      "Route Stack/Route: keyCondition must start with KeyCondition.eq('status', ...): the partition key of index byStatus is status and a Query needs its exact value");
  });

  test('at most one sort key condition, on the sort key, of the right kind', () => {
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.orders, { keyCondition: eqId.andSortKey(KeyCondition.eq('date', id)).andSortKey(KeyCondition.eq('date', id)) }))).toBe(
      'Route Stack/Route: keyCondition has more than two parts: a Query takes the partition key and at most one sort key condition');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { keyCondition: eqId.andSortKey(KeyCondition.eq('date', id)) }))).toBe(
      "Route Stack/Route: keyCondition has a condition on 'date', but the table has no sort key: remove .andSortKey(...)");
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.orders, { keyCondition: eqId.andSortKey(KeyCondition.eq('status', id)) }))).toBe(
      "Route Stack/Route: keyCondition's second part names 'status', which is not the sort key of the table: use 'date'");
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.plain, { keyCondition: eqId.andSortKey(KeyCondition.beginsWith('n', num(Field.query('n')))) }))).toBe(
      'Route Stack/Route: KeyCondition.beginsWith needs a string sort key, and n is a number (N): use a range condition');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.plain, { keyCondition: eqId.andSortKey(KeyCondition.between('n', num(Field.query('a')), str(Field.query('b')))) }))).toBe(
      "Route Stack/Route: keyCondition on 'n': n is a number (N) key, but the value is DynamoAttribute.stringValue(Field.query('b')): use DynamoAttribute.numberValue(...)");
  });

  test('the index must exist and allow the read', () => {
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.orders, { indexName: 'nope', keyCondition: eqId }))).toBe(
      'Route Stack/Route: Stack/Orders has no index nope: use one of byStatus');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { indexName: 'nope', keyCondition: eqId }))).toBe(
      'Route Stack/Route: Stack/Users has no index nope: add it (addGlobalSecondaryIndex) before this route');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.orders, { indexName: 'byStatus', consistentRead: true, keyCondition: KeyCondition.eq('status', id) }))).toBe(
      'Route Stack/Route: consistentRead is not available on the global secondary index byStatus: remove it or use the table');
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { indexName: 'a b', keyCondition: eqId }))).toBe(
      "Route Stack/Route: indexName 'a b' is not an index name (3 to 255 letters, digits, _ . -)");
  });

  test('limit and pagination token', () => {
    for (const limit of [0, 1001, 1.5, -1]) {
      expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { keyCondition: eqId, limit }))).toBe(
        `Route Stack/Route: limit ${limit} must be a whole number from 1 to 1000 (API Gateway's templates loop at most 1000 times)`);
    }
    expect(misuse((t) => ServiceAction.dynamoDbQuery(t.users, { keyCondition: eqId, paginationToken: 'nextToken' as any }))).toBe(
      "Route Stack/Route: paginationToken must be a Field, e.g. Field.query('nextToken')");
  });
});

describe('UpdateItem', () => {
  test('set must list non-key attributes', () => {
    expect(misuse((t) => ServiceAction.dynamoDbUpdateItem(t.users, { key: { id }, set: {} }))).toBe(
      'Route Stack/Route: set is empty: list the attributes to update');
    expect(misuse((t) => ServiceAction.dynamoDbUpdateItem(t.users, { key: { id }, set: { id } }))).toBe(
      "Route Stack/Route: set names the key attribute 'id', which an update cannot change: remove it from set (it belongs in key)");
    expect(misuse((t) => ServiceAction.dynamoDbUpdateItem(t.users, { key: { id }, set: { a: id }, returnValues: 'ALL_OLD' as DynamoReturnValues }))).toBe(
      "Route Stack/Route: returnValues 'ALL_OLD' is not one of ALL_NEW, UPDATED_NEW, NONE");
  });
});

describe('Scan', () => {
  test('index, consistency and limit', () => {
    expect(misuse((t) => ServiceAction.dynamoDbScan(t.orders, { indexName: 'nope' }))).toBe('Route Stack/Route: Stack/Orders has no index nope: use one of byStatus');
    expect(misuse((t) => ServiceAction.dynamoDbScan(t.orders, { indexName: 'byStatus', consistentRead: true }))).toBe(
      'Route Stack/Route: consistentRead is not available on the global secondary index byStatus: remove it or use the table');
    expect(misuse((t) => ServiceAction.dynamoDbScan(t.users, { limit: 5000 }))).toContain('limit 5000 must be a whole number from 1 to 1000');
  });

  test('not a table', () => {
    expect(misuse(() => ServiceAction.dynamoDbScan({} as any))).toBe(
      'Route Stack/Route: ServiceAction.dynamoDbScan: table must be a DynamoDB table (dynamodb.ITable) (got an empty object {})');
  });
});

describe('factories', () => {
  test('DynamoAttribute and KeyCondition check their arguments', () => {
    expect(errorOf(() => DynamoAttribute.stringValue('$.name' as any))).toBe("DynamoAttribute.stringValue: pass a Field, e.g. Field.body('$.name')");
    expect(errorOf(() => DynamoAttribute.numberValue(undefined as any))).toBe("DynamoAttribute.numberValue: pass a Field, e.g. Field.body('$.name')");
    expect(errorOf(() => KeyCondition.eq('', id))).toBe('KeyCondition: name the key attribute');
    expect(errorOf(() => KeyCondition.eq('id', Field.path('id') as any))).toBe(
      "KeyCondition on 'id': pass a DynamoAttribute, e.g. DynamoAttribute.stringValue(Field.path('id'))");
  });
});
