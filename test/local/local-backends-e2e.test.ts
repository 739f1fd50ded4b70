import { ServiceIntegrationsStack, USERS_ADMIN_SCOPE } from '../../examples/service-integrations-stack';
import { LocalBackends } from '../../lib/local/backends';
import { createTableInput } from '../../lib/local/backends/dynamodb';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest, httpRequestBytes } from './http-client';

/**
 * `--backends local` with DynamoDB: dynalite started by the test, the example's tables created in it
 * from the template, and the ServiceIntegrations routes run against it over 127.0.0.1 (scenario 5: a
 * user written by POST /users and read back; scenario 1: GET /products scans items the test put).
 */
let dir: string;
let backends: LocalBackends;
let api: LocalApi;
let base: string;

beforeAll(async () => {
  dir = synthesize('dynamodb-backend', (app) => new ServiceIntegrationsStack(app, 'ApigwPatternsServiceIntegrations'));
  // As serve --backends local does: the backends start with the API and stop with it.
  api = await LocalApi.start(dir, { backends: 'local' });
  backends = api.backends!;
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  removeDir(dir);
});

test('LocalApi.start refuses data without backends', async () => {
  await expect(LocalApi.start(dir, { data: 'memory' })).rejects.toThrow("'data' is where the local backends keep their data: give backends: 'local' too");
});

test('the template\'s tables exist locally with their key schemas and indexes', async () => {
  const { TableNames } = await backends.dynamodb!.call('ListTables', {}) as { TableNames: string[] };
  expect(TableNames.sort()).toEqual(api.assembly.tables.map((t) => t.name).sort());
  for (const table of api.assembly.tables) {
    const { Table } = await backends.dynamodb!.call('DescribeTable', { TableName: table.name }) as { Table: Record<string, unknown> };
    expect(Table.KeySchema).toEqual(createTableInput(table).KeySchema);
    const gsis = (table.properties.GlobalSecondaryIndexes as unknown[] | undefined)?.length ?? 0;
    expect(((Table.GlobalSecondaryIndexes as unknown[] | undefined) ?? []).length).toBe(gsis);
  }
});

