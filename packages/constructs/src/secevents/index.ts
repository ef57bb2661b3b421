export * from './cloudtrail.js';
export * from './cloudtrail-policies.js';
