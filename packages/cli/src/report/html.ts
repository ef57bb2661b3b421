import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './data.js';

const require = createRequire(import.meta.url);

/** The echarts browser bundle, inlined so the report works offline (no CDN). */
export function echartsSource(): string {
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Chart containers in the page, in order: id and title. */
export const REPORT_CHARTS: readonly (readonly [string, string])[] = [
  ['chart-traffic', 'Traffic over time: flows per hour, accepted vs rejected'],
  ['chart-talkers', 'Top talkers by bytes (accepted)'],
  ['chart-rejected-ports', 'Rejected destination ports'],
  ['chart-scans', 'Port-scan suspects'],
  ['chart-egress', 'Egress to the internet by account (log scale)'],
];

function coverageTable(data: ReportData): string {
  const rows = data.coverage.map((r) => {
    const status =
      Number(r.skipdata) > 0
        ? `records skipped in ${r.skipdata} interval(s)`
        : Number(r.records) === Number(r.nodata)
          ? 'no traffic (NODATA only)'
          : 'OK';
    const cls = status === 'OK' ? 'ok' : 'warn';
    const cells = [
      r.account,
      r.region,
      r.records,
      r.vpcs,
      r.interfaces,
      new Date(Number(r.first_start) * 1000).toISOString().slice(0, 16).replace('T', ' '),
      new Date(Number(r.last_end) * 1000).toISOString().slice(0, 16).replace('T', ' '),
      r.nodata,
      r.skipdata,
      r.rejected,
    ].map((c) => `<td>${escapeHtml(String(c ?? ''))}</td>`);
    return `<tr>${cells.join('')}<td class="${cls}">${escapeHtml(status)}</td></tr>`;
  });
  return `<table id="coverage"><thead><tr>${[
    'Account',
    'Region',
    'Records',
    'VPCs',
    'Interfaces',
    'First (UTC)',
    'Last (UTC)',
    'NODATA',
    'SKIPDATA',
    'Rejected',
    'Health',
  ]
    .map((h) => `<th>${h}</th>`)
    .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The browser code that draws the charts from the embedded data. */
const CLIENT = `
const data = JSON.parse(document.getElementById('report-data').textContent);
const fmtBytes = (n) => { const u = ['B','KB','MB','GB','TB','PB']; let i = 0; while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; } return n.toFixed(i ? 1 : 0) + ' ' + u[i]; };
const charts = [];
function chart(id, option) {
  const c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
  const base = { animation: false, grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true }, tooltip: { trigger: 'axis' } };
  if (option.legend) option.legend = Object.assign({ top: 0 }, option.legend);
  c.setOption(Object.assign(base, option));
  charts.push(c);
}
const hours = [...new Set(data.trafficOverTime.map((r) => r.hour))].sort((a, b) => a - b);
const series = (action) => hours.map((h) => { const r = data.trafficOverTime.find((x) => x.hour === h && x.action === action); return r ? r.flows : 0; });
chart('chart-traffic', {
  legend: { data: ['ACCEPT', 'REJECT'] },
  xAxis: { type: 'category', data: hours.map((h) => new Date(h * 1000).toISOString().slice(5, 16).replace('T', ' ')) },
  yAxis: { type: 'value', name: 'flows' },
  series: [
    { name: 'ACCEPT', type: 'line', areaStyle: {}, data: series('ACCEPT'), color: '#2f7ed8' },
    { name: 'REJECT', type: 'line', areaStyle: {}, data: series('REJECT'), color: '#d9534f' },
  ],
});
const talkers = [...data.topTalkers].reverse();
chart('chart-talkers', {
  tooltip: { trigger: 'axis', valueFormatter: fmtBytes },
  xAxis: { type: 'value', axisLabel: { formatter: fmtBytes } },
  yAxis: { type: 'category', data: talkers.map((r) => r.srcaddr + ' → ' + r.dstaddr) },
  series: [{ type: 'bar', data: talkers.map((r) => r.bytes), color: '#2f7ed8' }],
});
chart('chart-rejected-ports', {
  xAxis: { type: 'category', data: data.rejectedPorts.map((r) => String(r.dstport) + (r.protocol === 17 ? '/udp' : r.protocol === 6 ? '/tcp' : '/' + r.protocol)) },
  yAxis: [{ type: 'value', name: 'flows' }, { type: 'value', name: 'sources' }],
  legend: { data: ['flows', 'distinct sources'] },
  series: [
    { name: 'flows', type: 'bar', data: data.rejectedPorts.map((r) => r.flows), color: '#d9534f' },
    { name: 'distinct sources', type: 'line', yAxisIndex: 1, data: data.rejectedPorts.map((r) => r.sources), color: '#555' },
  ],
});
const scans = [
  ...data.horizontalScans.map((r) => ({ label: r.srcaddr + ' → port ' + r.dstport, kind: 'hosts on one port', n: r.hosts })),
  ...data.verticalScans.map((r) => ({ label: r.srcaddr + ' → ' + r.dstaddr, kind: 'ports on one host', n: r.ports })),
].sort((a, b) => a.n - b.n);
chart('chart-scans', {
  legend: { data: ['hosts on one port', 'ports on one host'] },
  grid: { left: 8, right: 24, top: 48, bottom: 28, containLabel: true },
  xAxis: { type: 'value', name: 'distinct targets', nameLocation: 'middle', nameGap: 26 },
  yAxis: { type: 'category', data: scans.map((s) => s.label) },
  series: ['hosts on one port', 'ports on one host'].map((k, i) => ({
    name: k, type: 'bar', stack: 's', color: i ? '#f0ad4e' : '#8e44ad',
    data: scans.map((s) => (s.kind === k ? s.n : 0)),
  })),
});
chart('chart-egress', {
  tooltip: { trigger: 'axis', valueFormatter: fmtBytes },
  xAxis: { type: 'category', data: data.egressByAccount.map((r) => r.account), axisLabel: { rotate: 30 } },
  // ticks at powers of 1024 (1 KB, 1 MB, 1 GB ...), the range cut to the decades the data spans
  yAxis: {
    type: 'log', logBase: 1024, axisLabel: { formatter: fmtBytes },
    min: (v) => Math.pow(1024, Math.floor(Math.log(Math.max(v.min, 1)) / Math.log(1024))),
    max: (v) => Math.pow(1024, Math.floor(Math.log(Math.max(v.max, 1)) / Math.log(1024)) + 1),
  },
  series: [{ type: 'bar', data: data.egressByAccount.map((r) => Math.max(r.bytes, 1)), color: '#5cb85c' }],
});
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
window.__flowlakeCharts = charts.length;
window.__flowlakeReady = true;
`;

/** One self-contained HTML page (echarts and data inlined, no network access). */
export function renderReportHtml(data: ReportData): string {
  const cards = REPORT_CHARTS.map(
    ([id, title]) =>
      `<section class="card"><h2>${escapeHtml(title)}</h2><div class="chart" id="${id}"></div></section>`,
  ).join('\n');
  const skip = data.deliveryHealth.filter((r) => r.log_status === 'SKIPDATA').length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>flowlake report ${escapeHtml(data.since.slice(0, 16))} – ${escapeHtml(data.until.slice(0, 16))}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #222; }
header { background: #1f2d3d; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; padding: 16px; }
.card { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 12px 16px; }
.card h2 { font-size: 15px; margin: 0 0 8px; }
.chart { height: 340px; }
.wide { grid-column: 1 / -1; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 4px 8px; text-align: right; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
td.ok { color: #2e7d32; } td.warn { color: #c62828; font-weight: 600; }
</style>
</head>
<body>
<header><h1>flowlake: VPC Flow Logs report</h1>
<div>${escapeHtml(data.since)} to ${escapeHtml(data.until)} (UTC) · ${data.coverage.length} account/region pair(s) · ${skip} interface(s) with SKIPDATA · generated ${escapeHtml(data.generatedAt)}</div></header>
<main>
${cards}
<section class="card wide"><h2>Coverage and delivery health per account</h2>${coverageTable(data)}</section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${echartsSource().replace(/<\/script/gi, '<\\/script')}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