test('scenario 5: POST /users stores the caller\'s profile with the request id and time; GET /users/me reads it back; a second POST is 409', async () => {
  const token = api.mintToken({ sub: 'user-5' });
  const username = 'ada.lovelace';
  const created = await httpRequest(`${base}/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': token }, body: JSON.stringify({ username, email: 'ada@example.com' }) });
  expect(created.statusCode).toBe(201);
  const stored = (await backends.dynamodb!.call('GetItem', { TableName: usersTable(), Key: { userId: { S: 'user-5' } } })).Item as Record<string, { S: string }>;
  expect(Object.keys(stored).sort()).toEqual(['createdAt', 'email', 'requestId', 'userId', 'username']);
  expect([stored.username.S, stored.email.S, stored.requestId.S]).toEqual([username, 'ada@example.com', expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  const me = await httpRequest(`${base}/users/me`, { headers: { Authorization: token } });
  expect([me.statusCode, JSON.parse(me.body)]).toEqual([200, expect.objectContaining({ userId: 'user-5', username, email: 'ada@example.com' })]);
  const again = await httpRequest(`${base}/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': token }, body: JSON.stringify({ username, email: 'ada@example.com' }) });
  expect(again.statusCode).toBe(409);
});

test('POST /users then GET /users/{userId}: support staff (the users/admin scope) read back what the user wrote; a token without the scope is refused', async () => {
  const token = api.mintToken({ sub: 'user-by-id' });
  const created = await httpRequest(`${base}/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': token }, body: JSON.stringify({ username: 'byid', email: 'byid@example.com' }) });
  expect(created.statusCode).toBe(201);
  const staff = api.mintToken({ sub: 'support-1', scopes: [USERS_ADMIN_SCOPE] });
  const read = await httpRequest(`${base}/users/user-by-id`, { headers: { Authorization: staff } });
  expect([read.statusCode, JSON.parse(read.body)]).toEqual([200, expect.objectContaining({ userId: 'user-by-id', username: 'byid', email: 'byid@example.com' })]);
  expect((await httpRequest(`${base}/users/user-by-id`, { headers: { Authorization: token } })).statusCode).toBe(401);
});

test('adversarial values end as stored values, byte for byte, with no extra attribute', async () => {
  const token = api.mintToken({ sub: 'user-adv' });
  // No spaces and one @: the model's email pattern lets it through to the template.
  const email = 'a"b\\c@e\u00fc\u65e5.x","admin":{"S":"true"},"x":"';
  const r = await httpRequest(`${base}/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': token }, body: JSON.stringify({ username: 'adv_user', email }) });
  expect(r.statusCode).toBe(201);
  const stored = (await backends.dynamodb!.call('GetItem', { TableName: usersTable(), Key: { userId: { S: 'user-adv' } } })).Item as Record<string, { S: string }>;
  expect(stored.email.S).toBe(email);
  expect(Object.keys(stored)).not.toContain('admin');
});

test('scenario 1: GET /products scans the items the test put in the local table', async () => {
  const table = api.assembly.tables.find((t) => /Products/.test(t.logicalId))!.name;
  await backends.dynamodb!.call('PutItem', { TableName: table, Item: { productId: { S: 'p1' }, name: { S: 'Coffee' }, category: { S: 'drinks' }, priceCents: { N: '450' } } });
  const r = await httpRequest(`${base}/products`);
  expect(r.statusCode).toBe(200);
  expect(r.body).toContain('Coffee');
});

function usersTable(): string {
  return api.assembly.tables.find((t) => /Users/.test(t.logicalId))!.name;
}

describe('every DynamoDB preset against the local table', () => {
  const me = (sub: string): Record<string, string> => ({ 'Content-Type': 'application/json', 'Authorization': api.mintToken({ sub }) });
  const ordersTable = (): string => api.assembly.tables.find((t) => /Orders/.test(t.logicalId))!.name;

  test('GetItem: a missing item is 404; a present one is plain JSON with the projection applied', async () => {
    const missing = await httpRequest(`${base}/users/me`, { headers: me('nobody') });
    expect(missing.statusCode).toBe(404);
    await backends.dynamodb!.call('PutItem', { TableName: usersTable(), Item: { userId: { S: 'get-1' }, username: { S: 'g' }, email: { S: 'g@x' }, secret: { S: 'hidden' } } });
    const found = await httpRequest(`${base}/users/me`, { headers: me('get-1') });
    expect([found.statusCode, JSON.parse(found.body)]).toEqual([200, { userId: 'get-1', username: 'g', email: 'g@x' }]);
  });

  test('UpdateItem: PATCH /users/me sets the email and updatedAt of the caller\'s item only; a missing item is 404 and is not created', async () => {
    await backends.dynamodb!.call('PutItem', { TableName: usersTable(), Item: { userId: { S: 'upd-1' }, username: { S: 'u' }, email: { S: 'old@x' } } });
    const email = 'new"@x\\y';
    const r = await httpRequest(`${base}/users/me`, { method: 'PATCH', headers: me('upd-1'), body: JSON.stringify({ email }) });
    expect(r.statusCode).toBe(200);
    const item = (await backends.dynamodb!.call('GetItem', { TableName: usersTable(), Key: { userId: { S: 'upd-1' } } })).Item as Record<string, { S: string }>;
    expect([item.email.S, item.username.S, Object.keys(item).sort()]).toEqual([email, 'u', ['email', 'updatedAt', 'userId', 'username']]);
    const missing = await httpRequest(`${base}/users/me`, { method: 'PATCH', headers: me('upd-none'), body: JSON.stringify({ email: 'a@b' }) });
    expect(missing.statusCode).toBe(404);
    expect((await backends.dynamodb!.call('GetItem', { TableName: usersTable(), Key: { userId: { S: 'upd-none' } } })).Item).toBeUndefined();
  });

  test('DeleteItem: DELETE /users/me removes the caller\'s item', async () => {
    await backends.dynamodb!.call('PutItem', { TableName: usersTable(), Item: { userId: { S: 'del-1' }, username: { S: 'd' } } });
    const r = await httpRequest(`${base}/users/me`, { method: 'DELETE', headers: me('del-1') });
    expect(r.statusCode).toBeLessThan(300);
    expect((await backends.dynamodb!.call('GetItem', { TableName: usersTable(), Key: { userId: { S: 'del-1' } } })).Item).toBeUndefined();
  });

  test('Query with pagination: 30 orders come back newest first in pages of 25, the token round-trips, other users\' orders never appear', async () => {
    for (let i = 0; i < 30; i++) {
      await backends.dynamodb!.call('PutItem', { TableName: ordersTable(), Item: { userId: { S: 'buyer-q' }, orderId: { S: `o-${String(i).padStart(2, '0')}` }, total: { N: String(i) } } });
    }
    await backends.dynamodb!.call('PutItem', { TableName: ordersTable(), Item: { userId: { S: 'buyer-other' }, orderId: { S: 'o-99' } } });
    const first = JSON.parse((await httpRequest(`${base}/users/me/orders`, { headers: me('buyer-q') })).body);
    expect([first.count, first.items[0].orderId, first.items[24].orderId, typeof first.nextToken]).toEqual([25, 'o-29', 'o-05', 'string']);
    const page2 = await httpRequest(`${base}/users/me/orders?nextToken=${encodeURIComponent(first.nextToken)}`, { headers: me('buyer-q') });
    const second = JSON.parse(page2.body);
    expect([page2.statusCode, second.count, second.items.map((o: { orderId: string }) => o.orderId), second.nextToken]).toEqual([200, 5, ['o-04', 'o-03', 'o-02', 'o-01', 'o-00'], undefined]);
    // The other buyer's token cannot read this buyer's orders: the key condition is the caller's sub.
    const other = JSON.parse((await httpRequest(`${base}/users/me/orders?nextToken=${encodeURIComponent(first.nextToken)}`, { headers: me('buyer-other') })).body);
    expect((other.items ?? []).every((o: { userId: string }) => o.userId === 'buyer-other')).toBe(true);
    const item = await httpRequest(`${base}/users/me/orders/o-07`, { headers: me('buyer-q') });
    expect([item.statusCode, JSON.parse(item.body).total]).toEqual([200, 7]);
    expect((await httpRequest(`${base}/users/me/orders/o-99`, { headers: me('buyer-q') })).statusCode).toBe(404);
  });

  test('Query of an index: GET /categories/{category}/products reads the byCategory GSI', async () => {
    const table = api.assembly.tables.find((t) => /Products/.test(t.logicalId))!.name;
    await backends.dynamodb!.call('PutItem', { TableName: table, Item: { productId: { S: 'p-tea' }, name: { S: 'Tea' }, category: { S: 'leaves' }, priceCents: { N: '300' } } });
    const r = await httpRequest(`${base}/categories/leaves/products`);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body).items.map((p: { name: string }) => p.name)).toEqual(['Tea']);
  });

  test('Scan with pagination: pages of 50 with the token round-tripped; the stage cache keys each page by its token', async () => {
    const table = api.assembly.tables.find((t) => /Products/.test(t.logicalId))!.name;
    for (let i = 0; i < 60; i++) {
      await backends.dynamodb!.call('PutItem', { TableName: table, Item: { productId: { S: `bulk-${i}` }, name: { S: `Item ${i}` }, category: { S: 'bulk' }, priceCents: { N: '1' } } });
    }
    api.flushCache();
    const first = JSON.parse((await httpRequest(`${base}/products`)).body);
    expect([first.count, typeof first.nextToken]).toEqual([50, 'string']);
    const second = JSON.parse((await httpRequest(`${base}/products?nextToken=${encodeURIComponent(first.nextToken)}`)).body);
    const all = [...first.items, ...second.items].map((p: { productId: string }) => p.productId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => id.startsWith('bulk-'))).toHaveLength(60);
  });
});

