import { join } from 'node:path';
import { inputError } from '../../engine/errors.ts';
import { firstZodIssue } from '../../engine/config/zod-issues.ts';
import { InputEvent, SessionMeta } from '../session/model.ts';
import { findSessionFile, openSessionFile, readSessionText } from '../session/session-file.ts';
import { NETWORK_FILE, readNetworkFile, VIDEO_FILE } from '../session/validate.ts';
import type { ScreenshotData } from '../session/write.ts';
import { writeNativeSession } from '../session/write.ts';
import type { SessionFormat } from './format.ts';
import { fieldError, isFile, listDir, parseJsonLines, parseJsonText } from './read-input.ts';

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

/** Largest session.json or input_events.jsonl an import reads whole. */
const MAX_IMPORT_TEXT_BYTES = 512 << 20;

/** Every file is read under the session-file rule (inside the folder after links, regular files only). */
async function copySession(dir: string, outDir: string): Promise<string> {
  const metaFile = join(dir, 'session.json');
  const rawMeta = parseJsonText(await readSessionText(dir, 'session.json', MAX_IMPORT_TEXT_BYTES), metaFile);
  const parsedMeta = SessionMeta.safeParse(rawMeta);
  if (!parsedMeta.success) {
    const issue = firstZodIssue(parsedMeta.error, rawMeta);
    return fieldError({ file: metaFile }, issue.field, issue.problem);
  }
  const meta = parsedMeta.data;
  const eventsFile = join(dir, 'input_events.jsonl');
  const events: InputEvent[] = [];
  let lastT = 0;
  const hasEvents = (await findSessionFile(dir, 'input_events.jsonl')) !== undefined;
  for (const { value, line } of hasEvents ? parseJsonLines(await readSessionText(dir, 'input_events.jsonl', MAX_IMPORT_TEXT_BYTES), eventsFile) : []) {
    const parsed = InputEvent.safeParse(value);
    if (!parsed.success) {
      const issue = firstZodIssue(parsed.error, value);
      return fieldError({ file: eventsFile, line }, issue.field, issue.problem);
    }
    if (parsed.data.t < lastT) fieldError({ file: eventsFile, line }, 't', `goes back in time (${parsed.data.t} after ${lastT})`);
    lastT = parsed.data.t;
    events.push({ ...parsed.data, id: parsed.data.id ?? `input_events.jsonl:${line}` });
  }
  const har = (await findSessionFile(dir, NETWORK_FILE)) !== undefined ? await readNetworkFile(dir) : undefined;
  const screenshots: ScreenshotData[] = [];
  for (const name of await listDir(join(dir, 'screenshots'))) {
    const m = SHOT_NAME.exec(name);
    if (m === null) {
      throw inputError(`${join(dir, 'screenshots', name)}: screenshot names must be <ms>.png or <ms>.jpg`, { location: { file: join(dir, 'screenshots', name) } });
    }
    const ext = (m[2] ?? 'png').toLowerCase() === 'png' ? 'png' : 'jpg';
    const fh = await openSessionFile(dir, join('screenshots', name));
    try {
      screenshots.push({ t: Number(m[1]), data: await fh.readFile(), ext });
    } finally {
      await fh.close();
    }
  }
  const video = await findSessionFile(dir, VIDEO_FILE);
  await writeNativeSession(outDir, {
    meta: { ...meta, id: meta.id },
    events,
    ...(har === undefined ? {} : { har }),
    screenshots,
    ...(video === undefined ? {} : { video }),
  });
  return meta.id;
}
