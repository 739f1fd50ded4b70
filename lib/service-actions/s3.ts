import { Annotations, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Field, FieldSource } from '../field';
import { ServiceBinding, ServiceGrant, ServiceRouteInfo } from '../internal/service-binding';
import { errorBody } from './responses';

/** Options of `ServiceAction.s3GetObject`. */
export interface S3GetObjectOptions {
  /**
   * The object key: a path parameter of the route, e.g. `Field.path('key')` for `/files/{key}`, or
   * `Field.path('proxy')` for `/files/{proxy+}` (keys with slashes). Only a path Field works: the key is put
   * into the S3 URL by a parameter mapping, not by a template.
   */
  readonly key: Field;
  /**
   * A fixed prefix in front of the key (e.g. `public/`); the integration role may only read objects under it.
   * @default '' (the whole bucket)
   */
  readonly keyPrefix?: string;
  /**
   * A folder per caller between `keyPrefix` and the key, named by the caller's identity:
   * `Field.authorizerClaim('sub')` keeps each signed-in user's objects under `<keyPrefix><sub>/`, so a caller
   * reaches only their own objects whatever key they send. Only identity Fields work, since API Gateway
   * puts the folder into the S3 URL by a parameter mapping: `Field.authorizerClaim` (a claim whose name is
   * letters, digits, `.`, `_` or `-`), `Field.authorizerContext`, or `Field.context('authorizer.principalId')`
   * / `Field.context('identity.cognitoIdentityId')`. The route must have an authorizer that sets it.
   * @default - no folder: every caller reaches every object under keyPrefix
   */
  readonly ownerFolder?: Field;
}

/** Options of `ServiceAction.s3PutObject`. */
export interface S3PutObjectOptions {
  /**
   * The object key: a path parameter of the route, e.g. `Field.path('key')` for `/files/{key}`, or
   * `Field.path('proxy')` for `/files/{proxy+}` (keys with slashes). Only a path Field works: the key is put
   * into the S3 URL by a parameter mapping, not by a template.
   */
  readonly key: Field;
  /**
   * A fixed prefix in front of the key (e.g. `uploads/`); the integration role may only write objects under it.
   * @default '' (the whole bucket)
   */
  readonly keyPrefix?: string;
  /**
   * A folder per caller between `keyPrefix` and the key, named by the caller's identity:
   * `Field.authorizerClaim('sub')` keeps each signed-in user's objects under `<keyPrefix><sub>/`, so a caller
   * reaches only their own objects whatever key they send. Only identity Fields work, since API Gateway
   * puts the folder into the S3 URL by a parameter mapping: `Field.authorizerClaim` (a claim whose name is
   * letters, digits, `.`, `_` or `-`), `Field.authorizerContext`, or `Field.context('authorizer.principalId')`
   * / `Field.context('identity.cognitoIdentityId')`. The route must have an authorizer that sets it.
   * @default - no folder: every caller reaches every object under keyPrefix
   */
  readonly ownerFolder?: Field;
}

// Characters that are safe in a URL path, in an IAM resource ARN, and in an S3 key; no `*` (an IAM wildcard).
const KEY_PREFIX = /^[A-Za-z0-9!_.()/-]*$/;
const NOT_FOUND_PATTERN = '40[34]';
const OTHER_CLIENT_ERROR_PATTERN = '40[0-25-9]|4[1-9]\\d';
// A 3xx (e.g. a redirect to the bucket's region) is no object either: it must not reach the 200 response.
const SERVICE_ERROR_PATTERN = '[35]\\d{2}';

/**
 * The error answers' contentHandling. Their JSON is rendered from a template, so it is text; left unset,
 * a client asking for a binary type (`Accept: image/png`, as GetObject's clients do) would have API Gateway
 * base64-decode that JSON ("Text data | A binary type | Undefined → Base64-decoded blob" in AWS's table),
 * which fails as a 500. CONVERT_TO_TEXT keeps it a UTF-8 string whatever the Accept header.
 */
const ERROR_CONTENT_HANDLING = apigw.ContentHandling.CONVERT_TO_TEXT;

/**
 * GetObject through S3's "path override" (`s3:path/{bucket}/{object}`), the object answered byte for
 * byte with its Content-Type and ETag. A missing object answers 404: without s3:ListBucket (which this
 * action does not grant, so callers cannot learn which keys exist) S3 answers 403 for a missing key, so
 * 403 and 404 both become 404.
 *
 * The 200 answer has no contentHandling (passthrough). AWS's table "Content type conversions in API
 * Gateway" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html)
 * says what each setting does to an integration response: unset, a payload whose Content-Type is in the
 * API's binaryMediaTypes goes out as bytes when the request's first Accept type is in the list too, and a
 * payload whose type is not listed goes out unchanged when the Accept type is not listed either. So every
 * object comes back byte for byte when the client's Accept is classed like the object's type (simplest:
 * `Accept: <the object's Content-Type>`). CONVERT_TO_BINARY instead base64-decodes every payload whose type
 * is not listed: a text object came back as garbage, or as a 500 when it was not valid base64.
 */
