import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type FirehoseTransformEvent,
  FlowLogFormat,
  FormatError,
  searchDocuments,
  transformFirehoseEvent,
} from '@flowlake/flowlogs';
import { Option } from 'commander';
import { ExitCode, FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandSpec } from './types.js';

interface TransformOpts {
  format?: string;
  output: 'json' | 'lines';
  region?: string;
  maxResponseBytes?: number;
  pretty?: boolean;
  documents?: boolean;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the format option: a format string (`${a} ${b}`) or space-separated field names. */
export function formatOption(value: string | undefined): FlowLogFormat {
  if (!value || value === 'default') return FlowLogFormat.DEFAULT;
  try {
    return value.includes('${') ? FlowLogFormat.parse(value) : FlowLogFormat.fromHeader(value);
  } catch (e) {
    if (e instanceof FormatError) {
      throw new FlowlakeError('InvalidFormat', `--format: ${e.message}`, {
        hint: `give the flow log's format string, e.g. --format '\${version} \${account-id} \${interface-id} ...'`,
      });
    }
    throw e;
  }
}

async function readEvent(file: string | undefined, io: Io): Promise<FirehoseTransformEvent> {
  const where = file ?? 'stdin';
  let text: string;
  try {
    text = file ? await readFile(resolve(io.cwd, file), 'utf8') : await readAll(io.stdin);
  } catch (e) {
    throw new FlowlakeError('EventNotReadable', `cannot read ${where}: ${(e as Error).message}`, {
      hint: 'pass the path of a saved Firehose transformation event, or pipe it on stdin',
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FlowlakeError('InvalidEvent', `${where} is not JSON (${(e as Error).message})`, {
      hint: 'save the event Firehose passes to the transform Lambda (a JSON object with a "records" array)',
    });
  }
  const records = (doc as { records?: unknown })?.records;
  if (!Array.isArray(records)) {
    throw new FlowlakeError(
      'InvalidEvent',
      `${where} has no "records" array; it is not a Firehose transformation event`,
      {
        hint: 'expected {"records":[{"recordId":"...","data":"<base64>"}, ...]}',
      },
    );
  }
  return doc as FirehoseTransformEvent;
}

/** `flowlake transform`: runs the Firehose transform Lambda's logic on a saved event. */
export const transformCommand: CommandSpec = {
  name: 'transform',
  summary: 'Run the streaming-path Firehose transform on a saved event and print the Lambda response',
  configure: (cmd) =>
    cmd
      .description(
        'Run the Firehose data-transformation logic of the streaming paths (cloudwatch-firehose,\n' +
          "cloudwatch-kinesis) locally: decode each record's CloudWatch Logs payload, drop control messages,\n" +
          'write flow records as NDJSON or lines with partition keys, and print the Firehose response JSON.\n' +
          'Records that the Lambda would re-ingest (response over the 6 MB limit) are shown as Dropped and\n' +
          'reported on stderr; records that cannot be decoded are ProcessingFailed with the reason on stderr.',
      )
      .argument('[EVENT.json]', 'the saved Firehose event (default: read stdin)')
      .option('-f, --format <format>', "the flow log format string (default: AWS's default version-2 format)")
      .addOption(
        new Option('-o, --output <mode>', 'output encoding of flow records')
          .choices(['json', 'lines'])
          .default('json'),
      )
      .option('--region <region>', 'region partition key when records and log group name do not name one')
      .addOption(
        new Option('--max-response-bytes <n>', 'response size before records are re-ingested')
          .default(6_000_000)
          .argParser((v) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n < 1000) {
              throw new FlowlakeError(
                'InvalidOption',
                `--max-response-bytes '${v}' is not a whole number >= 1000`,
              );
            }
            return n;
          }),
      )
      .option('--pretty', 'indent the response JSON')
      .option(
        '--documents',
        'print the OpenSearch documents the Lambda would fan out (NDJSON, one per flow record or finding) instead of the response',
      )
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  flowlake transform event.json\n' +
          `  flowlake transform --output lines --format "$(cat format.txt)" event.json\n` +
          `  flowlake transform --format 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region' event.json\n` +
          '  cat event.json | flowlake transform --pretty\n' +
          '  flowlake transform --documents event.json     # what streaming.opensearch would index\n',
      ),
  run: async (args, opts: TransformOpts, io) => {
    const format = formatOption(opts.format);
    const event = await readEvent(args[0], io);
    const outcome = transformFirehoseEvent(event, {
      format,
      output: opts.output,
      maxResponseBytes: opts.maxResponseBytes,
      ...(opts.region ? { defaultRegion: opts.region } : {}),
    });
    if (opts.documents) {
      const set = searchDocuments(outcome.response.records, { format, output: opts.output });
      for (const d of set.documents) io.out(`${d.data.toString('utf8')}\n`);
      io.err(`${set.documents.length} OpenSearch documents, ${set.skipped.length} skipped\n`);
      for (const p of set.skipped) io.err(`  ${p.recordId}: ${p.reason}\n`);
    } else {
      io.out(`${JSON.stringify(outcome.response, null, opts.pretty ? 2 : undefined)}\n`);
    }
    const s = outcome.stats;
    io.err(
      `${s.recordsIn} records: ${s.ok} Ok, ${s.dropped} Dropped (${s.controlMessages} control messages), ` +
        `${s.failed} ProcessingFailed, ${s.reingested} to re-ingest; ${s.logEvents} flow records\n`,
    );
    for (const p of outcome.problems) io.err(`  ${p.recordId}: ${p.reason}\n`);
    if (s.reingested > 0) {
      io.err(
        `  ${outcome.reingest.length} payloads for ${s.reingested} records would be re-ingested into ` +
          `${outcome.target?.kind === 'kinesis' ? outcome.target.streamArn : (outcome.target?.deliveryStreamName ?? '?')}\n`,
      );
    }
    return ExitCode.OK;
  },
};
