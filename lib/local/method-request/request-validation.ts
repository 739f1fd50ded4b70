/**
 * Request validation in the method request, as API Gateway does it for a method with a
 * RequestValidatorId: required request parameters (`method.request.{querystring|header|path}.X: true`)
 * → 400 BAD_REQUEST_PARAMETERS "Missing required request parameters: [a, b]"; the body against the
 * method's model for the request's content type (JSON Schema draft-04) → 400 BAD_REQUEST_BODY
 * "Invalid request body", with the validator's messages in `$context.error.validationErrorString`.
 * A content type without a model (and no `$default` one) is not validated, as on AWS.
 */
import { parameterValue, RequestScope } from '../context';
import { mediaType } from '../integration-request';
import { ApiModel, headerValue } from '../model';
import { MethodRequestStep } from '../pipeline';
import { GatewayError } from '../response';
import { MethodRequestSetup } from './index';
import { JsonSchema, SchemaValidator } from './json-schema';

/** The URL API Gateway gives a model, by which models `$ref` each other. */
export function modelUrl(api: ApiModel, name: string): string {
  return `https://apigateway.amazonaws.com/restapis/${api.id}/models/${name}`;
}

/** A failure whose client message and `validationErrorString` differ. */
export class ValidationError extends GatewayError {
  constructor(type: string, clientMessage: string, public readonly validationErrorString: string, reason: string) {
    super(type, clientMessage, reason, 400);
  }
}

export class RequestValidationStep implements MethodRequestStep {
  private readonly validators = new Map<string, SchemaValidator>();
  private readonly store = new Map<string, JsonSchema>();

  constructor(private readonly setup: MethodRequestSetup) {
    for (const model of setup.api.models) {
      const name = model.id; // a model's Ref is its name
      const schema = parseSchema(model.properties.Schema, `model ${name}`);
      if (schema) this.store.set(modelUrl(setup.api, name), schema);
    }
  }

  public async run(scope: RequestScope): Promise<Record<string, unknown> | void> {
    const method = scope.method!;
    if (!method.RequestValidatorId) return;
    const validator = this.setup.api.requestValidators.find((v) => v.id === method.RequestValidatorId);
    if (!validator) throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `${method.logicalId}: RequestValidatorId ${method.RequestValidatorId} names no validator of this API`);
    const route = `${method.HttpMethod} ${method.resourcePath}`;
    if (String(validator.properties.ValidateRequestParameters) === 'true') {
      const missing: string[] = [];
      for (const [key, required] of Object.entries(method.RequestParameters)) {
        const name = /^method\.request\.(?:querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(key)?.[1];
        if (!required || name === undefined) continue;
        const value = parameterValue(key, scope);
        if (value === undefined || value === '') missing.push(name);
      }
      if (missing.length > 0) {
        const message = `Missing required request parameters: [${missing.join(', ')}]`;
        throw new ValidationError('BAD_REQUEST_PARAMETERS', message, message, `${route}: ${message}`);
      }
    }
    if (String(validator.properties.ValidateRequestBody) === 'true') this.validateBody(scope, route);
  }

  private validateBody(scope: RequestScope, route: string): void {
    const models = scope.method!.RequestModels;
    const type = mediaType(headerValue(scope.request.headers, 'content-type')) ?? 'application/json';
    const key = Object.keys(models).find((k) => k.toLowerCase() === type) ?? ('$default' in models ? '$default' : undefined);
    if (key === undefined) return;
    const name = models[key];
    const schema = this.store.get(modelUrl(this.setup.api, name));
    if (!schema) {
      if (name === 'Empty') return; // API Gateway's built-in Empty model: any body
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `${route}: request model ${name} is not a model of this API`);
    }
    let instance: unknown;
    const text = scope.request.body.toString('utf8');
    try {
      instance = text.trim() === '' ? {} : JSON.parse(text);
    } catch (e) {
      const detail = `Invalid JSON in request body: ${(e as Error).message}`;
      throw new ValidationError('BAD_REQUEST_BODY', 'Invalid request body', `[${detail}]`, `${route}: ${detail}`);
    }
    let validator = this.validators.get(name);
    if (!validator) {
      validator = new SchemaValidator(schema, this.store, modelUrl(this.setup.api, name));
      this.validators.set(name, validator);
    }
    let errors;
    try {
      errors = validator.validate(instance);
    } catch (e) {
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `${route}: model ${name} cannot be used: ${(e as Error).message}`);
    }
    if (errors.length > 0) {
      const list = `[${errors.map((er) => er.message).join(', ')}]`;
      throw new ValidationError('BAD_REQUEST_BODY', 'Invalid request body', list, `${route}: body does not match model ${name}: ${list}`);
    }
  }
}

function parseSchema(value: unknown, what: string): JsonSchema | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return value as JsonSchema;
  try {
    return JSON.parse(String(value)) as JsonSchema;
  } catch (e) {
    throw new Error(`${what}: its Schema is not JSON: ${(e as Error).message}`);
  }
}