export function bindS3GetObject(route: ServiceRouteInfo, bucket: s3.IBucket, options: S3GetObjectOptions): ServiceBinding {
  const target = objectTarget(route, bucket, options, 'GetObject');
  binaryMediaTypesOf(route, 'objects with binary content would reach clients as mangled UTF-8 text',
    "clients then get every object byte for byte with Accept set to the object's Content-Type");
  const grants: ServiceGrant[] = [{ actions: ['s3:GetObject'], resources: [target.objects] }];
  if (bucket.encryptionKey) grants.push({ actions: ['kms:Decrypt'], resources: [bucket.encryptionKey.keyArn] });
  return {
    ...target.binding,
    integrationHttpMethod: 'GET',
    responses: [
      {
        statusCode: 200,
        headers: {
          'Content-Type': 'integration.response.header.Content-Type',
          'ETag': 'integration.response.header.ETag',
        },
        // No contentHandling: passthrough keeps text and binary objects byte for byte (see above); a
        // conversion would change one kind or the other whatever the Accept header.
        passthroughBody: true,
      },
      { statusCode: 404, selectionPattern: NOT_FOUND_PATTERN, template: errorBody('No such object'), contentHandling: ERROR_CONTENT_HANDLING },
      { statusCode: 400, selectionPattern: OTHER_CLIENT_ERROR_PATTERN, template: errorBody('The service rejected the request'), contentHandling: ERROR_CONTENT_HANDLING },
      { statusCode: 502, selectionPattern: SERVICE_ERROR_PATTERN, template: errorBody('The service failed to handle the request'), contentHandling: ERROR_CONTENT_HANDLING },
    ],
    grants,
  };
}

/**
 * PutObject through S3's "path override": the request body is stored byte for byte, with the request's
 * Content-Type; the answer is 200 with the new object's ETag and no body.
 */
export function bindS3PutObject(route: ServiceRouteInfo, bucket: s3.IBucket, options: S3PutObjectOptions): ServiceBinding {
  const target = objectTarget(route, bucket, options, 'PutObject');
  binaryMediaTypesOf(route, 'binary uploads would be stored as mangled UTF-8 text',
    'uploads are then stored byte for byte when sent with their own Content-Type');
  const grants: ServiceGrant[] = [{ actions: ['s3:PutObject'], resources: [target.objects] }];
  if (bucket.encryptionKey) grants.push({ actions: ['kms:GenerateDataKey'], resources: [bucket.encryptionKey.keyArn] });
  return {
    ...target.binding,
    integrationHttpMethod: 'PUT',
    requestParameters: {
      ...target.binding.requestParameters,
      'integration.request.header.Content-Type': 'method.request.header.Content-Type',
    },
    methodRequestParameters: { 'method.request.header.Content-Type': false },
    responses: [
      // PutObject answers no body; an explicit empty template keeps it empty ($input.body would print {}).
      { statusCode: 200, headers: { ETag: 'integration.response.header.ETag' }, template: '' },
      { statusCode: 400, selectionPattern: '4\\d{2}', template: errorBody('The service rejected the request'), contentHandling: ERROR_CONTENT_HANDLING },
      { statusCode: 502, selectionPattern: SERVICE_ERROR_PATTERN, template: errorBody('The service failed to handle the request'), contentHandling: ERROR_CONTENT_HANDLING },
    ],
    grants,
  };
}

interface ObjectTarget {
  readonly binding: Pick<ServiceBinding, 'service' | 'path' | 'requestParameters' | 'passthroughBehavior'>;
  /** The object ARN pattern the role is granted. */
  readonly objects: string;
}

