import type { MappingTemplateRequest, MappingTemplateResult } from '../testing/mapping-template';
import { buildVariables } from './api-gateway';
import { TemplateNode } from './ast';
import { SourceText } from './errors';
import { Interpreter } from './interpreter';
import { parseTemplate } from './parser';
import { toJavaString, Value, VMap } from './values';

/**
 * Renders one API Gateway mapping template against a request and reports the
 * `$context.requestOverride` / `responseOverride` values it set. Shared by `testing`'s
 * `MappingTemplate` and the local emulator.
 */

const parsed = new Map<string, TemplateNode[]>();

/** Parsed templates are cached: the emulator renders the same few templates on every request. */
function parse(template: string): TemplateNode[] {
  let nodes = parsed.get(template);
  if (!nodes) {
    nodes = parseTemplate(new SourceText(template));
    if (parsed.size >= 200) parsed.clear();
    parsed.set(template, nodes);
  }
  return nodes;
}

function stringMap(v: Value): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  if (v instanceof VMap) {
    for (const e of v.entries()) {
      if (e.value !== null) out[toJavaString(e.key)] = toJavaString(e.value);
    }
  }
  return out;
}

function statusOf(v: Value): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * Render `template` against `request`. `strict` fails the render on a call Java would not find
 * (API Gateway renders it as nothing).
 */
export function renderMappingTemplate(template: string, request: MappingTemplateRequest, strict: boolean): MappingTemplateResult {
  const nodes = parse(template);
  // Plain text (a mock's `{"statusCode": 200}`) reads no variable: skip building them (the emulator's hot path).
  if (nodes.every((n) => n.type === 'text')) {
    return { output: nodes.map((n) => (n as { text: string }).text).join(''), headerOverrides: {}, requestOverrides: { header: {}, path: {}, querystring: {} } };
  }
  const { vars, context } = buildVariables(request);
  const interpreter = new Interpreter(vars);
  interpreter.strict = strict;
  const output = interpreter.render(nodes);
  const responseOverride = context.get('responseOverride');
  const requestOverride = context.get('requestOverride');
  const inMap = (m: Value, key: string): Value => (m instanceof VMap ? m.get(key) : null);
  return {
    output,
    statusOverride: statusOf(inMap(responseOverride, 'status')),
    headerOverrides: stringMap(inMap(responseOverride, 'header')),
    requestOverrides: {
      header: stringMap(inMap(requestOverride, 'header')),
      path: stringMap(inMap(requestOverride, 'path')),
      querystring: stringMap(inMap(requestOverride, 'querystring')),
    },
  };
}
