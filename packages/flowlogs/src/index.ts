export * from './cloudwatch-payload.js';
export * from './fields.js';
export * from './format.js';
export * from './keys.js';
export * from './parser.js';
export * from './record.js';
export * from './transform/index.js';
