import { Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Field } from '../field';
import { ServiceBinding, ServiceGrant, ServiceResponse, ServiceRouteInfo } from '../internal/service-binding';
import { literalJson } from '../templates/vtl';
import { attributeTypeLetter, KeyAttribute, KeyShape, tableLabel, TableShape, tableShape } from './dynamodb-schema';
import {
  clientErrorTemplate,
  ConditionalAnswer,
  exclusiveStartKey,
  itemListTemplate,
  itemOrMissingTemplate,
  itemTemplate,
  jsonObject,
  MAX_NESTING,
  RequestAttributeType,
  requestAttributeValue,
  THROTTLED_STATUS,
  VtlNames,
} from './dynamodb-templates';
import { serviceErrorResponses } from './responses';

/**
 * A request value written to DynamoDB with a type: `DynamoAttribute.stringValue(Field.body('$.name'))`.
 * Every value is escaped as JSON string content, so no request can change the shape of the call.
 */
export class DynamoAttribute {
  /**
   * A string (S): the value's text, exactly as sent. A value the request lacks is written as the empty
   * string, which DynamoDB accepts for ordinary attributes and rejects (400) for key attributes.
   */
  public static stringValue(field: Field): DynamoAttribute {
    return new DynamoAttribute('S', checkField('string', field));
  }

  /**
   * A number (N): the value's text (a JSON number from the body is written as its text). DynamoDB
   * checks the number, so text that is not one, or a missing value, answers 400. Send large or precise
   * numbers as JSON strings: API Gateway reads a JSON number from the body as a Java double.
   */
  public static numberValue(field: Field): DynamoAttribute {
    return new DynamoAttribute('N', checkField('number', field));
  }

  /** A boolean (BOOL): true for JSON `true` or the text `true`; anything else, or nothing, is false. */
  public static booleanValue(field: Field): DynamoAttribute {
    return new DynamoAttribute('BOOL', checkField('boolean', field));
  }

  private constructor(
    /** @internal */ public readonly _type: RequestAttributeType,
    /** @internal */ public readonly _field: Field,
  ) {}

  /** For error messages. @internal */
  public get _description(): string {
    const factory = this._type === 'S' ? 'string' : this._type === 'N' ? 'number' : 'boolean';
    return `DynamoAttribute.${factory}Value(${this._field._description})`;
  }
}

/** How a key condition compares. @internal */
export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'begins_with' | 'between';

/** One comparison of a key condition. @internal */
export interface KeyConditionPart {
  readonly attribute: string;
  readonly operator: KeyOperator;
  readonly values: DynamoAttribute[];
}

/**
 * The key condition of a Query: equality on the partition key, optionally `and` one condition on the
 * sort key, e.g. `KeyCondition.eq('customerId', ...).andSortKey(KeyCondition.beginsWith('orderDate', ...))`.
 */
export class KeyCondition {
  /** The attribute equals the value (the partition key condition, or an exact sort key). */
  public static eq(attribute: string, value: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, '=', [value]);
  }

  /** The sort key is less than the value. */
  public static lessThan(attribute: string, value: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, '<', [value]);
  }

  /** The sort key is less than or equal to the value. */
  public static lessThanOrEqual(attribute: string, value: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, '<=', [value]);
  }

  /** The sort key is greater than the value. */
  public static greaterThan(attribute: string, value: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, '>', [value]);
  }

  /** The sort key is greater than or equal to the value. */
  public static greaterThanOrEqual(attribute: string, value: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, '>=', [value]);
  }

  /** The sort key (a string) begins with the value. */
  public static beginsWith(attribute: string, prefix: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, 'begins_with', [prefix]);
  }

  /** The sort key is between `low` and `high`, both included. */
  public static between(attribute: string, low: DynamoAttribute, high: DynamoAttribute): KeyCondition {
    return KeyCondition.of(attribute, 'between', [low, high]);
  }

  private static of(attribute: string, operator: KeyOperator, values: DynamoAttribute[]): KeyCondition {
    if (typeof attribute !== 'string' || attribute.length === 0) throw new Error('KeyCondition: name the key attribute');
    for (const v of values) {
      if (!(v instanceof DynamoAttribute)) throw new Error(`KeyCondition on '${attribute}': pass a DynamoAttribute, e.g. DynamoAttribute.stringValue(Field.path('id'))`);
    }
    return new KeyCondition([{ attribute, operator, values }]);
  }

  private constructor(/** @internal */ public readonly _parts: KeyConditionPart[]) {}

  /** This condition and a condition on the sort key. */
  public andSortKey(sortKeyCondition: KeyCondition): KeyCondition {
    return new KeyCondition([...this._parts, ...sortKeyCondition._parts]);
  }
}

