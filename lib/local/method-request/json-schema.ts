/**
 * A JSON Schema draft-04 validator (the draft API Gateway validates request bodies with), checked
 * against the official draft-04 test suite. Error messages follow the Java validator API Gateway
 * uses (java-json-tools json-schema-validator), as `$context.error.validationErrorString` shows them,
 * for the keywords models use most; `format` is not checked (API Gateway ignores it too).
 */

/** A schema document. */
export type JsonSchema = Record<string, unknown>;

/** Schemas by absolute URI (without a fragment): other models, remote documents. */
export type SchemaStore = ReadonlyMap<string, JsonSchema>;

/** One failure: the instance pointer and the message. */
export interface SchemaError {
  readonly pointer: string;
  readonly message: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const show = (v: unknown): string => JSON.stringify(v);

function resolveUri(base: string, ref: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    // A base that is not a URL (no id anywhere): refs are document-local.
    return ref.startsWith('#') ? `${base.split('#')[0]}${ref}` : ref;
  }
}

/** Decodes a JSON pointer fragment (`#/definitions/a~1b`) and walks `doc` by it. */
function walkPointer(doc: unknown, fragment: string): unknown {
  const parts = fragment.replace(/^\//, '').split('/').filter((p, _i, all) => !(p === '' && all.length === 1));
  let node: unknown = doc;
  for (const raw of parts) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const LOCAL_ROOT = 'local:schema';

/** Validates instances against one schema (and the documents `store` holds for `$ref`s). */
export class SchemaValidator {
  /** Subschemas by the absolute URI their `id` gives them. */
  private readonly ids = new Map<string, JsonSchema>();

  constructor(private readonly root: JsonSchema, private readonly store: SchemaStore = new Map(), private readonly rootUri = LOCAL_ROOT) {
    this.collectIds(root, typeof root.id === 'string' ? resolveUri(rootUri, root.id) : rootUri);
    for (const [uri, doc] of store) this.collectIds(doc, uri);
  }

  /** The failures of `instance` (empty when it is valid). */
  public validate(instance: unknown): SchemaError[] {
    const errors: SchemaError[] = [];
    const base = typeof this.root.id === 'string' ? resolveUri(this.rootUri, this.root.id) : this.rootUri;
    this.check(this.root, instance as Json, '', base, errors, 0);
    return errors;
  }

  private collectIds(schema: unknown, base: string): void {
    if (schema === null || typeof schema !== 'object') return;
    if (Array.isArray(schema)) {
      for (const s of schema) this.collectIds(s, base);
      return;
    }
    const s = schema as JsonSchema;
    let here = base;
    if (typeof s.id === 'string') {
      here = resolveUri(base, s.id);
      this.ids.set(here.endsWith('#') ? here.slice(0, -1) : here, s);
    }
    for (const [k, v] of Object.entries(s)) {
      if (k === 'enum' || k === 'const') continue;
      if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === 'dependencies') {
        if (v && typeof v === 'object') for (const sub of Object.values(v)) this.collectIds(sub, here);
      } else if (typeof v === 'object') {
        this.collectIds(v, here);
      }
    }
  }

  private deref(ref: string, base: string): { schema: JsonSchema; base: string } {
    const uri = resolveUri(base, ref);
    const [doc, fragment = ''] = uri.split('#');
    const byId = this.ids.get(uri) ?? this.ids.get(uri.replace(/#$/, ''));
    if (byId) return { schema: byId, base: uri };
    const document = doc === this.rootUri.split('#')[0] || doc === '' ? this.root : this.ids.get(doc) ?? this.store.get(doc);
    if (!document) throw new Error(`$ref ${ref}: no schema at ${doc} (only the API's own models are known)`);
    const target = fragment === '' ? document : walkPointer(document, fragment);
    if (target === undefined || target === null || typeof target !== 'object') throw new Error(`$ref ${ref}: nothing at #${fragment}`);
    return { schema: target as JsonSchema, base: doc };
  }

  private check(schema: JsonSchema, v: Json, at: string, base: string, errors: SchemaError[], depth: number): void {
    if (depth > 256) throw new Error('schema nesting too deep (recursive $ref?)');
    const fail = (message: string): void => {
      errors.push({ pointer: at, message });
    };
    if (typeof schema.$ref === 'string') {
      // draft-04: $ref replaces the whole schema it is in (siblings are ignored).
      const target = this.deref(schema.$ref, base);
      this.check(target.schema, v, at, target.base, errors, depth + 1);
      return;
    }
    if (typeof schema.id === 'string') base = resolveUri(base, schema.id);
    const sub = (s: unknown, value: Json, pointer: string): SchemaError[] => {
      const found: SchemaError[] = [];
      this.check(s as JsonSchema, value, pointer, base, found, depth + 1);
      return found;
    };

    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type as unknown[] : [schema.type];
      const ok = types.some((t) => (typeof t === 'string' ? matchesType(v, t) : sub(t, v, at).length === 0));
      if (!ok) {
        fail(`instance type (${typeOf(v)}) does not match any allowed primitive type (allowed: ${show(types.filter((t) => typeof t === 'string').sort())})`);
        return;
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, v))) {
      fail(`instance value (${show(v)}) not found in enum (possible values: ${show(schema.enum)})`);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (!Array.isArray(list)) continue;
      const results = list.map((s) => sub(s, v, at));
      const valid = results.filter((r) => r.length === 0).length;
      if (key === 'allOf' && valid < list.length) fail(`instance failed to match all required schemas (matched only ${valid} out of ${list.length})`);
      if (key === 'anyOf' && valid === 0) fail('instance failed to match at least one required schema among ' + list.length);
      if (key === 'oneOf' && valid !== 1) fail(`instance failed to match exactly one schema (matched ${valid} out of ${list.length})`);
    }
    if (schema.not !== undefined && sub(schema.not, v, at).length === 0) fail('instance matched a schema which it should not have');

    if (typeof v === 'number') this.checkNumber(schema, v, fail);
    if (typeof v === 'string') this.checkString(schema, v, fail);
    if (Array.isArray(v)) this.checkArray(schema, v, at, sub, errors, fail);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) this.checkObject(schema, v, at, sub, errors, fail);
  }

  private checkNumber(schema: JsonSchema, v: number, fail: (m: string) => void): void {
    if (typeof schema.minimum === 'number') {
      if (schema.exclusiveMinimum === true ? v <= schema.minimum : v < schema.minimum) {
        fail(schema.exclusiveMinimum === true
          ? `numeric instance is not strictly greater than the required minimum ${schema.minimum}`
          : `numeric instance is lower than the required minimum (minimum: ${schema.minimum}, found: ${v})`);
      }
    }
    if (typeof schema.maximum === 'number') {
      if (schema.exclusiveMaximum === true ? v >= schema.maximum : v > schema.maximum) {
        fail(schema.exclusiveMaximum === true
          ? `numeric instance is not strictly lower than the required maximum ${schema.maximum}`
          : `numeric instance is greater than the required maximum (maximum: ${schema.maximum}, found: ${v})`);
      }
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const q = v / schema.multipleOf;
      if (!Number.isFinite(q) || Math.abs(q - Math.round(q)) > 1e-9) fail(`remainder of division is not zero (${v} / ${schema.multipleOf})`);
    }
  }

  private checkString(schema: JsonSchema, v: string, fail: (m: string) => void): void {
    const length = [...v].length; // code points, not UTF-16 units
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      fail(`string ${show(v)} is too short (length: ${length}, required minimum: ${schema.minLength})`);
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      fail(`string ${show(v)} is too long (length: ${length}, maximum allowed: ${schema.maxLength})`);
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) {
      fail(`ECMA 262 regex ${show(schema.pattern)} does not match input string ${show(v)}`);
    }
  }

  private checkArray(schema: JsonSchema, v: Json[], at: string, sub: (s: unknown, v: Json, p: string) => SchemaError[], errors: SchemaError[], fail: (m: string) => void): void {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) {
      fail(`array is too short: must have at least ${schema.minItems} elements but instance has ${v.length} elements`);
    }
    if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) {
      fail(`array is too long: must have at most ${schema.maxItems} elements but instance has ${v.length} elements`);
    }
    if (schema.uniqueItems === true && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) fail('array must not contain duplicate elements');
    if (Array.isArray(schema.items)) {
      const tuple = schema.items as unknown[];
      v.forEach((item, i) => {
        if (i < tuple.length) errors.push(...sub(tuple[i], item, `${at}/${i}`));
        else if (schema.additionalItems && typeof schema.additionalItems === 'object') errors.push(...sub(schema.additionalItems, item, `${at}/${i}`));
      });
      if (schema.additionalItems === false && v.length > tuple.length) fail(`array instance has more elements than allowed (allowed: ${tuple.length}, found: ${v.length})`);
    } else if (schema.items && typeof schema.items === 'object') {
      v.forEach((item, i) => errors.push(...sub(schema.items, item, `${at}/${i}`)));
    }
  }

  private checkObject(schema: JsonSchema, v: { [k: string]: Json }, at: string, sub: (s: unknown, v: Json, p: string) => SchemaError[], errors: SchemaError[], fail: (m: string) => void): void {
    const keys = Object.keys(v);
    if (Array.isArray(schema.required)) {
      const missing = (schema.required as string[]).filter((k) => !Object.prototype.hasOwnProperty.call(v, k));
      if (missing.length > 0) fail(`object has missing required properties (${show(missing.sort())})`);
    }
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      fail(`object has too few properties (found ${keys.length} but schema requires at least ${schema.minProperties})`);
    }
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      fail(`object has too many properties (found ${keys.length} but schema requires at most ${schema.maxProperties})`);
    }
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, unknown>).map(([p, s]) => [new RegExp(p, 'u'), s] as const);
    const extra: string[] = [];
    for (const key of keys) {
      const pointer = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      let matched = false;
      if (Object.prototype.hasOwnProperty.call(properties, key)) {
        matched = true;
        errors.push(...sub(properties[key], v[key], pointer));
      }
      for (const [re, s] of patterns) {
        if (re.test(key)) {
          matched = true;
          errors.push(...sub(s, v[key], pointer));
        }
      }
      if (!matched) {
        if (schema.additionalProperties === false) extra.push(key);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...sub(schema.additionalProperties, v[key], pointer));
      }
    }
    if (extra.length > 0) fail(`object instance has properties which are not allowed by the schema: ${show(extra.sort())}`);
    for (const [key, dependency] of Object.entries((schema.dependencies ?? {}) as Record<string, unknown>)) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      if (Array.isArray(dependency)) {
        const missing = (dependency as string[]).filter((d) => !Object.prototype.hasOwnProperty.call(v, d));
        if (missing.length > 0) fail(`property ${show(key)} of object has missing property dependencies (schema requires ${show(dependency)}; missing: ${show(missing)})`);
      } else {
        errors.push(...sub(dependency, v, at));
      }
    }
  }
}

/** Validates `instance` against `schema`; the failures, or an empty list. */
export function validateJsonSchema(schema: JsonSchema, instance: unknown, store?: SchemaStore, rootUri?: string): SchemaError[] {
  return new SchemaValidator(schema, store, rootUri).validate(instance);
}
