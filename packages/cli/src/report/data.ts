import { QUERY_BY_NAME, type QueryParams } from '@flowlake/constructs/analytics/queries';
import { LocalEngine } from '../analysis/local-engine.js';
import { type Cell, rowObjects } from '../analysis/types.js';

/** Everything the report shows, computed by catalog queries over a local store. */
export interface ReportData {
  readonly generatedAt: string;
  readonly since: string;
  readonly until: string;
  readonly store: string;
  readonly trafficOverTime: Record<string, Cell>[];
  readonly topTalkers: Record<string, Cell>[];
  readonly rejectedPorts: Record<string, Cell>[];
  readonly horizontalScans: Record<string, Cell>[];
  readonly verticalScans: Record<string, Cell>[];
  readonly egressByAccount: { account: string; bytes: number; interfaces: number }[];
  readonly coverage: Record<string, Cell>[];
  readonly deliveryHealth: Record<string, Cell>[];
}

async function run(engine: LocalEngine, name: string, params: QueryParams) {
  const q = QUERY_BY_NAME.get(name);
  if (!q) throw new Error(`catalog query '${name}' is missing`);
  return rowObjects(await engine.run(q, params));
}

/** Runs the report's catalog queries on a local store. */
export async function collectReportData(
  store: string,
  params: QueryParams,
  threads?: number,
): Promise<ReportData> {
  const engine = new LocalEngine({ store, threads });
  try {
    const egress = await run(engine, 'egress-to-internet', { ...params, limit: 100_000 });
    const byAccount = new Map<string, { bytes: number; interfaces: number }>();
    for (const r of egress) {
      const a = byAccount.get(String(r.account)) ?? { bytes: 0, interfaces: 0 };
      a.bytes += Number(r.bytes);
      a.interfaces++;
      byAccount.set(String(r.account), a);
    }
    return {
      generatedAt: new Date().toISOString(),
      since: params.since.toISOString(),
      until: params.until.toISOString(),
      store,
      trafficOverTime: await run(engine, 'traffic-over-time', { ...params, limit: 100_000 }),
      topTalkers: await run(engine, 'top-talkers', { ...params, limit: 15 }),
      rejectedPorts: await run(engine, 'rejected-ports', { ...params, limit: 15 }),
      horizontalScans: await run(engine, 'port-scan-horizontal', { ...params, limit: 10 }),
      verticalScans: await run(engine, 'port-scan-vertical', { ...params, limit: 10 }),
      egressByAccount: [...byAccount.entries()]
        .map(([account, v]) => ({ account, ...v }))
        .sort((a, b) => b.bytes - a.bytes),
      coverage: await run(engine, 'account-coverage', { ...params, limit: 100_000 }),
      deliveryHealth: await run(engine, 'delivery-health', { ...params, limit: 100_000 }),
    };
  } finally {
    await engine.close();
  }
}
