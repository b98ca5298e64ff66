import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { sha256 } from '../engine/hash.ts';
import { packageRoot } from '../engine/package-root.ts';
import { describeValue } from '../engine/config/describe-value.ts';
import type { StageDefinition } from '../engine/stage.ts';

/** tracepipe's own code: a stage module importing `tracepipe` does not put tracepipe's files in its key (its `version` covers them). */
const TRACEPIPE_CODE = ['index.ts', 'engine', 'stages', 'web', 'dist'];

/**
 * Loads a pipeline's own stage module (`uses: ./stages/my-filter.ts`, `abs` being
 * that path resolved against the pipeline file) through tsx, so TypeScript works
 * from the compiled CLI too. The stage's key gets the content hash of the module
 * and of every local file it imports (`input code <path> changed` in `plan`):
 * the code on disk is what runs, so it is hashed from disk, not from the run's
 * snapshot. A module that cannot be used becomes a stage whose check reports
 * why at the `uses:` line, so validation shows it like any other mistake.
 */
export async function loadStageModule(uses: string, abs: string, pipelineDir: string): Promise<StageDefinition> {
  if (!existsSync(abs))
    return unusableStage(
      uses,
      `stage module "${uses}" does not exist`,
      `Looked for ${abs}. \`uses:\` takes a built-in stage name or a path relative to the pipeline file.`,
    );
  const imported: string[] = [];
  let mod: unknown;
  try {
    const { register } = await import('tsx/esm/api');
    const api = register({ namespace: `tracepipe-stage-${randomUUID()}`, onImport: (url) => imported.push(url) });
    mod = await api.import(pathToFileURL(abs).href, import.meta.url);
  } catch (err) {
    return unusableStage(
      uses,
      `stage module "${uses}" failed to load: ${err instanceof Error ? err.message : String(err)}`,
      'Fix the module; it is imported when the pipeline is loaded, as an ES module (a .ts file in a "type": "module" package, or .mts).',
    );
  }
  const def = (mod as { default?: unknown } | null)?.default;
  const problem = notAStage(def);
  if (problem !== undefined) {
    return unusableStage(
      uses,
      `stage module "${uses}" does not export a stage: ${problem}`,
      "End it with `export default defineStage({ name, version, kind, options, run })`, `defineStage` imported from 'tracepipe'.",
    );
  }
  const stage = def as StageDefinition;
  const code = codeHashes([abs, ...localFiles(imported)], pipelineDir);
  return { ...stage, keyInputs: (node, pipeline) => ({ ...stage.keyInputs?.(node, pipeline), ...code }) };
}

/** Why a module's default export cannot be run as a stage, or undefined when it can. */
function notAStage(def: unknown): string | undefined {
  if (def === undefined) return 'it has no default export';
  if (typeof def !== 'object' || def === null) return `its default export is ${describeValue(def)}`;
  const d = def as Record<string, unknown>;
  if (d['kind'] === undefined) return 'its default export has no `kind` ("map" or "aggregate")';
  if (d['kind'] !== 'map' && d['kind'] !== 'aggregate') return `its default export has kind ${describeValue(d['kind'])}, not "map" or "aggregate"`;
  for (const field of ['name', 'version'] as const)
    if (typeof d[field] !== 'string' || d[field] === '') return `its default export has no \`${field}\` (a non-empty string)`;
  if (typeof (d['options'] as { safeParse?: unknown } | undefined)?.safeParse !== 'function')
    return 'its default export has no `options` schema (a zod schema, e.g. z.object({}))';
  if (typeof d['run'] !== 'function') return 'its default export has no `run` function';
  const consumes = d['consumes'];
  if (consumes !== undefined && !(Array.isArray(consumes) && consumes.every((r) => typeof r === 'string' && r !== '')))
    return `its default export has \`consumes\` ${describeValue(consumes)}, not a list of role names`;
  if (d['produces'] !== undefined && (typeof d['produces'] !== 'string' || d['produces'] === ''))
    return `its default export has \`produces\` ${describeValue(d['produces'])}, not a role name`;
  return undefined;
}

/** file: URLs tsx loaded for the module, minus dependencies and tracepipe itself. */
function localFiles(urls: string[]): string[] {
  const root = packageRoot();
  const own = TRACEPIPE_CODE.map((entry) => `${root}${sep}${entry}`);
  return urls
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url.replace(/\?.*$/, '')))
    .filter((path) => !path.split(sep).includes('node_modules') && !own.some((o) => path === o || path.startsWith(`${o}${sep}`)));
}

function codeHashes(paths: string[], pipelineDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of [...new Set(paths)].sort()) out[`code ${relative(pipelineDir, path) || path}`] = sha256(readFileSync(path));
  return out;
}

/** Stands in for a module that cannot be used; never runs, since its check fails validation. */
function unusableStage(uses: string, message: string, hint: string): StageDefinition {
  return {
    name: uses,
    version: '0',
    kind: 'map',
    options: z.unknown(),
    check: () => [{ message, path: ['uses'], hint }],
    run: () => {
      throw new Error(`unreachable: the unusable stage module "${uses}" passed validation`);
    },
  };
}
