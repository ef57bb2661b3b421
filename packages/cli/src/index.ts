export { COMMANDS } from './commands/index.js';
export * from './config/index.js';
export { ExitCode, FlowlakeError } from './errors.js';
export { type Io, memoryIo, processIo } from './io.js';
export { cli, exec, VERSION } from './main.js';
