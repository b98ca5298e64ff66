import { fetchExample, fetchReviewQueue, postDecision } from './api.js';
import { ApiError, badge, fill, h, href, param, pretty, showError, title } from './dom.js';
import { formatSteps } from './format.js';
import { foldKeyframes, frameStrip, overlaps } from './frames.js';
import { stepList } from './steps.js';

/** @typedef {import('./api.js').ReviewQueueItem} ReviewQueueItem */
/** @typedef {import('./api.js').ExampleResponse} ExampleResponse */
/** @typedef {import('./api.js').ReviewRequest} ReviewRequest */
/** @typedef {ReviewRequest['decision']} Decision */
/** @typedef {ExampleResponse | { error: unknown }} LoadedExample */

// The review queue: each flagged span with the session's keyframes and the steps it
// covers, and accept / fix / reject. Decisions are stored at once and take effect
// on the next `tracepipe exec` (the classification is reused, no model is called).
const root = /** @type {HTMLElement} */ (document.getElementById('main'));
const PAGE = 25;
title('Review');

const state = {
  /** @type {string | null} */
  runId: null,
  /** @type {ReviewQueueItem[]} */
  queue: [],
  /** @type {ReviewQueueItem[]} */
  visible: [],
  /** @type {Map<string, HTMLElement>} */
  cards: new Map(),
  /** @type {Map<string, Promise<LoadedExample>>} */
  examples: new Map(),
  /** @type {Map<string, Decision>} decisions by `exampleId#spanIndex`, stored before this page opened or on it */
  decided: new Map(),
  shown: 0,
  /** @type {string[]} */
  actions: [],
};

const WORD = /** @type {const} */ ({ accept: 'Accepted', fix: 'Fixed', reject: 'Rejected' });

/** @param {ReviewQueueItem} entry */
const spanKey = (entry) => `${entry.exampleId}#${entry.spanIndex}`;

/**
 * @param {string} id
 * @returns {Promise<LoadedExample>}
 */
async function loadExample(id) {
  let loaded = state.examples.get(id);
  if (loaded === undefined) state.examples.set(id, (loaded = fetchExample(id, state.runId).catch((err) => ({ error: err }))));
  return loaded;
}

/** @param {ExampleResponse | null} detail */
function actionNames(detail) {
  const names = new Set(state.actions);
  const ex = detail?.example;
  for (const s of ex?.spans ?? []) names.add(s.action);
  for (const l of ex?.labels ?? []) names.add(l.action);
  return [...names].sort();
}

function counter() {
  const n = state.decided.size;
  return `${state.queue.length} span${state.queue.length === 1 ? '' : 's'} flagged, ${n} decided`;
}

function updateCounter() {
  const el = document.getElementById('review-count');
  if (el) el.textContent = counter();
}

/**
 * Marks a card as decided.
 * @param {HTMLElement} card
 * @param {Decision} decision
 */
function markDecided(card, decision) {
  card.classList.add('decided');
  card.classList.toggle('rejected', decision === 'reject');
  card.dataset.decision = decision;
}

/**
 * @param {ReviewQueueItem} entry
 * @param {ExampleResponse | null} detail
 * @param {HTMLElement} card
 */
