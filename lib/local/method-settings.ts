/**
 * A stage's `MethodSettings` as API Gateway reads them: an entry names a method by its resource path
 * escaped (`/` + the path with `~` → `~0` and `/` → `~1`: `/~1orders~1{id}`) and its verb, or the whole
 * stage by `/*` and `*`. The cache and the stage throttle both look a method up this way.
 */
import { ResolvedProperties } from './model';

/** `/orders/{id}` → `/~1orders~1{id}`, as MethodSettings' ResourcePath names a resource. */
export function methodSettingsPath(resourcePath: string): string {
  return `/${resourcePath.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The method's own entry (its path, and its verb or `*`) that sets `key`. */
export function ownMethodSetting(settings: readonly ResolvedProperties[], resourcePath: string, verb: string, key: string): ResolvedProperties | undefined {
  const path = methodSettingsPath(resourcePath);
  return settings.find((s) => (s.ResourcePath === path || s.ResourcePath === resourcePath)
    && (s.HttpMethod === '*' || String(s.HttpMethod).toUpperCase() === verb.toUpperCase()) && s[key] !== undefined);
}

/** The stage-wide entry (`/*`; `*`, or `verb` when given) that sets `key`. */
export function stageWideSetting(settings: readonly ResolvedProperties[], key: string, verb?: string): ResolvedProperties | undefined {
  return settings.find((s) => (s.ResourcePath ?? '/*') === '/*'
    && ((s.HttpMethod ?? '*') === '*' || (verb !== undefined && String(s.HttpMethod).toUpperCase() === verb.toUpperCase())) && s[key] !== undefined);
}
