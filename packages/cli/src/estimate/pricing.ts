import { readFileSync } from 'node:fs';

/** One price tier: `usdPerGb` applies to usage up to `upToGb` (cumulative); null means no upper bound. */
export interface Tier {
  readonly upToGb: number | null;
  readonly usdPerGb: number;
}

/** The dated pricing table (`pricing/<region>.json`); see its `sources` and `verification`. */
export interface Pricing {
  readonly region: string;
  readonly currency: string;
  readonly recorded: string;
  readonly pricesAsOf: string;
  readonly verification: string;
  readonly sources: Record<string, string>;
  readonly vendedLogs: {
    readonly toS3: readonly Tier[];
    readonly toCloudWatchLogs: readonly Tier[];
    readonly parquetConversionUsdPerGb: number;
  };
  readonly cloudWatchLogs: { readonly storageUsdPerGbMonth: number };
  readonly firehose: {
    readonly ingestion: readonly Tier[];
    readonly recordRoundingKb: number;
    readonly dynamicPartitioningUsdPerGb: number;
    readonly dynamicPartitioningUsdPer1000Objects: number;
  };
  readonly kinesis: {
    readonly onDemandUsdPerStreamHour: number;
    readonly onDemandIngestUsdPerGb: number;
    readonly onDemandRetrievalUsdPerGb: number;
    readonly provisionedUsdPerShardHour: number;
    readonly putPayloadUnitUsdPerMillion: number;
    readonly putPayloadUnitKb: number;
    readonly shardIngestMbPerSecond: number;
  };
  readonly lambda: { readonly usdPerMillionRequests: number; readonly usdPerGbSecond: number };
  readonly s3: {
    readonly standard: readonly Tier[];
    readonly standardIaUsdPerGbMonth: number;
    readonly glacierFlexibleUsdPerGbMonth: number;
    readonly putUsdPer1000: number;
    readonly transitionToIaUsdPer1000: number;
    readonly transitionToGlacierFlexibleUsdPer1000: number;
    readonly iaMinimumObjectKb: number;
    readonly glacierOverheadKb: { readonly glacier: number; readonly standard: number };
  };
  readonly opensearch: {
    readonly instanceUsdPerHour: Readonly<Record<string, number>>;
    readonly gp3UsdPerGbMonth: number;
  };
  readonly athena: { readonly usdPerTbScanned: number };
}

/** Regions with a pricing table in `pricing/`. */
export const PRICED_REGIONS = ['us-east-1'] as const;

/** Loads `pricing/<region>.json`. */
export function loadPricing(region: (typeof PRICED_REGIONS)[number] = 'us-east-1'): Pricing {
  return JSON.parse(readFileSync(new URL(`./pricing/${region}.json`, import.meta.url), 'utf8')) as Pricing;
}

/** One tier's share of a tiered charge. */
export interface TierUse {
  readonly gb: number;
  readonly usdPerGb: number;
  readonly usd: number;
}

/**
 * Cost of `gb` under cumulative tiers: the first tier's price up to its bound, the next tier's price for the part
 * between the bounds, and so on.
 */
export function tieredCost(gb: number, tiers: readonly Tier[]): { usd: number; uses: TierUse[] } {
  if (!(gb >= 0)) throw new RangeError(`usage must be a non-negative number of GB, got ${gb}`);
  const uses: TierUse[] = [];
  let lower = 0;
  let usd = 0;
  for (const t of tiers) {
    if (gb <= lower) break;
    const upper = t.upToGb ?? Number.POSITIVE_INFINITY;
    const part = Math.min(gb, upper) - lower;
    uses.push({ gb: part, usdPerGb: t.usdPerGb, usd: part * t.usdPerGb });
    usd += part * t.usdPerGb;
    lower = upper;
  }
  return { usd, uses };
}
