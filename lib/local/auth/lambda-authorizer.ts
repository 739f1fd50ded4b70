/**
 * A TOKEN or REQUEST Lambda authorizer, run as API Gateway runs it:
 * 1. identity sources read; one missing or empty → 401 without calling the function
 *    (API_CreateAuthorizer identitySource); TOKEN: a token not matching
 *    `IdentityValidationExpression` → 401 without calling it;
 * 2. the result cache, keyed by the identity source values, for `AuthorizerResultTtlInSeconds`
 *    (default 300, 0 = off); a cached policy is evaluated again against this request's method ARN,
 *    so a policy naming only the first method denies the others until it expires, as on AWS;
 * 3. the function called through `invoke`; a thrown/returned error `Unauthorized` → 401 (AWS's
 *    example authorizer: `callback("Unauthorized"); // Return a 401 Unauthorized response`), any other
 *    error or an answer without principalId/policyDocument → 500 AUTHORIZER_CONFIGURATION_ERROR
 *    `{"message": null}`; the policy's Deny → 403 ACCESS_DENIED, no matching Allow → 403;
 * 4. allowed: `principalId`, `integrationLatency` and the context map (values as strings) reach `$context.authorizer`,
 *    `usageIdentifierKey` goes to usage plans.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html,
 * https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer (messages),
 * https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer (401 cases).
 */
import { LocalRequest } from '../request';
import { AuthorizerProperties, resultTtlSeconds } from './cfn-types';
import { IdentitySourceExpression, parseIdentitySource, readIdentitySources } from './identity-source';
import { javaMatches } from '../../vtl/java-regex';
import {
  AuthorizerRequestContext, LambdaAuthorizerEvent, requestAuthorizerEvent, tokenAuthorizerEvent,
} from './lambda-authorizer-event';
import { methodArn } from './method-arn';
import { AuthorizerOutput, evaluatePolicy, parseAuthorizerOutput } from './policy';
import { accessDenied, AuthResult, authorizerConfigurationError, unauthorized } from './result';

/**
 * Calls the authorizer function with the event and resolves to what it returned. A function error
 * may come back either way: as a rejected promise (its message the function's `errorMessage`) or
 * resolved as Lambda's error payload `{ errorMessage, errorType }`.
 */
export type AuthorizerInvoke = (event: LambdaAuthorizerEvent) => Promise<unknown>;

export interface LambdaAuthorizerOptions {
  /** Milliseconds since the epoch, for the cache TTL. @default Date.now */
  readonly clock?: () => number;
}

interface CacheEntry {
  readonly output: AuthorizerOutput;
  readonly expiresAt: number;
}

/** The answer Lambda gives when the function threw: `{ errorMessage, errorType, stackTrace }`. */
function functionError(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.errorMessage === 'string' && p.policyDocument === undefined) return p.errorMessage;
  return undefined;
}

export class LambdaAuthorizer {
  private readonly type: 'TOKEN' | 'REQUEST';
  private readonly sources: readonly IdentitySourceExpression[];
  private readonly ttlMs: number;
  private readonly clock: () => number;
  private readonly cache = new Map<string, CacheEntry>();

  /**
   * @param props the `AWS::ApiGateway::Authorizer` Properties (Type TOKEN or REQUEST)
   * @param invoke runs the authorizer function (the Lambda runner)
   * @throws when the properties are not a valid Lambda authorizer (checked once, at load)
   */
  constructor(private readonly props: AuthorizerProperties, private readonly invoke: AuthorizerInvoke, options: LambdaAuthorizerOptions = {}) {
    if (props.Type !== 'TOKEN' && props.Type !== 'REQUEST') throw new Error(`Not a Lambda authorizer type: ${props.Type}`);
    this.type = props.Type;
    this.sources = parseIdentitySource(props.IdentitySource);
    if (this.type === 'TOKEN' && (this.sources.length !== 1 || this.sources[0].kind !== 'header')) {
      throw new Error(`A TOKEN authorizer's IdentitySource must be one header (method.request.header.*), got '${props.IdentitySource}'`);
    }
    // Caching needs identity sources to key on; a REQUEST authorizer without them is not cached.
    this.ttlMs = this.sources.length > 0 ? resultTtlSeconds(props) * 1000 : 0;
    this.clock = options.clock ?? Date.now;
  }

  /** Forgets every cached result (e.g. when --watch reloads the assembly). */
  clearCache(): void {
    this.cache.clear();
  }

  async authorize(request: LocalRequest, ctx: AuthorizerRequestContext): Promise<AuthResult> {
    const read = readIdentitySources(this.sources, request, ctx);
    if (!read.ok) return unauthorized(`identity source ${read.missing} is missing or empty`);

    if (this.type === 'TOKEN' && this.props.IdentityValidationExpression) {
      let matches: boolean;
      try {
        // API Gateway's regexes are Java's; the token must match as a whole (chosen: AWS does not
        // say whether the match is anchored; its examples anchor with ^...$ anyway).
        matches = javaMatches(read.values[0], this.props.IdentityValidationExpression);
      } catch (e) {
        return authorizerConfigurationError(`IdentityValidationExpression: ${(e as Error).message}`);
      }
      if (!matches) return unauthorized('the token does not match IdentityValidationExpression');
    }

    const arn = methodArn(ctx.arn);
    const key = JSON.stringify(read.values);
    const now = this.clock();
    const hit = this.ttlMs > 0 ? this.cache.get(key) : undefined;
    if (hit && hit.expiresAt > now) return this.decide(hit.output, arn, true, 0);
    if (hit) this.cache.delete(key);

    const event = this.type === 'TOKEN' ? tokenAuthorizerEvent(read.values[0], ctx) : requestAuthorizerEvent(request, ctx);
    let payload: unknown;
    try {
      payload = await this.invoke(event);
    } catch (e) {
      return this.errorResult(e instanceof Error ? e.message : String(e));
    }
    const error = functionError(payload);
    if (error !== undefined) return this.errorResult(error);

    const parsed = parseAuthorizerOutput(payload);
    if (!parsed.ok) return authorizerConfigurationError(parsed.error);
    if (this.ttlMs > 0) this.cache.set(key, { output: parsed.output, expiresAt: now + this.ttlMs });
    return this.decide(parsed.output, arn, false, Math.max(0, this.clock() - now));
  }

  /** `Unauthorized`, exactly, is how a function asks for a 401; anything else is a 500. */
  private errorResult(message: string): AuthResult {
    return message === 'Unauthorized'
      ? unauthorized('the authorizer function answered Unauthorized')
      : authorizerConfigurationError(`the authorizer function failed: ${message}`);
  }

  /** `integrationLatency`: the function's run time in ms (`$context.authorizer.integrationLatency`), 0 from the cache. */
  private decide(output: AuthorizerOutput, arn: string, cached: boolean, integrationLatency: number): AuthResult {
    const verdict = evaluatePolicy(output.statements, arn);
    if (verdict !== 'allow') {
      return accessDenied(verdict === 'explicit-deny', `policy of principal '${output.principalId}' ${verdict === 'explicit-deny' ? 'denies' : 'does not allow'} ${arn}${cached ? ' (cached result)' : ''}`);
    }
    return {
      kind: 'allow',
      contextAuthorizer: { ...output.context, principalId: output.principalId, integrationLatency },
      principalId: output.principalId,
      usageIdentifierKey: output.usageIdentifierKey,
      cached,
    };
  }
}
