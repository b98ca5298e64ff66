import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../../engine/errors.ts';
import { hashJson } from '../../engine/hash.ts';
import { defineStage } from '../../engine/stage.ts';
import { isNativeSession, validateSession } from '../../domain/session/validate.ts';
import { detectFormat, FORMAT_CHOICES, importPath } from '../../domain/formats/index.ts';

import type { LoadedSession } from '../../domain/session/loaded.ts';
import type { Consumes } from '../../domain/roles.ts';

export { openLoaded, type LoadedSession, type OpenedSession, type SessionSource } from '../../domain/session/loaded.ts';

/** 'auto' detects the format; an importer's name forces it (e.g. 'clones', 'native'). */
const FormatChoice = z.enum(FORMAT_CHOICES);

export const LoadOptions = z.object({
  format: FormatChoice.default('auto').meta({ description: "'auto' detects the format; an importer's name forces it." }),
  /** The suite id given to imported sessions whose source does not name one. */
  suite: z.string().optional(),
});
export type LoadOptions = z.infer<typeof LoadOptions>;

/** Where load writes the native sessions it imports, under the cache folder; `gc` removes the ones no result reads. */
export const IMPORTS_DIR = 'imports';

/** Bump when what load or an importer writes changes: it names the import folders too, so old imports are not reused. */
const VERSION = '4';

export const loadStage = defineStage<LoadOptions, Consumes<never>, LoadedSession>({
  name: 'load',
  kind: 'map',
  version: VERSION,
  description: 'Reads one session (native folder or any importable format) and validates it fully.',
  options: LoadOptions,
  consumes: [],
  produces: 'session',
  // `sessions.format` is the pipeline-wide default of `with.format`.
  sessionOptions: z.looseObject({
    format: FormatChoice.optional().meta({ description: "Force one importer instead of auto-detecting ('auto' detects); a load node's with.format wins." }),
  }),
  // Two sessions with one id would write one example folder over the other.
  uniqueBy: (output) => output.meta.id,
  derivedDirs: [IMPORTS_DIR],
  async run(ctx): Promise<LoadedSession> {
    const fromSessions = ctx.pipeline.sessions['format'];
    const format = ctx.options.format !== 'auto' ? ctx.options.format : typeof fromSessions === 'string' ? fromSessions : 'auto';
    const path = ctx.source.item();
    if ((format === 'native' || format === 'auto') && (await isNativeSession(path, false))) {
      const { dir: _dir, ...summary } = await validateSession(path);
      return { ...summary, source: { root: 'item', path: '' }, format: 'native' };
    }
    const detected = format === 'auto' ? await detectFormat(path) : format;
    // Same input, options and importer version: same folder, wherever the sessions folder is.
    const suite = ctx.options.suite;
    const name = `${ctx.item.fingerprint}-${hashJson({ version: VERSION, suite: suite ?? null, format, item: ctx.item.id }).slice(0, 12)}`;
    const importRel = `${IMPORTS_DIR}/${name}`;
    const dirs = await importFresh(path, join(ctx.pipeline.cacheDir, importRel), detected, suite);
    if (dirs.length === 0) {
      throw inputError(`${path}: the ${detected} importer found no session in it`, { location: { file: path } });
    }
    if (dirs.length !== 1) {
      throw inputError(`${path}: a ${detected} input holds ${dirs.length} sessions; load reads one session per item`, {
        location: { file: path },
        hint: `Run \`tracepipe import ${path} --out <dir>\` first and point the pipeline's sessions at <dir>/*.`,
      });
    }
    const sessionRel = `${importRel}/${dirs[0]!}`;
    ctx.emit('imported', { format: detected, dir: sessionRel });
    // Read through ctx.source: a deleted or altered import makes this result stale, and load imports again.
    const { dir: _dir, ...summary } = await validateSession(ctx.source.cache(sessionRel));
    return { ...summary, source: { root: 'cache', path: sessionRel }, format: detected };
  },
});

/**
 * Imports into `outDir`, replacing whatever is there: load runs only when no valid result
 * exists, and then a folder left at the same place may be half-written, altered or stale.
 * The import is written beside it and renamed into place, so a crash never leaves a
 * half-written folder under the final name. Returns the session folder names inside.
 */
async function importFresh(path: string, outDir: string, format: string, suite?: string): Promise<string[]> {
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  const old = `${outDir}.old-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await importPath(path, tmp, { format, ...(suite === undefined ? {} : { suite }) });
    await rename(outDir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(tmp, outDir).catch(async (err: NodeJS.ErrnoException) => {
      // Another worker put the same import in place first: keep theirs.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
  return sessionDirs(outDir);
}

async function sessionDirs(outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const name of names.sort()) if (await isNativeSession(join(outDir, name))) dirs.push(name);
  return dirs;
}
