import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiContext } from './api-context';
import { CorsOptions } from './cors';
import { checkProps } from './internal/prop-checks';
import { resolveCors } from './internal/resolved-cors';
import { API_CORS_PROPS } from './internal/route-prop-specs';

/** Props of `ApiCors`. */
export interface ApiCorsProps extends CorsOptions {
  /** The API whose routes get these CORS settings. */
  readonly api: apigw.IRestApi;
}

/**
 * CORS for every route of an API: each route created after it (that sets no `cors` of its own) gets a
 * preflight on its resource, and the API's DEFAULT_4XX/5XX gateway responses carry CORS headers so that
 * 401, 403, 429 and 5xx answers reach browser code. Create it before the routes.
 */
export class ApiCors extends Construct {
  constructor(scope: Construct, id: string, props: ApiCorsProps) {
    super(scope, id);
    const name = `ApiCors ${this.node.path}`;
    checkProps(name, props, API_CORS_PROPS);
    const context = ApiContext.of(props.api);
    if (context.apiCors) throw new Error(`${name}: the API already has an ApiCors: keep one per API`);
    if (context.routeCount > 0) {
      throw new Error(`${name}: created after ${context.routeCount} route(s) of the API: create ApiCors before the routes ` +
        'so that every route gets it');
    }
    context.apiCors = resolveCors(name, props);
    context.ensureCorsGatewayResponses();
  }
}
