import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { findFfmpeg } from '../../stages/normalize/ffmpeg.ts';

/** A video ffmpeg makes from one of its own sources (`testsrc=size=320x240:rate=10`, `color=c=gray:...`), `seconds` long. */
export function lavfiVideo(file: string, source: string, seconds: number, encoder: string[] = []): void {
  execFileSync(findFfmpeg(process.env), ['-v', 'error', '-f', 'lavfi', '-i', source, '-t', String(seconds), ...encoder, '-pix_fmt', 'yuv420p', file]);
}

/**
 * `dir/video.mp4` as Playwright writes screen videos: a frame only when the screen changed. Each
 * still is a grey of `shade` (0-255) shown for `seconds`.
 */
export async function greyStillsVideo(dir: string, stills: readonly (readonly [shade: number, seconds: number])[], width = 320, height = 240): Promise<void> {
  const list: string[] = [];
  for (const [i, [shade, seconds]] of stills.entries()) {
    const png = await sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade } } })
      .png()
      .toBuffer();
    writeFileSync(join(dir, `still-${i}.png`), png);
    list.push(`file still-${i}.png`, `duration ${seconds}`);
  }
  // ffmpeg's concat demuxer shows the last file's duration only when the file is listed once more.
  list.push(`file still-${stills.length - 1}.png`);
  writeFileSync(join(dir, 'list.txt'), `${list.join('\n')}\n`);
  execFileSync(findFfmpeg(process.env), [
    '-v',
    'error',
    '-f',
    'concat',
    '-i',
    join(dir, 'list.txt'),
    '-fps_mode',
    'vfr',
    '-pix_fmt',
    'yuv420p',
    join(dir, 'video.mp4'),
  ]);
}
