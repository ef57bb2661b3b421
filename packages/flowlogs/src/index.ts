export * from './fields.js';
export * from './format.js';
export * from './record.js';
