process.env.CDK_VALIDATION = 'false';
import { MappingTemplate, MappingTemplateOptions } from '../../lib/testing';
import { ADVERSARIAL, buildFixture, CORS_ORIGINS } from './dynamodb-fixture';

// DynamoDB presets, response side: DynamoDB JSON turned into plain JSON (every type, nesting, hostile
// strings), the 404/409/429 overrides, the error bodies, and the pagination token round trip.

const f = buildFixture();
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

/** DynamoDB JSON of a plain value (strings S, numbers N, booleans BOOL, null NULL, arrays L, objects M). */
function ddb(value: unknown): any {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(ddb) };
  return { M: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, ddb(v)])) };
}

function ddbItem(item: { [k: string]: unknown }): any {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, ddb(v)]));
}

const RICH_ITEM = {
  id: { S: 'u1' },
  age: { N: '42' },
  price: { N: '-0.5' },
  big: { N: '1E+2' },
  admin: { BOOL: true },
  banned: { BOOL: false },
  gone: { NULL: true },
  tags: { SS: ['a', 'b"c'] },
  scores: { NS: ['1', '2.5', '-3E-2'] },
  blobs: { BS: ['aGk=', 'AA=='] },
  blob: { B: 'aGVsbG8=' },
  address: { M: { city: { S: 'Paris' }, zip: { N: '75001' }, geo: { M: { lat: { N: '48.85' }, tags: { SS: ['x'] } } } } },
  history: { L: [{ S: 'x' }, { N: '1' }, { M: { k: { BOOL: false } } }, { L: [] }, { M: {} }, { NULL: true }] },
};
const RICH_PLAIN = {
  id: 'u1', age: 42, price: -0.5, big: 100, admin: true, banned: false, gone: null,
  tags: ['a', 'b"c'], scores: [1, 2.5, -0.03], blobs: ['aGk=', 'AA=='], blob: 'aGVsbG8=',
  address: { city: 'Paris', zip: 75001, geo: { lat: 48.85, tags: ['x'] } },
  history: ['x', 1, { k: false }, [], {}, null],
};

