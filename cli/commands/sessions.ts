import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
import { EXIT, type Io } from '../io.ts';
import { formatFailure } from '../reporters/summary.ts';

/**
 * `tracepipe import <path> --out <dir>`: any supported recording format to native sessions.
 * A folder of recordings is converted one recording at a time: every bad one is reported
 * (with its error) and the rest are converted. Exit 0 when all converted, 1 when some
 * failed, 2 when none could be.
 */
export async function importCommand(io: Io, path: string, args: { out: string; format?: string; suite?: string; json?: boolean }): Promise<number> {
  const opts = { ...(args.format ? { format: args.format } : {}), ...(args.suite ? { suite: args.suite } : {}) };
  const out = resolve(io.cwd, args.out);
  const ids: string[] = [];
  const failed: { path: string; error: ErrorInfo }[] = [];
  for (const recording of await recordingsAt(resolve(io.cwd, path), args.format)) {
    try {
      ids.push(...(await importPath(recording, out, opts)));
    } catch (err) {
      failed.push({ path: relative(io.cwd, recording) || recording, error: toErrorInfo(err, 'TP_INPUT') });
    }
  }
  if (args.json && ids.length === 0 && failed.length > 0) {
    const only = failed.length === 1 ? failed[0] : undefined;
    throw new TracepipeError('TP_INPUT', only?.error.message ?? `none of the ${failed.length} recordings in ${path} could be imported`, { details: { failed } });
  }
  if (args.json) io.out(JSON.stringify({ out: args.out, sessions: ids, failed }, null, 2));
  else {
    for (const f of failed) io.err(formatFailure('import', f.path, f.error));
    io.out(`imported ${ids.length} session${ids.length === 1 ? '' : 's'} into ${args.out}${ids.length > 0 ? `: ${ids.join(', ')}` : ''}${failed.length > 0 ? `; ${failed.length} failed` : ''}`);
  }
  if (failed.length === 0) return EXIT.ok;
  return ids.length > 0 ? EXIT.failed : EXIT.badInput;
}

/**
 * The recordings to convert one by one: the children of a folder of recordings (a folder of
 * native sessions, or a folder no format reads as one recording), else the path itself.
 */
async function recordingsAt(path: string, format: string | undefined): Promise<string[]> {
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  if (format !== undefined || !isDir || existsSync(join(path, 'session.json'))) return [path];
  const one = await detectFormat(path).then((name) => name !== 'native', () => false);
  if (one) return [path];
  return (await readdir(path)).filter((c) => !c.startsWith('.')).sort().map((c) => join(path, c));
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
    if (result.status !== 'succeeded') {
      const first = result.summary.failures[0];
      if (args.json && first !== undefined) throw new TracepipeError('TP_INPUT', `${first.stage} ${first.item}: ${first.error.code} ${first.error.message}`, { details: { failures: result.summary.failures } });
      for (const f of result.summary.failures) io.err(formatFailure(f.stage, f.item, f.error));
      return EXIT.badInput;
    }
    const r = store.latestResult('normalize', basename(abs));
    const timeline = JSON.parse(store.getOutput(r!.outputHash)!) as Timeline;
    const files = args.keyframes ? await writeStepKeyframes(timeline, resolve(io.cwd, args.keyframes), (h) => store.getArtifact(h)) : new Map<number, string>();
    io.out(args.json ? JSON.stringify(inspectJson(timeline, files), null, 2) : formatTimelineTable(timeline, files));
    return EXIT.ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
