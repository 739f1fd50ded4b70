import { LocalApi } from '../../lib/local/local-api';
import { MethodModel } from '../../lib/local/model';

/**
 * A SigV4-shaped Authorization header and its X-Amz-Date, as an AWS SDK signs a request (the emulator
 * checks the shape and the clock skew, not the signature, and says so).
 */
export function sigV4Headers(region: string, now = new Date()): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return {
    'X-Amz-Date': amzDate,
    'Authorization': `AWS4-HMAC-SHA256 Credential=AKIDLOCALEXAMPLE/${amzDate.slice(0, 8)}/${region}/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
}

/**
 * The credentials a method of the example app wants: a minted Cognito token with its scopes, a SigV4
 * header, the example TOKEN authorizer's demo token (`Bearer user-<id>`), an API key when the method
 * wants one, or nothing.
 */
export function credentialsFor(api: LocalApi, method: MethodModel): Record<string, string> {
  const key: Record<string, string> = method.ApiKeyRequired ? { 'x-api-key': api.apiKeys().find((k) => k.enabled && k.plans.length > 0)!.value } : {};
  switch (method.AuthorizationType) {
    case 'COGNITO_USER_POOLS':
      return { ...key, Authorization: api.mintToken({ scopes: method.AuthorizationScopes, claims: { email: 'me@example.com' } }) };
    case 'AWS_IAM':
      return { ...key, ...sigV4Headers(api.model.region) };
    case 'CUSTOM':
      return { ...key, Authorization: 'Bearer user-local1' };
    default:
      return key;
  }
}
