export * from './fields.js';
export * from './format.js';
