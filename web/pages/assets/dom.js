// Small helpers shared by every page. Data from the API is untrusted: it only ever
// reaches the page as text nodes or attribute values, never as HTML.
import { formatDuration } from './format.js';

/** @typedef {Node | string | number | boolean | null | undefined} Leaf */
/** @typedef {Leaf | (Leaf | Leaf[])[]} Child */
/** @typedef {Record<string, unknown>} Attrs */

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected']);

/**
 * Creates an element: attrs are set as properties or attributes, children as nodes or text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (PROPERTIES.has(k)) Object.assign(el, { [k]: v });
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replaces an element's children.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A bearer token for servers started with one: taken once from `#token=...` (never sent in a URL), kept for the tab. */
function token() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m?.[1] !== undefined) {
    sessionStorage.setItem('tracepipe.token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('tracepipe.token');
}
const TOKEN = token();

/**
 * @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
function headers(extra = {}) {
  return TOKEN ? { ...extra, Authorization: `Bearer ${TOKEN}` } : extra;
}

/** An API failure with the server's message. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The body of an answer; a failure becomes an ApiError with the server's message.
 * @param {Response} res
 * @returns {Promise<unknown>}
 */
async function answer(res) {
  const text = await res.text();
  /** @type {unknown} */
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(res.status, /** @type {Partial<ErrorResponse> | null} */ (body)?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

/** @typedef {import('../../api/responses.ts').ErrorResponse} ErrorResponse */

/**
 * @param {string} path
 * @returns {Promise<unknown>}
 */
export async function getJson(path) {
  return answer(await fetch(path, { headers: headers({ Accept: 'application/json' }) }));
}

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<unknown>}
 */
export async function postJson(path, body) {
  return answer(
    await fetch(path, { method: 'POST', headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }), body: JSON.stringify(body) }),
  );
}

/**
 * Shows an artifact image; with a token the bytes are fetched with it (an <img> cannot send headers).
 * @param {string} url
 * @param {string} alt
 * @param {Attrs} [attrs]
 */
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

/**
 * The query parameter of the current page URL.
 * @param {string} name
 */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/**
 * A link to a page of this app with query parameters (values are encoded; empty ones left out).
 * @param {string} path
 * @param {Record<string, string | number | null | undefined>} [query]
 */
export function href(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined || v === null || v === '' ? [] : [[k, String(v)]])));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * @param {string} text
 * @param {string} [kind]
 */
export function badge(text, kind = text) {
  return h('span', { class: `badge s-${String(kind).replace(/[^A-Za-z0-9_-]/g, '')}`, text });
}

/**
 * A labelled progress bar; fraction 0..1.
 * @param {number} fraction
 * @param {string} label
 */
export function progressBar(fraction, label) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  return h('progress', { max: 100, value: pct, 'aria-label': label, title: `${pct}%` });
}

/** @param {string | null | undefined} iso */
export function formatTime(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/**
 * How long a run took, by the server's clock.
 * @param {import('../../api/run-view.ts').RunView} run
 */
export function tookOf(run) {
  if (!run.endedAt) return run.status === 'running' ? 'running' : '-';
  return formatDuration(run.elapsedMs);
}

/** @param {unknown} value */
export function pretty(value) {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/**
 * Replaces the page body with an error a person can act on.
 * @param {Element} root
 * @param {unknown} err
 * @param {string} what
 */
export function showError(root, err, what) {
  fill(root, h('div', { class: 'error', role: 'alert' }, h('strong', { text: `Could not load ${what}: ` }), err instanceof Error ? err.message : String(err)));
}

/**
 * Sets the page title.
 * @param {string} text
 */
export function title(text) {
  document.title = `${text} · tracepipe`;
}

/**
 * A short label for a timeline step: kind, target and text.
 * @param {import('../../../domain/session/timeline.ts').Step} step
 */
export function stepLabel(step) {
  const t = step.target;
  const target = t ? (t.name ?? t.field ?? t.text ?? t.selector ?? t.role ?? t.tag ?? '') : '';
  /** @type {string[]} */
  const parts = [step.kind];
  if (target) parts.push(String(target).slice(0, 60));
  if (step.text) parts.push(`"${String(step.text).slice(0, 80)}"`);
  if (step.keys) parts.push(step.keys.join('+'));
  return parts.join(' ');
}
