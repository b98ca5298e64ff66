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
 * Writes frames of `video` sampled at `fps` (scaled to at most `maxWidth`) as PNG files
 * `<outDir>/000001.png`, ... up to `durationMs`. Frame n (1-based) shows time (n-1)/fps.
 */
export async function extractFrames(video: string, outDir: string, opts: { fps: number; maxWidth: number; durationMs: number }): Promise<void> {
  const bin = findFfmpeg();
  const args = [
    '-nostdin', '-v', 'error', '-i', video,
    '-t', (opts.durationMs / 1000).toFixed(3),
    '-vf', `fps=${opts.fps}:round=down,scale='min(${opts.maxWidth},iw)':-2`,
    '-f', 'image2', join(outDir, '%06d.png'),
  ];
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`ffmpeg exited with ${code}: ${err.trim()}`))));
  }).catch((cause: Error) => {
    throw new TracepipeError('TP_INPUT', `video.mp4: ffmpeg could not read frames (${cause.message.split('\n')[0]})`, {
      location: { file: video },
      cause,
      hint: 'Check that video.mp4 plays (ffprobe video.mp4), or remove it.',
    });
  });
  void stderr;
}
