import { resolve } from 'node:path';
import type { StageRegistry } from '../engine/stage.ts';
import { cacheFileIn, DEFAULT_CACHE_DIR } from '../engine/cache/location.ts';

/** Where a command writes and what it knows of its surroundings; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  registry: StageRegistry;
  /**
   * Builds the registry a command needs, when the composition root supplies one:
   * only the stages a pipeline names, and the pipeline's own stage modules. Without
   * it, every command uses `registry` as it is (tests pass a fixed one).
   */
  stagesFor?: (need: StageNeed) => Promise<StageRegistry>;
  /** Called after `exec --variant all` with the runs in order (the composition root prints a comparison). */
  afterVariants?: (runIds: string[], json: boolean, cacheDir: string) => void | Promise<void>;
}

/** What a command is about to read: pipeline files (with their `--set` overrides), a recorded run, or every stage. */
export type StageNeed = { pipelines: string[]; sets?: string[] } | { run: string; cache?: string | undefined } | 'all';

/** The Io with the registry `need` calls for (unchanged when the Io has no `stagesFor`). */
export async function withStages(io: Io, need: StageNeed): Promise<Io> {
  return io.stagesFor === undefined ? io : { ...io, registry: await io.stagesFor(need) };
}

export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

export function processIo(registry: StageRegistry): Io {
  // `tracepipe runs | head` closes the pipe early; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    isTTY: Boolean(process.stdout.isTTY) && process.env.CI === undefined,
    env: process.env,
    cwd: process.cwd(),
    registry,
  };
}

/** The cache file for commands that take no pipeline: --cache, then TRACEPIPE_CACHE, then ./.tracepipe. */
export function cacheFile(io: Io, cacheDir: string | undefined): string {
  const dir = cacheDir ?? io.env.TRACEPIPE_CACHE ?? DEFAULT_CACHE_DIR;
  return cacheFileIn(resolve(io.cwd, dir));
}
