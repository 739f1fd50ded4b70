import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { Field } from '../field';
import { ExecutionInputSpec } from '../templates/fan-out-templates';
import { jsonata, jsonataString, lookup } from '../templates/fan-out-jsonata';
import { HEADER_NAME } from './names';
import { ServiceRouteInfo } from './service-binding';

/**
 * The execution input of a fan-out, collected while its branches are bound: which headers and request
 * values (Fields) the branches read. Each branch gets a JSONata reference into the input; the route
 * then writes exactly those values into its request template.
 */
export class FanOutInput {
  private readonly headerNames: string[] = [];
  private readonly fields: Array<{ key: string; field: Field }> = [];

  constructor(private readonly route: string, private readonly pathParameters: string[]) {}

  /** A JSONata expression for the text of `field` (a string; `""` when the request lacks it). */
  public field(field: Field): string {
    if (!(field instanceof Field)) throw new Error(`${this.route}: pass a Field, e.g. Field.path('id')`);
    // Checked now, so a path Field naming a parameter the route lacks fails naming the route.
    field._expression(this.route, this.pathParameters);
    let entry = this.fields.find((f) => f.field._source === field._source && f.field._name === field._name);
    if (!entry) {
      entry = { key: `f${this.fields.length}`, field };
      this.fields.push(entry);
    }
    return `$states.input.fields.${entry.key}`;
  }

  /** Adds request headers to the input; returns them as a JSONata object constructor `{"Name": <value>}`. */
  public headers(names: string[] | undefined, owner: string): string {
    if (names !== undefined && !Array.isArray(names)) throw new Error(`${this.route}: ${owner} headers must be a list of header names`);
    const list = names ?? [];
    const seen = new Set<string>();
    for (const name of list) {
      if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
        throw new Error(`${this.route}: ${owner} header '${name}' is not a valid header name`);
      }
      if (seen.has(name.toLowerCase())) throw new Error(`${this.route}: ${owner} lists header '${name}' twice: list each header once`);
      seen.add(name.toLowerCase());
      if (!this.headerNames.includes(name)) this.headerNames.push(name);
    }
    return `{${list.map((h) => `${jsonataString(h)}: ${lookup('$states.input.headers', h)}`).join(', ')}}`;
  }

  /**
   * The request as a branch's payload, a JSONata object constructor: `{"body", "path", "query",
   * "headers" (only `headers`), "requestId"}`.
   */
  public request(headers: string[] | undefined, owner: string): string {
    return '{"body": $states.input.body, "path": $states.input.path, "query": $states.input.query, ' +
      `"headers": ${this.headers(headers, owner)}, "requestId": $states.input.requestId}`;
  }

  /** What the request template must write, with each value's VTL expression. */
  public spec(): ExecutionInputSpec {
    return {
      pathParameters: this.pathParameters,
      headers: this.headerNames.map((name) => ({ name, expression: Field.header(name)._expression(this.route, this.pathParameters) })),
      fields: this.fields.map(({ key, field }) => ({ key, expression: field._expression(this.route, this.pathParameters) })),
    };
  }
}

/** What a branch learns from its route while it is bound. */
export interface FanOutBranchContext {
  /** The route's name, for error messages ("Route Stack/Profile"). */
  readonly route: string;
  /** The branch's name: its key in the answer. */
  readonly name: string;
  /** The scope for the branch's states. */
  readonly scope: Construct;
  /** The route, as service presets see it (for the DynamoDB checks they share). */
  readonly routeInfo: ServiceRouteInfo;
  /** The execution input, which the branch reads request values from. */
  readonly input: FanOutInput;
  /** Where a failure of the branch goes: a state whose input is `{"Error", "Cause"}`. */
  readonly failure: sfn.IChainable;
  /** The timeout of each attempt of the branch's call. */
  readonly taskTimeout?: sfn.Timeout;
}

/** A bound branch: its first state, the tasks that get the branch's retry and catch, and extra IAM. */
export interface BoundFanOutBranch {
  readonly start: sfn.IChainable;
  readonly tasks: sfn.TaskStateBase[];
  /** Statements the state machine's role needs beyond what the tasks grant (e.g. KMS for a table). */
  readonly policyStatements: iam.PolicyStatement[];
}

/** The Output of a branch's last state: `{"<branch>": <value>}`, which the route merges. */
export function branchOutput(name: string, expression: string): { [name: string]: string } {
  return { [name]: jsonata(expression) };
}
