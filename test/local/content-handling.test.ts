import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { decodeBase64, isBinaryMediaType, requestPayloadPlan, responsePayloadPlan } from '../../lib/local/content-handling';
import { LocalApi } from '../../lib/local/local-api';
import { GatewayError } from '../../lib/local/response';
import { removeDir, synthesize } from './assemblies';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
const TYPES = ['image/png'];

describe('the request table (api-gateway-payload-encodings-workflow)', () => {
  test('text data without binary media types: as is, CONVERT_TO_TEXT as is, CONVERT_TO_BINARY base64-decodes what goes out', () => {
    expect(requestPayloadPlan(Buffer.from('{"a":1}'), 'application/json', [], undefined)).toEqual({ text: '{"a":1}', passthrough: Buffer.from('{"a":1}'), decodeOutgoing: false, binary: false });
    expect(requestPayloadPlan(Buffer.from('x'), 'text/plain', [], 'CONVERT_TO_TEXT').decodeOutgoing).toBe(false);
    expect(requestPayloadPlan(Buffer.from('iVBORw=='), 'text/plain', [], 'CONVERT_TO_BINARY').decodeOutgoing).toBe(true);
  });

  test('binary data: bytes as they are (no template may apply), CONVERT_TO_TEXT base64-encodes it for $input.body', () => {
    expect(requestPayloadPlan(PNG, 'image/png', TYPES, undefined)).toMatchObject({ passthrough: PNG, binary: true });
    expect(requestPayloadPlan(PNG, 'image/png', TYPES, 'CONVERT_TO_BINARY')).toMatchObject({ passthrough: PNG, binary: true, decodeOutgoing: false });
    const text = requestPayloadPlan(PNG, 'image/png', TYPES, 'CONVERT_TO_TEXT');
    expect(text).toEqual({ text: PNG.toString('base64'), passthrough: Buffer.from(PNG.toString('base64')), decodeOutgoing: false, binary: false });
  });

  test('a request without Content-Type is application/json, so */* makes it binary (the preflight failure AWS users meet)', () => {
    expect(requestPayloadPlan(Buffer.alloc(0), undefined, ['*/*'], undefined).binary).toBe(true);
    expect(requestPayloadPlan(Buffer.alloc(0), undefined, ['*/*'], 'CONVERT_TO_TEXT').binary).toBe(false);
    expect(requestPayloadPlan(Buffer.alloc(0), undefined, TYPES, undefined).binary).toBe(false);
  });
});

