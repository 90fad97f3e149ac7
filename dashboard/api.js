// The dashboard's side of /api/v1 (docs/api.md). The token is sent once, in the body of POST
// /api/v1/session, and forgotten: the session cookie (HttpOnly, SameSite=Strict) carries the
// session after that, and the CSRF value kept here in memory goes with every write.

let csrf = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.next = (body && body.next) || '';
  }
}

// Called when an answer says the session is gone (401): back to the sign-in form.
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

async function call(method, path, body, signal) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: text.slice(0, 200) };
  }
  if (!res.ok) {
    if (res.status === 401 && path !== 'session') {
      csrf = null;
      onSignedOut();
    }
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path, signal) => call('GET', path, undefined, signal);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

// path?key=value&... from an object, leaving out empty values.
export function withQuery(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

// The session: {label, role, team, areas, csrf}, or null when there is none.
export async function currentSession() {
  try {
    const s = await call('GET', 'session');
    csrf = s.csrf || null;
    return s;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(token) {
  const s = await call('POST', 'session', { token });
  csrf = s.csrf || null;
  return s;
}

export async function signOut() {
  try {
    await call('DELETE', 'session');
  } finally {
    csrf = null;
  }
}

// A path segment, escaped ("/cases/" + seg(code)).
export const seg = (v) => encodeURIComponent(String(v));
