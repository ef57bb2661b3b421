export * from './analytics/index.js';
export * from './central/index.js';
export * from './member/index.js';
export * from './rollout/index.js';
export * from './secevents/index.js';
export * from './streaming/index.js';
