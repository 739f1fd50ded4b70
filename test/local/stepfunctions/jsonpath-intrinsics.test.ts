import { StatesError } from '../../../lib/local/stepfunctions/errors';
import { evaluateIntrinsic } from '../../../lib/local/stepfunctions/intrinsic-functions';
import { isDefinitePath, queryPath, setAtPath } from '../../../lib/local/stepfunctions/jsonpath';

/** JSONPath as Step Functions reads it, and the intrinsic functions of JSONPath states. */
const data = { a: { 'b c': 1, 'list': [{ n: 1, t: 'x' }, { n: 2, t: 'y' }, { n: 3 }] }, s: 'q' };

test.each([
  ['$', data],
  ['$.a.list[1].n', 2],
  ["$.a['b c']", 1],
  ['$.a.list[-1].n', 3],
  ['$.a.list[*].n', [1, 2, 3]],
  ['$.a.list[0:2].n', [1, 2]],
  ['$..t', ['x', 'y']],
  ['$.a.list[?(@.n > 1)].n', [2, 3]],
  ["$.a.list[?(@.t == 'y')].n", [2]],
  ['$.a.list[?(@.t)].n', [1, 2]],
  ['$.a.list[0,2].n', [1, 3]],
])('%s', (path, expected) => {
  expect(queryPath(data, path)).toEqual({ found: true, value: expected });
});

test('a definite path that names nothing is not found; an indefinite one selects an empty list', () => {
  expect(queryPath(data, '$.a.nope')).toEqual({ found: false });
  expect(queryPath(data, '$.s.x')).toEqual({ found: false });
  expect(queryPath(data, '$.a.nope[*]')).toEqual({ found: true, value: [] });
  expect([isDefinitePath('$.a[0]'), isDefinitePath('$.a[*]')]).toEqual([true, false]);
  expect(() => queryPath(data, 'a.b')).toThrow(StatesError);
});

test('setAtPath (ResultPath): replaces, creates objects on the way, never writes through a non-object', () => {
  expect(setAtPath({ x: 1 }, '$', 2)).toBe(2);
  expect(setAtPath({ x: 1 }, '$.r.s', 2)).toEqual({ x: 1, r: { s: 2 } });
  expect(setAtPath({ l: [1, 2] }, '$.l[1]', 9)).toEqual({ l: [1, 9] });
  const input = { x: 1 };
  setAtPath(input, '$.y', 2);
  expect(input).toEqual({ x: 1 });
  expect(() => setAtPath({ x: 'text' }, '$.x.y', 1)).toThrow(/not a JSON object/);
  expect(() => setAtPath({}, '$.l[*]', 1)).toThrow(/reference path/);
});

const scope = { read: (p: string): unknown => (queryPath({ name: 'ann', list: [3, 1, 3], obj: { a: 1 }, n: 5 }, p) as { value: unknown }).value };
test.each([
  ["States.Format('Hi {}, {} items \\\\{literal\\\\} it\\'s', $.name, $.n)", "Hi ann, 5 items {literal} it's"],
  ['States.Format(\'{}\', $.obj)', '{"a":1}'],
  ["States.StringToJson('{\"k\": [1]}')", { k: [1] }],
  ['States.JsonToString($.obj)', '{"a":1}'],
  ['States.Array($.name, 1, true, null)', ['ann', 1, true, null]],
  ['States.ArrayPartition($.list, 2)', [[3, 1], [3]]],
  ['States.ArrayContains($.list, 1)', true],
  ['States.ArrayRange(1, 9, 3)', [1, 4, 7]],
  ['States.ArrayGetItem($.list, 1)', 1],
  ['States.ArrayLength($.list)', 3],
  ['States.ArrayUnique($.list)', [3, 1]],
  ["States.Base64Encode('hé')", 'aMOp'],
  ["States.Base64Decode('aMOp')", 'hé'],
  ["States.Hash('a', 'MD5')", '0cc175b9c0f1b6a831c399e269772661'],
  ["States.JsonMerge($.obj, States.StringToJson('{\"b\":2}'), false)", { a: 1, b: 2 }],
  ['States.MathAdd($.n, -7)', -2],
  ["States.StringSplit('a,b;;c', ',;')", ['a', 'b', 'c']],
])('%s', (expression, expected) => {
  expect(evaluateIntrinsic(expression, scope)).toEqual(expected);
});

test('States.UUID and States.MathRandom give values of the right form; misuse is States.IntrinsicFailure', () => {
  expect(evaluateIntrinsic('States.UUID()', scope)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const r = evaluateIntrinsic('States.MathRandom(1, 3)', scope) as number;
  expect([1, 2]).toContain(r);
  for (const bad of ["States.Format('{} {}', 1)", 'States.ArrayGetItem($.list, 7)', "States.Hash('a', 'CRC')", 'States.Nope(1)', "States.StringToJson('{')"]) {
    expect(() => evaluateIntrinsic(bad, scope)).toThrow(expect.objectContaining({ error: 'States.IntrinsicFailure' }));
  }
});
