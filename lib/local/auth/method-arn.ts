/**
 * The method ARN API Gateway gives a Lambda authorizer, and IAM-style matching of a policy's
 * `Resource` against it.
 * Format (Input to an API Gateway Lambda authorizer):
 * `arn:aws:execute-api:{regionId}:{accountId}:{apiId}/{stage}/{httpVerb}/[{resource}/[{child-resources}]]`
 */

/** Where a request lands, for its method ARN. */
export interface MethodArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  /** The request's verb (also for an ANY method). */
  readonly httpMethod: string;
  /** The resource-relative path as sent, e.g. `/users/42`; `/` for the root. */
  readonly path: string;
  /** `aws` unless the assembly targets another partition. */
  readonly partition?: string;
}

export function methodArn(parts: MethodArnParts): string {
  const path = parts.path.replace(/^\/+/, '');
  return `arn:${parts.partition ?? 'aws'}:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.httpMethod.toUpperCase()}/${path}`;
}

/**
 * IAM string matching: `*` matches any run of characters (also `/` and `:`), `?` exactly one,
 * everything else literally and case-sensitively.
 */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(source + '$', 's').test(arn);
}
