// The live message log: the newest messages first; new ones appear at the top without a reload.
import { h, fill, timeEl, row } from './dom.js';
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

export function logView(main) {
  const cols = columns();
  const body = h('tbody', { id: 'log-rows' });
  const empty = h('p', { class: 'empty' }, t('log.empty'));
  const tableEl = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('log.title') },
    h('table', { class: 'log' },
      h('caption', { class: 'sr-only' }, t('log.title')),
      h('thead', {}, h('tr', {}, cols.map(([, l]) => h('th', { scope: 'col' }, l)))),
      body));
  const paint = () => {
    const rows = live.messages();
    fill(body, rows.map((m) => withId(row(cols, m), m)));
    empty.hidden = rows.length > 0;
  };
  fill(main, h('h1', {}, t('log.title')), h('p', { class: 'lead' }, t('log.lead')), empty, tableEl);
  paint();
  return live.listen((fresh) => {
    if (!fresh.length) return paint();
    // New rows go on top; the rest of the table stays as it is (no flicker, focus kept).
    for (const m of fresh.slice().reverse()) {
      const tr = withId(row(cols, m), m);
      tr.classList.add('fresh');
      body.prepend(tr);
    }
    while (body.children.length > 200) body.lastElementChild.remove();
    empty.hidden = true;
  });
}

function withId(tr, m) {
  tr.dataset.id = String(m.id);
  return tr;
}
