import { canonicalJson } from '../../engine/hash.ts';

export interface ActionCall {
  action: string;
  parameters: Record<string, unknown>;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface SpanScore extends Counts {
  /** Per action name, matched by action only. */
  perAction: Record<string, Counts>;
  /** Share of action-matched pairs whose canonical parameters are equal (1 when nothing matched). */
  paramExact: number;
  /** Counts when a match also needs equal parameters. */
  exact: Counts;
}

/**
 * Scores predicted actions against labels as multisets: each label matches at
 * most one prediction of the same action, preferring one with equal parameters.
 * Order and step spans are ignored; parameters are compared canonicalized.
 */
export function scoreSpans(predicted: ActionCall[], labels: ActionCall[]): SpanScore {
  const actions = [...new Set([...predicted, ...labels].map((x) => x.action))].sort();
  const perAction: Record<string, Counts> = {};
  let tp = 0,
    fp = 0,
    fn = 0,
    exactTp = 0;
  for (const action of actions) {
    const preds = predicted.filter((p) => p.action === action).map((p) => canonicalJson(canonicalParameters(p.parameters)));
    const golds = labels.filter((l) => l.action === action).map((l) => canonicalJson(canonicalParameters(l.parameters)));
    const matched = Math.min(preds.length, golds.length);
    const remaining = [...golds];
    let equal = 0;
    for (const p of preds) {
      const i = remaining.indexOf(p);
      if (i >= 0) {
        remaining.splice(i, 1);
        equal++;
      }
    }
    perAction[action] = counts(matched, preds.length - matched, golds.length - matched);
    tp += matched;
    fp += preds.length - matched;
    fn += golds.length - matched;
    exactTp += equal;
  }
  return {
    ...counts(tp, fp, fn),
    perAction,
    paramExact: tp === 0 ? 1 : exactTp / tp,
    exact: counts(exactTp, predicted.length - exactTp, labels.length - exactTp),
  };
}

/** Precision, recall and F1 from raw counts (1 when nothing was predicted or expected). */
export function counts(tp: number, fp: number, fn: number): Counts {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/**
 * Parameters as compared by the scorer: strings trimmed with inner whitespace
 * collapsed, e-mail addresses lower-cased, arrays sorted, and null, undefined and
 * empty arrays dropped (an absent optional list equals an empty one).
 */
export function canonicalParameters(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const c = canonicalValue(v);
    if (c === undefined || c === null || (Array.isArray(c) && c.length === 0)) continue;
    out[k] = c;
  }
  return out;
}

function canonicalValue(v: unknown): unknown {
  if (typeof v === 'string') {
    const s = v.trim().replace(/\s+/g, ' ');
    return /^[^\s@]+@[^\s@]+$/.test(s) ? s.toLowerCase() : s;
  }
  if (Array.isArray(v)) return v.map(canonicalValue).sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
  if (v && typeof v === 'object') return canonicalParameters(v as Record<string, unknown>);
  return v;
}
