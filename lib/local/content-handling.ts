/**
 * Payload conversions of non-proxy integrations, as AWS tabulates them in "Content type conversions
 * in API Gateway" (api-gateway-payload-encodings-workflow): the API's `binaryMediaTypes`, the request's
 * `Content-Type` (requests) or first `Accept` media type (responses), and `ContentHandling`
 * (CONVERT_TO_TEXT, CONVERT_TO_BINARY, or undefined) decide whether a payload is base64-encoded,
 * base64-decoded or passed as it is.
 */
import { GatewayError } from './response';

/**
 * Whether a media type is one of the API's binary media types: parameters (`; charset=...`) are
 * ignored, `*` matches a whole type or subtype (`*\/*`, `image/*`), case-insensitive.
 */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType) return false;
  const [type, subtype] = contentType.split(';')[0].trim().toLowerCase().split('/');
  return binaryMediaTypes.some((entry) => {
    const [t, s] = entry.trim().toLowerCase().split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype);
  });
}

/**
 * Base64 text to bytes. API Gateway "assumes that the text data is a Base64-encoded string" and answers
 * 500 (an API configuration error) when it is not; Node's decoder would skip bad characters silently.
 */
export function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error',
      `${what}: CONVERT_TO_BINARY needs a base64 payload, got ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '...' : ''}`);
  }
  return Buffer.from(compact, 'base64');
}

/** How a request payload reaches the integration. */
export interface RequestPayloadPlan {
  /** What a request template sees as `$input.body` (a binary payload converted to text is base64). */
  readonly text: string;
  /** The bytes passed through when no template applies. */
  readonly passthrough: Buffer;
  /** Base64-decode what goes out (CONVERT_TO_BINARY of a text payload), template output included. */
  readonly decodeOutgoing: boolean;
  /**
   * A binary payload that stays binary: a request template cannot apply to it (API Gateway logs "Unable
   * to transform request" and answers 500, the known failure of CORS preflights under `*\/*`).
   */
  readonly binary: boolean;
}

/**
 * The request table: the method request payload, its Content-Type and the integration's ContentHandling.
 * A request without a Content-Type is read as application/json, as template selection reads it (so
 * `*\/*` makes every bodiless request binary, as on AWS).
 */
export function requestPayloadPlan(body: Buffer, contentType: string | undefined, binaryMediaTypes: readonly string[], contentHandling: string | undefined): RequestPayloadPlan {
  const binary = isBinaryMediaType(contentType ?? 'application/json', binaryMediaTypes);
  if (binary) {
    // Binary data: CONVERT_TO_TEXT base64-encodes it (templates read it through $input.body); else it passes as bytes.
    if (contentHandling === 'CONVERT_TO_TEXT') {
      const encoded = body.toString('base64');
      return { text: encoded, passthrough: Buffer.from(encoded), decodeOutgoing: false, binary: false };
    }
    return { text: body.toString('utf8'), passthrough: body, decodeOutgoing: false, binary: true };
  }
  return { text: body.toString('utf8'), passthrough: body, decodeOutgoing: contentHandling === 'CONVERT_TO_BINARY', binary: false };
}

/** How an integration response payload becomes the method response payload. */
export interface ResponsePayloadPlan {
  /** Whether response templates apply (not to a binary payload that stays binary). */
  readonly templated: boolean;
  /** The payload as a template sees it (`$input.body`): base64 for a binary payload turned to text. */
  readonly text: string;
  /** The method response bytes when no template applies. */
  readonly passthrough: () => Buffer;
  /** Base64-decode a rendered template's output (a text payload sent as binary). */
  readonly decodeOutgoing: boolean;
}

/**
 * The response table. `payloadBinary`: the integration's answer is binary (its Content-Type is one of
 * the binary media types); `acceptBinary`: the request's first Accept media type is. Only the first
 * Accept media type counts, as AWS documents.
 */
export function responsePayloadPlan(body: Buffer, payloadContentType: string | undefined, accept: string | undefined,
  binaryMediaTypes: readonly string[], contentHandling: string | undefined): ResponsePayloadPlan {
  const payloadBinary = binaryMediaTypes.length > 0 && isBinaryMediaType(payloadContentType, binaryMediaTypes);
  const firstAccept = accept?.split(',')[0];
  const acceptBinary = binaryMediaTypes.length > 0 && isBinaryMediaType(firstAccept, binaryMediaTypes);
  // Undefined handling follows the Accept type once binary media types are set; without them the payload is UTF-8 text.
  const outBinary = contentHandling === 'CONVERT_TO_BINARY' ? true
    : contentHandling === 'CONVERT_TO_TEXT' ? false
      : binaryMediaTypes.length > 0 ? acceptBinary : payloadBinary;
  if (payloadBinary && outBinary) return { templated: false, text: '', passthrough: () => body, decodeOutgoing: false };
  if (payloadBinary) {
    const encoded = body.toString('base64');
    return { templated: true, text: encoded, passthrough: () => Buffer.from(encoded), decodeOutgoing: false };
  }
  const text = body.toString('utf8');
  return {
    templated: true,
    text,
    passthrough: () => (outBinary ? decodeBase64(text, 'the integration response') : body),
    decodeOutgoing: outBinary,
  };
}
