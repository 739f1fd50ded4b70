import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { Field } from './field';
import { HttpParameter } from './http-parameter';

const NAME = /^[A-Za-z0-9_]+$/;
const VALUE = /^[A-Za-z0-9\-._~:/?#&=,]+$/;
/** API Gateway quotas for REST APIs: key length, value length, variables per stage. */
const MAX_NAME = 64;
const MAX_VALUE = 512;
const MAX_PER_STAGE = 100;

/**
 * A stage variable by name, with the ways to use it: `reference` in a backend URL, `field` in a
 * request template, `parameter` in an integration request parameter.
 */
export class StageVariable {
  /** The stage variable `name` (letters, digits and _, up to 64 characters). */
  public static of(name: string): StageVariable {
    return new StageVariable(checkName(`StageVariable.of('${name}')`, name));
  }

  /** The `${stageVariables.<name>}` text to use in a URL, e.g. `https://${backend.reference}/users`. */
  public readonly reference: string;

  private constructor(
    /** The variable's name. */
    public readonly name: string,
  ) {
    this.reference = `\${stageVariables.${name}}`;
  }

  /** The variable as a template Field (`Field.stageVariable`). */
  public get field(): Field {
    return Field.stageVariable(this.name);
  }

  /** The variable as an integration request parameter (`HttpParameter.fromStageVariable`). */
  public get parameter(): HttpParameter {
    return HttpParameter.fromStageVariable(this.name);
  }
}

interface StageEntry {
  readonly stage: apigw.CfnStage;
  readonly original: unknown;
  readonly values: Map<string, string>;
}

const stagesByApi = new WeakMap<object, Map<apigw.CfnStage, StageEntry>>();

/** Sets stage variables on stages, and checks that routes only use variables their stages define. */
export class StageVariables {
  /**
   * Adds `values` to the variables of `stage` (merged with those it was created with, e.g. through
   * `deployOptions.variables`). Names are letters, digits and _ (up to 64 characters); values are
   * letters, digits and `-._~:/?#&=,` (up to 512 characters); a stage holds up to 100 variables.
   */
  public static set(stage: apigw.Stage, values: { [name: string]: string }): void {
    const cfn = stage?.node?.defaultChild;
    if (!(cfn instanceof apigw.CfnStage)) throw new Error('StageVariables.set: pass an apigateway Stage (e.g. api.deploymentStage)');
    const where = `StageVariables.set(${stage.node.path})`;
    const api = stage.restApi;
    let stages = stagesByApi.get(api.node);
    if (!stages) stagesByApi.set(api.node, stages = new Map());
    let entry = stages.get(cfn);
    if (!entry) {
      const original = cfn.variables;
      const created: StageEntry = { stage: cfn, original, values: new Map() };
      entry = created;
      stages.set(cfn, created);
      cfn.variables = Lazy.any({ produce: () => ({ ...plainVariables(created.original), ...Object.fromEntries(created.values) }) });
    }
    const before = plainVariables(entry.original);
    // Check everything before changing anything, so a failed call leaves the stage as it was.
    const pending = new Map(entry.values);
    for (const [name, value] of Object.entries(values ?? {})) {
      checkName(where, name);
      if (typeof value !== 'string' || Token.isUnresolved(value)) {
        throw new Error(`${where}: the value of ${name} must be a concrete string (a stage variable cannot hold a token)`);
      }
      if (value.length > MAX_VALUE || !VALUE.test(value)) {
        throw new Error(`${where}: the value of ${name} ('${value}') must be 1 to ${MAX_VALUE} of letters, digits and -._~:/?#&=, ` +
          '(no spaces, quotes or %): put a URL\'s host or path here, not free text');
      }
      const existing = pending.get(name) ?? before[name];
      if (existing !== undefined && existing !== value) {
        throw new Error(`${where}: ${name} is already '${existing}' on this stage: set each variable once`);
      }
      pending.set(name, value);
    }
    const count = Object.keys({ ...before, ...Object.fromEntries(pending) }).length;
    if (count > MAX_PER_STAGE) throw new Error(`${where}: the stage would hold ${count} variables; API Gateway allows ${MAX_PER_STAGE}`);
    for (const [name, value] of pending) entry.values.set(name, value);
  }

  /**
   * Adds a validation to `scope`: every name in `names` must be defined on every stage of `api` known
   * to define variables (through `StageVariables.set` or the deployment stage's variables). @internal
   */
  public static _checkReferences(scope: IConstruct, route: string, api: apigw.IRestApi, names: string[]): void {
    if (names.length === 0) return;
    scope.node.addValidation({
      validate: () => {
        const known = new Map<string, { [k: string]: string }>();
        for (const entry of stagesByApi.get(api.node)?.values() ?? []) {
          known.set(stageLabel(entry.stage), { ...plainVariables(entry.original), ...Object.fromEntries(entry.values) });
        }
        let deployment: apigw.Stage | undefined;
        try {
          deployment = api.deploymentStage;
        } catch {
          deployment = undefined;
        }
        const cfn = deployment?.node.defaultChild;
        if (cfn instanceof apigw.CfnStage && !known.has(stageLabel(cfn))) {
          const vars = plainVariables(Stack.of(cfn).resolve(cfn.variables));
          if (Object.keys(vars).length) known.set(stageLabel(cfn), vars);
        }
        const errors: string[] = [];
        for (const [stage, vars] of known) {
          for (const name of new Set(names)) {
            if (!(name in vars)) {
              errors.push(`${route}: uses \${stageVariables.${name}}, which stage ${stage} does not define: ` +
                `add it with StageVariables.set(stage, { ${name}: '...' })`);
            }
          }
        }
        return errors;
      },
    });
  }
}

function stageLabel(stage: apigw.CfnStage): string {
  return Token.isUnresolved(stage.stageName) || !stage.stageName ? stage.node.path : `'${stage.stageName}'`;
}

function plainVariables(v: unknown): { [k: string]: string } {
  if (!v || typeof v !== 'object' || Token.isUnresolved(v)) return {};
  return v as { [k: string]: string };
}

function checkName(where: string, name: string): string {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_NAME) {
    throw new Error(`${where}: '${name}' is not a valid stage variable name: use 1 to ${MAX_NAME} letters, digits and _`);
  }
  return name;
}
