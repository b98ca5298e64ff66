import { existsSync } from 'node:fs';
import { formatDiagnostics, loadPipeline } from '../engine/config/index.ts';
import type { ResolvedPipeline } from '../engine/config/types.ts';
import { SqliteStore } from '../engine/cache/sqlite.ts';
import { MemoryStore } from '../engine/cache/memory.ts';
import type { Store } from '../engine/cache/types.ts';
import { configError } from '../engine/errors.ts';
import type { Io } from './io.ts';
import { cacheFileIn } from '../engine/cache/location.ts';

export interface PipelineArgs {
  variant?: string | null;
  set?: string[];
  /** --json: problems are thrown as one TP_CONFIG error with the diagnostics in `details`, for printError. */
  json?: boolean;
}

/** Loads and validates a pipeline; on problems prints every diagnostic and returns null (with --json: throws them). */
export function loadOrReport(io: Io, file: string, args: PipelineArgs): { pipeline: ResolvedPipeline; raw: Record<string, unknown> } | null {
  const result = loadPipeline(file, { variant: args.variant ?? null, sets: args.set ?? [], env: io.env, registry: io.registry, cwd: io.cwd });
  if (!result.ok && args.json) {
    const n = result.diagnostics.length;
    throw configError(`${n} problem${n === 1 ? '' : 's'} in ${file}; nothing was run`, { details: { diagnostics: result.diagnostics } });
  }
  if (!result.ok) {
    io.err(formatDiagnostics(result.diagnostics, result.sources, { cwd: io.cwd }));
    const n = result.diagnostics.length;
    io.err(`\n${n} problem${n === 1 ? '' : 's'} in ${file}; nothing was run.`);
    return null;
  }
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
