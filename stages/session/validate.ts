import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../engine/errors.ts';
import type { ScreenshotRef, SessionMeta } from './model.ts';
import { EVENTS_FILE, listScreenshots, META_FILE, readEvents, readSessionMeta } from './read.ts';

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

/** True when `dir` looks like a native session folder (session.json + input_events.jsonl). */
export async function isNativeSession(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    await access(join(dir, META_FILE));
    await access(join(dir, EVENTS_FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a native session folder completely: session.json, every event line (streamed),
 * every screenshot, and that network.har is a HAR. Throws TP_INPUT naming file, line and field.
 */
export async function validateSession(dir: string): Promise<SessionSummary> {
  const meta = await readSessionMeta(dir);
  let eventCount = 0;
  for await (const _ of readEvents(dir)) eventCount++;
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

async function checkHar(file: string): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw inputError(`${NETWORK_FILE}: not valid JSON (${(err as Error).message})`, { location: { file }, cause: err });
  }
  const entries = (raw as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) {
    throw inputError(`${NETWORK_FILE} field "log.entries": expected an array (HAR 1.2)`, {
      location: { file, field: 'log.entries' },
    });
  }
}
