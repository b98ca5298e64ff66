import type { z } from 'zod';
import type { ResolvedPipeline, StageNode } from './config/types.ts';

/** One unit of work flowing through the DAG: for tracepipe, a recorded session. */
export interface Item {
  /** Stable id (the session folder or file name). */
  id: string;
  /** Absolute path of the item on disk. */
  path: string;
  /** Content hash of everything under `path`: the hash of `files`. */
  fingerprint: string;
  /** The content hash of each file under `path`, by relative path ('' when the item is one file). */
  files?: Manifest;
}

/** Content hash of each file under a folder, by path relative to it ('' for a file itself). */
export type Manifest = Readonly<Record<string, string>>;

/**
 * The files a stage reads from disk rather than from upstream outputs: the item's own files,
 * or files an earlier stage derived from them under the cache folder (an import). Each path
 * handed out is recorded with the content hash of every file under it; the record is stored
 * with the result, and the result is reused only while those bytes are unchanged (`plan` names
 * the file that changed). Read item files only through here: a file read any other way is not
 * part of the result's key, and a stale result could be served.
 */
export interface SourceFiles {
  /** Absolute path of the item, or of `rel` inside it (a file or a folder). */
  item(rel?: string): string;
  /** Absolute path of `rel` under the pipeline's cache folder (e.g. `imports/<name>`). */
  cache(rel: string): string;
}

/**
 * The files a stage writes under the pipeline's output folder. Each write is atomic and is
 * recorded with the hash of the bytes written; the stored result is reused only while every
 * recorded file still holds exactly those bytes, so a deleted or hand-edited output makes the
 * stage run and write it again. A cached stage writes outputs only through here.
 */
export interface OutputFiles {
  /** Writes `data` to `rel` under the output folder (a file that already holds these bytes is left alone). */
  write(rel: string, data: string | Uint8Array): void;
  /**
   * Records every file under the folder `rel` as it is now: the result holds only while the
   * folder keeps exactly these files (a stage that removes what it did not produce).
   */
  keep(rel: string): void;
}

/** Stores binary outputs (images) by content hash; outputs reference them by hash. */
export interface ArtifactStore {
  put(data: Uint8Array, mediaType: string): string;
  get(hash: string): { data: Uint8Array; mediaType: string } | undefined;
}

/**
 * A request-level cache for expensive external calls (an LLM reply). A resumed
 * run finds every successful call here and never pays for it twice.
 */
export interface Memo {
  get(namespace: string, key: string): unknown | undefined;
  set(namespace: string, key: string, value: unknown): void;
}

/** Text of the files a stage declared in `keyFiles`, as of the run's config snapshot. */
export interface FileSet {
  read(absPath: string): string;
  /** Absolute paths of every declared file, sorted. */
  paths(): string[];
}

/** Figures a stage reports for one item (tokens, cost, calls); summed per run. */
export interface Metrics {
  add(name: string, amount: number): void;
}

/** A person's decision attached to a stage result (e.g. a review accept/fix). */
export interface Annotation {
  subjectKey: string;
  kind: string;
  payload: unknown;
  createdAt: string;
}

interface BaseContext<Opts> {
  runId: string;
  node: StageNode;
  options: Opts;
  pipeline: ResolvedPipeline;
  files: FileSet;
  artifacts: ArtifactStore;
  /** The only way a cached stage writes files into the output folder: each joins the result's check. */
  outputs: OutputFiles;
  memo: Memo;
  metrics: Metrics;
  signal: AbortSignal;
  /** Sends a stage-specific event to reporters (progress detail, warnings). */
  emit(type: string, data?: Record<string, unknown>): void;
}

export interface MapContext<Opts> extends BaseContext<Opts> {
  item: Item;
  /** The only way to read the item's files (and files derived from them): every read joins the key. */
  source: SourceFiles;
  /** Upstream outputs by stage id (only the node's `needs`). */
  inputs: Record<string, unknown>;
  /** Cache keys of the upstream results, by stage id. */
  upstreamKeys: Record<string, string>;
  /** Annotations people attached to upstream results (by upstream stage id). */
  annotations: Record<string, Annotation[]>;
  /** Cache key this result will be stored under. */
  key: string;
}

