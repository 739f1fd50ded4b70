/** An answer of the emulator, as the client gets it. */
export interface LocalResponse {
  readonly statusCode: number;
  /** Header names as API Gateway writes them. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A failure that API Gateway answers with a gateway response (`type`), e.g. INTEGRATION_TIMEOUT. */
export class GatewayError extends Error {
  constructor(
    /** The gateway response type, e.g. `INTEGRATION_FAILURE`. */
    public readonly type: string,
    /** `$context.error.message`, what the client sees in the default template (`null` where AWS answers `{"message": null}`). */
    public readonly clientMessage: string | null,
    /** Why, for the log only (never sent to the client). */
    public readonly reason?: string,
    /** A status other than the type's default (AWS answers some failures with their own status). */
    public readonly statusCode?: number,
  ) {
    super(reason ?? clientMessage ?? type);
  }
}
