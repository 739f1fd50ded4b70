/**
 * What the emulator needs to run one `AWS::Lambda::Function`, read from its template resource.
 * Only Node.js runtimes run locally; any other runtime (or code the emulator cannot load) is an
 * UnsupportedFunctionError that names the function and why, which the core answers with a 502.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A template resource with its intrinsics already resolved. */
export interface CfnResourceLike {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** Everything needed to run a function locally. */
export interface LocalFunctionSpec {
  readonly logicalId: string;
  /** The name the function has (`FunctionName`, or `<stack>-<logicalId>` standing in for AWS's generated one). */
  readonly functionName: string;
  /** e.g. 'nodejs22.x' */
  readonly runtime: string;
  /** e.g. 'index.handler', 'src/app.handler' */
  readonly handler: string;
  /** The folder holding the function's code (LAMBDA_TASK_ROOT). */
  readonly codeDir: string;
  /** `Environment.Variables` */
  readonly environment: Record<string, string>;
  /** From `Timeout` (seconds, default 3). */
  readonly timeoutMs: number;
  /** From `MemorySize` (default 128). */
  readonly memorySizeMb: number;
  readonly region: string;
  readonly accountId: string;
  /** What differs from AWS for this function (layers not loaded, another Node.js version): for the log. */
  readonly warnings: readonly string[];
}

export interface FunctionSpecOptions {
  /** The cloud assembly folder holding the template (asset paths are relative to it). */
  readonly assemblyDir: string;
  /** Used for the local function name when the template gives none. */
  readonly stackName?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Overrides `Timeout` (tests use short ones; `Timeout` itself is whole seconds). */
  readonly timeoutMs?: number;
  /** Where inline `ZipFile` code is written. @default a folder under the OS temp dir */
  readonly inlineCodeRoot?: string;
}

/** The function cannot run locally; `message` names it and says why. */
export class UnsupportedFunctionError extends Error {
  constructor(readonly functionName: string, readonly detail: string) {
    super(`Lambda function ${functionName}: ${detail}`);
    this.name = 'UnsupportedFunctionError';
  }
}

/**
 * The staged copy of a function's code asset in the cloud assembly, or undefined when there is none:
 * - from the `aws:asset:path` metadata the CDK CLI writes on resources with assets (relative to the
 *   assembly folder, or absolute);
 * - else (an `app.synth()` in a test writes no such metadata unless asked) from the code's S3Key,
 *   `<asset hash>.zip`, looked up in the assembly's asset manifests (`*.assets.json`), whose file
 *   entry gives the staged path (`asset.<hash>`).
 */
export function assetPathOf(resource: CfnResourceLike, assemblyDir: string): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  const property = resource.Metadata?.['aws:asset:property'];
  if (typeof assetPath === 'string' && (property === undefined || property === 'Code')) return path.resolve(assemblyDir, assetPath);
  const s3Key = ((resource.Properties?.Code ?? {}) as Record<string, unknown>).S3Key;
  const hash = typeof s3Key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(s3Key)?.[1] : undefined;
  if (!hash || !fs.existsSync(assemblyDir)) return undefined;
  for (const name of fs.readdirSync(assemblyDir).filter((n) => n.endsWith('.assets.json'))) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, name), 'utf8')) as { files?: Record<string, { source?: { path?: string } }> };
      const staged = manifest.files?.[hash]?.source?.path;
      if (typeof staged === 'string') return path.resolve(assemblyDir, staged);
    } catch {
      // not a manifest this reader understands: look at the next one
    }
  }
  return undefined;
}

/** Read an `AWS::Lambda::Function` into a LocalFunctionSpec, or throw UnsupportedFunctionError. */
export function functionSpecFromTemplate(logicalId: string, resource: CfnResourceLike, options: FunctionSpecOptions): LocalFunctionSpec {
  const props = resource.Properties ?? {};
  const functionName = typeof props.FunctionName === 'string' ? props.FunctionName
    : options.stackName ? `${options.stackName}-${logicalId}` : logicalId;
  if (resource.Type !== 'AWS::Lambda::Function') {
    throw new UnsupportedFunctionError(functionName, `${resource.Type} is not an AWS::Lambda::Function`);
  }
  if (props.PackageType === 'Image') {
    throw new UnsupportedFunctionError(functionName, 'container image functions are not run locally (Node.js zip functions only)');
  }
  const runtime = String(props.Runtime ?? '');
  if (!/^nodejs\d+\.x$/.test(runtime)) {
    throw new UnsupportedFunctionError(functionName, `runtime ${runtime || '(none)'} is not run locally (Node.js runtimes only)`);
  }
  const handler = typeof props.Handler === 'string' ? props.Handler : undefined;
  if (!handler) throw new UnsupportedFunctionError(functionName, 'no Handler');

  const code = (props.Code ?? {}) as Record<string, unknown>;
  let codeDir: string;
  if (typeof code.ZipFile === 'string') {
    codeDir = writeInlineCode(code.ZipFile, options.inlineCodeRoot ?? path.join(os.tmpdir(), 'cdk-apigateway-patterns-lambda'));
  } else {
    const asset = assetPathOf(resource, options.assemblyDir);
    if (!asset) {
      throw new UnsupportedFunctionError(functionName,
        'its code is neither inline (ZipFile) nor an asset of this cloud assembly (no aws:asset:path metadata, no asset manifest entry for its S3Key)');
    }
    if (!fs.existsSync(asset)) throw new UnsupportedFunctionError(functionName, `its code asset ${asset} does not exist`);
    if (!fs.statSync(asset).isDirectory()) {
      throw new UnsupportedFunctionError(functionName, `its code asset ${asset} is a file (zip assets are not unpacked locally; use a folder asset)`);
    }
    codeDir = asset;
  }

  const env = ((props.Environment ?? {}) as Record<string, unknown>).Variables as Record<string, unknown> | undefined;
  const warnings: string[] = [];
  if (Array.isArray(props.Layers) && props.Layers.length > 0) {
    warnings.push(`Lambda function ${functionName}: its ${props.Layers.length} layer(s) are not loaded locally (/opt is empty); modules they provide are missing`);
  }
  const wanted = Number(/^nodejs(\d+)/.exec(runtime)?.[1]);
  const host = Number(process.versions.node.split('.')[0]);
  if (wanted !== host) {
    warnings.push(`Lambda function ${functionName}: ${runtime} runs locally on this process's Node.js ${process.versions.node}`);
  }
  return {
    logicalId,
    functionName,
    runtime,
    handler,
    codeDir,
    environment: Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)])),
    timeoutMs: options.timeoutMs ?? positiveNumber(props.Timeout, 3) * 1000,
    memorySizeMb: positiveNumber(props.MemorySize, 128),
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    warnings,
  };
}

/** A template number (resolved intrinsics may leave it a numeric string), or the default. */
function positiveNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Inline code: CloudFormation writes a Node.js function's `ZipFile` to `index.js` (hence handlers
 * like 'index.handler'). One folder per content hash, so a reload with the same code reuses it.
 */
function writeInlineCode(source: string, root: string): string {
  const dir = path.join(root, createHash('sha256').update(source).digest('hex').slice(0, 16));
  const file = path.join(dir, 'index.js');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, source);
  }
  return dir;
}
