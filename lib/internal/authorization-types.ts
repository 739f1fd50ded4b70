import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';

/** How a route authorizes callers, resolved against one RestApi. */
export interface BoundAuthorization {
  readonly authorizationType: apigw.AuthorizationType;
  readonly authorizer?: apigw.IAuthorizer;
  readonly authorizationScopes?: string[];
}

/** The per-API authorizer cache a RouteAuthorization binds through. */
export interface AuthorizerRegistry {
  /** Returns the authorizer registered under `key` for this API, creating it with `create` once. */
  authorizer(key: string, create: (scope: Construct, id: string) => apigw.IAuthorizer): apigw.IAuthorizer;
}