/** What UpdateItem answers with. */
export enum DynamoReturnValues {
  /** 200 with the whole item after the update. */
  ALL_NEW = 'ALL_NEW',
  /** 200 with only the attributes the update set. */
  UPDATED_NEW = 'UPDATED_NEW',
  /** 204 without a body. */
  NONE = 'NONE',
}

/** The key schema of a table (or of an index) defined outside this app. */
export interface DynamoKeySchema {
  /** The partition key attribute. */
  readonly partitionKey: dynamodb.Attribute;
  /**
   * The sort key attribute.
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;
}

/** How the DynamoDB presets answer items. */
export interface DynamoDbItemAnswerOptions {
  /**
   * How many levels of nested maps and lists the answer converts to plain JSON: 0 converts only the
   * item's attributes (a map or list attribute answers `null`), each level adds about 1.5 KB to the
   * method's template (VTL has no recursion, so each level is written out). Lower it for flat items to
   * keep templates small; large APIs fit more routes in a stack. Only ServiceIntegrationRoute's templates
   * use it (a FanOutBranch converts any depth).
   * @default 4 (5 levels: the item's attributes and 4 levels of maps and lists inside them)
   */
  readonly nestingDepth?: number;
}

/** Options of `ServiceAction.dynamoDbPutItem`. */
export interface DynamoDbPutItemOptions extends DynamoDbItemAnswerOptions {
  /** The item's attributes, key attributes included, e.g. `{ id: DynamoAttribute.stringValue(Field.context('requestId')) }`. */
  readonly item: { [attribute: string]: DynamoAttribute };
  /**
   * Write only if no item with this key exists; otherwise answer 409 Conflict.
   * @default false: an existing item gets the listed attributes (others it has are kept)
   */
  readonly onlyIfNew?: boolean;
  /**
   * The table's key schema, for a table imported from outside this app.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `ServiceAction.dynamoDbGetItem`. */
export interface DynamoDbGetItemOptions extends DynamoDbItemAnswerOptions {
  /** The item's key: exactly the partition key and (if the table has one) the sort key. */
  readonly key: { [attribute: string]: DynamoAttribute };
  /**
   * Only these top-level attributes are answered.
   * @default - all attributes
   */
  readonly projection?: string[];
  /**
   * Strongly consistent read.
   * @default false
   */
  readonly consistentRead?: boolean;
  /**
   * The table's key schema, for a table imported from outside this app.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `ServiceAction.dynamoDbQuery`. */
export interface DynamoDbQueryOptions extends DynamoDbItemAnswerOptions {
  /** Which items: partition key equality, optionally `.andSortKey(...)` a sort key condition. */
  readonly keyCondition: KeyCondition;
  /**
   * Query this secondary index instead of the table.
   * @default - the table
   */
  readonly indexName?: string;
  /**
   * Items per page, 1 to 1000 (API Gateway's templates loop at most 1000 times).
   * @default 100
   */
  readonly limit?: number;
  /**
   * Ascending sort key order; false for descending.
   * @default true
   */
  readonly scanIndexForward?: boolean;
  /**
   * Strongly consistent read (not on a global secondary index).
   * @default false
   */
  readonly consistentRead?: boolean;
  /**
   * Where the client passes the `nextToken` of the previous page.
   * @default Field.query('nextToken')
   */
  readonly paginationToken?: Field;
  /**
   * The key schema of the table, or with `indexName` of the index, when the table is imported.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `ServiceAction.dynamoDbUpdateItem`. */
export interface DynamoDbUpdateItemOptions extends DynamoDbItemAnswerOptions {
  /** The item's key: exactly the partition key and (if the table has one) the sort key. */
  readonly key: { [attribute: string]: DynamoAttribute };
  /** The attributes to set (not key attributes). */
  readonly set: { [attribute: string]: DynamoAttribute };
  /**
   * What the answer holds.
   * @default DynamoReturnValues.ALL_NEW
   */
  readonly returnValues?: DynamoReturnValues;
  /**
   * The table's key schema, for a table imported from outside this app.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `ServiceAction.dynamoDbDeleteItem`. */
export interface DynamoDbDeleteItemOptions extends DynamoDbItemAnswerOptions {
  /** The item's key: exactly the partition key and (if the table has one) the sort key. */
  readonly key: { [attribute: string]: DynamoAttribute };
  /**
   * Answer 200 with the deleted item; false answers 204 without a body.
   * @default true
   */
  readonly returnDeletedItem?: boolean;
  /**
   * The table's key schema, for a table imported from outside this app.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `ServiceAction.dynamoDbScan`. */
export interface DynamoDbScanOptions extends DynamoDbItemAnswerOptions {
  /**
   * Scan this secondary index instead of the table.
   * @default - the table
   */
  readonly indexName?: string;
  /**
   * Items per page, 1 to 1000 (API Gateway's templates loop at most 1000 times).
   * @default 100
   */
  readonly limit?: number;
  /**
   * Strongly consistent read (not on a global secondary index).
   * @default false
   */
  readonly consistentRead?: boolean;
  /**
   * Where the client passes the `nextToken` of the previous page.
   * @default Field.query('nextToken')
   */
  readonly paginationToken?: Field;
}

const NOT_FOUND: ConditionalAnswer = { status: 404, message: 'Not found' };
const CONFLICT: ConditionalAnswer = { status: 409, message: 'An item with this key already exists' };
const READ_KEY_ACTIONS = ['kms:Decrypt'];
const WRITE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt'];

/**
 * PutItem that answers 201 with the item as written. DynamoDB's PutItem cannot return what it wrote and
 * a response template cannot read the request body, so the item is written with UpdateItem (SET every
 * non-key attribute, ReturnValues ALL_NEW); with `onlyIfNew` that is exactly a conditional PutItem.
 */
export function bindDynamoDbPutItem(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbPutItemOptions): ServiceBinding {
  const ctx = new Context(route, table, options.keySchema);
  const key = ctx.primaryKey('dynamoDbPutItem');
  const item = ctx.attributes('item', options.item);
  if (item.length === 0) throw ctx.error('item is empty: list the attributes to write, key attributes included');
  const keyEntries = ctx.keyEntries('item', key, item, true);
  const rest = item.filter(([name]) => !key.some((k) => k.name === name));
  const expression = new Expression(ctx);
  const sets = rest.map(([name, value]) => `${expression.name(name, 'a')} = ${expression.value(value, 'v')}`);
  const condition = options.onlyIfNew ? `attribute_not_exists(${expression.name(key[0].name, 'k')})` : undefined;
  const body: Array<[string, string]> = [['Key', keyEntries]];
  if (sets.length > 0) body.push(['UpdateExpression', literalJson(`SET ${sets.join(', ')}`)]);
  if (condition) body.push(['ConditionExpression', literalJson(condition)]);
  body.push(...expression.entries(), ['ReturnValues', '"ALL_NEW"']);
  return ctx.binding('UpdateItem', body, [{ statusCode: 201, template: itemTemplate('$.Attributes', ctx.nesting(options.nestingDepth)) }], {
    write: true, conditional: options.onlyIfNew ? CONFLICT : undefined,
  });
}

/** GetItem: 200 with the item as plain JSON, 404 when there is none. */
export function bindDynamoDbGetItem(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbGetItemOptions): ServiceBinding {
  const ctx = new Context(route, table, options.keySchema);
  const key = ctx.primaryKey('dynamoDbGetItem');
  const keyEntries = ctx.keyEntries('key', key, ctx.attributes('key', options.key), false);
  const expression = new Expression(ctx);
  const body: Array<[string, string]> = [['Key', keyEntries]];
  if (options.projection !== undefined) {
    if (!Array.isArray(options.projection) || options.projection.length === 0) {
      throw ctx.error('projection is empty: list the attributes to answer, or leave projection out for all of them');
    }
    const seen = new Set<string>();
    for (const name of options.projection) {
      ctx.checkName('projection', name);
      if (seen.has(name)) throw ctx.error(`projection lists '${name}' twice: list each attribute once`);
      seen.add(name);
    }
    body.push(['ProjectionExpression', literalJson(options.projection.map((p) => expression.name(p, 'p')).join(', '))]);
  }
  if (options.consistentRead) body.push(['ConsistentRead', 'true']);
  body.push(...expression.entries());
  return ctx.binding('GetItem', body, [{ statusCode: 200, template: itemOrMissingTemplate('$.Item', NOT_FOUND, true, ctx.nesting(options.nestingDepth)) }], {
    write: false, overrides: [NOT_FOUND.status],
  });
}

/** Query: 200 with `{"items": [...], "count": n, "nextToken"?: "..."}`. */
export function bindDynamoDbQuery(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbQueryOptions): ServiceBinding {
  const ctx = new Context(route, table, options.keySchema);
  const index = ctx.index(options.indexName, options.consistentRead);
  const key = ctx.queryKey(options.indexName);
  const condition = options.keyCondition;
  if (!(condition instanceof KeyCondition)) {
    throw ctx.error(`keyCondition is required, e.g. KeyCondition.eq('${key.partitionKeys[0].name}', DynamoAttribute.stringValue(Field.path('id')))`);
  }
  const [first, second, ...more] = condition._parts;
  const pk = key.partitionKeys[0];
  const sk = key.sortKeys[0];
  const where = options.indexName ? `index ${options.indexName}` : 'the table';
  if (first.attribute !== pk.name || first.operator !== '=') {
    throw ctx.error(`keyCondition must start with KeyCondition.eq('${pk.name}', ...): the partition key of ${where} is ${pk.name} and a Query needs its exact value`);
  }
  if (more.length > 0) throw ctx.error('keyCondition has more than two parts: a Query takes the partition key and at most one sort key condition');
  if (second) {
    if (!sk) throw ctx.error(`keyCondition has a condition on '${second.attribute}', but ${where} has no sort key: remove .andSortKey(...)`);
    if (second.attribute !== sk.name) {
      throw ctx.error(`keyCondition's second part names '${second.attribute}', which is not the sort key of ${where}: use '${sk.name}'`);
    }
    if (second.operator === 'begins_with' && sk.type !== 'S') {
      throw ctx.error(`KeyCondition.beginsWith needs a string sort key, and ${sk.name} is ${typeName(sk.type)}: use a range condition`);
    }
  }
  const expression = new Expression(ctx);
  const comparisons = condition._parts.map((part, i) => {
    const attribute = i === 0 ? pk : sk;
    for (const v of part.values) ctx.checkType(`keyCondition on '${part.attribute}'`, attribute, v);
    const n = expression.name(part.attribute, 'k');
    const values = part.values.map((v) => expression.value(v, 'k'));
    if (part.operator === 'begins_with') return `begins_with(${n}, ${values[0]})`;
    if (part.operator === 'between') return `${n} BETWEEN ${values[0]} AND ${values[1]}`;
    return `${n} ${part.operator} ${values[0]}`;
  });
  const body: Array<[string, string]> = [];
  if (options.indexName) body.push(['IndexName', literalJson(options.indexName)]);
  body.push(['KeyConditionExpression', literalJson(comparisons.join(' AND '))], ...expression.entries());
  body.push(['Limit', String(ctx.limit(options.limit))]);
  if (options.scanIndexForward === false) body.push(['ScanIndexForward', 'false']);
  if (options.consistentRead) body.push(['ConsistentRead', 'true']);
  return ctx.binding('Query', body, [{ statusCode: 200, template: itemListTemplate(ctx.nesting(options.nestingDepth)) }], {
    write: false, resource: index, startKey: options.paginationToken ?? Field.query('nextToken'),
  });
}

/** UpdateItem of an existing item (404 when there is none): SET each listed attribute. */
export function bindDynamoDbUpdateItem(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbUpdateItemOptions): ServiceBinding {
  const ctx = new Context(route, table, options.keySchema);
  const key = ctx.primaryKey('dynamoDbUpdateItem');
  const keyEntries = ctx.keyEntries('key', key, ctx.attributes('key', options.key), false);
  const set = ctx.attributes('set', options.set);
  if (set.length === 0) throw ctx.error('set is empty: list the attributes to update');
  for (const [name] of set) {
    if (key.some((k) => k.name === name)) {
      throw ctx.error(`set names the key attribute '${name}', which an update cannot change: remove it from set (it belongs in key)`);
    }
  }
  const returnValues = options.returnValues ?? DynamoReturnValues.ALL_NEW;
  if (!Object.values(DynamoReturnValues).includes(returnValues)) {
    throw ctx.error(`returnValues '${returnValues}' is not one of ${Object.values(DynamoReturnValues).join(', ')}`);
  }
  const expression = new Expression(ctx);
  const sets = set.map(([name, value]) => `${expression.name(name, 'a')} = ${expression.value(value, 'v')}`);
  // The condition makes a missing item fail (answered 404) instead of UpdateItem creating it.
  const condition = `attribute_exists(${expression.name(key[0].name, 'k')})`;
  const body: Array<[string, string]> = [
    ['Key', keyEntries],
    ['UpdateExpression', literalJson(`SET ${sets.join(', ')}`)],
    ['ConditionExpression', literalJson(condition)],
    ...expression.entries(),
    ['ReturnValues', literalJson(returnValues)],
  ];
  const success: ServiceResponse = returnValues === DynamoReturnValues.NONE
    ? { statusCode: 204, template: '#set($__noBody = true)' }
    : { statusCode: 200, template: itemTemplate('$.Attributes', ctx.nesting(options.nestingDepth)) };
  return ctx.binding('UpdateItem', body, [success], { write: true, conditional: NOT_FOUND });
}

/** DeleteItem: 200 with the deleted item (or 204), 404 when there was none. */
export function bindDynamoDbDeleteItem(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbDeleteItemOptions): ServiceBinding {
  const ctx = new Context(route, table, options.keySchema);
  const key = ctx.primaryKey('dynamoDbDeleteItem');
  const keyEntries = ctx.keyEntries('key', key, ctx.attributes('key', options.key), false);
  // ALL_OLD tells whether anything was deleted: no Attributes means there was no such item.
  const body: Array<[string, string]> = [['Key', keyEntries], ['ReturnValues', '"ALL_OLD"']];
  const returnItem = options.returnDeletedItem ?? true;
  return ctx.binding('DeleteItem', body, [{
    statusCode: returnItem ? 200 : 204,
    template: itemOrMissingTemplate('$.Attributes', NOT_FOUND, returnItem, ctx.nesting(options.nestingDepth)),
  }], { write: true, overrides: [NOT_FOUND.status] });
}

/** Scan: 200 with `{"items": [...], "count": n, "nextToken"?: "..."}`. */
export function bindDynamoDbScan(route: ServiceRouteInfo, table: dynamodb.ITable, options: DynamoDbScanOptions): ServiceBinding {
  const ctx = new Context(route, table, undefined);
  const index = ctx.index(options.indexName, options.consistentRead);
  const body: Array<[string, string]> = [];
  if (options.indexName) body.push(['IndexName', literalJson(options.indexName)]);
  body.push(['Limit', String(ctx.limit(options.limit))]);
  if (options.consistentRead) body.push(['ConsistentRead', 'true']);
  return ctx.binding('Scan', body, [{ statusCode: 200, template: itemListTemplate(ctx.nesting(options.nestingDepth)) }], {
    write: false, resource: index, startKey: options.paginationToken ?? Field.query('nextToken'),
  });
}

function checkField(factory: string, field: Field): Field {
  if (!(field instanceof Field)) throw new Error(`DynamoAttribute.${factory}Value: pass a Field, e.g. Field.body('$.name')`);
  return field;
}

function typeName(type: string): string {
  return type === 'S' ? 'a string (S)' : type === 'N' ? 'a number (N)' : type === 'B' ? 'binary (B)' : `a ${type}`;
}

/** Expression attribute names (#k0) and values (:v0), numbered in order of use. */
class Expression {
  private readonly names: Array<[string, string]> = [];
  private readonly values: Array<[string, string]> = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly ctx: Context) {}

