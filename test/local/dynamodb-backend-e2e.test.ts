import { ServiceIntegrationsStack } from '../../examples/service-integrations-stack';
import { LocalBackends } from '../../lib/local/backends';
import { createTableInput } from '../../lib/local/backends/dynamodb';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest } from './http-client';

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
  backends = await LocalBackends.start(dir);
  api = LocalApi.fromAssembly(dir, { endpoints: backends.endpoints });
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  await backends.close();
  removeDir(dir);
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
