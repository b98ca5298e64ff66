import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { listVariants } from '../../engine/config/index.ts';
import { executeRun, takeSnapshot, readSnapshot, type RunResult } from '../../engine/run/index.ts';
import type { ResolvedPipeline } from '../../engine/config/types.ts';
import type { SnapshotFiles } from '../../engine/run/files.ts';
import type { Store } from '../../engine/cache/types.ts';
import { EXIT, type Io } from '../io.ts';
import { openRun } from '../run-ref.ts';
import { requireWritableFolders } from '../writable.ts';
import { concurrencyNotes } from '../concurrency-note.ts';
import { loadValid, openStoreFor } from '../open-pipeline.ts';
import { chooseReporter } from '../reporters/index.ts';

export interface ExecArgs {
  variant?: string;
  set?: string[];
  failFast?: boolean;
  json?: boolean;
}

/** Hooks other commands (compare after `--variant all`) can attach to a finished exec. */
export interface ExecOutcome {
  code: number;
  runs: RunResult[];
  cacheDir?: string;
}

export async function execCommand(io: Io, file: string, args: ExecArgs): Promise<ExecOutcome> {
  const variants = args.variant === 'all' ? allVariants(io, file) : [args.variant ?? null];
  const loaded = variants.map((variant) => loadValid(io, file, { variant, set: args.set ?? [] }));
  for (const { pipeline } of loaded) requireWritableFolders(pipeline, io.cwd);
  for (const note of new Set(loaded.flatMap(({ raw, pipeline }) => concurrencyNotes(raw, pipeline)))) io.err(note);
  const runs: RunResult[] = [];
  for (const { pipeline, raw } of loaded) {
    const { snapshot, files } = takeSnapshot(pipeline, io.registry, raw);
    const store = openStoreFor(pipeline);
    try {
      const result = await runWithSignals(io, {
        pipeline,
        files,
        snapshot,
        store,
        failFast: args.failFast ?? false,
        json: args.json ?? false,
        resumedFrom: null,
      });
      runs.push(result);
      if (result.status === 'interrupted') break;
    } finally {
      store.close();
    }
  }
  return { code: exitCode(runs), runs, cacheDir: loaded[0]?.pipeline.cacheDir };
}

export async function resumeCommand(io: Io, runId: string, args: { json?: boolean; failFast?: boolean; cache?: string }): Promise<number> {
  const { store, run } = openRun(io, args.cache, runId);
  try {
    const { snapshot, files } = readSnapshot(run.snapshot, run.id);
    requireWritableFolders(snapshot.pipeline, io.cwd);
    const result = await runWithSignals(io, {
      pipeline: snapshot.pipeline,
      files,
      snapshot,
      store,
      failFast: args.failFast ?? false,
      json: args.json ?? false,
      resumedFrom: run.id,
    });
    return exitCode([result]);
  } finally {
    store.close();
  }
}

/** `--variant all`: the base pipeline, then every named variant in file order. */
function allVariants(io: Io, file: string): (string | null)[] {
  return [null, ...listVariants(resolve(io.cwd, file))];
}

async function runWithSignals(
  io: Io,
  o: { pipeline: ResolvedPipeline; files: SnapshotFiles; snapshot: unknown; store: Store; failFast: boolean; json: boolean; resumedFrom: string | null },
): Promise<RunResult> {
  const ac = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err('\ninterrupting: no new items are started; items in flight finish (press Ctrl-C again to quit at once)');
      ac.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const reporter = chooseReporter(io, o.json);
  try {
    const result = await executeRun({
      pipeline: o.pipeline,
      registry: io.registry,
      store: o.store,
      files: o.files,
      snapshot: o.snapshot,
      failFast: o.failFast,
      signal: ac.signal,
      listeners: [reporter.listener],
      resumedFrom: o.resumedFrom,
      env: io.env,
    });
    if (!o.json && existsSync(o.pipeline.outDir)) io.out(`outputs in ${relative(io.cwd, o.pipeline.outDir) || '.'}`);
    return result;
  } finally {
    reporter.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function exitCode(runs: RunResult[]): number {
  if (runs.some((r) => r.status === 'interrupted')) return EXIT.interrupted;
  return runs.some((r) => r.status === 'failed') ? EXIT.failed : EXIT.ok;
}
