// The live message log: a long poll of GET /api/v1/messages?after=ID&wait=25 in a loop (the
// server answers as soon as a message is stored, or with [] after 25 s), with back-off on errors.
// Keeps the newest messages, newest first, for the log page; other pages listen to refresh what a
// new message may have changed (an alert acknowledged by an ACK, a case tracked by a TR).
import * as api from './api.js';
import { t, onLang } from './i18n.js';

const KEEP = 1000;
const WAIT_SECONDS = 25;
const listeners = new Set();
let recent = [];
let lastId = null;
let older = null; // the `before` cursor of the page before the oldest shown; null: none
let running = false;
let abort = null;
let generation = 0;

export const messages = () => recent;

// fn(newRows) after new messages arrived (newest first). Returns the unsubscribe function.
export function listen(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

let shown = null; // the status line's text key and values, to say it again in another language

onLang(() => {
  if (shown) status(t(shown[0], shown[1]), shown[2], shown);
});

function status(text, state, key = null) {
  shown = key;
  const el = document.getElementById('live');
  el.hidden = !text;
  el.textContent = text || '';
  el.dataset.state = state || '';
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

function add(rows) {
  const fresh = rows.filter((m) => lastId === null || m.id > lastId).sort((a, b) => b.id - a.id);
  if (!fresh.length) return;
  lastId = Math.max(lastId ?? 0, fresh[0].id);
  recent = fresh.concat(recent).slice(0, KEEP);
  for (const fn of listeners) fn(fresh);
}

async function loop(mine) {
  let delay = 1000;
  while (running && mine === generation) {
    try {
      if (lastId === null) {
        const first = await api.get('messages?limit=50', abort.signal);
        recent = [];
        const rows = first.messages || [];
        lastId = rows.reduce((m, r) => Math.max(m, r.id), 0);
        older = first.next ?? null;
        recent = rows.slice().sort((a, b) => b.id - a.id);
        for (const fn of listeners) fn([]);
      }
      status(t('live.on'), 'on', ['live.on', {}, 'on']);
      const next = await api.get(`messages?after=${lastId}&wait=${WAIT_SECONDS}`, abort.signal);
      add(next.messages || []);
      delay = 1000;
    } catch (e) {
      if (!running || mine !== generation || e.name === 'AbortError') return;
      if (e.status === 401 || e.status === 403) return status('', '');
      const seconds = { seconds: Math.round(delay / 1000) };
      status(t('live.retry', seconds), 'retry', ['live.retry', seconds, 'retry']);
      await sleep(delay, abort.signal);
      delay = Math.min(delay * 2, 30000);
    }
  }
}

export const hasOlder = () => older !== null;

// The page of messages before the oldest shown, added at the end; false when there is none.
export async function loadOlder() {
  if (older === null) return false;
  const page = await api.get(`messages?limit=50&before=${encodeURIComponent(older)}`);
  const known = new Set(recent.map((m) => m.id));
  recent = recent.concat((page.messages || []).filter((m) => !known.has(m.id))).slice(0, KEEP);
  older = recent.length >= KEEP ? null : page.next ?? null;
  for (const fn of listeners) fn([]);
  return true;
}

export function start() {
  if (running) return;
  running = true;
  generation += 1;
  abort = new AbortController();
  loop(generation);
}

export function stop() {
  running = false;
  generation += 1;
  if (abort) abort.abort();
  recent = [];
  lastId = null;
  older = null;
  status('', '');
}
