import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * The API both variants build: the same routes, paths, methods, CORS origin, cache settings and backing
 * resources. Only how the routes are written differs (bench/plain-api.ts vs bench/library-api.ts).
 */

export type RouteKind = 'lambda' | 'sqs' | 'dynamodb' | 'mock';

export interface RouteSpec {
  readonly index: number;
  readonly kind: RouteKind;
  /** `/r{i}/items/{id}`: every route has its own three resources, so resources grow with N. */
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly cached: boolean;
  /** Which of the 5 functions (Lambda routes). */
  readonly functionIndex: number;
  /** Which queue or table (one of each per 10 routes). */
  readonly backendIndex: number;
}

export const FUNCTION_COUNT = 5;
/** One queue and one table per ROUTES_PER_BACKEND routes, so each queue / table serves 2 routes. */
export const ROUTES_PER_BACKEND = 10;
export const ALLOWED_ORIGIN = 'https://app.example.com';
export const CACHE_TTL = Duration.minutes(5);

/**
 * The route mix, repeating every 10 routes: 40 % Lambda proxy (2 GET, 2 POST), 20 % SQS SendMessage
 * (POST), 20 % DynamoDB GetItem (GET), 20 % mock (GET). 6 of every 10 routes are GETs; half of them are
 * cached (one Lambda GET, one DynamoDB GET, one mock GET).
 */
export function routeSpecs(n: number): RouteSpec[] {
  const specs: RouteSpec[] = [];
  for (let i = 0; i < n; i++) {
    const slot = i % 10;
    const kind: RouteKind = slot < 4 ? 'lambda' : slot < 6 ? 'sqs' : slot < 8 ? 'dynamodb' : 'mock';
    const method = kind === 'sqs' || (kind === 'lambda' && slot % 2 === 1) ? 'POST' : 'GET';
    specs.push({
      index: i,
      kind,
      path: `/r${i}/items/{id}`,
      method,
      cached: slot === 0 || slot === 6 || slot === 8,
      // The n-th Lambda route calls function n mod 5, so every function serves many routes.
      functionIndex: (Math.floor(i / 10) * 4 + slot) % FUNCTION_COUNT,
      backendIndex: Math.floor(i / ROUTES_PER_BACKEND),
    });
  }
  return specs;
}

export interface Backends {
  readonly functions: lambda.Function[];
  readonly queues: sqs.Queue[];
  readonly tables: dynamodb.Table[];
}

/** The backing resources, identical in both variants: 5 functions, ceil(N/10) queues and tables. */
export function createBackends(stack: Stack, n: number): Backends {
  const functions: lambda.Function[] = [];
  for (let f = 0; f < FUNCTION_COUNT; f++) {
    functions.push(new lambda.Function(stack, `Fn${f}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
    }));
  }
  const queues: sqs.Queue[] = [];
  const tables: dynamodb.Table[] = [];
  const backends = Math.ceil(n / ROUTES_PER_BACKEND);
  for (let b = 0; b < backends; b++) {
    queues.push(new sqs.Queue(stack, `Queue${b}`));
    tables.push(new dynamodb.Table(stack, `Table${b}`, {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    }));
  }
  return { functions, queues, tables };
}
