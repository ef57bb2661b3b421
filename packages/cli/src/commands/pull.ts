import { resolve } from 'node:path';
import { listOption, parseTime, positiveInt } from '../analysis/options.js';
import { FlowlakeError } from '../errors.js';
import type { CommandSpec } from './types.js';

const EXAMPLES = `
Only the partitions of the range are listed (one listing per account, region and day) and downloaded, into
--store with the bucket's keys, so 'flowlake query --store DIR' reads them. Files already present with the same
size are skipped: an interrupted pull resumes where it stopped.

Examples:
  $ flowlake pull --bucket acme-flowlogs --since 24h --store ./flowlogs
  $ flowlake pull --bucket acme-flowlogs --prefix vpc --since 2026-11-30 --until 2026-12-01 \\
      --account 111111111111,222222222222 --region eu-west-1 --store ./flowlogs --concurrency 16
`;

/** `flowlake pull`: download a time range of flow logs from the central bucket into a local store. */
export const pullCommand: CommandSpec = {
  name: 'pull',
  summary: 'Download a time range of flow-log files from the central bucket into a local store',
  configure: (cmd) =>
    cmd
      .description(
        'Download flow-log objects of a time range (and accounts/regions) into a local store directory.',
      )
      .requiredOption('--bucket <name>', 'central flow-log bucket')
      .option('--prefix <folder>', 'folder before AWSLogs/ in the bucket', '')
      .requiredOption('--since <time>', 'start of the range (ISO 8601 UTC, or a duration ago like 24h)')
      .option('--until <time>', 'end of the range, exclusive', 'now')
      .option('--account <id>', 'account ID; repeatable or comma-separated (default: all)', listOption)
      .option('--region <name>', 'region; repeatable or comma-separated (default: all)', listOption)
      .requiredOption('--store <dir>', 'local store directory')
      .option('--concurrency <n>', 'parallel downloads', positiveInt('--concurrency'), 8)
      .addHelpText('after', EXAMPLES),
  run: async (_args, opts, io) => {
    const since = parseTime('--since', opts.since);
    const until = parseTime('--until', opts.until);
    if (until <= since) {
      throw new FlowlakeError(
        'BadTimeRange',
        `--until (${until.toISOString()}) is not after --since (${since.toISOString()})`,
        {
          hint: 'give a --since earlier than --until',
        },
      );
    }
    for (const a of opts.account ?? []) {
      if (!/^\d{12}$/.test(a)) {
        throw new FlowlakeError('BadAccountId', `--account '${a}' is not a 12-digit account ID`, {
          hint: 'use e.g. --account 111111111111',
        });
      }
    }
    const controller = new AbortController();
    const onSigint = () =>
      controller.abort(new FlowlakeError('Interrupted', 'interrupted; run again to resume'));
    process.once('SIGINT', onSigint);
    try {
      const store = resolve(io.cwd, opts.store);
      const [{ S3Client }, { pullStore }] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('../analysis/pull.js'),
      ]);
      const result = await pullStore({
        client: new S3Client({}),
        bucket: opts.bucket,
        prefix: opts.prefix,
        since,
        until,
        accounts: opts.account,
        regions: opts.region,
        store,
        concurrency: opts.concurrency,
        signal: controller.signal,
        onProgress: io.interactive
          ? (p) => io.err(`\rpull ${p.done}/${p.total} files (${p.skipped} already present)`)
          : undefined,
      });
      if (io.interactive) io.err('\n');
      io.err(
        `pulled ${result.downloaded} file(s), ${(result.bytes / 1024 / 1024).toFixed(1)} MB; ` +
          `${result.skipped} already present; store ${store}\n`,
      );
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
