import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedSession } from '../load/stage.ts';
import { extractFrames } from './ffmpeg.ts';
import type { Frame } from './keyframes.ts';
import type { NormalizeOptions } from './options.ts';

export const VIDEO_FILE = 'video.mp4';

/**
 * The frames keyframes are chosen from: the session's screenshots, or, when it has none but
 * has video.mp4, frames sampled from the video at `video.fps` (into a temp folder that
 * `release` deletes).
 */
export async function sessionFrames(
  session: LoadedSession,
  untilMs: number,
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
    const times = await extractFrames(join(session.dir, VIDEO_FILE), dir, { fps: opts.video.fps, maxWidth: opts.screenshots.width, durationMs: untilMs + 1000 });
    const names = (await readdir(dir)).filter((n) => n.endsWith('.png')).sort();
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
