#!/usr/bin/env node
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCAL_STATE_DIR, mintFromAssembly, parseTokenArgs, TOKEN_USAGE } from './cli-token';
import { LocalApi } from './local-api';
import { LocalBackends } from './backends';
import { AssemblyWatcher } from './watch';

/**
 * `cdk-apigateway-patterns serve [--app cdk.out] [--stack NAME] [--stage NAME] [--port 3000] [--host 127.0.0.1]`:
 * serves every REST API of a cloud assembly, one port each (PORT, PORT+1, ...), with paths as on AWS.
 */

const USAGE = `Usage: cdk-apigateway-patterns serve [--app cdk.out|COMMAND] [--stack NAME] [--stage NAME] [--port 3000] [--host 127.0.0.1] [--vpc-link ID=URL]... [--stage-variable NAME=VALUE]... [--endpoint SERVICE=URL]... [--endpoint-url URL] [--backends local [--data DIR|memory]] [--watch]

  --app    a cloud assembly folder (default cdk.out), or a command that synthesizes one, as cdk.json's "app"
  --stack  serve only the APIs of this stack
  --stage  serve only this stage
  --port   the first port (each API gets the next one)
  --host   the address to listen on
  --vpc-link  where a VPC link's traffic goes locally: its id, load balancer ARN or DNS name = a base URL (repeatable)
  --stage-variable  a stage variable set over every stage's own, e.g. backendUrl=http://127.0.0.1:8080 (repeatable)
  --endpoint      where an AWS service's integrations go, e.g. dynamodb=http://127.0.0.1:8000 (repeatable)
  --endpoint-url  one endpoint for every AWS service (LocalStack, say)
  --backends local  start local implementations with the template's resources: DynamoDB tables (dynalite), S3 buckets
                    (s3rver), Kinesis streams (kinesalite); the assembly's state machines always run in the emulator
  --data   where the local backends keep their data between runs (a folder, e.g. .apigw-local/data), or memory (default)
  --watch  reload the assembly folder when it changes (cdk synth or cdk watch in another terminal), on the same ports`;

/** Writes a line to stdout (the CLI's output; the library itself never prints). */
function stdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The temp folders `--app COMMAND` synthesizes into. */
const TEMP_PREFIX = 'cdk-apigateway-patterns-serve-';

/** Parsed `serve` options. */
export interface ServeOptions {
  readonly app: string;
  readonly stack?: string;
  readonly stage?: string;
  readonly port: number;
  readonly host: string;
  /** `--vpc-link ID=URL`: VPC link id, load balancer ARN or DNS name → local base URL. */
  readonly vpcLinks?: Record<string, string>;
  /** `--stage-variable NAME=VALUE`: set over every stage's own variables. */
  readonly stageVariables?: Record<string, string>;
  /** `--watch`: reload the assembly folder when it changes. */
  readonly watch?: boolean;
  /** `--endpoint SERVICE=URL`: where each AWS service's integrations go. */
  readonly endpoints?: Record<string, string>;
  /** `--endpoint-url URL`: one endpoint for every service. */
  readonly endpointUrl?: string;
  /** `--backends local`: start local implementations of the services the routes call. */
  readonly backends?: 'local';
  /** `--data DIR|memory`: where the local backends keep their data. */
  readonly data?: string;
}

