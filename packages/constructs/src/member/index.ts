export * from './delivery.js';
export * from './member-flow-logs.js';
export * from './member-flow-logs-stack.js';
export type { EnablerConfig, EnsureResult } from './vpc-enabler/handler.js';
export * from './vpc-enabler/inline-code.js';
export * from './vpc-enabler/vpc-flow-log-enabler.js';
export * from './vpc-selection.js';
