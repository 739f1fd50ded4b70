process.env.CDK_VALIDATION = 'false';
import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';
import { resourcesOfType } from '../util';
import { ADVERSARIAL, buildFixture, resolve } from './dynamodb-fixture';

// DynamoDB presets, request side: the synthesized integrations, the exact IAM grants, and every request
// template rendered with benign and hostile values to exactly the DynamoDB call expected.

const f = buildFixture();
const USERS = resolve(f.stack.resolve(f.users.tableName));
const ORDERS = resolve(f.stack.resolve(f.orders.tableName));
const COUNTERS = resolve(f.stack.resolve((f.stack.node.findChild('Counters') as any).tableName));
const SECURE = resolve(f.stack.resolve((f.stack.node.findChild('Secure') as any).tableName));
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
const REQUEST_TIME = '09/Apr/2015:12:34:56 +0000';

function render(path: string, method: string, request: MappingTemplateRequest): any {
  return MappingTemplate.renderJson(f.requestTemplate(path, method), request);
}

describe('integrations', () => {
  const routes: Array<[string, string, string, number, number[]]> = [
    ['/users', 'POST', 'UpdateItem', 201, [201, 400, 502, 409, 429]],
    ['/customers/{customerId}/orders/{orderDate}', 'PUT', 'UpdateItem', 201, [201, 400, 502, 429]],
    ['/users/{id}', 'GET', 'GetItem', 200, [200, 400, 502, 404, 429]],
    ['/customers/{customerId}/orders', 'GET', 'Query', 200, [200, 400, 502, 429]],
    ['/users/{id}', 'PATCH', 'UpdateItem', 200, [200, 400, 502, 404, 429]],
    ['/users/{id}/flags', 'PUT', 'UpdateItem', 204, [204, 400, 502, 404, 429]],
    ['/users/{id}', 'DELETE', 'DeleteItem', 200, [200, 400, 502, 404, 429]],
    ['/customers/{customerId}/orders/{orderDate}', 'DELETE', 'DeleteItem', 204, [204, 400, 502, 404, 429]],
    ['/users', 'GET', 'Scan', 200, [200, 400, 502, 429]],
  ];

  test.each(routes)('%s %s calls dynamodb:action/%s', (path, method, action, success, statuses) => {
    const props = f.method(path, method);
    const integration = props.Integration;
    expect(integration.Type).toBe('AWS');
    expect(resolve(integration.Uri)).toBe(`arn:aws:apigateway:us-east-1:dynamodb:action/${action}`);
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.Credentials).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiApigatewayPatternsIntegrationRole/), 'Arn'] });
    expect(integration.RequestParameters).toBeUndefined();
    expect(Object.keys(integration.RequestTemplates)).toEqual(['application/json']);
    expect(integration.IntegrationResponses.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
      [String(success), undefined], ['400', '4\\d{2}'], ['502', '5\\d{2}'],
    ]);
    expect(props.MethodResponses.map((r: any) => Number(r.StatusCode))).toEqual(statuses);
  });

  test('a Query or Scan on an index calls the same action', () => {
    expect(resolve(f.method('/orders/status/{status}', 'GET').Integration.Uri)).toMatch(/:dynamodb:action\/Query$/);
    expect(resolve(f.method('/orders', 'GET').Integration.Uri)).toMatch(/:dynamodb:action\/Scan$/);
  });

  test('all service routes of the API share one integration role', () => {
    const roles = resourcesOfType(f.template, 'AWS::IAM::Role').filter(([id]) => !id.startsWith('ApiCloudWatchRole'));
    expect(roles).toHaveLength(1);
  });
});

