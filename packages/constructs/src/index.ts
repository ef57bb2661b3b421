export * from './central/index.js';
