import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, planApp } from '../../src/app/index.js';
import { parseConfig } from '../../src/config/index.js';
import { FlowlakeError } from '../../src/errors.js';

const EXAMPLE = readFileSync('examples/flowlake.yaml', 'utf8');

function config(extra: string) {
  const r = parseConfig(`${EXAMPLE}\n${extra}\n`);
  if (!r.config) throw new Error(JSON.stringify(r.issues));
  return r.config;
}

describe('cloudtrail: true / guardduty: true in flowlake.yaml', () => {
  const c = config('cloudtrail: true\nguardduty: true');
  const { app, plan } = buildApp(c);
  const stack = (id: string) => app.node.findChild(id) as Stack;

  it('plans the trail in the management account and GuardDuty per region, after the central stack', () => {
    const extra = plan.stacks.filter((s) => s.kind === 'cloudtrail' || s.kind.startsWith('guardduty'));
    expect(extra.map((s) => [s.id, s.account, s.region, s.wave])).toEqual([
      ['flowlake-cloudtrail', '100000000001', 'eu-west-1', 2],
      ['flowlake-guardduty-delegation-eu-west-1', '100000000001', 'eu-west-1', 2],
      ['flowlake-guardduty-delegation-us-east-1', '100000000001', 'us-east-1', 2],
      ['flowlake-guardduty-eu-west-1', '111111111111', 'eu-west-1', 3],
      ['flowlake-guardduty-us-east-1', '111111111111', 'us-east-1', 3],
    ]);
    expect(
      stack('flowlake-guardduty-us-east-1')
        .dependencies.map((d) => d.stackName)
        .sort(),
    ).toEqual(['flowlake-central', 'flowlake-guardduty-delegation-us-east-1']);
  });

  it('synthesizes the organization trail into the central bucket with its prefix', () => {
    const t = Template.fromStack(stack('flowlake-cloudtrail'));
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'flowlake-organization-trail',
      IsOrganizationTrail: true,
      S3BucketName: 'flowlake-flowlogs-111111111111-eu-west-1',
      S3KeyPrefix: 'cloudtrail',
    });
  });

  it('adds the CloudTrail and GuardDuty statements to the central bucket and key policies', () => {
    const central = Template.fromStack(stack('flowlake-central'));
    const policy = JSON.stringify(central.findResources('AWS::S3::BucketPolicy'));
    for (const sid of [
      'AWSCloudTrailAclCheck',
      'AWSCloudTrailWrite',
      'AWSCloudTrailOrganizationWrite',
      'AllowGuardDutyPutObject',
    ]) {
      expect(policy).toContain(sid);
    }
    expect(policy).toContain('arn:aws:cloudtrail:eu-west-1:100000000001:trail/flowlake-organization-trail');
    expect(policy).toContain('cloudtrail/AWSLogs/o-a1b2c3d4e5/*');
    expect(JSON.stringify(central.findResources('AWS::KMS::Key'))).toContain('AllowGuardDutyEncryptFindings');
  });

  it('synthesizes delegation in the management account and the findings hub with the central key', () => {
    Template.fromStack(stack('flowlake-guardduty-delegation-eu-west-1')).resourceCountIs('Custom::AWS', 1);
    const hub = Template.fromStack(stack('flowlake-guardduty-eu-west-1'));
    hub.hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DestinationProperties: { KmsKeyArn: c.central.keyArn },
    });
    hub.hasResourceProperties('AWS::Events::Rule', { Name: 'flowlake-guardduty-findings' });
    const calls = JSON.stringify(hub.findResources('Custom::AWS'));
    expect(calls).toContain('updateOrganizationConfiguration');
    expect(calls).toContain('FIFTEEN_MINUTES');
  });

  it('adds the CloudTrail and GuardDuty Glue tables to the analytics database of the central stack', () => {
    const central = Template.fromStack(stack('flowlake-central'));
    const names = Object.values(central.findResources('AWS::Glue::Table')).map(
      (r) => (r as { Properties: { TableInput: { Name: string } } }).Properties.TableInput.Name,
    );
    expect(names).toEqual(expect.arrayContaining(['cloudtrail', 'guardduty_findings']));
    // No member streams in the example config, so there is no streamed-findings table.
    expect(names).not.toContain('guardduty_findings_stream');
    const none = Template.fromStack(buildApp(config('')).app.node.findChild('flowlake-central') as Stack);
    const plain = JSON.stringify(none.findResources('AWS::Glue::Table'));
    expect(plain).not.toContain('guardduty_findings');
  });

  it('synthesizes nothing extra when both are off', () => {
    const off = planApp(config(''));
    expect(off.stacks.some((s) => s.kind === 'cloudtrail' || s.kind.startsWith('guardduty'))).toBe(false);
  });

  it('asks for central.keyArn when GuardDuty is on without it', () => {
    const noKey = config('guardduty: true');
    const withoutKey = {
      ...noKey,
      central: { ...noKey.central, keyArn: undefined },
      members: noKey.members.filter((m) => m.delivery !== 'replication'),
    };
    expect(() => buildApp(withoutKey)).toThrow(FlowlakeError);
    expect(() => buildApp(withoutKey)).toThrow(/GuardDuty.*central key/);
  });
});
