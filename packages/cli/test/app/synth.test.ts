import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCdkApp } from '../../src/app/index.js';
import { exec, memoryIo } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'flowlake-synth-'));

function files(d: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(d)
      .sort()
      .map((f) => [f, readFileSync(join(d, f), 'utf8')]),
  );
}

function template(d: string, id: string) {
  return JSON.parse(readFileSync(join(d, `${id}.template.json`), 'utf8'));
}

function resources(
  t: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> },
  type: string,
) {
  return Object.values(t.Resources).filter((r) => r.Type === type);
}

describe('flowlake synth', () => {
  const out = join(dir, 'a');
  const viaCdk = join(dir, 'b');
  let stdout = '';

  it('writes the cloud assembly of the example and prints stacks and deploy order', async () => {
    const io = memoryIo();
    expect(await exec(['synth', '--config', 'examples/flowlake.yaml', '--out', out], io)).toBe(0);
    stdout = io.stdout();
    expect(stdout).toContain('5 stacks');
    expect(stdout).toContain('wave 1: npx cdk deploy');
    const names = readdirSync(out);
    expect(names).toContain('manifest.json');
    expect(names.filter((n) => n.endsWith('.template.json'))).toHaveLength(5);
    // no stack traces or tree: small, path-independent output
    expect(names).not.toContain('tree.json');
    for (const n of names) expect(readFileSync(join(out, n), 'utf8')).not.toContain('creationStack');
  });

  it('member stacks point at the central bucket; replication uses the configured key', () => {
    const direct = JSON.stringify(template(out, 'flowlake-member-444444444444-eu-west-1'));
    expect(direct).toContain('arn:aws:s3:::flowlake-flowlogs-111111111111-eu-west-1');
    const flowLogs = resources(template(out, 'flowlake-member-444444444444-eu-west-1'), 'AWS::EC2::FlowLog');
    expect(flowLogs.map((f) => f.Properties!.ResourceId).sort()).toEqual([
      'eni-0a1b2c3d4e5f67890',
      'subnet-0a1b2c3d',
    ]);
    expect(flowLogs[0].Properties).toMatchObject({
      TrafficType: 'ALL',
      MaxAggregationInterval: 60,
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
    });
    const repl = JSON.stringify(template(out, 'flowlake-member-333333333333-eu-west-1'));
    expect(repl).toContain('arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789');
    const central = template(out, 'flowlake-central');
    expect(resources(central, 'AWS::S3::Bucket').length).toBeGreaterThanOrEqual(2);
  });

  it('npx cdk synth (the cdk.json app) writes byte-identical output: deterministic', async () => {
    const env = { ...process.env };
    process.env.CDK_OUTDIR = viaCdk;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ config: 'examples/flowlake.yaml' });
    try {
      expect(await runCdkApp(() => {})).toBe(0);
    } finally {
      process.env = env;
    }
    expect(files(viaCdk)).toEqual(files(out));
    expect(JSON.parse(readFileSync('cdk.json', 'utf8')).app).toBe('npx tsx packages/cli/bin/cdk-app.ts');
  });

  it('--cfn-validate runs CloudFormation template validation: the example has no violation', async () => {
    const target = join(dir, 'validated');
    const io = memoryIo();
    expect(
      await exec(['synth', '-c', 'examples/flowlake.yaml', '--out', target, '--cfn-validate', '-q'], io),
    ).toBe(0);
    expect(io.stdout()).toBe('');
    const report = JSON.parse(readFileSync(join(target, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('an invalid config exits 2 with the messages of validate and writes nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      "central: { account: '111111111111', region: eu-west-1 }\nmembers: [{ accounts: ['222222222222'], regions: [eu-west-1] }]\nretenton: {}\n",
    );
    const target = join(dir, 'never');
    const s = memoryIo();
    expect(await exec(['synth', '-c', bad, '--out', target], s)).toBe(2);
    const v = memoryIo();
    expect(await exec(['validate', '-c', bad], v)).toBe(2);
    expect(s.stderr()).toBe(v.stderr());
    expect(s.stderr()).toContain("unknown key 'retenton' - did you mean 'retention'?");
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('flowlake-tmp'))).toEqual([]);
  });

  it('a streaming group with vpcs: all and the Lambda enrollment exits 2 naming it and writes nothing', async () => {
    const cfg = join(dir, 'streaming.yaml');
    writeFileSync(
      cfg,
      "central: { account: '111111111111', region: eu-west-1 }\nmembers: [{ accounts: ['222222222222'], regions: [eu-west-1], delivery: cloudwatch-firehose }]\n",
    );
    const target = join(dir, 'never2');
    const io = memoryIo();
    expect(await exec(['synth', '-c', cfg, '--out', target], io)).toBe(2);
    expect(io.stderr()).toMatch(/EnrollmentNotAvailable.*cloudwatch-firehose with vpcs: all/);
    expect(existsSync(target)).toBe(false);
  });

  it('the CDK entry rejects an invalid config before synthesizing', async () => {
    const env = { ...process.env };
    const target = join(dir, 'never3');
    process.env.CDK_OUTDIR = target;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ config: join(dir, 'bad.yaml') });
    let err = '';
    try {
      expect(await runCdkApp((t) => (err += t))).toBe(2);
    } finally {
      process.env = env;
    }
    expect(err).toContain("unknown key 'retenton'");
    expect(existsSync(target)).toBe(false);
  });

  afterAll(() => void 0);
});
