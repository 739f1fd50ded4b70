import { NestedStack, NestedStackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct, IConstruct } from 'constructs';
import { ApiContext } from './api-context';

/** Props of an `ApiNestedStack`. */
export interface ApiNestedStackProps extends NestedStackProps {
  /** The REST API whose routes the nested stack holds. */
  readonly api: apigw.RestApi;
}

/**
 * A nested stack for routes of a large API: routes created in it (`new LambdaProxyRoute(nested, ...)`)
 * put their methods, resources and OPTIONS preflights in it, so an API can outgrow the 500 resources and
 * 1 MB of one CloudFormation stack. The API, its deployment and stage, authorizers, validators, the
 * integration role and Lambda permissions stay in the API's stack; the deployment depends on every
 * nested stack and changes whenever a method in one changes. A path segment lives in the first stack
 * that needs it and is referenced from the others.
 */
export class ApiNestedStack extends NestedStack {
  /** The nested stack that holds `scope`'s routes of `api`, if `scope` is in one. @internal */
  public static _of(scope: IConstruct, api: apigw.IRestApi): ApiNestedStack | undefined {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if (c instanceof ApiNestedStack) {
        if (c.api !== api) {
          throw new Error(`${scope.node.path}: the route is in ApiNestedStack ${c.node.path}, which holds routes of ` +
            `${c.api.node.path}, not ${api.node.path}: create the route in a nested stack of its own API`);
        }
        return c;
      }
    }
    return undefined;
  }

  /** The API whose routes this stack holds. */
  public readonly api: apigw.RestApi;
  /** The API as seen from inside this stack (its id and root resource id are parameters). */
  public readonly importedApi: apigw.IRestApi;

  constructor(scope: Construct, id: string, props: ApiNestedStackProps) {
    super(scope, id, props);
    if (!(props.api instanceof apigw.RestApi)) throw new Error(`ApiNestedStack ${this.node.path}: api must be an apigateway RestApi`);
    this.api = props.api;
    this.importedApi = apigw.RestApi.fromRestApiAttributes(this, 'Api', {
      restApiId: props.api.restApiId,
      rootResourceId: props.api.restApiRootResourceId,
    });
    ApiContext.of(props.api).registerNestedStack(this);
  }
}

/** Props of `ApiNestedStacks`. */
export interface ApiNestedStacksProps {
  /** The REST API whose routes the nested stacks hold. */
  readonly api: apigw.RestApi;
  /**
   * Routes per nested stack. A route takes up to 5 resources (its method, an OPTIONS preflight and up to
   * three new path segments) and a DynamoDB route's method about 12 KB of template, so 75 routes stay
   * within 80 % of CloudFormation's 500 resources and 1 MB.
   * @default 75
   */
  readonly routesPerStack?: number;
}

/**
 * Spreads routes over as many `ApiNestedStack`s as they need: create each route in
 * `stacks.scopeForNextRoute()`, and a new nested stack starts every `routesPerStack` routes.
 */
export class ApiNestedStacks extends Construct {
  /** The nested stacks created so far. */
  public readonly stacks: ApiNestedStack[] = [];
  private readonly api: apigw.RestApi;
  private readonly routesPerStack: number;
  private routes = 0;

  constructor(scope: Construct, id: string, props: ApiNestedStacksProps) {
    super(scope, id);
    const perStack = props.routesPerStack ?? 75;
    if (!Number.isInteger(perStack) || perStack < 1 || perStack > 400) {
      throw new Error(`ApiNestedStacks ${this.node.path}: routesPerStack ${perStack} must be a whole number from 1 to 400`);
    }
    this.api = props.api;
    this.routesPerStack = perStack;
  }

  /** The nested stack to create the next route in (one call per route). */
  public scopeForNextRoute(): ApiNestedStack {
    const index = Math.floor(this.routes / this.routesPerStack);
    this.routes++;
    if (!this.stacks[index]) this.stacks.push(new ApiNestedStack(this, `Routes${index + 1}`, { api: this.api }));
    return this.stacks[index];
  }
}
