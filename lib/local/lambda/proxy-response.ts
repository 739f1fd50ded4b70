/**
 * Reading a Lambda proxy integration's answer (payload format 1.0) the way API Gateway REST APIs do.
 *
 * Format: "Output format of a Lambda function for proxy integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * "If the function output is of a different format, API Gateway returns a 502 Bad Gateway error response"
 * (body `{"message": "Internal server error"}`, logged as "Execution failed due to configuration error:
 * Malformed Lambda proxy response": https://repost.aws/knowledge-center/malformed-502-api-gateway).
 *
 * The rule applied here (AWS documents the shape, not every edge; choices are marked "chosen"):
 * - the payload is a JSON object; anything else (null, a string, an array, invalid JSON) is malformed;
 * - its only keys are statusCode, headers, multiValueHeaders, body, isBase64Encoded (REST APIs reject
 *   others, unlike HTTP APIs' format 2.0);
 * - statusCode is required: an integer, or a string of one (chosen), within 100-599;
 * - headers: an object of scalar values (strings; numbers and booleans are sent as their text, chosen),
 *   multiValueHeaders: an object of arrays of such values; either may be null or absent;
 * - body: a string, null or absent (an object body is malformed: the function must JSON.stringify it);
 * - isBase64Encoded: a boolean, null or absent; when true the body is base64-decoded to bytes;
 * - headers and multiValueHeaders merge, a name in multiValueHeaders replacing the same name
 *   (compared case-insensitively, chosen) from headers, as the page above says;
 * - a function error (the invocation failed, X-Amz-Function-Error set) is a 502 as well.
 */

/** The answer AWS gives the client when the proxy answer is malformed or the function failed. */
export const PROXY_INTERNAL_ERROR = { statusCode: 502, body: '{"message": "Internal server error"}' } as const;

/** A proxy answer API Gateway accepted. */
export interface ProxyResponse {
  readonly statusCode: number;
  /** Every header, merged from `headers` and `multiValueHeaders`, in the function's spelling. */
  readonly multiValueHeaders: Record<string, string[]>;
  readonly body: Buffer;
  /** Whether the function sent the body base64-encoded (the method response may need it). */
  readonly isBase64Encoded: boolean;
}

export type ProxyResponseResult =
  | { readonly ok: true; readonly response: ProxyResponse }
  /** Malformed: the client gets PROXY_INTERNAL_ERROR (502); `reason` is for the log. */
  | { readonly ok: false; readonly reason: string };

const KNOWN_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Parse a proxy function's answer.
 * @param payload the invocation payload, as JSON text
 * @param functionError whether the invocation was a function error (X-Amz-Function-Error)
 */
export function parseProxyResponse(payload: string, functionError = false): ProxyResponseResult {
  if (functionError) return malformed(`Lambda function error: ${truncate(payload)}`);
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return malformed(`not JSON: ${truncate(payload)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(`not a JSON object: ${truncate(payload)}`);
  }
  const out = value as Record<string, unknown>;
  const unknownKeys = Object.keys(out).filter((k) => !KNOWN_KEYS.has(k));
  if (unknownKeys.length > 0) return malformed(`unexpected key(s) ${unknownKeys.join(', ')}`);

  const statusCode = typeof out.statusCode === 'string' && /^\d+$/.test(out.statusCode) ? Number(out.statusCode) : out.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode must be an integer HTTP status, got ${JSON.stringify(out.statusCode)}`);
  }
  if (out.body !== undefined && out.body !== null && typeof out.body !== 'string') {
    return malformed(`body must be a string, got ${Array.isArray(out.body) ? 'array' : typeof out.body}`);
  }
  if (out.isBase64Encoded !== undefined && out.isBase64Encoded !== null && typeof out.isBase64Encoded !== 'boolean') {
    return malformed('isBase64Encoded must be a boolean');
  }

  const merged: Record<string, string[]> = {};
  if (out.headers !== undefined && out.headers !== null) {
    if (!isPlainObject(out.headers)) return malformed('headers must be an object');
    for (const [name, v] of Object.entries(out.headers)) {
      const text = scalarText(v);
      if (text === undefined) return malformed(`header ${name} must be a string`);
      merged[name] = [text];
    }
  }
  if (out.multiValueHeaders !== undefined && out.multiValueHeaders !== null) {
    if (!isPlainObject(out.multiValueHeaders)) return malformed('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(out.multiValueHeaders)) {
      if (!Array.isArray(values)) return malformed(`multiValueHeaders.${name} must be an array`);
      const texts = values.map(scalarText);
      if (texts.some((t) => t === undefined)) return malformed(`multiValueHeaders.${name} must hold strings`);
      for (const existing of Object.keys(merged)) {
        if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
      }
      merged[name] = texts as string[];
    }
  }

  const isBase64Encoded = out.isBase64Encoded === true;
  const text = typeof out.body === 'string' ? out.body : '';
  return {
    ok: true,
    response: {
      statusCode,
      multiValueHeaders: merged,
      body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
      isBase64Encoded,
    },
  };
}

function malformed(reason: string): ProxyResponseResult {
  return { ok: false, reason: `Malformed Lambda proxy response: ${reason}` };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
