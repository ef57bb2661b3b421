export * from './catalog.js';
export * from './render.js';
export type * from './types.js';
