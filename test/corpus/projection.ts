import type { TruthStep } from '../../fixtures/recorder/corpus/actions.ts';
import type { Step } from '../../domain/session/timeline.ts';

/**
 * The projection a corpus case is compared in (fixtures/formats/real/README.md, "Projection"):
 * kind; text for type/select/navigate; keys; button; pointer; checked; a scroll's direction (the
 * sign of dy); and whether the target
 * holds the truth's hint. Navigations the page made itself (hash routes, iframe documents) are
 * not user actions: a navigate step is kept only when it matches the next navigate of the truth.
 */
export type Projected = Omit<TruthStep, 'formats' | 'noTargetIn'>;

type StepFields = Step & { button?: string; pointer?: string; checked?: boolean };

/** `http://127.0.0.1:4711/form.html#x` → `/form.html#x`; other URLs (about:blank) stay whole. */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.pathname + u.search + u.hash : url;
  } catch {
    return url;
  }
}

/** A produced navigate matches a truth path; a HAR never holds the #fragment, so it matches without it. */
function sameNavigation(url: string, truthPath: string): boolean {
  const got = pathOf(url);
  return got === truthPath || (!got.includes('#') && got === truthPath.split('#')[0]);
}

function targetWords(step: Step): string {
  const t = step.target;
  if (t === undefined) return '';
  return [t.id, t.name, t.field, t.text, t.selector].filter((v) => v !== undefined).join(' | ');
}

/** The produced steps in the truth's terms, position by position (extra steps keep every field they have). */
export function project(steps: Step[], truth: TruthStep[]): { expected: Projected[]; actual: Projected[] } {
  // Each navigation of the script is matched once, in order; the page's own later visits to the same URL are effects.
  const navigations = truth.filter((s) => s.kind === 'navigate').map((s) => s.text ?? '');
  const kept = (steps as StepFields[]).filter((s) => {
    if (s.kind !== 'navigate') return true;
    if (navigations.length === 0 || !sameNavigation(s.url ?? s.text ?? '', navigations[0]!)) return false;
    navigations.shift();
    return true;
  });
  const expected = truth.map(({ formats: _formats, noTargetIn: _noTarget, ...rest }) => rest);
  const actual = kept.map((s, i): Projected => {
    const want = expected[i];
    const out: Projected = { kind: s.kind };
    const text = s.kind === 'navigate' ? pathOf(s.url ?? s.text ?? '') : s.text;
    if (want?.text !== undefined || (want === undefined && text !== undefined)) {
      if (text !== undefined) out.text = s.kind === 'navigate' && want?.text !== undefined && sameNavigation(s.url ?? '', want.text) ? want.text : text;
    }
    if (s.keys !== undefined) out.keys = s.keys;
    if (s.button !== undefined) out.button = s.button as Projected['button'];
    if (s.pointer !== undefined) out.pointer = s.pointer as Projected['pointer'];
    if (s.checked !== undefined) out.checked = s.checked;
    if (s.kind === 'scroll' && (s.dy ?? 0) !== 0) out.direction = (s.dy ?? 0) > 0 ? 'down' : 'up';
    if (want?.target !== undefined || want === undefined) {
      const words = targetWords(s);
      if (want?.target !== undefined && words.toLowerCase().includes(want.target.toLowerCase())) out.target = want.target;
      else if (words !== '') out.target = words;
    }
    return out;
  });
  return { expected, actual };
}
