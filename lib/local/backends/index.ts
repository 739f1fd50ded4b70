/**
 * `serve --backends local` / `LocalBackends.start()`: real local implementations of the AWS services
 * the assembly's routes call, started in this process with the resources the templates declare, and
 * the endpoints to give LocalApi: DynamoDB (dynalite), S3 (s3rver), Kinesis (kinesalite). Data is in
 * memory, or kept between runs in a folder (`data`). Step Functions machines of the assembly run in
 * LocalApi itself; SQS, SNS, EventBridge and others go to the endpoints given for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssembly } from '../assembly';
import { AssemblyModel } from '../model';
import { LocalDynamoDb, startLocalDynamoDb } from './dynamodb';
import { LocalKinesis, startLocalKinesis } from './kinesis';
import { LocalS3, startLocalS3 } from './s3';

/** Options of `LocalBackends.start`. */
export interface LocalBackendsOptions {
  /**
   * Where the backends keep their data: a folder (created if missing; `dynamodb/`, `s3/`, `kinesis/`
   * in it, kept between runs), or `memory`.
   * @default 'memory'
   */
  readonly data?: string;
}

export class LocalBackends {
  /** Starts the backends the assembly needs (DynamoDB when it has tables, S3 buckets, Kinesis streams). */
  public static async start(assemblyOrDir: AssemblyModel | string, options: LocalBackendsOptions = {}): Promise<LocalBackends> {
    const assembly = typeof assemblyOrDir === 'string' ? loadAssembly(assemblyOrDir) : assemblyOrDir;
    const region = assembly.apis[0]?.region ?? 'us-east-1';
    const data = options.data === undefined || options.data === 'memory' ? undefined : path.resolve(options.data);
    const under = (name: string): string | undefined => (data ? path.join(data, name) : undefined);
    if (data) for (const name of ['dynamodb', 's3', 'kinesis']) fs.mkdirSync(path.join(data, name), { recursive: true });
    const started: Array<{ close(): Promise<void> }> = [];
    try {
      const dynamodb = assembly.tables.length > 0 ? await startLocalDynamoDb(assembly.tables, region, under('dynamodb')) : undefined;
      if (dynamodb) started.push(dynamodb);
      const s3 = assembly.buckets.length > 0 ? await startLocalS3(assembly.buckets, region, under('s3')) : undefined;
      if (s3) started.push(s3);
      const kinesis = assembly.streams.length > 0 ? await startLocalKinesis(assembly.streams, region, under('kinesis')) : undefined;
      return new LocalBackends(dynamodb, s3, kinesis, data);
    } catch (e) {
      await Promise.all(started.map((s) => s.close()));
      throw e;
    }
  }

  private constructor(
    /** The local DynamoDB, when the assembly has tables (call its API to seed or read data). */
    public readonly dynamodb: LocalDynamoDb | undefined,
    /** The local S3, when the assembly has buckets. */
    public readonly s3: LocalS3 | undefined,
    /** The local Kinesis, when the assembly has streams. */
    public readonly kinesis: LocalKinesis | undefined,
    /** The data folder, or undefined for memory. */
    public readonly dataDir: string | undefined,
  ) {}

  /** Service name → URL, for LocalApi's `endpoints` option. */
  public get endpoints(): Record<string, string> {
    return {
      ...(this.dynamodb ? { dynamodb: this.dynamodb.url } : {}),
      ...(this.s3 ? { s3: this.s3.url } : {}),
      ...(this.kinesis ? { kinesis: this.kinesis.url } : {}),
    };
  }

  /** Lines for `serve` to print. */
  public describe(): string[] {
    const where = (name: string): string => (this.dataDir ? `data in ${path.join(this.dataDir, name)}` : 'in memory');
    return [
      ...(this.dynamodb ? [`local dynamodb ${this.dynamodb.url} (dynalite, ${where('dynamodb')})`] : []),
      ...(this.s3 ? [`local s3 ${this.s3.url} (s3rver, ${this.dataDir ? where('s3') : 'in a temporary folder'})`] : []),
      ...(this.kinesis ? [`local kinesis ${this.kinesis.url} (kinesalite, ${where('kinesis')})`] : []),
    ];
  }

  public async close(): Promise<void> {
    await Promise.all([this.dynamodb?.close(), this.s3?.close(), this.kinesis?.close()]);
  }
}
