// Small DOM helpers. Every text goes in as a text node, never parsed as HTML: anyone who can text the
// gateway writes into what this page shows.
import { t } from './i18n.js';

// h('a', {href: '#/log', class: 'x'}, 'text', child...): an element. Attributes: `class`, `for`,
// data-*, aria-*; `on<event>` takes a function; `hidden`/`disabled`/`checked` booleans.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// The same for SVG elements (the charts).
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el && el.namespaceURI !== SVG_NS) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces the children of `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// An ISO 8601 UTC time as the browser's local "YYYY-MM-DD HH:MM".
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A <time> element for an ISO time.
export function timeEl(iso) {
  return iso ? h('time', { datetime: iso }, when(iso)) : '';
}

// A JSON value as short text: lists space-separated, null empty, booleans as yes or no.
export function plain(v, yes = t('yes'), no = t('no')) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => plain(x, yes, no)).join(' ');
  if (typeof v === 'boolean') return v ? yes : no;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// A table with a caption, a header of `columns` ([key, label] or [key, label, cell(row)]), one
// row per object. Wrapped for horizontal scrolling on a phone.
export function table(caption, columns, rows, attrs = {}) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', attrs,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map(([, label]) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, rows.map((r) => row(columns, r)))));
}

export function row(columns, r) {
  return h('tr', {}, columns.map(([key, lbl, cell]) => h('td', { 'data-col': key, 'data-label': lbl }, cell ? cell(r) : plain(r[key]))));
}

// The column keys of a list of objects, in first-seen order: for records whose shape is the
// API's (history and service rows are shown as they come).
export function keysOf(rows) {
  const keys = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return keys;
}
