import type { NetworkRequest, Step, Timeline } from '../session/timeline.ts';

const MAX_CELL = 40;

const clip = (s: string, max = MAX_CELL) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function targetCell(step: Step): string {
  const t = step.target;
  if (!t) return '';
  if (t.role || t.name) return `${t.role ?? ''}${t.name ? ` "${t.name}"` : ''}`.trim();
  return t.selector ?? t.field ?? t.text ?? t.tag ?? '';
}

function textCell(step: Step): string {
  if (step.keys) return step.keys.join('+');
  if (step.kind === 'scroll') return `dx=${step.dx ?? 0} dy=${step.dy ?? 0}`;
  if (step.kind === 'drag' && step.path) {
    const end = step.path[step.path.length - 1];
    return end ? `→ ${Math.round(end.x)},${Math.round(end.y)}` : '';
  }
  return step.text === undefined ? '' : JSON.stringify(step.text);
}

function requestCell(req: NetworkRequest): string {
  let path = req.url;
  try {
    const u = new URL(req.url);
    path = u.pathname + u.search;
  } catch {
    // keep the raw text
  }
  return `${req.method} ${path}`;
}

/** A plain-text table of a timeline's steps, one row per step, for `tracepipe inspect`. */
export function formatTimelineTable(timeline: Timeline): string {
  const header = ['step', 'kind', 't (ms)', 'target', 'text/keys', 'x,y', 'network', 'keyframe'];
  const rows = timeline.steps.map((s) => [
    String(s.id),
    s.kind,
    s.t1 > s.t0 ? `${s.t0}-${s.t1}` : String(s.t0),
    clip(targetCell(s)),
    clip(textCell(s)),
    s.x === undefined || s.y === undefined ? '' : `${Math.round(s.x)},${Math.round(s.y)}`,
    clip(s.network.map(requestCell).join(', '), 60),
    s.keyframe ? 'yes' : 'no',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  const title = `${timeline.sessionId} (${timeline.suite}) — ${timeline.steps.length} steps${
    timeline.preamble.length ? `, ${timeline.preamble.length} requests before the first step` : ''
  }`;
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
