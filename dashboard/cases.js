// Overdue cases per team and site, every open case on request, and one case: what was reported,
// its state, its service record and its history.
import * as api from './api.js';
import { h, fill, timeEl, table, keysOf, plain } from './dom.js';
import { t, label } from './i18n.js';
import { errorBox, fact } from './alerts.js';

let showAll = false; // remembered while the page is open

function caseColumns() {
  return [
    ['code', t('case.code'), (c) => h('a', { href: `#/cases/${api.seg(c.code)}`, class: 'case-link' }, c.code)],
    ['sex', t('case.child'), (c) => child(c)],
    ['work', t('case.work'), (c) => plain([c.work || c.risk_reason, ...(c.hazards || [])].filter(Boolean))],
    ['state', t('case.state'), (c) => h('span', { class: `badge cstate-${c.state}` }, label('cstate', c.state))],
    ['opened_at', t('case.opened'), (c) => timeEl(c.opened_at)],
    ['last_tracked_at', t('case.tracked'), (c) => timeEl(c.last_tracked_at) || t('case.never')],
  ];
}

function child(c) {
  const ages = c.age_min === null || c.age_min === undefined ? ''
    : c.age_min === c.age_max ? ` ~${c.age_min}` : ` ${c.age_min}-${c.age_max}`;
  return label('sex', c.sex) + ages;
}

// {team: {site: [cases]}}, teams and sites sorted, the cases without a team last.
function grouped(rows) {
  const byTeam = new Map();
  for (const c of rows) {
    const team = c.team || '';
    if (!byTeam.has(team)) byTeam.set(team, new Map());
    const sites = byTeam.get(team);
    const site = c.site || '';
    if (!sites.has(site)) sites.set(site, []);
    sites.get(site).push(c);
  }
  const teams = [...byTeam.keys()].sort((a, b) => (a === '') - (b === '') || a.localeCompare(b));
  return teams.map((team) => [team, [...byTeam.get(team).entries()].sort(([a], [b]) => a.localeCompare(b))]);
}

export function casesView(main) {
  const list = h('div', { id: 'case-groups' });
  const codeInput = h('input', { id: 'case-code', name: 'code', autocomplete: 'off', spellcheck: 'false', required: true });
  const find = h('form', { class: 'inline', role: 'search', 'aria-label': t('cases.find') },
    h('label', { for: 'case-code' }, t('cases.find')), codeInput, h('button', { type: 'submit' }, t('cases.open')));
  find.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = codeInput.value.trim();
    if (code) location.hash = `#/cases/${api.seg(code)}`;
  });
  const toggle = h('div', { class: 'toggle', role: 'group', 'aria-label': t('cases.which') },
    h('button', { type: 'button', 'aria-pressed': String(!showAll), onclick: () => { showAll = false; casesView(main); } }, t('cases.overdue')),
    h('button', { type: 'button', 'aria-pressed': String(showAll), onclick: () => { showAll = true; casesView(main); } }, t('cases.all')));
  fill(main, h('h1', {}, t(showAll ? 'cases.title.all' : 'cases.title')), h('p', { class: 'lead' }, t(showAll ? 'cases.lead.all' : 'cases.lead')), find, toggle, list);
  (async () => {
    try {
      const d = await api.get(showAll ? 'cases?limit=1000' : 'cases?overdue=true&limit=1000');
      const rows = d.cases || [];
      if (!rows.length) return fill(list, h('p', { class: 'empty' }, t(showAll ? 'cases.none.all' : 'cases.none')));
      fill(list, h('p', {}, t('cases.count', { n: rows.length })), grouped(rows).map(([team, sites]) => h('section', { class: 'team-group' },
        h('h2', {}, team || t('cases.noteam'), ' ', h('span', { class: 'count' }, `(${sites.reduce((n, [, cs]) => n + cs.length, 0)})`)),
        sites.map(([site, cs]) => table(`${site}${cs[0].area ? ` · ${cs[0].area}` : ''} (${cs.length})`, caseColumns(), cs, { class: 'cases' })))));
    } catch (e) {
      fill(list, errorBox(e));
    }
  })();
}

function records(title, rows) {
  if (!rows || !rows.length) return h('p', { class: 'empty' }, t('none'));
  const cols = keysOf(rows).map((k) => [k, label('col', k), k.endsWith('_at') || k === 'at' ? (r) => timeEl(r[k]) : undefined]);
  return table(title, cols, rows);
}

export function caseView(main, [code]) {
  const body = h('div', {});
  fill(main, h('p', { class: 'back' }, h('a', { href: '#/cases' }, t('cases.back'))), h('h1', {}, t('case.title', { code })), body);
  (async () => {
    try {
      const d = await api.get(`cases/${api.seg(code)}`);
      const c = d.case || {};
      fill(body,
        h('dl', { class: 'facts', id: 'case-facts' },
          fact(t('case.state'), h('span', { class: `badge cstate-${c.state}` }, label('cstate', c.state))),
          fact(t('case.child'), child(c)),
          fact(t('case.work'), plain([c.work || c.risk_reason, ...(c.hazards || [])].filter(Boolean))),
          fact(t('case.site'), [c.site, c.area ? ` (${c.area})` : '']),
          fact(t('case.team'), c.team),
          fact(t('case.target'), [label('target', c.target), c.category ? ` (${c.category})` : '']),
          fact(t('case.work_status'), label('wstatus', c.work_status)),
          fact(t('case.school_status'), label('sstatus', c.school_status)),
          fact(t('case.outcome'), c.outcome ? [c.outcome, ' ', timeEl(c.outcome_at)] : t('case.nooutcome')),
          fact(t('case.opened'), [timeEl(c.opened_at), c.opened_by ? ` · ${c.opened_by}` : '']),
          fact(t('case.tracked'), c.last_tracked_at ? [timeEl(c.last_tracked_at), c.last_status ? ` (${c.last_status})` : ''] : t('case.never')),
          c.sensitive ? fact(t('case.sensitive'), t('yes')) : null),
        h('h2', {}, t('case.services')), records(t('case.services'), d.services),
        h('h2', {}, t('case.history')), records(t('case.history'), d.history));
    } catch (e) {
      fill(body, errorBox(e));
    }
  })();
}
