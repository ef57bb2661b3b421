export * from './member-template.js';
export * from './org-rollout-stack.js';
