// The local emulator, `cdk-apigateway-patterns/local` (Node-only; not part of the jsii API).
export { LocalApi } from './local-api';
export type { LocalApiOptions, LocalApiRequest, LocalApiResponse } from './local-api';
export { loadAssembly } from './assembly';
export * from './model';
export type { LocalRequest } from './request';
export { GatewayError } from './response';
export type { LocalResponse } from './response';
export { PROXY_TYPES } from './integration';
export type { IntegrationInput, IntegrationOutput, IntegrationRunner, IntegrationRunners } from './integration';
export { RequestPipeline, defaultRunners } from './pipeline';
export type { MethodRequestStep, RequestLogEntry } from './pipeline';
export { route, routeTable } from './router';
export type { RouteMatch } from './router';
export { GATEWAY_RESPONSE_DEFAULTS, gatewayResponse } from './gateway-responses';
export { parameterValue, requestContext, templateRequest } from './context';
export type { RequestScope } from './context';
export { serve, parseArgs } from './cli';
export type { ServeOptions } from './cli';
