/**
 * Claims as a REST API's Cognito authorizer hands them on (`$context.authorizer.claims` and the proxy
 * event's `requestContext.authorizer.claims`): every value a string.
 *
 * Recorded REST API events show the format (API Gateway's own Java rendering, not documented):
 * `"exp": "Mon Jun 15 05:56:21 UTC 2026"`, `"iat"` likewise, `"auth_time": "1781499381"`,
 * `"email_verified": "true"`, a one-group `cognito:groups` as `"admin"` and the one-object
 * `identities` array as that object's JSON. Chosen for what recordings do not show: arrays of more
 * than one element are joined with "," (strings as they are, other values as JSON).
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC: `Mon Jun 15 05:56:21 UTC 2026`. */
export function javaDateString(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const DATE_CLAIMS = new Set(['exp', 'iat']);

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every claim as the string API Gateway passes on; null claims are left out. */
export function claimsAsStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (DATE_CLAIMS.has(key) && typeof value === 'number') out[key] = javaDateString(value);
    else if (Array.isArray(value)) out[key] = value.map(scalar).join(',');
    else out[key] = scalar(value);
  }
  return out;
}
