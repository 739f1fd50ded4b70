import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
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
   * Registers the stage variables route `route` (construct `scope`) uses in a URL. At synth, every stage
   * of `api` in the app must define each of them, else the URL calls `https:///...` at runtime: a stage
   * that lacks one fails the synth; stages the app cannot see (an imported API, no stage in the app, or
   * variables given as a token) get a warning instead. One check per API, so the construct tree is scanned
   * once however many routes use variables. @internal
   */
  public static _checkReferences(scope: IConstruct, route: string, api: apigw.IRestApi, names: string[]): void {
    if (names.length === 0) return;
    let uses = referencesByApi.get(api.node);
    if (!uses) {
      const created: StageVariableUse[] = [];
      uses = created;
      referencesByApi.set(api.node, created);
      // The validation lives on the API's construct: routes come and go, the API stays.
      api.node.addValidation({ validate: () => checkStagesDefine(api, created) });
    }
    uses.push({ scope, route, names: [...new Set(names)] });
  }
}

interface StageVariableUse {
  readonly scope: IConstruct;
  readonly route: string;
  readonly names: string[];
}

const referencesByApi = new WeakMap<object, StageVariableUse[]>();

/** The variables of each stage of `api` in the app; `undefined` when they are a token the app cannot read. */
function stagesOf(api: apigw.IRestApi): Array<{ stage: apigw.CfnStage; l2?: apigw.Stage; variables?: { [k: string]: unknown } }> {
  const out: Array<{ stage: apigw.CfnStage; l2?: apigw.Stage; variables?: { [k: string]: unknown } }> = [];
  for (const c of api.node.root.node.findAll()) {
    if (!(c instanceof apigw.CfnStage)) continue;
    const l2 = c.node.scope instanceof apigw.Stage && c.node.scope.node.defaultChild === c ? c.node.scope : undefined;
    const stack = Stack.of(c);
    const ofApi = l2
      ? l2.restApi === api
      : c.restApiId === api.restApiId || JSON.stringify(stack.resolve(c.restApiId)) === JSON.stringify(stack.resolve(api.restApiId));
    if (!ofApi) continue;
    const resolved = stack.resolve(c.variables);
    const readable = resolved === undefined || (typeof resolved === 'object' && !Array.isArray(resolved) &&
      !Object.keys(resolved).some((k) => k.startsWith('Fn::') || k === 'Ref'));
    out.push({ stage: c, l2, variables: readable ? resolved ?? {} : undefined });
  }
  return out;
}

function checkStagesDefine(api: apigw.IRestApi, uses: StageVariableUse[]): string[] {
  const stages = stagesOf(api);
  const owned = api.node.defaultChild instanceof apigw.CfnRestApi;
  const errors: string[] = [];
  for (const { scope, route, names } of uses) {
    const list = names.map((n) => `\${stageVariables.${n}}`).join(', ');
    const example = `{ ${names.map((n) => `${n}: '...'`).join(', ')} }`;
    if (stages.length === 0) {
      Annotations.of(scope).addWarningV2('cdk-apigateway-patterns:stageVariablesUnchecked',
        `${route}: uses ${list}, but no stage of ${api.node.path} is in this app, so the library cannot check that one defines it: ` +
        `define it on every stage that serves the route (StageVariables.set(stage, ${example}) on a stage of this app), ` +
        'else the backend URL is called with an empty host');
      continue;
    }
    if (!owned) {
      Annotations.of(scope).addWarningV2('cdk-apigateway-patterns:stageVariablesUnchecked',
        `${route}: uses ${list} on ${api.node.path}, an imported API whose stages outside this app the library cannot see: ` +
        `define it on each of them too (StageVariables.set(stage, ${example}) for stages of this app)`);
    }
    for (const { stage, l2, variables } of stages) {
      if (variables === undefined) {
        Annotations.of(scope).addWarningV2('cdk-apigateway-patterns:stageVariablesUnchecked',
          `${route}: uses ${list}, and the variables of stage ${stageLabel(stage)} are a token the library cannot read: ` +
          `make sure they define ${names.join(', ')}, or set them with StageVariables.set(stage, ${example})`);
        continue;
      }
      for (const name of names) {
        if (name in variables) continue;
        errors.push(`${route}: uses \${stageVariables.${name}}, which stage ${stageLabel(stage)} does not define ` +
          '(the URL would be called with an empty value there): ' +
          (l2 ? `add it with StageVariables.set(stage, { ${name}: '...' })` : `add ${name} to the Variables of ${stage.node.path}`));
      }
    }
  }
  return errors;
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