describe('the response table', () => {
  const bytes = (plan: ReturnType<typeof responsePayloadPlan>): Buffer => plan.passthrough();
  test('without binary media types: text as is, CONVERT_TO_BINARY decodes, CONVERT_TO_TEXT as is', () => {
    expect(bytes(responsePayloadPlan(Buffer.from('aGk='), 'application/json', 'image/png', [], undefined)).toString()).toBe('aGk=');
    expect(bytes(responsePayloadPlan(Buffer.from('aGk='), 'application/json', undefined, [], 'CONVERT_TO_BINARY')).toString()).toBe('hi');
    expect(bytes(responsePayloadPlan(Buffer.from('aGk='), 'application/json', undefined, [], 'CONVERT_TO_TEXT')).toString()).toBe('aGk=');
  });

  test('with binary media types and no handling, the first Accept type decides: text payload to a binary Accept is decoded, binary to a text Accept encoded', () => {
    expect(bytes(responsePayloadPlan(Buffer.from('aGk='), 'text/plain', 'image/png', TYPES, undefined)).toString()).toBe('hi');
    expect(bytes(responsePayloadPlan(Buffer.from('aGk='), 'text/plain', 'text/plain, image/png', TYPES, undefined)).toString()).toBe('aGk=');
    expect(bytes(responsePayloadPlan(PNG, 'image/png', 'application/json', TYPES, undefined)).toString()).toBe(PNG.toString('base64'));
    const raw = responsePayloadPlan(PNG, 'image/png', 'image/png', TYPES, undefined);
    expect([raw.templated, bytes(raw)]).toEqual([false, PNG]);
  });

  test('CONVERT_TO_BINARY and CONVERT_TO_TEXT win over the Accept type', () => {
    expect(bytes(responsePayloadPlan(PNG, 'image/png', 'application/json', TYPES, 'CONVERT_TO_BINARY'))).toEqual(PNG);
    expect(bytes(responsePayloadPlan(PNG, 'image/png', 'image/png', TYPES, 'CONVERT_TO_TEXT')).toString()).toBe(PNG.toString('base64'));
    expect(bytes(responsePayloadPlan(Buffer.from('{}'), 'application/json', 'image/png', TYPES, 'CONVERT_TO_TEXT')).toString()).toBe('{}');
  });

  test('a text payload that is not base64 cannot become binary: 500 API_CONFIGURATION_ERROR, the reason in the log', () => {
    const plan = responsePayloadPlan(Buffer.from('{"not": "base64"}'), 'application/json', undefined, [], 'CONVERT_TO_BINARY');
    expect(() => plan.passthrough()).toThrow(GatewayError);
    expect(() => decodeBase64('ab!c', 'x')).toThrow(/CONVERT_TO_BINARY needs a base64 payload/);
    expect(decodeBase64('aGk=\n', 'x').toString()).toBe('hi');
  });

  test('media type matching: parameters ignored, wildcards, case', () => {
    expect(isBinaryMediaType('Image/PNG; q=1', TYPES)).toBe(true);
    expect(isBinaryMediaType('image/jpeg', ['image/*'])).toBe(true);
    expect(isBinaryMediaType('text/html', ['image/*'])).toBe(false);
    expect(isBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});

/** Over the whole pipeline: a plain RestApi with binary media types and MOCK integrations. */
describe('end to end through LocalApi', () => {
  let dir: string;
  let starApi: LocalApi;
  let pngApi: LocalApi;
  const mock = (template: string, contentHandling?: apigw.ContentHandling): apigw.MockIntegration => new apigw.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200', contentHandling, responseTemplates: { 'application/json': template } }],
  });
  beforeAll(() => {
    dir = synthesize('content-handling', (app) => {
      const star = new Stack(app, 'BinaryStar');
      const starRest = new apigw.RestApi(star, 'Api', { binaryMediaTypes: ['*/*'], defaultCorsPreflightOptions: { allowOrigins: ['https://a.example'] } });
      starRest.root.addMethod('GET', mock('{"ok": true}'), { methodResponses: [{ statusCode: '200' }] });
      const png = new Stack(app, 'BinaryPng');
      const pngRest = new apigw.RestApi(png, 'Api', { binaryMediaTypes: ['image/png'] });
      pngRest.root.addResource('pixel').addMethod('GET', mock(PNG.toString('base64')), { methodResponses: [{ statusCode: '200' }] });
      pngRest.root.addResource('text').addMethod('GET', mock(PNG.toString('base64'), apigw.ContentHandling.CONVERT_TO_TEXT), { methodResponses: [{ statusCode: '200' }] });
    });
    starApi = LocalApi.fromAssembly(dir, { stack: 'BinaryStar' });
    pngApi = LocalApi.fromAssembly(dir, { stack: 'BinaryPng' });
  });
  afterAll(async () => {
    await starApi.close();
    await pngApi.close();
    removeDir(dir);
  });

  test('binaryMediaTypes */*: the CORS preflight mock answers 500 "Unable to transform request", as on AWS, and says why in the log', async () => {
    const lines: string[] = [];
    const api = LocalApi.fromAssembly(dir, { stack: 'BinaryStar', log: (l) => lines.push(l) });
    const r = await api.request({ method: 'OPTIONS', path: '/', headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET' } });
    expect([r.statusCode, r.body]).toEqual([500, '{"message":"Internal server error"}']);
    expect(lines.join('\n')).toMatch(/Unable to transform request.*CONVERT_TO_TEXT/);
    await api.close();
  });

  test('a base64 template output reaches an image/png caller as the bytes, and a text caller as the base64 text; CONVERT_TO_TEXT keeps it text', async () => {
    const asImage = await pngApi.request({ method: 'GET', path: '/pixel', headers: { Accept: 'image/png' } });
    expect([asImage.statusCode, asImage.rawBody]).toEqual([200, PNG]);
    const asText = await pngApi.request({ method: 'GET', path: '/pixel', headers: { Accept: 'application/json' } });
    expect(asText.body).toBe(PNG.toString('base64'));
    const converted = await pngApi.request({ method: 'GET', path: '/text', headers: { Accept: 'image/png' } });
    expect(converted.body).toBe(PNG.toString('base64'));
  });
});
