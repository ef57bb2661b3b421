import { renderRows } from '../output/table.js';
import { ASSUMPTIONS, cheapest, type EstimateInput, type PathEstimate } from './model.js';
import type { Pricing } from './pricing.js';

/** Output formats of `flowlake estimate`. */
export const ESTIMATE_OUTPUTS = ['table', 'json'] as const;
export type EstimateOutput = (typeof ESTIMATE_OUTPUTS)[number];

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Side-by-side table (one column per path, one row per cost item, totals last) or JSON with every computation. */
export function renderEstimate(
  input: EstimateInput,
  pricing: Pricing,
  paths: readonly PathEstimate[],
  format: EstimateOutput,
): string {
  const best = cheapest(paths);
  if (format === 'json') {
    const { region, currency, pricesAsOf, recorded, verification, sources } = pricing;
    return `${JSON.stringify(
      {
        input,
        assumptions: ASSUMPTIONS,
        pricing: { region, currency, pricesAsOf, recorded, verification, sources },
        paths: paths.map((p) => ({ ...p, totalUsd: Math.round(p.totalUsd * 100) / 100 })),
        cheapest: best.path,
      },
      null,
      2,
    )}\n`;
  }
  // Rows in the order the paths list their items (relative position, so shared rows like Athena stay last).
  const position = new Map<string, number>();
  for (const p of paths) {
    p.lines.forEach((l, i) => {
      const rel = p.lines.length > 1 ? i / (p.lines.length - 1) : 0;
      position.set(l.item, Math.min(position.get(l.item) ?? 1, rel));
    });
  }
  const items = [...position.keys()].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  const rows = items.map((item) => {
    const row: Record<string, string> = { 'monthly cost (USD)': item };
    for (const p of paths) {
      const l = p.lines.find((x) => x.item === item);
      row[p.path] = l ? usd(l.usd) : '';
    }
    return row;
  });
  const totals: Record<string, string> = { 'monthly cost (USD)': 'TOTAL per month' };
  for (const p of paths) totals[p.path] = usd(p.totalUsd);
  rows.push(totals);
  const legend = paths.map((p) => `  ${p.path}: ${p.description}`).join('\n');
  return (
    `${renderRows(rows, 'table')}\n` +
    `Cheapest: ${best.path} at ${usd(best.totalUsd)}/month (${input.gbPerDay} GB/day, ${input.accounts} account(s) x ${input.regions} region(s), ${input.retentionDays} days retention).\n` +
    `${legend}\n` +
    `Prices: ${pricing.region} list prices as of ${pricing.pricesAsOf} (table recorded ${pricing.recorded}); steady state after the retention period. Details: --output json.\n`
  );
}