describe('S3 (s3rver): objects byte for byte', () => {
  const bucket = (): string => api.assembly.buckets.find((b) => /Files/.test(b.logicalId))!.name;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x7f, 0x0d, 0x0a, 0x22, 0x5c]);

  test('PUT then GET of a binary object (image/png): the stored bytes and the answer are exactly what was sent', async () => {
    const token = api.mintToken({ sub: 'files-1' });
    const put = await httpRequest(`${base}/users/me/files/photo.png`, { method: 'PUT', headers: { 'Authorization': token, 'Content-Type': 'image/png' }, body: png });
    expect(put.statusCode).toBe(200);
    const stored = await backends.s3!.getObject(bucket(), 'files/files-1/photo.png');
    expect([stored!.body.equals(png), stored!.contentType]).toEqual([true, 'image/png']);
    const got = await httpRequestBytes(`${base}/users/me/files/photo.png`, { Authorization: token, Accept: 'image/png' });
    expect([got.statusCode, got.body.equals(png), got.headers['content-type']]).toEqual([200, true, 'image/png']);
  });

  test('a text object with quotes, backslashes, newlines and unicode comes back unchanged; a missing key is 404; another user\'s folder is not reachable', async () => {
    const token = api.mintToken({ sub: 'files-2' });
    const text = 'line "1"\\\r\nü 日本 a", "admin": true, "x": "\n';
    await backends.s3!.putObject(bucket(), 'files/files-2/notes.txt', Buffer.from(text), 'application/octet-stream');
    const got = await httpRequestBytes(`${base}/users/me/files/notes.txt`, { Authorization: token, Accept: 'application/octet-stream' });
    expect([got.statusCode, got.body.toString('utf8')]).toEqual([200, text]);
    expect((await httpRequestBytes(`${base}/users/me/files/none.txt`, { Authorization: token, Accept: 'application/octet-stream' })).statusCode).toBe(404);
    const other = await httpRequestBytes(`${base}/users/me/files/notes.txt`, { Authorization: api.mintToken({ sub: 'files-3' }), Accept: 'application/octet-stream' });
    expect(other.statusCode).toBe(404);
  });
});

test('Kinesis (kinesalite): POST /clicks puts the body as one record, partitioned by the session header, read back from the stream', async () => {
  const click = { page: '/buy', note: 'a", "admin": true, "x": "\\ ü' };
  const r = await httpRequest(`${base}/clicks`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': api.mintToken({ sub: 'k' }), 'X-Session-Id': 'session-7' }, body: JSON.stringify(click) });
  expect(r.statusCode).toBe(200);
  const { shardId } = JSON.parse(r.body) as { shardId: string };
  const stream = api.assembly.streams[0].name;
  const { ShardIterator } = await backends.kinesis!.call('GetShardIterator', { StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }) as { ShardIterator: string };
  const { Records } = await backends.kinesis!.call('GetRecords', { ShardIterator }) as { Records: Array<{ Data: string; PartitionKey: string }> };
  expect(Records.map((x) => [x.PartitionKey, JSON.parse(Buffer.from(x.Data, 'base64').toString('utf8'))])).toEqual([['session-7', click]]);
});
