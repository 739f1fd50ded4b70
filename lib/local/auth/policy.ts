/**
 * A Lambda authorizer's answer: checked for the shape API Gateway requires and its policy evaluated
 * against a method ARN.
 * Output format: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * ("must include the principal identifier (principalId) and a policy document (policyDocument)";
 * context values are strings, numbers or booleans: "You can't set a JSON object or array as a valid
 * value of any key in the context map").
 */
import { arnPatternMatches } from './method-arn';

export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** A checked authorizer answer, as kept in the result cache. */
export interface AuthorizerOutput {
  readonly principalId: string;
  readonly statements: readonly PolicyStatement[];
  /** Context values, stringified as `$context.authorizer.<key>` shows them. */
  readonly context: Readonly<Record<string, string>>;
  readonly usageIdentifierKey?: string;
}

function list(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** The checked output, or why API Gateway would refuse it (answered as a 500). */
export function parseAuthorizerOutput(payload: unknown): { ok: true; output: AuthorizerOutput } | { ok: false; error: string } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, error: 'the authorizer answer is not an object' };
  }
  const p = payload as Record<string, unknown>;
  if (typeof p.principalId !== 'string' && typeof p.principalId !== 'number') {
    return { ok: false, error: 'the authorizer answer has no principalId' };
  }
  const doc = p.policyDocument as Record<string, unknown> | undefined;
  if (typeof doc !== 'object' || doc === null) return { ok: false, error: 'the authorizer answer has no policyDocument' };
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement !== undefined ? [doc.Statement] : [];
  if (rawStatements.length === 0) return { ok: false, error: 'the policyDocument has no Statement' };
  const statements: PolicyStatement[] = [];
  for (const s of rawStatements as Array<Record<string, unknown>>) {
    if (typeof s !== 'object' || s === null) return { ok: false, error: 'a policy statement is not an object' };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { ok: false, error: `a policy statement's Effect is '${String(s.Effect)}', not Allow or Deny` };
    if (s.NotAction !== undefined || s.NotResource !== undefined || s.Condition !== undefined) {
      return { ok: false, error: 'NotAction, NotResource and Condition in authorizer policies are not emulated' };
    }
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if (!actions || !resources) return { ok: false, error: 'a policy statement lacks Action or Resource' };
    statements.push({ effect: s.Effect, actions, resources });
  }
  const context: Record<string, string> = {};
  if (p.context !== undefined && p.context !== null) {
    if (typeof p.context !== 'object' || Array.isArray(p.context)) return { ok: false, error: 'context is not a map' };
    for (const [key, value] of Object.entries(p.context as Record<string, unknown>)) {
      if (typeof value === 'string') context[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') context[key] = String(value);
      else if (value !== null && value !== undefined) {
        return { ok: false, error: `context value '${key}' is an object or array; only strings, numbers and booleans are allowed` };
      }
    }
  }
  const usageIdentifierKey = typeof p.usageIdentifierKey === 'string' ? p.usageIdentifierKey : undefined;
  return { ok: true, output: { principalId: String(p.principalId), statements, context, usageIdentifierKey } };
}

/** IAM action names are case-insensitive. */
function actionMatches(pattern: string): boolean {
  return arnPatternMatches(pattern.toLowerCase(), 'execute-api:invoke');
}

/**
 * IAM evaluation for one method: an explicit Deny wins, then an Allow, else an implicit deny.
 */
export function evaluatePolicy(statements: readonly PolicyStatement[], arn: string): 'allow' | 'explicit-deny' | 'implicit-deny' {
  let allowed = false;
  for (const s of statements) {
    if (!s.actions.some(actionMatches) || !s.resources.some((r) => arnPatternMatches(r, arn))) continue;
    if (s.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
