import { signRequest } from '../../../lib/local/aws/sigv4';

/** AWS's published SigV4 test suite values (aws-sig-v4-test-suite: get-vanilla, get-vanilla-query-order-key-case, post-x-www-form-urlencoded). */
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const DATE = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));

test('get-vanilla', () => {
  const headers = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: Buffer.alloc(0) }, 'service', 'us-east-1', CREDENTIALS, DATE);
  expect(headers.Authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  expect(headers['X-Amz-Date']).toBe('20150830T123600Z');
});

test('get-vanilla-query-order-key-case: query parameters sorted by name', () => {
  const headers = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, body: Buffer.alloc(0) }, 'service', 'us-east-1', CREDENTIALS, DATE);
  expect(headers.Authorization).toMatch(/Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/);
});

test('post-x-www-form-urlencoded: the body and the content type are signed', () => {
  const headers = signRequest({
    method: 'POST', url: 'https://example.amazonaws.com/', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from('Param1=value1'),
  }, 'service', 'us-east-1', CREDENTIALS, DATE);
  expect(headers.Authorization).toMatch(/SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a$/);
});

test('a session token is sent and signed', () => {
  const headers = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: Buffer.alloc(0) }, 'service', 'us-east-1', { ...CREDENTIALS, sessionToken: 'TOKEN' }, DATE);
  expect(headers['X-Amz-Security-Token']).toBe('TOKEN');
  expect(headers.Authorization).toMatch(/SignedHeaders=host;x-amz-date;x-amz-security-token,/);
});