export interface AggregateEntry {
  item: Item;
  inputs: Record<string, unknown>;
  upstreamKeys: Record<string, string>;
  annotations: Record<string, Annotation[]>;
}

export interface AggregateContext<Opts> extends BaseContext<Opts> {
  /** Every item whose upstream stages all succeeded, sorted by item id. */
  items: AggregateEntry[];
  /** Items that failed or were skipped upstream, with the stage and error message. */
  failures: { item: Item; stage: string; code: string; message: string }[];
}

/** What a stage can check at validation time, reported at the node's place in the YAML. */
export interface StageIssue {
  message: string;
  /** Path below the stage node, e.g. ['with', 'format'] or ['model']. */
  path?: (string | number)[];
  hint?: string;
}

/** What `plan` hands a stage to estimate the cost of running it for one item. */
export interface EstimateContext<Opts> {
  item: Item;
  inputs: Record<string, unknown>;
  options: Opts;
  node: StageNode;
  pipeline: ResolvedPipeline;
  files: FileSet;
  /** Read-only: `put` is a no-op during planning. */
  artifacts: ArtifactStore;
  /** Lets an estimate skip requests a resumed run would find memoized. */
  memo: Memo;
}

interface StageCommon<Opts> {
  /** The registry key used in `uses:`. */
  name: string;
  /** Bump whenever the stage's output for the same inputs changes. */
  version: string;
  description?: string;
  /** zod schema of `with:`; it is the validator and the published JSON Schema. */
  options: z.ZodType<Opts>;
  /**
   * False for stages with side effects that must always run. A stage that writes its files
   * through `ctx.outputs` can be cached (the files are checked before a result is reused);
   * a stage that cannot name all its inputs, or writes files any other way, must not be.
   */
  cache?: boolean;
  /** Files whose text feeds the cache key (prompt templates and partials, a suite). Globs allowed. */
  keyFiles?(node: StageNode, pipeline: ResolvedPipeline): { label: string; path: string }[];
  /** Extra values beyond options and model that feed the cache key. */
  keyInputs?(node: StageNode, pipeline: ResolvedPipeline): Record<string, unknown>;
  /**
   * What running this stage for one item would spend, e.g. `{ 'llm.calls': 2, 'llm.inputTokens': 5400 }`,
   * for `plan`. Only called when the upstream outputs are already cached.
   */
  estimate?(ctx: EstimateContext<Opts>): Record<string, number>;
  /** Which `estimate` figures are exact counts (`llm.calls`); `plan` marks every other one as an estimate. */
  exactFigures?: readonly string[];
  /**
   * Folders under the cache folder this stage writes derived files into (load's `imports`),
   * read back through `ctx.source.cache`. `gc` removes the entries no stored result read.
   */
  derivedDirs?: readonly string[];
  /** Static checks run by `validate` and before any work (a missing API key, an unknown action). */
  check?(node: StageNode, pipeline: ResolvedPipeline, files: FileSet): StageIssue[];
}

export interface MapStage<Opts = any> extends StageCommon<Opts> {
  kind: 'map';
  run(ctx: MapContext<Opts>): Promise<unknown> | unknown;
  /**
   * What must be unique across items in this stage's outputs (a session's id): items whose
   * outputs share it fail as input errors naming each other. Stages after this one wait
   * until every item has passed it, so nothing is written for a clashing item.
   */
  uniqueBy?(output: unknown): string | undefined;
}

export interface AggregateStage<Opts = any> extends StageCommon<Opts> {
  kind: 'aggregate';
  run(ctx: AggregateContext<Opts>): Promise<unknown> | unknown;
}

export type StageDefinition<Opts = any> = MapStage<Opts> | AggregateStage<Opts>;

/** Identity function that exists for type inference of `options` in `run`. */
export function defineStage<Opts>(def: MapStage<Opts>): MapStage<Opts>;
export function defineStage<Opts>(def: AggregateStage<Opts>): AggregateStage<Opts>;
export function defineStage<Opts>(def: StageDefinition<Opts>): StageDefinition<Opts> {
  return def;
}

/** The keyed registry the CLI builds; keys are the `uses:` names. */
export type StageRegistry = Readonly<Record<string, StageDefinition>>;
