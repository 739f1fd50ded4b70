import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FanOutBranch } from '../fan-out-branch';
import { Field, FieldSource } from '../field';
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
import { CAUGHT_ERROR_NAME, jsonata, jsonataString } from '../templates/fan-out-jsonata';
import { BRANCH_NAME, startSyncExecutionTemplate, WorkflowErrorWording } from '../templates/fan-out-templates';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { CONTENT_BASED_ROUTE_PROPS } from '../internal/route-prop-specs';

/** One case of a `ContentBasedRoute`: requests whose selected value is `value` go to `target`. */
export interface ContentCase {
  /** The exact value (compared as text, case-sensitive), e.g. `urgent`. */
  readonly value: string;
  /**
   * Where matching requests go: any FanOutBranch, e.g. `FanOutBranch.lambdaInvoke(fn)` or
   * `FanOutBranch.awsSdk({ service: 'sqs', action: 'sendMessage', ... })`.
   */
  readonly target: FanOutBranch;
  /**
   * The case's name: the `routedTo` of the answer and the state's name.
   * @default - the value, which must then be a letter or _ followed by letters, digits or _
   */
  readonly name?: string;
}

/** Props of a `ContentBasedRoute`. */
export interface ContentBasedRouteProps extends RouteBaseProps, ExpressWorkflowOptions {
  /**
   * The request value that picks the target, e.g. `Field.body('$.type')` or `Field.header('X-Priority')`.
   * A missing value is `""`, which matches no case, so such requests go to `defaultTarget`.
   */
  readonly selector: Field;
  /** The cases, tried in order; values must be unique. */
  readonly cases: ContentCase[];
  /** Where requests matching no case go. */
  readonly defaultTarget: FanOutBranch;
}

const CONTENT_WORDING: WorkflowErrorWording = {
  errorPrefix: 'ContentRoute.',
  failedMessage: 'The target of the request failed',
  nameKey: 'target',
  timeoutMessage: 'The request did not finish in time',
  otherMessage: 'The request failed',
};
const DEFAULT_NAME = 'default';

/**
 * One method routed to different targets by a value of the request: a JSON body field, a header or a
 * query parameter (e.g. `type` "urgent" to a priority queue, "batch" to a batch queue, anything else to
 * a function). It builds a Step Functions Express state machine with a Choice state, run with
 * StartSyncExecution straight from API Gateway, and answers `{"routedTo": "<case>", "result": <the
 * target's value>}`; a failed target answers 502 `{"message", "target", "code", "requestId"}`.
 *
 * Why a state machine and not one mapping template with `#if` and request overrides: an integration has
 * one URI, so one template can switch between resources of one service (queue A or queue B through a path
 * override) but never between services, so "anything else to a Lambda function" is impossible there; and
 * its IAM role would need every target's action on every target. The Choice state handles any mix of
 * targets, each with exactly its own permission, at the cost of one Express execution per request.
 */