describe('IAM', () => {
  test('exactly each action on exactly the table, index or key ARN', () => {
    const [[, policy]] = resourcesOfType(f.template, 'AWS::IAM::Policy');
    const statements = policy.PolicyDocument.Statement.map((s: any) => ({
      actions: [s.Action].flat(),
      resources: [s.Resource].flat().map(resolve).sort(),
      effect: s.Effect,
      condition: s.Condition,
    }));
    const arn = (id: string) => `arn-of-${f.stack.getLogicalId(f.stack.node.findChild(id).node.defaultChild as any)}`;
    const users = arn('Users');
    const orders = arn('Orders');
    const counters = arn('Counters');
    const secure = arn('Secure');
    const key = arn('Key');
    const byName = (s: any) => s.actions.join(',');
    expect([...statements].sort((a, b) => byName(a).localeCompare(byName(b)))).toEqual([
      { actions: ['dynamodb:DeleteItem'], resources: [orders, secure, users].sort(), effect: 'Allow', condition: undefined },
      {
        actions: ['dynamodb:GetItem'],
        resources: [orders, secure, users, 'arn:aws:dynamodb:us-east-1:123456789012:table/legacy-items'].sort(),
        effect: 'Allow', condition: undefined,
      },
      {
        actions: ['dynamodb:Query'],
        resources: [counters, orders, `${orders}/index/byStatus`, `${orders}/index/byTotal`, users,
          'arn:aws:dynamodb:us-east-1:123456789012:table/legacy-items/index/bySku'].sort(),
        effect: 'Allow', condition: undefined,
      },
      {
        actions: ['dynamodb:Scan'],
        resources: [counters, `${orders}/index/byStatus`, users, 'arn:aws:dynamodb:us-east-1:123456789012:table/legacy-items'].sort(),
        effect: 'Allow', condition: undefined,
      },
      { actions: ['dynamodb:UpdateItem'], resources: [counters, orders, secure, users].sort(), effect: 'Allow', condition: undefined },
      { actions: ['kms:Decrypt'], resources: [key], effect: 'Allow', condition: undefined },
      { actions: ['kms:Decrypt', 'kms:Encrypt'], resources: [key], effect: 'Allow', condition: undefined },
    ]);
    for (const s of statements) {
      for (const a of s.actions) expect(a).not.toContain('*');
      for (const r of s.resources) expect(r).not.toBe('*');
    }
  });
});

describe('PutItem', () => {
  const body = (username: string, extra: object = {}) => JSON.stringify({ username, age: 42, admin: true, 'odd key': username, ...extra });
  const expected = (username: string, age: string, admin: boolean) => ({
    TableName: USERS,
    Key: { id: { S: REQUEST_ID } },
    UpdateExpression: 'SET #a0 = :v0, #a1 = :v1, #a2 = :v2, #a3 = :v3, #a4 = :v4',
    ConditionExpression: 'attribute_not_exists(#k0)',
    ExpressionAttributeNames: { '#a0': 'createdAt', '#a1': 'username', '#a2': 'age', '#a3': 'admin', '#a4': 'odd name #1 $x', '#k0': 'id' },
    ExpressionAttributeValues: {
      ':v0': { S: REQUEST_TIME },
      ':v1': { S: username },
      ':v2': { N: age },
      ':v3': { BOOL: admin },
      ':v4': { S: username },
    },
    ReturnValues: 'ALL_NEW',
  });

  test('writes the request id, time and body values with their types', () => {
    expect(render('/users', 'POST', { body: body('alice') })).toEqual(expected('alice', '42', true));
  });

  test.each(ADVERSARIAL)('a hostile string stays one exact value: %j', (value) => {
    expect(render('/users', 'POST', { body: body(value) })).toEqual(expected(value, '42', true));
  });

  test('numbers are written as their text; DynamoDB judges anything else', () => {
    const cases: Array<[unknown, string]> = [
      [7, '7'], [-1.5, '-1.5'], ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
      [1e21, '1.0E21'], ['1e5', '1e5'], ['abc', 'abc'], [null, ''], ['a", "N": "1', 'a", "N": "1'],
    ];
    for (const [age, text] of cases) {
      expect(render('/users', 'POST', { body: body('bob', { age }) }).ExpressionAttributeValues[':v2']).toEqual({ N: text });
    }
    expect(render('/users', 'POST', { body: JSON.stringify({ username: 'bob' }) }).ExpressionAttributeValues[':v2']).toEqual({ N: '' });
  });

  test('booleans are true only for true', () => {
    const cases: Array<[unknown, boolean]> = [[true, true], ['true', true], [false, false], ['TRUE', false], [1, false], ['yes', false], [null, false], [{}, false]];
    for (const [admin, value] of cases) {
      expect(render('/users', 'POST', { body: body('bob', { admin }) }).ExpressionAttributeValues[':v3']).toEqual({ BOOL: value });
    }
  });

  test('an empty, non-JSON or array body still gives a well-formed call', () => {
    for (const raw of ['', 'not json', '[1,2]', '"a string"', '{"username": {"nested": "x"}}']) {
      const out = render('/users', 'POST', { body: raw });
      expect(Object.keys(out)).toEqual(Object.keys(expected('', '', false)));
      expect(out.Key).toEqual({ id: { S: REQUEST_ID } });
      expect(out.ExpressionAttributeValues[':v3']).toEqual({ BOOL: false });
    }
  });

  test('path, header and query values; key attributes go to Key, the rest to SET; no condition without onlyIfNew', () => {
    for (const value of ['2024-01-01', ...ADVERSARIAL]) {
      const out = render('/customers/{customerId}/orders/{orderDate}', 'PUT', {
        pathParameters: { customerId: `c-${value}`, orderDate: value },
        headers: { 'X-Note': value },
        queryParameters: { total: '19.99' },
      });
      expect(out).toEqual({
        TableName: ORDERS,
        Key: { customerId: { S: `c-${value}` }, orderDate: { S: value } },
        UpdateExpression: 'SET #a0 = :v0, #a1 = :v1',
        ExpressionAttributeNames: { '#a0': 'note', '#a1': 'total' },
        ExpressionAttributeValues: { ':v0': { S: value }, ':v1': { N: '19.99' } },
        ReturnValues: 'ALL_NEW',
      });
    }
  });

  test('an item of key attributes only has no update expression', () => {
    expect(render('/counters/{shard}/{seq}', 'PUT', { pathParameters: { shard: '3', seq: '-7' } })).toEqual({
      TableName: COUNTERS,
      Key: { shard: { N: '3' }, seq: { N: '-7' } },
      ReturnValues: 'ALL_NEW',
    });
  });
});

