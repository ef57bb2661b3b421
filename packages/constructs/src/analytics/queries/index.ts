export * from './catalog.js';
export * from './render.js';
export * from './security-catalog.js';
export type * from './types.js';
