import { h, stepLabel } from './dom.js';

/** @typedef {import('../../../domain/session/timeline.ts').Step} Step */

/**
 * Timeline steps as a list: id, what happened, and the requests that followed.
 * @param {Step[]} steps
 * @param {(step: Step) => boolean} [inRange] marks the steps that belong to what is being looked at
 */
export function stepList(steps, inRange = () => false) {
  return h(
    'ol',
    { class: 'steps', 'aria-label': 'Timeline steps' },
    steps.map((s) =>
      h(
        'li',
        { class: inRange(s) ? 'in' : undefined, 'data-step': s.id },
        h('span', { class: 'id', text: s.id }),
        stepLabel(s),
        s.network.map((n) => h('span', { class: 'net', text: `${n.method} ${n.url}${n.status ? ` → ${n.status}` : ''}` })),
      ),
    ),
  );
}
