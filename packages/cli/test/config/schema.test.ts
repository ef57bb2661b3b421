import { ALL_VPC_FIELDS_V2_V8 } from '@flowlake/flowlogs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_LOG_FORMAT, parseConfig } from '../../src/config/index.js';
import { base, errorsOf, valid, withTop } from './helpers.js';

function member(patch: Record<string, unknown>) {
  return withTop({ members: [{ accounts: ['222222222222'], regions: ['eu-west-1'], ...patch }] });
}

describe('config defaults', () => {
  it('applies every documented default', () => {
    const c = valid(base());
    expect(c.name).toBe('flowlake');
    expect(c.delivery).toBe('direct-s3');
    expect(c.members[0].vpcs).toBe('all');
    expect(c.flowLogs).toEqual({
      format: DEFAULT_LOG_FORMAT,
      trafficType: 'ALL',
      aggregationInterval: 60,
      fileFormat: 'parquet',
      hivePartitions: true,
      perHourPartitions: true,
    });
    expect(c.retention).toEqual({
      infrequentAccessDays: 30,
      glacierDays: 90,
      expireDays: 400,
      noncurrentExpireDays: 30,
    });
    expect(c.replication).toEqual({ rtc: false, localExpireDays: 7 });
    expect(c.streaming.kinesis).toEqual({ mode: 'on-demand', retentionHours: 24 });
    expect(c.streaming.firehose).toEqual({ bufferMb: 128, bufferSeconds: 300 });
    expect(c.streaming.output).toBe('json');
    expect(c.streaming.enrollment).toBe('lambda');
    expect(c.analytics.athenaBytesScannedCutoff).toBe(10 * 1024 ** 3);
    expect(c.audit.roleName).toBe('FlowlakeAudit');
    expect(c.cloudtrail.enabled).toBe(false);
    expect(c.guardduty.enabled).toBe(false);
    expect(c.rollout).toMatchObject({ mode: 'stacks', callAs: 'SELF', maxConcurrentPercentage: 25 });
    expect(c.tags).toEqual({});
  });

  it('default format is every VPC field of v2-v8 and no Transit Gateway field', () => {
    const names = DEFAULT_LOG_FORMAT.match(/\$\{([^}]+)\}/g)!.map((t) => t.slice(2, -1));
    expect(names).toEqual([...ALL_VPC_FIELDS_V2_V8]);
    expect(names).not.toContain('resource-type');
    expect(names).toContain('reject-reason');
  });

  it('rollout mode defaults to stacksets when a group targets OUs', () => {
    const c = valid(member({ accounts: [], ous: ['ou-ab12-cd34ef56'] }));
    expect(c.rollout.mode).toBe('stacksets');
  });

  it('accepts a list of fields and normalizes it to a format string', () => {
    const c = valid(withTop({ flowLogs: { format: ['version', 'srcaddr', 'dstaddr'] } }));
    expect(c.flowLogs.format).toBe(`\${version} \${srcaddr} \${dstaddr}`);
  });

  it('accepts sizes with units and booleans for optional features', () => {
    const c = valid(
      withTop({ analytics: { athenaBytesScannedCutoff: '512 MB' }, cloudtrail: true, guardduty: {} }),
    );
    expect(c.analytics.athenaBytesScannedCutoff).toBe(512 * 1024 ** 2);
    expect(c.cloudtrail).toMatchObject({ enabled: true, prefix: 'cloudtrail' });
    expect(c.guardduty).toMatchObject({ enabled: true, autoEnable: 'ALL' });
  });

  it('keeps the leading zero of an unquoted account id', () => {
    const text = `central: { account: 012345678901, region: eu-west-1 }\nmembers:\n  - accounts: [222222222222]\n    regions: [eu-west-1]\n`;
    const r = parseConfig(text);
    expect(r.config?.central.account).toBe('012345678901');
    expect(r.config?.members[0].accounts).toEqual(['222222222222']);
  });
});

