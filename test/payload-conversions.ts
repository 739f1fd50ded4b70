/**
 * API Gateway's content type conversions (REST APIs, non-proxy integrations) as pure functions: what a
 * payload becomes between the client and the integration, given the API's binaryMediaTypes, the request's
 * Content-Type (requests) or first Accept media type (responses), and the contentHandling of the
 * Integration (requests) or IntegrationResponse (responses).
 *
 * The two tables below are AWS's, row for row: "Content type conversions in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
 * Where the tables are silent, this file says what it assumes:
 * - a payload is "binary" when its Content-Type matches an entry of binaryMediaTypes, and an Accept type is
 *   "binary" when it matches one (the page and LocalStack's AWS-validated emulation agree); an entry matches
 *   exactly, as `type/*`, or as `*\/*` (any type), case-insensitively and ignoring parameters; an entry
 *   written `image~1png` means `image/png`. A wildcard in the Accept value itself (`Accept: *\/*`) is taken
 *   literally (it matches only a `*\/*` entry): AWS does not document it;
 * - only the first media type of Accept counts (the page says so); a request without Accept is not
 *   modelled (the page does not say), so the functions refuse it;
 * - "UTF8-encoded string" and "text data" decode the bytes as UTF-8, malformed sequences becoming U+FFFD as
 *   Java's decoder does, and encode them again: valid UTF-8 text is unchanged, binary content is mangled;
 * - "Base64-decoded blob" of text that is not base64 is the 500 the page describes ("If the conversion
 *   fails, it returns a 500 response").
 */

export type ContentHandling = 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT' | undefined;

/** What API Gateway does to the bytes. */
type Conversion = 'UTF8' | 'AS_IS' | 'BASE64_DECODE' | 'BASE64_ENCODE';

type Handling = 'UNDEFINED' | 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';

/**
 * Response table: integration response payload, request Accept header, binaryMediaTypes, contentHandling
 * → method response payload. `TEXT_OR_BINARY` rows are those with binaryMediaTypes undefined.
 */
const RESPONSE_TABLE: Array<[payload: 'TEXT' | 'BINARY' | 'TEXT_OR_BINARY', accept: 'TEXT' | 'BINARY', types: 'UNDEFINED' | 'SET', handling: Handling, result: Conversion]> = [
  ['TEXT_OR_BINARY', 'TEXT', 'UNDEFINED', 'UNDEFINED', 'UTF8'], // UTF8-encoded string
  ['TEXT_OR_BINARY', 'TEXT', 'UNDEFINED', 'CONVERT_TO_BINARY', 'BASE64_DECODE'], // Base64-decoded blob
  ['TEXT_OR_BINARY', 'TEXT', 'UNDEFINED', 'CONVERT_TO_TEXT', 'UTF8'], // UTF8-encoded string
  ['TEXT', 'TEXT', 'SET', 'UNDEFINED', 'UTF8'], // Text data
  ['TEXT', 'TEXT', 'SET', 'CONVERT_TO_BINARY', 'BASE64_DECODE'], // Base64-decoded blob
  ['TEXT', 'TEXT', 'SET', 'CONVERT_TO_TEXT', 'UTF8'], // UTF8-encoded string
  ['TEXT', 'BINARY', 'SET', 'UNDEFINED', 'BASE64_DECODE'], // Base64-decoded blob
  ['TEXT', 'BINARY', 'SET', 'CONVERT_TO_BINARY', 'BASE64_DECODE'], // Base64-decoded blob
  ['TEXT', 'BINARY', 'SET', 'CONVERT_TO_TEXT', 'UTF8'], // UTF8-encoded string
  ['BINARY', 'TEXT', 'SET', 'UNDEFINED', 'BASE64_ENCODE'], // Base64-encoded string
  ['BINARY', 'TEXT', 'SET', 'CONVERT_TO_BINARY', 'AS_IS'], // Binary data
  ['BINARY', 'TEXT', 'SET', 'CONVERT_TO_TEXT', 'BASE64_ENCODE'], // Base64-encoded string
  ['BINARY', 'BINARY', 'SET', 'UNDEFINED', 'AS_IS'], // Binary data
  ['BINARY', 'BINARY', 'SET', 'CONVERT_TO_BINARY', 'AS_IS'], // Binary data
  ['BINARY', 'BINARY', 'SET', 'CONVERT_TO_TEXT', 'BASE64_ENCODE'], // Base64-encoded string
];

/**
 * Request table: method request payload (classed by its Content-Type), binaryMediaTypes, contentHandling
 * → integration request payload. `ANY` rows are those with binaryMediaTypes undefined.
 */
