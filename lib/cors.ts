import { Duration } from 'aws-cdk-lib';

/** Cross-origin (CORS) settings for a route, or for every route of an API through `ApiCors`. */
export interface CorsOptions {
  /**
   * Origins browsers may call from, each `scheme://host[:port]` with no path, or the single entry `*`.
   * Several origins are answered by reflecting the caller's Origin when it is one of them (with
   * `Vary: Origin`), since the header can only carry one origin.
   */
  readonly allowOrigins: string[];
  /**
   * Request headers browsers may send.
   * @default ['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Api-Key', 'X-Amz-Security-Token']
   */
  readonly allowHeaders?: string[];
  /**
   * Whether browsers may send cookies or HTTP authentication. Cannot be combined with origin `*`.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * Response headers browser scripts may read.
   * @default - none beyond the CORS-safelisted headers
   */
  readonly exposeHeaders?: string[];
  /**
   * How long browsers may cache a preflight answer.
   * @default - no Access-Control-Max-Age header: browsers use their own default (5 s in Chromium)
   */
  readonly maxAge?: Duration;
  /**
   * The status code of the preflight (OPTIONS) answer.
   * @default 204
   */
  readonly statusCode?: number;
}
