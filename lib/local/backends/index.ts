/**
 * `serve --backends local` / `LocalBackends.start()`: real local implementations of the AWS services
 * the assembly's routes call, started in this process with the resources the templates declare, and
 * the endpoints to give LocalApi. Today: DynamoDB (dynalite, in memory). S3, Kinesis and Step
 * Functions are not started yet: their routes answer 502 naming `--endpoint`.
 */
import { loadAssembly } from '../assembly';
import { AssemblyModel } from '../model';
import { LocalDynamoDb, startLocalDynamoDb } from './dynamodb';

export class LocalBackends {
  /** Starts the backends the assembly needs (a DynamoDB when it has tables). */
  public static async start(assemblyOrDir: AssemblyModel | string): Promise<LocalBackends> {
    const assembly = typeof assemblyOrDir === 'string' ? loadAssembly(assemblyOrDir) : assemblyOrDir;
    const region = assembly.apis[0]?.region ?? 'us-east-1';
    const dynamodb = assembly.tables.length > 0 ? await startLocalDynamoDb(assembly.tables, region) : undefined;
    return new LocalBackends(dynamodb);
  }

  private constructor(
    /** The local DynamoDB, when the assembly has tables (call its API to seed or read data). */
    public readonly dynamodb: LocalDynamoDb | undefined,
  ) {}

  /** Service name → URL, for LocalApi's `endpoints` option. */
  public get endpoints(): Record<string, string> {
    return this.dynamodb ? { dynamodb: this.dynamodb.url } : {};
  }

  /** Lines for `serve` to print. */
  public describe(): string[] {
    return this.dynamodb ? [`local dynamodb ${this.dynamodb.url} (dynalite, in memory)`] : [];
  }

  public async close(): Promise<void> {
    await this.dynamodb?.close();
  }
}
