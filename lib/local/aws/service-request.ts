/**
 * The request API Gateway sends for an `AWS` service integration, as a plain value: the service and
 * what the Uri asks of it (`action/{Action}` or `path/{path}`), the endpoint the emulator was given
 * for that service, the rendered body, the mapped headers and query, and (for action integrations of
 * JSON-protocol services) the `X-Amz-Target` and content type API Gateway adds. Signing is
 * ./sigv4.ts; sending is ../integration/http-send.ts.
 */
import { substituteStageVariables } from '../integration/http-request';

/** What an AWS integration Uri names. */
export interface ServiceTarget {
  readonly region: string;
  /** The signing name (`sqs`, `dynamodb`, `states`, ...); a subdomain (`bucket.s3`) is dropped. */
  readonly service: string;
  readonly action?: string;
  /** Extra query parameters after the action (`action/Publish&Version=2010-03-31`). */
  readonly actionParameters?: Array<[string, string]>;
  readonly path?: string;
}

export function serviceTargetOfUri(uri: string): ServiceTarget | undefined {
  const m = /^arn:aws[a-z-]*:apigateway:([^:]*):([^:]+):(action|path)\/(.*)$/s.exec(uri);
  if (!m) return undefined;
  const service = m[2].replace(/^.*\./, '');
  if (m[3] === 'path') return { region: m[1], service, path: m[4] };
  const [action, ...rest] = m[4].split('&');
  return { region: m[1], service, action, actionParameters: rest.map((p) => p.split('=') as [string, string]).map(([k, v]) => [k, v ?? '']) };
}

/** JSON-protocol services: the X-Amz-Target prefix and content type their action calls take. */
export const JSON_PROTOCOL: Record<string, { readonly target: string; readonly contentType: string }> = {
  dynamodb: { target: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' },
  kinesis: { target: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
  states: { target: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  events: { target: 'AWSEvents', contentType: 'application/x-amz-json-1.1' },
  logs: { target: 'Logs_20140328', contentType: 'application/x-amz-json-1.1' },
  firehose: { target: 'Firehose_20150804', contentType: 'application/x-amz-json-1.1' },
};

/** Where the emulator sends each service's requests. */
export interface ServiceEndpoints {
  /** Service name → base URL (`--endpoint sqs=http://127.0.0.1:9324`). */
  readonly endpoints?: Record<string, string>;
  /** One URL for every service (`--endpoint-url http://127.0.0.1:4566`, e.g. LocalStack). */
  readonly endpointUrl?: string;
}

export interface ServiceRequestInput {
  readonly uri: string;
  readonly httpMethod: string;
  readonly stageVariables: Record<string, string>;
  /** `integration.request.{header,querystring,path}.*` values. */
  readonly mapped: { readonly header: Record<string, string>; readonly querystring: Record<string, string>; readonly path: Record<string, string> };
  readonly body: Buffer;
}

export interface ServiceRequest {
  readonly target: ServiceTarget;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The request, or why there is none (a message that names what to give). */
export function buildServiceRequest(input: ServiceRequestInput, endpoints: ServiceEndpoints): ServiceRequest | { readonly failure: string } {
  const uri = substituteStageVariables(input.uri, input.stageVariables);
  const target = serviceTargetOfUri(uri);
  if (!target) return { failure: `AWS integration Uri ${uri} names no service action or path` };
  const base = endpoints.endpoints?.[target.service] ?? endpoints.endpointUrl;
  if (!base) {
    return { failure: `no endpoint for ${target.service} (${target.action ? `action ${target.action}` : `path ${target.path}`}): give one with --endpoint ${target.service}=URL or --endpoint-url URL (LocalApi options endpoints / endpointUrl)` };
  }
  let path = target.path ?? '';
  const missing: string[] = [];
  path = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = input.mapped.path[name];
    if (v === undefined) missing.push(name);
    return encodeURIComponent(v ?? '');
  });
  if (missing.length > 0) return { failure: `Uri path uses {${missing.join('}, {')}} with no integration.request.path mapping` };
  const url = new URL(`${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  const headers: Record<string, string> = { ...input.mapped.header };
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  if (target.action) {
    const json = JSON_PROTOCOL[target.service];
    if (json) {
      if (!has('X-Amz-Target')) headers['X-Amz-Target'] = `${json.target}.${target.action}`;
      if (!has('Content-Type')) headers['Content-Type'] = json.contentType;
    } else {
      url.searchParams.set('Action', target.action);
      for (const [k, v] of target.actionParameters ?? []) url.searchParams.set(k, v);
    }
  }
  for (const [k, v] of Object.entries(input.mapped.querystring)) url.searchParams.set(k, v);
  // Query-protocol services (SQS, SNS) answer API Gateway in JSON ({"SendMessageResponse": ...}, as the
  // console's test shows and response templates read): they do so for `Accept: application/json`, so a
  // local implementation (ElasticMQ, LocalStack) is asked the same way unless the route maps its own.
  if (!has('Accept')) headers.Accept = 'application/json';
  headers.Host = url.host;
  return { target, method: input.httpMethod.toUpperCase(), url: url.href, headers, body: input.body };
}