describe('GetItem', () => {
  test.each(['u-1', ...ADVERSARIAL])('key from the path: %j', (id) => {
    expect(render('/users/{id}', 'GET', { pathParameters: { id } })).toEqual({ TableName: USERS, Key: { id: { S: id } } });
  });

  test('composite key, projection through placeholders, consistent read', () => {
    for (const value of ['2024-05', ...ADVERSARIAL]) {
      expect(render('/customers/{customerId}/orders/{orderDate}', 'GET', { pathParameters: { customerId: value, orderDate: value } })).toEqual({
        TableName: ORDERS,
        Key: { customerId: { S: value }, orderDate: { S: value } },
        ProjectionExpression: '#p0, #p1, #p2',
        ConsistentRead: true,
        ExpressionAttributeNames: { '#p0': 'total', '#p1': 'status', '#p2': 'odd name #1 $x' },
      });
    }
  });

  test('an imported table with keySchema', () => {
    expect(render('/legacy/{sku}', 'GET', { pathParameters: { sku: 'A"1' } })).toEqual({ TableName: 'legacy-items', Key: { sku: { S: 'A"1' } } });
  });
});

describe('Query', () => {
  test.each(['2024-', ...ADVERSARIAL])('partition key equality and begins_with on the sort key: %j', (value) => {
    expect(render('/customers/{customerId}/orders', 'GET', { pathParameters: { customerId: `x${value}` }, queryParameters: { month: value } })).toEqual({
      TableName: ORDERS,
      KeyConditionExpression: '#k0 = :k0 AND begins_with(#k1, :k1)',
      ExpressionAttributeNames: { '#k0': 'customerId', '#k1': 'orderDate' },
      ExpressionAttributeValues: { ':k0': { S: `x${value}` }, ':k1': { S: value } },
      Limit: 25,
      ScanIndexForward: false,
    });
  });

  test('between on a number sort key of a global index; token from a header', () => {
    expect(render('/orders/status/{status}', 'GET', { pathParameters: { status: 'shipped' }, queryParameters: { min: '10', max: '1e3' } })).toEqual({
      TableName: ORDERS,
      IndexName: 'byStatus',
      KeyConditionExpression: '#k0 = :k0 AND #k1 BETWEEN :k1 AND :k2',
      ExpressionAttributeNames: { '#k0': 'status', '#k1': 'total' },
      ExpressionAttributeValues: { ':k0': { S: 'shipped' }, ':k1': { N: '10' }, ':k2': { N: '1e3' } },
      Limit: 100,
    });
  });

  test('a literal bound on a local index with a consistent read', () => {
    expect(render('/customers/{customerId}/big-orders', 'GET', { pathParameters: { customerId: 'c' } })).toEqual({
      TableName: ORDERS,
      IndexName: 'byTotal',
      KeyConditionExpression: '#k0 = :k0 AND #k1 >= :k1',
      ExpressionAttributeNames: { '#k0': 'customerId', '#k1': 'total' },
      ExpressionAttributeValues: { ':k0': { S: 'c' }, ':k1': { N: '100' } },
      Limit: 100,
      ConsistentRead: true,
    });
  });

  test('partition key only', () => {
    expect(render('/users/{id}/self', 'GET', { pathParameters: { id: 'u' } })).toEqual({
      TableName: USERS,
      KeyConditionExpression: '#k0 = :k0',
      ExpressionAttributeNames: { '#k0': 'id' },
      ExpressionAttributeValues: { ':k0': { S: 'u' } },
      Limit: 100,
    });
  });

  test.each([['eq', '='], ['lt', '<'], ['le', '<='], ['gt', '>'], ['ge', '>=']])('sort key operator %s', (name, operator) => {
    expect(render(`/counters/{shard}/${name}`, 'GET', { pathParameters: { shard: '1' }, queryParameters: { seq: '5' } })).toEqual({
      TableName: COUNTERS,
      KeyConditionExpression: `#k0 = :k0 AND #k1 ${operator} :k1`,
      ExpressionAttributeNames: { '#k0': 'shard', '#k1': 'seq' },
      ExpressionAttributeValues: { ':k0': { N: '1' }, ':k1': { N: '5' } },
      Limit: 100,
    });
  });

  test('an index of an imported table with keySchema', () => {
    expect(render('/legacy/{sku}/versions', 'GET', { pathParameters: { sku: 's' }, queryParameters: { before: '3' } })).toEqual({
      TableName: 'legacy-items',
      IndexName: 'bySku',
      KeyConditionExpression: '#k0 = :k0 AND #k1 < :k1',
      ExpressionAttributeNames: { '#k0': 'sku', '#k1': 'version' },
      ExpressionAttributeValues: { ':k0': { S: 's' }, ':k1': { N: '3' } },
      Limit: 100,
    });
  });
});

