import { existsSync } from 'node:fs';
import { loadPipeline } from '../engine/config/index.ts';
import type { ResolvedPipeline } from '../engine/config/types.ts';
import { SqliteStore } from '../engine/cache/sqlite.ts';
import { MemoryStore } from '../engine/cache/memory.ts';
import type { Store } from '../engine/cache/types.ts';
import type { Io } from './io.ts';
import { cacheFileIn } from '../engine/cache/location.ts';
import { PipelineProblems } from './pipeline-problems.ts';

export interface PipelineArgs {
  variant?: string | null;
  set?: string[];
}

/** Loads and validates a pipeline; throws PipelineProblems (every diagnostic) when it has any. */
export function loadValid(io: Io, file: string, args: PipelineArgs): { pipeline: ResolvedPipeline; raw: Record<string, unknown> } {
  const result = loadPipeline(file, { variant: args.variant ?? null, sets: args.set ?? [], env: io.env, registry: io.registry, cwd: io.cwd });
  if (!result.ok) throw new PipelineProblems(file, result.diagnostics, result.sources);
  return { pipeline: result.pipeline, raw: result.raw };
}

export function openStoreFor(pipeline: ResolvedPipeline): SqliteStore {
  return new SqliteStore(cacheFileIn(pipeline.cacheDir));
}

/** The pipeline's cache for a command that only reads it (plan, diff): an empty store when there is none yet, so none is created. */
export function readStoreFor(pipeline: ResolvedPipeline): Store {
  const file = cacheFileIn(pipeline.cacheDir);
  return existsSync(file) ? new SqliteStore(file) : new MemoryStore();
}
