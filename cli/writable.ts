import { accessSync, constants, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { ResolvedPipeline } from '../engine/config/types.ts';
import { configError } from '../engine/errors.ts';

/**
 * Refuses a run whose output or cache folder cannot be written (read-only, owned by
 * someone else), before any item starts: one error instead of one failure per item.
 */
export function requireWritableFolders(pipeline: ResolvedPipeline, cwd: string): void {
  for (const [what, key, dir] of [
    ['output folder', 'output', pipeline.outDir],
    ['cache folder', 'cache', pipeline.cacheDir],
  ] as const) {
    const problem = unwritable(dir);
    if (problem === undefined) continue;
    throw configError(`the ${what} ${relative(cwd, dir) || '.'} cannot be written (${problem}); nothing was run`, {
      hint: `Make it writable, or point \`${key}:\` in ${relative(cwd, pipeline.file) || pipeline.file} at a folder you can write.`,
    });
  }
}

/** Why nothing can be created at `dir` (checked at its nearest existing ancestor), or undefined. */
function unwritable(dir: string): string | undefined {
  let at = dir;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) return `${at} is not a folder`;
      break;
    } catch {
      const up = dirname(at);
      if (up === at) return undefined;
      at = up;
    }
  }
  try {
    accessSync(at, constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return at === dir ? code : `${code} at ${at}`;
  }
}