export class ContentBasedRoute extends RouteBase {
  /** The Express state machine that routes the request. */
  public readonly stateMachine: sfn.StateMachine;
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: ContentBasedRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, CONTENT_BASED_ROUTE_PROPS);
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    if (!(props.selector instanceof Field)) fail("selector is required: the request value that picks the target, e.g. Field.body('$.type')");
    if (props.selector._source === FieldSource.BODY_JSON) fail('selector must be a text value: use Field.body, not Field.bodyJson');
    if (props.selector._source === FieldSource.LITERAL) fail('selector is a literal, which would always pick the same target: select a request value');
    if (!(props.defaultTarget instanceof FanOutBranch)) fail('defaultTarget is required: where requests matching no case go, e.g. FanOutBranch.lambdaInvoke(fn)');
    const cases = this.checkCases(props.cases);
    const total = workflowSeconds(this._name, props.timeout, props.allowTimeoutOverLimit);
    checkStateMachineName(this._name, props.stateMachineName);

    const input = new FanOutInput(this._name, this._parsedPath.parameters);
    const selected = input.field(props.selector);
    const routeInfo: ServiceRouteInfo = {
      route: this._name, scope: this, httpMethod: this.httpMethod, pathParameters: this._parsedPath.parameters, api: this.api,
    };
    const extraStatements: iam.PolicyStatement[] = [];
    // Each target answers {"<case>": value}; the final state turns that into {"routedTo", "result"}.
    const answer = sfn.Pass.jsonata(this, 'Answer', {
      stateName: 'Answer',
      outputs: jsonata('($k := $keys($states.input)[0]; {"routedTo": $k, "result": $lookup($states.input, $k)})'),
    });
    const bind = (name: string, target: FanOutBranch): sfn.IChainable => {
      const caseScope = new Construct(this, `Case-${name}`);
      const failure = sfn.Fail.jsonata(caseScope, 'Failed', {
        stateName: `${name}.failed`,
        error: `${CONTENT_WORDING.errorPrefix}${name}`,
        // Only the error's name: its cause can hold stack traces and ARNs.
        cause: jsonata(CAUGHT_ERROR_NAME),
      });
      const bound = bindWorkflowStep(target, {
        route: this._name, name, where: `${this._name}: case '${name}'`, scope: caseScope, routeInfo, input, failure, total,
      });
      extraStatements.push(...bound.policyStatements);
      return bound.start;
    };
    // State names with a space cannot collide with the cases' states, which are named after the cases.
    const choice = sfn.Choice.jsonata(this, 'Choice', { stateName: 'Route by content' });
    for (const c of cases) {
      choice.when(sfn.Condition.jsonata(jsonata(`${selected} = ${jsonataString(c.value)}`)), bind(c.name, c.target));
    }
    choice.otherwise(bind(DEFAULT_NAME, props.defaultTarget));
    choice.afterwards().next(answer);
    const definition = sfn.Chain.start(choice);

    this.stateMachine = expressStateMachine(this._name, this, definition, total,
      `Content-based routing of ${this.httpMethod} ${this.path}`, props);
    for (const statement of extraStatements) this.stateMachine.addToRolePolicy(statement);

    this._context.grantToIntegrations(['states:StartSyncExecution'], [this.stateMachine.stateMachineArn]);
    const { integrationResponses, methodResponses } = workflowAnswers(CONTENT_WORDING, this._corsAnswerParts());
    this.method = this._addMethod(startSyncIntegration(
      this._context.integrationRole,
      startSyncExecutionTemplate(this.stateMachine.stateMachineArn, input.spec()),
      integrationResponses, this._cacheKeyParameters, total,
    ), methodResponses);
  }

  private checkCases(cases: ContentCase[] | undefined): Array<{ name: string; value: string; target: FanOutBranch }> {
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    if (!Array.isArray(cases) || cases.length === 0) {
      fail("cases is empty: route at least one value, e.g. [{ value: 'urgent', target: FanOutBranch.lambdaInvoke(fn) }]");
    }
    const values = new Set<string>();
    const names = new Map<string, string>([[DEFAULT_NAME, 'defaultTarget']]);
    return cases!.map((c, i) => {
      if (!c || typeof c.value !== 'string') fail(`case ${i} has no value: give the text that selects it`);
      if (values.has(c.value)) fail(`the value '${c.value}' is listed twice: each value selects one target`);
      values.add(c.value);
      const name = c.name ?? c.value;
      if (!BRANCH_NAME.test(name)) {
        fail(`case '${c.value}' needs a name: names become the answer's routedTo and state names, so use a letter or _ ` +
          'followed by up to 63 letters, digits or _ (give name: ... when the value is not such a name)');
      }
      const other = names.get(name.toLowerCase());
      if (other) fail(`case name '${name}' is already used by ${other}: give each case its own name (regardless of case; 'default' is the default target's)`);
      names.set(name.toLowerCase(), `case '${c.value}'`);
      if (!(c.target instanceof FanOutBranch)) fail(`case '${c.value}' has no target: use e.g. FanOutBranch.lambdaInvoke(fn)`);
      return { name, value: c.value, target: c.target };
    });
  }
}
