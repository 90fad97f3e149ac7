// The dashboard's shell: sign-in, the navigation (the page's hash, "#/log", "#/cases/100009";
// never the token), the language switch, and which pages a role sees (docs/dashboard.md).
import * as api from './api.js';
import { h, fill } from './dom.js';
import { t, lang, setLang, onLang, languages } from './i18n.js';
import * as live from './live.js';
import { logView } from './log.js';
import { alertsView, alertView } from './alerts.js';
import { casesView, caseView } from './cases.js';
import { reportView } from './report.js';
import { registryView } from './registry.js';

const RECORDS = ['admin', 'coordinator', 'team'];
const EVERYONE = ['admin', 'coordinator', 'team', 'viewer'];

// Pages: the hash pattern, the roles that see them, the nav entry they belong to.
const PAGES = [
  { nav: 'log', re: /^\/log$/, roles: RECORDS, view: logView },
  { nav: 'alerts', re: /^\/alerts$/, roles: RECORDS, view: alertsView },
  { nav: 'alerts', re: /^\/alerts\/(\d+)$/, roles: RECORDS, view: alertView },
  { nav: 'cases', re: /^\/cases$/, roles: RECORDS, view: casesView },
  { nav: 'cases', re: /^\/cases\/([^/]+)$/, roles: RECORDS, view: caseView },
  { nav: 'report', re: /^\/report$/, roles: EVERYONE, view: reportView },
  { nav: 'registry', re: /^\/registry(?:\/(sites|teams|coordinators|reporters))?$/, roles: RECORDS, view: registryView },
];
const NAV = ['log', 'alerts', 'cases', 'report', 'registry'];

const main = document.getElementById('main');
let session = null;
let cleanup = null;

const homeOf = (s) => (s && RECORDS.includes(s.role) ? '#/log' : '#/report');

function renderChrome() {
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('brand-sub').textContent = t('brand');
  fill(document.getElementById('langs'),
    languages.map((l) => h('button', {
      type: 'button', class: 'lang', lang: l, 'aria-pressed': String(l === lang()), 'data-lang': l,
      onclick: () => setLang(l),
    }, t(`lang.${l}`))));
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const out = document.getElementById('signout');
  out.textContent = t('signout');
  if (!session) {
    nav.hidden = true;
    who.hidden = true;
    out.hidden = true;
    return;
  }
  const current = currentPage();
  fill(nav, h('ul', {}, NAV.filter((n) => PAGES.some((p) => p.nav === n && p.roles.includes(session.role)))
    .map((n) => h('li', {}, h('a', {
      href: `#/${n}`, 'data-nav': n, 'aria-current': current && current.page.nav === n ? 'page' : false,
    }, t(`nav.${n}`))))));
  nav.hidden = false;
  fill(who, session.label, ' · ', t(`role.${session.role}`), session.team ? ` · ${session.team}` : '');
  who.hidden = false;
  out.hidden = false;
}

function currentPage() {
  const path = location.hash.startsWith('#/') ? location.hash.slice(1) : '';
  for (const page of PAGES) {
    const m = path.match(page.re);
    if (m) return { page, params: m.slice(1).map((x) => (x === undefined ? x : decodeURIComponent(x))) };
  }
  return null;
}

function stopView() {
  if (cleanup) cleanup();
  cleanup = null;
}

function route() {
  if (location.hash && !location.hash.startsWith('#/')) return; // an in-page link such as #main
  stopView();
  if (!session) {
    renderChrome();
    return showSignIn();
  }
  const found = currentPage();
  if (!found || !found.page.roles.includes(session.role)) {
    location.replace(homeOf(session));
    return;
  }
  renderChrome();
  main.replaceChildren();
  const ctx = { session, writes: session.role === 'admin' || session.role === 'coordinator' };
  cleanup = found.page.view(main, found.params, ctx) || null;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    document.title = `${heading.textContent} · kharuul`;
    if (document.activeElement !== document.body && !main.contains(document.activeElement)) heading.focus();
  }
}

function showSignIn(message) {
  document.title = `${t('signin.title')} · kharuul`;
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message || '');
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-help signin-error',
  });
  const button = h('button', { type: 'submit' }, t('signin.submit'));
  const form = h('form', { class: 'signin', id: 'signin', novalidate: true },
    h('h1', {}, t('signin.title')),
    h('label', { for: 'token' }, t('signin.token')),
    input,
    h('p', { class: 'help', id: 'token-help' }, t('signin.help')),
    button,
    error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = t('signin.empty');
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      session = await api.signIn(token);
      input.value = '';
      startSession();
    } catch (e) {
      error.textContent = e.status === 401 ? t('signin.refused') : e.status === 429 ? t('signin.slow') : `${t('error')}: ${e.message}`;
      input.select();
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  fill(main, form);
  input.focus();
}

function startSession() {
  if (RECORDS.includes(session.role)) live.start();
  if (!currentPage() && location.hash !== homeOf(session)) {
    location.replace(homeOf(session)); // the hashchange routes
    return;
  }
  route();
}

function signedOut(message) {
  live.stop();
  stopView();
  session = null;
  renderChrome();
  showSignIn(message);
}

api.whenSignedOut(() => signedOut(t('signin.expired')));

document.getElementById('signout').addEventListener('click', async () => {
  try {
    await api.signOut();
  } catch {
    // the cookie is cleared or will expire; the page forgets the session either way
  }
  signedOut();
  history.replaceState(null, '', location.pathname);
});

// The skip link moves the focus without changing the page's hash (the hash is the navigation).
document.getElementById('skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', route);
onLang(() => route());

(async () => {
  renderChrome();
  try {
    session = await api.currentSession();
  } catch (e) {
    session = null;
    renderChrome();
    return showSignIn(`${t('error')}: ${e.message}`);
  }
  if (session) startSession();
  else route();
})();
