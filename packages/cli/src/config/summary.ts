import type { FlowlakeConfig } from './schema.js';

/** Headline numbers of a valid config. */
export interface ConfigSummary {
  readonly name: string;
  readonly organization: string;
  readonly central: string;
  readonly memberGroups: number;
  readonly accounts: number;
  readonly ous: number;
  readonly regions: readonly string[];
  readonly deliveryPaths: readonly string[];
  readonly rollout: string;
  readonly format: string;
}

/** Summarizes a valid config for `flowlake validate`. */
export function summarizeConfig(c: FlowlakeConfig): ConfigSummary {
  const accounts = new Set(c.members.flatMap((m) => m.accounts));
  const ous = new Set(c.members.flatMap((m) => m.ous));
  const regions = [...new Set(c.members.flatMap((m) => m.regions))].sort();
  const paths = [...new Set(c.members.map((m) => m.delivery ?? c.delivery))].sort();
  const f = c.flowLogs;
  return {
    name: c.name,
    organization: c.organization?.id ?? '(none: accounts listed)',
    central: `${c.central.account} ${c.central.region}`,
    memberGroups: c.members.length,
    accounts: accounts.size,
    ous: ous.size,
    regions,
    deliveryPaths: paths,
    rollout: c.rollout.mode,
    format: `${f.format.split(' ').length} fields, ${f.trafficType}, ${f.aggregationInterval}s, ${f.fileFormat}${f.hivePartitions ? ', hive' : ''}${f.perHourPartitions ? ', per-hour' : ''}`,
  };
}