  public name(attribute: string, prefix: string): string {
    const placeholder = this.next(`#${prefix}`);
    this.names.push([placeholder, attribute]);
    return placeholder;
  }

  public value(value: DynamoAttribute, prefix: string): string {
    const placeholder = this.next(`:${prefix}`);
    this.values.push([placeholder, this.ctx.attributeValue(value)]);
    return placeholder;
  }

  private next(prefix: string): string {
    const n = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, n + 1);
    return `${prefix}${n}`;
  }

  /** The ExpressionAttributeNames / ExpressionAttributeValues entries; DynamoDB rejects empty or unused ones. */
  public entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    if (this.names.length > 0) out.push(['ExpressionAttributeNames', literalJson(Object.fromEntries(this.names))]);
    if (this.values.length > 0) out.push(['ExpressionAttributeValues', jsonObject(this.values)]);
    return out;
  }
}

/** What one binding knows: the route, the table and its shape, and the template's variable names. */
/** The deepest nesting an answer template converts (each level is written out: about 1.5 KB). */
const MAX_ANSWER_NESTING = 8;

class Context {
  private readonly names = new VtlNames();
  private readonly shape: TableShape;
  private readonly label: string;

  /** The nesting depth of answered items, checked. */
  public nesting(depth: number | undefined): number {
    if (depth === undefined) return MAX_NESTING;
    if (!Number.isInteger(depth) || depth < 0 || depth > MAX_ANSWER_NESTING) {
      throw this.error(`nestingDepth ${depth} must be a whole number from 0 to ${MAX_ANSWER_NESTING}`);
    }
    return depth;
  }

