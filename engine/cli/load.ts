import { join } from 'node:path';
import { formatDiagnostics, loadPipeline } from '../config/index.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import { SqliteStore } from '../cache/sqlite.ts';
import type { Io } from './io.ts';

export interface PipelineArgs {
  variant?: string | null;
  set?: string[];
}

/** Loads and validates a pipeline; on problems prints every diagnostic and returns null. */
export function loadOrReport(io: Io, file: string, args: PipelineArgs): { pipeline: ResolvedPipeline; raw: Record<string, unknown> } | null {
  const result = loadPipeline(file, { variant: args.variant ?? null, sets: args.set ?? [], env: io.env, registry: io.registry, cwd: io.cwd });
  if (!result.ok) {
    io.err(formatDiagnostics(result.diagnostics, result.sources, { cwd: io.cwd }));
    const n = result.diagnostics.length;
    io.err(`\n${n} problem${n === 1 ? '' : 's'} in ${file}; nothing was run.`);
    return null;
  }
  return { pipeline: result.pipeline, raw: result.raw };
}

export function openStoreFor(pipeline: ResolvedPipeline): SqliteStore {
  return new SqliteStore(join(pipeline.cacheDir, 'cache.db'));
}
