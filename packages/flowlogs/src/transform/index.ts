export * from './byte-writer.js';
export * from './documents.js';
export * from './guardduty.js';
export * from './line-encoder.js';
export * from './partition.js';
export * from './reingest.js';
export * from './transform.js';
export * from './types.js';
