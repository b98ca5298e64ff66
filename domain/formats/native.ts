import { join } from 'node:path';
import { readScreenshot } from '../session/read.ts';
import { findSessionFile } from '../session/session-file.ts';
import { isNativeSession, readSessionContent, VIDEO_FILE } from '../session/validate.ts';
import type { ScreenshotData } from '../session/write.ts';
import { writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { listDir } from './read-input.ts';

/**
 * Session folders at `path`: the folder itself when it is one (by the rule `load` uses: it
 * holds session.json or input_events.jsonl), else its children that are.
 */
async function sessionDirs(path: string): Promise<string[]> {
  if (await isNativeSession(path, false)) return [path];
  const out: string[] = [];
  for (const child of await listDir(path)) {
    if (!child.startsWith('.') && (await isNativeSession(join(path, child), false))) out.push(join(path, child));
  }
  return out;
}

/**
 * Native sessions (DESIGN §2), one folder or a folder of them: validated as `load` validates
 * them and rewritten, which also redacts them.
 */
export const native: SessionFormat = {
  name: 'native',
  async detect(path) {
    return (await sessionDirs(path)).length > 0;
  },
  async convert(path, outDir) {
    const ids: string[] = [];
    for (const dir of await sessionDirs(path)) ids.push(await copySession(dir, outDir));
    return ids;
  },
};

/**
 * Reads the session under the checks `load` applies (readSessionContent: one rule for both
 * commands, so a folder one accepts the other accepts, and a bad one fails with the same error).
 */
async function copySession(dir: string, outDir: string): Promise<string> {
  const session = await readSessionContent(dir);
  const screenshots: ScreenshotData[] = [];
  for (const ref of session.screenshots) {
    const { data, kind } = await readScreenshot(dir, ref);
    screenshots.push({ t: ref.t, data, ext: kind });
  }
  const video = session.hasVideo ? await findSessionFile(dir, VIDEO_FILE) : undefined;
  await writeNativeSession(outDir, {
    meta: session.meta,
    events: session.events,
    ...(session.har === undefined ? {} : { har: session.har }),
    screenshots,
    ...(video === undefined ? {} : { video }),
  });
  return session.meta.id;
}
