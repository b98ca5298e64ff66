import { fetchExample } from './api.js';
import { badge, fill, h, href, param, pretty, showError, title } from './dom.js';
import { formatSteps } from './format.js';
import { foldKeyframes, frameStrip, overlaps } from './frames.js';
import { stepList } from './steps.js';

/** @typedef {import('./api.js').ExampleResponse} ExampleResponse */
/** @typedef {import('../../../domain/example/example.ts').ToolCall} ToolCall */
/** @typedef {import('../../../domain/example/example.ts').ChatMessage} ChatMessage */
/** @typedef {import('../../../domain/example/example.ts').ExampleSpan} ExampleSpan */
/** @typedef {[first: number, last: number]} StepRange */

// One example: the conversation next to the session's screenshots; selecting a tool
// call highlights the steps and screenshots it came from.
const root = /** @type {HTMLElement} */ (document.getElementById('main'));
const exampleId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
title(`Example ${exampleId}`);

/**
 * @param {ToolCall} call
 * @returns {{ name: string; args: unknown }}
 */
function parseArgs(call) {
  if ('function' in call) {
    try {
      return { name: call.function.name, args: JSON.parse(call.function.arguments) };
    } catch {
      return { name: call.function.name, args: call.function.arguments };
    }
  }
  return { name: call.name, args: call.arguments };
}

/** @param {ExampleSpan | undefined} span */
function spanState(span) {
  if (!span) return null;
  if (span.review) return span.review.decision === 'fix' ? 'fixed' : 'accepted';
  return span.flagged ? 'flagged' : 'ok';
}

