import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

/** One key attribute: its name and DynamoDB scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** The key of a table or index. Secondary indexes may have multi-attribute keys. */
export interface KeyShape {
  readonly partitionKeys: KeyAttribute[];
  readonly sortKeys: KeyAttribute[];
}

/** What the presets know about a table: its key, and for tables of this app, its indexes. */
export interface TableShape {
  /** Whether the table is defined in this app (its key and indexes were read from it). */
  readonly owned: boolean;
  /** The table's key; undefined for an imported table without `keySchema`. */
  readonly key?: KeyShape;
  /** Indexes of a table of this app, by name. */
  readonly indexes: Map<string, { kind: 'global' | 'local'; key: KeyShape }>;
}

const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

/**
 * Reads the key schema and indexes of a `Table` or `TableV2` from its CloudFormation resource (the one
 * place both keep them, with multi-attribute index keys), as configured at the time the route is built.
 */
export function tableShape(table: dynamodb.ITable): TableShape {
  const cfn = table.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn) || !TABLE_TYPES.includes(cfn.cfnResourceType)) {
    return { owned: false, indexes: new Map() };
  }
  const props = cfn as unknown as {
    keySchema?: unknown;
    attributeDefinitions?: unknown;
    globalSecondaryIndexes?: unknown;
    localSecondaryIndexes?: unknown;
  };
  const stack = Stack.of(table);
  const resolve = (v: unknown): any => (v === undefined ? undefined : stack.resolve(v));
  const definitions: any[] = resolve(props.attributeDefinitions) ?? [];
  const typeOf = (name: string): 'S' | 'N' | 'B' => {
    const def = definitions.find((d) => d.attributeName === name);
    return (def?.attributeType ?? 'S') as 'S' | 'N' | 'B';
  };
  const shape = (keySchema: any[] | undefined): KeyShape => ({
    partitionKeys: (keySchema ?? []).filter((k) => k.keyType === 'HASH').map((k) => ({ name: k.attributeName, type: typeOf(k.attributeName) })),
    sortKeys: (keySchema ?? []).filter((k) => k.keyType === 'RANGE').map((k) => ({ name: k.attributeName, type: typeOf(k.attributeName) })),
  });
  const indexes = new Map<string, { kind: 'global' | 'local'; key: KeyShape }>();
  for (const [kind, list] of [['global', props.globalSecondaryIndexes], ['local', props.localSecondaryIndexes]] as const) {
    for (const index of (resolve(list) ?? []) as any[]) indexes.set(index.indexName, { kind, key: shape(index.keySchema) });
  }
  return { owned: true, key: shape(resolve(props.keySchema)), indexes };
}

/** The DynamoDB type letter of an aws-cdk-lib attribute type. */
export function attributeTypeLetter(type: dynamodb.AttributeType): 'S' | 'N' | 'B' | undefined {
  const value = String(type);
  return value === 'S' || value === 'N' || value === 'B' ? value : undefined;
}

/** A readable name for error messages: the construct path, or the literal table name. */
export function tableLabel(table: dynamodb.ITable): string {
  return Token.isUnresolved(table.tableName) ? table.node.path : `${table.node.path} (${table.tableName})`;
}
