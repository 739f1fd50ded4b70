/**
 * AWS API calls made by Step Functions tasks (`aws-sdk:*` and the optimized DynamoDB, SQS, SNS and
 * EventBridge integrations): the SDK's protocol for each service (JSON with X-Amz-Target, or the query
 * protocol with an XML answer), signed and sent to the endpoint given for the service. Service errors
 * become StatesErrors named as Step Functions names them (`DynamoDb.ConditionalCheckFailedException` for
 * aws-sdk, `DynamoDB.ConditionalCheckFailedException` for the optimized integration).
 */
import { randomUUID } from 'node:crypto';
import { sendSigned } from '../aws/signed-send';
import { JSON_PROTOCOL, ServiceEndpoints } from '../aws/service-request';
import { AwsCredentials } from '../aws/sigv4';
import { StatesError } from './errors';

/** How the SDK talks to a service. */
interface ServiceProtocol {
  /** The endpoint and signing name (`events` for EventBridge, `states` for Step Functions). */
  readonly endpoint: string;
  /** Step Functions' error prefix for aws-sdk tasks. */
  readonly sdkPrefix: string;
  readonly json?: { readonly target: string; readonly contentType: string };
  readonly query?: { readonly version: string; readonly maps: readonly string[] };
}

/** aws-sdk service names (as in `arn:aws:states:::aws-sdk:<service>:<action>`) the emulator can call. */
const SDK_SERVICES: Record<string, ServiceProtocol> = {
  dynamodb: { endpoint: 'dynamodb', sdkPrefix: 'DynamoDb', json: JSON_PROTOCOL.dynamodb },
  sqs: { endpoint: 'sqs', sdkPrefix: 'Sqs', json: { target: 'AmazonSQS', contentType: 'application/x-amz-json-1.0' } },
  sfn: { endpoint: 'states', sdkPrefix: 'Sfn', json: JSON_PROTOCOL.states },
  eventbridge: { endpoint: 'events', sdkPrefix: 'EventBridge', json: JSON_PROTOCOL.events },
  kinesis: { endpoint: 'kinesis', sdkPrefix: 'Kinesis', json: JSON_PROTOCOL.kinesis },
  cloudwatchlogs: { endpoint: 'logs', sdkPrefix: 'CloudWatchLogs', json: JSON_PROTOCOL.logs },
  firehose: { endpoint: 'firehose', sdkPrefix: 'Firehose', json: JSON_PROTOCOL.firehose },
  sns: { endpoint: 'sns', sdkPrefix: 'Sns', query: { version: '2010-03-31', maps: ['MessageAttributes', 'Attributes'] } },
};

/** The services `--backends local` starts an implementation of. */
const LOCAL_BACKEND_SERVICES: ReadonlySet<string> = new Set(['dynamodb', 's3', 'kinesis']);

/** The services an aws-sdk task can call locally. */
export function sdkServiceNames(): string[] {
  return Object.keys(SDK_SERVICES);
}

export interface SdkCall {
  /** aws-sdk service name (`dynamodb`, `sqs`, `sns`, `eventbridge` ...). */
  readonly service: string;
  /** The API action, PascalCase (`PutItem`). */
  readonly action: string;
  readonly parameters: unknown;
  /** The error prefix: the aws-sdk one, or the optimized integration's (`DynamoDB`). */
  readonly errorPrefix?: string;
}

export interface SdkCallEnvironment extends ServiceEndpoints {
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: () => Date;
}

/** An error no Retry or Catch handles: the emulator cannot do what the state asks (it says so, and how to fix it). */
export function unsupported(message: string): StatesError {
  return new StatesError('Emulator.Unsupported', message);
}