function renderResponse(template: string, body: unknown, options?: MappingTemplateOptions) {
  const result = MappingTemplate.renderWithOverrides(template, { body: typeof body === 'string' ? body : JSON.stringify(body) }, options);
  let parsed: any;
  try {
    parsed = result.output === '' ? undefined : JSON.parse(result.output);
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message}):\n${result.output}`);
  }
  return { status: result.statusOverride, body: parsed, output: result.output };
}

describe('GetItem 200 template', () => {
  const template = f.responseTemplate('/users/{id}', 'GET', 200);

  test('every DynamoDB type becomes plain JSON', () => {
    expect(renderResponse(template, { Item: RICH_ITEM })).toEqual({ status: undefined, body: RICH_PLAIN, output: expect.any(String) });
  });

  test('hostile strings in values, attribute names and map keys stay exact', () => {
    for (const value of ADVERSARIAL) {
      const item = { [value || 'empty']: value, nested: { [value]: [value, { [value]: value }] }, set: value };
      const dynamo = { ...ddbItem(item), set: { SS: [value, 'other'] } };
      expect(renderResponse(template, { Item: dynamo }).body).toEqual({ ...item, set: [value, 'other'] });
    }
  });

  test('a missing item answers 404 with a JSON error', () => {
    for (const body of [{}, { ConsumedCapacity: { TableName: 't' } }, '']) {
      expect(renderResponse(template, body)).toEqual({
        status: 404, body: { message: 'Not found', requestId: REQUEST_ID }, output: expect.any(String),
      });
    }
  });

  test('an item without attributes (all projected away) answers an empty object', () => {
    expect(renderResponse(template, { Item: {} })).toEqual({ status: undefined, body: {}, output: '{}' });
  });

  test(`maps and lists convert down to level ${4}; deeper containers print null`, () => {
    const deep = { a: { b: { c: { d: { e: 'leaf', f: { g: 1 }, h: [1] } } } } };
    expect(renderResponse(template, { Item: ddbItem({ deep, list: [[[[['x', ['y']]]]]] }) }).body).toEqual({
      deep: { a: { b: { c: { d: null } } } },
      list: [[[[null]]]],
    });
    const fits = { a: { b: { c: ['leaf', 2, true] } } };
    expect(renderResponse(template, { Item: ddbItem({ fits }) }).body).toEqual({ fits });
  });

  test('numbers keep their digits; text that is not a JSON number stays a string', () => {
    const out = renderResponse(template, { Item: { n: { N: '12345678901234567890123456789012345678' }, odd: { N: '1.' }, nan: { N: 'NaN' } } });
    expect(out.output).toContain('"n": 12345678901234567890123456789012345678');
    expect(out.body).toEqual({ n: Number('12345678901234567890123456789012345678'), odd: '1.', nan: 'NaN' });
  });

  test('an unknown type prints null', () => {
    expect(renderResponse(template, { Item: { x: { FUTURE: 'v' } } }).body).toEqual({ x: null });
    // DynamoDB never sends a value that is not a map; if it did, API Gateway would print null for
    // $v.containsKey('S') on a String, which the renderer's strict mode reports as a missing method.
    const notAnAttributeValue = { Item: { x: { FUTURE: 'v' }, y: 'not an attribute value' } };
    expect(renderResponse(template, notAnAttributeValue, { strict: false }).body).toEqual({ x: null, y: null });
    expect(() => renderResponse(template, notAnAttributeValue)).toThrow(/String has no method containsKey\(String\)/);
  });
});

describe('item-returning writes', () => {
  test('PutItem answers 201 with the stored item', () => {
    const template = f.responseTemplate('/users', 'POST', 201);
    const item = { id: 'req-1', createdAt: '09/Apr/2015:12:34:56 +0000', username: 'a", "admin": true, "x": "', age: 42, admin: false, 'odd name #1 $x': "it's" };
    expect(renderResponse(template, { Attributes: ddbItem(item) })).toEqual({ status: undefined, body: item, output: expect.any(String) });
  });

  test('UpdateItem answers the item (ALL_NEW) or the updated attributes (UPDATED_NEW)', () => {
    const item = { id: 'u', username: 'line\nbreak', age: 3 };
    expect(renderResponse(f.responseTemplate('/users/{id}', 'PATCH', 200), { Attributes: ddbItem(item) }).body).toEqual(item);
    expect(renderResponse(f.responseTemplate('/customers/{customerId}/orders/{orderDate}', 'PATCH', 200), { Attributes: ddbItem({ total: 12.5 }) }).body).toEqual({ total: 12.5 });
  });

  test('UpdateItem with ReturnValues NONE answers 204 without a body', () => {
    expect(renderResponse(f.responseTemplate('/users/{id}/flags', 'PUT', 204), {})).toEqual({ status: undefined, body: undefined, output: '' });
  });

  test('DeleteItem answers the deleted item, or 404 when nothing was deleted', () => {
    const template = f.responseTemplate('/users/{id}', 'DELETE', 200);
    expect(renderResponse(template, { Attributes: ddbItem({ id: '😀', n: 1 }) }).body).toEqual({ id: '😀', n: 1 });
    expect(renderResponse(template, {})).toEqual({ status: 404, body: { message: 'Not found', requestId: REQUEST_ID }, output: expect.any(String) });
  });

  test('DeleteItem without the item answers 204 with no body, or 404', () => {
    const template = f.responseTemplate('/customers/{customerId}/orders/{orderDate}', 'DELETE', 204);
    expect(renderResponse(template, { Attributes: ddbItem({ customerId: 'c' }) })).toEqual({ status: undefined, body: undefined, output: '' });
    expect(renderResponse(template, {})).toEqual({ status: 404, body: { message: 'Not found', requestId: REQUEST_ID }, output: expect.any(String) });
  });
});

describe('Query and Scan 200 template', () => {
  const templates = [f.responseTemplate('/customers/{customerId}/orders', 'GET', 200), f.responseTemplate('/users', 'GET', 200)];

  test('items become an array of plain objects with their count', () => {
    for (const template of templates) {
      const items = [{ id: 'a', n: 1 }, { id: 'b"', tags: ['x'], nested: { ok: true } }, {}];
      const body = { Items: items.map(ddbItem), Count: 3, ScannedCount: 10 };
      expect(renderResponse(template, body)).toEqual({ status: undefined, body: { items, count: 3 }, output: expect.any(String) });
      expect(renderResponse(template, { Items: [RICH_ITEM] }).body).toEqual({ items: [RICH_PLAIN], count: 1 });
    }
  });

  test('no items', () => {
    for (const template of templates) {
      expect(renderResponse(template, { Items: [], Count: 0, ScannedCount: 0 }).body).toEqual({ items: [], count: 0 });
      expect(renderResponse(template, {}).body).toEqual({ items: [], count: 0 });
    }
  });

  test('hostile strings in items stay exact', () => {
    const items = ADVERSARIAL.map((v) => ({ [v || 'k']: v, list: [v] }));
    for (const template of templates) {
      expect(renderResponse(template, { Items: items.map(ddbItem), Count: items.length }).body).toEqual({ items, count: items.length });
    }
  });

  test('a LastEvaluatedKey becomes a nextToken that the next request turns back into the same ExclusiveStartKey', () => {
    const query = f.requestTemplate('/orders/status/{status}', 'GET');
    const response = f.responseTemplate('/orders/status/{status}', 'GET', 200);
    const keys = [
      { customerId: { S: 'c-1' }, orderDate: { S: '2024-01-01' }, status: { S: 'shipped' }, total: { N: '12.5' } },
      ...ADVERSARIAL.filter((v) => v !== '').map((v) => ({ customerId: { S: v }, orderDate: { S: `${v}?>~` }, status: { S: 'x' }, total: { N: '-1' } })),
      { 'odd name #1 $x': { S: 'é' }, bin: { B: 'AAEC/w==' } },
    ];
    for (const key of keys) {
      const out = renderResponse(response, { Items: [], Count: 0, LastEvaluatedKey: key });
      expect(Object.keys(out.body)).toEqual(['items', 'count', 'nextToken']);
      expect(out.body.nextToken).toMatch(/^[A-Za-z0-9_=.-]+$/);
      const next = MappingTemplate.renderJson(query, { pathParameters: { status: 'x' }, headers: { 'X-Next-Token': out.body.nextToken } });
      expect(next.ExclusiveStartKey).toEqual(key);
    }
  });

  test('the token also round-trips through a query string parameter', () => {
    const response = f.responseTemplate('/users', 'GET', 200);
    const out = renderResponse(response, { Items: [ddbItem({ id: 'z' })], Count: 1, LastEvaluatedKey: { id: { S: 'z/+?' } } });
    expect(out.body.items).toEqual([{ id: 'z' }]);
    const next = MappingTemplate.renderJson(f.requestTemplate('/users', 'GET'), { queryParameters: { nextToken: out.body.nextToken } });
    expect(next).toEqual({ TableName: expect.any(String), Limit: 100, ExclusiveStartKey: { id: { S: 'z/+?' } } });
  });
});

describe('error templates', () => {
  const error = (type: string, message = 'x') => ({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  const rejected = { message: 'The service rejected the request', requestId: REQUEST_ID };
  const throttled = { status: 429, body: { message: 'Too many requests: retry later', requestId: REQUEST_ID } };

  test('a failed condition on PutItem with onlyIfNew answers 409', () => {
    const template = f.responseTemplate('/users', 'POST', 400);
    expect(renderResponse(template, error('ConditionalCheckFailedException', 'The conditional request failed'))).toEqual({
      status: 409, body: { message: 'An item with this key already exists', requestId: REQUEST_ID }, output: expect.any(String),
    });
  });

  test('a failed condition on UpdateItem answers 404', () => {
    for (const [path, method] of [['/users/{id}', 'PATCH'], ['/users/{id}/flags', 'PUT']]) {
      expect(renderResponse(f.responseTemplate(path, method, 400), error('ConditionalCheckFailedException'))).toEqual({
        status: 404, body: { message: 'Not found', requestId: REQUEST_ID }, output: expect.any(String),
      });
    }
  });

  test('throttling answers 429, other client errors 400, never echoing DynamoDB\'s message', () => {
    const paths: Array<[string, string]> = [['/users', 'POST'], ['/users/{id}', 'GET'], ['/users', 'GET'], ['/users/{id}', 'PATCH'], ['/users/{id}', 'DELETE']];
    for (const [path, method] of paths) {
      const template = f.responseTemplate(path, method, 400);
      for (const type of ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']) {
        const out = renderResponse(template, error(type));
        expect({ status: out.status, body: out.body }).toEqual(throttled);
      }
      for (const body of [error('ValidationException', 'One or more parameter values were invalid: arn:aws:dynamodb:...'),
        error('ResourceNotFoundException'), error('AccessDeniedException'), {}, '', 'not json',
        ...ADVERSARIAL.map((v) => ({ __type: v, message: v }))]) {
        expect(renderResponse(template, body)).toEqual({ status: undefined, body: rejected, output: expect.any(String) });
      }
    }
  });

  test('a failed condition on a route without a condition is a plain 400', () => {
    expect(renderResponse(f.responseTemplate('/customers/{customerId}/orders/{orderDate}', 'PUT', 400), error('ConditionalCheckFailedException')).body).toEqual(rejected);
  });

  test('5xx answers 502 with a fixed message', () => {
    expect(renderResponse(f.responseTemplate('/users/{id}', 'GET', 502), error('InternalServerError'))).toEqual({
      status: undefined, body: { message: 'The service failed to handle the request', requestId: REQUEST_ID }, output: expect.any(String),
    });
  });
});

describe('with CORS', () => {
  test('the origin reflection the route prepends and the 404 override work together', () => {
    const props = f.method('/cors/{id}', 'GET');
    expect(props.MethodResponses.map((r: any) => [r.StatusCode, Object.keys(r.ResponseParameters ?? {})])).toEqual(
      ['200', '400', '502', '404', '429'].map((s) => [s, ['method.response.header.Access-Control-Allow-Origin', 'method.response.header.Vary']]));
    const ok = f.responseTemplate('/cors/{id}', 'GET', 200);
    const found = MappingTemplate.renderWithOverrides(ok, { body: JSON.stringify({ Item: ddbItem({ id: 'x' }) }), headers: { Origin: CORS_ORIGINS[1] } });
    expect([JSON.parse(found.output), found.statusOverride, found.headerOverrides]).toEqual([{ id: 'x' }, undefined, { 'Access-Control-Allow-Origin': CORS_ORIGINS[1] }]);
    const missing = MappingTemplate.renderWithOverrides(ok, { body: '{}', headers: { Origin: CORS_ORIGINS[0] } });
    expect([JSON.parse(missing.output), missing.statusOverride, missing.headerOverrides]).toEqual([
      { message: 'Not found', requestId: REQUEST_ID }, 404, { 'Access-Control-Allow-Origin': CORS_ORIGINS[0] },
    ]);
    const throttled = MappingTemplate.renderWithOverrides(f.responseTemplate('/cors/{id}', 'GET', 400), {
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' }), headers: { Origin: 'https://evil.example.com' },
    });
    expect([JSON.parse(throttled.output).message, throttled.statusOverride, throttled.headerOverrides]).toEqual(['Too many requests: retry later', 429, {}]);
  });
});
