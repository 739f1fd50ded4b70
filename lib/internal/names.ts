/** Name rules shared by every construct, so one header or parameter name is judged the same everywhere. */

/** An HTTP header name: an RFC 9110 token. */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&*+.^_`|~-]+$/;

/** A path or query string parameter name API Gateway accepts in parameter mappings. */
export const PARAM_NAME = /^[A-Za-z0-9._~-]+$/;
