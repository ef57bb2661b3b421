import { resolve } from 'node:path';
import { FlowlakeError } from '../errors.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
Reads every text (.log.gz) file of the store and writes Parquet (zstd, sorted by the hour of end, row groups of
10,240 rows) in the Hive-compatible layout, one file per flow log and day: a few large files scan much faster than
AWS's many small hourly ones, and row-group statistics still let a one-hour query skip the rest of the day.
--per-hour writes AWS's Hive + per-hour layout instead. --compact rewrites the store's Parquet files (e.g. AWS's
hourly Parquet files fetched with 'flowlake pull') into daily files and, in place, removes the files it merged.
When --out is the store itself, 'flowlake query' prefers the Parquet files.

Examples:
  $ flowlake convert --store ./flowlogs
  $ flowlake convert --store ./flowlogs --out ./flowlogs-parquet
  $ flowlake convert --store ./flowlogs --per-hour
  $ flowlake convert --store ./pulled-parquet --compact
`;

/** `flowlake convert`: text store to Parquet with the same partitions. */
export const convertCommand: CommandSpec = {
  name: 'convert',
  summary:
    'Convert a local text store to Parquet (Hive-compatible, daily or hourly files) or compact Parquet',
  configure: (cmd) =>
    cmd
      .description('Convert the text flow-log files of a local store into Parquet files.')
      .requiredOption(
        '--store <dir>',
        'local store with text (.log.gz) files (with --compact: .log.parquet files)',
      )
      .option('--out <dir>', 'destination store (default: the same store)')
      .option('--per-hour', "one file per flow log and hour (AWS's hourly layout) instead of one per day")
      .option('--compact', 'read the Parquet files of the store (not text) and rewrite them as daily files')
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const store = resolve(io.cwd, opts.store);
    const out = resolve(io.cwd, opts.out ?? opts.store);
    const started = performance.now();
    const from = opts.compact ? 'parquet' : 'text';
    const { convertStore } = await import('../analysis/convert.js'); // DuckDB: loaded only to run
    const r = await convertStore({ store, out, from, perHour: Boolean(opts.perHour) });
    if (r.inputFiles === 0) {
      throw new FlowlakeError('EmptyStore', `no ${from} flow-log files under '${store}'`, {
        hint: opts.compact
          ? 'Parquet files end in .log.parquet under AWSLogs/; convert text files first (without --compact)'
          : "fill the store with 'flowlake pull' first (text files end in .log.gz under AWSLogs/)",
      });
    }
    io.err(
      `converted ${r.records} records from ${r.inputFiles} ${from} file(s) (${(r.inputBytes / 1024 / 1024).toFixed(1)} MB) ` +
        `into ${r.outputFiles} Parquet file(s) under ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  },
};
