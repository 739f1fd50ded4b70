import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { RouteAuthorization } from './authorization';
import { RouteCache } from './caching';
import { CorsOptions } from './cors';
import { RequestValidation } from './request-validation';

/** Options every route takes, whatever its backend. */
export interface RouteOptions {
  /**
   * Who may call the route.
   * @default - the RestApi's defaultMethodOptions, otherwise open to anyone
   */
  readonly authorization?: RouteAuthorization;
  /**
   * Whether callers must send an API key of a usage plan that covers the stage.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * Parameters and body checked by API Gateway before the backend is called.
   * @default - no validation beyond the path parameters
   */
  readonly requestValidation?: RequestValidation;
  /**
   * Cache responses of this route in the stage's cache cluster.
   * @default - not cached
   */
  readonly cache?: RouteCache;
  /**
   * CORS for browser clients: a preflight OPTIONS answer on the route's resource and CORS headers on the
   * API's 4XX/5XX gateway responses.
   * @default - the API's `ApiCors` settings if it has them, otherwise no CORS
   */
  readonly cors?: CorsOptions;
  /**
   * Operation name for SDKs generated from the API (the operation's `operationId` in `ApiDocument`).
   * @default - none
   */
  readonly operationName?: string;
  /**
   * What the route does, for the people who call it: the operation's `description` in the API's
   * OpenAPI document (`ApiDocument`).
   * @default - none
   */
  readonly description?: string;
  /**
   * Descriptions of the route's parameters for the OpenAPI document, keyed by where and name:
   * `path:orderId`, `query:limit`, `header:X-Session-Id`.
   * @default - none
   */
  readonly parameterDescriptions?: { [parameter: string]: string };
}

/** Where a route lives: one path and method on one RestApi. */
export interface RouteLocation {
  /** The REST API the route is added to (a new one or any RestApi you already have). */
  readonly api: apigw.IRestApi;
  /**
   * The resource path, starting with `/`: `/orders`, `/orders/{orderId}`, `/files/{proxy+}`, or `/`.
   */
  readonly path: string;
  /** The HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY. */
  readonly method: string;
}
