import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenedSession } from '../load/stage.ts';
import { extractFrames, type FrameWindow } from './ffmpeg.ts';
import type { Frame } from './keyframes.ts';
import type { NormalizeOptions } from './options.ts';

export const VIDEO_FILE = 'video.mp4';

/**
 * The frames keyframes are chosen from: the session's screenshots, or, when it has none but
 * has video.mp4, frames sampled from the video at `video.fps` (into a temp folder that
 * `release` deletes).
 */
export async function sessionFrames(
  session: OpenedSession,
  stepTimes: number[],
  opts: Pick<NormalizeOptions, 'video' | 'screenshots'>,
): Promise<{ frames: Frame[]; release(): Promise<void> }> {
  if (session.screenshots.length > 0) {
    const frames = session.screenshots.map((s) => ({ t: s.t, file: join(session.dir, s.path), label: s.path }));
    return { frames, release: async () => {} };
  }
  if (!session.hasVideo) return { frames: [], release: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'tracepipe-frames-'));
  const release = () => rm(dir, { recursive: true, force: true });
  try {
    const windows = frameWindows(stepTimes, ((opts.screenshots.maxLookback + 1) * 1000) / opts.video.fps);
    const times = await extractFrames(join(session.dir, VIDEO_FILE), dir, { fps: opts.video.fps, maxWidth: opts.screenshots.width, windows });
    const names = (await readdir(dir)).filter((n) => n.endsWith('.jpg')).sort();
    const frames: Frame[] = [];
    names.forEach((name, i) => {
      const t = times[i];
      if (t !== undefined) frames.push({ t, file: join(dir, name), label: `${VIDEO_FILE}@${(t / 1000).toFixed(3)}s` });
    });
    return { frames, release };
  } catch (err) {
    await release();
    throw err;
  }
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