function objectTarget(
  route: ServiceRouteInfo, bucket: s3.IBucket, options: { key: Field; keyPrefix?: string; ownerFolder?: Field }, action: string,
): ObjectTarget {
  const name = route.route;
  const key = options?.key;
  if (!key) throw new Error(`${name}: S3 ${action} needs a key, e.g. key: Field.path('key') for a path like /files/{key}`);
  if (key._source !== FieldSource.PATH) {
    throw new Error(`${name}: the S3 object key must be a path Field, not ${key._description}: API Gateway puts the key ` +
      "into the S3 URL by mapping a path parameter; use a path like /files/{key} with Field.path('key'), or " +
      "/files/{proxy+} with Field.path('proxy') for keys with slashes");
  }
  key._expression(name, route.pathParameters); // fails unless the parameter is in the route's path
  const prefix = options.keyPrefix ?? '';
  if (!KEY_PREFIX.test(prefix) || prefix.startsWith('/') || prefix.includes('//') || prefix.split('/').some((p) => p === '.' || p === '..')) {
    throw new Error(`${name}: keyPrefix '${prefix}' must be a plain S3 key prefix such as 'uploads/' (letters, digits, ` +
      "! _ . ( ) - and /, not starting with /, no empty, '.' or '..' segments, no *)");
  }
  const owner = options.ownerFolder === undefined ? undefined : ownerMapping(name, options.ownerFolder);
  return {
    binding: {
      service: 's3',
      path: `${bucket.bucketName}/${prefix}${owner ? '{owner}/' : ''}{object}`,
      requestParameters: {
        ...(owner ? { 'integration.request.path.owner': owner } : {}),
        'integration.request.path.object': `method.request.path.${key._name}`,
      },
      // The one exception to NEVER: S3 must get the body untouched (no template can carry bytes), and the
      // integration has no request template, so every content type passes through.
      passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
    },
    // The key is chosen per request, so the resource is the prefix's object ARN pattern: the `*` stands for
    // the key only, inside one bucket's object ARN.
    objects: bucket.arnForObjects(`${prefix}*`),
  };
}

// Context variables that name the caller, and what a parameter mapping expression may contain.
const OWNER_CONTEXT = ['authorizer.principalId', 'identity.cognitoIdentityId'];
const MAPPING_NAME = /^[A-Za-z0-9._-]+$/;

/** The parameter mapping expression of an `ownerFolder` Field: only the caller's identity can name a folder. */
function ownerMapping(route: string, owner: Field): string {
  if (!(owner instanceof Field)) throw new Error(`${route}: ownerFolder must be a Field, e.g. Field.authorizerClaim('sub')`);
  if (owner._source === FieldSource.CLAIM && MAPPING_NAME.test(owner._name)) return `context.authorizer.claims.${owner._name}`;
  if (owner._source === FieldSource.AUTHORIZER) return `context.authorizer.${owner._name}`;
  if (owner._source === FieldSource.CONTEXT && OWNER_CONTEXT.includes(owner._name)) return `context.${owner._name}`;
  throw new Error(`${route}: ownerFolder ${owner._description} cannot name the caller's folder: use Field.authorizerClaim('sub') ` +
    "(a claim named with letters, digits, '.', '_' or '-'; a parameter mapping cannot read 'cognito:...' claims), " +
    `Field.authorizerContext('<key>') or Field.context('${OWNER_CONTEXT.join("' | '")}')`);
}

/** A media type as binaryMediaTypes lists it: `type/subtype`, either part `*`, `/` possibly written `~1`. */
const MEDIA_TYPE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+\/[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Warns when the route's API makes byte-exact objects impossible: no binaryMediaTypes (every payload is
 * treated as UTF-8 text, so binary content is mangled), or an entry that is not a media type (it matches
 * no Content-Type, so objects of the type meant are treated as text). An imported API cannot be
 * inspected: it is assumed to be set up as the README says, silently.
 */
function binaryMediaTypesOf(route: ServiceRouteInfo, consequence: string, usage: string): void {
  const cfn = route.api.node.defaultChild;
  if (!(cfn instanceof apigw.CfnRestApi)) return;
  const types = cfn.binaryMediaTypes;
  if (types === undefined || (Array.isArray(types) && types.length === 0)) {
    Annotations.of(route.scope).addWarningV2('cdk-apigateway-patterns:s3BinaryMediaTypes',
      `${route.route}: the API has no binaryMediaTypes, so ${consequence}; set binaryMediaTypes on the RestApi to ` +
      `the binary media types the bucket holds (e.g. ['image/png', 'application/pdf']): ${usage}`);
    return;
  }
  if (Token.isUnresolved(types)) return;
  for (const type of types) {
    if (Token.isUnresolved(type) || MEDIA_TYPE.test(type.replace(/~1/g, '/'))) continue;
    Annotations.of(route.scope).addWarningV2('cdk-apigateway-patterns:s3BinaryMediaType',
      `${route.route}: the API's binaryMediaTypes entry '${type}' is not a media type (type/subtype, e.g. 'image/png' or ` +
      "'image/*'): it matches no Content-Type, so objects of the type it means are treated as text; write it as type/subtype");
  }
}
