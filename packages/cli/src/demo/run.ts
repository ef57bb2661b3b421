import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FlowLogFormat, type FlowRecord, generateOrganization, generateRecords } from '@flowlake/flowlogs';
import { LocalEngine } from '../analysis/local-engine.js';
import { parseConfig } from '../config/index.js';
import { FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';
import { collectReportData } from '../report/data.js';
import { renderReportHtml } from '../report/html.js';
import { type Delivered, deliverS3, deliverStreaming } from './deliver.js';
import { type DemoAccount, demoAccounts, exampleConfigYaml } from './example-config.js';
import { type DemoFinding, findIncidents } from './findings.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Hours of traffic to generate. */
  readonly hours: number;
  /** Member accounts (paths are assigned in turn: direct-s3, replication, cloudwatch-firehose). */
  readonly accounts: number;
  /** Output directory (config, cloud assembly, store, report). */
  readonly out: string;
  readonly seed: number | string;
  /** End of the generated window (default: now, rounded down to the hour). */
  readonly end?: Date;
}

/** What the demo did. */
export interface DemoResult {
  readonly configPath: string;
  readonly storePath: string;
  readonly assemblyPath?: string;
  readonly reportPath?: string;
  readonly accounts: readonly DemoAccount[];
  readonly delivered: readonly Delivered[];
  readonly findings: readonly DemoFinding[];
  readonly records: number;
  readonly steps: readonly { name: string; seconds: number; note: string }[];
}

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** Runs the whole system locally: config, synth, traffic, delivery through each path, queries, report. */
export async function runDemo(o: DemoOptions, io: Io): Promise<DemoResult> {
  const out = resolve(io.cwd, o.out);
  const steps: { name: string; seconds: number; note: string }[] = [];
  const total = 6;
  const step = async <T>(name: string, fn: () => Promise<{ value: T; note: string }>): Promise<T> => {
    io.err(`[${steps.length + 1}/${total}] ${name}...\n`);
    const t0 = performance.now();
    const { value, note } = await fn();
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ name, seconds, note });
    io.err(`      ${note} (${seconds.toFixed(1)} s)\n`);
    return value;
  };
  await mkdir(out, { recursive: true });
  const storePath = join(out, 'store');
  await rm(storePath, { recursive: true, force: true });
  await rm(join(out, 'staging'), { recursive: true, force: true });

  const org = generateOrganization({
    seed: o.seed,
    accounts: o.accounts,
    regions: DEMO_REGIONS,
    vpcsPerAccount: 1,
  });
  const accounts = demoAccounts(org.accounts);

  // 1. The example config, validated by the real loader.
  const configPath = join(out, 'flowlake.yaml');
  const config = await step('config', async () => {
    const text = exampleConfigYaml(accounts, DEMO_REGIONS);
    const { config, issues } = parseConfig(text);
    const errors = issues.filter((i) => i.severity === 'error');
    if (!config || errors.length > 0) {
      throw new FlowlakeError(
        'DemoConfigInvalid',
        `the demo config is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        {
          exitCode: 3,
        },
      );
    }
    await writeFile(configPath, text);
    return {
      value: config,
      note: `${configPath}: ${accounts.length} accounts x ${DEMO_REGIONS.length} regions (${accounts.map((a) => `${a.id} ${a.delivery}`).join(', ')})`,
    };
  });

  // 2. Cloud assembly, with the real synth. Paths whose stacks this version cannot build yet are left out of the
  // assembly (and said so); their delivery below still runs through the real runtime code.
  const assemblyPath = await step('synth', async () => {
    const { synthAssembly } = await import('../app/index.js');
    const outdir = join(out, 'cdk.out');
    try {
      const { plan } = synthAssembly(config, outdir);
      return { value: outdir, note: `${outdir}: ${plan.stacks.length} stacks` };
    } catch (e) {
      if (!FlowlakeError.isFlowlakeError(e) || e.code !== 'DeliveryNotAvailable') throw e;
      const buildable = {
        ...config,
        members: config.members.filter((m) => (m.delivery ?? config.delivery) !== 'cloudwatch-firehose'),
      };
      const { plan } = synthAssembly(buildable, outdir);
      return {
        value: outdir,
        note: `${outdir}: ${plan.stacks.length} stacks (cloudwatch-firehose member stacks left out: ${e.message})`,
      };
    }
  });

  // 3. Traffic with planted incidents.
  const end = o.end ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - o.hours * 3_600_000);
  const generated = await step('generate', async () => {
    const g = generateRecords({ org, start, hours: o.hours, seed: o.seed });
    return {
      value: g,
      note: `${g.records.length.toLocaleString('en-US')} records ${start.toISOString()} .. ${end.toISOString()}, planted: ${g.incidents.map((i) => i.kind).join(', ')}`,
    };
  });

  // 4. Delivery through each account's path into a store laid out like the central bucket.
  const format = FlowLogFormat.parse(config.flowLogs.format);
  const byAccount = new Map<string, FlowRecord[]>();
  for (const r of generated.records) {
    // The flow log belongs to the account owning the interface (account-id may name another account or 'unknown').
    const id = org.eniById.get(String(r['interface-id']))?.accountId ?? String(r['account-id']);
    const list = byAccount.get(id) ?? [];
    if (list.length === 0) byAccount.set(id, list);
    list.push(r);
  }
  const delivered = await step('deliver', async () => {
    const done: Delivered[] = [];
    const streamPrefix = await streamingPrefix();
    for (const a of accounts) {
      const records = byAccount.get(a.id) ?? [];
      if (a.delivery === 'cloudwatch-firehose') {
        done.push(
          await deliverStreaming({
            records,
            accountId: a.id,
            regions: DEMO_REGIONS,
            regionOf: (r) => org.eniById.get(String(r['interface-id']))?.region ?? String(r.region),
            format,
            store: storePath,
            prefix: streamPrefix,
            deliveryStream: 'flowlake-flowlogs',
          }),
        );
      } else {
        done.push(
          await deliverS3({
            records,
            org,
            accountId: a.id,
            path: a.delivery,
            format,
            fileFormat: config.flowLogs.fileFormat,
            store: storePath,
            staging: join(out, 'staging', a.id),
          }),
        );
      }
    }
    await rm(join(out, 'staging'), { recursive: true, force: true });
    return {
      value: done,
      note: `${storePath}: ${done.reduce((n, d) => n + d.objects, 0)} objects (${done.map((d) => `${d.path} ${d.objects}`).join(', ')})`,
    };
  });

  // 5. The query catalog on the local engine: are the planted incidents found?
  const findings = await step('query', async () => {
    const engine = new LocalEngine({ store: storePath, threads: 2 });
    try {
      const params = { since: start, until: end, accounts: accounts.map((a) => a.id), limit: 100 };
      const f = await findIncidents(engine, generated.incidents, params);
      return { value: f, note: `${f.filter((x) => x.found).length} of ${f.length} planted incidents found` };
    } finally {
      await engine.close();
    }
  });

  // 6. The HTML report over the same store and range.
  const reportPath = await step('report', async () => {
    const path = join(out, 'report.html');
    const params = { since: start, until: end, accounts: accounts.map((a) => a.id), limit: 100 };
    const data = await collectReportData(storePath, params, 2);
    await writeFile(path, renderReportHtml(data));
    return {
      value: path as string | undefined,
      note: `${path} (${data.coverage.length} account/region pairs)`,
    };
  });

  return {
    configPath,
    storePath,
    assemblyPath,
    reportPath,
    accounts,
    delivered,
    findings,
    records: generated.records.length,
    steps,
  };
}

/** The Firehose S3 prefix of the streaming stacks, with the transform's partition keys filled in. */
async function streamingPrefix(): Promise<(k: import('@flowlake/flowlogs').PartitionKeys) => string> {
  const { streamingDataPrefix } = await import('@flowlake/constructs');
  const template = streamingDataPrefix();
  return (k) =>
    template.replace(/!\{partitionKeyFromLambda:(\w+)\}/g, (_m, name: string) =>
      String(k[name as keyof typeof k]),
    );
}
