import { FIELDS } from '@flowlake/flowlogs';
import { Option } from 'commander';
import { OUTPUT_FORMATS, renderRows } from '../output/table.js';
import type { CommandSpec } from './types.js';

/** `flowlake fields`: the flow-log field catalog. */
export const fieldsCommand: CommandSpec = {
  name: 'fields',
  summary: 'List every VPC Flow Logs field with its version, type, Parquet column and meaning',
  configure: (cmd) =>
    cmd
      .description(
        'List every VPC Flow Logs field (versions 2-8 and Transit Gateway v6) with its type and meaning.',
      )
      .addOption(
        new Option('--version-max <n>', 'only fields up to this version').argParser((v) => Number(v)),
      )
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'),
      ),
  run: async (_args, opts, io) => {
    const rows = FIELDS.filter((s) => opts.versionMax === undefined || s.version <= opts.versionMax).map(
      (s) => ({
        name: s.name,
        version: s.version,
        type: s.type,
        parquet: `${s.parquetName} ${s.parquetType}`,
        scope: s.scope,
        values: s.values?.map((v) => v.value).join('|') ?? '',
        description: s.description,
      }),
    );
    io.out(renderRows(rows, opts.output));
    return 0;
  },
};
