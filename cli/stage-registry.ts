import { dirname, resolve } from 'node:path';
import { configError } from '../engine/errors.ts';
import type { StageDefinition, StageRegistry } from '../engine/stage.ts';
import type { Io, StageNeed } from './io.ts';
import { isStageModule, pipelineUses } from './pipeline-uses.ts';
import { loadStageModule } from './user-stages.ts';

/** Built-in stages by `uses:` name, each imported on first use. */
export type StageLoaders = Readonly<Record<string, () => Promise<StageDefinition>>>;

/**
 * The registry a command needs: the built-in stages its pipeline names (all of
 * them when it names one that does not exist, so the error can list them and
 * suggest one) and the pipeline's own stage modules, keyed by their `uses:` text.
 */
export async function registryFor(need: StageNeed, loaders: StageLoaders, io: Io): Promise<StageRegistry> {
  if (need === 'all') return loadBuiltins(Object.keys(loaders), loaders);
  const sources =
    'pipelines' in need ? need.pipelines.map((f) => pipelineSource(resolve(io.cwd, f), need.sets ?? [])) : await runSource(io, need.run, need.cache);
  const registry: Record<string, StageDefinition> = {};
  const fileOf = new Map<string, string>();
  for (const { dir, uses } of sources) {
    for (const name of uses.filter(isStageModule)) {
      const file = resolve(dir, name);
      const seen = fileOf.get(name);
      // Stages are known by their `uses:` text: one text naming two files would give the second pipeline the first one's code.
      if (seen !== undefined && seen !== file) {
        throw configError(`"uses: ${name}" names two different stage modules: ${seen} and ${file}`, {
          hint: 'Give the two modules different paths (e.g. a folder name in the uses: text), so each pipeline gets its own code.',
        });
      }
      fileOf.set(name, file);
      registry[name] ??= await loadStageModule(name, file, dir);
    }
  }
  const builtin = [...new Set(sources.flatMap((s) => s.uses).filter((u) => !isStageModule(u)))];
  const names = builtin.every((name) => Object.hasOwn(loaders, name)) ? builtin : Object.keys(loaders);
  return { ...(await loadBuiltins(names, loaders)), ...registry };
}

interface StageSource {
  /** Folder the module paths are relative to. */
  dir: string;
  uses: string[];
}

function pipelineSource(file: string, sets: readonly string[]): StageSource {
  return { dir: dirname(file), uses: pipelineUses(file, sets) };
}

/** `resume RUN` re-runs the run's recorded pipeline: its stages, resolved against the recorded folder. */
async function runSource(io: Io, runId: string, cache: string | undefined): Promise<StageSource[]> {
  const [{ openRun }, { readSnapshot }] = await Promise.all([import('./run-ref.ts'), import('../engine/run/snapshot.ts')]);
  // The same lookup (and words) as resume itself; no cache is created when there is none.
  const { store, run } = openRun(io, cache, runId);
  try {
    const { pipeline } = readSnapshot(run.snapshot, run.id).snapshot;
    return [{ dir: pipeline.dir, uses: pipeline.stages.map((s) => s.uses) }];
  } finally {
    store.close();
  }
}

async function loadBuiltins(names: string[], loaders: StageLoaders): Promise<Record<string, StageDefinition>> {
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await loaders[name]!()] as const)));
}