/** @param {ExampleResponse} detail */
function render(detail) {
  const ex = detail.example;
  const { messages, provenance } = detail;
  const steps = detail.timeline?.steps ?? [];
  const frames = foldKeyframes(detail.keyframes);
  const byCall = new Map(provenance.toolCalls.map((t) => [t.toolCallId, t]));
  const spans = new Map(ex.spans.map((s) => [s.index, s]));

  const shots = h('div', { class: 'shots' });
  const stepsBox = h('div');
  /** @type {HTMLElement[]} */
  const calls = [];
  /**
   * @param {StepRange | null} range
   * @param {HTMLElement | null} callEl
   */
  function select(range, callEl) {
    for (const c of calls) c.setAttribute('aria-pressed', String(c === callEl));
    const hit = range ? (/** @type {import('./frames.js').Frame} */ f) => overlaps(f, range[0], range[1]) : () => false;
    fill(shots, frames.length > 0 ? frameStrip(frames, ex.sessionId, hit) : h('p', { class: 'muted', text: 'This session has no screenshots.' }));
    fill(
      stepsBox,
      steps.length > 0
        ? stepList(steps, range ? (s) => s.id >= range[0] && s.id <= range[1] : undefined)
        : h('p', { class: 'muted', text: 'No timeline steps.' }),
    );
    if (range) shots.querySelector('figure.hit')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** @param {ToolCall} call */
  function callBlock(call) {
    const { name, args } = parseArgs(call);
    const prov = byCall.get(call.id);
    const span = prov ? spans.get(prov.spanIndex) : undefined;
    /** @type {StepRange | null} */
    const range = span ? [span.startStep, span.endStep] : prov?.steps.length ? [Math.min(...prov.steps), Math.max(...prov.steps)] : null;
    const state = spanState(span);
    const el = h(
      'div',
      {
        class: 'call',
        role: 'button',
        tabindex: '0',
        'aria-pressed': 'false',
        'aria-label': `Tool call ${name}${range ? `, steps ${range[0]} to ${range[1]}` : ''}`,
      },
      h(
        'div',
        { class: 'row' },
        h('strong', { text: name }),
        prov ? h('span', { class: 'muted', text: `${prov.action} · span ${prov.spanIndex}` }) : null,
        span ? h('span', { class: 'muted', text: `confidence ${span.confidence.toFixed(2)}` }) : null,
        state ? badge(state) : null,
        range ? h('span', { class: 'muted', text: formatSteps(range[0], range[1]) }) : null,
      ),
      h('pre', { text: typeof args === 'string' ? args : pretty(args) }),
    );
    const pick = () => select(range, el);
    el.addEventListener('click', pick);
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        pick();
      }
    });
    calls.push(el);
    return el;
  }

  /** @param {ChatMessage} m */
  function message(m) {
    if (m.role === 'system')
      return h('details', { class: 'msg system' }, h('summary', { class: 'role', text: 'system prompt' }), h('pre', { text: m.content }));
    if (m.role === 'assistant')
      return h(
        'div',
        { class: 'msg assistant' },
        h('div', { class: 'role', text: 'assistant' }),
        m.content ? h('pre', { text: m.content }) : null,
        (m.tool_calls ?? []).map(callBlock),
      );
    if (m.role === 'tool')
      return h('div', { class: 'msg tool' }, h('div', { class: 'role', text: `tool result · ${m.tool_call_id}` }), h('pre', { text: m.content }));
    return h('div', { class: 'msg user' }, h('div', { class: 'role', text: 'user' }), h('pre', { text: m.content }));
  }

  const labels = ex.labels ?? [];
  const issues = ex.validationIssues ?? [];
  const conversation = h('section', { 'aria-label': 'Conversation' }, h('h2', { text: `Conversation (${messages.length} messages)` }), messages.map(message));
  fill(
    root,
    h('h1', {}, `${ex.sessionId} `, badge(ex.status)),
    h(
      'p',
      { class: 'row muted' },
      h('span', {}, 'run ', h('a', { href: `/runs/${encodeURIComponent(detail.runId)}`, text: detail.runId })),
      h('span', { text: `model ${ex.modelId} · tools ${ex.actionToolMapId}` }),
      ex.status === 'NEEDS_REVIEW' ? h('a', { href: href('/review', { run: detail.runId }), text: 'review its spans' }) : null,
    ),
    ex.statusReason ? h('p', { text: ex.statusReason }) : null,
    h(
      'div',
      { class: 'conv' },
      conversation,
      h(
        'section',
        { 'aria-label': 'Screenshots and steps' },
        h('h2', { text: `Screenshots (${frames.length})` }),
        shots,
        h('h2', { text: `Steps (${steps.length})` }),
        stepsBox,
      ),
    ),
    ex.droppedSpans.length > 0
      ? h(
          'div',
          {},
          h('h2', { text: 'Left out' }),
          h(
            'ul',
            {},
            ex.droppedSpans.map((d) => h('li', {}, `span ${d.index} ${d.action} `, badge(d.reason === 'below_drop' ? 'dropped' : 'rejected', d.reason))),
          ),
        )
      : null,
    labels.length > 0
      ? h(
          'details',
          {},
          h('summary', { text: `Labels (${labels.length})` }),
          h('pre', { text: labels.map((l) => `${l.action} ${JSON.stringify(l.parameters)}`).join('\n') }),
        )
      : null,
    issues.length > 0
      ? h(
          'details',
          { open: true },
          h('summary', { text: `Validation issues (${issues.length})` }),
          h('pre', { text: issues.map((i) => `${i.path}: ${i.message}`).join('\n') }),
        )
      : null,
    h(
      'details',
      {},
      h('summary', { text: 'Provenance' }),
      h(
        'dl',
        { class: 'kv' },
        [
          ...Object.entries(provenance.stageKeys ?? {}).map(([k, v]) => [`${k} key`, v]),
          ...Object.entries(provenance.promptHashes ?? {}).map(([k, v]) => [k, v]),
        ]
          .filter(([, v]) => v)
          .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]),
      ),
    ),
  );
  select(null, null);
  root.setAttribute('aria-busy', 'false');
}

fetchExample(exampleId, param('run'))
  .then(render)
  .catch((err) => showError(root, err, `example ${exampleId}`));
