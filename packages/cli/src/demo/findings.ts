import { QUERY_BY_NAME, type QueryParams } from '@flowlake/constructs/analytics/queries';
import type { PlantedIncident } from '@flowlake/flowlogs';
import type { LocalEngine } from '../analysis/local-engine.js';
import { type Cell, rowObjects } from '../analysis/types.js';

/** A planted incident and what the query catalog found about it. */
export interface DemoFinding {
  readonly kind: PlantedIncident['kind'];
  readonly accountId: string;
  readonly query: string;
  readonly found: boolean;
  /** The matching row, summarized. */
  readonly evidence: string;
}

type Row = Record<string, Cell>;

/** Which catalog query answers each incident kind, and how to recognize the incident in its rows. */
const DETECTORS: Record<
  PlantedIncident['kind'],
  { query: string; match: (r: Row, i: PlantedIncident) => boolean; show: (rows: Row[]) => string }
> = {
  'ssh-bruteforce': {
    query: 'inbound-sensitive-ports',
    match: (r, i) => r.dstaddr === i.dstaddr && r.dstport === 22,
    show: (rows) =>
      `${rows.reduce((n, r) => n + Number(r.flows), 0)} flows to ${rows[0].dstaddr}:22 (${rows.map((r) => r.action).join('/')})`,
  },
  'port-scan': {
    query: 'port-scan-vertical',
    match: (r, i) => r.srcaddr === i.srcaddr,
    show: (rows) =>
      `${rows[0].srcaddr} probed ${rows[0].ports} ports on ${rows[0].dstaddr} (${rows[0].rejected} rejected)`,
  },
  'horizontal-scan': {
    query: 'port-scan-horizontal',
    match: (r, i) => r.srcaddr === i.srcaddr,
    show: (rows) => `${rows[0].srcaddr} probed ${rows[0].hosts} hosts on port ${rows[0].dstport}`,
  },
  'large-egress': {
    query: 'egress-to-internet',
    match: (r, i) => r.interface_id === i.interfaceId,
    show: (rows) =>
      `${rows[0].interface_id} (${rows[0].instance_id}) sent ${(Number(rows[0].bytes) / 1e6).toFixed(0)} MB to ${rows[0].destinations} destination(s)`,
  },
};

/** Runs the catalog query behind each planted incident on the local engine and reports what it found. */
export async function findIncidents(
  engine: LocalEngine,
  incidents: readonly PlantedIncident[],
  params: QueryParams,
): Promise<DemoFinding[]> {
  const cache = new Map<string, Row[]>();
  const out: DemoFinding[] = [];
  for (const incident of incidents) {
    const d = DETECTORS[incident.kind];
    const query = QUERY_BY_NAME.get(d.query);
    if (!query) throw new Error(`the query catalog has no '${d.query}' query`);
    let rows = cache.get(d.query);
    if (!rows) {
      rows = rowObjects(await engine.run(query, params));
      cache.set(d.query, rows);
    }
    const hits = rows.filter((r) => d.match(r, incident));
    out.push({
      kind: incident.kind,
      accountId: incident.accountId,
      query: d.query,
      found: hits.length > 0,
      evidence: hits.length > 0 ? d.show(hits) : `not in the ${rows.length} row(s) of ${d.query}`,
    });
  }
  return out;
}
