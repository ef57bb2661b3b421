import { describe, expect, it } from 'vitest';
import { exec, memoryIo } from '../src/index.js';

describe('flowlake', () => {
  it('prints help with --help and exits 0', async () => {
    const io = memoryIo();
    expect(await exec(['--help'], io)).toBe(0);
    expect(io.stdout()).toContain('Usage: flowlake');
  });

  it('exits 2 on an unknown command', async () => {
    const io = memoryIo();
    expect(await exec(['no-such-command'], io)).toBe(2);
    expect(io.stderr()).toMatch(/unknown command/);
  });
});
