/**
 * The Lambda functions of one loaded assembly, each started on first use and shared by everything
 * that calls it (integrations, authorizers): one warm worker pool per function, closed together
 * when the emulator stops or reloads.
 */
import { FunctionModel } from '../model';
import { functionSpecFromTemplate, LocalFunctionSpec, UnsupportedFunctionError } from './function-spec';
import { LocalFunction, LocalFunctionOptions } from './local-function';

export interface FunctionPoolOptions extends LocalFunctionOptions {
  /** Overrides every function's `Timeout` (tests use short ones). @default each function's Timeout */
  readonly timeoutMs?: number;
  /** Receives what differs from AWS for a function (layers, Node.js version), once per function. */
  readonly onWarning?: (message: string) => void;
}

export class FunctionPool {
  private readonly started = new Map<string, LocalFunction>();
  private readonly refused = new Map<string, UnsupportedFunctionError>();
  private closed = false;

  /** @param functions the assembly's functions by name and by local ARN */
  constructor(private readonly functions: ReadonlyMap<string, FunctionModel>, private readonly options: FunctionPoolOptions = {}) {}

  /** The model of the function a name or ARN (with or without a qualifier) names, if the assembly has it. */
  public model(nameOrArn: string): FunctionModel | undefined {
    return this.functions.get(nameOrArn) ?? this.functions.get(nameOrArn.replace(/^(arn:[^:]*:lambda:[^:]*:[^:]*:function:[^:]+):[^:]+$/, '$1'));
  }

  /**
   * The running function a name or ARN names. Throws UnsupportedFunctionError (naming the function
   * and why) for a function that cannot run locally, and an Error for one not in the assembly.
   */
  public get(nameOrArn: string): LocalFunction {
    if (this.closed) throw new Error(`Lambda function ${nameOrArn}: the emulator closed it`);
    const model = this.model(nameOrArn);
    if (!model) throw new Error(`Lambda function ${nameOrArn} is not in the cloud assembly`);
    const key = model.arn;
    const refused = this.refused.get(key);
    if (refused) throw refused;
    let fn = this.started.get(key);
    if (!fn) {
      let spec: LocalFunctionSpec;
      try {
        spec = functionSpecFromTemplate(model.logicalId, { Type: 'AWS::Lambda::Function', Properties: model.properties, Metadata: model.metadata }, {
          assemblyDir: model.assemblyDir,
          stackName: model.stackPath.split('/')[0],
          region: /^arn:[^:]*:lambda:([^:]*):/.exec(model.arn)?.[1],
          accountId: /^arn:[^:]*:lambda:[^:]*:([^:]*):/.exec(model.arn)?.[1],
          timeoutMs: this.options.timeoutMs,
        });
      } catch (e) {
        if (e instanceof UnsupportedFunctionError) this.refused.set(key, e);
        throw e;
      }
      // The local name is the template's (Ref); keep it so logs and $context name what the user sees.
      spec = { ...spec, functionName: model.name };
      for (const w of spec.warnings) this.options.onWarning?.(w);
      fn = new LocalFunction(spec, this.options);
      this.started.set(key, fn);
    }
    return fn;
  }

  /** Stop every worker; later calls to `get` throw. */
  public async close(): Promise<void> {
    this.closed = true;
    const all = [...this.started.values()];
    this.started.clear();
    await Promise.all(all.map((f) => f.close()));
  }
}