  constructor(private readonly route: ServiceRouteInfo, private readonly table: dynamodb.ITable, private readonly keySchema?: DynamoKeySchema) {
    if (!table || typeof table.tableArn !== 'string') {
      throw new Error(`${route.route}: pass a DynamoDB table (dynamodb.Table, TableV2 or an imported ITable)`);
    }
    this.shape = tableShape(table);
    this.label = tableLabel(table);
    if (keySchema && this.shape.owned) {
      throw this.error(`keySchema is for imported tables, and ${this.label} is defined in this app, which gives its key: remove keySchema`);
    }
  }

  public error(message: string): Error {
    return new Error(`${this.route.route}: ${message}`);
  }

  /** The key schema given by the user (imported tables), checked. */
  private givenKey(): KeyShape | undefined {
    const given = this.keySchema;
    if (!given) return undefined;
    const attribute = (role: string, a: dynamodb.Attribute | undefined): KeyAttribute[] => {
      if (!a) return [];
      const type = attributeTypeLetter(a.type);
      if (!a.name || !type) throw this.error(`keySchema.${role} needs a name and a type (AttributeType.STRING, NUMBER or BINARY)`);
      return [{ name: a.name, type }];
    };
    if (!given.partitionKey) throw this.error('keySchema.partitionKey is required');
    return { partitionKeys: attribute('partitionKey', given.partitionKey), sortKeys: attribute('sortKey', given.sortKey) };
  }

