import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build.js';
import { parseConfig } from '../../src/config/index.js';

function central(yaml: string) {
  const { config, issues } = parseConfig(yaml);
  if (!config) throw new Error(JSON.stringify(issues));
  const { app, plan } = buildApp(config);
  const stack = app.node.findChild(plan.stacks[0].id);
  return Template.fromStack(stack as never);
}

describe('analytics in the central stack', () => {
  it('is built from the analytics section of the example config', () => {
    const t = central(readFileSync('examples/flowlake.yaml', 'utf8'));
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'flowlake',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      },
    });
    const [table] = Object.values(t.findResources('AWS::Glue::Table'));
    const input = table.Properties.TableInput;
    expect(input.Name).toBe('flows');
    expect(input.Parameters['projection.aws_account_id.type']).toBe('injected');
    expect(input.Parameters['projection.aws_region.values']).toBe('eu-west-1,us-east-1');
    expect(input.StorageDescriptor.Columns).toHaveLength(40);
    t.resourceCountIs('AWS::Athena::NamedQuery', 16);
  });

  it('follows the flow-log format, file format and streaming groups; can be turned off', () => {
    const base =
      "central: { account: '111111111111', region: eu-west-1 }\n" +
      "members: [{ accounts: ['222222222222'], regions: [eu-west-1, ap-south-1] }]\n";
    const text = central(
      `${base}flowLogs: { fileFormat: text, hivePartitions: false, perHourPartitions: false, format: [version, account-id, srcaddr] }\n` +
        "analytics: { database: vpc_logs, workgroup: sec, athenaBytesScannedCutoff: '1 GB' }\n",
    );
    const [table] = Object.values(text.findResources('AWS::Glue::Table'));
    expect(table.Properties.TableInput.Name).toBe('flows_text');
    expect(table.Properties.DatabaseName).toBe('vpc_logs');
    expect(
      table.Properties.TableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name),
    ).toEqual(['version', 'account_id', 'srcaddr']);
    expect(table.Properties.TableInput.Parameters['projection.aws_region.values']).toBe(
      'ap-south-1,eu-west-1',
    );
    text.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'sec' });
    expect(
      Object.keys(central(`${base}analytics: { enabled: false }\n`).findResources('AWS::Glue::Table')),
    ).toEqual([]);
  });
});
