export * from './analytics-catalog.js';
export * from './queries/index.js';
export * from './tables.js';
