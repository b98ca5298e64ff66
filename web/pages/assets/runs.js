import { fetchRuns } from './api.js';
import { badge, fill, formatTime, h, href, progressBar, showError, title, tookOf } from './dom.js';
import { formatDuration } from './format.js';

/** @typedef {import('./api.js').RunView} RunView */

// The runs list with live progress: polled every second while a run is running, every 2 s otherwise (so a new run shows up).
const root = /** @type {HTMLElement} */ (document.getElementById('main'));
title('Runs');
/** @type {RunView[]} */
let runs = [];

/** @param {RunView} run */
function progressCell(run) {
  const p = run.progress;
  return h(
    'td',
    {},
    progressBar(p.fraction, `Progress of run ${run.id}`),
    ' ',
    h('span', { class: 'muted', text: `${p.finished}/${p.total}` }),
    run.status === 'running' && run.etaSeconds !== null ? h('div', { class: 'muted', text: `about ${formatDuration(run.etaSeconds * 1000)} left` }) : null,
  );
}

/** @param {RunView} run */
function row(run) {
  const s = run.summary;
  return h(
    'tr',
    { 'data-run': run.id },
    h('td', {}, h('a', { href: `/runs/${encodeURIComponent(run.id)}`, text: run.id })),
    h('td', { text: run.pipelineName }),
    h('td', { text: run.variant ?? '–' }),
    h('td', {}, badge(run.stale ? 'stale' : run.status), run.stale ? h('div', { class: 'muted', text: 'its process is gone' }) : null),
    progressCell(run),
    h('td', { class: 'num', text: s.items }),
    h('td', { class: 'num', text: s.failed }),
    h('td', { class: 'num', text: s.cacheHits }),
    h('td', { text: formatTime(run.startedAt) }),
    h('td', { class: 'num', text: tookOf(run) }),
    h('td', {}, h('a', { href: href('/review', { run: run.id }), text: 'review' })),
  );
}

function compareForm() {
  if (runs.length < 2) return null;
  const options = (/** @type {string | undefined} */ selected) =>
    runs.map((r) => h('option', { value: r.id, selected: r.id === selected, text: `${r.id} · ${r.pipelineName}${r.variant ? ` (${r.variant})` : ''}` }));
  return h(
    'form',
    { class: 'inline', action: '/compare', method: 'get', 'aria-label': 'Compare two runs' },
    h('label', {}, 'Run A', h('select', { name: 'a' }, options(runs[1]?.id))),
    h('label', {}, 'Run B', h('select', { name: 'b' }, options(runs[0]?.id))),
    h('button', { type: 'submit', text: 'Compare' }),
  );
}

function render() {
  const table = h(
    'table',
    { class: 'wide', 'aria-label': 'Runs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['run', 'pipeline', 'variant', 'status', 'progress', 'sessions', 'failed', 'cached', 'started', 'took', ''].map((t, i) =>
          h('th', { scope: 'col', class: i >= 5 && i <= 7 ? 'num' : undefined, text: t }),
        ),
      ),
    ),
    h('tbody', {}, runs.map(row)),
  );
  fill(
    root,
    h('h1', { text: 'Runs' }),
    runs.length === 0
      ? h('p', { class: 'muted', text: 'No runs yet. Start one with `tracepipe exec <pipeline.yaml>`; it shows up here while it runs.' })
      : table,
    runs.length >= 2 ? h('h2', { text: 'Compare two runs' }) : null,
    compareForm(),
  );
  root.setAttribute('aria-busy', 'false');
}

/**
 * Updates rows in place (keeps focus and the compare form's choice) when the set of runs is unchanged.
 * @param {RunView[]} next
 */
function update(next) {
  const same = next.length === runs.length && next.every((r, i) => r.id === runs[i]?.id);
  runs = next;
  if (!same || !root.querySelector('tbody')) return render();
  for (const run of runs) root.querySelector(`tr[data-run="${CSS.escape(run.id)}"]`)?.replaceWith(row(run));
}

async function poll() {
  let delay = 2000;
  try {
    const body = await fetchRuns();
    update(body.runs);
    if (runs.some((r) => r.status === 'running' && !r.stale)) delay = 1000;
  } catch (err) {
    if (runs.length === 0) showError(root, err, 'the runs');
  }
  setTimeout(poll, document.hidden ? Math.max(delay, 5000) : delay);
}
poll();