describe('config errors: shape', () => {
  it('unknown keys are caught with a did-you-mean', () => {
    const [e] = errorsOf(withTop({ retenton: { expireDays: 400 } }));
    expect(e.path).toBe('retenton');
    expect(e.message).toBe("unknown key 'retenton' - did you mean 'retention'?");
    expect(e.hint).toBe("rename 'retenton' to 'retention'");
  });

  it('unknown nested keys without a near match list the allowed keys', () => {
    const [e] = errorsOf(withTop({ central: { account: '111111111111', region: 'eu-west-1', zzz: 1 } }));
    expect(e.path).toBe('central.zzz');
    expect(e.hint).toContain(
      'allowed keys here: account, region, archiveAdminRoleArns, keyArn, useSourceOrgId',
    );
  });

  it('unknown keys inside list items and optional features are caught', () => {
    const errors = errorsOf(
      withTop({
        members: [{ accounts: ['222222222222'], regions: ['eu-west-1'], vpc: 'all' }],
        cloudtrail: { enabled: true, prefx: 'ct' },
      }),
    );
    expect(errors.map((e) => [e.path, e.message])).toEqual(
      expect.arrayContaining([
        ['members[0].vpc', "unknown key 'vpc' - did you mean 'vpcs'?"],
        ['cloudtrail.prefx', "unknown key 'prefx' - did you mean 'prefix'?"],
      ]),
    );
  });

  it('missing required keys are named', () => {
    const errors = errorsOf({ members: base().members, central: { account: '111111111111' } });
    expect(errors.map((e) => e.message)).toEqual(["missing required key 'region'"]);
    expect(errors[0].path).toBe('central.region');
    expect(errorsOf({ central: { account: '111111111111', region: 'eu-west-1' } })[0].message).toBe(
      "missing required key 'members'",
    );
  });

  it('wrong types name what was expected and what was given', () => {
    const [e] = errorsOf(withTop({ central: 'x' }));
    expect(e.message).toBe("expected a mapping, got string (got 'x')");
  });

  it('enums suggest the closest value', () => {
    const [e] = errorsOf(withTop({ delivery: 'direct-s4' }));
    expect(e.message).toContain("unknown delivery path (got 'direct-s4')");
    expect(e.hint).toMatch(/^did you mean 'direct-s3'\?/);
    const [t] = errorsOf(withTop({ flowLogs: { trafficType: 'all' } }));
    expect(t.hint).toMatch(/did you mean 'ALL'/);
  });

  it('an empty document is an error', () => {
    expect(parseConfig('').issues[0].message).toBe('the config is empty');
  });
});

describe('config errors: ids and values', () => {
  it.each([
    [{ central: { account: '11111111111', region: 'eu-west-1' } }, 'central.account', /12 digits/],
    [{ central: { account: '111111111111', region: 'eu-wst-1' } }, 'central.region', /not an AWS region/],
    [{ organization: { id: 'org-1' } }, 'organization.id', /organization id looks like/],
    [
      { central: { account: '111111111111', region: 'eu-west-1', archiveAdminRoleArns: ['LogAdmin'] } },
      'central.archiveAdminRoleArns[0]',
      /not an IAM role ARN/,
    ],
    [{ audit: { roleName: 'arn:aws:iam::1:role/x' } }, 'audit.roleName', /not an IAM role name/],
    [{ name: 'Flow Lake' }, 'name', /not a valid name/],
    [{ tags: { 'aws:owner': 'x' } }, 'tags.aws:owner', /reserved by AWS/],
    [{ tags: { owner: 3 } }, 'tags.owner', /tag values must be strings/],
    [{ flowLogs: { aggregationInterval: 300 } }, 'flowLogs.aggregationInterval', /60 or 600/],
    [{ flowLogs: { fileFormat: 'csv' } }, 'flowLogs.fileFormat', /unknown file format/],
    [
      { analytics: { athenaBytesScannedCutoff: '1 KB' } },
      'analytics.athenaBytesScannedCutoff',
      /at least 10 MB/,
    ],
    [
      { analytics: { athenaBytesScannedCutoff: 'lots' } },
      'analytics.athenaBytesScannedCutoff',
      /must be a size/,
    ],
    [{ streaming: { firehose: { bufferMb: 5 } } }, 'streaming.firehose.bufferMb', /at least 64 MB/],
    [{ streaming: { logGroupRetentionDays: 10 } }, 'streaming.logGroupRetentionDays', /specific retention/],
    [{ streaming: { kinesis: { retentionHours: 2 } } }, 'streaming.kinesis.retentionHours', /24 hours/],
    [{ rollout: { maxConcurrentPercentage: 0 } }, 'rollout.maxConcurrentPercentage', /at least 1/],
  ])('%j -> %s', (patch, path, message) => {
    const errors = errorsOf({ ...base(), ...patch });
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toMatch(message);
    expect(errors[0].hint.length).toBeGreaterThan(5);
  });

  it('vpc selection: all, ids of the three kinds, or an error naming the bad id', () => {
    expect(
      valid(member({ vpcs: ['vpc-0a1b2c3d', 'subnet-0a1b2c3d4e5f67890', 'eni-0a1b2c3d'] })).members[0].vpcs,
    ).toHaveLength(3);
    const [e] = errorsOf(member({ vpcs: ['vpc-0a1b2c3d', 'sg-0a1b2c3d'] }));
    expect(e.path).toBe('members[0].vpcs[1]');
    expect(e.message).toContain("(got 'sg-0a1b2c3d')");
    expect(errorsOf(member({ vpcs: 'some' }))[0].message).toMatch(/'all' or a list/);
    expect(errorsOf(member({ vpcs: [] }))[0].path).toBe('members[0].vpcs');
  });

  it('log format: unknown field, Transit Gateway field, duplicate field', () => {
    expect(errorsOf(withTop({ flowLogs: { format: `\${version} \${srcadr}` } }))[0].message).toMatch(
      /unknown flow log field 'srcadr'/,
    );
    expect(errorsOf(withTop({ flowLogs: { format: ['version', 'resource-type'] } }))[0].message).toMatch(
      /Transit Gateway fields .*resource-type/,
    );
    expect(errorsOf(withTop({ flowLogs: { format: ['version', 'version'] } }))[0].message).toMatch(/twice/);
    expect(errorsOf(withTop({ flowLogs: { format: 42 } }))[0].message).toMatch(/format string or a list/);
  });
});