  /** The table's single-attribute primary key: [partition key, sort key?]. */
  public primaryKey(preset: string): KeyAttribute[] {
    const key = this.shape.key ?? this.givenKey();
    if (!key) {
      throw this.error(`${this.label} is imported, so ${preset} cannot know its key: pass keySchema, e.g. ` +
        "{ partitionKey: { name: 'id', type: AttributeType.STRING } }");
    }
    return this.simpleKey(key, 'the table');
  }

  /** The key a Query uses: the table's, or the index's. */
  public queryKey(indexName?: string): { partitionKeys: KeyAttribute[]; sortKeys: KeyAttribute[] } {
    let key: KeyShape | undefined;
    if (!indexName) key = this.shape.key ?? this.givenKey();
    else key = this.shape.indexes.get(indexName)?.key ?? this.givenKey();
    if (!key) {
      const what = indexName ? `the key of index ${indexName}` : 'its key';
      throw this.error(`${this.label} is imported, so dynamoDbQuery cannot know ${what}: pass keySchema` +
        (indexName ? ' (the index\'s partition and sort key)' : ''));
    }
    const [pk, sk] = this.simpleKey(key, indexName ? `index ${indexName}` : 'the table');
    return { partitionKeys: [pk], sortKeys: sk ? [sk] : [] };
  }

