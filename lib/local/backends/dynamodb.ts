/**
 * DynamoDB for `--backends local`: dynalite (an implementation of the DynamoDB API on the npm
 * registry; in memory, or on disk with `--data`) started in this process on 127.0.0.1, with the tables the assembly declares
 * created in it under the names the routes use: key schema, attribute definitions, global and local
 * secondary indexes, billing mode. The requests are DynamoDB API calls signed like any other.
 */
import { Server } from 'node:http';
import { TableModel } from '../model';
import { BackendCallError, closeServer, jsonApiCaller, listenLocal } from './json-api';

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  readonly url: string;
  /** Calls a DynamoDB API action (`PutItem`, `Scan` ...) and resolves with its JSON answer; rejects with the service's error. */
  call(action: string, input: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

type DynaliteFactory = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number; path?: string }) => Server;

function loadDynalite(): DynaliteFactory {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('dynalite') as DynaliteFactory;
  } catch {
    throw new Error("--backends local needs dynalite for DynamoDB: npm install --save-dev dynalite");
  }
}

/** CreateTable's input from the table's CloudFormation properties. */
export function createTableInput(table: TableModel): Record<string, unknown> {
  const p = table.properties as Record<string, unknown>;
  const indexes = (list: unknown): unknown[] | undefined => (Array.isArray(list) && list.length > 0
    ? list.map((i: Record<string, unknown>) => ({
      IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection ?? { ProjectionType: 'ALL' },
      ...(p.BillingMode === 'PAY_PER_REQUEST' || !i.ProvisionedThroughput ? {} : { ProvisionedThroughput: i.ProvisionedThroughput }),
    }))
    : undefined);
  const onDemand = p.BillingMode === 'PAY_PER_REQUEST' || !p.ProvisionedThroughput;
  const gsis = indexes(p.GlobalSecondaryIndexes);
  const lsis = indexes(p.LocalSecondaryIndexes);
  return {
    TableName: table.name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    ...(onDemand ? { BillingMode: 'PAY_PER_REQUEST' } : { ProvisionedThroughput: p.ProvisionedThroughput }),
    ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis ? { LocalSecondaryIndexes: lsis } : {}),
  };
}

/**
 * Starts dynalite on 127.0.0.1 and creates `tables` in it: in memory, or kept in `dataDir` between runs
 * (a table already there from an earlier run is kept with its items).
 */
export async function startLocalDynamoDb(tables: readonly TableModel[], region = 'us-east-1', dataDir?: string): Promise<LocalDynamoDb> {
  const server = loadDynalite()({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: dataDir } : {}) });
  const url = await listenLocal(server);
  const call = jsonApiCaller(url, 'dynamodb', 'DynamoDB_20120810', 'application/x-amz-json-1.0', region);
  const seen = new Set<string>();
  try {
    for (const table of tables) {
      if (seen.has(table.name)) continue;
      seen.add(table.name);
      await call('CreateTable', createTableInput(table)).catch((e: unknown) => {
        if (!(e instanceof BackendCallError && e.type === 'ResourceInUseException')) throw e;
      });
    }
  } catch (e) {
    await closeServer(server);
    throw e;
  }
  return { url, call, close: () => closeServer(server) };
}
