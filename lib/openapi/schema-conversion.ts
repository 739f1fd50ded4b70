/**
 * API Gateway models (JSON Schema draft-04) as OpenAPI 3.0 schemas: `$ref`s to other models (API
 * Gateway's model URLs) and to `#/definitions/...` become `#/components/schemas/...` (definitions are
 * hoisted as `<Model>_<name>`); a `type` list with `null` becomes `nullable`; keywords OpenAPI 3.0 has
 * no place for (`patternProperties`, `dependencies`, `additionalItems`, tuple `items`) are kept as
 * `x-` extensions so nothing is lost; `$schema` and `id` are dropped.
 */

/** A name usable as a `components/schemas` (or security scheme) key. */
export function componentName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A schema the document gains while converting (a hoisted definition). */
export type HoistSchema = (name: string, schema: Record<string, unknown>) => void;

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;
const UNSUPPORTED = ['patternProperties', 'dependencies', 'additionalItems', 'const', 'contains', 'propertyNames', 'examples', 'if', 'then', 'else'];

/** The component name of a `$ref`, from the model it sits in. */
function refTarget(ref: string, model: string): string {
  const url = MODEL_URL.exec(ref);
  if (url) return url[2]?.startsWith('#/definitions/') ? `${url[1]}_${url[2].slice('#/definitions/'.length)}` : url[1];
  if (ref === '#') return model;
  if (ref.startsWith('#/definitions/')) return `${model}_${ref.slice('#/definitions/'.length)}`;
  return ref;
}

/** Converts the model `model`'s schema; hoisted definitions go to `hoist`. */
export function toOpenApiSchema(schema: unknown, model: string, hoist: HoistSchema): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const sub = (s: unknown): Record<string, unknown> => toOpenApiSchema(s, model, hoist);
  for (const [k, v] of Object.entries(source)) {
    switch (k) {
      case '$schema':
      case 'id':
        break;
      case '$ref': {
        const target = refTarget(String(v), model);
        out.$ref = target.startsWith('#') || /^[a-z]+:/.test(target) ? target : `#/components/schemas/${componentName(target)}`;
        break;
      }
      case 'definitions':
        for (const [name, definition] of Object.entries(v as Record<string, unknown>)) hoist(componentName(`${model}_${name}`), sub(definition));
        break;
      case 'type':
        if (Array.isArray(v)) {
          const types = v.filter((t) => t !== 'null');
          if (types.length < v.length) out.nullable = true;
          if (types.length === 1) out.type = types[0];
          else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
        } else if (v === 'null') {
          out.nullable = true;
          out.enum = [null];
        } else out.type = v;
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, sub(s)]));
        break;
      case 'items':
        if (Array.isArray(v)) {
          out.items = { anyOf: v.map(sub) };
          out['x-items'] = v.map(sub);
        } else out.items = sub(v);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof v === 'object' ? sub(v) : v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[k] = (v as unknown[]).map(sub);
        break;
      case 'not':
        out.not = sub(v);
        break;
      case 'enum':
        out.enum = v;
        if (Array.isArray(v) && v.includes(null)) out.nullable = true;
        break;
      default:
        if (UNSUPPORTED.includes(k)) out[`x-${k}`] = v;
        else out[k] = v;
    }
  }
  // A $ref takes no siblings in OpenAPI 3.0: keep the reference, wrap the rest in allOf.
  if (out.$ref !== undefined && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }, rest] };
  }
  return out;
}