function decisionForm(entry, detail, card) {
  const names = actionNames(detail);
  const uid = `${entry.exampleId}-${entry.spanIndex}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const select = h(
    'select',
    { id: `action-${uid}`, name: 'action' },
    names.map((n) => h('option', { value: n, selected: n === entry.action, text: n })),
    h('option', { value: '', text: 'other…' }),
  );
  const other = h('input', { type: 'text', id: `other-${uid}`, 'aria-label': 'Other action name', placeholder: 'action name', hidden: true });
  select.addEventListener('change', () => {
    other.hidden = select.value !== '';
    if (!other.hidden) other.focus();
  });
  const params = h('textarea', { id: `params-${uid}`, name: 'parameters', spellcheck: 'false', value: pretty(entry.parameters) });
  const note = h('input', { type: 'text', id: `note-${uid}`, name: 'note', placeholder: 'why (optional)' });
  const fieldError = h('div', { class: 'field-error', role: 'alert' });
  const status = h('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  if (entry.decision)
    fill(
      status,
      badge(WORD[entry.decision.decision], entry.decision.decision),
      ' ',
      `Decided ${entry.decision.createdAt.slice(0, 10)}; you can still change it until the next run.`,
    );
  /** @type {HTMLButtonElement[]} */
  const buttons = [];

  /** @param {Decision} decision */
  async function decide(decision) {
    fieldError.textContent = '';
    /** @type {ReviewRequest} */
    const body = { span: entry.spanIndex, decision };
    if (note.value.trim()) body.note = note.value.trim();
    if (decision === 'fix') {
      const action = select.value || other.value.trim();
      if (!action) {
        fieldError.textContent = 'Choose an action or type its name.';
        (select.value ? select : other).focus();
        return;
      }
      let parameters;
      try {
        parameters = JSON.parse(params.value);
      } catch (err) {
        fieldError.textContent = `Parameters are not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
        params.focus();
        return;
      }
      if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
        fieldError.textContent = 'Parameters must be a JSON object, e.g. {"message_id": "m-0001"}.';
        params.focus();
        return;
      }
      body.action = action;
      body.parameters = parameters;
    }
    for (const b of buttons) b.disabled = true;
    status.textContent = 'Saving…';
    try {
      await postDecision(entry.exampleId, state.runId, body);
      state.decided.set(spanKey(entry), decision);
      updateCounter();
      markDecided(card, decision);
      fill(
        status,
        badge(WORD[decision], decision),
        ' ',
        decision === 'fix' ? `${body.action} ${JSON.stringify(body.parameters)}. ` : '',
        'Saved. You can still change it until the next run.',
      );
    } catch (err) {
      status.textContent = '';
      fieldError.textContent = `Not saved: ${err instanceof ApiError ? err.message : String(err)}`;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  buttons.push(
    h('button', { type: 'button', class: 'accept', onclick: () => decide('accept'), text: 'Accept' }),
    h('button', { type: 'button', class: 'fix', onclick: () => decide('fix'), text: 'Fix' }),
    h('button', { type: 'button', class: 'reject', onclick: () => decide('reject'), text: 'Reject' }),
  );
  return h(
    'form',
    { class: 'decision', onsubmit: (/** @type {SubmitEvent} */ e) => e.preventDefault(), 'aria-label': 'Decision' },
    h('label', { for: select.id, text: 'Action' }),
    h('div', { class: 'row' }, select, other),
    h('label', { for: params.id, text: 'Parameters (JSON; edit, then Fix)' }),
    params,
    h('label', { for: note.id, text: 'Note' }),
    note,
    fieldError,
    h('div', { class: 'buttons' }, buttons),
    status,
  );
}

/** @param {ReviewQueueItem} entry */
function entryCard(entry) {
  const name = `${entry.sessionId} span ${entry.spanIndex}`;
  const card = h('article', { class: 'panel', 'aria-label': name, 'data-example': entry.exampleId, 'data-span': entry.spanIndex });
  if (entry.decision) markDecided(card, entry.decision.decision);
  const conf = entry.confidence;
  const heading = h(
    'header',
    { class: 'row' },
    h(
      'h3',
      {},
      h('a', { href: href(`/examples/${encodeURIComponent(entry.exampleId)}`, { run: state.runId }), text: entry.sessionId }),
      ` · span ${entry.spanIndex}`,
    ),
    h('strong', { text: entry.action }),
    badge(`confidence ${conf.toFixed(2)}`, 'flagged'),
    h('span', { class: 'muted', text: formatSteps(entry.startStep, entry.endStep) }),
  );
  const body = h('div', { class: 'review-grid' }, h('div', { class: 'muted', text: 'Loading the session…' }), h('div'));
  fill(card, heading, body);
  loadExample(entry.exampleId).then((detail) => {
    const [left, right] = [h('div'), h('div')];
    if ('error' in detail)
      fill(
        left,
        h('div', {
          class: 'error',
          role: 'alert',
          text: `Could not load the session: ${detail.error instanceof Error ? detail.error.message : String(detail.error)}`,
        }),
      );
    else {
      const user = detail.messages.find((m) => m.role === 'user');
      const frames = foldKeyframes(detail.keyframes).filter((f) => overlaps(f, entry.startStep, entry.endStep));
      const steps = (detail.timeline?.steps ?? []).filter((s) => s.id >= entry.startStep && s.id <= entry.endStep);
      fill(
        left,
        user ? h('p', {}, h('strong', { text: 'Task: ' }), user.content) : null,
        frames.length > 0 ? frameStrip(frames, entry.sessionId) : h('p', { class: 'muted', text: 'No screenshots for these steps.' }),
        h('h4', { text: `Steps ${entry.startStep}–${entry.endStep}` }),
        steps.length > 0 ? stepList(steps) : h('p', { class: 'muted', text: 'No timeline steps recorded for this span.' }),
      );
    }
    fill(
      right,
      entry.evidence.length > 0
        ? h(
            'div',
            {},
            h('h4', { text: 'Evidence' }),
            h(
              'ul',
              {},
              entry.evidence.map((e) => h('li', { text: e })),
            ),
          )
        : h('p', { class: 'muted', text: 'No evidence recorded.' }),
      decisionForm(entry, 'error' in detail ? null : detail, card),
    );
    fill(body, left, right);
  });
  return card;
}

