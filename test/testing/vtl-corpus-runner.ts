import * as fs from 'fs';
import * as path from 'path';
import { MappingTemplate, MappingTemplateOptions, MappingTemplateRequest, MappingTemplateResult } from '../../lib/testing';

/**
 * Runs one case of the mapping-template corpus (test/testing/fixtures/vtl-corpus-recorded.jsonl,
 * copied from the recorded cases of the shared corpus; its README explains the format) through the
 * renderer and compares the result with what API Gateway printed.
 */

export interface CorpusRequest {
  readonly body?: string;
  readonly headers?: { [name: string]: string };
  readonly path?: { [name: string]: string };
  readonly querystring?: { [name: string]: string };
}

export interface CorpusCase {
  readonly id: string;
  readonly source: string;
  readonly recorded: boolean;
  readonly evidence: string;
  readonly note?: string;
  readonly template: string;
  readonly request: CorpusRequest;
  readonly stageVariables?: { [name: string]: string };
  readonly context?: { [key: string]: unknown };
  readonly integrationResponseBody?: string;
  readonly then?: { template: string; integrationResponseBody?: string; context?: { [key: string]: unknown } };
  readonly expected: unknown;
  readonly expectedOverrides?: {
    status?: number;
    responseHeader?: { [name: string]: string };
    requestHeader?: { [name: string]: string };
    requestPath?: { [name: string]: string };
    requestQuerystring?: { [name: string]: string };
  };
}

export function loadCorpus(file = path.join(__dirname, 'fixtures', 'vtl-corpus-recorded.jsonl')): CorpusCase[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusCase);
}

export interface CaseOutcome {
  readonly ok: boolean;
  /** Why it failed (the output and what was expected), empty when ok. */
  readonly detail: string;
}

function isObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of parsed JSON; `ordered` also compares object key order. */
function jsonEqual(a: unknown, b: unknown, ordered: boolean): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i], ordered));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    if (ordered && ka.some((k, i) => k !== kb[i])) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k], ordered));
  }
  return a === b;
}

function parseOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function subsetMatches(actual: { [k: string]: string }, expected: { [k: string]: string } | undefined): boolean {
  return Object.entries(expected ?? {}).every(([k, v]) => actual[k] === v);
}

function requestOf(c: CorpusCase, body: string | undefined, context: { [key: string]: unknown } | undefined): MappingTemplateRequest {
  return {
    body,
    headers: c.request.headers,
    pathParameters: c.request.path,
    queryParameters: c.request.querystring,
    stageVariables: c.stageVariables,
    context,
  };
}

/** Renders the case: one template, or a request template followed by a response template (`then`). */
function renderCase(c: CorpusCase, options?: MappingTemplateOptions): MappingTemplateResult {
  const first = MappingTemplate.renderWithOverrides(c.template, requestOf(c, c.integrationResponseBody ?? c.request.body, c.context), options);
  if (!c.then) return first;
  // Overrides set by the request template reach the response template's $context (MOCK chains).
  const carried: { [key: string]: unknown } = {
    requestOverride: first.requestOverrides,
    responseOverride: { header: first.headerOverrides, ...(first.statusOverride !== undefined ? { status: first.statusOverride } : {}) },
  };
  const context = { ...(c.context ?? {}), ...carried, ...(c.then.context ?? {}) };
  return MappingTemplate.renderWithOverrides(c.then.template, requestOf(c, c.then.integrationResponseBody ?? first.output, context), options);
}

function compareOutput(output: string, expected: unknown): string | undefined {
  if (typeof expected === 'string') return output === expected ? undefined : `expected exact text ${JSON.stringify(expected)}`;
  if (expected === null) return undefined; // only the overrides are checked
  if (!isObject(expected)) return `unknown expected form ${JSON.stringify(expected)}`;
  if ('trimmed' in expected) return output.trim() === expected.trimmed ? undefined : `expected trimmed text ${JSON.stringify(expected.trimmed)}`;
  if ('error' in expected) return 'expected the request to fail';
  if ('lambdaJson' in expected) {
    // The Lambda saw JSON.parse(output); an empty output reaches it as {}.
    const x = expected.lambdaJson;
    if (output.trim() === '') return jsonEqual(x, {}, false) ? undefined : `expected Lambda to see ${JSON.stringify(x)}, output is blank`;
    const parsed = parseOrUndefined(output);
    if (!parsed) return `expected Lambda to see ${JSON.stringify(x)}, output is not JSON`;
    return jsonEqual(parsed.value, x, false) ? undefined : `expected Lambda to see ${JSON.stringify(x)}`;
  }
  if ('json' in expected) {
    const parsed = parseOrUndefined(output);
    if (!parsed) return `expected JSON equal to ${JSON.stringify(expected.json)}, output is not JSON`;
    let actual = parsed.value;
    const parseStrings = (expected.parseStrings as string[] | undefined) ?? [];
    if (parseStrings.length > 0 && isObject(actual)) {
      actual = { ...actual };
      for (const k of parseStrings) {
        const v = (actual as { [key: string]: unknown })[k];
        const inner = typeof v === 'string' ? parseOrUndefined(v) : undefined;
        if (!inner) return `field ${k} is not a JSON string`;
        (actual as { [key: string]: unknown })[k] = inner.value;
      }
    }
    const ordered = expected.ordered === true;
    return jsonEqual(actual, expected.json, ordered) ? undefined : `expected JSON${ordered ? ' (key order checked)' : ''} equal to ${JSON.stringify(expected.json)}`;
  }
  return `unknown expected form ${JSON.stringify(expected)}`;
}

/** Runs a case and says whether the renderer printed what AWS recorded. */
export function runCorpusCase(c: CorpusCase, options?: MappingTemplateOptions): CaseOutcome {
  const wantsError = isObject(c.expected) && c.expected.error === true;
  let result: MappingTemplateResult;
  try {
    result = renderCase(c, options);
  } catch (e) {
    return wantsError ? { ok: true, detail: '' } : { ok: false, detail: `render failed: ${(e as Error).message}` };
  }
  if (wantsError) return { ok: false, detail: `expected the request to fail; output: ${JSON.stringify(result.output)}` };
  const problems: string[] = [];
  const outputProblem = compareOutput(result.output, c.expected);
  if (outputProblem) problems.push(`${outputProblem}; output: ${JSON.stringify(result.output)}`);
  const o = c.expectedOverrides;
  if (o) {
    if (o.status !== undefined && result.statusOverride !== o.status) problems.push(`status override ${result.statusOverride}, expected ${o.status}`);
    const checks: Array<[string, { [k: string]: string }, { [k: string]: string } | undefined]> = [
      ['responseHeader', result.headerOverrides, o.responseHeader],
      ['requestHeader', result.requestOverrides.header, o.requestHeader],
      ['requestPath', result.requestOverrides.path, o.requestPath],
      ['requestQuerystring', result.requestOverrides.querystring, o.requestQuerystring],
    ];
    for (const [name, actual, expected] of checks) {
      if (!subsetMatches(actual, expected)) problems.push(`${name} overrides ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  }
  return { ok: problems.length === 0, detail: problems.join('\n') };
}
