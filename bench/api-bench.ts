// aws-cdk-lib's built-in CloudFormation validation is off, as in this repo's tests: it is read at synth.
process.env.CDK_VALIDATION = 'false';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Stack } from 'aws-cdk-lib';
import { buildLibraryApi } from './library-api';
import { buildPlainApi } from './plain-api';
import { createBackends, FUNCTION_COUNT, RouteKind, ROUTES_PER_BACKEND, routeSpecs } from './scenario';

/**
 * `npm run bench`: builds the same API with plain aws-cdk-lib and with this library in one process, for
 * several route counts, and prints resources, template bytes and construct + synth time of both as a
 * markdown table, with the targets of issue 7 marked PASS / FAIL. Runs of the two variants alternate
 * (and swap order every repetition) so that JIT warm-up, GC pressure and machine noise hit both alike.
 *
 * BENCH_SIZES=50,200 and BENCH_REPS=3 (all sizes) override the defaults for quick runs.
 */

type Variant = 'plain' | 'library';
const VARIANTS: Variant[] = ['plain', 'library'];

/** Measured repetitions per route count (per variant): fewer for 1000 routes, where one run takes seconds. */
const DEFAULT_REPS: { [n: number]: number } = { 50: 7, 100: 7, 200: 5, 1000: 3 };
/** Sizes up to this get an unmeasured run of each variant first; larger ones run warm from the smaller sizes. */
const WARM_UP_UP_TO = 200;
const SIZES = (process.env.BENCH_SIZES ?? '50,100,200,1000').split(',').map(Number);
const REPS_OVERRIDE = process.env.BENCH_REPS ? Number(process.env.BENCH_REPS) : undefined;
const BREAKDOWN_N = 200;
const TIME_RATIO_TARGET = 1.1;
const LINEARITY_TARGET = 12;

interface RunResult {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly resources: number;
  readonly bytes: number;
  /** Kept for the first measured run of each variant only (for the breakdown). */
  template?: any;
}

/** The repo's feature flags (cdk.json), so both variants synthesize like `npx cdk synth` here. */
function benchContext(): { [key: string]: unknown } {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  const context: { [key: string]: unknown } = { ...(cdkJson.context ?? {}) };
  delete context['@aws-cdk/core:validateAgainstDefaultRules'];
  // One stack of 1000 routes has thousands of resources: lift the 500-resource synth check.
  context['@aws-cdk/core:stackResourceLimit'] = 0;
  return context;
}

/** global.gc: from --expose-gc (e.g. NODE_OPTIONS) if given, else exposed at runtime through V8 flags. */
function garbageCollector(): () => void {
  const existing = (globalThis as any).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

const gc = garbageCollector();
const context = benchContext();
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'api-bench-'));
let runCounter = 0;

function ms(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}

/** One fresh App: backing resources, the API in one variant, app.synth(). Timed from `new App` to the assembly. */
function run(variant: Variant, n: number): RunResult {
  const routes = routeSpecs(n);
  const outdir = path.join(outRoot, `run${runCounter++}`);
  gc();
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'Bench');
  const backends = createBackends(stack, n);
  if (variant === 'plain') buildPlainApi(stack, routes, backends);
  else buildLibraryApi(stack, routes, backends);
  const t1 = process.hrtime.bigint();
  const assembly = app.synth();
  const t2 = process.hrtime.bigint();
  const template = assembly.getStackByName(stack.stackName).template;
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    constructMs: ms(t0, t1),
    synthMs: ms(t1, t2),
    totalMs: ms(t0, t2),
    resources: Object.keys(template.Resources ?? {}).length,
    bytes: Buffer.byteLength(JSON.stringify(template)),
    template,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Measured {
  readonly n: number;
  readonly reps: number;
  readonly runs: { [v in Variant]: RunResult[] };
}

function measure(n: number, reps: number): Measured {
  // One unmeasured run of each variant at this size first (JIT, inline caches, heap growth).
  if (n <= WARM_UP_UP_TO) for (const v of VARIANTS) run(v, n);
  const runs: { [v in Variant]: RunResult[] } = { plain: [], library: [] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const v of order) {
      const result = run(v, n);
      if (runs[v].length > 0) delete result.template;
      runs[v].push(result);
    }
  }
  return { n, reps, runs };
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function stats(m: Measured, v: Variant) {
  const runs = m.runs[v];
  return {
    resources: runs[0].resources,
    bytes: runs[0].bytes,
    total: median(runs.map((r) => r.totalMs)),
    construct: median(runs.map((r) => r.constructMs)),
    synth: median(runs.map((r) => r.synthMs)),
    min: Math.min(...runs.map((r) => r.totalMs)),
    max: Math.max(...runs.map((r) => r.totalMs)),
  };
}

