import type { Sharp } from 'sharp';
import { loadSharp } from './load-sharp.ts';
import { inputError } from '../../engine/errors.ts';
import type { ArtifactStore } from '../../engine/stage.ts';
import type { Keyframe, StepKind } from '../../domain/session/timeline.ts';
import type { NormalizeOptions } from './options.ts';
import type { DraftStep } from './reduce.ts';
import { regionDiff, type Signature } from './thumbs.ts';

/** A frame keyframes may be chosen from, with its signature. */
export interface Candidate {
  /** Position in the source's frame order (0, 1, ...). */
  index: number;
  /** Capture time, ms since startedAt. */
  t: number;
  sig: Signature;
  /** How the frame is named in errors (relative to the session). */
  label: string;
  /** Frames between this one and the one before it were not looked at (a gap between windows). */
  afterGap: boolean;
}

/** Where candidates come from (screenshots or a video) and how a chosen one becomes an image. */
export interface FrameSource {
  /** Frames this close before a step (ms) are not its screen (see `video.eventLagMs`); 0 for screenshots. */
  lagMs: number;
  /** Hands over, in time order, every candidate keyframe choice for steps at these times may look at. */
  scan(stepTimes: number[], onFrame: (frame: Candidate) => void): Promise<void>;
  /** The chosen candidates resized and encoded, by candidate index. */
  encode(chosen: Candidate[], opts: EncodeOptions): Promise<Map<number, EncodedImage>>;
}

export interface EncodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  mediaType: string;
}

type ShotOptions = NormalizeOptions['screenshots'];
export type EncodeOptions = Pick<ShotOptions, 'width' | 'format' | 'quality' | 'effort'>;

const POINTER_KINDS = new Set<StepKind>(['click', 'double_click', 'right_click', 'drag']);
const MEDIA_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/**
 * Chooses each step's keyframe as frames stream past (OpenCUA's state-action matching: the
 * screen the action acts on is the last settled one before it starts, never a frame from
 * after). For a step at t0 the anchor is the last frame at or before t0; the pick is the
 * earliest frame of the run of frames that look the same as the anchor (every frame compared
 * with the anchor, by region, so a menu or tooltip ends the run), which shows the same
 * screen and keeps a margin against a video clock slightly ahead of the events. A step shares
 * the previous step's pick only when nothing changed between them: the run reaches back to
 * that pick, or it starts at a gap in the frames looked at and matches that pick.
 * Memory stays bounded: only the last `maxLookback + 1` frames are kept.
 */
export class SettledFramePicker {
  private readonly buffer: Candidate[] = [];
  private readonly order: number[];
  private readonly picks: (Candidate | undefined)[];
  private next = 0;
  private prev: Candidate | undefined;

  constructor(
    private readonly stepTimes: number[],
    private readonly opts: Pick<ShotOptions, 'distinctThreshold' | 'maxLookback'>,
  ) {
    this.order = stepTimes.map((_, i) => i).sort((a, b) => stepTimes[a]! - stepTimes[b]! || a - b);
    this.picks = stepTimes.map(() => undefined);
  }

  push(frame: Candidate): void {
    while (this.next < this.order.length && this.stepTimes[this.order[this.next]!]! < frame.t) this.settle(this.order[this.next++]!);
    if (frame.afterGap) this.buffer.length = 0;
    this.buffer.push(frame);
    if (this.buffer.length > this.opts.maxLookback + 1) this.buffer.shift();
  }

  /** The pick per step (in the order the step times were given), after the last frame. */
  finish(): (Candidate | undefined)[] {
    while (this.next < this.order.length) this.settle(this.order[this.next++]!);
    return this.picks;
  }

  private same(a: Candidate, b: Candidate): boolean {
    return a === b || regionDiff(a.sig, b.sig) < this.opts.distinctThreshold;
  }

  private settle(step: number): void {
    const anchor = this.buffer[this.buffer.length - 1];
    if (anchor === undefined) return; // before the first frame
    let j = this.buffer.length - 1;
    let changed = false;
    while (j > 0) {
      if (!this.same(this.buffer[j - 1]!, anchor)) {
        changed = true;
        break;
      }
      j--;
    }
    const first = this.buffer[j]!;
    const prev = this.prev;
    const pick = prev !== undefined && (first.t <= prev.t || (!changed && this.same(prev, first))) ? prev : first;
    this.picks[step] = pick;
    this.prev = pick;
  }
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

function encoder(img: Sharp, opts: EncodeOptions): Sharp {
  if (opts.format === 'png') return img.png();
  if (opts.format === 'jpeg') return img.jpeg({ quality: opts.quality });
  return img.webp({ quality: opts.quality, effort: opts.effort });
}

/** Resizes (never enlarging, aspect kept) and encodes one frame, from its file or from raw RGB pixels. */
export async function encodeFrame(source: string | { data: Buffer; width: number; height: number }, opts: EncodeOptions): Promise<EncodedImage> {
  const sharp = await loadSharp();
  const img = typeof source === 'string' ? sharp(source) : sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } });
  const { data, info } = await encoder(img.resize({ width: opts.width, withoutEnlargement: true }), opts).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, mediaType: MEDIA_TYPES[opts.format] };
}

/**
 * Chooses, encodes and stores a keyframe for every step that has a frame before it, and sets
 * `step.keyframe`. Steps sharing a frame share one stored image. Returns the number of
 * distinct images stored.
 */
export async function attachKeyframes(steps: DraftStep[], frames: FrameSource, opts: ShotOptions, artifacts: ArtifactStore): Promise<number> {
  if (steps.length === 0 || opts.maxPerSession === 0) return 0;
  const times = steps.map((s) => s.t0 - frames.lagMs);
  const picker = new SettledFramePicker(times, opts);
  await frames.scan(times, (f) => picker.push(f));
  const picks = picker.finish();
  const chosen = applyCap(
    steps,
    picks.map((p) => p?.index ?? -1),
    opts.maxPerSession,
  );
  const byIndex = new Map<number, Candidate>();
  for (const p of picks) if (p !== undefined && chosen.has(p.index)) byIndex.set(p.index, p);
  const images = await frames.encode(
    [...byIndex.values()].sort((a, b) => a.index - b.index),
    opts,
  );
  const stored = new Map<number, Keyframe>();
  for (const [index, img] of images) {
    const artifact = artifacts.put(img.data, img.mediaType);
    stored.set(index, { artifact, mediaType: img.mediaType, t: byIndex.get(index)!.t, width: img.width, height: img.height });
  }
  picks.forEach((p, s) => {
    const kf = p === undefined ? undefined : stored.get(p.index);
    if (kf) steps[s]!.keyframe = { ...kf };
  });
  return stored.size;
}

/** Turns a decoder failure into TP_INPUT naming the image. */
export async function readImage<T>(label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // libvips words the same damage differently from call to call (its cache): the message stays
    // fixed, so a failure is a function of the bytes too; the decoder's words go in the cause.
    throw inputError(`${label}: cannot be decoded as an image`, { location: { file: label }, cause: err });
  }
}
