import { TracepipeError } from '../errors.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import type { StageRegistry } from '../stage.ts';
import { redactSecrets } from '../values.ts';
import { SnapshotFiles, readFilesFromDisk } from './files.ts';
import { declaredFiles } from './keys.ts';

/** What a run records so that `resume` re-runs exactly it, even after the YAML or prompts changed. */
export interface RunSnapshot {
  version: 1;
  pipeline: ResolvedPipeline;
  /** The merged config as written (after variant and --set), for `diff` and people. */
  raw: unknown;
  /** Text of every key file (prompt templates, partials, suite). */
  files: Record<string, string>;
}

/** Reads every file the pipeline's stages declare and builds the run's snapshot. */
export function takeSnapshot(pipeline: ResolvedPipeline, registry: StageRegistry, raw: unknown): { snapshot: RunSnapshot; files: SnapshotFiles } {
  const safe = redactSecrets(pipeline);
  const paths = new Set([...declaredFiles(safe, registry).values()].flat().map((f) => f.path));
  const files = new SnapshotFiles(readFilesFromDisk(paths));
  return { snapshot: { version: 1, pipeline: safe, raw: redactSecrets(raw), files: files.toRecord() }, files };
}

export function readSnapshot(value: unknown, runId: string): { snapshot: RunSnapshot; files: SnapshotFiles } {
  const s = value as Partial<RunSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.version !== 1 || s.pipeline === undefined || s.files === undefined) {
    throw new TracepipeError('TP_CACHE', `run ${runId} has no usable config snapshot`, {
      hint: 'It was recorded by another tracepipe version; run `tracepipe exec` on the pipeline file instead.',
    });
  }
  return { snapshot: s as RunSnapshot, files: SnapshotFiles.fromRecord(s.files) };
}
