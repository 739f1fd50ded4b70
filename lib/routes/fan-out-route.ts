import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FanOutBranch } from '../fan-out-branch';
import {
  bindWorkflowStep,
  checkStateMachineName,
  expressStateMachine,
  ExpressWorkflowOptions,
  startSyncIntegration,
  workflowAnswers,
  workflowSeconds,
} from '../internal/express-workflow';
import { FanOutInput } from '../internal/fan-out-binding';
import { ServiceRouteInfo } from '../internal/service-binding';
import { CAUGHT_ERROR_NAME, jsonata } from '../templates/fan-out-jsonata';
import { BRANCH_ERROR_PREFIX, BRANCH_NAME, FAN_OUT_WORDING, startSyncExecutionTemplate } from '../templates/fan-out-templates';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { FAN_OUT_ROUTE_PROPS } from '../internal/route-prop-specs';

/** What a failed branch does to the answer. */
export enum FanOutFailurePolicy {
  /**
   * The request fails: 502 with `{"message", "branch": "<name>", "code": "<error name>", "requestId"}`
   * naming the first branch that failed; the other branches are stopped. The code is the error's name
   * (e.g. `States.Timeout`) when it is a plain name (letters, digits, `_ . -`), else `Unknown`; never its cause.
   */
  FAIL_REQUEST = 'FAIL_REQUEST',
  /**
   * The request answers 200 with the other branches' values, and in the failed branch's place
   * `{"error": {"branch": "<name>", "code": "<error name>"}}`, the code as for FAIL_REQUEST.
   */
  PARTIAL_RESULTS = 'PARTIAL_RESULTS',
}

/** Props of a `FanOutRoute`. */
export interface FanOutRouteProps extends RouteBaseProps, ExpressWorkflowOptions {
  /**
   * The backends, called in parallel, by name: each name is a key of the answer, e.g.
   * `{ user: FanOutBranch.dynamoDbGetItem(...), orders: FanOutBranch.lambdaInvoke(fn) }`. Names are a letter or
   * `_` followed by up to 63 letters, digits or `_`, unique regardless of case.
   */
  readonly branches: { [name: string]: FanOutBranch };
  /**
   * What a failed branch does to the answer.
   * @default FanOutFailurePolicy.FAIL_REQUEST
   */
  readonly failurePolicy?: FanOutFailurePolicy;
}

/**
 * One request, several backends in parallel, one JSON answer: `{"<branch>": <value>, ...}`. The route
 * builds a Step Functions Express state machine (a Parallel state with one branch per entry, then a Pass
 * state merging the branches' values into one object) that API Gateway runs with StartSyncExecution,
 * without a glue Lambda. API Gateway's role may only StartSyncExecution this machine; the machine's role
 * only each branch's exact action on its exact resource.
 */
export class FanOutRoute extends RouteBase {
  /** The Express state machine that runs the branches. */
  public readonly stateMachine: sfn.StateMachine;
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: FanOutRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, FAN_OUT_ROUTE_PROPS);
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    const branches = this.checkBranches(props.branches);
    const policy = props.failurePolicy ?? FanOutFailurePolicy.FAIL_REQUEST;
    if (!Object.values(FanOutFailurePolicy).includes(policy)) {
      fail(`failurePolicy '${policy}' is not one of ${Object.values(FanOutFailurePolicy).join(', ')}`);
    }
    const total = workflowSeconds(this._name, props.timeout, props.allowTimeoutOverLimit);
    checkStateMachineName(this._name, props.stateMachineName);

    const input = new FanOutInput(this._name, this._parsedPath.parameters);
    const routeInfo: ServiceRouteInfo = {
      route: this._name, scope: this, httpMethod: this.httpMethod, pathParameters: this._parsedPath.parameters, api: this.api,
    };
    // Names with spaces cannot collide with a branch's states, which are named after the branch.
    const parallel = sfn.Parallel.jsonata(this, 'Parallel', { stateName: 'Fan out' });
    const extraStatements: iam.PolicyStatement[] = [];
    for (const [name, branch] of branches) {
      const branchScope = new Construct(this, `Branch-${name}`);
      const failure = policy === FanOutFailurePolicy.FAIL_REQUEST
        ? sfn.Fail.jsonata(branchScope, 'Failed', {
          stateName: `${name}.failed`,
          error: `${BRANCH_ERROR_PREFIX}${name}`,
          // Only the error's name: its cause can hold stack traces and ARNs.
          cause: jsonata(CAUGHT_ERROR_NAME),
        })
        : sfn.Succeed.jsonata(branchScope, 'Failed', {
          stateName: `${name}.failed`,
          outputs: { [name]: { error: { branch: name, code: jsonata(CAUGHT_ERROR_NAME) } } },
        });
      const bound = bindWorkflowStep(branch, {
        route: this._name, name, where: `${this._name}: branch '${name}'`, scope: branchScope, routeInfo, input, failure, total,
      });
      extraStatements.push(...bound.policyStatements);
      parallel.branch(bound.start);
    }
    // Each branch answers {"<name>": value}: merging the array of them gives the answer.
    const merge = sfn.Pass.jsonata(this, 'Merge', { stateName: 'Merge results', outputs: jsonata('$merge($states.input)') });

    this.stateMachine = expressStateMachine(this._name, this, parallel.next(merge), total, `Fan-out of ${this.httpMethod} ${this.path}`, props);
    for (const statement of extraStatements) this.stateMachine.addToRolePolicy(statement);

    this._context.grantToIntegrations(['states:StartSyncExecution'], [this.stateMachine.stateMachineArn]);
    const { integrationResponses, methodResponses } = workflowAnswers(FAN_OUT_WORDING, this._corsAnswerParts());
    this.method = this._addMethod(startSyncIntegration(
      this._context.integrationRole,
      startSyncExecutionTemplate(this.stateMachine.stateMachineArn, input.spec()),
      integrationResponses, this._cacheKeyParameters, total,
    ), methodResponses);
  }

  private checkBranches(branches: { [name: string]: FanOutBranch } | undefined): Array<[string, FanOutBranch]> {
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    if (!branches || typeof branches !== 'object') {
      throw new Error(`${this._name}: branches is required: name each backend, e.g. { user: FanOutBranch.dynamoDbGetItem(table, {...}) }`);
    }
    const entries = Object.entries(branches);
    if (entries.length === 0) fail('branches is empty: a fan-out needs at least one branch, e.g. { user: FanOutBranch.lambdaInvoke(fn) }');
    const seen = new Map<string, string>();
    for (const [name, branch] of entries) {
      if (!BRANCH_NAME.test(name)) {
        fail(`branch name '${name}' is not allowed: names become JSON keys and state names, so use a letter or _ ` +
          'followed by up to 63 letters, digits or _ (e.g. userProfile)');
      }
      const other = seen.get(name.toLowerCase());
      if (other) fail(`branch names '${other}' and '${name}' differ only in case: name them apart, since clients may read keys case-insensitively`);
      seen.set(name.toLowerCase(), name);
      if (!(branch instanceof FanOutBranch)) fail(`branch '${name}' is not a FanOutBranch: use e.g. FanOutBranch.lambdaInvoke(fn)`);
    }
    return entries;
  }
}
