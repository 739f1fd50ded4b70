/**
 * JSONPath states' data flow: reading `$...` (the input), `$$...` (the context object) and `$name...`
 * (a variable), and payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`) whose
 * `key.$` fields take a path or an intrinsic function.
 */
import { StatesError } from './errors';
import { evaluateIntrinsic, isIntrinsicCall, PathScope } from './intrinsic-functions';
import { queryPath } from './jsonpath';

/** What a JSONPath state reads from. */
export interface JsonPathData {
  readonly input: unknown;
  readonly context: unknown;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** Reads a path; a definite path that names nothing is a States.Runtime error naming `field`. */
export function readPath(path: string, data: JsonPathData, field: string): unknown {
  if (path.startsWith('$$')) {
    const r = queryPath(data.context, path.slice(1));
    if (!r.found) throw new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the context object`);
    return r.value;
  }
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(path);
  if (variable) {
    if (!(variable[1] in data.variables)) throw new StatesError('States.Runtime', `The variable '$${variable[1]}' of the field '${field}' is not defined`);
    const r = queryPath(data.variables[variable[1]], `$${variable[2]}`);
    if (!r.found) throw new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the variable`);
    return r.value;
  }
  const r = queryPath(data.input, path);
  if (!r.found) {
    throw new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(data.input)}'`);
  }
  return r.value;
}

/** The value of a payload template: `key.$` fields evaluated (the key loses `.$`), the rest copied. */
export function applyPayloadTemplate(template: unknown, data: JsonPathData, field: string): unknown {
  if (Array.isArray(template)) return template.map((t) => applyPayloadTemplate(t, data, field));
  if (typeof template !== 'object' || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') throw new StatesError('States.Runtime', `The field '${key}' of ${field} must be a path or an intrinsic function`);
      out[key.slice(0, -2)] = evaluateDynamic(value, data, `${field}.${key}`);
    } else {
      out[key] = applyPayloadTemplate(value, data, field);
    }
  }
  return out;
}

/** A `.$` value: an intrinsic function or a path. */
export function evaluateDynamic(value: string, data: JsonPathData, field: string): unknown {
  const scope: PathScope = { read: (p) => readPath(p, data, field) };
  if (isIntrinsicCall(value)) return evaluateIntrinsic(value, scope);
  return scope.read(value.trim());
}