  private simpleKey(key: KeyShape, where: string): KeyAttribute[] {
    if (key.partitionKeys.length !== 1 || key.sortKeys.length > 1) {
      throw this.error(`${where} of ${this.label} has a multi-attribute key, which these presets do not support: ` +
        'use an index with a single partition key and at most one sort key');
    }
    const attributes = [key.partitionKeys[0], ...key.sortKeys];
    for (const a of attributes) {
      if (a.type === 'B') {
        throw this.error(`the key attribute ${a.name} of ${where} is binary, which DynamoAttribute cannot write: use a string or number key`);
      }
    }
    return attributes;
  }

  /** The IAM resource of the table or of the index, after checking the index exists and allows the read. */
  public index(indexName: string | undefined, consistentRead: boolean | undefined): string {
    if (indexName === undefined) return this.table.tableArn;
    if (typeof indexName !== 'string' || Token.isUnresolved(indexName) || !/^[A-Za-z0-9_.-]{3,255}$/.test(indexName)) {
      throw this.error(`indexName '${indexName}' is not an index name (3 to 255 letters, digits, _ . -)`);
    }
    if (this.shape.owned) {
      const index = this.shape.indexes.get(indexName);
      if (!index) {
        const known = [...this.shape.indexes.keys()];
        throw this.error(`${this.label} has no index ${indexName}` +
          (known.length ? `: use one of ${known.join(', ')}` : ': add it (addGlobalSecondaryIndex) before this route') );
      }
      if (consistentRead && index.kind === 'global') {
        throw this.error(`consistentRead is not available on the global secondary index ${indexName}: remove it or use the table`);
      }
    }
    return `${this.table.tableArn}/index/${indexName}`;
  }

