// Shared route options
export * from './route-options';
export * from './authorization';
export * from './caching';
export * from './cors';
export * from './api-cors';
export * from './request-validation';
export * from './field';
export * from './request-template';
export * from './stage-variables';
export * from './http-parameter';
export * from './usage-plan-tier';
export * from './secure-rest-api';
export * from './api-nested-stack';

// Routes
export * from './routes/route-base';
export * from './routes/lambda-proxy-route';
export * from './routes/lambda-custom-route';
export * from './routes/mock-route';
export * from './routes/http-route';
export * from './routes/private-vpc-link-route';
export * from './routes/service-integration-route';
export * from './routes/fan-out-route';
export * from './routes/content-based-route';
export * from './fan-out-branch';
export type { HttpBackendOptions } from './internal/http-integration-options';
export type { ExpressWorkflowOptions } from './internal/express-workflow';

// AWS service actions for ServiceIntegrationRoute
export * from './service-action';
export type { SqsSendMessageOptions } from './service-actions/sqs';
export type { SnsPublishOptions } from './service-actions/sns';
export type { EventBridgePutEventsOptions } from './service-actions/eventbridge';
export type { KinesisPutRecordOptions } from './service-actions/kinesis';
export type { StepFunctionsExecutionOptions, StepFunctionsSyncExecutionOptions } from './service-actions/stepfunctions';
export type { S3GetObjectOptions, S3PutObjectOptions } from './service-actions/s3';
export type { CustomServiceActionOptions } from './service-actions/custom';
export { DynamoAttribute, DynamoReturnValues, KeyCondition } from './service-actions/dynamodb';
export type {
  DynamoDbDeleteItemOptions, DynamoDbGetItemOptions, DynamoDbItemAnswerOptions, DynamoDbPutItemOptions, DynamoDbQueryOptions,
  DynamoDbScanOptions, DynamoDbUpdateItemOptions, DynamoKeySchema,
} from './service-actions/dynamodb';

// Test helpers for users' own templates
export * as testing from './testing';
export * from './openapi/api-document';
