export * from './mapping-template';