describe('UpdateItem', () => {
  test.each(['bob', ...ADVERSARIAL])('SET each attribute of an existing item: %j', (value) => {
    const out = render('/users/{id}', 'PATCH', {
      pathParameters: { id: value },
      body: JSON.stringify({ username: value, age: '31' }),
      context: { authorizer: { claims: { sub: value } } },
    });
    expect(out).toEqual({
      TableName: USERS,
      Key: { id: { S: value } },
      UpdateExpression: 'SET #a0 = :v0, #a1 = :v1, #a2 = :v2',
      ConditionExpression: 'attribute_exists(#k0)',
      ExpressionAttributeNames: { '#a0': 'username', '#a1': 'age', '#a2': 'updatedBy', '#k0': 'id' },
      ExpressionAttributeValues: { ':v0': { S: value }, ':v1': { N: '31' }, ':v2': { S: value } },
      ReturnValues: 'ALL_NEW',
    });
  });

  test('ReturnValues NONE and UPDATED_NEW', () => {
    expect(render('/users/{id}/flags', 'PUT', { pathParameters: { id: 'u' }, queryParameters: { admin: 'true' } })).toEqual({
      TableName: USERS,
      Key: { id: { S: 'u' } },
      UpdateExpression: 'SET #a0 = :v0',
      ConditionExpression: 'attribute_exists(#k0)',
      ExpressionAttributeNames: { '#a0': 'admin', '#k0': 'id' },
      ExpressionAttributeValues: { ':v0': { BOOL: true } },
      ReturnValues: 'NONE',
    });
    const out = render('/customers/{customerId}/orders/{orderDate}', 'PATCH', { pathParameters: { customerId: 'c', orderDate: 'd' }, body: '{"total": 12.5}' });
    expect(out.Key).toEqual({ customerId: { S: 'c' }, orderDate: { S: 'd' } });
    expect(out.ExpressionAttributeValues).toEqual({ ':v0': { N: '12.5' } });
    expect(out.ReturnValues).toBe('UPDATED_NEW');
  });
});

