import { stringify } from 'yaml';

/** The accounts of the demo organization and the delivery path each one uses. */
export interface DemoAccount {
  readonly id: string;
  readonly name: string;
  readonly delivery: 'direct-s3' | 'replication' | 'cloudwatch-firehose';
}

/** The demo's central (log-archive) account and home region. */
export const DEMO_CENTRAL = { account: '999999999999', region: 'us-east-1' } as const;

/** Delivery paths given to the demo accounts in turn: one account on each path. */
export const DEMO_PATHS: readonly DemoAccount['delivery'][] = [
  'direct-s3',
  'replication',
  'cloudwatch-firehose',
];

/** Assigns delivery paths to the generated accounts (first direct-s3, then replication, then streaming, repeating). */
export function demoAccounts(accounts: readonly { id: string; name: string }[]): DemoAccount[] {
  return accounts.map((a, i) => ({ id: a.id, name: a.name, delivery: DEMO_PATHS[i % DEMO_PATHS.length] }));
}

/**
 * The example `flowlake.yaml` of the demo: one member group per account, each on its own delivery path, every VPC
 * in both regions, Parquet with Hive and per-hour partitions.
 */
export function exampleConfigYaml(accounts: readonly DemoAccount[], regions: readonly string[]): string {
  const doc = {
    name: 'flowlake',
    organization: { id: 'o-demo000001', managementAccount: '100000000001' },
    central: {
      account: DEMO_CENTRAL.account,
      region: DEMO_CENTRAL.region,
      // The replication path encrypts replicas with the central key: the central stack's KeyArn output in a real
      // deployment (docs/deploy.md), a placeholder here.
      keyArn: `arn:aws:kms:${DEMO_CENTRAL.region}:${DEMO_CENTRAL.account}:key/00000000-0000-4000-8000-000000000000`,
    },
    delivery: 'direct-s3',
    members: accounts.map((a) => ({
      name: a.name,
      accounts: [a.id],
      regions: [...regions],
      vpcs: 'all',
      delivery: a.delivery,
    })),
    flowLogs: {
      trafficType: 'ALL',
      aggregationInterval: 60,
      fileFormat: 'parquet',
      hivePartitions: true,
      perHourPartitions: true,
    },
    // `vpcs: all` on the streaming path: the AWS organization telemetry rule enrolls every VPC (docs/streaming.md).
    streaming: { enrollment: 'telemetry-rule' },
    audit: { roleName: 'FlowlakeAudit' },
    rollout: { mode: 'stacks' },
    tags: { project: 'flowlake-demo' },
  };
  return `# flowlake.yaml written by 'flowlake demo': ${accounts.length} accounts x ${regions.length} regions, one account per delivery path.\n${stringify(doc)}`;
}
