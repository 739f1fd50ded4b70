process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Field, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { MappingTemplate } from '../../lib/testing';
import { errorOf, methodAt, resourcesOfType } from '../util';

// S3 GetObject / PutObject through the "path override" URI: the key reaches S3 only through a path
// parameter mapping, bodies pass untouched (no request or success template), S3 errors become JSON answers.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '',
  '}{',
  '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>arn:aws:s3:::secret</Message></Error>',
];

/** CloudFormation string values as text: a Ref is `{Id}`, a GetAtt `{Id.Attr}`. */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `{${value.Ref}}`;
  if (value['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Which status a backend status code selects, with API Gateway's whole-string Java regex match. */
function selectedStatus(method: any, code: number): string {
  const responses = method.Integration.IntegrationResponses;
  const matching = responses.filter((r: any) => r.SelectionPattern !== undefined && new RegExp(`^(?:${r.SelectionPattern})$`).test(String(code)));
  expect(matching.length).toBeLessThanOrEqual(1); // patterns never overlap, so the order does not matter
  return matching.length ? matching[0].StatusCode : responses.find((r: any) => r.SelectionPattern === undefined).StatusCode;
}

describe('S3 GetObject and PutObject', () => {
  const stack = new Stack(new App(), 'Stack');
  const binaryApi = new apigw.RestApi(stack, 'BinaryApi', { binaryMediaTypes: ['*/*'] });
  const textApi = new apigw.RestApi(stack, 'TextApi');
  const bucket = new s3.Bucket(stack, 'Files');
  const key = new kms.Key(stack, 'Key');
  const encrypted = new s3.Bucket(stack, 'Uploads', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  new ServiceIntegrationRoute(stack, 'GetFile', {
    api: binaryApi, path: '/files/{key}', method: 'GET', action: ServiceAction.s3GetObject(bucket, { key: Field.path('key') }),
  });
  new ServiceIntegrationRoute(stack, 'GetPublic', {
    api: binaryApi, path: '/public/{proxy+}', method: 'GET', cors: { allowOrigins: ['https://app.example.com'] },
    action: ServiceAction.s3GetObject(bucket, { key: Field.path('proxy'), keyPrefix: 'public/' }),
  });
  new ServiceIntegrationRoute(stack, 'PutUpload', {
    api: binaryApi, path: '/uploads/{name}', method: 'PUT',
    action: ServiceAction.s3PutObject(encrypted, { key: Field.path('name'), keyPrefix: 'uploads/' }),
  });
  new ServiceIntegrationRoute(stack, 'GetText', {
    api: textApi, path: '/docs/{key}', method: 'GET', action: ServiceAction.s3GetObject(encrypted, { key: Field.path('key') }),
  });
  new ServiceIntegrationRoute(stack, 'PutText', {
    api: textApi, path: '/docs/{key}', method: 'PUT', action: ServiceAction.s3PutObject(bucket, { key: Field.path('key') }),
  });
  const template = Template.fromStack(stack);
  const filesBucket = logicalId(template, 'AWS::S3::Bucket', 'Files');
  const uploadsBucket = logicalId(template, 'AWS::S3::Bucket', 'Uploads');
  const keyId = logicalId(template, 'AWS::KMS::Key', 'Key');
  const binaryApiId = logicalId(template, 'AWS::ApiGateway::RestApi', 'BinaryApi');
  const textApiId = logicalId(template, 'AWS::ApiGateway::RestApi', 'TextApi');
  const getFile = methodAt(template, '/files/{key}', 'GET', binaryApiId);
  const getPublic = methodAt(template, '/public/{proxy+}', 'GET', binaryApiId);
  const putUpload = methodAt(template, '/uploads/{name}', 'PUT', binaryApiId);
  const getText = methodAt(template, '/docs/{key}', 'GET', textApiId);
  const putText = methodAt(template, '/docs/{key}', 'PUT', textApiId);

  describe('integration request', () => {
    test('GET: path-override URI with the key prefix, the key mapped from the path parameter, no template', () => {
      const integration = getPublic.Integration;
      expect(text(integration.Uri)).toBe(`arn:{AWS::Partition}:apigateway:{AWS::Region}:s3:path/{${filesBucket}}/public/{object}`);
      expect(integration.Type).toBe('AWS');
      expect(integration.IntegrationHttpMethod).toBe('GET');
      expect(integration.RequestParameters).toEqual({ 'integration.request.path.object': 'method.request.path.proxy' });
      expect(integration.RequestTemplates).toBeUndefined();
      expect(integration.PassthroughBehavior).toBe('WHEN_NO_MATCH');
      expect(integration.ContentHandling).toBeUndefined();
      expect(integration.Credentials['Fn::GetAtt'][0]).toMatch(/^BinaryApiApigatewayPatternsIntegrationRole/);
      expect(getPublic.RequestParameters).toEqual({ 'method.request.path.proxy': true });
      expect(text(getFile.Integration.Uri)).toBe(`arn:{AWS::Partition}:apigateway:{AWS::Region}:s3:path/{${filesBucket}}/{object}`);
      expect(getFile.Integration.RequestParameters).toEqual({ 'integration.request.path.object': 'method.request.path.key' });
    });

    test('PUT: the body passes untouched (WHEN_NO_MATCH, no template) with the request Content-Type', () => {
      const integration = putUpload.Integration;
      expect(text(integration.Uri)).toBe(`arn:{AWS::Partition}:apigateway:{AWS::Region}:s3:path/{${uploadsBucket}}/uploads/{object}`);
      expect(integration.IntegrationHttpMethod).toBe('PUT');
      expect(integration.RequestParameters).toEqual({
        'integration.request.path.object': 'method.request.path.name',
        'integration.request.header.Content-Type': 'method.request.header.Content-Type',
      });
      expect(integration.RequestTemplates).toBeUndefined();
      expect(integration.PassthroughBehavior).toBe('WHEN_NO_MATCH');
      expect(integration.ContentHandling).toBeUndefined();
      expect(putUpload.RequestParameters).toEqual({ 'method.request.header.Content-Type': false, 'method.request.path.name': true });
    });
  });

  describe('integration responses', () => {
    test('GET 200: the object passes through (no template, no conversion) with Content-Type and ETag', () => {
      const [ok] = getFile.Integration.IntegrationResponses;
      // No ContentHandling: a conversion would garble text or binary objects (see s3-binary.test.ts).
      expect(ok).toEqual({
        StatusCode: '200',
        ResponseParameters: {
          'method.response.header.Content-Type': 'integration.response.header.Content-Type',
          'method.response.header.ETag': 'integration.response.header.ETag',
        },
      });
      // Without binaryMediaTypes nothing is converted either (the route warns instead).
      expect(getText.Integration.IntegrationResponses[0].ContentHandling).toBeUndefined();
      expect(getText.Integration.IntegrationResponses[0].ResponseTemplates).toBeUndefined();
    });

    test('GET with one CORS origin: static CORS headers, still no template on the object', () => {
      const [ok] = getPublic.Integration.IntegrationResponses;
      expect(ok.ResponseTemplates).toBeUndefined();
      expect(ok.ResponseParameters).toEqual({
        'method.response.header.Content-Type': 'integration.response.header.Content-Type',
        'method.response.header.ETag': 'integration.response.header.ETag',
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'method.response.header.Vary': "'Origin'",
      });
    });

    test('GET: 403 and 404 answer 404, other 4xx 400, 3xx and 5xx 502, 2xx the object', () => {
      for (let code = 100; code < 600; code++) {
        const expected = code === 403 || code === 404 ? '404' : code >= 400 && code < 500 ? '400' : code >= 300 ? '502' : '200';
        expect([code, selectedStatus(getFile, code)]).toEqual([code, expected]);
      }
    });

    test('PUT: 200 with the ETag and an empty body, 4xx 400, 3xx and 5xx 502', () => {
      const [ok] = putUpload.Integration.IntegrationResponses;
      expect(ok).toEqual({
        StatusCode: '200',
        ResponseParameters: { 'method.response.header.ETag': 'integration.response.header.ETag' },
        // PutObject answers no body; an empty template keeps it so ($input.body would print {}).
        ResponseTemplates: { 'application/json': '' },
      });
      for (let code = 100; code < 600; code++) {
        const expected = code >= 400 && code < 500 ? '400' : code >= 300 ? '502' : '200';
        expect([code, selectedStatus(putUpload, code)]).toEqual([code, expected]);
      }
    });

    test('error answers are fixed JSON with the request id, whatever S3 says', () => {
      const expected: { [status: string]: string } = {
        404: 'No such object', 400: 'The service rejected the request', 502: 'The service failed to handle the request',
      };
      for (const method of [getFile, getPublic, putUpload, getText, putText]) {
        for (const r of method.Integration.IntegrationResponses.slice(1)) {
          for (const body of ADVERSARIAL) {
            expect(MappingTemplate.renderJson(r.ResponseTemplates['application/json'], { body, context: { requestId: 'req-1' } }))
              .toEqual({ message: expected[r.StatusCode], requestId: 'req-1' });
          }
        }
      }
    });

    test('method responses declare each status and its headers', () => {
      expect(getFile.MethodResponses).toEqual([
        { StatusCode: '200', ResponseParameters: { 'method.response.header.Content-Type': true, 'method.response.header.ETag': true } },
        { StatusCode: '404' }, { StatusCode: '400' }, { StatusCode: '502' },
      ]);
      expect(putUpload.MethodResponses).toEqual([
        { StatusCode: '200', ResponseParameters: { 'method.response.header.ETag': true } }, { StatusCode: '400' }, { StatusCode: '502' },
      ]);
    });
  });

  test('IAM: exactly s3:GetObject / s3:PutObject on object ARNs under the prefix, KMS on the key, no ListBucket', () => {
    const statementsOf = (apiPath: string) => {
      const policies = resourcesOfType(template, 'AWS::IAM::Policy')
        .filter(([, p]) => p.Roles.some((r: any) => r.Ref.startsWith(`${apiPath}ApigatewayPatternsIntegrationRole`)));
      expect(policies).toHaveLength(1);
      return policies[0][1].PolicyDocument.Statement.map((s: any) => ({ Action: s.Action, Effect: s.Effect, Resource: [s.Resource].flat().map(text) }));
    };
    expect(statementsOf('BinaryApi')).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: [`{${filesBucket}.Arn}/*`, `{${filesBucket}.Arn}/public/*`] },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: [`{${uploadsBucket}.Arn}/uploads/*`] },
      { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: [`{${keyId}.Arn}`] },
    ]);
    expect(statementsOf('TextApi')).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: [`{${uploadsBucket}.Arn}/*`] },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: [`{${keyId}.Arn}`] },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: [`{${filesBucket}.Arn}/*`] },
    ]);
  });

  test('warns on routes of an API without binaryMediaTypes, not on the binary API', () => {
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/GetText', Match.stringLikeRegexp('Route Stack/GetText: the API has no binaryMediaTypes, so objects with binary content'));
    annotations.hasWarning('/Stack/PutText', Match.stringLikeRegexp('Route Stack/PutText: the API has no binaryMediaTypes, so binary uploads'));
    for (const route of ['GetFile', 'GetPublic', 'PutUpload']) annotations.hasNoWarning(`/Stack/${route}`, Match.anyValue());
  });
});

