// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log format strings are written ${field}
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlowLogFormat, FormatError } from '@flowlake/flowlogs';
import { ExitCode, FlowlakeError } from '../errors.js';
import type { Io } from '../io.js';
import { type ParseInput, parseInput } from './parse-input.js';
import type { CommandSpec } from './types.js';

const FORMAT_HINT =
  "pass the flow log's format, e.g. --format '${version} ${account-id} ${interface-id} ...' (its LogFormat: " +
  "aws ec2 describe-flow-logs --query 'FlowLogs[].LogFormat'), or --format default for the 14 version-2 fields";

const EXAMPLES = `
Examples:
  flowlake parse 123456789012_vpcflowlogs_us-east-1_fl-0123_20240101T0000Z_ab12cd34.log.gz
  aws s3 cp s3://bucket/AWSLogs/.../file.log.gz - | flowlake parse -
  flowlake parse --format default cloudwatch-export.txt
  flowlake parse --format '\${version} \${srcaddr} \${dstaddr} \${flow-direction}' lines.txt
  flowlake parse --strict *.log.gz | jq -c 'select(.action == "REJECT")'

Files may be plain text or gzip (detected from their bytes). A header line naming the fields (as in S3 objects)
sets the format; files without one need --format, except records of the default formats, which are
recognised: VPC (version 2, 14 fields) and Transit Gateway (version 6, 36 fields; --format tgw-default).
CloudWatch Logs exports (create-export-task: '<ISO timestamp> <record>' per line) are recognised and the
timestamps dropped. CloudWatch Logs subscription messages are read too: S3 objects Firehose wrote from a
subscription without a transform (gzip JSON documents back to back), the same decompressed, or one base64 record
'data' per line; each log event of a DATA_MESSAGE is one record (--format or a default format). Parquet
flow-log files (FileFormat=parquet, or 'flowlake convert' output) are read with their own column names.
Output: one JSON object per record, keys as AWS names them ('log-status'), '-' as null, integer fields as numbers. Bad lines go to stderr as file:line: reason, then a
summary; with --strict any bad line makes the exit code 1.
`;

/**
 * Reads `--format`: `default` (VPC), `tgw-default` (Transit Gateway), a format string (`${a} ${b}`) or
 * space-separated names (`a b`).
 */
export function parseFormatOption(text: string): FlowLogFormat {
  try {
    if (text.trim() === 'default') return FlowLogFormat.DEFAULT;
    if (text.trim() === 'tgw-default') return FlowLogFormat.TGW_DEFAULT;
    return text.includes('${') ? FlowLogFormat.parse(text) : FlowLogFormat.fromHeader(text);
  } catch (e) {
    if (e instanceof FormatError) {
      throw new FlowlakeError('BadFormat', `--format: ${e.message}`, {
        hint: "list the fields as '${field} ${field} ...'; 'flowlake fields' shows every field name",
      });
    }
    throw e;
  }
}

function openInput(file: string, io: Io): ParseInput {
  if (file === '-') return { name: '<stdin>', stream: io.stdin };
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) {
    throw new FlowlakeError('FileNotFound', `file '${file}' does not exist`, {
      hint: "check the path; use '-' to read standard input",
    });
  }
  if (statSync(path).isDirectory()) {
    throw new FlowlakeError('NotAFile', `'${file}' is a directory`, {
      hint: 'pass the files inside it, e.g. dir/*.log.gz',
    });
  }
  return { name: file, path, stream: createReadStream(path, { highWaterMark: 1 << 20 }) };
}

/** `flowlake parse`: flow-log text (plain or gzip, header or --format) to JSON lines. */
export const parseCommand: CommandSpec = {
  name: 'parse',
  summary: 'Parse flow-log files (text, .gz, Parquet, CloudWatch Logs exports or messages) into JSON lines',
  configure: (cmd) =>
    cmd
      .description(
        'Parse VPC / Transit Gateway flow-log records from files or standard input and print one JSON object ' +
          'per record (AWS hyphenated keys) on stdout. Bad lines are reported on stderr and never stop the run.',
      )
      .argument('[files...]', "flow-log files, plain or .gz; '-' or nothing reads standard input")
      .option(
        '-f, --format <format>',
        "format of files without a header line: 'default', 'tgw-default', '${a} ${b} ...', or 'a b ...'",
      )
      .option('--strict', 'exit with code 1 if any line fails to parse')
      .addHelpText('after', EXAMPLES),
  run: async (args, opts: { format?: string; strict?: boolean }, io) => {
    const format = opts.format === undefined ? undefined : parseFormatOption(opts.format);
    const files = args.length > 0 ? args : ['-'];
    const inputs = files.map((f) => openInput(f, io)); // fail on a missing file before printing anything
    let records = 0;
    let bad = 0;
    let failed = 0;
    let closed = false;
    for (const input of inputs) {
      const { name, stream } = input;
      if (closed) break;
      try {
        const r = await parseInput(input, format, io);
        records += r.records;
        bad += r.bad;
        closed = r.closed;
        if (r.unreadable) failed++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        throw e.field
          ? new FlowlakeError('UnknownField', `${name}: ${e.message}`, {
              hint: "'flowlake fields' lists the fields flowlake knows; check the header line of the file",
            })
          : new FlowlakeError('FormatRequired', `${name} has no header line naming its fields`, {
              hint: FORMAT_HINT,
            });
      } finally {
        if (stream !== io.stdin) stream.destroy();
      }
    }
    const n = inputs.length;
    io.err(
      `${records} record${records === 1 ? '' : 's'}, ${bad} bad line${bad === 1 ? '' : 's'} in ${n} input${n === 1 ? '' : 's'}` +
        `${failed > 0 ? `; ${failed} unreadable` : ''}\n`,
    );
    if (failed > 0) return ExitCode.FINDINGS;
    return opts.strict && bad > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  },
};