/** Resource counts by type, with methods split into OPTIONS and the rest and roles by who assumes them. */
function breakdown(template: any): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of Object.values<any>(template.Resources ?? {})) {
    let key: string = r.Type;
    if (r.Type === 'AWS::ApiGateway::Method') key += r.Properties.HttpMethod === 'OPTIONS' ? ' (OPTIONS)' : ' (routes)';
    if (r.Type === 'AWS::IAM::Role') {
      const principal = JSON.stringify(r.Properties.AssumeRolePolicyDocument);
      key += principal.includes('apigateway') ? ' (API Gateway integrations)' : ' (Lambda execution)';
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Average compact JSON bytes of a route's own Method resource, by route kind. Both variants give a route's
 * method the logical id `Apir{i}items...{METHOD}...`, which names the route index.
 */
function methodBytesByKind(n: number, template: any): Map<RouteKind, number> {
  const kinds = routeSpecs(n);
  const sums = new Map<RouteKind, { bytes: number; count: number }>();
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (r.Type !== 'AWS::ApiGateway::Method' || r.Properties.HttpMethod === 'OPTIONS') continue;
    const match = /^Apir(\d+)items/.exec(id);
    if (!match) continue;
    const kind = kinds[Number(match[1])].kind;
    const entry = sums.get(kind) ?? { bytes: 0, count: 0 };
    entry.bytes += Buffer.byteLength(JSON.stringify(r));
    entry.count++;
    sums.set(kind, entry);
  }
  return new Map([...sums].map(([k, { bytes, count }]) => [k, bytes / count]));
}

/** The resources the API needs for N routes (issue 7): checked on the library's template. */
function resourceTargets(n: number, template: any): Array<[string, boolean, string]> {
  const c = breakdown(template);
  const get = (k: string) => c.get(k) ?? 0;
  const resourcesWithMethods = n; // each /r{i}/items/{id} leaf has one route; its parents have none
  return [
    ['one Method per route', get('AWS::ApiGateway::Method (routes)') === n, `${get('AWS::ApiGateway::Method (routes)')} for ${n} routes`],
    ['one Resource per path segment', get('AWS::ApiGateway::Resource') === 3 * n, `${get('AWS::ApiGateway::Resource')} for ${3 * n} segments`],
    ['one OPTIONS per CORS resource with methods', get('AWS::ApiGateway::Method (OPTIONS)') === resourcesWithMethods,
      `${get('AWS::ApiGateway::Method (OPTIONS)')} for ${resourcesWithMethods} resources with methods`],
    ['one Lambda permission per function', get('AWS::Lambda::Permission') === FUNCTION_COUNT,
      `${get('AWS::Lambda::Permission')} for ${FUNCTION_COUNT} functions`],
    ['one role for service routes', get('AWS::IAM::Role (API Gateway integrations)') === 1,
      `${get('AWS::IAM::Role (API Gateway integrations)')} role(s) with ${get('AWS::IAM::Policy')} inline and ` +
      `${get('AWS::IAM::ManagedPolicy')} managed policies`],
  ];
}

function main(): void {
  const out: string[] = [];
  const print = (line = '') => {
    out.push(line);
    console.log(line);
  };
  const started = process.hrtime.bigint();
  const results: Measured[] = [];
  try {
    // Warm-up of the whole code path (module loading, JIT) before anything is measured.
    for (const v of VARIANTS) run(v, 50);
    for (const n of SIZES) {
      const reps = REPS_OVERRIDE ?? DEFAULT_REPS[n] ?? 5;
      const m = measure(n, reps);
      results.push(m);
      console.error(`measured N=${n} (${reps} reps): plain ${fmt(stats(m, 'plain').total)} ms, library ${fmt(stats(m, 'library').total)} ms`);
    }
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }

  print(`## Template size and synth time: plain aws-cdk-lib vs cdk-apigateway-patterns`);
  print();
  print(`Route mix per 10 routes: 4 Lambda proxy (5 functions), 2 SQS SendMessage, 2 DynamoDB GetItem, 2 mock; ` +
    `each route on its own \`/r{i}/items/{id}\`; CORS on; 3 of the 6 GETs cached. Backing resources in both: ` +
    `${FUNCTION_COUNT} functions, one queue and one table per ${ROUTES_PER_BACKEND} routes. ` +
    `Time = new App() through app.synth() with this repo's cdk.json feature flags, built-in validation off ` +
    `(CDK_VALIDATION=false) and no stack resource limit; median of the repetitions (Reps, per variant), after one ` +
    `unmeasured run of each variant for N <= ${WARM_UP_UP_TO}; runs alternate plain/library, swapping the order each ` +
    `repetition. Node ${process.version}, ${os.cpus().length} CPUs.`);
  print();
  print('| Routes | Reps | Resources plain | Resources library | Ratio | Template KB plain | Template KB library | Ratio | ms plain | ms library | Ratio | Time target (<= 1.1x) |');
  print('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
  let allTimePass = true;
  for (const m of results) {
    const p = stats(m, 'plain');
    const l = stats(m, 'library');
    const ok = l.total / p.total <= TIME_RATIO_TARGET;
    allTimePass &&= ok;
    print(`| ${m.n} | ${m.reps} | ${fmt(p.resources)} | ${fmt(l.resources)} | ${ratio(l.resources, p.resources)} | ` +
      `${fmt(p.bytes / 1024, 1)} | ${fmt(l.bytes / 1024, 1)} | ${ratio(l.bytes, p.bytes)} | ` +
      `${fmt(p.total)} | ${fmt(l.total)} | ${ratio(l.total, p.total)} | ${mark(ok)} |`);
  }
  print();

  print('Construct and synth phases (medians, ms; min-max of the total in brackets):');
  print();
  print('| Routes | plain construct | plain synth | plain total [min-max] | library construct | library synth | library total [min-max] |');
  print('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of results) {
    const p = stats(m, 'plain');
    const l = stats(m, 'library');
    print(`| ${m.n} | ${fmt(p.construct)} | ${fmt(p.synth)} | ${fmt(p.total)} [${fmt(p.min)}-${fmt(p.max)}] | ` +
      `${fmt(l.construct)} | ${fmt(l.synth)} | ${fmt(l.total)} [${fmt(l.min)}-${fmt(l.max)}] |`);
  }
  print();

  print('Targets:');
  print();
  const at = (n: number) => results.find((m) => m.n === n);
  const m100 = at(100);
  const m1000 = at(1000);
  if (m100 && m1000) {
    const lib = stats(m1000, 'library').total / stats(m100, 'library').total;
    const plain = stats(m1000, 'plain').total / stats(m100, 'plain').total;
    print(`- Linearity: library time at 1000 routes / at 100 = ${lib.toFixed(1)}x (target <= ${LINEARITY_TARGET}x): ` +
      `${mark(lib <= LINEARITY_TARGET)} (plain aws-cdk-lib: ${plain.toFixed(1)}x)`);
  } else {
    print('- Linearity: needs N=100 and N=1000 (not both measured)');
  }
  print(`- Time: library <= ${TIME_RATIO_TARGET}x plain at every N: ${mark(allTimePass)}`);
  for (const m of results) {
    for (const [what, ok, detail] of resourceTargets(m.n, m.runs.library[0].template)) {
      print(`- Resources at N=${m.n}: ${what}: ${mark(ok)} (${detail})`);
    }
  }
  print();

  const mb = at(BREAKDOWN_N) ?? results[results.length - 1];
  const plainCounts = breakdown(mb.runs.plain[0].template);
  const libCounts = breakdown(mb.runs.library[0].template);
  print(`Resources by type at N=${mb.n}:`);
  print();
  print('| Type | plain | library | difference |');
  print('| --- | ---: | ---: | ---: |');
  const types = [...new Set([...plainCounts.keys(), ...libCounts.keys()])].sort();
  for (const t of types) {
    const p = plainCounts.get(t) ?? 0;
    const l = libCounts.get(t) ?? 0;
    print(`| ${t} | ${p} | ${l} | ${l - p > 0 ? '+' : ''}${l - p} |`);
  }
  print(`| **total** | ${mb.runs.plain[0].resources} | ${mb.runs.library[0].resources} | ` +
    `${mb.runs.library[0].resources - mb.runs.plain[0].resources} |`);
  print();

  const plainBytes = methodBytesByKind(mb.n, mb.runs.plain[0].template);
  const libBytes = methodBytesByKind(mb.n, mb.runs.library[0].template);
  print(`Bytes of a route's own Method resource (compact JSON, average by kind, N=${mb.n}; OPTIONS, roles and permissions not included):`);
  print();
  print('| Route kind | plain | library | ratio |');
  print('| --- | ---: | ---: | ---: |');
  for (const kind of ['lambda', 'sqs', 'dynamodb', 'mock'] as RouteKind[]) {
    const p = plainBytes.get(kind) ?? 0;
    const l = libBytes.get(kind) ?? 0;
    print(`| ${kind} | ${fmt(p)} | ${fmt(l)} | ${ratio(l, p)} |`);
  }
  print();
  print(`Finished in ${(ms(started, process.hrtime.bigint()) / 1000).toFixed(0)} s.`);
}

main();
