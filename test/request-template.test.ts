process.env.CDK_VALIDATION = 'false';
import { Field, RequestTemplate, TemplateValue } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf } from './util';

const ADVERSARIAL = [
  'plain',
  'say "hi"',
  "it's",
  'back\\slash \\" \\\\',
  'line\nbreak\r\ttab',
  'unicode é ü 中文 😀',
  'a", "admin": true, "x": "',
  "a', 'admin': true, 'x': '",
  '$context.requestId #set($x = 1) ${x} $input.body ## comment #* block *#',
  '\\u0041 </script> \u2028',
  '',
];

describe('RequestTemplate.fromFields', () => {
  const template = RequestTemplate.fromFields({
    name: Field.body('$.name'),
    raw: Field.body('$'),
    order: Field.bodyJson('$.order'),
    id: Field.path('id'),
    q: Field.query('q'),
    tenant: Field.header('X-Tenant'),
    requestId: Field.context('requestId'),
    fixed: Field.literal("it's $fixed #here"),
  })._render('Route R', ['id']);

  test('the exact template: every value escaped, bodyJson printed as JSON, keys as JSON literals', () => {
    const str = (expr: string, v: string) => `#set($${v} = ${expr})"$util.escapeJavaScript("$!{${v}}").replaceAll("\\\\'","'")"`;
    expect(template).toBe('{' + [
      `"name": ${str("$input.path('$.name')", '__rt0')}`,
      `"raw": ${str('$input.body', '__rt1')}`,
      `"order": $input.json('$.order')`,
      `"id": ${str("$input.params().path.get('id')", '__rt2')}`,
      `"q": ${str("$input.params().querystring.get('q')", '__rt3')}`,
      `"tenant": ${str("$input.params().header.get('X-Tenant')", '__rt4')}`,
      `"requestId": ${str('$context.requestId', '__rt5')}`,
      `"fixed": ${str("'it''s $fixed #here'", '__rt6')}`,
    ].join(', ') + '}');
  });

  test.each(ADVERSARIAL)('adversarial value %j comes back exactly, with no injected key', (value) => {
    const body = JSON.stringify({ name: value, order: { note: value, items: [1, value] } });
    const out = MappingTemplate.renderJson(template, {
      body, pathParameters: { id: value }, queryParameters: { q: value }, headers: { 'X-Tenant': value }, context: { requestId: 'req-1' },
    });
    expect(out).toEqual({
      name: value, raw: body, order: { note: value, items: [1, value] }, id: value, q: value, tenant: value, requestId: 'req-1', fixed: "it's $fixed #here",
    });
  });

  test('missing values and an empty body: empty strings, bodyJson of a missing path is ""', () => {
    expect(MappingTemplate.renderJson(template, { context: { requestId: 'r' } })).toEqual({
      name: '', raw: '{}', order: '', id: '', q: '', tenant: '', requestId: 'r', fixed: "it's $fixed #here",
    });
  });

  test('a body that is not JSON cannot break the object', () => {
    const body = 'name=x", "admin": true&order={';
    expect(MappingTemplate.renderJson(template, { body, context: { requestId: 'r' } })).toEqual({
      name: '', raw: body, order: '', id: '', q: '', tenant: '', requestId: 'r', fixed: "it's $fixed #here",
    });
  });

  test('numbers, booleans and objects read as strings are written as their text', () => {
    const t = RequestTemplate.fromFields({ n: Field.body('$.n'), b: Field.body('$.b'), o: Field.body('$.o'), l: Field.body('$.l') })._render('R', []);
    expect(MappingTemplate.renderJson(t, { body: '{"n": 12.5, "b": true, "o": {"k": "v"}, "l": [1, "x"]}' }))
      .toEqual({ n: '12.5', b: 'true', o: '{k=v}', l: '[1,"x"]' });
  });

  test('keys with quotes, backslashes, $ and # are printed as JSON literals Velocity leaves alone', () => {
    const keys = ['a"b', 'back\\slash', '$input.body', '#set($x = 1)', '😀', 'a", "admin": "x'];
    const t = RequestTemplate.fromFields(Object.fromEntries(keys.map((k) => [k, Field.literal('v')])))._render('R', []);
    expect(MappingTemplate.renderJson(t)).toEqual(Object.fromEntries(keys.map((k) => [k, 'v'])));
  });
});

describe('RequestTemplate.fromValues', () => {
  const template = RequestTemplate.fromValues({
    qty: TemplateValue.numberValue(Field.query('qty')),
    gift: TemplateValue.booleanValue(Field.body('$.gift')),
    name: TemplateValue.stringValue(Field.body('$.name')),
    order: TemplateValue.jsonValue(Field.bodyJson('$.order')),
  })._render('R', []);

  test.each([
    ['3', 3], ['-1.5e3', -1500], ['0', 0], ['1, "admin": true', null], ['NaN', null], ['', null], ['01', null], ['1\n', null],
  ])('number from %j is %j', (qty, expected) => {
    expect(MappingTemplate.renderJson(template, { queryParameters: { qty }, body: '{}' }).qty).toBe(expected);
  });

  test.each([
    ['true', true], ['"true"', true], ['false', false], ['"yes"', false], ['1', false], ['"true, \\"admin\\": true"', false],
  ])('boolean from the JSON value %s is %j', (gift, expected) => {
    expect(MappingTemplate.renderJson(template, { body: `{"gift": ${gift}}` }).gift).toBe(expected);
  });

  test.each(ADVERSARIAL)('string and JSON values stay exact for %j', (value) => {
    const out = MappingTemplate.renderJson(template, { body: JSON.stringify({ name: value, order: [value, { v: value }] }) });
    expect(out).toEqual({ qty: null, gift: false, name: value, order: [value, { v: value }] });
  });
});

