export * from './cloudtrail.js';
export * from './cloudtrail-policies.js';
export * from './guardduty.js';
export * from './guardduty-policies.js';
export * from './schemas.js';
export * from './tables.js';
