import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The origins the example browser front end is served from. Two origins, so the examples show origin
 * reflection (the preflight and the functions answer with the caller's Origin when it is one of these).
 */
export const FRONT_END_ORIGINS = ['https://app.example.com', 'https://admin.example.com'];

/** The request headers the example front end sends (scenario 9). */
export const FRONT_END_HEADERS = ['Content-Type', 'Authorization'];

/**
 * JavaScript shared by the proxy handlers: JSON replies that carry the CORS headers themselves, since API
 * Gateway adds nothing to a Lambda proxy response. The caller's Origin is reflected only when it is one
 * of ALLOWED_ORIGINS (set from the same list the API's CORS settings use).
 */
const PROXY_PRELUDE = `
const ALLOWED_ORIGINS = (process.env.ALLOWED_ORIGINS || '').split(',').filter(Boolean);
function header(event, name) {
  const entry = Object.entries(event.headers || {}).find(([k]) => k.toLowerCase() === name);
  return entry ? entry[1] : undefined;
}
function reply(event, statusCode, body) {
  const origin = header(event, 'origin');
  const headers = { 'Content-Type': 'application/json' };
  if (ALLOWED_ORIGINS.length > 0) {
    headers['Access-Control-Allow-Origin'] = ALLOWED_ORIGINS.includes(origin) ? origin : ALLOWED_ORIGINS[0];
    headers['Vary'] = 'Origin';
  }
  return { statusCode, headers, body: JSON.stringify(body) };
}
`;

/** Props of `exampleFunction`. */
export interface ExampleFunctionProps {
  /** What the function does (the Lambda description). */
  readonly description: string;
  /** The body of `index.js` after the shared prelude; it must set `exports.handler`. */
  readonly handlerCode: string;
  /**
   * Origins the function's replies allow (sets ALLOWED_ORIGINS). Give the API's CORS origins for a
   * proxy handler on a CORS route.
   * @default - no CORS headers on replies
   */
  readonly allowedOrigins?: string[];
  /** Whether to prepend the proxy `reply()` helper. @default true */
  readonly proxyPrelude?: boolean;
}

/**
 * A small Node.js function with inline code and the settings a careful user gives one: the latest
 * runtime, arm64, a short timeout, its own log group with a retention period, and a role that may write
 * to that log group and nothing else (instead of the AWSLambdaBasicExecutionRole managed policy, which
 * allows writing to every log group of the account).
 */
export function exampleFunction(scope: Construct, id: string, props: ExampleFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `${props.description}: writes to its own log group only`,
  });
  logGroup.grantWrite(role);
  const prelude = props.proxyPrelude === false ? '' : PROXY_PRELUDE;
  const code = `'use strict';${prelude}${props.handlerCode}`;
  return new lambda.Function(scope, id, {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_26_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(code),
    memorySize: 256,
    timeout: Duration.seconds(10),
    logGroup,
    role,
    environment: props.allowedOrigins ? { ALLOWED_ORIGINS: props.allowedOrigins.join(',') } : undefined,
  });
}
