/**
 * S3 for `--backends local`: s3rver (an implementation of the S3 API on the npm registry, which keeps
 * objects in a folder) started in this process on 127.0.0.1, with the buckets the assembly declares.
 * The routes reach it path-style (`/<bucket>/<key>`), signed; s3rver checks SigV4 signatures against
 * the keys it knows, so the emulator's local keys (and the environment's, if set) are registered with it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sendSigned } from '../aws/signed-send';
import { LOCAL_CREDENTIALS, serviceCredentials } from '../integration/aws-service';
import { NamedResourceModel } from '../model';
import { closeServer } from './json-api';

/** A running local S3. */
export interface LocalS3 {
  readonly url: string;
  /** Reads an object's bytes and content type (undefined when there is none). */
  getObject(bucket: string, key: string): Promise<{ body: Buffer; contentType: string | undefined } | undefined>;
  /** Writes an object. */
  putObject(bucket: string, key: string, body: Buffer, contentType?: string): Promise<void>;
  close(): Promise<void>;
}

interface S3rverInstance { run(): Promise<AddressInfo>; close(): Promise<void>; httpServer?: Server }
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface S3rverAccounts { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } }

function loadS3rver(): { S3rver: S3rverClass; accounts: S3rverAccounts } {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return { S3rver: require('s3rver') as S3rverClass, accounts: require('s3rver/lib/models/account') as S3rverAccounts };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch {
    throw new Error('--backends local needs s3rver for S3: npm install --save-dev s3rver');
  }
}

/** Starts s3rver on 127.0.0.1 with `buckets`: objects in `dataDir` (kept), or in a temporary folder removed on close. */
export async function startLocalS3(buckets: readonly NamedResourceModel[], region = 'us-east-1', dataDir?: string): Promise<LocalS3> {
  const { S3rver, accounts } = loadS3rver();
  for (const credentials of [LOCAL_CREDENTIALS, serviceCredentials()]) accounts.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const directory = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-local-s3-'));
  fs.mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false,
    configureBuckets: [...new Set(buckets.map((b) => b.name))].map((name) => ({ name })),
  });
  const address = await server.run();
  const url = `http://127.0.0.1:${address.port}`;
  const send = (method: string, bucket: string, key: string, body: Buffer = Buffer.alloc(0), headers: Record<string, string> = {}): ReturnType<typeof sendSigned> => {
    const target = `${url}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    return sendSigned({
      method, url: target, headers: { Host: new URL(url).host, ...headers }, body, service: 's3', region,
      credentials: LOCAL_CREDENTIALS, now: new Date(), timeoutMs: 10_000,
    });
  };
  return {
    url,
    async getObject(bucket, key) {
      const r = await send('GET', bucket, key);
      if (r.kind !== 'response') throw new Error(`local S3 GetObject: ${r.message}`);
      if (r.statusCode === 404) return undefined;
      if (r.statusCode >= 300) throw new Error(`local S3 GetObject ${bucket}/${key}: ${r.statusCode} ${r.body.toString('utf8').slice(0, 300)}`);
      return { body: r.body, contentType: Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1][0] };
    },
    async putObject(bucket, key, body, contentType) {
      const r = await send('PUT', bucket, key, body, contentType ? { 'Content-Type': contentType } : {});
      if (r.kind !== 'response' || r.statusCode >= 300) throw new Error(`local S3 PutObject ${bucket}/${key}: ${r.kind === 'response' ? r.statusCode : r.message}`);
    },
    async close() {
      if (server.httpServer) await closeServer(server.httpServer);
      else await server.close();
      if (!dataDir) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
