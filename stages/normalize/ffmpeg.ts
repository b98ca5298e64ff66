import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
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

/** A span of video time (ms) to take frames from. */
export interface FrameWindow {
  from: number;
  to: number;
}

/**
 * Writes frames of `video` that fall in `windows`, at most `fps` per second and scaled to at
 * most `maxWidth`, as high-quality JPEG files `<outDir>/000001.jpg`, ..., and returns each
 * file's capture time in ms. Frames are real source frames picked by `select` with their own
 * timestamps (read from showinfo), so a frame is never labelled earlier than the moment it
 * shows. Only the windows are written, so a long video costs decoding time, not disk.
 */
export async function extractFrames(
  video: string,
  outDir: string,
  opts: { fps: number; maxWidth: number; windows: FrameWindow[] },
): Promise<number[]> {
  const bin = findFfmpeg();
  if (opts.windows.length === 0) return [];
  const gap = (1 / opts.fps) * 0.999;
  // Window ends get 0.9 ms of slack: a frame stamped 1.9 s may compare as 1.9000001 s. Times are
  // floored to whole ms below, so such a frame is still at or before the step.
  const inWindow = opts.windows.map((w) => `between(t\\,${(w.from / 1000).toFixed(3)}\\,${((w.to + 0.9) / 1000).toFixed(4)})`).join('+');
  const filter = `select='(${inWindow})*(isnan(prev_selected_t)+gte(t-prev_selected_t\\,${gap.toFixed(6)}))',showinfo,scale='min(${opts.maxWidth},iw)':-2`;
  // The select expression grows with the number of windows: pass it in a file, not on the command line.
  const script = join(outDir, 'filter.txt');
  await writeFile(script, filter);
  const end = Math.max(...opts.windows.map((w) => w.to));
  const args = [
    '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-i', video,
    '-t', ((end + 2) / 1000).toFixed(3),
    '-filter_script:v', script,
    '-vsync', 'vfr', '-q:v', '2',
    '-f', 'image2', join(outDir, '%06d.jpg'),
  ];
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: string[] = [];
    child.stderr.on('data', (d: Buffer) => chunks.push(d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = chunks.join('');
      if (code === 0) resolve(text);
      // The scratch folder's name is random: keep it out of the message, which reaches run records and manifests.
      else reject(new Error(`ffmpeg exited with ${code}: ${lastLines(text).split(outDir).join('<frames>')}`));
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
