import { join } from 'node:path';
import { inputError } from '../../engine/errors.ts';
import { listDir } from './read-input.ts';

/** The folder's single .mp4, if any; several are ambiguous and a TP_INPUT error. */
export async function findVideo(dir: string): Promise<string | undefined> {
  const videos = (await listDir(dir)).filter((f) => f.toLowerCase().endsWith('.mp4'));
  if (videos.length > 1) {
    throw inputError(`${dir}: several videos (${videos.join(', ')}); expected one .mp4`, {
      location: { file: dir },
      hint: "Keep only the recording's own video in the folder.",
    });
  }
  return videos[0] === undefined ? undefined : join(dir, videos[0]);
}
