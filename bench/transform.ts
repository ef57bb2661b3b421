/**
 * Firehose transform throughput: `npm run bench -- transform`. On the same generated Firehose events (CloudWatch Logs
 * subscription payloads of VPC flow logs, all v2-v8 VPC fields as flowlake deploys them), measures log events/s of
 *   (a) the floor: base64 decode + gunzip + JSON.parse of every record,
 *   (b) flowlake's transformFirehoseEvent in lines mode and in JSON mode (full response, base64 output), and for
 *       comparison the same with `scanBytes: false` (every payload through JSON.parse, the reference path),
 *   (c) bench/transform_python.py: the stdlib handler commonly copied from blog posts (gunzip, drop control
 *       messages, split each line into a dict by field names, json.dumps), run with python3.
 * Rates are log events per second of wall time in one thread, best of 5 runs after a warm-up; the whole comparison
 * runs in 5 rounds and every figure is the median over the rounds (ratios: median of the per-round ratios). Also
 * measures the peak RSS of a fresh Node process (the transform bundled with esbuild, as in Lambda) handling one
 * 6 MB event.
 * Writes bench/results/transform.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import {
  ALL_VPC_FIELDS_V2_V8,
  controlMessage,
  encodeCloudWatchPayload,
  type FirehoseInputRecord,
  type FirehoseTransformEvent,
  FlowLogFormat,
  generateFlowLogs,
  generateOrganization,
  toCloudWatchPayloads,
  transformFirehoseEvent,
} from '../packages/flowlogs/src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const FORMAT = FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8);
const DELIVERY_ARN = 'arn:aws:firehose:eu-west-1:999999999999:deliverystream/flowlake-flowlogs';

function payloads(records: number, eventsPerMessage: number, seed: number): Buffer[] {
  const org = generateOrganization({ seed, accounts: 20, regions: ['eu-west-1', 'us-east-1'] });
  const gen = generateFlowLogs({
    org,
    start: new Date('2026-11-30T09:00:00Z'),
    hours: 1,
    seed,
    maxRecords: records,
  });
  return toCloudWatchPayloads(gen.records, {
    format: FORMAT,
    logGroup: '/flowlake/vpcflowlogs/eu-west-1',
    maxEventsPerMessage: eventsPerMessage,
  });
}

/** Firehose events of at most `maxRequestBytes` of record data each, one control message among them. */
function events(bufs: Buffer[], maxRequestBytes: number): FirehoseTransformEvent[] {
  const out: FirehoseTransformEvent[] = [];
  let cur: FirehoseInputRecord[] = [
    { recordId: 'control', data: encodeCloudWatchPayload(controlMessage()).toString('base64') },
  ];
  let size = 0;
  bufs.forEach((b, i) => {
    const data = b.toString('base64');
    if (size + data.length > maxRequestBytes && cur.length > 0) {
      out.push({ deliveryStreamArn: DELIVERY_ARN, region: 'eu-west-1', records: cur });
      cur = [];
      size = 0;
    }
    cur.push({ recordId: `r${i}`, data, approximateArrivalTimestamp: 0 });
    size += data.length + 100;
  });
  if (cur.length > 0) out.push({ deliveryStreamArn: DELIVERY_ARN, region: 'eu-west-1', records: cur });
  return out;
}

/** Rounds of the whole comparison; every figure in the result is the median over them. */
const ROUNDS = 5;

