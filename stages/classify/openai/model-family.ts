/**
 * What tracepipe knows about a model from its name: whether it is a reasoning
 * model (refuses sampling parameters, reads max_completion_tokens), how OpenAI
 * bills its images, and its prompt-cache discount. One table, mirrored in
 * stages/classify/README.md; the numbers are OpenAI's published ones
 * (platform.openai.com/docs/guides/images-vision, /docs/pricing).
 */

export type ImageRule =
  /** high detail: fit in 2048x2048, shortest side down to 768, then `base + perTile` per 512 px tile; low detail: `base`. */
  | { kind: 'tiles'; base: number; perTile: number }
  /** 32 px patches, at most 1536 (the image is scaled down to fit), times `multiplier`; detail does not change it. */
  | { kind: 'patches'; multiplier: number };

export interface ModelFamily {
  /** The table row that matched, e.g. `gpt-4.1-mini`; `unknown` when none did. */
  name: string;
  /** o-series and gpt-5 reasoning models: no temperature/top_p, max_completion_tokens. */
  reasoning: boolean;
  image: ImageRule;
  /** Price of a cached prompt token as a fraction of an uncached one. */
  cachedInputFactor: number;
  /** False when no row matched: the image rule is a gpt-4o-style assumption. */
  known: boolean;
}

type Row = Omit<ModelFamily, 'known'> & { match: RegExp };

const tiles = (base: number, perTile: number): ImageRule => ({ kind: 'tiles', base, perTile });
const patches = (multiplier: number): ImageRule => ({ kind: 'patches', multiplier });

// First match wins: the more specific names come first.
const FAMILIES: Row[] = [
  { name: 'gpt-5-chat', match: /^gpt-5(\.\d+)?-chat/, reasoning: false, image: tiles(70, 140), cachedInputFactor: 0.1 },
  { name: 'gpt-5-mini', match: /^gpt-5(\.\d+)?-mini/, reasoning: true, image: patches(1.62), cachedInputFactor: 0.1 },
  { name: 'gpt-5-nano', match: /^gpt-5(\.\d+)?-nano/, reasoning: true, image: patches(2.46), cachedInputFactor: 0.1 },
  { name: 'gpt-5', match: /^gpt-5/, reasoning: true, image: tiles(70, 140), cachedInputFactor: 0.1 },
  { name: 'gpt-4.1-mini', match: /^gpt-4\.1-mini/, reasoning: false, image: patches(1.62), cachedInputFactor: 0.25 },
  { name: 'gpt-4.1-nano', match: /^gpt-4\.1-nano/, reasoning: false, image: patches(2.46), cachedInputFactor: 0.25 },
  { name: 'gpt-4.1', match: /^gpt-4\.1/, reasoning: false, image: tiles(85, 170), cachedInputFactor: 0.25 },
  { name: 'gpt-4o-mini', match: /^gpt-4o-mini/, reasoning: false, image: tiles(2833, 5667), cachedInputFactor: 0.5 },
  { name: 'gpt-4o', match: /^(gpt-4o|chatgpt-4o|gpt-4\.5)/, reasoning: false, image: tiles(85, 170), cachedInputFactor: 0.5 },
  { name: 'o4-mini', match: /^o4-mini/, reasoning: true, image: patches(1.72), cachedInputFactor: 0.25 },
  { name: 'o3', match: /^o3/, reasoning: true, image: tiles(75, 150), cachedInputFactor: 0.25 },
  { name: 'o1', match: /^o1/, reasoning: true, image: tiles(75, 150), cachedInputFactor: 0.5 },
  { name: 'computer-use-preview', match: /^computer-use-preview/, reasoning: false, image: tiles(65, 129), cachedInputFactor: 1 },
];

const UNKNOWN: ModelFamily = { name: 'unknown', reasoning: false, image: tiles(85, 170), cachedInputFactor: 1, known: false };

/** `openai/gpt-4.1-mini:nitro` → `gpt-4.1-mini`: routers prefix a vendor and suffix a variant. */
export function baseModelName(model: string): string {
  return (model.toLowerCase().split('/').at(-1) ?? '').split(':')[0]!;
}

export function modelFamily(model: string): ModelFamily {
  const name = baseModelName(model);
  const row = FAMILIES.find((f) => f.match.test(name));
  if (!row) return UNKNOWN;
  const { match: _match, ...family } = row;
  return { ...family, known: true };
}

/** Request fields a reasoning model rejects unless they hold its default. */
export const SAMPLING_PARAMS = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs'] as const;

const PATCH = 32;
const PATCH_CAP = 1536;

/** Estimated prompt tokens of one image of width x height at `detail`, by the family's rule. */
export function imageTokens(rule: ImageRule, width: number, height: number, detail: string): number {
  if (rule.kind === 'patches') return Math.ceil(patchCount(width, height) * rule.multiplier);
  if (detail === 'low') return rule.base;
  return rule.base + rule.perTile * tileCount(width, height);
}

function tileCount(width: number, height: number): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shortest = Math.min(w, h);
  if (shortest > 768) {
    w = (w * 768) / shortest;
    h = (h * 768) / shortest;
  }
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

function patchCount(width: number, height: number): number {
  const whole = Math.ceil(width / PATCH) * Math.ceil(height / PATCH);
  if (whole <= PATCH_CAP) return whole;
  // OpenAI's documented shrink: scale to the budget, then down to a whole number of patches across
  const shrink = Math.sqrt((PATCH_CAP * PATCH * PATCH) / (width * height));
  const across = (width * shrink) / PATCH;
  const fit = shrink * (Math.floor(across) / across);
  return Math.min(PATCH_CAP, Math.ceil((width * fit) / PATCH) * Math.ceil((height * fit) / PATCH));
}
