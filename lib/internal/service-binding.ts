import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';

/** What a service action learns about the route it is bound to. */
export interface ServiceRouteInfo {
  /** The route's name for error messages ("Route Stack/Enqueue"). */
  readonly route: string;
  /** The route construct, as a scope for anything the action must create (e.g. a model). */
  readonly scope: Construct;
  /** The route's HTTP method, upper case. */
  readonly httpMethod: string;
  /** The route's path parameters, in order. */
  readonly pathParameters: string[];
  /** The API the route is on. */
  readonly api: apigw.IRestApi;
}

/** An IAM grant the API's integration role needs: exact actions on exact resources. */
export interface ServiceGrant {
  readonly actions: string[];
  readonly resources: string[];
}

/** Everything a service action contributes to its route's integration and method. */
export interface ServiceBinding {
  /** AwsIntegration target: service name, and either `action` or `path`. */
  readonly service: string;
  readonly action?: string;
  readonly path?: string;
  readonly subdomain?: string;
  /** @default 'POST' */
  readonly integrationHttpMethod?: string;
  /** Static or mapped integration request parameters (Content-Type, X-Amz-Target, S3 path parts ...). */
  readonly requestParameters?: { [param: string]: string };
  /** Method request parameters the action needs declared (e.g. `method.request.header.Content-Type`). */
  readonly methodRequestParameters?: { [param: string]: boolean };
  /** Request templates by content type; every request value in them is escaped. */
  readonly requestTemplates?: { [contentType: string]: string };
  /** @default PassthroughBehavior.NEVER */
  readonly passthroughBehavior?: apigw.PassthroughBehavior;
  readonly contentHandling?: apigw.ContentHandling;
  /**
   * Integration responses, success first. Templates are JSON; the route adds CORS headers and
   * declares matching method responses.
   */
  readonly responses: ServiceResponse[];
  /**
   * Statuses a response template sets through `$context.responseOverride.status` (e.g. 500 for a failed
   * execution answered with 200 by the service): the route declares a method response for each.
   * @default - none
   */
  readonly overrideStatusCodes?: number[];
  /** What the integration role must be allowed to do. */
  readonly grants: ServiceGrant[];
  /**
   * The templates above that the user wrote (`ServiceAction.custom`), which the route parses at synth.
   * @default - none: every template is the library's
   */
  readonly userTemplates?: UserServiceTemplate[];
}

/** A template of a binding that the user wrote (application/json), for the route to check. */
export interface UserServiceTemplate {
  /** The option that holds it, e.g. "ServiceAction.custom requestTemplate". */
  readonly option: string;
  /** The user's text, as given. */
  readonly template: string;
  /** The template of the success (default) response; otherwise the request template. */
  readonly successResponse: boolean;
}

/** One integration response of a service action, with the method response it implies. */
export interface ServiceResponse {
  readonly statusCode: number;
  /** Java regex on the backend status code; none for the default response. */
  readonly selectionPattern?: string;
  /** The JSON response template. */
  readonly template?: string;
  /** Response headers: `method.response.header.X` → mapping expression or static value. */
  readonly headers?: { [header: string]: string };
  readonly contentHandling?: apigw.ContentHandling;
  /**
   * The backend's body passes through untouched (e.g. an S3 object, possibly binary): the route must not
   * give this response a template, so it refuses CORS settings that need one (origin reflection).
   * @default false
   */
  readonly passthroughBody?: boolean;
}
