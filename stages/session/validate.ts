import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHar } from '../network/har.ts';
import type { ScreenshotRef, SessionMeta } from './model.ts';
import { EVENTS_FILE, listScreenshots, META_FILE, readEventBatches, readSessionMeta } from './read.ts';

export const NETWORK_FILE = 'network.har';
export const VIDEO_FILE = 'video.mp4';

/** What a fully validated native session folder holds (events are counted, not kept). */
export interface SessionSummary {
  dir: string;
  meta: SessionMeta;
  eventCount: number;
  screenshots: ScreenshotRef[];
  hasNetwork: boolean;
  hasVideo: boolean;
}

/**
 * True when `dir` is meant to be a native session folder: it holds session.json or
 * input_events.jsonl (with `complete`, both). A folder with only one of them is still
 * native, so validation can name the missing file instead of "unknown format".
 */
export async function isNativeSession(dir: string, complete = true): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch {
    return false;
  }
  const has = async (name: string) => access(join(dir, name)).then(() => true, () => false);
  const [meta, events] = await Promise.all([has(META_FILE), has(EVENTS_FILE)]);
  return complete ? meta && events : meta || events;
}

/**
 * Validates a native session folder completely: session.json, every event line (streamed),
 * every screenshot, and network.har as normalize reads it (HAR 1.2). Throws TP_INPUT naming file, line and field.
 */
export async function validateSession(dir: string): Promise<SessionSummary> {
  const meta = await readSessionMeta(dir);
  let eventCount = 0;
  for await (const batch of readEventBatches(dir)) eventCount += batch.length;
  const screenshots = await listScreenshots(dir);
  const hasNetwork = await exists(join(dir, NETWORK_FILE));
  if (hasNetwork) await checkHar(join(dir, NETWORK_FILE));
  const hasVideo = await exists(join(dir, VIDEO_FILE));
  return { dir, meta, eventCount, screenshots, hasNetwork, hasVideo };
}

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** network.har must be what normalize will read: the same reader checks it here, so load fails, not normalize. */
async function checkHar(file: string): Promise<void> {
  readHar(await readFile(file, 'utf8'), file);
}
