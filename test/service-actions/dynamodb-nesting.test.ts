process.env.CDK_VALIDATION = 'false';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoAttribute, Field, KeyCondition, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate } from '../../lib/testing';
import { errorOf, Json, methodAt, newStack } from '../util';

// nestingDepth: how many levels of maps and lists the DynamoDB presets' answers convert; the templates
// shrink with it, deeper values answer null, and the depth is checked.

const stack = newStack();
const api = new apigw.RestApi(stack, 'Api');
const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
const key = { id: DynamoAttribute.stringValue(Field.path('id')) };
for (const depth of [undefined, 0, 1]) {
  new ServiceIntegrationRoute(stack, `Get${depth}`, { api, path: `/d${depth}/{id}`, method: 'GET', action: ServiceAction.dynamoDbGetItem(table, { key, nestingDepth: depth }) });
}
new ServiceIntegrationRoute(stack, 'Query0', {
  api, path: '/q/{id}', method: 'GET', action: ServiceAction.dynamoDbQuery(table, { keyCondition: KeyCondition.eq('id', key.id), nestingDepth: 0 }),
});
const template = Template.fromStack(stack);
const answerTemplate = (path: string) =>
  methodAt(template, path, 'GET').Integration.IntegrationResponses.find((r: Json) => r.StatusCode === '200').ResponseTemplates['application/json'];

const ITEM = {
  id: { S: 'a", "admin": true, "x": "' },
  n: { N: '7' },
  address: { M: { city: { S: 'Paris' }, geo: { M: { lat: { N: '48.85' } } } } },
  tags: { L: [{ S: 'x' }, { L: [{ S: 'deep' }] }] },
};

test('the default converts every level of this item', () => {
  expect(MappingTemplate.renderJson(answerTemplate('/dundefined/{id}'), { body: JSON.stringify({ Item: ITEM }) })).toEqual({
    id: 'a", "admin": true, "x": "', n: 7, address: { city: 'Paris', geo: { lat: 48.85 } }, tags: ['x', ['deep']],
  });
});

test('depth 1 converts one level of maps and lists; deeper ones answer null', () => {
  expect(MappingTemplate.renderJson(answerTemplate('/d1/{id}'), { body: JSON.stringify({ Item: ITEM }) })).toEqual({
    id: 'a", "admin": true, "x": "', n: 7, address: { city: 'Paris', geo: null }, tags: ['x', null],
  });
});

test('depth 0 converts the attributes only, and the template is a fraction of the default\'s', () => {
  expect(MappingTemplate.renderJson(answerTemplate('/d0/{id}'), { body: JSON.stringify({ Item: ITEM }) })).toEqual({
    id: 'a", "admin": true, "x": "', n: 7, address: null, tags: null,
  });
  const [deep, shallow] = [answerTemplate('/dundefined/{id}').length, answerTemplate('/d0/{id}').length];
  expect(shallow).toBeLessThan(deep / 3);
  const query = MappingTemplate.renderJson(answerTemplate('/q/{id}'), { body: JSON.stringify({ Items: [ITEM], Count: 1 }) });
  expect(query).toEqual({ items: [{ id: 'a", "admin": true, "x": "', n: 7, address: null, tags: null }], count: 1 });
});

test.each([-1, 1.5, 9])('nestingDepth %s is refused, naming the route', (depth) => {
  const s = newStack();
  const a = new apigw.RestApi(s, 'Api');
  const t = new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  expect(errorOf(() => new ServiceIntegrationRoute(s, 'R', {
    api: a, path: '/x/{id}', method: 'GET', action: ServiceAction.dynamoDbGetItem(t, { key: { id: DynamoAttribute.stringValue(Field.path('id')) }, nestingDepth: depth }),
  }))).toMatch(new RegExp(`^Route Stack/R: .*nestingDepth ${depth} must be a whole number from 0 to 8`));
});
