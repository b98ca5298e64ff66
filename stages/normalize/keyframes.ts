import { availableParallelism } from 'node:os';
import sharp, { type Sharp } from 'sharp';
import { inputError } from '../../engine/errors.ts';
import type { ArtifactStore } from '../../engine/stage.ts';
import type { Keyframe, StepKind } from '../session/timeline.ts';
import type { NormalizeOptions } from './options.ts';
import type { DraftStep } from './reduce.ts';
import { mapLimit, thumbDiff, thumbnail } from './thumbs.ts';

/** A candidate frame: capture time (ms since startedAt) and an absolute file path. */
export interface Frame {
  t: number;
  file: string;
  /** How the frame is named in errors (relative to the session). */
  label: string;
}

type ShotOptions = NormalizeOptions['screenshots'];

const POINTER_KINDS = new Set<StepKind>(['click', 'double_click', 'right_click', 'drag']);
const MEDIA_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/** Index of the last frame taken at or before `t` (frames sorted by t), or -1. */
function lastAtOrBefore(frames: Frame[], t: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.t <= t) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at;
}

/**
 * Picks a frame index per step (or -1): the last frame at or before the step's t0, then
 * stepping back while the earlier frame is near-identical, so the pick is the first frame of
 * the screen state the person acted on, never a frame from after the action. A pick that
 * looks the same as the previous step's pick reuses it.
 */
export function chooseFrames(steps: DraftStep[], frames: Frame[], thumbs: Map<number, Uint8Array>, opts: ShotOptions): number[] {
  const same = (a: number, b: number) => {
    const ta = thumbs.get(a);
    const tb = thumbs.get(b);
    return ta !== undefined && tb !== undefined && thumbDiff(ta, tb) < opts.distinctThreshold;
  };
  let prev = -1;
  return steps.map((step) => {
    const k = lastAtOrBefore(frames, step.t0);
    if (k < 0) return -1;
    let i = k;
    while (i > 0 && k - i < opts.maxLookback && same(i - 1, i)) i--;
    if (prev >= 0 && (prev === i || same(prev, i))) return prev;
    prev = i;
    return i;
  });
}

/** Frame indexes whose thumbnails `chooseFrames` may look at. */
export function framesToThumb(steps: DraftStep[], frames: Frame[], opts: ShotOptions): number[] {
  const need = new Set<number>();
  for (const step of steps) {
    const k = lastAtOrBefore(frames, step.t0);
    for (let i = k; i >= 0 && k - i <= opts.maxLookback; i--) need.add(i);
  }
  return [...need].sort((a, b) => a - b);
}

/**
 * Which distinct picks survive the per-session cap. Frames for steps with network requests
 * come first (they show the screen an API call came from), then frames for pointer steps
 * (the target is visible), then the rest; ties go to the earlier frame.
 */
export function applyCap(steps: DraftStep[], picks: number[], cap: number): Set<number> {
  const score = new Map<number, number>();
  picks.forEach((f, s) => {
    if (f < 0) return;
    const step = steps[s]!;
    const v = (step.network.length > 0 ? 2 : 0) + (POINTER_KINDS.has(step.kind) ? 1 : 0);
    score.set(f, Math.max(score.get(f) ?? 0, v));
  });
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return new Set(ranked.slice(0, cap).map(([f]) => f));
}

type EncodeOptions = Pick<ShotOptions, 'width' | 'format' | 'quality' | 'effort'>;

/** A frame decoded once and already resized to the output width, kept for encoding. */
interface Decoded {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/** Decoded frames kept in memory per session at most (beyond it a chosen frame is decoded again). */
const DECODED_BUDGET_BYTES = 96 * 1024 * 1024;

function encoder(img: Sharp, opts: EncodeOptions): Sharp {
  if (opts.format === 'png') return img.png();
  if (opts.format === 'jpeg') return img.jpeg({ quality: opts.quality });
  return img.webp({ quality: opts.quality, effort: opts.effort });
}

/** Resizes (never enlarging, aspect kept) and encodes one frame, from its file or from pixels decoded earlier. */
export async function encodeFrame(source: string | Decoded, opts: EncodeOptions) {
  const img =
    typeof source === 'string'
      ? sharp(source).resize({ width: opts.width, withoutEnlargement: true })
      : sharp(source.data, { raw: source.info });
  const { data, info } = await encoder(img, opts).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, mediaType: MEDIA_TYPES[opts.format] };
}

/** Decodes a frame once at output size; its thumbnail is computed from those pixels. */
async function decodeFrame(file: string, width: number): Promise<{ decoded: Decoded; thumb: Uint8Array }> {
  const { data, info } = await sharp(file).resize({ width, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const decoded: Decoded = { data, info: { width: info.width, height: info.height, channels: info.channels } };
  return { decoded, thumb: await thumbnail(data, decoded.info) };
}

/**
 * Chooses, encodes and stores a keyframe for every step that has a frame before it, and sets
 * `step.keyframe`. Steps sharing a (near-identical) frame share one stored image. Each frame
 * is decoded once (kept for encoding within a memory budget). Returns the number of distinct
 * images stored.
 */
export async function attachKeyframes(steps: DraftStep[], frames: Frame[], opts: ShotOptions, artifacts: ArtifactStore): Promise<number> {
  if (frames.length === 0 || steps.length === 0 || opts.maxPerSession === 0) return 0;
  const parallel = availableParallelism();
  const want = framesToThumb(steps, frames, opts);
  const thumbs = new Map<number, Uint8Array>();
  const decoded = new Map<number, Decoded>();
  let kept = 0;
  await mapLimit(want, parallel, async (i) => {
    const frame = frames[i]!;
    const r = await readImage(frame, () => decodeFrame(frame.file, opts.width));
    thumbs.set(i, r.thumb);
    if (kept + r.decoded.data.byteLength <= DECODED_BUDGET_BYTES) {
      kept += r.decoded.data.byteLength;
      decoded.set(i, r.decoded);
    }
  });
  const picks = chooseFrames(steps, frames, thumbs, opts);
  const chosen = applyCap(steps, picks, opts.maxPerSession);
  for (const i of decoded.keys()) if (!chosen.has(i)) decoded.delete(i);
  const encoded = new Map<number, Keyframe>();
  await mapLimit([...chosen].sort((a, b) => a - b), parallel, async (i) => {
    const frame = frames[i]!;
    const img = await readImage(frame, () => encodeFrame(decoded.get(i) ?? frame.file, opts));
    decoded.delete(i);
    const artifact = artifacts.put(img.data, img.mediaType);
    encoded.set(i, { artifact, mediaType: img.mediaType, t: frame.t, width: img.width, height: img.height });
  });
  picks.forEach((f, s) => {
    const kf = encoded.get(f);
    if (kf) steps[s]!.keyframe = { ...kf };
  });
  return encoded.size;
}

/** Turns a decoder failure into TP_INPUT naming the image. */
async function readImage<T>(frame: Frame, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // libvips words the same damage differently from call to call (its cache): the message stays
    // fixed, so a failure is a function of the bytes too; the decoder's words go in the cause.
    throw inputError(`${frame.label}: cannot be decoded as an image`, { location: { file: frame.label }, cause: err });
  }
}