/**
 * A card per span, made once: filtering shows and hides the same elements, so typed edits and decisions stay.
 * @param {ReviewQueueItem} entry
 */
function cardFor(entry) {
  const key = spanKey(entry);
  let card = state.cards.get(key);
  if (card === undefined) state.cards.set(key, (card = entryCard(entry)));
  return card;
}

/**
 * @param {HTMLElement} list
 * @param {HTMLButtonElement} more
 */
function showMore(list, more) {
  const next = state.visible.slice(state.shown, state.shown + PAGE);
  state.shown += next.length;
  list.append(...next.map(cardFor));
  more.hidden = state.shown >= state.visible.length;
  more.textContent = `Show ${Math.min(PAGE, state.visible.length - state.shown)} more`;
}

/**
 * @param {string} text
 * @param {HTMLElement} list
 * @param {HTMLButtonElement} more
 * @param {HTMLElement} count
 */
function applyFilter(text, list, more, count) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  state.visible = state.queue.filter((q) => words.every((w) => `${q.sessionId} ${q.action}`.toLowerCase().includes(w)));
  state.shown = 0;
  list.replaceChildren();
  showMore(list, more);
  count.textContent = words.length === 0 ? '' : `${state.visible.length} match${state.visible.length === 1 ? '' : 'es'}`;
}

async function main() {
  const body = await fetchReviewQueue(param('run'));
  state.runId = body.runId;
  state.queue = body.queue;
  for (const q of state.queue) if (q.decision) state.decided.set(spanKey(q), q.decision.decision);
  state.actions = [...new Set(state.queue.map((q) => q.action))];
  title(`Review ${state.runId ?? ''}`);
  state.visible = state.queue;
  const list = h('div', { class: 'queue' });
  const more = h('button', { type: 'button', hidden: true });
  more.addEventListener('click', () => showMore(list, more));
  const matches = h('span', { class: 'muted', role: 'status' });
  const search = h('input', { type: 'search', 'aria-label': 'Filter by session or action', placeholder: 'filter by session or action' });
  search.addEventListener('input', () => applyFilter(search.value, list, more, matches));
  fill(
    root,
    h('h1', {}, 'Review queue'),
    state.runId
      ? h(
          'p',
          { class: 'row' },
          h('span', {}, 'run ', h('a', { href: `/runs/${encodeURIComponent(state.runId)}`, text: state.runId })),
          h('span', { id: 'review-count', class: 'muted', text: counter() }),
        )
      : null,
    h(
      'p',
      { class: 'muted' },
      'Spans below the review threshold stay out of the dataset until you accept or fix them; a rejected span is left out. Decisions are saved at once. ',
      state.runId ? h('code', { text: `tracepipe resume ${state.runId}` }) : 'The next run',
      ' rebuilds the examples with them (the classification is reused, no model is called).',
    ),
    state.queue.length > PAGE ? h('p', { class: 'row filter' }, search, matches) : null,
    state.queue.length === 0 ? h('p', { text: state.runId ? 'Nothing to review in this run.' : 'No runs yet.' }) : list,
    more,
  );
  showMore(list, more);
  root.setAttribute('aria-busy', 'false');
}

main().catch((err) => showError(root, err, 'the review queue'));
