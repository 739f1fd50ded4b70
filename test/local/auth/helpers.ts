import { LocalRequest } from '../../../lib/local/request';

export function req(overrides: Partial<LocalRequest> = {}): LocalRequest {
  return {
    method: 'GET',
    path: '/users/42',
    headers: {},
    query: {},
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    ...overrides,
  };
}

export const ARN_PARTS = {
  region: 'us-east-1',
  accountId: '123456789012',
  apiId: 'abc123',
  stage: 'prod',
  httpMethod: 'GET',
  path: '/users/42',
};
