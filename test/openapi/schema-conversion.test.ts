import { toOpenApiSchema } from '../../lib/openapi/schema-conversion';

/** API Gateway models (JSON Schema draft-04) as OpenAPI 3.0 schemas. */
function convert(schema: unknown, model = 'Order'): { schema: Record<string, unknown>; hoisted: Record<string, unknown> } {
  const hoisted: Record<string, unknown> = {};
  return { schema: toOpenApiSchema(schema, model, (n, s) => { hoisted[n] = s; }), hoisted };
}

test('draft-04 keywords OpenAPI 3.0 shares pass through; $schema and id go', () => {
  const source = {
    $schema: 'http://json-schema.org/draft-04/schema#', id: 'x', title: 'Order', type: 'object', required: ['id'], additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z]+$' },
      qty: { type: 'integer', minimum: 1, maximum: 10, exclusiveMaximum: true, multipleOf: 1 },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1, uniqueItems: true },
      kind: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    },
  };
  const expected: Record<string, unknown> = { ...source };
  delete expected.$schema;
  delete expected.id;
  expect(convert(source).schema).toEqual(expected);
});

test('a type list with null is nullable; several types are anyOf; an enum with null is nullable', () => {
  expect(convert({ type: ['string', 'null'] }).schema).toEqual({ type: 'string', nullable: true });
  expect(convert({ type: ['string', 'integer'] }).schema).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
  expect(convert({ type: 'string', enum: ['a', null] }).schema).toEqual({ type: 'string', enum: ['a', null], nullable: true });
});

test('$ref to another model (its API Gateway URL, placeholder id and all), to a definition and to itself', () => {
  const { schema, hoisted } = convert({
    type: 'object',
    definitions: { line: { type: 'object', properties: { sku: { type: 'string' } } } },
    properties: {
      customer: { $ref: 'https://apigateway.amazonaws.com/restapis/${Api}/models/Customer' },
      lines: { type: 'array', items: { $ref: '#/definitions/line' } },
      parent: { $ref: '#' },
      described: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Customer', description: 'who ordered' },
    },
  });
  expect(schema.properties).toEqual({
    customer: { $ref: '#/components/schemas/Customer' },
    lines: { type: 'array', items: { $ref: '#/components/schemas/Order_line' } },
    parent: { $ref: '#/components/schemas/Order' },
    described: { allOf: [{ $ref: '#/components/schemas/Customer' }, { description: 'who ordered' }] },
  });
  expect(hoisted).toEqual({ Order_line: { type: 'object', properties: { sku: { type: 'string' } } } });
});

test('keywords OpenAPI 3.0 has no place for are kept as x- extensions, tuple items as anyOf', () => {
  expect(convert({ type: 'object', patternProperties: { '^x-': { type: 'string' } }, dependencies: { a: ['b'] } }).schema)
    .toEqual({ 'type': 'object', 'x-patternProperties': { '^x-': { type: 'string' } }, 'x-dependencies': { a: ['b'] } });
  expect(convert({ type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false }).schema).toEqual({
    'type': 'array', 'items': { anyOf: [{ type: 'string' }, { type: 'number' }] }, 'x-items': [{ type: 'string' }, { type: 'number' }], 'x-additionalItems': false,
  });
});

test('a definition name that is not a component key is made one, the same way where it is defined and where it is referenced', () => {
  const { schema, hoisted } = convert({ definitions: { 'line item': { type: 'string' } }, properties: { l: { $ref: '#/definitions/line item' } } });
  expect(schema.properties).toEqual({ l: { $ref: '#/components/schemas/Order_line_item' } });
  expect(Object.keys(hoisted)).toEqual(['Order_line_item']);
});
