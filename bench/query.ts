/**
 * Query benchmark: the whole query catalog on a generated store of 10 million records (1 day, 50 accounts,
 * 2 regions), once as AWS delivers text by default (gzip, daily partitions) and once as Parquet (zstd, Hive, one
 * file per flow log and day, written by `flowlake convert`). Measures the catalog's wall time on each and the bytes read
 * for a one-hour query. `npm run bench -- query [records]`. Stores are cached under bench/data/query/.
 * Writes bench/results/query.json (the figures) and bench/results/query-details.json (per query, CPU seconds,
 * load average). FLOWLAKE_BENCH_DIR moves data and results elsewhere (e.g. a scratch disk).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertStore } from '../packages/cli/src/analysis/convert.js';
import { LocalEngine } from '../packages/cli/src/analysis/local-engine.js';
import { QUERY_BY_NAME, QUERY_CATALOG } from '../packages/constructs/src/analytics/queries/index.js';
import {
  ALL_VPC_FIELDS_V2_V8,
  FlowLogFormat,
  type FlowRecord,
  generateFlowLogs,
  generateOrganization,
  toS3Objects,
} from '../packages/flowlogs/src/index.js';

const here = process.env.FLOWLAKE_BENCH_DIR ?? dirname(fileURLToPath(import.meta.url));
const START = new Date('2026-03-01T00:00:00Z');
const DAY = new Date(START.getTime() + 86_400_000);
const HOUR = { since: new Date('2026-03-01T12:00:00Z'), until: new Date('2026-03-01T13:00:00Z') };
const THREADS = 2;
/** How `convert` lays out the Parquet store; a cached store written another way is rebuilt. */
const CONVERT_LAYOUT =
  'hive, daily files, format fields only, zstd, 10240-row groups sorted by hour of end then addresses';

