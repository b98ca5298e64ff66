// Small helpers shared by every page. Data from the API is untrusted: it only ever
// reaches the page as text nodes or attribute values, never as HTML.

/** Creates an element: attrs are set as properties or attributes, children as nodes or text. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A bearer token for servers started with one: taken once from `#token=...` (never sent in a URL), kept for the tab. */
function token() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('tracepipe.token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('tracepipe.token');
}
const TOKEN = token();

function headers(extra = {}) {
  return TOKEN ? { ...extra, Authorization: `Bearer ${TOKEN}` } : extra;
}

/** An API failure with the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(res) {
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

export async function getJson(path) {
  return answer(await fetch(path, { headers: headers({ Accept: 'application/json' }) }));
}

export async function postJson(path, body) {
  return answer(await fetch(path, { method: 'POST', headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }), body: JSON.stringify(body) }));
}

/** Shows an artifact image; with a token the bytes are fetched with it (an <img> cannot send headers). */
export function artifactImage(url, alt, attrs = {}) {
  const img = h('img', { alt, loading: 'lazy', decoding: 'async', ...attrs });
  if (!TOKEN) img.src = url;
  else
    fetch(url, { headers: headers() })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
      .then((b) => (img.src = URL.createObjectURL(b)))
      .catch(() => (img.alt = `${alt} (could not load)`));
  return img;
}

/** The query parameter of the current page URL. */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** A link to a page of this app with query parameters (values are encoded). */
export function href(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function badge(text, kind = text) {
  return h('span', { class: `badge s-${String(kind).replace(/[^A-Za-z0-9_-]/g, '')}`, text });
}

/** A labelled progress bar; fraction 0..1. */
export function progressBar(fraction, label) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  return h('progress', { max: 100, value: pct, 'aria-label': label, title: `${pct}%` });
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatUsd(usd) {
  if (!usd) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTime(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function tookOf(run) {
  if (!run.endedAt) return run.status === 'running' ? 'running' : '-';
  return formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt));
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** Replaces the page body with an error a person can act on. */
export function showError(root, err, what) {
  fill(root, h('div', { class: 'error', role: 'alert' }, h('strong', { text: `Could not load ${what}: ` }), err?.message ?? String(err)));
}

/** Sets the page title and the main heading. */
export function title(text) {
  document.title = `${text} · tracepipe`;
}

/** A short label for a timeline step: kind, target and text. */
export function stepLabel(step) {
  const t = step.target;
  const target = t ? t.name ?? t.field ?? t.text ?? t.selector ?? t.role ?? t.tag ?? '' : '';
  const parts = [step.kind];
  if (target) parts.push(String(target).slice(0, 60));
  if (step.text) parts.push(`"${String(step.text).slice(0, 80)}"`);
  if (step.keys) parts.push(step.keys.join('+'));
  return parts.join(' ');
}