/** Calls the API and resolves with its answer as the SDK gives it (JSON), or rejects with a StatesError. */
export async function callSdk(call: SdkCall, env: SdkCallEnvironment): Promise<Record<string, unknown>> {
  const protocol = SDK_SERVICES[call.service];
  if (!protocol) {
    throw unsupported(`aws-sdk:${call.service}:${call.action}: the emulator calls ${Object.keys(SDK_SERVICES).join(', ')}; run this task on AWS`);
  }
  const base = env.endpoints?.[protocol.endpoint] ?? env.endpointUrl;
  if (!base) {
    const backend = LOCAL_BACKEND_SERVICES.has(protocol.endpoint) ? ', or start one with --backends local' : '';
    throw unsupported(`${call.service}:${call.action}: no endpoint for ${protocol.endpoint}: give one with --endpoint ${protocol.endpoint}=URL or --endpoint-url URL (LocalApi options endpoints / endpointUrl)${backend}`);
  }
  const url = new URL(`${base.replace(/\/+$/, '')}/`);
  const headers: Record<string, string> = { Host: url.host };
  let body: string;
  if (protocol.json) {
    headers['X-Amz-Target'] = `${protocol.json.target}.${call.action}`;
    headers['Content-Type'] = protocol.json.contentType;
    body = JSON.stringify(call.parameters ?? {});
  } else {
    const form = new URLSearchParams({ Action: call.action, Version: protocol.query!.version });
    flattenQuery(call.parameters, '', form, protocol.query!.maps);
    headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    body = form.toString();
  }
  const result = await sendSigned({
    method: 'POST', url: url.href, headers, body: Buffer.from(body), service: protocol.endpoint, region: env.region,
    credentials: env.credentials, now: env.now(), timeoutMs: 60_000,
  });
  const prefix = call.errorPrefix ?? protocol.sdkPrefix;
  if (result.kind !== 'response') {
    throw new StatesError(`${prefix}.SdkClientException`, `Unable to execute HTTP request to ${protocol.endpoint} at ${url.href}: ${result.message}`);
  }
  const text = result.body.toString('utf8');
  const requestId = firstHeader(result.headers, 'x-amzn-requestid') ?? firstHeader(result.headers, 'x-amz-request-id') ?? randomUUID();
  if (result.statusCode >= 300) {
    const { code, message } = protocol.json ? jsonError(text) : xmlError(text);
    throw new StatesError(`${prefix}.${code}`, `${message} (Service: ${prefix}, Status Code: ${result.statusCode}, Request ID: ${requestId})`);
  }
  const answer = protocol.json ? (text ? JSON.parse(text) as Record<string, unknown> : {}) : xmlResult(text, call.action);
  return answer;
}

function firstHeader(headers: Record<string, string[]>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v[0];
  return undefined;
}

function jsonError(text: string): { code: string; message: string } {
  try {
    const e = JSON.parse(text) as Record<string, unknown>;
    const type = String(e.__type ?? e.code ?? 'UnknownError');
    return { code: type.replace(/^.*#/, ''), message: String(e.message ?? e.Message ?? text) };
  } catch {
    return { code: 'UnknownError', message: text.slice(0, 500) };
  }
}

function xmlError(text: string): { code: string; message: string } {
  const tag = (name: string): string | undefined => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1];
  return { code: tag('Code') ?? 'UnknownError', message: unescapeXml(tag('Message') ?? text.slice(0, 500)) };
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');
}

/** The query protocol's parameters: `A.B`, lists as `A.member.N`, maps as `A.entry.N.Name/Value`. */
function flattenQuery(value: unknown, prefix: string, form: URLSearchParams, maps: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => flattenQuery(v, `${prefix}.member.${i + 1}`, form, maps));
    return;
  }
  if (typeof value === 'object') {
    const key = prefix.replace(/^.*\./, '');
    if (maps.includes(key)) {
      Object.entries(value).forEach(([k, v], i) => {
        form.set(`${prefix}.entry.${i + 1}.Name`, k);
        flattenQuery(v, `${prefix}.entry.${i + 1}.Value`, form, maps);
      });
      return;
    }
    for (const [k, v] of Object.entries(value)) flattenQuery(v, prefix ? `${prefix}.${k}` : k, form, maps);
    return;
  }
  form.set(prefix, String(value));
}

/** The `<ActionResult>` element of a query-protocol answer as an object (elements with children nest). */
function xmlResult(text: string, action: string): Record<string, unknown> {
  const m = new RegExp(`<${action}Result>([\\s\\S]*?)</${action}Result>`).exec(text);
  return m ? xmlChildren(m[1]) as Record<string, unknown> : {};
}

function xmlChildren(xml: string): unknown {
  const out: Record<string, unknown> = {};
  const re = /<([A-Za-z][\w.-]*)(?:\s[^>]*)?>([\s\S]*?)<\/\1>|<([A-Za-z][\w.-]*)(?:\s[^>]*)?\/>/g;
  let found = false;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    found = true;
    const name = m[1] ?? m[3];
    const inner = m[2] ?? '';
    const value = /<[A-Za-z]/.test(inner) ? xmlChildren(inner) : unescapeXml(inner);
    if (name === 'member') {
      const list = (out.__list as unknown[]) ?? [];
      list.push(value);
      out.__list = list;
    } else out[name] = value;
  }
  if (!found) return unescapeXml(xml);
  return out.__list !== undefined ? out.__list : out;
}
