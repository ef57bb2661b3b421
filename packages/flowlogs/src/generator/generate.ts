/**
 * The record generator: background traffic for every interface of an organization over a time window, one
 * aggregation interval at a time, with NODATA / SKIPDATA records and planted incidents. Deterministic in the seed.
 */
import type { FlowRecord } from '../record.js';
import { buildTopology, type WindowContext } from './conversation.js';
import { type IncidentPlan, type PlantedIncident, planIncidents } from './incidents.js';
import type { Org } from './org.js';
import { Prng } from './prng.js';
import { statusRecord } from './records.js';
import { interfaceTraffic, RECORDS_PER_CONVERSATION, ROLE_WEIGHT } from './traffic.js';

/** Options of {@link generateRecords} and {@link generateFlowLogs}. */
export interface GenerateOptions {
  readonly org: Org;
  /** Start of the time window (aligned down to the aggregation interval). */
  readonly start: Date;
  /** Length of the window in hours (fractions allowed: 0.25 = 15 minutes). */
  readonly hours: number;
  readonly seed: number | string;
  /** Plant the incidents (SSH brute force, port scans, large egress). @default true */
  readonly incidents?: boolean;
  /** Aggregation interval: 60 (Nitro, 1 minute) or 600 seconds. @default 60 */
  readonly intervalSeconds?: 60 | 600;
  /** Mean background records per interface per interval (volume control). @default 4 */
  readonly recordsPerEniPerInterval?: number;
  /** Probability that a busy interface has no traffic in a window (then it reports NODATA). @default 0.03 */
  readonly nodataRate?: number;
  /** Probability of a SKIPDATA record per interface and window. @default 0.002 */
  readonly skipdataRate?: number;
  /** Stop after this many records (for sized benchmark files). */
  readonly maxRecords?: number;
}

/** The generator's result. */
export interface GeneratedFlowLogs<R extends Iterable<FlowRecord>> {
  readonly records: R;
  readonly incidents: readonly PlantedIncident[];
}

function validate(o: GenerateOptions): { startSec: number; windows: number; interval: number } {
  const interval = o.intervalSeconds ?? 60;
  if (interval !== 60 && interval !== 600) {
    throw new RangeError(
      `intervalSeconds must be 60 or 600 (the AWS aggregation intervals), got ${interval}.`,
    );
  }
  if (!(o.hours > 0) || !Number.isFinite(o.hours)) {
    throw new RangeError(`hours must be a positive number, got ${o.hours}.`);
  }
  const ms = o.start.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('start must be a valid Date.');
  const rate = o.recordsPerEniPerInterval ?? 4;
  if (!(rate >= 0) || !Number.isFinite(rate)) {
    throw new RangeError(`recordsPerEniPerInterval must be a number >= 0, got ${rate}.`);
  }
  const startSec = Math.floor(ms / 1000 / interval) * interval;
  const windows = Math.max(1, Math.ceil((o.hours * 3600) / interval));
  return { startSec, windows, interval };
}

const IDLE_FACTOR: Readonly<Record<string, number>> = {
  db: 3,
  hpc: 3,
  edge: 2,
  bastion: 0.5,
  web: 1,
  app: 1,
  ecs: 1,
};

function* windowRecords(
  o: GenerateOptions,
  plan: IncidentPlan | null,
  startSec: number,
  windows: number,
  interval: number,
): Generator<FlowRecord> {
  const org = o.org;
  const topo = buildTopology(org);
  const rate = o.recordsPerEniPerInterval ?? 4;
  const nodataRate = o.nodataRate ?? 0.03;
  const skipdataRate = o.skipdataRate ?? 0.002;
  let weightSum = 0;
  for (const e of org.enis) weightSum += ROLE_WEIGHT[e.role];
  const scale = weightSum > 0 ? (rate * org.enis.length) / (weightSum * RECORDS_PER_CONVERSATION) : 0;
  const limit = o.maxRecords ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  for (let w = 0; w < windows; w++) {
    const ws = startSec + w * interval;
    const rng = new Prng(o.seed, 'window', ws);
    const busy = plan?.busyByWindow.get(ws);
    const idle = new Set<string>();
    for (const e of org.enis) {
      const f = IDLE_FACTOR[e.role] ?? 0;
      if (f > 0 && !busy?.has(e.id) && rng.chance(nodataRate * f)) idle.add(e.id);
    }
    const out: FlowRecord[] = [];
    const ctx: WindowContext = { topo, rng, start: ws, interval, idle, out };
    for (const e of org.enis) {
      if (idle.has(e.id)) continue;
      interfaceTraffic(ctx, e, rng.poisson(scale * ROLE_WEIGHT[e.role]));
    }
    const planted = plan?.recordsByWindow.get(ws);
    if (planted) out.push(...planted);
    const seen = new Set<string>();
    for (const r of out) seen.add(r['interface-id'] as string);
    for (const e of org.enis) {
      const s = ws + rng.int(0, 5);
      const end = ws + interval - rng.int(1, 5);
      if (!seen.has(e.id)) out.push(statusRecord(e, 'NODATA', s, end));
      else if (rng.chance(skipdataRate)) out.push(statusRecord(e, 'SKIPDATA', s, end));
    }
    for (const r of out) {
      if (emitted >= limit) return;
      emitted++;
      yield r;
    }
  }
}

/**
 * Lazily generated flow logs: `records` is an iterable that produces one window at a time (so 100 MB files need not
 * sit in memory); iterate it once per call of this function. Incidents are planned up front.
 */
export function generateFlowLogs(options: GenerateOptions): GeneratedFlowLogs<Iterable<FlowRecord>> {
  const { startSec, windows, interval } = validate(options);
  const plan =
    options.incidents === false
      ? null
      : planIncidents(buildTopology(options.org), options.seed, startSec, windows, interval);
  return {
    records: { [Symbol.iterator]: () => windowRecords(options, plan, startSec, windows, interval) },
    incidents: plan?.incidents ?? [],
  };
}

/** Generates all records into an array (use {@link generateFlowLogs} for large volumes). */
export function generateRecords(options: GenerateOptions): GeneratedFlowLogs<FlowRecord[]> {
  const { records, incidents } = generateFlowLogs(options);
  return { records: [...records], incidents };
}
