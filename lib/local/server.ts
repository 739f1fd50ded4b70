import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { MAX_PAYLOAD_BYTES, RequestLogEntry } from './pipeline';
import { LocalRequest } from './request';
import { LocalResponse } from './response';

/** What the HTTP server asks of an API: answer a request for a stage. */
export interface StageHandler {
  /** Stage names served, the default first. */
  readonly stageNames: string[];
  handleStage(stage: string | undefined, request: LocalRequest): Promise<{ response: LocalResponse; log: RequestLogEntry }>;
}

/** Formats a request log line: method, path, route, integration type, status, latency. */
export function formatLogLine(e: RequestLogEntry): string {
  const line = `${e.method} ${e.path} -> ${e.route} [${e.integration}] ${e.statusCode} ${e.latencyMillis.toFixed(1)} ms${e.cache ? ` (cache ${e.cache})` : ''}`;
  return e.problems.length > 0 ? `${line}\n  ${e.problems.join('\n  ')}` : line;
}

/** Single-valued query parameters; a repeated name keeps its last value (as API Gateway's `querystring`). */
function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const spelled = new Map<string, string>(); // lower case → the first spelling, which names the merged header
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const existing = spelled.get(name.toLowerCase());
    if (existing) out[existing] = `${out[existing]},${req.rawHeaders[i + 1]}`;
    else {
      spelled.set(name.toLowerCase(), name);
      out[name] = req.rawHeaders[i + 1];
    }
  }
  return out;
}

/** The body, keeping one byte past the payload limit (enough for the pipeline to answer 413) and dropping the rest. */
function bodyOf(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      const room = MAX_PAYLOAD_BYTES + 1 - size;
      if (room > 0) {
        const kept = chunk.subarray(0, room);
        chunks.push(kept);
        size += kept.length;
      }
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Serves one API over HTTP with paths as on AWS: `/<stage>/<resource path>`. A path whose first
 * segment is not a stage of the API is answered by the default stage's pipeline as an unknown route
 * (403 Missing Authentication Token; chosen: AWS's answer for an unknown stage is not documented).
 */
export class LocalServer {
  private readonly server: http.Server;

  /** @param log receives one line per request (none is formatted without it) */
  constructor(private handler: StageHandler, private readonly log?: (line: string) => void) {
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch((e) => {
        this.log?.(`emulator error: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"message":"Internal server error"}');
      });
    });
  }

  /**
   * Serve later requests with `handler` (a reloaded API); requests already in flight finish on the
   * old one, and the listening socket stays.
   */
  public setHandler(handler: StageHandler): void {
    this.handler = handler;
  }

  /** Listen on `port` (0: any free port) and `host`; resolves with the port. */
  public listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stop listening and close idle keep-alive connections. */
  public close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((e) => (e ? reject(e) : resolve()));
      this.server.closeIdleConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/');
    const first = decodeURIComponent(segments[1] ?? '');
    const stage = this.handler.stageNames.includes(first) ? first : undefined;
    const rest = stage ? `/${segments.slice(2).join('/')}` : url.pathname;
    const request: LocalRequest = {
      method: req.method ?? 'GET',
      path: rest,
      headers: headersOf(req),
      query: queryOf(url),
      body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    };
    const { response, log } = await this.handler.handleStage(stage, request);
    if (this.log) this.log(formatLogLine(log));
    res.writeHead(response.statusCode, { ...response.headers, 'Content-Length': String(response.body.length) });
    res.end(response.body);
  }
}
