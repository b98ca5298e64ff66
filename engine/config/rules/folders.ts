import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic, ResolvedPipeline } from '../types.ts';
import type { LMap } from '../located.ts';
import { locate } from '../located.ts';
import { makeDiagnostic } from '../make-diagnostic.ts';
import { CACHE_FILE_NAME, DEFAULT_CACHE_DIR } from '../../cache/location.ts';

/**
 * The cache and output folders must be folders (or not exist yet): a file at either
 * path would otherwise fail the run when it opens the cache, or every item as it writes.
 * Runs after resolution, because the defaults depend on the working folder.
 */
export function folderIssues(pipeline: ResolvedPipeline, root: LMap, cwd: string): Diagnostic[] {
  const checks = [
    {
      key: 'cache',
      what: 'cache folder',
      dir: pipeline.cacheDir,
      inside: CACHE_FILE_NAME,
      defaultHint: `the default is ${DEFAULT_CACHE_DIR} in the working folder`,
    },
    { key: 'output', what: 'output folder', dir: pipeline.outDir, inside: undefined, defaultHint: 'the default is out/<name> in the working folder' },
  ];
  return checks.flatMap(({ key, what, dir, inside, defaultHint }) => {
    const written = root.entries.has(key);
    const problem = folderProblem(dir) ?? (inside === undefined ? undefined : insideProblem(join(dir, inside)));
    if (problem === undefined) return [];
    const shown = relative(cwd, dir) || '.';
    const hint = written
      ? `Point \`${key}:\` at a folder (relative paths resolve against the pipeline file's folder).`
      : `Set \`${key}:\` to a folder, or move the file away (${defaultHint}).`;
    return [makeDiagnostic(locate(root, [key]), `the ${what} "${shown}" ${problem}`, [key], hint)];
  });
}

/** Why `dir` cannot be (or become) a folder; undefined when it is one or does not exist yet. */
export function folderProblem(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : 'is a file, not a folder';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'cannot be created: a part of its path is a file, not a folder';
    return `cannot be used (${code ?? String(err)})`;
  }
}

function insideProblem(file: string): string | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? undefined : `holds a ${CACHE_FILE_NAME} that is not a file`;
  } catch {
    return undefined;
  }
}
