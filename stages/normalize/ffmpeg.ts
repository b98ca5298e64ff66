import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { TracepipeError } from '../../engine/errors.ts';

/** The ffmpeg binary: Debian's on PATH first, else the one bundled by @ffmpeg-installer/ffmpeg. */
export function findFfmpeg(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'ffmpeg');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  try {
    const bundled = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (existsSync(bundled)) return bundled;
  } catch {
    // not installed
  }
  throw new TracepipeError('TP_STAGE', 'ffmpeg was not found, so frames cannot be taken from video.mp4', {
    hint: 'Install ffmpeg (apt install ffmpeg) or the npm package @ffmpeg-installer/ffmpeg, or set screenshots.enabled: false.',
  });
}

/**
 * Writes frames of `video`, at most `fps` per second (scaled to at most `maxWidth`), as PNG
 * files `<outDir>/000001.png`, ... up to `durationMs`, and returns each file's capture time
 * in ms. Frames are real source frames picked by `select` with their own timestamps (read from
 * showinfo), so a frame is never labelled earlier than the moment it shows.
 */
export async function extractFrames(video: string, outDir: string, opts: { fps: number; maxWidth: number; durationMs: number }): Promise<number[]> {
  const bin = findFfmpeg();
  const gap = (1 / opts.fps) * 0.999;
  const args = [
    '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-i', video,
    '-t', (opts.durationMs / 1000).toFixed(3),
    '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${gap.toFixed(6)})',showinfo,scale='min(${opts.maxWidth},iw)':-2`,
    '-vsync', 'vfr',
    '-f', 'image2', join(outDir, '%06d.png'),
  ];
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: string[] = [];
    child.stderr.on('data', (d: Buffer) => chunks.push(d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = chunks.join('');
      if (code === 0) resolve(text);
      else reject(new Error(`ffmpeg exited with ${code}: ${lastLines(text)}`));
    });
  }).catch((cause: Error) => {
    throw new TracepipeError('TP_INPUT', `video.mp4: ffmpeg could not read frames (${cause.message.split('\n')[0]})`, {
      location: { file: video },
      cause,
      hint: 'Check that video.mp4 plays (ffprobe video.mp4), or remove it.',
    });
  });
  const times: number[] = [];
  for (const m of stderr.matchAll(/\] n: *\d+ pts: *-?\d+ pts_time:(-?[\d.]+)/g)) times.push(Math.max(0, Math.floor(Number(m[1]) * 1000)));
  return times;
}

const lastLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => !l.includes('Parsed_showinfo'))
    .slice(-2)
    .join(' ');
