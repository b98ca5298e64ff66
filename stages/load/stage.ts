import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../../engine/errors.ts';
import { hashJson } from '../../engine/hash.ts';
import { defineStage } from '../../engine/stage.ts';
import type { ScreenshotRef, SessionMeta } from '../session/model.ts';
import { isNativeSession, validateSession } from '../session/validate.ts';
import { detectFormat, importPath } from './formats/index.ts';

/**
 * What `load` outputs for one session: where the native folder is and what it holds.
 * Events are counted, never embedded (normalize streams them again), so the output stays small.
 */
export interface LoadedSession {
  /** Absolute path of the native session folder (the item itself, or its import under the cache dir). */
  dir: string;
  /** The format the item was read as ('native' or the importer's format name). */
  format: string;
  meta: SessionMeta;
  eventCount: number;
  /** Paths relative to `dir`, sorted by time. */
  screenshots: ScreenshotRef[];
  hasNetwork: boolean;
  hasVideo: boolean;
}

export const LoadOptions = z.object({
  /** 'auto' detects the format; any importer name forces it (e.g. 'clones', 'native'). */
  format: z.string().default('auto'),
  /** The suite id given to imported sessions whose source does not name one. */
  suite: z.string().optional(),
});
export type LoadOptions = z.infer<typeof LoadOptions>;

/** Bump when what load or an importer writes changes: it names the import folders too, so old imports are not reused. */
const VERSION = '2';

export const loadStage = defineStage({
  name: 'load',
  kind: 'map',
  version: VERSION,
  description: 'Reads one session (native folder or any importable format) and validates it fully.',
  options: LoadOptions,
  async run(ctx): Promise<LoadedSession> {
    const fromSessions = ctx.pipeline.sessions['format'];
    const format =
      ctx.options.format !== 'auto' ? ctx.options.format : typeof fromSessions === 'string' ? fromSessions : 'auto';
    const path = ctx.item.path;
    if ((format === 'native' || format === 'auto') && (await isNativeSession(path, false))) {
      return { ...(await validateSession(path)), format: 'native' };
    }
    const detected = format === 'auto' ? await detectFormat(path) : format;
    // Same input, options and importer version: same folder. Anything that changes the import gets its own.
    const suite = ctx.options.suite;
    const name = `${ctx.item.fingerprint}-${hashJson({ version: VERSION, suite: suite ?? null, format }).slice(0, 12)}`;
    const outDir = join(ctx.pipeline.cacheDir, 'imports', name);
    const dirs = await importOnce(path, outDir, detected, suite);
    if (dirs.length === 0) {
      throw inputError(`${path}: the ${detected} importer found no session in it`, { location: { file: path } });
    }
    if (dirs.length !== 1) {
      throw inputError(`${path}: a ${detected} input holds ${dirs.length} sessions; load reads one session per item`, {
        location: { file: path },
        hint: `Run \`tracepipe import ${path} --out <dir>\` first and point the pipeline's sessions at <dir>/*.`,
      });
    }
    ctx.emit('imported', { format: detected, dir: dirs[0] });
    return { ...(await validateSession(dirs[0]!)), format: detected };
  },
});

/**
 * Imports into `outDir` unless a finished import is already there. The item's fingerprint
 * names the folder, so the same input always lands in the same place; a half-written import
 * (crash) is never mistaken for a finished one because it is renamed into place at the end.
 */
async function importOnce(path: string, outDir: string, format: string, suite?: string): Promise<string[]> {
  const done = await sessionDirs(outDir);
  if (done !== undefined) return done;
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await importPath(path, tmp, { format, ...(suite === undefined ? {} : { suite }) });
    await rename(tmp, outDir).catch(async (err: NodeJS.ErrnoException) => {
      // Another worker finished the same import first: keep theirs.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return (await sessionDirs(outDir)) ?? [];
}

async function sessionDirs(outDir: string): Promise<string[] | undefined> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return undefined;
  }
  const dirs: string[] = [];
  for (const name of names.sort()) if (await isNativeSession(join(outDir, name))) dirs.push(join(outDir, name));
  return dirs;
}
