import { fetchCompare, fetchRuns } from './api.js';
import { badge, fill, h, href, param, showError, title } from './dom.js';
import { formatDuration, formatTokens, formatUsd } from './format.js';

/** @typedef {import('./api.js').CompareResponse} CompareReport */
/** @typedef {import('./api.js').RunView} RunView */
/** @typedef {CompareReport['a']} RunScore */
/** @typedef {CompareReport['disagreements'][number]} SessionDiff */
/** @typedef {RunScore['overall']} Counts */

// Two runs side by side: scores against the labels, statuses, review flags, usage,
// and the sessions whose tool calls differ.
const root = /** @type {HTMLElement} */ (document.getElementById('main'));
title('Compare');

const pct = (/** @type {number} */ x) => `${(x * 100).toFixed(1)}%`;

/**
 * @param {RunView[]} runs
 * @param {string | null} a
 * @param {string | null} b
 */
function runForm(runs, a, b) {
  const options = (/** @type {string | undefined} */ selected) =>
    runs.map((r) => h('option', { value: r.id, selected: r.id === selected, text: `${r.id} · ${r.pipelineName}${r.variant ? ` (${r.variant})` : ''}` }));
  return h(
    'form',
    { class: 'inline', action: '/compare', method: 'get', 'aria-label': 'Choose two runs' },
    h('label', {}, 'Run A', h('select', { name: 'a' }, options(a ?? runs[1]?.id))),
    h('label', {}, 'Run B', h('select', { name: 'b' }, options(b ?? runs[0]?.id))),
    h('button', { type: 'submit', text: 'Compare' }),
  );
}

/** @param {CompareReport} report */
function scoreTable(report) {
  const { a, b } = report;
  const rows = [
    ['variant', a.variant ?? '–', b.variant ?? '–'],
    ['labeled sessions', a.labeledSessions, b.labeledSessions],
    ['precision', pct(a.overall.precision), pct(b.overall.precision)],
    ['recall', pct(a.overall.recall), pct(b.overall.recall)],
    ['F1', pct(a.overall.f1), pct(b.overall.f1)],
    ['true / false positives, misses', `${a.overall.tp} / ${a.overall.fp} / ${a.overall.fn}`, `${b.overall.tp} / ${b.overall.fp} / ${b.overall.fn}`],
    ['parameters exact', pct(a.paramExact), pct(b.paramExact)],
    ...statusNames(a, b).map((s) => [`examples ${s}`, a.statuses[s] ?? 0, b.statuses[s] ?? 0]),
    [
      'flagged for review',
      `${a.reviewFlags.spans} spans in ${a.reviewFlags.examples} examples`,
      `${b.reviewFlags.spans} spans in ${b.reviewFlags.examples} examples`,
    ],
    ['model calls', a.usage.calls, b.usage.calls],
    ['tokens', formatTokens(a.usage.tokens), formatTokens(b.usage.tokens)],
    ['cost', formatUsd(a.usage.costUsd), formatUsd(b.usage.costUsd)],
    ['model latency', formatDuration(a.usage.latencyMs), formatDuration(b.usage.latencyMs)],
  ];
  const runLink = (/** @type {RunScore} */ s) => h('a', { href: `/runs/${encodeURIComponent(s.runId)}`, text: s.runId });
  return h(
    'table',
    { 'aria-label': 'Scores' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col', text: '' }), h('th', { scope: 'col' }, 'A · ', runLink(a)), h('th', { scope: 'col' }, 'B · ', runLink(b))),
    ),
    h(
      'tbody',
      {},
      rows.map(([k, x, y]) => h('tr', {}, h('th', { scope: 'row', text: k }), h('td', { class: 'num', text: x }), h('td', { class: 'num', text: y }))),
    ),
  );
}

/**
 * The example statuses either run has, in order.
 * @param {RunScore} a
 * @param {RunScore} b
 */
function statusNames(a, b) {
  const names = /** @type {(keyof RunScore['statuses'])[]} */ ([...Object.keys(a.statuses), ...Object.keys(b.statuses)]);
  return [...new Set(names)].sort();
}

/** @param {CompareReport} report */
function perActionTable(report) {
  const actions = [...new Set([...Object.keys(report.a.perAction), ...Object.keys(report.b.perAction)])].sort();
  if (actions.length === 0) return h('p', { class: 'muted', text: 'No labeled actions to score.' });
  const cell = (/** @type {Counts | undefined} */ c) => (c ? `${pct(c.f1)} (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})` : '–');
  return h(
    'table',
    { 'aria-label': 'F1 per action' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['action', 'A F1', 'B F1'].map((t) => h('th', { scope: 'col', text: t })),
      ),
    ),
    h(
      'tbody',
      {},
      actions.map((name) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row', text: name }),
          h('td', { text: cell(report.a.perAction[name]) }),
          h('td', { text: cell(report.b.perAction[name]) }),
        ),
      ),
    ),
  );
}

/**
 * @param {SessionDiff} d
 * @param {CompareReport} report
 */
function disagreement(d, report) {
  return h(
    'div',
    { class: 'panel' },
    h(
      'div',
      { class: 'row' },
      h('h3', {}, h('a', { href: href(`/examples/${encodeURIComponent(d.sessionId)}`, { run: report.a.runId }), text: d.sessionId })),
      d.statusA ? h('span', {}, 'A ', badge(d.statusA)) : null,
      d.statusB ? h('span', {}, 'B ', badge(d.statusB)) : null,
      h('a', { href: href(`/examples/${encodeURIComponent(d.sessionId)}`, { run: report.b.runId }), text: 'B’s example' }),
    ),
    h(
      'div',
      { class: 'diff', role: 'group', 'aria-label': `Tool calls A to B for ${d.sessionId}` },
      d.diff.map((l) =>
        h(
          'div',
          { class: l.op === '+' ? 'l-plus' : l.op === '-' ? 'l-minus' : undefined },
          h('span', { class: 'sr-only', text: l.op === '+' ? 'only in B: ' : l.op === '-' ? 'only in A: ' : 'both: ' }),
          h('span', { 'aria-hidden': 'true', text: `${l.op} ` }),
          l.call,
        ),
      ),
    ),
  );
}

async function main() {
  const a = param('a');
  const b = param('b');
  const { runs } = await fetchRuns();
  if (!a || !b) {
    fill(
      root,
      h('h1', { text: 'Compare two runs' }),
      runs.length < 2 ? h('p', { class: 'muted', text: 'Compare needs two runs; run a pipeline twice, or with --variant all.' }) : runForm(runs, a, b),
    );
    root.setAttribute('aria-busy', 'false');
    return;
  }
  const report = await fetchCompare(a, b);
  title(`Compare ${a} and ${b}`);
  fill(
    root,
    h('h1', { text: 'Compare' }),
    runForm(runs, a, b),
    h('h2', { text: 'Scores against the labels' }),
    h('div', { class: 'ab' }, scoreTable(report), perActionTable(report)),
    h('p', {
      class: 'muted',
      text: `${report.sharedSessions} sessions in both runs${report.onlyInA.length ? `; only in A: ${report.onlyInA.join(', ')}` : ''}${report.onlyInB.length ? `; only in B: ${report.onlyInB.join(', ')}` : ''}.`,
    }),
    h('h2', { text: `Sessions where the tool calls differ (${report.disagreements.length})` }),
    report.disagreements.length === 0
      ? h('p', { class: 'muted', text: 'None: both runs made the same tool calls for every shared session.' })
      : report.disagreements.map((d) => disagreement(d, report)),
  );
  root.setAttribute('aria-busy', 'false');
}

main().catch((err) => showError(root, err, 'the comparison'));
