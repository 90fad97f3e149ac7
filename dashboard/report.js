// The period's figures (GET /api/v1/report, the JSON of `kharuul report`): two charts and every
// row. A viewer's small cells come as "<3" and no traces; a team's figures cover its areas only.
import * as api from './api.js';
import { h, fill } from './dom.js';
import { t, label } from './i18n.js';
import { barChart } from './chart.js';
import { errorBox } from './alerts.js';

const DIMENSIONS = ['sex', 'age_band', 'site', 'area', 'team', 'work', 'reason', 'target', 'category', 'status',
  'service', 'for', 'form', 'reporter', 'urgent'];

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

// This quarter: its first day and the next quarter's first day.
function thisQuarter() {
  const now = new Date();
  const q = Math.floor(now.getMonth() / 3) * 3;
  return { from: iso(new Date(now.getFullYear(), q, 1)), until: iso(new Date(now.getFullYear(), q + 3, 1)) };
}

let period = null; // kept while the page is open

// The parts of one chart row from report rows: numbers summed per series; each suppressed cell
// (a viewer's "<3") kept as its own part, since "<3" + "<3" is not a number either.
function parts(rows, seriesOf, order) {
  const sums = new Map();
  const small = [];
  for (const r of rows) {
    const k = seriesOf(r);
    if (typeof r.value === 'number') sums.set(k, (sums.get(k) || 0) + r.value);
    else small.push({ series: k, value: r.value });
  }
  const out = [];
  for (const k of order) {
    if (sums.has(k)) out.push({ series: k, value: sums.get(k) });
    for (const p of small) if (p.series === k) out.push(p);
  }
  return out;
}

function groupBy(rows, key) {
  const m = new Map();
  for (const r of rows) {
    const k = r[key] || '?';
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

// Identified children by site, stacked by sex.
function identifiedChart(rows) {
  const series = ['B', 'G', 'U'].map((k) => ({ key: k, label: label('sex', k) }));
  const chartRows = groupBy(rows.filter((x) => x.indicator === 'identified'), 'site')
    .map(([site, rs]) => ({ label: site, parts: parts(rs, (r) => r.sex, ['B', 'G', 'U']) }));
  if (!chartRows.length) return h('p', { class: 'empty' }, t('report.nochart'));
  return barChart({ id: 'chart-identified', title: t('report.chart.identified'), rows: chartRows, series, stacked: true });
}

// Alerts raised and acknowledged per team.
function alertsChart(rows) {
  const keys = ['alerts_raised', 'alerts_acknowledged'];
  const series = keys.map((k) => ({ key: k, label: label('ind', k) }));
  const chartRows = groupBy(rows.filter((x) => keys.includes(x.indicator)), 'team')
    .map(([team, rs]) => ({ label: team.length > 18 ? `${team.slice(0, 17)}…` : team, parts: parts(rs, (r) => r.indicator, keys) }));
  if (!chartRows.length) return null;
  return barChart({ id: 'chart-alerts', title: t('report.chart.alerts'), rows: chartRows, series, stacked: false });
}

function details(r) {
  return DIMENSIONS.filter((d) => r[d] !== undefined && r[d] !== null)
    .map((d) => `${label('col', d)} ${d === 'sex' ? label('sex', r[d]) : typeof r[d] === 'boolean' ? t(r[d] ? 'yes' : 'no') : r[d]}`).join(' · ');
}

function trace(r) {
  if (Array.isArray(r.cases)) return r.cases.map((c, i) => [i ? ' ' : '', h('a', { href: `#/cases/${api.seg(c)}` }, c)]);
  if (Array.isArray(r.alerts)) return r.alerts.map((n, i) => [i ? ' ' : '', h('a', { href: `#/alerts/${n}` }, `#${n}`)]);
  if (Array.isArray(r.messages)) return r.messages.map((n) => `#${n}`).join(' ');
  return '';
}

export function reportView(main, params, ctx) {
  if (!period) period = thisQuarter();
  const out = h('div', { id: 'report-body', 'aria-live': 'polite' });
  const from = h('input', { id: 'from', name: 'from', type: 'date', value: period.from, required: true });
  const until = h('input', { id: 'until', name: 'until', type: 'date', value: period.until, required: true });
  const area = h('input', { id: 'area', name: 'area', value: period.area || '', placeholder: 'Ulaanbaatar' });
  const form = h('form', { class: 'inline', id: 'report-form' },
    h('span', {}, h('label', { for: 'from' }, t('report.from')), from),
    h('span', {}, h('label', { for: 'until' }, t('report.until')), until),
    ctx.session.role === 'viewer' ? null : h('span', {}, h('label', { for: 'area' }, t('report.area')), area),
    h('button', { type: 'submit' }, t('report.show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    period = { from: from.value, until: until.value, area: area.value.trim() };
    load();
  });
  fill(main, h('h1', {}, t('report.title')), h('p', { class: 'lead' }, t(ctx.session.role === 'viewer' ? 'report.lead.viewer' : 'report.lead')), form, out);
  const viewer = ctx.session.role === 'viewer';
  async function load() {
    fill(out, h('p', { class: 'empty' }, t('loading')));
    try {
      const d = await api.get(api.withQuery('report', { from: period.from, until: period.until, area: period.area }));
      const rows = d.rows || [];
      const byIndicator = new Map();
      for (const r of rows) {
        if (!byIndicator.has(r.indicator)) byIndicator.set(r.indicator, []);
        byIndicator.get(r.indicator).push(r);
      }
      fill(out,
        h('div', { class: 'charts' }, identifiedChart(rows), alertsChart(rows)),
        h('h2', {}, t('report.rows', { n: rows.length })),
        rows.length ? [...byIndicator.entries()].map(([ind, rs]) => h('details', { class: 'indicator', open: byIndicator.size <= 4 || ind === 'identified' },
          h('summary', {}, label('ind', ind), ' ', h('span', { class: 'count' }, `(${rs.length})`)),
          h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label('ind', ind) },
            h('table', { class: 'report-rows' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('report.details')), h('th', { scope: 'col', class: 'num' }, t('report.value')),
                viewer ? null : h('th', { scope: 'col' }, t('report.trace')))),
              h('tbody', {}, rs.map((r) => h('tr', { 'data-row': r.id || '' },
                h('td', { 'data-label': t('report.details') }, details(r) || '—'),
                h('td', { class: 'num', 'data-label': t('report.value') }, String(r.value)),
                viewer ? null : h('td', { 'data-label': t('report.trace') }, trace(r))))))))) : h('p', { class: 'empty' }, t('report.none')));
    } catch (e) {
      fill(out, errorBox(e));
    }
  }
  load();
}
