import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthAssembly } from '../../src/app/index.js';
import { parseConfig } from '../../src/config/index.js';

const YAML = `organization: { id: o-a1b2c3d4e5, managementAccount: '100000000001' }
central:
  account: '111111111111'
  region: eu-west-1
  keyArn: arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789
members:
  - { name: prod, ous: [ou-ab12-cd34ef56], regions: [eu-west-1, us-east-1] }
  - { name: shared, ous: [ou-ab12-99999999], regions: [eu-west-1], delivery: replication }
rollout: { mode: stacksets, maxConcurrentPercentage: 50, failureTolerancePercentage: 5, retainStacksOnAccountRemoval: true }
`;

describe('StackSets rollout', () => {
  it('synthesizes one service-managed StackSet per OU group with the configured member template', () => {
    const config = parseConfig(YAML).config!;
    const out = join(mkdtempSync(join(tmpdir(), 'flowlake-rollout-')), 'cdk.out');
    const { plan } = synthAssembly(config, out);
    expect(plan.stacks.map((s) => s.id)).toEqual([
      'flowlake-central',
      'flowlake-rollout-prod',
      'flowlake-rollout-shared',
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts['flowlake-rollout-prod'].environment).toBe('aws://100000000001/eu-west-1');
    const t = JSON.parse(readFileSync(join(out, 'flowlake-rollout-prod.template.json'), 'utf8'));
    const sets = Object.values(
      t.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).filter((r) => r.Type === 'AWS::CloudFormation::StackSet');
    expect(sets).toHaveLength(1);
    const p = sets[0].Properties;
    expect(p).toMatchObject({
      StackSetName: 'flowlake-members-prod',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: { MaxConcurrentPercentage: 50, FailureTolerancePercentage: 5 },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cd34ef56'] },
          Regions: ['eu-west-1', 'us-east-1'],
        },
      ],
    });
    const body = p.TemplateBody as string;
    expect(body).toContain('flowlake-flowlogs-111111111111-eu-west-1');
    const shared = readFileSync(join(out, 'flowlake-rollout-shared.template.json'), 'utf8');
    expect(shared).toContain('0a1b2c3d-4e5f-6789-abcd-ef0123456789');
  });
});
