import { resolve } from 'node:path';
import { convertStore } from '../analysis/convert.js';
import { FlowlakeError } from '../errors.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
Reads every text (.log.gz) file of the store and writes Parquet (zstd, sorted by time) in the Hive-compatible,
per-hour layout, one file per flow log and hour. Queries then read Parquet and only the columns they use.
When --out is the store itself, 'flowlake query' prefers the Parquet files.

Examples:
  $ flowlake convert --store ./flowlogs
  $ flowlake convert --store ./flowlogs --out ./flowlogs-parquet
`;

/** `flowlake convert`: text store to Parquet with the same partitions. */
export const convertCommand: CommandSpec = {
  name: 'convert',
  summary: 'Convert a local text store to Parquet (Hive-compatible, hourly partitions) with DuckDB',
  configure: (cmd) =>
    cmd
      .description('Convert the text flow-log files of a local store into Parquet files.')
      .requiredOption('--store <dir>', 'local store with text (.log.gz) files')
      .option('--out <dir>', 'destination store (default: the same store)')
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const store = resolve(io.cwd, opts.store);
    const out = resolve(io.cwd, opts.out ?? opts.store);
    const started = performance.now();
    const r = await convertStore({ store, out });
    if (r.inputFiles === 0) {
      throw new FlowlakeError('EmptyStore', `no text flow-log files under '${store}'`, {
        hint: "fill the store with 'flowlake pull' first (text files end in .log.gz under AWSLogs/)",
      });
    }
    io.err(
      `converted ${r.records} records from ${r.inputFiles} text file(s) (${(r.inputBytes / 1024 / 1024).toFixed(1)} MB) ` +
        `into ${r.outputFiles} Parquet file(s) under ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  },
};
