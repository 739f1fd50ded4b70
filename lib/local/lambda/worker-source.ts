/**
 * The code a function's worker thread runs, kept as JavaScript text and started with
 * `new Worker(WORKER_SOURCE, { eval: true })`: it needs no compiled file next to it, so it runs the
 * same from the TypeScript sources (ts-jest, ts-node) and from dist.
 *
 * It plays the part of the Node.js runtime interface client: loads the handler once (warm reuse),
 * then answers 'invoke' messages one at a time with a context object, async or callback handlers,
 * console lines in Lambda's format, and errors as the Node.js runtime reports them
 * (`{errorType, errorMessage, trace}`, https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html).
 *
 * Messages to the parent: {type:'started', id} (init done, the handler is called; the Timeout starts)
 * | {type:'log', requestId, line} | {type:'result', id, payload, error, initFailed}.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');
const { createRequire } = require('node:module');

const { taskRoot, handler: handlerString, runtime, functionName, memorySizeMb, region, accountId, logGroupName, logStreamName } = workerData;
let currentRequestId;

// Console lines as the Node.js runtime writes them: time, request id, level, message.
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]) {
  console[method] = (...args) => {
    const line = new Date().toISOString() + '\t' + currentRequestId + '\t' + level + '\t' + util.format(...args);
    parentPort.postMessage({ type: 'log', requestId: currentRequestId, line });
  };
}

class RuntimeError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

function errorPayload(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\n') };
  }
  // A non-Error thrown or passed to callback: the runtime reports its type name and text.
  return { errorType: typeof err === 'string' ? 'string' : typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

function nearestPackageType(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type; } catch { return undefined; }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

async function importFile(file) {
  return import(pathToFileURL(file).href);
}

function requireFile(file) {
  return createRequire(file)(file);
}

// 'src/app.handler' → module 'src/app', export 'handler' (a dotted rest names a nested property).
async function loadHandler() {
  const slash = handlerString.lastIndexOf('/');
  const base = handlerString.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler ' + handlerString);
  const moduleName = handlerString.slice(0, slash + 1) + base.slice(0, dot);
  const exportPath = base.slice(dot + 1).split('.');
  const stem = path.resolve(taskRoot, moduleName);
  let mod;
  try {
    if (fs.existsSync(stem + '.js')) {
      if (nearestPackageType(path.dirname(stem)) === 'module') {
        mod = await importFile(stem + '.js');
      } else {
        try { mod = requireFile(stem + '.js'); } catch (e) {
          if (e && e.code === 'ERR_REQUIRE_ESM') mod = await importFile(stem + '.js'); else throw e;
        }
      }
    } else if (fs.existsSync(stem + '.mjs')) {
      mod = await importFile(stem + '.mjs');
    } else if (fs.existsSync(stem + '.cjs')) {
      mod = requireFile(stem + '.cjs');
    } else {
      throw new RuntimeError('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'");
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(e));
    throw e;
  }
  const pick = (root) => exportPath.reduce((o, k) => (o == null ? undefined : o[k]), root);
  let fn = pick(mod);
  if (fn === undefined && mod && mod.default) fn = pick(mod.default); // CommonJS seen through import()
  if (typeof fn !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', handlerString + ' is undefined or not exported');
  // The nodejs24.x runtime no longer runs callback-style handlers (AWS's Node.js 24 launch; the
  // check on the declared parameter count is this emulator's choice).
  const major = Number((/^nodejs(\d+)/.exec(runtime) || [])[1]);
  if (major >= 24 && fn.length >= 3 && fn.constructor.name !== 'AsyncFunction') {
    throw new RuntimeError('Runtime.CallbackHandlerDeprecated',
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. ' +
      'You need to modify this function to use a supported handler signature to use Node.js 24 or later.');
  }
  return fn;
}

let handlerPromise;

function makeContext(msg, settle) {
  const context = {
    callbackWaitsForEmptyEventLoop: true, // kept for code that sets it; the emulator answers on the callback
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:' + region + ':' + accountId + ':function:' + functionName,
    memoryLimitInMB: String(memorySizeMb),
    awsRequestId: msg.requestId,
    logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done: (err, result) => settle(err, result),
    succeed: (result) => settle(null, result),
    fail: (err) => settle(err === undefined || err === null ? new Error('handled') : err),
  };
  return context;
}

async function invoke(msg) {
  // Init (the module's top level) runs outside any request, as on Lambda: its lines say 'undefined'.
  currentRequestId = undefined;
  let settled = false;
  let resolveOutcome;
  const outcome = new Promise((r) => { resolveOutcome = r; });
  const settle = (err, result) => {
    if (settled) return;
    settled = true;
    resolveOutcome(err !== undefined && err !== null ? { error: errorPayload(err) } : { result });
  };
  let fn;
  let initFailed = false;
  try {
    if (!handlerPromise) handlerPromise = loadHandler();
    fn = await handlerPromise;
    currentRequestId = msg.requestId;
  } catch (err) {
    // Init failed: reported on this invocation; the parent replaces the worker (a fresh init next time).
    initFailed = true;
    settle(err);
  }
  if (fn) {
    msg.deadline = Date.now() + msg.timeoutMs;
    parentPort.postMessage({ type: 'started', id: msg.id });
    try {
      const returned = fn(JSON.parse(msg.event), makeContext(msg, settle), (err, result) => settle(err, result));
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => settle(null, result), (err) => settle(err === undefined || err === null ? new Error(String(err)) : err));
      } else if (fn.length < 3) {
        // The Node.js runtime ignores what a synchronous handler returns: without a callback or
        // context.succeed the answer is null once the event loop is empty (approximated: the next turn).
        setImmediate(() => settle(null, null));
      }
    } catch (err) {
      settle(err);
    }
  }
  const o = await outcome;
  let payload;
  let error = false;
  if (o.error) {
    payload = JSON.stringify(o.error);
    error = true;
  } else {
    try {
      const json = JSON.stringify(o.result);
      payload = json === undefined ? 'null' : json;
      // Lambda's limit for a synchronous response (its message states 6291556 bytes).
      if (Buffer.byteLength(payload) > 6291556) {
        payload = JSON.stringify({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
        error = true;
      }
    } catch (err) {
      payload = JSON.stringify(errorPayload(err));
      error = true;
    }
  }
  parentPort.postMessage({ type: 'result', id: msg.id, payload, error, initFailed });
}

parentPort.on('message', (msg) => {
  if (msg && msg.type === 'invoke') invoke(msg);
});
`;