describe('misuse fails at synth, naming the route', () => {
  function bind(action: (bucket: s3.IBucket) => ServiceAction, path = '/files/{key}', cors?: string[]): string {
    return errorOf(() => {
      const stack = new Stack(new App(), 'Stack');
      const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes: ['image/png'] });
      const bucket = new s3.Bucket(stack, 'B');
      new ServiceIntegrationRoute(stack, 'Get', {
        api, path, method: 'GET', action: action(bucket), cors: cors ? { allowOrigins: cors } : undefined,
      });
    });
  }

  test('a key that is not a path Field', () => {
    for (const key of [Field.query('key'), Field.header('X-Key'), Field.body('$.key'), Field.literal('fixed.txt')]) {
      const message = bind((b) => ServiceAction.s3GetObject(b, { key }));
      expect(message).toMatch(/^Route Stack\/Get: the S3 object key must be a path Field, not Field\./);
      expect(message).toContain("Field.path('proxy')");
      expect(bind((b) => ServiceAction.s3PutObject(b, { key }))).toMatch(/^Route Stack\/Get: the S3 object key must be a path Field/);
    }
  });

  test('a key path parameter the route does not have', () => {
    expect(bind((b) => ServiceAction.s3GetObject(b, { key: Field.path('name') })))
      .toMatch(/^Route Stack\/Get: Field\.path\('name'\) is not a parameter of the route's path: use one of \{key\}/);
  });

  test('a missing key', () => {
    expect(bind((b) => ServiceAction.s3GetObject(b, {} as any))).toMatch(/^Route Stack\/Get: S3 GetObject needs a key/);
  });

  test('a key prefix that is not a plain S3 prefix', () => {
    for (const keyPrefix of ['/abs/', 'a*', 'a//b/', '../x/', 'a/./b', 'has space/', '{object}', 'a$b', "it's/"]) {
      expect(bind((b) => ServiceAction.s3GetObject(b, { key: Field.path('key'), keyPrefix })))
        .toMatch(new RegExp(`^Route Stack/Get: keyPrefix '${keyPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' must be a plain S3 key prefix`));
    }
  });

  test('several CORS origins work for PUT, whose answer has no body to keep', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes: ['image/png'] });
    new ServiceIntegrationRoute(stack, 'Put', {
      api, path: '/files/{key}', method: 'PUT', cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] },
      action: ServiceAction.s3PutObject(new s3.Bucket(stack, 'B'), { key: Field.path('key') }),
    });
    const [ok] = methodAt(Template.fromStack(stack), '/files/{key}', 'PUT').Integration.IntegrationResponses;
    const result = MappingTemplate.renderWithOverrides(ok.ResponseTemplates['application/json'], { headers: { Origin: 'https://b.example.com' } });
    expect(result.output).toBe('');
    expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://b.example.com' });
  });

  test('several CORS origins: the object cannot carry a per-request origin template', () => {
    expect(bind((b) => ServiceAction.s3GetObject(b, { key: Field.path('key') }), '/files/{key}', ['https://a.example.com', 'https://b.example.com']))
      .toMatch(/^Route Stack\/Get: the action passes the service's answer through untouched.*allow a single origin/);
  });
});