  public limit(limit: number | undefined): number {
    if (limit === undefined) return 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw this.error(`limit ${limit} must be a whole number from 1 to 1000 (API Gateway's templates loop at most 1000 times)`);
    }
    return limit;
  }

  public checkName(where: string, name: string): void {
    if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name, 'utf8') > 65535) {
      throw this.error(`${where}: '${name}' is not an attribute name (1 to 65535 bytes)`);
    }
  }

  /** The attributes of a map option, checked, in order. */
  public attributes(option: string, map: { [attribute: string]: DynamoAttribute } | undefined): Array<[string, DynamoAttribute]> {
    if (map === undefined || map === null || typeof map !== 'object') {
      throw this.error(`${option} is required: a map of attribute name to DynamoAttribute`);
    }
    const entries = Object.entries(map);
    for (const [name, value] of entries) {
      this.checkName(option, name);
      if (!(value instanceof DynamoAttribute)) {
        throw this.error(`${option}.${name} must be a DynamoAttribute, e.g. DynamoAttribute.stringValue(Field.body('$.${/^[A-Za-z_]\w*$/.test(name) ? name : 'value'}'))`);
      }
    }
    return entries;
  }

  public checkType(where: string, key: KeyAttribute, value: DynamoAttribute): void {
    if (value._type !== key.type) {
      const factory = key.type === 'N' ? 'number' : 'string';
      throw this.error(`${where}: ${key.name} is ${typeName(key.type)} key, but the value is ${value._description}: use DynamoAttribute.${factory}Value(...)`);
    }
  }