const REQUEST_TABLE: Array<[payload: 'TEXT' | 'BINARY' | 'ANY', types: 'UNDEFINED' | 'SET', handling: Handling, result: Conversion]> = [
  ['ANY', 'UNDEFINED', 'UNDEFINED', 'UTF8'], // UTF8-encoded string
  ['ANY', 'UNDEFINED', 'CONVERT_TO_BINARY', 'BASE64_DECODE'], // Base64-decoded binary blob
  ['ANY', 'UNDEFINED', 'CONVERT_TO_TEXT', 'UTF8'], // UTF8-encoded string
  ['TEXT', 'SET', 'UNDEFINED', 'UTF8'], // Text data
  ['TEXT', 'SET', 'CONVERT_TO_BINARY', 'BASE64_DECODE'], // Base64-decoded binary blob
  ['TEXT', 'SET', 'CONVERT_TO_TEXT', 'UTF8'], // Text data
  ['BINARY', 'SET', 'UNDEFINED', 'AS_IS'], // Binary data
  ['BINARY', 'SET', 'CONVERT_TO_BINARY', 'AS_IS'], // Binary data
  ['BINARY', 'SET', 'CONVERT_TO_TEXT', 'BASE64_ENCODE'], // Base64-encoded string
];

/** What the client (responses) or the integration (requests) receives: the bytes, or API Gateway's 500. */
export type Delivered = { readonly status: 200; readonly body: Buffer } | { readonly status: 500 };

/** Whether `mediaType` (a Content-Type or one Accept entry) matches an entry of `binaryMediaTypes`. */
export function matchesBinaryMediaTypes(mediaType: string, binaryMediaTypes: string[] | undefined): boolean {
  const [type, subtype] = essence(mediaType);
  return (binaryMediaTypes ?? []).some((entry) => {
    const [t, s] = essence(entry.replace(/~1/g, '/'));
    return (t === '*' && s === '*') || (t === type && (s === '*' || s === subtype));
  });
}

/** The method response payload of an integration response (the response table). */
export function methodResponsePayload(options: {
  readonly body: Buffer;
  /** The integration response's Content-Type (an S3 object's type). */
  readonly contentType: string;
  /** The request's Accept header. */
  readonly accept: string | undefined;
  readonly binaryMediaTypes: string[] | undefined;
  /** The IntegrationResponse's contentHandling as synthesized. */
  readonly contentHandling: ContentHandling;
}): Delivered {
  if (options.accept === undefined) throw new Error('AWS documents no conversion for a request without Accept: give one');
  const types = isSet(options.binaryMediaTypes) ? 'SET' : 'UNDEFINED';
  const payload = types === 'UNDEFINED' ? 'TEXT_OR_BINARY' : matchesBinaryMediaTypes(options.contentType, options.binaryMediaTypes) ? 'BINARY' : 'TEXT';
  const firstAccept = options.accept.split(',')[0];
  const accept = matchesBinaryMediaTypes(firstAccept, options.binaryMediaTypes) ? 'BINARY' : 'TEXT';
  const handling = handlingOf(options.contentHandling);
  const row = RESPONSE_TABLE.find(([p, a, t, h]) => p === payload && a === accept && t === types && h === handling);
  if (!row) throw new Error(`no row of the response table for ${payload} ${accept} ${types} ${handling}`);
  return convert(options.body, row[4]);
}

/** The integration request payload of a method request (the request table). */
export function integrationRequestPayload(options: {
  readonly body: Buffer;
  /** The request's Content-Type. */
  readonly contentType: string;
  readonly binaryMediaTypes: string[] | undefined;
  /** The Integration's contentHandling as synthesized. */
  readonly contentHandling: ContentHandling;
}): Delivered {
  const types = isSet(options.binaryMediaTypes) ? 'SET' : 'UNDEFINED';
  const payload = types === 'UNDEFINED' ? 'ANY' : matchesBinaryMediaTypes(options.contentType, options.binaryMediaTypes) ? 'BINARY' : 'TEXT';
  const handling = handlingOf(options.contentHandling);
  const row = REQUEST_TABLE.find(([p, t, h]) => p === payload && t === types && h === handling);
  if (!row) throw new Error(`no row of the request table for ${payload} ${types} ${handling}`);
  return convert(options.body, row[3]);
}

function isSet(types: string[] | undefined): boolean {
  return types !== undefined && types.length > 0;
}

function handlingOf(value: ContentHandling): Handling {
  if (value === undefined) return 'UNDEFINED';
  if (value !== 'CONVERT_TO_BINARY' && value !== 'CONVERT_TO_TEXT') throw new Error(`unknown contentHandling ${value}`);
  return value;
}

/** `type/subtype` of a media type, lower case, without parameters. */
function essence(mediaType: string): [string, string] {
  const [type = '', subtype = ''] = mediaType.split(';')[0].trim().toLowerCase().split('/');
  return [type, subtype];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function convert(body: Buffer, conversion: Conversion): Delivered {
  switch (conversion) {
    case 'AS_IS':
      return { status: 200, body };
    case 'UTF8':
      // TextDecoder (not fatal) replaces malformed sequences with U+FFFD, as Java's decoder does.
      return { status: 200, body: Buffer.from(new TextDecoder('utf-8').decode(body), 'utf-8') };
    case 'BASE64_ENCODE':
      return { status: 200, body: Buffer.from(body.toString('base64'), 'ascii') };
    case 'BASE64_DECODE': {
      const text = new TextDecoder('utf-8').decode(body);
      return BASE64.test(text) ? { status: 200, body: Buffer.from(text, 'base64') } : { status: 500 };
    }
  }
}
