/**
 * Generator throughput: records/s of generation alone, of generation + text lines (v2 and v8 formats), and of
 * writing a gzip `.log.gz` file. `npm run bench -- generator [hours]`. Writes bench/results/generator.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_VPC_FIELDS_V2_V8,
  FlowLogFormat,
  generateFlowLogs,
  generateOrganization,
  textChunks,
  writeFlowLogFile,
} from '../packages/flowlogs/src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

export default async function bench(args: string[]): Promise<void> {
  const hours = Number(args[0] ?? 1);
  const org = generateOrganization({
    seed: 1,
    accounts: 10,
    regions: ['us-east-1', 'eu-west-1'],
    vpcsPerAccount: 2,
  });
  const options = {
    org,
    start: new Date('2026-03-01T00:00:00Z'),
    hours,
    seed: 1,
    recordsPerEniPerInterval: 10,
  };
  // best of 3 (the machine is shared; the first run pays for JIT warm-up)
  const time = <T>(f: () => T): [T, number] => {
    let best = Number.POSITIVE_INFINITY;
    let v!: T;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      v = f();
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    return [v, best];
  };
  // warm-up
  for (const _ of generateFlowLogs({ ...options, hours: 0.1 }).records);

  const [count, genSec] = time(() => {
    let n = 0;
    for (const _ of generateFlowLogs(options).records) n++;
    return n;
  });
  const formats = { v2: FlowLogFormat.DEFAULT, v8: FlowLogFormat.fromFields(ALL_VPC_FIELDS_V2_V8) };
  const text: Record<string, { rps: number; mb_per_s: number; bytes_per_record: number }> = {};
  for (const [name, format] of Object.entries(formats)) {
    const [bytes, sec] = time(() => {
      let b = 0;
      for (const c of textChunks(generateFlowLogs(options).records, format)) b += Buffer.byteLength(c);
      return b;
    });
    text[name] = {
      rps: Math.round(count / sec),
      mb_per_s: +(bytes / 1e6 / sec).toFixed(1),
      bytes_per_record: +(bytes / count).toFixed(1),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'flowlake-bench-'));
  let gz: Record<string, number>;
  try {
    const path = join(dir, 'v2.log.gz');
    const t = performance.now();
    const w = await writeFlowLogFile(path, generateFlowLogs(options).records, { format: formats.v2 });
    const sec = (performance.now() - t) / 1000;
    const size = statSync(path).size;
    gz = {
      rps: Math.round(w.records / sec),
      gz_mb: +(size / 1e6).toFixed(1),
      ratio: +(w.textBytes / size).toFixed(2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    interfaces: org.enis.length,
    hours,
    records: count,
    generate_rps: Math.round(count / genSec),
    text,
    gzip_file_v2: gz,
    node: process.version,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'generator.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
