import type { SourceFiles } from '../../engine/stage.ts';
import type { ScreenshotRef, SessionMeta } from './model.ts';

/**
 * Where a loaded session's native folder is, independent of where the sessions folder sits:
 * the item itself, or an import of it under the cache folder. Stages open it with
 * `openLoaded`, which reads it through `ctx.source` so every file reaches their key.
 */
export interface SessionSource {
  root: 'item' | 'cache';
  /** Relative to the item, or to the cache folder. */
  path: string;
}

/**
 * What `load` outputs for one session: what the native folder holds, and where it is
 * (never an absolute path: a moved sessions folder must give the same output).
 * Events are counted, never embedded (normalize streams them again), so the output stays small.
 */
export interface LoadedSession {
  source: SessionSource;
  /** The format the item was read as ('native' or the importer's format name). */
  format: string;
  meta: SessionMeta;
  eventCount: number;
  /** Paths relative to the session folder, sorted by time. */
  screenshots: ScreenshotRef[];
  hasNetwork: boolean;
  hasVideo: boolean;
}

/** A loaded session with the absolute path of its folder, for the code that reads it. */
export type OpenedSession = LoadedSession & { dir: string };

/** Resolves a loaded session's folder through `source`, so what a stage reads there is part of its key. */
export function openLoaded(source: SourceFiles, loaded: LoadedSession): OpenedSession {
  const dir = loaded.source.root === 'item' ? source.item(loaded.source.path) : source.cache(loaded.source.path);
  return { ...loaded, dir };
}