describe('config errors: cross-field rules', () => {
  const retention = (r: Record<string, unknown>) => errorsOf(withTop({ retention: r }));

  it('retention tiers must be ordered and respect the S3 30-day IA minimum', () => {
    expect(retention({ infrequentAccessDays: 10 })[0].message).toMatch(/only after 30 days/);
    expect(retention({ infrequentAccessDays: 60, glacierDays: 60 })[0]).toMatchObject({
      path: 'retention.glacierDays',
      message: 'glacierDays (60) must be greater than infrequentAccessDays (60)',
    });
    expect(retention({ glacierDays: 90, expireDays: 90 })[0]).toMatchObject({ path: 'retention.expireDays' });
    expect(retention({ glacierDays: false, expireDays: 20 })[0].message).toMatch(
      /infrequentAccessDays \(30\)/,
    );
    expect(retention({ infrequentAccessDays: false, glacierDays: false, expireDays: 1 })).toEqual([]);
    expect(retention({ objectLock: { mode: 'WORM', days: 1 } })[0].message).toMatch(/Object Lock mode/);
  });

  it('the replication path needs the central key ARN of the central account', () => {
    const repl = member({ delivery: 'replication' });
    expect(errorsOf(repl)).toEqual([]);
    expect(parseConfig(stringify(repl)).issues[0]).toMatchObject({
      severity: 'warning',
      path: 'central',
      message: expect.stringMatching(/central.keyArn/),
    });
    const arn = (acct: string) => `arn:aws:kms:eu-west-1:${acct}:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
    const central = (keyArn: string) => ({ account: '111111111111', region: 'eu-west-1', keyArn });
    expect(valid({ ...repl, central: central(arn('111111111111')) }).central.keyArn).toBe(
      arn('111111111111'),
    );
    expect(errorsOf({ ...repl, central: central(arn('999999999999')) })[0].path).toBe('central.keyArn');
    expect(errorsOf({ ...repl, central: central('alias/x') })[0].message).toMatch(/not a KMS key ARN/);
  });

  it('kinesis shards only with provisioned mode', () => {
    expect(errorsOf(withTop({ streaming: { kinesis: { mode: 'provisioned' } } }))[0].message).toMatch(
      /needs a shard count/,
    );
    expect(errorsOf(withTop({ streaming: { kinesis: { shards: 2 } } }))[0].message).toMatch(
      /only to provisioned/,
    );
  });

  it('opensearch: every sizing and network problem at once, each with a hint', () => {
    const streaming = (opensearch: Record<string, unknown>) => ({
      ...base(),
      delivery: 'cloudwatch-firehose',
      members: [{ accounts: ['222222222222'], regions: ['eu-west-1'], vpcs: ['vpc-0a1b2c3d4e5f67890'] }],
      streaming: { opensearch: { enabled: true, ...opensearch } },
    });
    const ok = valid(streaming({}));
    expect(ok.streaming.opensearch).toMatchObject({
      instanceCount: 2,
      indexName: 'flowlogs',
      indexRotation: 'OneDay',
      dedicatedMasterCount: 0,
    });
    const errors = errorsOf(
      streaming({
        instanceCount: 3,
        dedicatedMasterCount: 4,
        masterUserArn: 'arn:aws:iam::1:role/x',
        indexName: 'Flow Logs',
        indexRotation: 'Daily',
        vpc: { vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0a1b2c3d'] },
      }),
    );
    const byPath = Object.fromEntries(errors.map((e) => [e.path, `${e.message} ${e.hint ?? ''}`]));
    expect(byPath['streaming.opensearch.dedicatedMasterCount']).toMatch(/0, 3 or 5/);
    expect(byPath['streaming.opensearch.masterUserArn']).toMatch(/not an IAM role or user ARN/);
    expect(byPath['streaming.opensearch.indexName']).toMatch(/not a valid index name.*lowercase/);
    expect(byPath['streaming.opensearch.indexRotation']).toMatch(/OneDay/);
    // Cross-field rules run once the shape is right.
    const cross = errorsOf(
      streaming({ instanceCount: 3, vpc: { vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0a1b2c3d'] } }),
    );
    expect(cross.map((e) => e.path).sort()).toEqual([
      'streaming.opensearch.instanceCount',
      'streaming.opensearch.vpc.subnetIds',
    ]);
    expect(cross.map((e) => `${e.message} ${e.hint ?? ''}`).join('\n')).toMatch(/use 4 \(or 1/);
    // Without masterUserArn the construct generates an IAM admin role: nothing to warn about.
    expect(parseConfig(stringify(streaming({}))).issues).toEqual([]);
    expect(
      parseConfig(stringify(streaming({ masterUserArn: 'arn:aws:iam::111111111111:role/SearchAdmin' })))
        .issues,
    ).toEqual([]);
    expect(errorsOf(streaming({ instanceCount: 1, dedicatedMasterCount: 3 }))[0].path).toBe(
      'streaming.opensearch.dedicatedMasterCount',
    );
    expect(errorsOf(withTop({ streaming: { opensearch: { enabled: true } } }))[0]).toMatchObject({
      path: 'streaming.opensearch.enabled',
      message: expect.stringMatching(/no member group uses cloudwatch-firehose/),
    });
  });

  it('member groups need targets and may not overlap', () => {
    expect(errorsOf(member({ accounts: [] }))[0].message).toBe('a member group needs accounts or ous');
    const dup = errorsOf(
      withTop({
        members: [
          { accounts: ['222222222222'], regions: ['eu-west-1', 'us-east-1'] },
          { accounts: ['333333333333', '222222222222'], regions: ['us-east-1'] },
        ],
      }),
    );
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({
      path: 'members[1].accounts[1]',
      message: 'account 222222222222 in us-east-1 is already covered by members[0]',
    });
  });

  it('organization-only features need the organization', () => {
    const noOrg = { central: base().central };
    const ous = errorsOf({ ...noOrg, members: [{ ous: ['ou-ab12-cd34ef56'], regions: ['eu-west-1'] }] });
    expect(ous.map((e) => e.path)).toEqual(['members[0].ous']);
    expect(
      errorsOf({ ...noOrg, members: base().members, rollout: { mode: 'stacksets' } }).map((e) => e.path),
    ).toEqual(['rollout.mode']);
    expect(errorsOf({ ...noOrg, members: base().members, cloudtrail: true })[0].path).toBe('cloudtrail');
    expect(errorsOf({ ...noOrg, members: base().members, guardduty: true })[0].path).toBe('guardduty');
    expect(
      errorsOf({ ...noOrg, members: base().members, streaming: { enrollment: 'telemetry-rule' } })[0].path,
    ).toBe('streaming.enrollment');
  });

  it('OUs cannot be rolled out as plain stacks', () => {
    const e = errorsOf({ ...member({ accounts: [], ous: ['r-ab12'] }), rollout: { mode: 'stacks' } });
    expect(e[0].message).toMatch(/rollout.mode 'stacksets'/);
  });

  it('StackSets as SELF and the organization trail need the management account', () => {
    const org = { organization: { id: 'o-a1b2c3d4e5' } };
    expect(errorsOf({ ...base(), ...org, rollout: { mode: 'stacksets' } })[0].message).toMatch(
      /management account/,
    );
    expect(
      valid({ ...base(), ...org, rollout: { mode: 'stacksets', callAs: 'DELEGATED_ADMIN' } }).rollout.mode,
    ).toBe('stacksets');
    expect(errorsOf({ ...base(), ...org, cloudtrail: true })[0].message).toMatch(/management account/);
  });

  it('the telemetry rule cannot select individual VPCs', () => {
    const e = errorsOf({
      ...member({ vpcs: ['vpc-0a1b2c3d'], delivery: 'cloudwatch-firehose' }),
      streaming: { enrollment: 'telemetry-rule' },
    });
    expect(e[0].path).toBe('members[0].vpcs');
  });
});

describe('config warnings', () => {
  it('object lock longer than expiry and COMPLIANCE mode are warnings, not errors', () => {
    const r = parseConfig(
      `central: { account: '111111111111', region: eu-west-1 }\nmembers: [{ accounts: ['222222222222'], regions: [eu-west-1] }]\nretention:\n  objectLock: { mode: COMPLIANCE, days: 3650 }\n`,
    );
    expect(r.config).toBeDefined();
    expect(r.issues.map((i) => [i.severity, i.path])).toEqual([
      ['warning', 'retention.objectLock.mode'],
      ['warning', 'retention.objectLock.days'],
    ]);
  });
});
