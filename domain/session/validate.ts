import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHar, type Har } from '../network/har.ts';
import type { ScreenshotRef, SessionMeta } from './model.ts';
import { EVENTS_FILE, listScreenshots, META_FILE, readEventBatches, readSessionMeta, type SessionEvent } from './read.ts';
import { findSessionFile, readSessionText } from './session-file.ts';

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
  const has = async (name: string) =>
    access(join(dir, name)).then(
      () => true,
      () => false,
    );
  const [meta, events] = await Promise.all([has(META_FILE), has(EVENTS_FILE)]);
  return complete ? meta && events : meta || events;
}

/**
 * Validates a native session folder completely: session.json, every event line (streamed),
 * every screenshot, and network.har as normalize reads it (HAR 1.2). Throws TP_INPUT naming file, line and field.
 */
export async function validateSession(dir: string): Promise<SessionSummary> {
  const { har: _har, ...summary } = await checkSession(dir, () => {});
  return summary;
}

/** A validated native session with what it holds, for rewriting it (the native importer). */
export interface SessionContent extends SessionSummary {
  events: SessionEvent[];
  har?: Har;
}

/**
 * Reads a native session folder under exactly the checks of validateSession (the one rule
 * both `load` and `import` apply), keeping its events and HAR.
 */
export async function readSessionContent(dir: string): Promise<SessionContent> {
  const events: SessionEvent[] = [];
  const { har, ...summary } = await checkSession(dir, (batch) => {
    for (const e of batch) events.push(e);
  });
  return { ...summary, events, ...(har === undefined ? {} : { har }) };
}

async function checkSession(dir: string, onEvents: (batch: SessionEvent[]) => void): Promise<SessionSummary & { har?: Har }> {
  const meta = await readSessionMeta(dir);
  let eventCount = 0;
  for await (const batch of readEventBatches(dir)) {
    eventCount += batch.length;
    onEvents(batch);
  }
  const screenshots = await listScreenshots(dir);
  const hasNetwork = (await findSessionFile(dir, NETWORK_FILE)) !== undefined;
  // network.har must be what normalize will read: the same reader checks it here, so load fails, not normalize.
  const har = hasNetwork ? await readNetworkFile(dir) : undefined;
  const hasVideo = (await findSessionFile(dir, VIDEO_FILE)) !== undefined;
  return { dir, meta, eventCount, screenshots, hasNetwork, hasVideo, ...(har === undefined ? {} : { har }) };
}

/** Largest network.har read (about the longest string JavaScript can hold). */
const MAX_HAR_BYTES = 512 << 20;

/** A session's network.har, read under the session-file rule and checked as HAR 1.2. */
export async function readNetworkFile(dir: string): Promise<Har> {
  return readHar(await readSessionText(dir, NETWORK_FILE, MAX_HAR_BYTES), join(dir, NETWORK_FILE));
}
