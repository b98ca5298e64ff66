import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { MemoryStore } from '../../engine/cache/memory.ts';
import type { ResolvedPipeline } from '../../engine/config/types.ts';
import { executeRun, SnapshotFiles } from '../../engine/run/index.ts';
import { detectFormat, importPath } from '../../domain/formats/index.ts';
import { toErrorInfo, TracepipeError, type ErrorInfo } from '../../engine/errors.ts';
import { formatTimelineTable, inspectJson, NormalizeOptions, writeStepKeyframes } from '../../stages/normalize/index.ts';
import { loadStage } from '../../stages/load/index.ts';
import { normalizeStage } from '../../stages/normalize/index.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { isNativeSession } from '../../domain/session/validate.ts';
import { EXIT, type Io } from '../io.ts';
import { formatFailure } from '../reporters/summary.ts';

/**
 * `tracepipe import <path> --out <dir>`: any supported recording format to native sessions.
 * A folder of recordings is converted one recording at a time: every bad one is reported
 * (with its error) and the rest are converted. Exit 0 when all converted, 1 when some
 * failed; when none could be, the error is thrown (the recording's own, for one).
 */
export async function importCommand(io: Io, path: string, args: { out: string; format?: string; suite?: string; json?: boolean }): Promise<number> {
  const opts = { ...(args.format ? { format: args.format } : {}), ...(args.suite ? { suite: args.suite } : {}) };
  const out = resolve(io.cwd, args.out);
  const recordings = await recordingsAt(resolve(io.cwd, path), args.format);
  // One recording: its error is the command's error.
  if (recordings.length === 1 && recordings[0] === resolve(io.cwd, path)) {
    const ids = await importPath(recordings[0], out, opts);
    io.out(args.json ? JSON.stringify({ out: args.out, sessions: ids, failed: [] }, null, 2) : imported(ids, args.out, 0));
    return EXIT.ok;
  }
  const ids: string[] = [];
  const failed: { path: string; error: ErrorInfo }[] = [];
  for (const recording of recordings) {
    try {
      ids.push(...(await importPath(recording, out, opts)));
    } catch (err) {
      const error = err instanceof TracepipeError ? err.toInfo() : toErrorInfo(err, 'TP_INTERNAL');
      failed.push({ path: relative(io.cwd, recording) || recording, error });
      if (!args.json) io.err(formatFailure('import', relative(io.cwd, recording) || recording, error));
    }
  }
  if (ids.length === 0 && failed.length > 0)
    throw new TracepipeError('TP_INPUT', `none of the ${failed.length} recordings in ${path} could be imported`, { details: { failed } });
  io.out(args.json ? JSON.stringify({ out: args.out, sessions: ids, failed }, null, 2) : imported(ids, args.out, failed.length));
  return failed.length === 0 ? EXIT.ok : EXIT.failed;
}

const imported = (ids: string[], out: string, failed: number) =>
  `imported ${ids.length} session${ids.length === 1 ? '' : 's'} into ${out}${ids.length > 0 ? `: ${ids.join(', ')}` : ''}${failed > 0 ? `; ${failed} failed` : ''}`;

/**
 * The recordings to convert one by one: the children of a folder of recordings (a folder of
 * native sessions, or a folder no format reads as one recording), else the path itself (a
 * native session folder by the rule `load` uses).
 */
async function recordingsAt(path: string, format: string | undefined): Promise<string[]> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (format !== undefined || !isDir || (await isNativeSession(path, false))) return [path];
  const one = await detectFormat(path).then(
    (name) => name !== 'native',
    () => false,
  );
  if (one) return [path];
  return (await readdir(path))
    .filter((c) => !c.startsWith('.'))
    .sort()
    .map((c) => join(path, c));
}

/**
 * `tracepipe inspect <session> [--keyframes DIR]`: load and normalize one session (any format)
 * exactly as a pipeline does (keyframes from its screenshots or video included) and print its
 * timeline; with --keyframes, write each step's keyframe to DIR/<step id>.<ext>.
 */
export async function inspectCommand(io: Io, path: string, args: { json?: boolean; format?: string; keyframes?: string }): Promise<number> {
  const abs = resolve(io.cwd, path);
  const scratch = mkdtempSync(join(tmpdir(), 'tp-inspect-'));
  try {
    const registry = { load: loadStage, normalize: normalizeStage };
    const pipeline: ResolvedPipeline = {
      file: '<inspect>',
      dir: io.cwd,
      name: 'inspect',
      variant: null,
      sessions: { path: abs, ...(args.format ? { format: args.format } : {}) },
      concurrency: 1,
      outDir: join(scratch, 'out'),
      cacheDir: scratch,
      models: {},
      actionToolMaps: {},
      stages: [
        { id: 'load', uses: 'load', needs: [], with: loadStage.options.parse(args.format ? { format: args.format } : {}) as Record<string, unknown> },
        { id: 'normalize', uses: 'normalize', needs: ['load'], with: NormalizeOptions.parse({}) as Record<string, unknown> },
      ],
    };
    const store = new MemoryStore();
    const result = await executeRun({ pipeline, registry, store, files: new SnapshotFiles(new Map()), snapshot: {}, env: io.env });
    const first = result.summary.failures[0];
    if (first !== undefined) {
      // The session is one item: its first failure is the command's error, every failure is in the details.
      const { code, message, hint, location, cause } = first.error;
      throw new TracepipeError(code, `${first.stage} ${first.item}: ${message}`, { hint, location, cause, details: { failures: result.summary.failures } });
    }
    if (result.status !== 'succeeded') throw new TracepipeError('TP_ABORTED', `inspect of ${path} was interrupted`);
    const r = store.latestResult('normalize', basename(abs));
    const timeline = JSON.parse(store.getOutput(r!.outputHash)!) as Timeline;
    const files = args.keyframes ? await writeStepKeyframes(timeline, resolve(io.cwd, args.keyframes), (h) => store.getArtifact(h)) : new Map<number, string>();
    io.out(args.json ? JSON.stringify(inspectJson(timeline, files), null, 2) : formatTimelineTable(timeline, files));
    return EXIT.ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
