import { fetchRun, fetchRunErrors, fetchRunItems, runEventsUrl } from './api.js';
import { badge, fill, formatTime, h, href, progressBar, showError, title, tookOf } from './dom.js';
import { formatDuration, formatTokens, formatUsd } from './format.js';

/** @typedef {import('./api.js').RunDetail} RunDetail */
/** @typedef {import('./api.js').StageView} StageView */
/** @typedef {import('./api.js').RunErrorView} RunErrorView */
/** @typedef {import('./api.js').RunItemsResponse['items']} RunItems */
/** @typedef {{ run: RunDetail; errors: RunErrorView[]; items: RunItems | null; itemsTotal: number }} RunPage */

// One run: status, progress, per-stage counts, failures with their hints, and its examples.
const root = /** @type {HTMLElement} */ (document.getElementById('main'));
const runId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
title(`Run ${runId}`);

/** @param {RunDetail} run */
function cards(run) {
  const s = run.summary;
  const card = (/** @type {string | number} */ n, /** @type {string} */ l) =>
    h('div', { class: 'card' }, h('span', { class: 'n', text: n }), h('span', { class: 'l', text: l }));
  return h(
    'div',
    { class: 'cards' },
    card(s.items, 'sessions'),
    card(s.succeeded, 'items succeeded'),
    card(s.failed, 'items failed'),
    card(s.cacheHits, 'cache hits'),
    card(formatTokens(run.tokens), 'tokens'),
    card(formatUsd(run.costUsd), 'cost'),
    card(formatDuration(run.latencyMs), 'model latency'),
  );
}

/** @param {StageView[]} stages */
function stagesTable(stages) {
  const cols = ['stage', 'items', 'ran', 'cached', 'failed', 'skipped', 'busy', ''];
  return h(
    'table',
    { 'aria-label': 'Stages' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        cols.map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 6 ? 'num' : undefined, text: c })),
      ),
    ),
    h(
      'tbody',
      {},
      stages.map((s) => {
        const done = s.ran + s.cached + s.failed + s.skipped;
        return h(
          'tr',
          {},
          h('th', { scope: 'row' }, s.stage, s.uses && s.uses !== s.stage ? h('span', { class: 'muted', text: ` (${s.uses})` }) : null),
          h('td', { class: 'num', text: s.total }),
          h('td', { class: 'num', text: s.ran }),
          h('td', { class: 'num', text: s.cached }),
          h('td', { class: 'num' }, s.failed > 0 ? h('strong', { class: 'badge s-failed', text: s.failed }) : '0'),
          h('td', { class: 'num', text: s.skipped }),
          h('td', { class: 'num', text: formatDuration(s.busyMs) }),
          h('td', {}, progressBar(s.total > 0 ? done / s.total : 0, `Progress of stage ${s.stage}`)),
        );
      }),
    ),
  );
}

/** @param {RunErrorView} e */
function failure(e) {
  const loc = e.location ? `${e.location.file ?? ''}${e.location.line ? `:${e.location.line}` : ''}${e.location.field ? ` (${e.location.field})` : ''}` : null;
  return h(
    'div',
    { class: 'failure', role: 'group', 'aria-label': `Failure: ${e.stage} ${e.item}` },
    h('div', {}, h('strong', { text: e.stage }), ' · ', e.item, ' · ', h('span', { class: 'code', text: e.code })),
    h('div', { text: e.message }),
    loc ? h('div', { class: 'muted', text: `at ${loc}` }) : null,
    e.hint ? h('div', { class: 'hint', text: `hint: ${e.hint}` }) : null,
    e.cause ? h('details', {}, h('summary', { text: 'cause' }), h('pre', { text: e.cause })) : null,
  );
}

/**
 * @param {RunDetail} run
 * @param {RunItems | null} items
 */