/** Bytes this process read through read(2)/pread(2) so far (Linux /proc/self/io `rchar`). */
function bytesRead(): number {
  const m = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** Writes the text store as AWS's default delivery (gzip text, daily partitions), one 5-minute window at a time. */
function writeTextStore(dir: string, records: number): number {
  const org = generateOrganization({ seed: 1, accounts: 50, regions: ['us-east-1', 'eu-west-1'] });
  const { records: stream } = generateFlowLogs({
    org,
    start: START,
    hours: 24,
    seed: 1,
    recordsPerEniPerInterval: 6,
    maxRecords: records,
  });
  const format = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
  const pending = new Map<number, FlowRecord[]>();
  let written = 0;
  const flush = (window: number) => {
    const batch = pending.get(window) ?? [];
    pending.delete(window);
    for (const o of toS3Objects(batch, {
      layout: { hive: false, perHour: false },
      fileFormat: 'text',
      format,
      org,
    })) {
      const path = join(dir, ...o.key.split('/'));
      if (existsSync(path)) throw new Error(`object written twice: ${o.key}`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, o.body);
    }
    written += batch.length;
  };
  for (const r of stream) {
    const w = Math.floor((r.end as number) / 300) * 300;
    let list = pending.get(w);
    if (!list) {
      list = [];
      pending.set(w, list);
      // records arrive in time order: windows two behind the newest are complete
      for (const old of [...pending.keys()]) if (old < w - 300) flush(old);
    }
    list.push(r);
  }
  for (const w of [...pending.keys()].sort((a, b) => a - b)) flush(w);
  return written;
}

/** Each query alone (one at a time, both threads), after the catalog run: comparable per-query seconds. */
async function oneAtATime(store: string): Promise<Record<string, number>> {
  const engine = new LocalEngine({ store, threads: THREADS });
  const out: Record<string, number> = {};
  try {
    for (const q of QUERY_CATALOG) {
      const t = performance.now();
      await engine.run(q, { since: START, until: DAY, limit: 100 });
      out[q.name] = Number(((performance.now() - t) / 1000).toFixed(3));
    }
    return out;
  } finally {
    await engine.close();
  }
}

async function runCatalog(store: string) {
  const engine = new LocalEngine({ store, threads: THREADS });
  const perQuery: Record<string, number> = {};
  try {
    const before = bytesRead();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // as `flowlake report` and whole-catalog runs do: two queries at a time, one DuckDB thread each
    const results = await engine.runAll(
      QUERY_CATALOG,
      { since: START, until: DAY, limit: 100 },
      {
        concurrency: THREADS,
      },
    );
    for (const [i, q] of QUERY_CATALOG.entries()) {
      perQuery[q.name] = Number((results[i].elapsedMs / 1000).toFixed(3));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const bytes = bytesRead() - before;
    return { seconds, cpuSeconds, bytes, hourBytes: await hourBytes(store), perQuery };
  } finally {
    await engine.close();
  }
}

/** Bytes read by a one-hour `top-talkers` query on a fresh engine with DuckDB's file caches off. */
async function hourBytes(store: string): Promise<number> {
  const engine = new LocalEngine({ store, threads: THREADS });
  try {
    await engine.sql('SET enable_external_file_cache = false');
    await engine.sql('SET parquet_metadata_cache = false');
    const before = bytesRead();
    await engine.run(QUERY_BY_NAME.get('top-talkers') ?? QUERY_CATALOG[0], { ...HOUR, limit: 100 });
    return bytesRead() - before;
  } finally {
    await engine.close();
  }
}

export default async function bench(args: string[]): Promise<void> {
  const records = Number(args[0] ?? 10_000_000);
  const data = join(here, 'data', 'query');
  const text = join(data, 'text');
  const parquet = join(data, 'parquet');
  const metaPath = join(data, 'meta.json');
  const meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : {};
  if (meta.requested !== records || !meta.records) {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(text, { recursive: true });
    const t = performance.now();
    const written = writeTextStore(text, records);
    const generateS = (performance.now() - t) / 1000;
    process.stderr.write(`text store: ${written} records in ${generateS.toFixed(1)} s\n`);
    for (const k of Object.keys(meta)) delete meta[k];
    Object.assign(meta, {
      requested: records,
      records: written,
      generate_text_s: Number(generateS.toFixed(1)),
    });
    writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  }
  if (meta.layout !== CONVERT_LAYOUT) {
    // the text store is kept; only the Parquet store is rewritten when convert writes differently
    rmSync(parquet, { recursive: true, force: true });
    mkdirSync(parquet, { recursive: true });
    const t = performance.now();
    const c = await convertStore({ store: text, out: parquet, threads: THREADS });
    const convertS = (performance.now() - t) / 1000;
    process.stderr.write(
      `parquet store: ${c.outputFiles} files from ${c.inputFiles} in ${convertS.toFixed(1)} s\n`,
    );
    Object.assign(meta, {
      layout: CONVERT_LAYOUT,
      text_files: c.inputFiles,
      text_bytes: c.inputBytes,
      parquet_files: c.outputFiles,
      parquet_bytes: c.outputBytes,
      convert_s: Number(convertS.toFixed(1)),
    });
    writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  }
  const loadAtStart = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const pq = await runCatalog(parquet);
  process.stderr.write(`parquet catalog: ${pq.seconds.toFixed(2)} s\n`);
  const pqAlone = await oneAtATime(parquet);
  const tx = await runCatalog(text);
  process.stderr.write(`text catalog: ${tx.seconds.toFixed(2)} s\n`);
  const result = {
    records: meta.records,
    parquet_catalog_s: Number(pq.seconds.toFixed(2)),
    text_catalog_s: Number(tx.seconds.toFixed(2)),
    parquet_bytes_1h: pq.hourBytes,
    text_bytes_1h: tx.hourBytes,
  };
  const out = join(here, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'query.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    join(out, 'query-details.json'),
    `${JSON.stringify(
      {
        ...result,
        store: meta,
        threads: THREADS,
        queries: QUERY_CATALOG.length,
        load_average_at_start: loadAtStart,
        load_average_at_end: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
        catalog_runner:
          'LocalEngine.runAll: the 16 queries two at a time on two connections of one DuckDB instance, one thread ' +
          'each; parquet_per_query_s: the own wall time of each query (they overlap); ' +
          'parquet_per_query_one_at_a_time_s: each query alone, after. No materialization: every query reads ' +
          'the Parquet (or text) files.',
        parquet_catalog_cpu_s: Number(pq.cpuSeconds.toFixed(2)),
        text_catalog_cpu_s: Number(tx.cpuSeconds.toFixed(2)),
        parquet_catalog_bytes: pq.bytes,
        text_catalog_bytes: tx.bytes,
        one_hour_query: 'top-talkers, 2026-03-01T12:00Z..13:00Z',
        parquet_per_query_s: pq.perQuery,
        parquet_per_query_one_at_a_time_s: pqAlone,
        text_per_query_s: tx.perQuery,
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