interface Round {
  floor: number;
  lines: number;
  json: number;
  python: number;
  linesParse: number;
  jsonParse: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function best(label: string, events: number, run: () => void): number {
  run();
  let bestMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  const eps = Math.round((events / bestMs) * 1000);
  process.stderr.write(
    `${label.padEnd(16)} ${eps.toLocaleString('en-US')} events/s (${bestMs.toFixed(0)} ms)\n`,
  );
  return eps;
}

export default async function main(): Promise<void> {
  const bufs = payloads(200_000, 200, 11);
  const evs = events(bufs, 1_000_000);
  const totalEvents = bufs.reduce((n, b) => n + JSON.parse(gunzipSync(b).toString()).logEvents.length, 0);
  process.stderr.write(`${evs.length} Firehose events, ${bufs.length} payloads, ${totalEvents} log events\n`);

  const run =
    (output: 'json' | 'lines', scanBytes = true) =>
    () => {
      for (const e of evs)
        transformFirehoseEvent(e, {
          format: FORMAT,
          output,
          scanBytes,
          maxResponseBytes: Number.MAX_SAFE_INTEGER,
        });
    };
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-transform-'));
  const eventsFile = join(work, 'events.json');
  writeFileSync(eventsFile, JSON.stringify({ fields: FORMAT.names, events: evs }));

  // Whole rounds (every measure, then Python) repeated; the results are per-measure medians over the rounds.
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    process.stderr.write(`round ${r}/${ROUNDS}\n`);
    const floor = best('floor', totalEvents, () => {
      let n = 0;
      for (const e of evs)
        for (const rec of e.records)
          n += JSON.parse(gunzipSync(Buffer.from(rec.data, 'base64')).toString('utf8')).logEvents.length;
      if (n === 0) throw new Error('no events');
    });
    const lines = best('lines', totalEvents, run('lines'));
    const json = best('json', totalEvents, run('json'));
    // The same transform forced through its JSON.parse path (the reference the byte scanner must match).
    const linesParse = best('lines/JSON.parse', totalEvents, run('lines', false));
    const jsonParse = best('json/JSON.parse', totalEvents, run('json', false));
    const py = JSON.parse(
      execFileSync('python3', [join(here, 'transform_python.py'), eventsFile], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    ) as { eps: number; events: number };
    if (py.events !== totalEvents)
      throw new Error(`python counted ${py.events} events, expected ${totalEvents}`);
    process.stderr.write(`${'python'.padEnd(16)} ${py.eps.toLocaleString('en-US')} events/s\n`);
    rounds.push({ floor, lines, json, python: py.eps, linesParse, jsonParse });
  }
  const med = (pick: (r: Round) => number): number => median(rounds.map(pick));

  const rss = peakRssOf6MbBatch(work);
  const result = {
    floor_eps: med((r) => r.floor),
    lines_eps: med((r) => r.lines),
    json_eps: med((r) => r.json),
    python_eps: med((r) => r.python),
    peak_rss_mb_6mb_batch: rss.mb,
    // Medians of the per-round ratios (each round measures both sides within a minute).
    lines_vs_floor: Number(med((r) => r.lines / r.floor).toFixed(2)),
    json_vs_python: Number(med((r) => r.json / r.python).toFixed(2)),
    lines_jsonparse_path_eps: med((r) => r.linesParse),
    json_jsonparse_path_eps: med((r) => r.jsonParse),
    rounds,
    events: totalEvents,
    format: 'v2-v8 VPC fields (40)',
    batch_6mb: rss.detail,
    node: process.version,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'transform.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** A 6 MB Firehose event (the Lambda request limit) transformed in a fresh process: peak RSS in MB. */
function peakRssOf6MbBatch(work: string): { mb: number; detail: unknown } {
  const bufs = payloads(120_000, 1000, 23);
  const [event] = events(bufs, 6_000_000);
  const file = join(work, 'event-6mb.json');
  writeFileSync(file, JSON.stringify(event));
  const bundle = join(work, 'flowlogs.mjs');
  buildSync({
    entryPoints: [join(here, '../packages/flowlogs/src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
  const script = join(work, 'rss.mjs');
  writeFileSync(
    script,
    "import { readFileSync } from 'node:fs';\n" +
      "import { ALL_VPC_FIELDS_V2_V8, FlowLogFormat, transformFirehoseEvent } from './flowlogs.mjs';\n" +
      "const event = JSON.parse(readFileSync(process.argv[2], 'utf8'));\n" +
      'const out = transformFirehoseEvent(event, { format: FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8) });\n' +
      'const body = JSON.stringify(out.response);\n' +
      'console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, requestBytes: readFileSync(process.argv[2]).length,' +
      ' responseBytes: body.length, records: event.records.length, ok: out.stats.ok, reingested: out.stats.reingested }));\n',
  );
  const detail = JSON.parse(execFileSync(process.execPath, [script, file], { encoding: 'utf8' })) as {
    maxRssKb: number;
  };
  return { mb: Math.round(detail.maxRssKb / 1024), detail };
}
