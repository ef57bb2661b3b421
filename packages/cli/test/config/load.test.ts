import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { exec, memoryIo } from '../../src/index.js';

const BAD = `name: flowlake
central:
  account: '111111111111'
  region: eu-west-1
members:
  - accounts: ['222222222222']
    regions: [eu-west-1, eu-wst-2]
    vpcs: [vpc-0a1b2c3d, vpc-xyz]
retenton:
  expireDays: 10
flowLogs:
  aggregationInterval: 120
`;

describe('config loader locations', () => {
  it('reports every error at once, in document order, with path and line:col', () => {
    const r = parseConfig(BAD);
    expect(r.config).toBeUndefined();
    expect(r.issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['members[0].regions[1]', 7, 26],
      ['members[0].vpcs[1]', 8, 26],
      ['retenton', 9, 1],
      ['flowLogs.aggregationInterval', 12, 24],
    ]);
    expect(r.issues.every((i) => i.severity === 'error' && i.hint.length > 0)).toBe(true);
  });

  it('a missing key points at its parent key', () => {
    const r = parseConfig(
      "members: [{ accounts: ['222222222222'], regions: [eu-west-1] }]\ncentral:\n  account: '111111111111'\n",
    );
    expect(r.issues[0]).toMatchObject({ path: 'central.region', line: 2, column: 1 });
  });

  it('YAML syntax errors carry their position and a hint, and stop validation', () => {
    const r = parseConfig('central:\n  account: "111\nmembers: []\n');
    expect(r.issues.length).toBeGreaterThan(0);
    expect(r.issues[0]).toMatchObject({ path: '(yaml)', severity: 'error' });
    expect(r.issues[0].line).toBeGreaterThanOrEqual(2);
  });

  it('duplicate keys are errors', () => {
    const r = parseConfig("central: { account: '111111111111', region: eu-west-1 }\ncentral: {}\n");
    expect(r.issues[0]).toMatchObject({ line: 2, column: 1, hint: expect.stringMatching(/remove one/) });
  });
});

describe('flowlake validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlake-validate-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, BAD);

  it('exits 0 with a summary on the example config', async () => {
    const io = memoryIo();
    expect(await exec(['validate', '--config', 'examples/flowlake.yaml'], io)).toBe(0);
    expect(io.stdout()).toContain('examples/flowlake.yaml: valid');
    expect(io.stdout()).toMatch(/accounts\s+3/);
    expect(io.stderr()).toBe('');
  });

  it('exits 2 and lists every error as file:line:col with a fix', async () => {
    const io = memoryIo();
    expect(await exec(['validate', '--config', bad], io)).toBe(2);
    const err = io.stderr();
    expect(err).toContain(`${bad}:9:1 error retenton: unknown key 'retenton' - did you mean 'retention'?`);
    expect(err).toContain("  fix: rename 'retenton' to 'retention'");
    expect(err).toContain('4 errors in');
    expect(io.stdout()).toBe('');
  });

  it('--output json prints the issues as one JSON document', async () => {
    const io = memoryIo();
    expect(await exec(['validate', '-c', bad, '--output', 'json'], io)).toBe(2);
    const doc = JSON.parse(io.stdout());
    expect(doc.valid).toBe(false);
    expect(doc.issues).toHaveLength(4);
    expect(doc.issues[0]).toEqual({
      severity: 'error',
      path: 'members[0].regions[1]',
      line: 7,
      column: 26,
      message: "not an AWS region code (got 'eu-wst-2')",
      hint: 'use a region code such as eu-west-1 or us-east-1',
    });
  });

  it('a missing file is a usage error naming the file', async () => {
    const io = memoryIo();
    expect(await exec(['validate', '-c', join(dir, 'nope.yaml')], io)).toBe(2);
    expect(io.stderr()).toMatch(/ConfigNotFound.*nope\.yaml/);
  });
});
