import { h, stepLabel } from './dom.js';

/** Timeline steps as a list: id, what happened, and the requests that followed. */
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
        (s.network ?? []).map((n) => h('span', { class: 'net', text: `${n.method} ${n.url}${n.status ? ` → ${n.status}` : ''}` })),
      ),
    ),
  );
}