describe('RequestTemplate.fromRequest', () => {
  const template = RequestTemplate.fromRequest({ headers: ['X-Correlation-Id', 'X-Tenant'] })._render('R', ['userId', 'proxy']);
  const plain = RequestTemplate.fromRequest()._render('R', []);

  test('body, path parameters, every query parameter, the named headers and the request id', () => {
    const out = MappingTemplate.renderJson(template, {
      body: '{"a": [1, {"b": null}]}',
      pathParameters: { userId: 'u-1', proxy: 'x/y' },
      queryParameters: { limit: '10', sort: 'name' },
      headers: { 'X-Correlation-Id': 'c-1', 'X-Tenant': 't', Authorization: 'Bearer secret', Cookie: 'session=1' },
      context: { requestId: 'req-9' },
    });
    expect(out).toEqual({
      body: { a: [1, { b: null }] },
      path: { userId: 'u-1', proxy: 'x/y' },
      query: { limit: '10', sort: 'name' },
      headers: { 'X-Correlation-Id': 'c-1', 'X-Tenant': 't' },
      requestId: 'req-9',
    });
  });

  test('an empty request: empty body {}, no query, missing headers as ""', () => {
    expect(MappingTemplate.renderJson(plain, { context: { requestId: 'r' } })).toEqual({ body: {}, path: {}, query: {}, headers: {}, requestId: 'r' });
    expect(MappingTemplate.renderJson(template, { context: { requestId: 'r' } })).toEqual({
      body: {}, path: { userId: '', proxy: '' }, query: {}, headers: { 'X-Correlation-Id': '', 'X-Tenant': '' }, requestId: 'r',
    });
  });

  test('a body that is not JSON comes as one string of its text, or fails with 400 when it starts like JSON (2015 recordings)', () => {
    const out = MappingTemplate.renderJson(plain, { body: 'a", "admin": true', context: { requestId: 'r' } });
    expect(out.body).toBe('a", "admin": true');
    expect(out.admin).toBeUndefined();
    expect(() => MappingTemplate.renderJson(plain, { body: '{"a": 1, "admin": true', context: { requestId: 'r' } })).toThrow(/Could not process payload/);
  });

  test.each(ADVERSARIAL)('adversarial %j in query keys and values, path and headers stays exact', (value) => {
    const out = MappingTemplate.renderJson(template, {
      body: JSON.stringify({ v: value }),
      pathParameters: { userId: value, proxy: value },
      queryParameters: { [`k${value}`]: value, other: value },
      headers: { 'X-Correlation-Id': value, 'X-Tenant': value },
      context: { requestId: 'r' },
    });
    expect(out).toEqual({
      body: { v: value },
      path: { userId: value, proxy: value },
      query: { [`k${value}`]: value, other: value },
      headers: { 'X-Correlation-Id': value, 'X-Tenant': value },
      requestId: 'r',
    });
  });
});

describe('RequestTemplate.fromString', () => {
  test('the VTL is used as is', () => {
    const vtl = '<user><name>$util.escapeJavaScript($input.path(\'$.name\'))</name></user>';
    expect(RequestTemplate.fromString(vtl)._render('R', [])).toBe(vtl);
  });
});

describe('misuse', () => {
  test('a path Field the route lacks fails naming the route and its parameters', () => {
    const t = RequestTemplate.fromFields({ id: Field.path('orderId') });
    expect(errorOf(() => t._render('Route Stack/Get', ['id']))).toBe(
      "Route Stack/Get: Field.path('orderId') is not a parameter of the route's path: use one of {id}, or add it to the path");
    expect(errorOf(() => RequestTemplate.fromValues({ id: TemplateValue.numberValue(Field.path('x')) })._render('Route Stack/P', [])))
      .toMatch(/^Route Stack\/P: Field.path\('x'\) is not a parameter of the route's path: use one of none/);
  });

  test.each([
    [() => RequestTemplate.fromFields({}), /^RequestTemplate.fromFields: no keys: name at least one value/],
    [() => RequestTemplate.fromValues({}), /^RequestTemplate.fromValues: no keys/],
    [() => RequestTemplate.fromFields({ ' ': Field.query('q') }), /^RequestTemplate.fromFields: an empty key: name every value$/],
    [() => RequestTemplate.fromFields({ a: 'x' as any }), /^RequestTemplate.fromFields: the value of 'a' is not a Field, e.g. Field.body/],
    [() => RequestTemplate.fromValues({ a: Field.query('q') as any }), /^RequestTemplate.fromValues: the value of 'a' is not a TemplateValue/],
    [() => TemplateValue.jsonValue(Field.body('$.a')), /^TemplateValue.jsonValue\(Field.body\('\$.a'\)\): only Field.bodyJson yields JSON text; use TemplateValue.stringValue/],
    [() => TemplateValue.numberValue('x' as any), /^TemplateValue.numberValue: pass a Field/],
    [() => RequestTemplate.fromRequest({ headers: ['X-A', 'x-a'] }), /^RequestTemplate.fromRequest: header 'x-a' is listed twice: list each header once$/],
    [() => RequestTemplate.fromRequest({ headers: ['Bad Header'] }), /^Field.header\('Bad Header'\): not a valid header name/],
    [() => RequestTemplate.fromString('  '), /^RequestTemplate.fromString: the template is empty: pass the VTL text$/],
  ])('misuse %# throws', (fn, message) => {
    expect(errorOf(fn)).toMatch(message);
  });
});
