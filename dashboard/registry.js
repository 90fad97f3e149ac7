// The registry: sites, teams, coordinators and reporters as the store holds them now; admin and
// coordinator tokens may add and change them (the change works at once, without a restart).
import * as api from './api.js';
import { h, fill, table, plain } from './dom.js';
import { t, label } from './i18n.js';
import { errorBox } from './alerts.js';

const LANGS = ['mn', 'en'];
// What each list is keyed by and the form's fields: [name, kind, options].
const KINDS = {
  sites: {
    key: 'code',
    fields: [['code', 'text'], ['name', 'text'], ['kind', 'select', ['mine', 'market', 'dumpsite', 'brickyard', 'other']], ['area', 'text']],
    columns: ['code', 'name', 'kind', 'area', 'active', 'origin'],
  },
  teams: {
    key: 'name',
    fields: [['name', 'text'], ['areas', 'list'], ['sensitive_cases', 'check'], ['members', 'members']],
    columns: ['name', 'areas', 'sensitive_cases', 'members', 'origin'],
  },
  coordinators: {
    key: 'phone',
    fields: [['phone', 'tel'], ['name', 'text'], ['lang', 'select', LANGS]],
    columns: ['phone', 'name', 'lang', 'origin'],
  },
  reporters: {
    key: 'phone',
    fields: [['phone', 'tel'], ['name', 'text'], ['sites', 'list'], ['lang', 'select', LANGS], ['kind', 'select', ['volunteer', 'teacher', 'parent', 'worker', 'other']]],
    columns: ['phone', 'name', 'sites', 'lang', 'kind', 'active', 'origin'],
  },
};

// Team members as text lines: "phone, name, role, lang".
const membersText = (ms) => (ms || []).map((m) => [m.phone, m.name, m.role, m.lang].join(', ')).join('\n');
function membersFrom(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [phone, name, role, lang] = l.split(',').map((x) => x.trim());
    const m = { phone, name: name || '' };
    if (role) m.role = role;
    if (lang) m.lang = lang;
    return m;
  });
}

function cell(kind, key) {
  return (r) => {
    const v = r[key];
    if (key === 'members') return (v || []).map((m) => `${m.name || ''} ${m.phone || ''}${m.role === 'leader' ? ` (${label('role', 'leader')})` : ''}`).join('; ');
    if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
    if (key === 'kind' || key === 'lang') return label(key === 'lang' ? 'lang' : `${kind}.kind`, v);
    return plain(v);
  };
}

export function registryView(main, [which], ctx) {
  const kind = which || 'sites';
  const spec = KINDS[kind];
  const formArea = h('div', { id: 'registry-form' });
  const listArea = h('div', { id: 'registry-list' });
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('registry.title') }, h('ul', {}, Object.keys(KINDS).map((k) => h('li', {},
    h('a', { href: `#/registry/${k}`, 'aria-current': k === kind ? 'page' : false }, t(`registry.${k}`))))));
  fill(main, h('h1', {}, t('registry.title')), tabs,
    ctx.writes ? h('p', {}, h('button', { type: 'button', id: 'registry-new', onclick: () => edit(null) }, t(`registry.new.${kind}`))) : h('p', { class: 'help' }, t('registry.readonly')),
    formArea, listArea);

  async function load() {
    try {
      const d = await api.get(kind);
      const rows = d[kind] || [];
      const cols = spec.columns.filter((c) => rows.some((r) => r[c] !== undefined))
        .map((c) => [c, label('col', c), cell(kind, c)]);
      if (ctx.writes) cols.push(['actions', t('registry.actions'), (r) => h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'quiet', onclick: () => edit(r) }, t('registry.edit'), h('span', { class: 'sr-only' }, ` ${r[spec.key]}`)),
        r.active === false ? null : h('button', { type: 'button', class: 'quiet danger', onclick: () => remove(r) }, t('registry.deactivate'), h('span', { class: 'sr-only' }, ` ${r[spec.key]}`)))]);
      fill(listArea, rows.length ? table(t(`registry.${kind}`), cols, rows, { class: 'registry' }) : h('p', { class: 'empty' }, t('none')));
    } catch (e) {
      fill(listArea, errorBox(e));
    }
  }

  function edit(record) {
    const inputs = {};
    const error = h('p', { class: 'error', role: 'alert' });
    const fields = spec.fields.map(([name, type, options]) => {
      const id = `f-${name}`;
      const v = record ? record[name] : undefined;
      let input;
      if (type === 'select') input = h('select', { id, name }, options.map((o) => h('option', { value: o, selected: v === o }, label(name === 'lang' ? 'lang' : `${kind}.kind`, o))));
      else if (type === 'check') input = h('input', { id, name, type: 'checkbox', checked: Boolean(v) });
      else if (type === 'members') input = h('textarea', { id, name, rows: 4, 'aria-describedby': `${id}-help` }, membersText(v));
      else input = h('input', { id, name, type: type === 'tel' ? 'tel' : 'text', value: type === 'list' ? (v || []).join(', ') : v ?? '', 'aria-describedby': type === 'list' ? `${id}-help` : null });
      if (record && name === spec.key) input.readOnly = true;
      inputs[name] = [input, type];
      return h('div', { class: `field field-${type}` },
        h('label', { for: id }, label('col', name)), input,
        type === 'list' ? h('p', { class: 'help', id: `${id}-help` }, t('registry.list.help')) : null,
        type === 'members' ? h('p', { class: 'help', id: `${id}-help` }, t('registry.members.help')) : null);
    });
    const form = h('form', { class: 'record-form', 'aria-labelledby': 'form-title' },
      h('h2', { id: 'form-title' }, record ? t('registry.editing', { what: record[spec.key] }) : t(`registry.new.${kind}`)),
      fields,
      h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('registry.save')), h('button', { type: 'button', class: 'quiet', onclick: () => fill(formArea) }, t('registry.cancel'))),
      error);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {};
      for (const [name, [input, type]] of Object.entries(inputs)) {
        if (type === 'check') body[name] = input.checked;
        else if (type === 'list') body[name] = input.value.split(',').map((x) => x.trim()).filter(Boolean);
        else if (type === 'members') body[name] = membersFrom(input.value);
        else body[name] = input.value.trim();
      }
      try {
        if (record) await api.put(`${kind}/${api.seg(record[spec.key])}`, body);
        else await api.post(kind, body);
        fill(formArea, h('p', { class: 'ok', role: 'status' }, t('registry.saved')));
        load();
      } catch (e) {
        fill(error, e.message, e.next ? ` ${e.next}` : '');
      }
    });
    fill(formArea, form);
    form.querySelector('input:not([readonly]), select, textarea').focus();
  }

  async function remove(record) {
    if (!window.confirm(t('registry.confirm', { what: record[spec.key] }))) return;
    try {
      await api.del(`${kind}/${api.seg(record[spec.key])}`);
      fill(formArea, h('p', { class: 'ok', role: 'status' }, t('registry.deactivated')));
      load();
    } catch (e) {
      fill(formArea, errorBox(e));
    }
  }

  load();
}
