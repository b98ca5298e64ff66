import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { MemoryStore } from '../../cache/memory.ts';
import type { ResolvedPipeline } from '../../config/types.ts';
import { executeRun, SnapshotFiles } from '../../run/index.ts';
import { importPath } from '../../../stages/load/formats/index.ts';
import { formatTimelineTable, inspectJson, NormalizeOptions, writeStepKeyframes } from '../../../stages/normalize/index.ts';
import { loadStage } from '../../../stages/load/index.ts';
import { normalizeStage } from '../../../stages/normalize/index.ts';
import type { Timeline } from '../../../stages/session/timeline.ts';
import { EXIT, type Io } from '../io.ts';
import { formatFailure } from '../reporters/summary.ts';

/** `tracepipe import <path> --out <dir>`: any supported recording format to native sessions. */
export async function importCommand(io: Io, path: string, args: { out: string; format?: string; suite?: string; json?: boolean }): Promise<number> {
  const ids = await importPath(resolve(io.cwd, path), resolve(io.cwd, args.out), { ...(args.format ? { format: args.format } : {}), ...(args.suite ? { suite: args.suite } : {}) });
  if (args.json) io.out(JSON.stringify({ out: args.out, sessions: ids }, null, 2));
  else io.out(`imported ${ids.length} session${ids.length === 1 ? '' : 's'} into ${args.out}: ${ids.join(', ')}`);
  return EXIT.ok;
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
    const result = await executeRun({ pipeline, registry, store, files: new SnapshotFiles(new Map()), snapshot: {} });
    if (result.status !== 'succeeded') {
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
