import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFunction, LocalFunctionSpec } from '../../../lib/local/lambda';

let root: string;
const open: LocalFunction[] = [];
const logs: string[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-fn-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
  logs.length = 0;
});

/** A function whose code folder holds the given files. */
function fn(files: Record<string, string>, props: Partial<LocalFunctionSpec> = {}, maxWorkers?: number): LocalFunction {
  const dir = fs.mkdtempSync(path.join(root, 'fn-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const f = new LocalFunction({
    logicalId: 'Fn',
    functionName: 'test-fn',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    codeDir: dir,
    environment: {},
    timeoutMs: 2000,
    memorySizeMb: 128,
    region: 'eu-west-1',
    accountId: '111122223333',
    warnings: [],
    ...props,
  }, { maxWorkers, onLog: (line) => logs.push(line) });
  open.push(f);
  return f;
}

const json = (r: { payload: string }) => JSON.parse(r.payload);

test('a warm worker is reused: the module loads once and keeps its state', async () => {
  const f = fn({ 'index.js': 'let n = 0; const loadedAt = Date.now(); exports.handler = async () => ({ n: ++n, loadedAt });' });
  const a = await f.invoke({});
  const b = await f.invoke({});
  const c = await f.invoke({});
  expect([json(a).n, json(b).n, json(c).n]).toEqual([1, 2, 3]);
  expect(json(c).loadedAt).toBe(json(a).loadedAt);
  expect([a.coldStart, b.coldStart, c.coldStart]).toEqual([true, false, false]);
  expect(f.workersStarted).toBe(1);
  expect(a.functionError).toBeUndefined();
});

test('the event reaches the handler and undefined results are null', async () => {
  const f = fn({ 'index.js': 'exports.handler = async (event) => { if (event.none) return undefined; return event; };' });
  expect(json(await f.invoke({ a: [1, 'two'] }))).toEqual({ a: [1, 'two'] });
  expect((await f.invoke({ none: true })).payload).toBe('null');
});

test('environment: the function\'s variables and the ones Lambda sets', async () => {
  const f = fn({ 'index.js': 'exports.handler = async () => ({ ...process.env });' }, { environment: { TABLE: 'orders', AWS_REGION: 'ignored' } });
  const env = json(await f.invoke({}));
  expect(env).toMatchObject({
    TABLE: 'orders',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/test-fn',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    _HANDLER: 'index.handler',
  });
  expect(env.LAMBDA_TASK_ROOT).toBe(f.spec.codeDir);
  // The host's other variables stay out (Jest sets JEST_WORKER_ID in this process).
  expect(env.JEST_WORKER_ID).toBeUndefined();
});

test('the context object', async () => {
  const f = fn({
    'index.js': `exports.handler = async (event, context) => ({
      awsRequestId: context.awsRequestId, functionName: context.functionName, functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
      logGroupName: context.logGroupName, remaining: context.getRemainingTimeInMillis(),
    });`,
  });
  const r = await f.invoke({}, { requestId: 'req-1' });
  const c = json(r);
  expect(c).toMatchObject({
    awsRequestId: 'req-1',
    functionName: 'test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:test-fn',
    memoryLimitInMB: '128',
    logGroupName: '/aws/lambda/test-fn',
  });
  expect(c.remaining).toBeGreaterThan(1000);
  expect(c.remaining).toBeLessThanOrEqual(2000);
  expect(r.requestId).toBe('req-1');
});

