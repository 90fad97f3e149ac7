// The live message log: the newest messages first; new ones appear at the top without a reload.
import { h, fill, timeEl, row } from './dom.js';
import { errorBox } from './alerts.js';
import { t, label } from './i18n.js';
import * as live from './live.js';

function columns() {
  return [
    ['id', t('msg.id')],
    ['received_at', t('msg.received'), (m) => timeEl(m.received_at)],
    ['sender', t('msg.sender')],
    ['site', t('msg.site')],
    ['form', t('msg.form')],
    ['status', t('msg.status'), (m) => h('span', { class: `badge status-${m.status}` }, label('status', m.status))],
    ['text', t('msg.text'), (m) => h('span', { class: 'sms', dir: 'auto' }, m.text ?? '')],
    ['reply', t('msg.reply'), (m) => h('span', { class: 'sms', dir: 'auto' }, m.reply ?? '')],
  ].map(([k, l, c]) => [k, l, c]);
}

let filterText = ''; // kept while the page is open

// A message matches the filter when its number, sender, site, form, status, text or reply
// contains it (case-insensitive).
function matches(m) {
  if (!filterText) return true;
  const q = filterText.toLowerCase();
  return [m.id, m.sender, m.site, m.form, m.status, m.text, m.reply]
    .some((v) => v !== null && v !== undefined && String(v).toLowerCase().includes(q));
}

export function logView(main) {
  const cols = columns();
  const body = h('tbody', { id: 'log-rows' });
  const empty = h('p', { class: 'empty' }, t('log.empty'));
  const tableEl = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('log.title') },
    h('table', { class: 'log' },
      h('caption', { class: 'sr-only' }, t('log.title')),
      h('thead', {}, h('tr', {}, cols.map(([, l]) => h('th', { scope: 'col' }, l)))),
      body));
  const filter = h('input', { id: 'log-filter', type: 'search', value: filterText, autocomplete: 'off', 'aria-describedby': 'log-filter-help' });
  filter.addEventListener('input', () => { filterText = filter.value.trim(); paint(); });
  const more = h('button', { type: 'button', class: 'quiet', id: 'log-older' }, t('log.older'));
  const moreError = h('div', {});
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await live.loadOlder();
      fill(moreError);
    } catch (e) {
      fill(moreError, errorBox(e));
    } finally {
      more.disabled = false;
    }
  });
  const paint = () => {
    const rows = live.messages().filter(matches);
    fill(body, rows.map((m) => withId(row(cols, m), m)));
    empty.hidden = rows.length > 0;
    empty.textContent = live.messages().length ? t('log.nomatch') : t('log.empty');
    more.hidden = !live.hasOlder();
  };
  fill(main, h('h1', {}, t('log.title')), h('p', { class: 'lead' }, t('log.lead')),
    h('form', { class: 'inline', role: 'search', onsubmit: (ev) => ev.preventDefault() },
      h('span', {}, h('label', { for: 'log-filter' }, t('log.filter')), filter),
      h('p', { class: 'help', id: 'log-filter-help' }, t('log.filter.help'))),
    empty, tableEl, h('p', {}, more), moreError);
  paint();
  return live.listen((fresh) => {
    if (!fresh.length) return paint();
    // New rows go on top; the rest of the table stays as it is (no flicker, focus kept).
    for (const m of fresh.slice().reverse().filter(matches)) {
      const tr = withId(row(cols, m), m);
      tr.classList.add('fresh');
      body.prepend(tr);
      empty.hidden = true;
    }
    while (body.children.length > 1000) body.lastElementChild.remove();
  });
}

function withId(tr, m) {
  tr.dataset.id = String(m.id);
  return tr;
}
