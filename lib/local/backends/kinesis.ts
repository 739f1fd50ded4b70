/**
 * Kinesis for `--backends local`: kinesalite (an implementation of the Kinesis API on the npm registry;
 * in memory, or on disk with `--data`) started in this process on 127.0.0.1, with the streams the
 * assembly declares created in it (shard count, or 4 shards for an on-demand stream). kinesalite
 * predates the `StreamARN` parameter AWS added to the data APIs in 2022, which the library's templates
 * send; a small front on its port names the stream from the ARN as AWS does, and passes everything else
 * through unchanged.
 */
import * as http from 'node:http';
import { NamedResourceModel } from '../model';
import { BackendCallError, closeServer, jsonApiCaller, listenLocal } from './json-api';

/** A running local Kinesis. */
export interface LocalKinesis {
  readonly url: string;
  /** Calls a Kinesis API action (`GetShardIterator`, `GetRecords` ...) and resolves with its JSON answer. */
  call(action: string, input: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

type KinesaliteFactory = (options: { createStreamMs: number; deleteStreamMs: number; updateStreamMs: number; shardLimit: number; path?: string }) => http.Server;

function loadKinesalite(): KinesaliteFactory {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('kinesalite') as KinesaliteFactory;
  } catch {
    throw new Error('--backends local needs kinesalite for Kinesis: npm install --save-dev kinesalite');
  }
}

/** The request body with `StreamName` taken from `StreamARN` (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
export function withStreamName(body: Buffer): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return body;
  const input = doc as Record<string, unknown>;
  const name = typeof input.StreamARN === 'string' ? /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/(.+)$/.exec(input.StreamARN)?.[1] : undefined;
  if (name === undefined || input.StreamName !== undefined) return body;
  const rest = { ...input };
  delete rest.StreamARN;
  return Buffer.from(JSON.stringify({ ...rest, StreamName: name }));
}

/** Starts kinesalite behind its StreamARN front and creates `streams` in it, ACTIVE. */
export async function startLocalKinesis(streams: readonly NamedResourceModel[], region = 'us-east-1', dataDir?: string): Promise<LocalKinesis> {
  const kinesalite = loadKinesalite()({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000, ...(dataDir ? { path: dataDir } : {}) });
  const inner = new URL(await listenLocal(kinesalite));
  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = withStreamName(Buffer.concat(chunks));
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const forward = http.request({ host: inner.hostname, port: inner.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (e) => {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: `kinesalite: ${e.message}` }));
      });
      forward.end(body);
    });
  });
  const url = await listenLocal(front);
  const call = jsonApiCaller(url, 'kinesis', 'Kinesis_20131202', 'application/x-amz-json-1.1', region);
  const close = async (): Promise<void> => {
    await closeServer(front);
    await closeServer(kinesalite);
  };
  try {
    for (const stream of streams) {
      const p = stream.properties as Record<string, unknown>;
      const mode = (p.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode;
      const shards = typeof p.ShardCount === 'number' ? p.ShardCount : mode === 'ON_DEMAND' ? 4 : 1;
      await call('CreateStream', { StreamName: stream.name, ShardCount: shards }).catch((e: unknown) => {
        if (!(e instanceof BackendCallError && e.type === 'ResourceInUseException')) throw e;
      });
      for (let i = 0; ; i++) {
        const { StreamDescription } = await call('DescribeStream', { StreamName: stream.name }) as { StreamDescription: { StreamStatus: string } };
        if (StreamDescription.StreamStatus === 'ACTIVE') break;
        if (i > 200) throw new Error(`local Kinesis: stream ${stream.name} did not become ACTIVE`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { url, call, close };
}
