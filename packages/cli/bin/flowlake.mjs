#!/usr/bin/env node
// Entry point of the `flowlake` command. Sources are TypeScript run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../src/main.ts');
await cli(process.argv.slice(2));
