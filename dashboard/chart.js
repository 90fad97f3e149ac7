// Horizontal bar charts in plain SVG (a row per category, stacked or grouped parts), drawn here:
// no library, nothing fetched. Colours come from style.css (classes), so the page's CSP holds.
import { h, s } from './dom.js';

const WIDTH = 420;
const LABEL = 130;
const ROW = 26;
const TOP = 8;
const AXIS = 22;

const num = (v) => (typeof v === 'number' ? v : 0);

// A bar chart in a <figure>: `rows` = [{label, parts: [{series, value}]}], `series` =
// [{key, label}], `stacked` (parts end to end) or grouped (one thin bar per series).
// A value that is not a number (a viewer's "<3") is drawn as a short pale stub and labelled.
export function barChart({ id, title, rows, series, stacked = true, note }) {
  const bars = stacked ? 1 : series.length;
  const rowHeight = stacked ? ROW : Math.max(ROW, bars * 10 + 8);
  const height = TOP + rows.length * rowHeight + AXIS;
  const totals = rows.map((r) => (stacked ? r.parts.reduce((n, p) => n + num(p.value), 0)
    : Math.max(0, ...r.parts.map((p) => num(p.value)))));
  const max = Math.max(1, ...totals);
  const scale = (v) => (v / max) * (WIDTH - LABEL - 48);
  const stub = 6;
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': `${id}-title`, id,
    preserveAspectRatio: 'xMinYMin meet',
  }, s('title', { id: `${id}-title` }, title));
  rows.forEach((r, i) => {
    const y = TOP + i * rowHeight;
    svg.append(s('text', { x: LABEL - 8, y: y + rowHeight / 2, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, r.label));
    let x = LABEL;
    const thin = stacked ? rowHeight - 10 : 8;
    r.parts.forEach((p) => {
      const k = series.findIndex((se) => se.key === p.series);
      const suppressed = typeof p.value !== 'number';
      const w = suppressed ? stub : scale(p.value);
      const by = stacked ? y + 5 : y + 4 + k * 10;
      const bx = stacked ? x : LABEL;
      if (w > 0) {
        svg.append(s('rect', {
          x: bx, y: by, width: w, height: thin, class: `bar series-${k}${suppressed ? ' suppressed' : ''}`,
          'data-series': p.series, 'data-value': String(p.value),
        }, s('title', {}, `${r.label} · ${series[k] ? series[k].label : p.series}: ${p.value}`)));
      }
      if (stacked) x += w;
      else svg.append(s('text', { x: LABEL + w + 4, y: by + thin / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, String(p.value)));
    });
    if (stacked) {
      const shown = r.parts.some((p) => typeof p.value !== 'number') ? r.parts.map((p) => p.value).join('+') : String(totals[i]);
      svg.append(s('text', { x: x + 4, y: y + rowHeight / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, shown));
    }
  });
  const axisY = TOP + rows.length * rowHeight + 4;
  svg.append(s('line', { x1: LABEL, x2: LABEL, y1: TOP, y2: axisY, class: 'axis' }));
  for (const v of [0, Math.round(max / 2), max]) {
    if (v === Math.round(max / 2) && (v === 0 || v === max)) continue;
    svg.append(s('text', { x: LABEL + scale(v), y: axisY + 12, class: 'chart-tick', 'text-anchor': 'middle' }, String(v)));
  }
  const legend = h('ul', { class: 'legend' }, series.map((se, k) => h('li', {}, h('span', { class: `swatch series-${k}`, 'aria-hidden': 'true' }), se.label)));
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), svg, legend, note ? h('p', { class: 'help' }, note) : null);
}
