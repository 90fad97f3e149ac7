// Open and escalated alerts, the recently acknowledged ones, and one alert with its history.
import * as api from './api.js';
import { h, fill, timeEl, table, keysOf, plain } from './dom.js';
import { t, label } from './i18n.js';
import * as live from './live.js';

export function caseLinks(codes) {
  return (codes || []).map((c, i) => [i ? ' ' : '', h('a', { href: `#/cases/${api.seg(c)}`, class: 'case-link' }, c)]);
}

export function children(a) {
  const parts = [];
  if (a.boys) parts.push(t('alert.boys', { n: a.boys }));
  if (a.girls) parts.push(t('alert.girls', { n: a.girls }));
  if (a.unknown) parts.push(t('alert.unknown', { n: a.unknown }));
  const ages = a.age_min === null || a.age_min === undefined ? ''
    : a.age_min === a.age_max ? ` ~${a.age_min}` : ` ${a.age_min}-${a.age_max}`;
  return parts.join(', ') + ages;
}

function alertColumns() {
  return [
    ['id', t('alert.id'), (a) => h('a', { href: `#/alerts/${a.id}`, class: 'alert-link' }, `#${a.id}`)],
    ['created_at', t('alert.created'), (a) => timeEl(a.created_at)],
    ['site', t('alert.site')],
    ['kind', t('alert.kind'), (a) => [label('kind', a.kind), a.urgent ? h('span', { class: 'badge urgent' }, t('alert.urgent')) : '']],
    ['children', t('alert.children'), children],
    ['work', t('alert.work'), (a) => plain([a.work, ...(a.hazards || [])].filter(Boolean))],
    ['case_codes', t('alert.cases'), (a) => caseLinks(a.case_codes)],
    ['state', t('alert.state'), (a) => h('span', { class: `badge state-${a.state}` }, label('state', a.state))],
    ['level', t('alert.level')],
    ['acked', t('alert.acked'), (a) => (a.acked_at ? [timeEl(a.acked_at), ' ', a.acked_by || ''] : '')],
  ];
}

// Refreshes `load` when new messages arrive (an ACK changes an alert), at most once a second.
function refreshOnMessages(load) {
  let timer = null;
  const stopListening = live.listen((fresh) => {
    if (!fresh.length || timer) return;
    timer = setTimeout(() => { timer = null; load(); }, 700);
  });
  return () => { stopListening(); clearTimeout(timer); };
}

export function errorBox(e) {
  if (e.status === 404) return h('p', { class: 'error', role: 'alert' }, t('error.notfound'));
  if (e.status === 403) return h('p', { class: 'error', role: 'alert' }, t('error.forbidden'));
  return h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${e.message}`, e.next ? ` ${e.next}` : '');
}

export function alertsView(main) {
  const escalated = h('section', { 'aria-labelledby': 'h-escalated' });
  const open = h('section', { 'aria-labelledby': 'h-open' });
  const acked = h('section', { 'aria-labelledby': 'h-acked' });
  fill(main, h('h1', {}, t('alerts.title')), escalated, open, acked);
  const section = (el, id, title, rows, none) => fill(el, h('h2', { id }, title),
    rows.length ? table(title, alertColumns(), rows, { class: 'alerts' }) : h('p', { class: 'empty' }, none));
  const load = async () => {
    try {
      const [o, a] = await Promise.all([
        api.get('alerts?state=open&limit=200'),
        api.get('alerts?state=acknowledged&limit=20'),
      ]);
      const rows = o.alerts || [];
      section(escalated, 'h-escalated', t('alerts.escalated'), rows.filter((x) => x.level > 0), t('alerts.none'));
      section(open, 'h-open', t('alerts.open'), rows.filter((x) => !(x.level > 0)), t('alerts.none'));
      section(acked, 'h-acked', t('alerts.acked'), a.alerts || [], t('alerts.none'));
    } catch (e) {
      fill(open, errorBox(e));
    }
  };
  load();
  return refreshOnMessages(load);
}

// Rows as the API gives them; `only` picks and orders the columns when given.
function historyTable(title, rows, only) {
  if (!rows || !rows.length) return h('p', { class: 'empty' }, t('none'));
  const keys = only ? only.filter((k) => rows.some((r) => k in r)) : keysOf(rows);
  const cols = keys.map((k) => [k, label('col', k), k.endsWith('_at') || k === 'at' ? (r) => timeEl(r[k]) : undefined]);
  return table(title, cols, rows);
}

// The outbox rows of an alert: what a coordinator needs of them, the provider's details left out.
const OUTBOX_COLUMNS = ['id', 'recipient', 'text', 'state', 'attempts', 'sent_at', 'delivered_at', 'last_error'];

export function alertView(main, [n]) {
  const body = h('div', {});
  fill(main, h('p', { class: 'back' }, h('a', { href: '#/alerts' }, t('alerts.back'))), h('h1', {}, t('alert.title', { n })), body);
  const load = async () => {
    try {
      const d = await api.get(`alerts/${api.seg(n)}`);
      const a = d.alert || {};
      fill(body,
        h('dl', { class: 'facts', id: 'alert-facts' },
          fact(t('alert.state'), h('span', { class: `badge state-${a.state}`, id: 'alert-state' }, label('state', a.state))),
          fact(t('alert.kind'), [label('kind', a.kind), a.urgent ? [' ', h('span', { class: 'badge urgent' }, t('alert.urgent'))] : '']),
          fact(t('alert.site'), a.site),
          fact(t('alert.children'), children(a)),
          fact(t('alert.work'), plain([a.work, ...(a.hazards || [])].filter(Boolean))),
          fact(t('alert.cases'), caseLinks(a.case_codes)),
          fact(t('alert.created'), timeEl(a.created_at)),
          fact(t('alert.level'), plain(a.level)),
          a.acked_at ? fact(t('alert.acked'), [timeEl(a.acked_at), ' ', a.acked_by || '']) : null,
          a.next_escalation_at ? fact(t('alert.next'), timeEl(a.next_escalation_at)) : null),
        h('h2', {}, t('alert.recipients')), historyTable(t('alert.recipients'), d.recipients),
        h('h2', {}, t('alert.history')), historyTable(t('alert.history'), d.history),
        h('h2', {}, t('alert.outbox')), historyTable(t('alert.outbox'), d.outbox, OUTBOX_COLUMNS));
    } catch (e) {
      fill(body, errorBox(e));
    }
  };
  load();
  return refreshOnMessages(load);
}

export function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value === '' || value === null || value === undefined ? '—' : value)];
}
