// The page's language: English or Mongolian (Cyrillic), switchable, remembered in localStorage.
import en from './texts-en.js';
import mn from './texts-mn.js';

const TEXTS = { en, mn };
const KEY = 'kharuul.lang';
const listeners = new Set();

function initial() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && TEXTS[saved]) return saved;
  } catch {
    // storage refused (private mode): the browser's language decides
  }
  return (navigator.language || '').toLowerCase().startsWith('mn') ? 'mn' : 'en';
}

let current = initial();

export const languages = Object.keys(TEXTS);
export const lang = () => current;

export function setLang(l) {
  if (!TEXTS[l] || l === current) return;
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    // not remembered; still switched
  }
  document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

export function onLang(fn) {
  listeners.add(fn);
}

// The text for `key` in the current language ({name} replaced from `vars`); English when the
// Mongolian is missing, the key itself when both are.
export function t(key, vars) {
  let text = TEXTS[current][key] ?? en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

// A code's label (indicator, state, form ...) under a prefix: t('state.open'), else the code.
export function label(prefix, code) {
  if (code === null || code === undefined || code === '') return '';
  const key = `${prefix}.${code}`;
  const text = TEXTS[current][key] ?? en[key];
  return text ?? String(code);
}

document.documentElement.lang = current;
