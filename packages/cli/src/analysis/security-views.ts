import { type CatalogQuery, type QueryParams, validateParams } from '@flowlake/constructs/analytics/queries';
import {
  CLOUDTRAIL_COLUMNS,
  duckDbColumns,
  duckDbType,
  GUARDDUTY_COLUMNS,
} from '@flowlake/constructs/secevents/schemas';
import { sqlPath } from './flows-view.js';
import { walkStore } from './store.js';
import type { Cell } from './types.js';

/** CloudTrail organization-trail file: `.../AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`. */
const CLOUDTRAIL_KEY =
  /(?:^|\/)AWSLogs\/o-[a-z0-9]{10,32}\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json(?:\.gz)?$/;
/** GuardDuty export file: `.../AWSLogs/<admin>/GuardDuty/<region>/YYYY/MM/DD/*.jsonl.gz`. */
const GUARDDUTY_KEY =
  /(?:^|\/)AWSLogs\/(\d{12})\/GuardDuty\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.jsonl(?:\.gz)?$/;

const DAY_MS = 86_400_000;

/** CloudTrail and GuardDuty files of a local store whose day can hold events of the range. */
export interface SecurityFiles {
  readonly cloudtrail: string[];
  readonly guardduty: string[];
}

/**
 * Lists CloudTrail and GuardDuty files under `root` (any prefix) whose date partition overlaps [since, until);
 * GuardDuty files one day later too, since exports are dated when written.
 */
export async function scanSecurityFiles(
  root: string,
  range: { since: Date; until: Date },
): Promise<SecurityFiles> {
  const out: SecurityFiles = { cloudtrail: [], guardduty: [] };
  const since = Math.floor(range.since.getTime() / DAY_MS) * DAY_MS;
  const until = range.until.getTime();
  await walkStore(
    root,
    () => false,
    (path, key) => {
      for (const [re, list, lateDays] of [
        [CLOUDTRAIL_KEY, out.cloudtrail, 0],
        [GUARDDUTY_KEY, out.guardduty, 1],
      ] as const) {
        const m = re.exec(key);
        if (!m) continue;
        const day = Date.UTC(Number(m[3]), Number(m[4]) - 1, Number(m[5]));
        if (day + DAY_MS > since && day < until + lateDays * DAY_MS) list.push(path);
      }
    },
  );
  out.cloudtrail.sort();
  out.guardduty.sort();
  return out;
}

/** SQL of the `cloudtrail` relation: one row per record of the `{"Records":[...]}` files. */
export function cloudTrailSelect(files: readonly string[]): string {
  const record = duckDbType({ struct: CLOUDTRAIL_COLUMNS });
  if (files.length === 0) return `SELECT UNNEST(r) FROM (SELECT UNNEST(CAST([] AS ${record}[])) AS r)`;
  const list = `[${files.map(sqlPath).join(', ')}]`;
  return (
    `SELECT UNNEST(r) FROM (SELECT UNNEST("Records") AS r FROM read_json(${list}, format = 'auto', ` +
    `columns = {'Records': '${record}[]'}))`
  );
}

/** SQL of the `guardduty` relation: one row per finding of the JSON-lines export files. */
export function guardDutySelect(files: readonly string[]): string {
  if (files.length === 0) {
    return `SELECT UNNEST(r) FROM (SELECT UNNEST(CAST([] AS ${duckDbType({ struct: GUARDDUTY_COLUMNS })}[])) AS r)`;
  }
  const list = `[${files.map(sqlPath).join(', ')}]`;
  return `SELECT * FROM read_json(${list}, format = 'newline_delimited', columns = ${duckDbColumns(GUARDDUTY_COLUMNS)})`;
}

/** True when a query reads the CloudTrail or GuardDuty relations. */
export function usesSecurityEvents(query: CatalogQuery): boolean {
  return /\{\{(cloudtrail|guardduty)\}\}/.test(query.sql);
}

/** The part of the local engine the security views use. */
export interface SqlEngine {
  sql(sql: string): Promise<{ columns: string[]; rows: Cell[][] }>;
}

/** Creates the `cloudtrail` and `guardduty` views over the store's CloudTrail and GuardDuty files of the range. */
export async function prepareSecurityViews(
  engine: SqlEngine,
  store: string,
  params: QueryParams,
): Promise<SecurityFiles> {
  validateParams(params);
  const files = await scanSecurityFiles(store, params);
  await engine.sql(`CREATE OR REPLACE TEMP VIEW cloudtrail AS ${cloudTrailSelect(files.cloudtrail)}`);
  await engine.sql(`CREATE OR REPLACE TEMP VIEW guardduty AS ${guardDutySelect(files.guardduty)}`);
  return files;
}
