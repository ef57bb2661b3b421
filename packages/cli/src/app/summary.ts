import { renderRows } from '../output/table.js';
import type { AppPlan } from './plan.js';

/** Above this many stacks the summary groups member stacks instead of listing each one. */
export const SUMMARY_LIST_LIMIT = 40;

/** One row per stack (small apps) or per wave/kind/delivery/region group (large apps). */
export function planRows(plan: AppPlan, listAll = plan.stacks.length <= SUMMARY_LIST_LIMIT) {
  if (listAll) {
    return plan.stacks.map((s) => ({
      wave: s.wave,
      stack: s.id,
      account: s.account,
      region: s.region,
      kind: s.kind,
      delivery: s.delivery ?? '',
      creates: s.creates.join('; '),
    }));
  }
  const groups = new Map<
    string,
    {
      wave: number;
      kind: string;
      delivery: string;
      region: string;
      n: number;
      accounts: Set<string>;
      stack: string;
    }
  >();
  for (const s of plan.stacks) {
    const key = `${s.wave}|${s.kind}|${s.delivery ?? ''}|${s.region}`;
    const g = groups.get(key) ?? {
      wave: s.wave,
      kind: s.kind,
      delivery: s.delivery ?? '',
      region: s.region,
      n: 0,
      accounts: new Set<string>(),
      stack: s.id,
    };
    g.n++;
    g.accounts.add(s.account);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    wave: g.wave,
    stack: g.n === 1 ? g.stack : `${g.n} stacks`,
    account: g.accounts.size === 1 ? [...g.accounts][0] : `${g.accounts.size} accounts`,
    region: g.region,
    kind: g.kind,
    delivery: g.delivery,
    creates: '',
  }));
}

/** The deploy commands, in order (one line per wave). Member stacks are named by a glob that matches only them. */
export function deployCommands(plan: AppPlan, assemblyDir: string): string[] {
  const waves = [...new Set(plan.stacks.map((s) => s.wave))].sort((a, b) => a - b);
  return waves.map((w) => {
    const inWave = plan.stacks.filter((s) => s.wave === w);
    const members = inWave.filter((s) => s.kind === 'member').map((s) => s.id);
    const others = inWave.filter((s) => s.kind !== 'member').map((s) => s.id);
    const names = [...others, ...(members.length > 3 ? [memberGlob(plan, members)] : members)];
    const concurrency = inWave.length > 1 ? ' --concurrency 10' : '';
    return `wave ${w}: npx cdk deploy --app ${assemblyDir} ${names.join(' ')}${concurrency} --require-approval never`;
  });
}

/** `'<name>-member-*'` when that glob matches exactly the member stacks, else the ids. */
function memberGlob(plan: AppPlan, members: readonly string[]): string {
  const prefix = members[0].slice(0, members[0].indexOf('-member-') + '-member-'.length);
  const matched = plan.stacks.filter((s) => s.id.startsWith(prefix)).length;
  return matched === members.length && members.every((m) => m.startsWith(prefix))
    ? `'${prefix}*'`
    : members.join(' ');
}

/** The text summary `flowlake synth` prints: stacks (or groups), then the deploy order. */
export function renderPlanSummary(plan: AppPlan, assemblyDir: string): string {
  const n = plan.stacks.length;
  const lines = [
    `cloud assembly: ${assemblyDir} (${n} stack${n === 1 ? '' : 's'}, central bucket ${plan.bucketName})`,
    '',
    renderRows(planRows(plan), 'table').trimEnd(),
    '',
    'deploy order (each wave after the previous one has finished):',
    ...deployCommands(plan, assemblyDir).map((l) => `  ${l}`),
    '',
  ];
  return lines.join('\n');
}
