import { parseProxyResponse, PROXY_INTERNAL_ERROR } from '../../../lib/local/lambda';

const ok = (value: unknown) => {
  const r = parseProxyResponse(JSON.stringify(value));
  if (!r.ok) throw new Error(r.reason);
  return r.response;
};
const reason = (payload: string, functionError = false) => {
  const r = parseProxyResponse(payload, functionError);
  if (r.ok) throw new Error('expected a malformed answer');
  return r.reason;
};

test('the documented answer: status, headers merged with multiValueHeaders, body', () => {
  const r = ok({
    isBase64Encoded: false,
    statusCode: 201,
    headers: { 'Content-Type': 'application/json', 'X-One': 'a', 'set-cookie': 'dropped=1' },
    multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
    body: '{"id":1}',
  });
  expect(r.statusCode).toBe(201);
  // A name in multiValueHeaders replaces the same name from headers.
  expect(r.multiValueHeaders).toEqual({ 'Content-Type': ['application/json'], 'X-One': ['a'], 'Set-Cookie': ['a=1', 'b=2'] });
  expect(r.body.toString()).toBe('{"id":1}');
});

test('minimal answers: only statusCode; null headers and body', () => {
  expect(ok({ statusCode: 204 })).toEqual({ statusCode: 204, multiValueHeaders: {}, body: Buffer.alloc(0), isBase64Encoded: false });
  expect(ok({ statusCode: '404', headers: null, multiValueHeaders: null, body: null, isBase64Encoded: null }).statusCode).toBe(404);
  expect(ok({ statusCode: 200, headers: { 'X-Count': 3, 'X-Flag': true } }).multiValueHeaders).toEqual({ 'X-Count': ['3'], 'X-Flag': ['true'] });
});

test('base64 bodies are decoded to bytes', () => {
  const bytes = Buffer.from([0, 159, 146, 150]);
  const r = ok({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true });
  expect(r.body).toEqual(bytes);
  expect(r.isBase64Encoded).toBe(true);
});

test('malformed answers are 502 Internal server error, with the reason for the log', () => {
  expect(PROXY_INTERNAL_ERROR).toEqual({ statusCode: 502, body: '{"message": "Internal server error"}' });
  expect(reason('{"statusCode":200,"body":{"a":1}}')).toMatch(/body must be a string, got object/);
  expect(reason('{"body":"x"}')).toMatch(/statusCode/);
  expect(reason('{"statusCode":"OK"}')).toMatch(/statusCode/);
  expect(reason('{"statusCode":200.5}')).toMatch(/statusCode/);
  expect(reason('{"statusCode":700}')).toMatch(/statusCode/);
  expect(reason('{"statusCode":200,"message":"hi"}')).toMatch(/unexpected key\(s\) message/);
  expect(reason('{"statusCode":200,"headers":{"X":{"a":1}}}')).toMatch(/header X/);
  expect(reason('{"statusCode":200,"headers":["X"]}')).toMatch(/headers must be an object/);
  expect(reason('{"statusCode":200,"multiValueHeaders":{"X":"a"}}')).toMatch(/must be an array/);
  expect(reason('{"statusCode":200,"isBase64Encoded":"true"}')).toMatch(/isBase64Encoded/);
  expect(reason('"just a string"')).toMatch(/not a JSON object/);
  expect(reason('null')).toMatch(/not a JSON object/);
  expect(reason('[1]')).toMatch(/not a JSON object/);
  expect(reason('{oops')).toMatch(/not JSON/);
  expect(reason('{"statusCode":200}', true)).toMatch(/function error/);
});