describe('DeleteItem', () => {
  test.each(['u', ...ADVERSARIAL])('asks for the old item to tell whether anything was deleted: %j', (id) => {
    expect(render('/users/{id}', 'DELETE', { pathParameters: { id } })).toEqual({ TableName: USERS, Key: { id: { S: id } }, ReturnValues: 'ALL_OLD' });
    expect(render('/secure/{id}', 'DELETE', { pathParameters: { id } })).toEqual({ TableName: SECURE, Key: { id: { S: id } }, ReturnValues: 'ALL_OLD' });
  });
});

describe('Scan', () => {
  test('table, index, limit and consistent read', () => {
    expect(render('/users', 'GET', {})).toEqual({ TableName: USERS, Limit: 100 });
    expect(render('/orders', 'GET', {})).toEqual({ TableName: ORDERS, IndexName: 'byStatus', Limit: 1000 });
    expect(render('/counters', 'GET', {})).toEqual({ TableName: COUNTERS, Limit: 1, ConsistentRead: true });
    expect(render('/legacy', 'GET', {})).toEqual({ TableName: 'legacy-items', Limit: 100 });
  });
});

describe('pagination token on the request side', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  const token = (...parts: Array<[string, string, string]>) => parts.map(([n, t, v]) => `${b64(n)}.${t}.${b64(v)}`).join('.');

  test('a token becomes ExclusiveStartKey with each value exact', () => {
    for (const value of ['u-1', ...ADVERSARIAL.filter((v) => v !== '')]) {
      const out = render('/users', 'GET', { queryParameters: { nextToken: token(['id', 'S', value]) } });
      expect(out).toEqual({ TableName: USERS, Limit: 100, ExclusiveStartKey: { id: { S: value } } });
    }
    const composite = token(['customerId', 'S', 'c"1'], ['orderDate', 'S', '2024-01'], ['status', 'S', 'x'], ['total', 'N', '12.5']);
    expect(render('/orders/status/{status}', 'GET', { pathParameters: { status: 's' }, headers: { 'X-Next-Token': composite } }).ExclusiveStartKey).toEqual({
      customerId: { S: 'c"1' }, orderDate: { S: '2024-01' }, status: { S: 'x' }, total: { N: '12.5' },
    });
    expect(render('/users', 'GET', { queryParameters: { nextToken: token(['b', 'B', 'aGVsbG8=']) } }).ExclusiveStartKey).toEqual({ b: { B: 'aGVsbG8=' } });
  });

  test('no token: the first page', () => {
    expect(render('/users', 'GET', { queryParameters: { nextToken: '' } })).toEqual({ TableName: USERS, Limit: 100 });
  });

  test('a malformed token becomes an empty start key, which DynamoDB rejects with 400', () => {
    const bad = [
      ...ADVERSARIAL.filter((v) => v !== ''),
      'abc', 'YQ==.X.YQ==', 'YQ==.S', 'YQ==.S.YQ==.', 'YQ=.S.YQ==', 'YQ==.S.YQ==.YQ==.S', '.S.YQ==',
      'aW+Q.S.eA==', 'aW/Q.S.eA==', 'aWQ=.s.eA==', Array(11).fill('YQ==.S.YQ==').join('.'),
    ];
    for (const value of bad) {
      const out = render('/users', 'GET', { queryParameters: { nextToken: value } });
      expect(out).toEqual({ TableName: USERS, Limit: 100, ExclusiveStartKey: {} });
    }
  });
});
