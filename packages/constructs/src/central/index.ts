export * from './archive-policy.js';
export * from './central-archive.js';
export * from './central-archive-stack.js';
export * from './lifecycle.js';
