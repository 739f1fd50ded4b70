/** What every stage sees of the caller's request (headers as sent; lookups are case-insensitive). */
export interface LocalRequest {
  readonly method: string;                 // 'GET'
  readonly path: string;                   // resource-relative path as sent, e.g. '/users/42' (no stage)
  readonly headers: Record<string, string>; // single-valued; multiValueHeaders derive from them
  readonly query: Record<string, string>;
  readonly body: Buffer;                   // raw bytes
  readonly sourceIp: string;
}
