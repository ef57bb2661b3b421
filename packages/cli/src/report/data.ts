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

function query(name: string) {
  const q = QUERY_BY_NAME.get(name);
  if (!q) throw new Error(`catalog query '${name}' is missing`);
  return q;
}

/** Runs the report's catalog queries on a local store. */
export async function collectReportData(
  store: string,
  params: QueryParams,
  threads?: number,
): Promise<ReportData> {
  const engine = new LocalEngine({ store, threads });
  try {
    const wanted: [string, number][] = [
      ['egress-to-internet', 100_000],
      ['traffic-over-time', 100_000],
      ['top-talkers', 15],
      ['rejected-ports', 15],
      ['port-scan-horizontal', 10],
      ['port-scan-vertical', 10],
      ['account-coverage', 100_000],
      ['delivery-health', 100_000],
    ];
    // side by side on one DuckDB instance (see LocalEngine.runAll)
    const results = await engine.runAll(
      wanted.map(([name]) => query(name)),
      wanted.map(([, limit]) => ({ ...params, limit })),
    );
    const [
      egress,
      trafficOverTime,
      topTalkers,
      rejectedPorts,
      horizontalScans,
      verticalScans,
      coverage,
      health,
    ] = results.map(rowObjects);
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
      trafficOverTime,
      topTalkers,
      rejectedPorts,
      horizontalScans,
      verticalScans,
      egressByAccount: [...byAccount.entries()]
        .map(([account, v]) => ({ account, ...v }))
        .sort((a, b) => b.bytes - a.bytes),
      coverage,
      deliveryHealth: health,
    };
  } finally {
    await engine.close();
  }
}
