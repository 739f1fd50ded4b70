import * as path from 'node:path';
import { LocalApi, MintLocalTokenOptions } from './local-api';

/**
 * `cdk-apigateway-patterns token`: mints a token of the local Cognito issuer for an API of the
 * assembly, with the key `serve` uses (`.apigw-local/` in the working folder), so that a server
 * running in another terminal accepts it.
 */

export const TOKEN_USAGE = `Usage: cdk-apigateway-patterns token [--app cdk.out] [--stack NAME] [--api PATH] [--pool ID] [--scope S]... [--claim NAME=VALUE]... [--group G]... [--sub ID] [--id-token|--access-token] [--expires SECONDS]

  --api      the API (construct path, e.g. MyStack/Api), when the assembly has several with Cognito authorizers
  --pool     one of the API's user pools (default: the first)
  --scope    an OAuth scope (makes an access token; methods with authorization scopes want one)
  --claim    a claim of the token (repeatable), e.g. --claim email=me@example.com
  --group    a cognito:groups entry (repeatable)
  --sub      the user's sub (default: a new UUID)
  --id-token / --access-token   the token type (default: access with --scope, else id)
  --expires  seconds until it expires (default 3600)`;

/** The folder `serve` and `token` keep the local issuer's key in. */
export const LOCAL_STATE_DIR = '.apigw-local';

export interface TokenOptions {
  readonly app: string;
  readonly stack?: string;
  readonly api?: string;
  readonly mint: MintLocalTokenOptions;
}

/** Parses `token ...` (the arguments after the command). */
export function parseTokenArgs(args: string[]): TokenOptions {
  const values: Record<string, string> = {};
  const scopes: string[] = [];
  const groups: string[] = [];
  const claims: Record<string, string> = {};
  let tokenUse: 'id' | 'access' | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--id-token' || args[i] === '--access-token') {
      tokenUse = args[i] === '--id-token' ? 'id' : 'access';
      continue;
    }
    const m = /^--(app|stack|api|pool|scope|claim|group|sub|expires)(?:=(.*))?$/s.exec(args[i]);
    if (!m) throw new Error(`unknown option ${args[i]}\n\n${TOKEN_USAGE}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    if (m[1] === 'scope') scopes.push(value);
    else if (m[1] === 'group') groups.push(value);
    else if (m[1] === 'claim') {
      const c = /^([^=]+)=(.*)$/s.exec(value);
      if (!c) throw new Error(`--claim ${value}: expected NAME=VALUE`);
      claims[c[1]] = c[2];
    } else values[m[1]] = value;
  }
  const expires = values.expires === undefined ? undefined : Number(values.expires);
  if (expires !== undefined && (!Number.isInteger(expires) || expires <= 0)) throw new Error(`--expires ${values.expires} is not a number of seconds`);
  return {
    app: values.app ?? 'cdk.out',
    stack: values.stack,
    api: values.api,
    mint: {
      ...(values.pool ? { userPoolId: values.pool } : {}),
      ...(scopes.length ? { scopes } : {}),
      ...(groups.length ? { groups } : {}),
      ...(Object.keys(claims).length ? { claims } : {}),
      ...(values.sub ? { sub: values.sub } : {}),
      ...(tokenUse ? { tokenUse } : {}),
      ...(expires ? { expiresInSeconds: expires } : {}),
    },
  };
}

/** The token, minted with the key in `<cwd>/.apigw-local/`. */
export function mintFromAssembly(dir: string, options: TokenOptions, cwd = process.cwd()): string {
  const apis = LocalApi.allFromAssembly(dir, { stack: options.stack, api: options.api, cognitoKeyDir: path.join(cwd, LOCAL_STATE_DIR) })
    .filter((a) => a.cognitoUserPools().length > 0);
  if (apis.length === 0) throw new Error(`${dir}: no REST API${options.api ? ` ${options.api}` : ''} with a Cognito user pools authorizer`);
  if (apis.length > 1) throw new Error(`${dir}: several APIs have Cognito authorizers (${apis.map((a) => a.model.constructPath).join(', ')}): pick one with --api`);
  return apis[0].mintToken(options.mint);
}