  /**
   * The `Key` object: exactly the key attributes, typed as the key schema says. With `extraAllowed`
   * (an item) other attributes may follow; otherwise any other attribute is an error.
   */
  public keyEntries(option: string, key: KeyAttribute[], attributes: Array<[string, DynamoAttribute]>, extraAllowed: boolean): string {
    const names = key.map((k) => k.name);
    for (const k of key) {
      const found = attributes.find(([name]) => name === k.name);
      if (!found) {
        const role = k === key[0] ? 'partition key' : 'sort key';
        throw this.error(`${option} lacks the ${role} ${k.name} of ${this.label}: add ${option}.${k.name}`);
      }
      this.checkType(`${option}.${k.name}`, k, found[1]);
    }
    if (!extraAllowed) {
      const extra = attributes.filter(([name]) => !names.includes(name)).map(([name]) => name);
      if (extra.length > 0) {
        throw this.error(`${option} names ${extra.join(', ')}, which ${extra.length === 1 ? 'is not a key attribute' : 'are not key attributes'} ` +
          `of ${this.label}: a key is exactly ${names.join(' and ')}`);
      }
    }
    return jsonObject(key.map((k) => [k.name, this.attributeValue(attributes.find(([name]) => name === k.name)![1])]));
  }

  /** The VTL printing one request value as a DynamoDB AttributeValue. */
  public attributeValue(value: DynamoAttribute): string {
    return requestAttributeValue(value._type, value._field._expression(this.route.route, this.route.pathParameters), this.names);
  }

  /** The binding: request template, responses (success, DynamoDB's client errors, 5xx) and grants. */
  public binding(action: string, body: Array<[string, string]>, success: ServiceResponse[], how: {
    write: boolean;
    conditional?: ConditionalAnswer;
    overrides?: number[];
    resource?: string;
    startKey?: Field;
  }): ServiceBinding {
    const tableName = this.table.tableName;
    if (!Token.isUnresolved(tableName) && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
      throw this.error(`'${tableName}' is not a DynamoDB table name (3 to 255 letters, digits, _ . -)`);
    }
    // The name is a CloudFormation reference or a checked literal: nothing in it can reach VTL.
    let template = `{"TableName": "${tableName}"${body.map(([k, v]) => `, ${literalJson(k)}: ${v}`).join('')}`;
    if (how.startKey) {
      if (!(how.startKey instanceof Field)) throw this.error("paginationToken must be a Field, e.g. Field.query('nextToken')");
      template += exclusiveStartKey(how.startKey._expression(this.route.route, this.route.pathParameters));
    }
    template += '}';

    const [clientError, serverError] = serviceErrorResponses();
    const grants: ServiceGrant[] = [{ actions: [`dynamodb:${action}`], resources: [how.resource ?? this.table.tableArn] }];
    if (this.table.encryptionKey) {
      // A customer managed key: DynamoDB uses it with the caller's permissions.
      grants.push({ actions: how.write ? WRITE_KEY_ACTIONS : READ_KEY_ACTIONS, resources: [this.table.encryptionKey.keyArn] });
    }
    const overrides = [...(how.overrides ?? []), ...(how.conditional ? [how.conditional.status] : []), THROTTLED_STATUS];
    return {
      service: 'dynamodb',
      action,
      requestTemplates: { 'application/json': template },
      responses: [
        ...success,
        { ...clientError, template: clientErrorTemplate(how.conditional) },
        serverError,
      ],
      overrideStatusCodes: [...new Set(overrides)],
      grants,
    };
  }
}