function examplesList(run, items) {
  if (items === null) return null;
  if (items.length === 0) return h('p', { class: 'muted', text: 'No examples yet.' });
  return h(
    'ul',
    { class: 'examples' },
    items.map((i) =>
      h(
        'li',
        {},
        h('a', { href: href(`/examples/${encodeURIComponent(i.item)}`, { run: run.id }), text: i.item }),
        i.cacheHit ? h('span', { class: 'muted', text: ' (cached)' }) : null,
      ),
    ),
  );
}

/** @returns {Promise<RunPage>} */
async function load() {
  const [{ run }, { errors }] = await Promise.all([fetchRun(runId), fetchRunErrors(runId)]);
  const synth = run.stages.find((s) => s.uses === 'synthesize');
  const page = synth ? await fetchRunItems(runId, { stage: synth.stage, status: 'succeeded', limit: 1000 }) : null;
  return { run, errors, items: page?.items ?? null, itemsTotal: page?.total ?? 0 };
}

/** @param {RunPage} page */
function render({ run, errors, items, itemsTotal }) {
  const p = run.progress;
  fill(
    root,
    h('h1', {}, `Run ${run.id} `, badge(run.stale ? 'stale' : run.status)),
    h(
      'p',
      { class: 'row' },
      h('span', { text: `${run.pipelineName}${run.variant ? ` · variant ${run.variant}` : ''}` }),
      h('span', {
        class: 'muted',
        text: `started ${formatTime(run.startedAt)} · ${run.status === 'running' ? `running for ${formatDuration(run.elapsedMs)}` : `took ${tookOf(run)}`}`,
      }),
      run.resumedFrom
        ? h('span', { class: 'muted' }, 'resumed from ', h('a', { href: `/runs/${encodeURIComponent(run.resumedFrom)}`, text: run.resumedFrom }))
        : null,
    ),
    h(
      'p',
      { class: 'row' },
      progressBar(p.fraction, 'Run progress'),
      h('span', { text: `${p.finished}/${p.total} items` }),
      run.status === 'running' && run.etaSeconds != null ? h('span', { class: 'muted', text: `about ${formatDuration(run.etaSeconds * 1000)} left` }) : null,
      h('a', { href: href('/review', { run: run.id }), text: 'Review queue' }),
    ),
    cards(run),
    h('h2', { text: 'Stages' }),
    stagesTable(run.stages),
    h('h2', { id: 'failures', text: `Failures (${errors.length})` }),
    errors.length === 0 ? h('p', { class: 'muted', text: 'No item failed.' }) : errors.map(failure),
    items === null ? null : h('h2', { text: `Examples (${itemsTotal})` }),
    items !== null && itemsTotal > items.length
      ? h('p', { class: 'muted', text: `The first ${items.length} are listed; \`tracepipe report ${run.id}\` writes them all to one file.` })
      : null,
    examplesList(run, items),
  );
  root.setAttribute('aria-busy', 'false');
}

/** @type {ReturnType<typeof setTimeout> | null} */
let pending = null;
/** Reloads at most every 500 ms however many events arrive. */
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(async () => {
    try {
      render(await load());
    } catch {
      // keep the last good page; the next event or poll tries again
    }
    pending = null;
  }, 500);
}

/** @param {RunDetail} run */
function follow(run) {
  if (run.status !== 'running' || run.stale) return;
  if (typeof EventSource === 'undefined' || sessionStorage.getItem('tracepipe.token')) return poll();
  const events = new EventSource(runEventsUrl(runId));
  events.addEventListener('item', refreshSoon);
  events.addEventListener('progress', refreshSoon);
  events.addEventListener('end', () => {
    events.close();
    refreshSoon();
  });
  events.onerror = () => {
    events.close();
    poll();
  };
}

function poll() {
  setTimeout(async () => {
    try {
      const data = await load();
      render(data);
      if (data.run.status === 'running' && !data.run.stale) poll();
    } catch {
      poll();
    }
  }, 2000);
}

load()
  .then((data) => {
    render(data);
    follow(data.run);
  })
  .catch((err) => showError(root, err, `run ${runId}`));
