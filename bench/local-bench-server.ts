/**
 * A server process for `npm run bench:local` (so that the load client does not share its event loop):
 * `bare <status> <headers json> <body base64>` answers those bytes from a plain node:http server;
 * `emulator <assembly dir> <stack> [endpoints json]` serves that stack's API with LocalApi; `backends <assembly dir>
 * <item json>` starts the assembly's local DynamoDB with that item in each table. Prints `PORT <n>` when listening.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { loadAssembly } from '../lib/local/assembly';
import { LocalBackends } from '../lib/local/backends';
import { LocalApi } from '../lib/local/local-api';

async function main(): Promise<void> {
  const [kind, ...args] = process.argv.slice(2);
  if (kind === 'bare') {
    const [status, headers, body] = [Number(args[0]), JSON.parse(args[1]) as Record<string, string>, Buffer.from(args[2], 'base64')];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
        res.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
    return;
  }
  if (kind === 'emulator') {
    const endpoints = args[2] ? JSON.parse(args[2]) as Record<string, string> : undefined;
    const api = LocalApi.fromAssembly(args[0], { stack: args[1], endpoints });
    const { port } = await api.listen(0);
    process.stdout.write(`PORT ${port}\n`);
    return;
  }
  if (kind === 'backends') {
    // The local DynamoDB of the assembly, with the item the GetItem route reads.
    const backends = await LocalBackends.start(args[0]);
    for (const table of backends.dynamodb ? loadAssembly(args[0]).tables : []) {
      await backends.dynamodb!.call('PutItem', { TableName: table.name, Item: JSON.parse(args[1]) });
    }
    process.stdout.write(`PORT ${new URL(backends.dynamodb!.url).port}\n`);
    return;
  }
  throw new Error(`unknown server kind ${kind}`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