test('a timeout terminates the worker with Lambda\'s message; a fresh worker serves the next call', async () => {
  const f = fn({
    'index.js': 'let n = 0; exports.handler = async (event) => { n++; if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return { n }; };',
  }, { timeoutMs: 200 });
  expect(json(await f.invoke({}))).toEqual({ n: 1 });
  const t0 = Date.now();
  const timedOut = await f.invoke({ hang: true }, { requestId: 'slow-1' });
  expect(Date.now() - t0).toBeLessThan(1500);
  expect(timedOut.functionError).toBe('Unhandled');
  expect(json(timedOut)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: slow-1 Error: Task timed out after 0.20 seconds' });
  const after = await f.invoke({});
  expect(json(after)).toEqual({ n: 1 }); // a new module instance
  expect(after.coldStart).toBe(true);
  expect(f.workersStarted).toBe(2);
});

test('a thrown error becomes the Node.js runtime\'s error document, and the worker stays warm', async () => {
  const f = fn({
    'index.js': `let n = 0;
      class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }
      exports.handler = async (event) => { n++; if (event.fail) throw new NotFound('[NotFound] no order ' + event.fail); return { n }; };`,
  });
  const r = await f.invoke({ fail: 42 });
  expect(r.functionError).toBe('Unhandled');
  const doc = json(r);
  expect(doc.errorType).toBe('NotFound');
  expect(doc.errorMessage).toBe('[NotFound] no order 42');
  expect(doc.trace[0]).toBe('NotFound: [NotFound] no order 42');
  expect(doc.trace.some((l: string) => l.includes('index.js'))).toBe(true);
  expect(json(await f.invoke({}))).toEqual({ n: 2 });
});

test('callback-style handlers (nodejs22.x): result, error, and the first answer wins', async () => {
  const f = fn({
    'index.js': `exports.handler = function (event, context, callback) {
      if (event.fail) return callback(new Error('bad input'));
      setTimeout(() => callback(null, { statusCode: 200, body: 'via callback' }), 5);
      setTimeout(() => callback(null, { statusCode: 500, body: 'second' }), 10);
    };`,
  });
  expect(json(await f.invoke({}))).toEqual({ statusCode: 200, body: 'via callback' });
  const failed = await f.invoke({ fail: true });
  expect(failed.functionError).toBe('Unhandled');
  expect(json(failed)).toMatchObject({ errorType: 'Error', errorMessage: 'bad input' });
});

test('nodejs24.x refuses callback-style handlers as that runtime does', async () => {
  const f = fn({ 'index.js': 'exports.handler = function (event, context, callback) { callback(null, 1); };' }, { runtime: 'nodejs24.x' });
  const r = await f.invoke({});
  expect(r.functionError).toBe('Unhandled');
  expect(json(r).errorType).toBe('Runtime.CallbackHandlerDeprecated');
});

test('ESM handlers: .mjs, and .js under "type": "module"', async () => {
  const mjs = fn({ 'index.mjs': 'let n = 0; export const handler = async (event) => ({ esm: true, n: ++n, got: event.x });' });
  expect(json(await mjs.invoke({ x: 1 }))).toEqual({ esm: true, n: 1, got: 1 });
  expect(json(await mjs.invoke({ x: 2 }))).toEqual({ esm: true, n: 2, got: 2 });
  const typeModule = fn({
    'package.json': '{"type":"module"}',
    'src/app.js': 'import { helper } from "./lib.js"; export async function handler() { return helper(); }',
    'src/lib.js': 'export const helper = () => "from lib";',
  }, { handler: 'src/app.handler' });
  expect(json(await typeModule.invoke({}))).toBe('from lib');
});

test('CommonJS: .cjs, nested paths, module.exports objects, nested export names', async () => {
  const cjs = fn({ 'lib/handlers/main.cjs': 'module.exports = { api: { get: async () => "nested" } };' }, { handler: 'lib/handlers/main.api.get' });
  expect(json(await cjs.invoke({}))).toBe('nested');
});

test('loading errors name what is wrong, and the next call tries again', async () => {
  const missing = fn({ 'index.js': 'exports.other = async () => 1;' });
  const r1 = await missing.invoke({});
  expect(json(r1)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
  const noModule = fn({}, { handler: 'app.handler' });
  expect(json(await noModule.invoke({}))).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'app'" });
  const syntax = fn({ 'index.js': 'exports.handler = async () => {' });
  expect(json(await syntax.invoke({})).errorType).toBe('Runtime.UserCodeSyntaxError');
  const bad = fn({ 'index.js': '' }, { handler: 'index' });
  expect(json(await bad.invoke({})).errorType).toBe('Runtime.MalformedHandlerName');
  const throwsAtInit = fn({ 'index.js': 'if (!globalThis.retried) { globalThis.retried = true; throw new TypeError("init failed"); }\nexports.handler = async () => "ok";' });
  expect(json(await throwsAtInit.invoke({}))).toMatchObject({ errorType: 'TypeError', errorMessage: 'init failed' });
  // A fresh worker (fresh globals) initialises again.
  const second = await throwsAtInit.invoke({});
  expect(json(second)).toMatchObject({ errorType: 'TypeError' });
  expect(throwsAtInit.workersStarted).toBe(2);
});

test('a crashing worker fails its invocation only; the function keeps serving', async () => {
  const f = fn({
    'index.js': `let n = 0;
      exports.handler = async (event) => {
        n++;
        if (event.exit) process.exit(3);
        if (event.timerThrows) { setTimeout(() => { throw new RangeError('thrown in a timer'); }, 1); return new Promise(() => {}); }
        if (event.rejects) { Promise.reject(new Error('unhandled rejection')); return new Promise(() => {}); }
        return { n };
      };`,
  });
  expect(json(await f.invoke({}))).toEqual({ n: 1 });
  const exited = await f.invoke({ exit: true }, { requestId: 'r-exit' });
  expect(exited.functionError).toBe('Unhandled');
  expect(json(exited)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: r-exit Error: Runtime exited with error: exit status 3' });
  expect(json(await f.invoke({}))).toEqual({ n: 1 });
  const timer = await f.invoke({ timerThrows: true });
  expect(json(timer)).toMatchObject({ errorType: 'RangeError', errorMessage: 'thrown in a timer' });
  const rejected = await f.invoke({ rejects: true });
  expect(json(rejected)).toMatchObject({ errorMessage: 'unhandled rejection' });
  expect(json(await f.invoke({}))).toEqual({ n: 1 });
  expect(f.workersStarted).toBe(4);
});

test('console output is captured per invocation in Lambda\'s format and forwarded', async () => {
  const f = fn({ 'index.js': 'console.log("init"); exports.handler = async (e) => { console.log("got %s", e.x); console.error(new Error("oops").message); return 1; };' });
  const r = await f.invoke({ x: 'it' }, { requestId: 'log-1' });
  // The first call's lines include the module's init output, which belongs to no request.
  expect(r.logs).toHaveLength(3);
  expect(r.logs[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tundefined\tINFO\tinit$/);
  expect(r.logs[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tlog-1\tINFO\tgot it$/);
  expect(r.logs[2]).toMatch(/\tlog-1\tERROR\toops$/);
  expect(logs).toEqual(r.logs);
  const again = await f.invoke({ x: 'more' }, { requestId: 'log-2' });
  expect(again.logs).toHaveLength(2);
  // process.stdout.write bypasses console: forwarded, not attributed.
  const raw = fn({ 'index.js': 'exports.handler = async () => { process.stdout.write("raw line\\n"); return 1; };' });
  await raw.invoke({});
  for (let i = 0; i < 50 && !logs.includes('raw line'); i++) await new Promise((r) => setTimeout(r, 10));
  expect(logs).toContain('raw line');
});

test('concurrent invocations: a small pool, each worker one call at a time, the rest queued', async () => {
  const f = fn({
    'index.js': 'const id = Math.random(); let busy = false; exports.handler = async () => { if (busy) throw new Error("overlap"); busy = true; await new Promise((r) => setTimeout(r, 50)); busy = false; return id; };',
  }, {}, 2);
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => f.invoke({})));
  expect(results.every((r) => r.functionError === undefined)).toBe(true);
  expect(new Set(results.map((r) => r.payload)).size).toBe(2);
  expect(f.workersStarted).toBe(2);
});

test('a closed function rejects new calls', async () => {
  const f = fn({ 'index.js': 'exports.handler = async () => 1;' });
  await f.invoke({});
  await f.close();
  await expect(f.invoke({})).rejects.toThrow(/closed/);
});

test('a synchronous handler\'s return value is ignored (null), as the Node.js runtime does; context.succeed answers', async () => {
  const f = fn({ 'index.js': 'exports.handler = (event, context) => { if (event.succeed) context.succeed({ via: "succeed" }); return { ignored: true }; };' });
  expect((await f.invoke({})).payload).toBe('null');
  expect(json(await f.invoke({ succeed: true }))).toEqual({ via: 'succeed' });
});

test('the event travels as JSON, and an oversized response is Lambda\'s size error', async () => {
  const f = fn({ 'index.js': 'exports.handler = async (event) => event.big ? "x".repeat(6300000) : { keys: Object.keys(event), when: typeof event.when };' });
  expect(json(await f.invoke({ a: 1, skip: undefined, when: new Date(0) }))).toEqual({ keys: ['a', 'when'], when: 'string' });
  const big = await f.invoke({ big: true });
  expect(big.functionError).toBe('Unhandled');
  expect(json(big)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
});

test('running out of MemorySize fails the invocation as Lambda does; the next call gets a fresh worker', async () => {
  const f = fn({
    'index.js': 'exports.handler = async (event) => { if (event.hog) { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); } return "ok"; };',
  }, { memorySizeMb: 32, timeoutMs: 10000 });
  const t0 = Date.now();
  const r = await f.invoke({ hog: true }, { requestId: 'oom-1' });
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(json(r)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: 'RequestId: oom-1 Error: Runtime exited with error: signal: killed' });
  expect(json(await f.invoke({}))).toBe('ok');
});

test('init time is not part of the Timeout, as on Lambda; getRemainingTimeInMillis counts from the handler\'s start', async () => {
  const f = fn({
    'index.js': 'const until = Date.now() + 300; while (Date.now() < until) {} exports.handler = async (e, context) => context.getRemainingTimeInMillis();',
  }, { timeoutMs: 200 });
  const r = await f.invoke({});
  expect(r.functionError).toBeUndefined();
  expect(json(r)).toBeGreaterThan(100);
  expect(json(r)).toBeLessThanOrEqual(200);
});

test('an event that is not JSON-serializable is the caller\'s error; the function keeps serving', async () => {
  const f = fn({ 'index.js': 'exports.handler = async () => "ok";' }, {}, 1);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  await expect(f.invoke(circular)).rejects.toThrow(/circular/i);
  expect(json(await f.invoke({}))).toBe('ok');
});
