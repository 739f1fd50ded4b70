process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FILE_MEDIA_TYPES } from '../../examples/service-integrations-stack';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { ContentHandling, integrationRequestPayload, matchesBinaryMediaTypes, methodResponsePayload } from '../payload-conversions';
import { methodAt } from '../util';

// S3 objects, text and binary, must come back byte for byte through GET and be stored byte for byte by
// PUT, for the setup the README documents: the API's binaryMediaTypes list the binary types, the client
// sends Accept set to the object's Content-Type (any Accept when binaryMediaTypes has */*). What API
// Gateway does to the bytes is AWS's conversion table (test/payload-conversions.ts), applied to the
// contentHandling the routes actually synthesize.

interface StoredObject {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
}

const OBJECTS: StoredObject[] = [
  { name: 'UTF-8 text with non-ASCII', contentType: 'text/plain; charset=utf-8', body: Buffer.from('héllo, 世界 ✓ 😀\r\nline 2\n', 'utf-8') },
  { name: 'JSON', contentType: 'application/json', body: Buffer.from('{"a": "b\\"c", "n": 1}', 'utf-8') },
  { name: 'CSV', contentType: 'text/csv', body: Buffer.from('id,name\n1,"x, y"\n', 'utf-8') },
  // Text that happens to be valid base64: a conversion would decode it to garbage rather than fail.
  { name: 'text that is valid base64', contentType: 'text/plain', body: Buffer.from('abcd', 'utf-8') },
  { name: 'HTML', contentType: 'text/html', body: Buffer.from('<p>a &amp; b</p>', 'utf-8') },
  { name: 'PNG bytes', contentType: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0xc3]) },
  { name: 'JPEG bytes', contentType: 'image/jpeg', body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]) },
  { name: 'PDF bytes', contentType: 'application/pdf', body: Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0a])]) },
  { name: 'octet stream (every byte)', contentType: 'application/octet-stream', body: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
];

interface Setup {
  readonly name: string;
  readonly binaryMediaTypes: string[];
  /** Objects whose type the setup lists as binary must be of a listed type (else they are text). */
  readonly objects: StoredObject[];
}

const SETUPS: Setup[] = [
  // The example app's API: binary types listed, JSON routes stay text.
  { name: "the example's binaryMediaTypes", binaryMediaTypes: FILE_MEDIA_TYPES, objects: OBJECTS },
  { name: 'a wildcard entry (image/*)', binaryMediaTypes: ['image/*', 'application/octet-stream', 'application/pdf'], objects: OBJECTS },
  { name: 'every type binary (*/*)', binaryMediaTypes: ['*/*'], objects: OBJECTS },
];

/** The synthesized GET 200 integration response's and PUT integration's contentHandling, per setup. */
function synthesized(binaryMediaTypes: string[]): { getHandling: ContentHandling; putHandling: ContentHandling; template: Template } {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes });
  const bucket = new s3.Bucket(stack, 'Files');
  new ServiceIntegrationRoute(stack, 'GetFile', {
    api, path: '/files/{key}', method: 'GET', action: ServiceAction.s3GetObject(bucket, { key: Field.path('key') }),
  });
  new ServiceIntegrationRoute(stack, 'PutFile', {
    api, path: '/files/{key}', method: 'PUT', action: ServiceAction.s3PutObject(bucket, { key: Field.path('key') }),
  });
  const template = Template.fromStack(stack);
  const get = methodAt(template, '/files/{key}', 'GET');
  const put = methodAt(template, '/files/{key}', 'PUT');
  const ok = get.Integration.IntegrationResponses.find((r: any) => r.StatusCode === '200');
  return { getHandling: ok.ContentHandling, putHandling: put.Integration.ContentHandling, template };
}

describe.each(SETUPS)('S3 objects come back byte for byte: $name', ({ binaryMediaTypes, objects }) => {
  const { getHandling, putHandling } = synthesized(binaryMediaTypes);

  test.each(objects)('GET of $name with Accept set to its Content-Type', (object) => {
    const delivered = methodResponsePayload({
      body: object.body, contentType: object.contentType, accept: object.contentType, binaryMediaTypes, contentHandling: getHandling,
    });
    expect(delivered).toEqual({ status: 200, body: object.body });
  });

  test.each(objects)('PUT of $name with its own Content-Type stores it unchanged', (object) => {
    const delivered = integrationRequestPayload({ body: object.body, contentType: object.contentType, binaryMediaTypes, contentHandling: putHandling });
    expect(delivered).toEqual({ status: 200, body: object.body });
  });
});

describe('with binaryMediaTypes */* any Accept works, e.g. a browser navigation or curl', () => {
  const { getHandling } = synthesized(['*/*']);
  const accepts = ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '*/*', 'application/json', 'image/webp,image/*'];
  test.each(OBJECTS)('GET of $name', (object) => {
    for (const accept of accepts) {
      expect(methodResponsePayload({ body: object.body, contentType: object.contentType, accept, binaryMediaTypes: ['*/*'], contentHandling: getHandling }))
        .toEqual({ status: 200, body: object.body });
    }
  });
});