/** Parses the command line (after `node cli.js`); throws a message on bad usage. */
export function parseArgs(argv: string[]): ServeOptions {
  const [command, ...rest] = argv;
  if (command !== 'serve') throw new Error(command === undefined ? `${USAGE}\n\n${TOKEN_USAGE}` : `unknown command ${command}\n\n${USAGE}\n\n${TOKEN_USAGE}`);
  const values: Record<string, string> = {};
  const vpcLinks: Record<string, string> = {};
  const stageVariables: Record<string, string> = {};
  const endpoints: Record<string, string> = {};
  let watch = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--watch') {
      watch = true;
      continue;
    }
    const m = /^--(app|stack|stage|port|host|vpc-link|stage-variable|endpoint|endpoint-url|backends|data)(?:=(.*))?$/s.exec(rest[i]);
    if (!m) throw new Error(`unknown option ${rest[i]}\n\n${USAGE}`);
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    if (m[1] === 'vpc-link') {
      const link = /^([^=]+)=(https?:\/\/.+)$/.exec(value);
      if (!link) throw new Error(`--vpc-link ${value}: expected ID=URL, e.g. --vpc-link vpclink-123=http://127.0.0.1:8080`);
      vpcLinks[link[1]] = link[2];
    } else if (m[1] === 'endpoint') {
      const endpoint = /^([a-z0-9-]+)=(https?:\/\/.+)$/.exec(value);
      if (!endpoint) throw new Error(`--endpoint ${value}: expected SERVICE=URL, e.g. --endpoint dynamodb=http://127.0.0.1:8000`);
      endpoints[endpoint[1]] = endpoint[2];
    } else if (m[1] === 'stage-variable') {
      const variable = /^([A-Za-z0-9_]+)=(.*)$/s.exec(value);
      if (!variable) throw new Error(`--stage-variable ${value}: expected NAME=VALUE (letters, digits and _ in the name)`);
      stageVariables[variable[1]] = variable[2];
    } else {
      values[m[1]] = value;
    }
  }
  const port = Number(values.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number`);
  return { app: values.app ?? 'cdk.out', stack: values.stack, stage: values.stage, port, host: values.host ?? '127.0.0.1', vpcLinks, stageVariables, ...(watch ? { watch } : {}),
    ...(Object.keys(endpoints).length ? { endpoints } : {}), ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
    ...(values.backends !== undefined ? { backends: backendsOption(values.backends) } : {}), ...dataOption(values.data, values.backends) };
}

function dataOption(data: string | undefined, backends: string | undefined): { data?: string } {
  if (data === undefined) return {};
  if (backends === undefined) throw new Error('--data is where --backends local keeps its data: give --backends local too');
  return { data };
}

function backendsOption(value: string): 'local' {
  if (value !== 'local') throw new Error(`--backends ${value}: the only value is local`);
  return 'local';
}

/**
 * The assembly folder for `--app`: the folder itself, or a fresh one that the command synthesizes
 * into (as the CDK CLI runs an app: `CDK_OUTDIR`, and cdk.json's context in `CDK_CONTEXT_JSON`).
 */
export function assemblyFolder(app: string, cwd = process.cwd()): string {
  const asFolder = path.resolve(cwd, app);
  if (fs.existsSync(asFolder) && fs.statSync(asFolder).isDirectory()) return asFolder;
  if (!/\s/.test(app.trim()) && !fs.existsSync(asFolder)) {
    throw new Error(`${asFolder}: no such cloud assembly folder; run 'cdk synth' first, or give --app the command that synthesizes the app`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  const cdkJson = path.join(cwd, 'cdk.json');
  const context = fs.existsSync(cdkJson) ? (JSON.parse(fs.readFileSync(cdkJson, 'utf8')).context ?? {}) : {};
  try {
    execSync(app, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) } });
  } catch (e) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
  return outdir;
}

/** Starts the servers; resolves with the APIs served (close them to stop). */
export async function serve(options: ServeOptions, print: (line: string) => void = stdout, onWatcher?: (watcher: AssemblyWatcher) => void,
  onBackends?: (backends: LocalBackends) => void): Promise<LocalApi[]> {
  const dir = assemblyFolder(options.app);
  if (options.watch && path.resolve(options.app) !== dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error('--watch reloads an assembly folder: run cdk synth (or cdk watch) in another terminal and serve --app cdk.out --watch');
  }
  const backends = options.backends === 'local' ? await LocalBackends.start(dir, { data: options.data }) : undefined;
  if (backends) {
    onBackends?.(backends);
    for (const line of backends.describe()) print(line);
  }
  const common = {
    log: print, vpcLinks: options.vpcLinks, stageVariables: options.stageVariables, cognitoKeyDir: path.resolve(LOCAL_STATE_DIR),
    endpoints: { ...backends?.endpoints, ...options.endpoints }, endpointUrl: options.endpointUrl,
  };
  const apis = LocalApi.allFromAssembly(dir, { ...common, stack: options.stack })
    .filter((a) => !options.stage || a.model.stages.some((s) => s.StageName === options.stage));
  if (apis.length === 0) throw new Error(`${dir}: no REST API to serve${options.stack ? ` in stack ${options.stack}` : ''}${options.stage ? ` with a stage ${options.stage}` : ''}`);
  for (const w of apis[0].warnings) print(`warning: ${w}`);
  const machines = apis[0].assembly.stateMachines.filter((m) => !options.stack || m.stackPath.split('/')[0] === options.stack);
  if (machines.length > 0) {
    print(`step functions: ${machines.length} state machine(s)${options.stack ? ` of ${options.stack}` : ''} run in the emulator: ${machines.map((m) => `${m.name} (${m.type.toLowerCase()}${m.problem ? `, not runnable: ${m.problem}` : ''})`).join(', ')}`);
  }
  const served: LocalApi[] = [];
  for (const [i, candidate] of apis.entries()) {
    const api = options.stage ? LocalApi.allFromAssembly(dir, { ...common, stack: candidate.model.stackName, api: candidate.model.constructPath, stage: options.stage })[0] : candidate;
    const { url } = await api.listen(options.port === 0 ? 0 : options.port + i, options.host);
    served.push(api);
    print(`${api.model.constructPath} ${url}`);
    for (const key of api.apiKeys()) {
      const plans = key.plans.map((p) => p.name).join(', ') || `no usage plan of stage ${api.stageNames[0]}`;
      print(`  api key ${key.name}: ${key.value}${key.valueFromTemplate ? '' : ' (local value)'}${key.enabled ? '' : ' (disabled)'} (${plans})`);
    }
    const pools = api.cognitoUserPools();
    if (pools.length > 0) {
      print(`  cognito user pool ${pools.map((p) => p.userPoolId).join(', ')}: a token with npx cdk-apigateway-patterns token --api ${api.model.constructPath} [--scope S] [--claim email=me@example.com]`);
    }
    for (const link of api.vpcLinks()) {
      print(`  vpc link ${link.connectionId} (${link.endpoint}): ${link.target ?? `no local target; its routes answer 502 until --vpc-link ${link.connectionId}=http://127.0.0.1:PORT`}`);
    }
  }
  for (const api of served) {
    print('');
    print(`${api.model.constructPath} (stages: ${api.stageNames.join(', ')})`);
    for (const r of api.routes()) print(`  ${r}`);
  }
  print('');
  if (options.watch) {
    const watcher = new AssemblyWatcher(dir, served, { ...common, stage: options.stage }, { log: print });
    watcher.start();
    print(`watching ${dir} for changes`);
    onWatcher?.(watcher);
  }
  return served;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'token') {
    const options = parseTokenArgs(process.argv.slice(3));
    const dir = assemblyFolder(options.app);
    try {
      stdout(mintFromAssembly(dir, options));
    } finally {
      if (path.basename(dir).startsWith(TEMP_PREFIX) && path.dirname(dir) === os.tmpdir()) fs.rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  let options: ServeOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    stderr((e as Error).message);
    process.exitCode = 2;
    return;
  }
  let watcher: AssemblyWatcher | undefined;
  let backends: LocalBackends | undefined;
  const apis = await serve(options, stdout, (w) => {
    watcher = w;
  }, (b) => {
    backends = b;
  });
  const stop = (): void => {
    watcher?.close();
    void backends?.close();
    void Promise.all(apis.map((a) => a.close())).then(() => {
      // An assembly that --app synthesized into a temp folder goes with the server.
      const dir = apis[0].assembly.dir;
      if (path.basename(dir).startsWith(TEMP_PREFIX) && path.dirname(dir) === os.tmpdir()) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e) => {
    stderr((e as Error).message);
    process.exitCode = 1;
  });
}
