import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../../engine/errors.ts';
import { readHar } from '../../network/har.ts';
import { InputEvent, SessionMeta } from '../../session/model.ts';
import type { ScreenshotData } from '../../session/write.ts';
import { writeNativeSession } from '../../session/write.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isFile, listDir, readJsonFile, readJsonLines } from './read-input.ts';

const SHOT_NAME = /^(\d+)\.(png|jpe?g)$/i;

/** Session folders at `path`: the folder itself when it holds session.json, else its children that do. */
async function sessionDirs(path: string): Promise<string[]> {
  if (await isFile(join(path, 'session.json'))) return [path];
  const out: string[] = [];
  for (const child of await listDir(path)) {
    if (!child.startsWith('.') && (await isFile(join(path, child, 'session.json')))) out.push(join(path, child));
  }
  return out;
}

/**
 * Native sessions (DESIGN §2), one folder or a folder of them: validated (meta, every event
 * line, monotonic clock, HAR shape, screenshot names) and rewritten, which also redacts them.
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

async function copySession(dir: string, outDir: string): Promise<string> {
  const metaFile = join(dir, 'session.json');
  const parsedMeta = SessionMeta.safeParse(await readJsonFile(metaFile));
  if (!parsedMeta.success) {
    const issue = parsedMeta.error.issues[0];
    return fieldError({ file: metaFile }, issue?.path.join('.') || '(root)', issue?.message ?? 'is invalid');
  }
  const meta = parsedMeta.data;
  const eventsFile = join(dir, 'input_events.jsonl');
  const events: InputEvent[] = [];
  let lastT = 0;
  for (const { value, line } of (await isFile(eventsFile)) ? await readJsonLines(eventsFile) : []) {
    const parsed = InputEvent.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fieldError({ file: eventsFile, line }, issue?.path.join('.') || '(root)', issue?.message ?? 'is invalid');
    }
    if (parsed.data.t < lastT) fieldError({ file: eventsFile, line }, 't', `goes back in time (${parsed.data.t} after ${lastT})`);
    lastT = parsed.data.t;
    events.push({ ...parsed.data, id: parsed.data.id ?? `input_events.jsonl:${line}` });
  }
  const harFile = join(dir, 'network.har');
  const har = (await isFile(harFile)) ? readHar(await readFile(harFile, 'utf8'), harFile) : undefined;
  const screenshots: ScreenshotData[] = [];
  for (const name of await listDir(join(dir, 'screenshots'))) {
    const m = SHOT_NAME.exec(name);
    if (m === null) {
      throw inputError(`${join(dir, 'screenshots', name)}: screenshot names must be <ms>.png or <ms>.jpg`, { location: { file: join(dir, 'screenshots', name) } });
    }
    const ext = (m[2] ?? 'png').toLowerCase() === 'png' ? 'png' : 'jpg';
    screenshots.push({ t: Number(m[1]), data: await readFile(join(dir, 'screenshots', name)), ext });
  }
  const video = join(dir, 'video.mp4');
  await writeNativeSession(outDir, {
    meta: { ...meta, id: meta.id },
    events,
    ...(har === undefined ? {} : { har }),
    screenshots,
    ...((await isFile(video)) ? { video } : {}),
  });
  return meta.id;
}
