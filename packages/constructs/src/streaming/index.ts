export * from './destination-policy.js';
export * from './log-destination.js';
export * from './member-streaming.js';
export * from './streaming-delivery.js';
export * from './streaming-source.js';
export * from './telemetry-rule.js';
export * from './transform-function.js';
