import { join } from 'node:path';
import { TracepipeError } from '../../engine/errors.ts';
import type { OpenedSession } from '../../domain/session/loaded.ts';
import type { Env } from '../../engine/stage.ts';
import { emptyDecodeStats, findFfmpeg, grabFrames, scanVideo, type DecodeStats, type FrameWindow } from './ffmpeg.ts';
import { encodeFrame, readImage, type EncodedImage, type FrameSource } from './keyframes.ts';
import type { NormalizeOptions } from './options.ts';
import { mapLimit, signature } from './thumbs.ts';

export const VIDEO_FILE = 'video.mp4';

type FrameOptions = Pick<NormalizeOptions, 'video' | 'screenshots'>;

/**
 * The frames keyframes are chosen from: the session's screenshots, or, when it has none but
 * has video.mp4, the video's own frames before each step (see `videoFrames`). `release` is
 * kept for callers that clean up after a source; no source leaves files behind.
 */
export async function sessionFrames(
  session: Pick<OpenedSession, 'dir' | 'screenshots' | 'hasVideo'>,
  _stepTimes: number[],
  opts: FrameOptions,
  env: Env,
): Promise<{ frames: FrameSource & { stats: DecodeStats }; release(): Promise<void> }> {
  const release = async () => {};
  if (session.screenshots.length > 0) {
    const shots = session.screenshots.map((s) => ({ t: s.t, file: join(session.dir, s.path), label: s.path }));
    return { frames: screenshotFrames(shots, opts.screenshots.maxLookback), release };
  }
  if (!session.hasVideo) return { frames: { lagMs: 0, stats: emptyDecodeStats(), scan: async () => {}, encode: async () => new Map() }, release };
  return { frames: videoFrames(join(session.dir, VIDEO_FILE), opts, env), release };
}

/**
 * Screenshots as candidates: those within `maxLookback` shots before some step (a skipped
 * stretch is a gap), each reduced to a signature once.
 */
export function screenshotFrames(shots: { t: number; file: string; label: string }[], maxLookback: number): FrameSource & { stats: DecodeStats } {
  const sorted = [...shots].sort((a, b) => a.t - b.t);
  return {
    lagMs: 0,
    stats: emptyDecodeStats(),
    async scan(stepTimes, onFrame) {
      const need = new Set<number>();
      for (const t of stepTimes) {
        const k = lastAtOrBefore(sorted, t);
        for (let i = k; i >= 0 && k - i <= maxLookback; i--) need.add(i);
      }
      const wanted = [...need].sort((a, b) => a - b);
      const sigs = await mapLimit(wanted, 4, (i) => readImage(sorted[i]!.label, () => signature(sorted[i]!.file)));
      wanted.forEach((i, n) => {
        const shot = sorted[i]!;
        onFrame({ index: i, t: shot.t, sig: sigs[n]!, label: shot.label, afterGap: n > 0 && wanted[n - 1] !== i - 1 });
      });
    },
    async encode(chosen, opts) {
      const out = new Map<number, EncodedImage>();
      await mapLimit(chosen, 4, async (c) => out.set(c.index, await readImage(c.label, () => encodeFrame(sorted[c.index]!.file, opts))));
      return out;
    },
  };
}

/**
 * Frames of video.mp4 as candidates: every source frame in the `video.denseMs` before each
 * step, `video.fps` frames a second further back up to `video.lookbackMs`, and every frame that
 * changed the screen in between (see `scanVideo`), streamed as signatures (nothing is written to
 * disk); a stretch seeked over is a gap. Step times here
 * are already moved `video.eventLagMs` earlier (see `attachKeyframes`). Video time is
 * event time: frame t ms of the video shows the screen at t ms after startedAt. Chosen frames
 * are decoded again at output size. `stats` adds up what decoding cost.
 */
export function videoFrames(video: string, opts: FrameOptions, env: Env): FrameSource & { stats: DecodeStats } {
  const stats = emptyDecodeStats();
  let size: { width: number; height: number } | undefined;
  let bin: string | undefined;
  const ffmpeg = () => (bin ??= findFfmpeg(env));
  return {
    lagMs: opts.video.eventLagMs,
    stats,
    async scan(stepTimes, onFrame) {
      const looked = frameWindows(stepTimes, opts.video.lookbackMs);
      const dense = frameWindows(stepTimes, opts.video.denseMs);
      let index = 0;
      let lastRun = 0;
      size = await scanVideo(
        video,
        { dense, sparse: looked, fps: opts.video.fps },
        (t, sig, run) => {
          onFrame({ index: index++, t, sig, label: `${VIDEO_FILE}@${(t / 1000).toFixed(3)}s`, afterGap: run !== lastRun });
          lastRun = run;
        },
        stats,
        ffmpeg(),
      );
    },
    async encode(chosen, encodeOpts) {
      const out = new Map<number, EncodedImage>();
      if (chosen.length === 0 || size === undefined) return out;
      const raw = await grabFrames(
        video,
        chosen.map((c) => c.t),
        size,
        encodeOpts.width,
        stats,
        ffmpeg(),
      );
      for (const c of chosen) {
        const frame = raw.get(c.t);
        if (!frame)
          throw new TracepipeError('TP_STAGE', `${c.label}: the frame chosen as a keyframe was not found when the video was decoded again`, {
            location: { file: VIDEO_FILE },
          });
        out.set(c.index, await encodeFrame(frame, encodeOpts));
      }
      return out;
    },
  };
}

/** Index of the last frame taken at or before `t` (frames sorted by t), or -1. */
function lastAtOrBefore(frames: { t: number }[], t: number): number {
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

/** The video spans keyframe selection can look at: up to `spanMs` before each step, merged. */
export function frameWindows(stepTimes: number[], spanMs: number): FrameWindow[] {
  const out: FrameWindow[] = [];
  for (const t of [...stepTimes].sort((a, b) => a - b)) {
    const w = { from: Math.max(0, t - spanMs), to: t };
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push(w);
  }
  return out;
}
