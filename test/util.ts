import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Shared helpers for the assertion tests: a fresh stack, a small inline function, resource lookups. */

export type Json = any;

/** A new App and Stack (no context: aws-cdk-lib's built-in validation is off via CDK_VALIDATION). */
export function newStack(id = 'Stack'): Stack {
  return new Stack(new App(), id);
}

/** A small Node.js 22 function with inline code. */
export function newFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
  });
}

/** Every resource of `type` in the template, as [logicalId, properties]. */
export function resourcesOfType(template: Template, type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r as Json).Properties ?? {}]);
}

/** The one resource of `type` whose properties match `pred`; fails if there is not exactly one. */
export function onlyResource(template: Template, type: string, pred: (props: Json) => boolean = () => true): [string, Json] {
  const found = resourcesOfType(template, type).filter(([, p]) => pred(p));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} matching, found ${found.length}: ${found.map(([id]) => id).join(', ')}`);
  }
  return found[0];
}

/** The full path of every AWS::ApiGateway::Resource, by logical id. */
export function resourcePaths(template: Template): { [logicalId: string]: string } {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const props = resources[id].Properties;
    const parent = props.ParentId;
    const parentPath = parent.Ref && resources[parent.Ref] ? pathOf(parent.Ref) : '';
    return `${parentPath}/${props.PathPart}`;
  };
  const out: { [id: string]: string } = {};
  for (const id of Object.keys(resources)) out[id] = pathOf(id);
  return out;
}

/**
 * The AWS::ApiGateway::Method properties for `method` on `path` (of the only RestApi, or of `apiLogicalId`).
 * Fails unless exactly one matches.
 */
export function methodAt(template: Template, path: string, method: string, apiLogicalId?: string): Json {
  const paths = resourcePaths(template);
  const found = resourcesOfType(template, 'AWS::ApiGateway::Method').filter(([, p]) => {
    if (p.HttpMethod !== method) return false;
    if (apiLogicalId && p.RestApiId?.Ref !== apiLogicalId) return false;
    const resourcePath = p.ResourceId?.Ref ? paths[p.ResourceId.Ref] : '/';
    return resourcePath === path;
  });
  if (found.length !== 1) throw new Error(`expected one ${method} method on ${path}, found ${found.length}`);
  return found[0][1];
}

/** The methods on each resource path: { '/a/b': ['GET', 'OPTIONS'] }, sorted. */
export function methodsByPath(template: Template, apiLogicalId?: string): { [path: string]: string[] } {
  const paths = resourcePaths(template);
  const out: { [path: string]: string[] } = {};
  for (const [, p] of resourcesOfType(template, 'AWS::ApiGateway::Method')) {
    if (apiLogicalId && p.RestApiId?.Ref !== apiLogicalId) continue;
    const path = p.ResourceId?.Ref ? paths[p.ResourceId.Ref] : '/';
    (out[path] ??= []).push(p.HttpMethod);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

/** The logical id of the AWS::ApiGateway::Resource at `path`. */
export function resourceIdForPath(template: Template, path: string): string {
  const ids = Object.entries(resourcePaths(template)).filter(([, p]) => p === path).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one resource for ${path}, found ${ids.length}`);
  return ids[0];
}

/** The logical id of the only resource of `type` in the template. */
export function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}

/** The message of the error `fn` throws; fails the test if it does not throw. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected an error, but none was thrown');
}

/** Small deterministic PRNG (mulberry32), so a failing generated case reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
