import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * What API Gateway checks before a request reaches the backend. A failed check answers 400 without
 * calling the integration. Path parameters are always required by API Gateway itself.
 */
export interface RequestValidation {
  /**
   * Query string parameters that must be present.
   * @default - none
   */
  readonly requiredQueryParameters?: string[];
  /**
   * Request headers that must be present.
   * @default - none
   */
  readonly requiredHeaders?: string[];
  /**
   * JSON Schema (draft 4) the JSON request body must satisfy.
   * @default - the body is not validated
   */
  readonly bodySchema?: apigw.JsonSchema;
  /**
   * Name of the body model (letters and digits only).
   * @default - a name CloudFormation generates
   */
  readonly bodyModelName?: string;
}