describe('the Accept header the README requires matters (the model is not trivially the identity)', () => {
  const { getHandling } = synthesized(FILE_MEDIA_TYPES);
  const png = OBJECTS.find((o) => o.contentType === 'image/png')!;
  const text = OBJECTS.find((o) => o.name === 'UTF-8 text with non-ASCII')!;

  test('a binary object asked for with a text Accept comes back base64-encoded', () => {
    expect(methodResponsePayload({ body: png.body, contentType: png.contentType, accept: 'application/json', binaryMediaTypes: FILE_MEDIA_TYPES, contentHandling: getHandling }))
      .toEqual({ status: 200, body: Buffer.from(png.body.toString('base64')) });
  });

  test('a text object asked for with a binary Accept is base64-decoded (a 500 here: it is not base64)', () => {
    expect(methodResponsePayload({ body: text.body, contentType: text.contentType, accept: 'image/png', binaryMediaTypes: FILE_MEDIA_TYPES, contentHandling: getHandling }))
      .toEqual({ status: 500 });
  });

  test('without binaryMediaTypes, binary objects are mangled as UTF-8 text (what the synth warning says)', () => {
    const delivered = methodResponsePayload({ body: png.body, contentType: png.contentType, accept: 'image/png', binaryMediaTypes: undefined, contentHandling: undefined });
    expect(delivered.status).toBe(200);
    expect((delivered as any).body.equals(png.body)).toBe(false);
  });
});

describe('the previous setting, CONVERT_TO_BINARY on the 200 answer, garbled every text object', () => {
  // This is what the route emitted before: the same objects, the same Accept, only the setting differs.
  const old: ContentHandling = 'CONVERT_TO_BINARY';
  const texts = OBJECTS.filter((o) => !matchesBinaryMediaTypes(o.contentType, FILE_MEDIA_TYPES));
  test.each(texts)('$name', (object) => {
    const delivered = methodResponsePayload({
      body: object.body, contentType: object.contentType, accept: object.contentType, binaryMediaTypes: FILE_MEDIA_TYPES, contentHandling: old,
    });
    expect(delivered.status === 500 || !(delivered as any).body.equals(object.body)).toBe(true);
  });

  test('the route no longer emits it, with or without binaryMediaTypes', () => {
    for (const types of [FILE_MEDIA_TYPES, ['*/*'], []]) {
      const { getHandling, template } = synthesized(types);
      expect(getHandling).toBeUndefined();
      for (const [, method] of Object.entries(template.findResources('AWS::ApiGateway::Method'))) {
        const integration = (method as any).Properties.Integration;
        expect(integration.ContentHandling).toBeUndefined();
        // Only the answers that carry an object are passthrough; error answers are templated JSON (below).
        for (const r of integration.IntegrationResponses ?? []) expect(r.ContentHandling).toBe(r.StatusCode === '200' ? undefined : 'CONVERT_TO_TEXT');
      }
    }
  });
});

describe('error answers stay JSON text whatever the Accept header (a missing object asked for as image/png)', () => {
  // Found by the local emulator: with contentHandling unset, AWS base64-decodes a text payload for a binary
  // Accept type, so the 404's rendered JSON ended as a 500.
  const { template } = synthesized(FILE_MEDIA_TYPES);
  const notFound = methodAt(template, '/files/{key}', 'GET').Integration.IntegrationResponses.find((r: any) => r.StatusCode === '404');
  const json = Buffer.from('{"message": "No such object", "requestId": "r-1"}');

  test.each(['image/png', 'application/json', 'application/octet-stream'])('Accept %s: the 404 JSON comes back unchanged', (accept) => {
    expect(methodResponsePayload({ body: json, contentType: 'application/json', accept, binaryMediaTypes: FILE_MEDIA_TYPES, contentHandling: notFound.ContentHandling }))
      .toEqual({ status: 200, body: json });
  });

  test('unset, as before, the same answer for Accept image/png was a 500', () => {
    expect(methodResponsePayload({ body: json, contentType: 'application/json', accept: 'image/png', binaryMediaTypes: FILE_MEDIA_TYPES, contentHandling: undefined }))
      .toEqual({ status: 500 });
  });
});

describe('synth warnings when the API makes byte-exact objects impossible', () => {
  function warningsOf(binaryMediaTypes: string[] | undefined): Annotations {
    const stack = new Stack(new App(), 'Stack');
    const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes });
    const bucket = new s3.Bucket(stack, 'Files');
    new ServiceIntegrationRoute(stack, 'GetFile', {
      api, path: '/files/{key}', method: 'GET', action: ServiceAction.s3GetObject(bucket, { key: Field.path('key') }),
    });
    new ServiceIntegrationRoute(stack, 'PutFile', {
      api, path: '/files/{key}', method: 'PUT', action: ServiceAction.s3PutObject(bucket, { key: Field.path('key') }),
    });
    return Annotations.fromStack(stack);
  }

  test('no binaryMediaTypes: the warning names the route, the consequence and the fix', () => {
    const annotations = warningsOf(undefined);
    annotations.hasWarning('/Stack/GetFile', Match.stringLikeRegexp(
      "^Route Stack/GetFile: the API has no binaryMediaTypes, so objects with binary content would reach clients as mangled UTF-8 text; " +
      'set binaryMediaTypes on the RestApi .*Accept set to the object\'s Content-Type'));
    annotations.hasWarning('/Stack/PutFile', Match.stringLikeRegexp('^Route Stack/PutFile: the API has no binaryMediaTypes, so binary uploads'));
  });

  test('an entry that is not a media type is named', () => {
    const annotations = warningsOf(['image/png', 'pdf', 'application/']);
    for (const bad of ['pdf', 'application/']) {
      annotations.hasWarning('/Stack/GetFile', Match.stringLikeRegexp(
        `^Route Stack/GetFile: the API's binaryMediaTypes entry '${bad}' is not a media type \\(type/subtype`));
    }
  });

  test('listed media types, wildcards and the ~1 spelling warn about nothing', () => {
    for (const types of [FILE_MEDIA_TYPES, ['*/*'], ['image/*'], ['image~1png']]) {
      const annotations = warningsOf(types);
      annotations.hasNoWarning('/Stack/GetFile', Match.anyValue());
      annotations.hasNoWarning('/Stack/PutFile', Match.anyValue());
    }
  });
});
