import type { z } from 'zod';
import type { ResolvedPipeline, StageNode } from './config/types.ts';
import type { ErrorCode } from './errors.ts';

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

/**
 * The process environment as the composition root handed it over (the CLI's `io.env`).
 * Stages and their checks read variables (an API key, PATH) only here, never from
 * the global process environment, so a test or an embedding program decides what a stage sees.
 */
export type Env = Readonly<Record<string, string | undefined>>;

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

/** One upstream result a stage consumes, found by the role its stage produces. */
export interface Upstream<T = unknown> {
  /** Id of the stage node that produced it. */
  stage: string;
  /** Its output (parsed only when read). */
  readonly output: T;
  /** The cache key it is stored under. */
  key: string;
  /** Decisions people attached to it (a review of a classification). */
  annotations: Annotation[];
}

/** The upstream results a stage consumes, by role (the roles in its `consumes`). */
export type Upstreams<In> = { readonly [R in keyof In]: Upstream<In[R]> };

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
  /** The environment (see Env); commands a stage starts get it too. */
  env: Env;
  /** Sends a stage-specific event to reporters (progress detail, warnings). */
  emit(type: string, data?: Record<string, unknown>): void;
}

export interface MapContext<Opts, In = Record<string, unknown>> extends BaseContext<Opts> {
  item: Item;
  /** The only way to read the item's files (and files derived from them): every read joins the key. */
  source: SourceFiles;
  /** The upstream results this stage consumes, by role: how a stage that declares `consumes` reads its inputs. */
  upstream: Upstreams<In>;
  /** Upstream outputs by stage id (only the node's `needs`), for stages that take any input. */
  inputs: Record<string, unknown>;
  /** Cache keys of the upstream results, by stage id. */
  upstreamKeys: Record<string, string>;
  /** Annotations people attached to upstream results (by upstream stage id). */
  annotations: Record<string, Annotation[]>;
  /** Cache key this result will be stored under. */
  key: string;
}

export interface AggregateEntry<In = Record<string, unknown>> {
  item: Item;
  /** This item's upstream results, by role (see MapContext.upstream). */
  upstream: Upstreams<In>;
  inputs: Record<string, unknown>;
  upstreamKeys: Record<string, string>;
  annotations: Record<string, Annotation[]>;
}

export interface AggregateContext<Opts, In = Record<string, unknown>> extends BaseContext<Opts> {
  /** Every item whose upstream stages all succeeded, sorted by item id. */
  items: AggregateEntry<In>[];
  /** Items that failed or were skipped upstream, with the stage and error message. */
  failures: AggregateStageFailure[];
}

/** An item an aggregate stage does not get: the upstream stage it failed or was skipped at, and why. */
export interface AggregateStageFailure {
  item: Item;
  stage: string;
  code: ErrorCode;
  message: string;
}

/** What a stage can check at validation time, reported at the node's place in the YAML. */
export interface StageIssue {
  message: string;
  /** Path below the stage node, e.g. ['with', 'format'] or ['model']. */
  path?: (string | number)[];
  hint?: string;
}

/** What `plan` hands a stage to estimate the cost of running it for one item. */
export interface EstimateContext<Opts, In = Record<string, unknown>> {
  item: Item;
  /** The upstream results this stage consumes, by role. */
  upstream: Upstreams<In>;
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

interface StageCommon<Opts, In> {
  /** The registry key used in `uses:`. */
  name: string;
  /** Bump whenever the stage's output for the same inputs changes. */
  version: string;
  description?: string;
  /** zod schema of `with:`; it is the validator and the published JSON Schema. */
  options: z.ZodType<Opts>;
  /**
   * The roles this stage reads, each from exactly one of its `needs` (the need whose
   * stage produces that role), handed over as `ctx.upstream[role]`. Validation
   * rejects a need whose output is no role listed here, and a role no need provides.
   * Left out: the stage takes any input, by stage id in `ctx.inputs`.
   */
  consumes?: readonly (keyof In & string)[];
  /** The role of this stage's output, matched against the `consumes` of the stages that need it. */
  produces?: string;
  /**
   * The keys of `sessions:` (beside `path`) this stage reads, e.g. load's `format`: a pipeline
   * using the stage has them checked at their place in the file, and the JSON Schema lists them.
   */
  sessionOptions?: z.ZodType;
  /**
   * What the `model:` configuration of a node of this stage must be (its providers and
   * their settings): checked at `models.<name>`; the JSON Schema lists the providers.
   */
  modelOptions?: z.ZodType;
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
  estimate?(ctx: EstimateContext<Opts, In>): Record<string, number>;
  /** Which `estimate` figures are exact counts (`llm.calls`); `plan` marks every other one as an estimate. */
  exactFigures?: readonly string[];
  /**
   * Folders under the cache folder this stage writes derived files into (load's `imports`),
   * read back through `ctx.source.cache`. `gc` removes the entries no stored result read.
   */
  derivedDirs?: readonly string[];
  /** Static checks run by `validate` and before any work (a missing API key, an unknown action). */
  check?(node: StageNode, pipeline: ResolvedPipeline, files: FileSet, env: Env): StageIssue[];
}

export interface MapStage<Opts = any, In = any, Out = any> extends StageCommon<Opts, In> {
  kind: 'map';
  run(ctx: MapContext<Opts, In>): Promise<Out> | Out;
  /**
   * What must be unique across items in this stage's outputs (a session's id): items whose
   * outputs share it fail as input errors naming each other. Stages after this one wait
   * until every item has passed it, so nothing is written for a clashing item.
   */
  uniqueBy?(output: Out): string | undefined;
}

export interface AggregateStage<Opts = any, In = any, Out = any> extends StageCommon<Opts, In> {
  kind: 'aggregate';
  run(ctx: AggregateContext<Opts, In>): Promise<Out> | Out;
}

/** A stage: `Opts` its parsed `with:`, `In` what it consumes by role (role -> output type), `Out` its output. */
export type StageDefinition<Opts = any, In = any, Out = any> = MapStage<Opts, In, Out> | AggregateStage<Opts, In, Out>;

/**
 * Identity function that exists for type inference of `options` in `run`. Give `In`
 * (`{timeline: Timeline}`) to type `ctx.upstream`; it defaults to untyped roles.
 */
export function defineStage<Opts, In = Record<string, unknown>, Out = unknown>(def: MapStage<Opts, In, Out>): MapStage<Opts, In, Out>;
export function defineStage<Opts, In = Record<string, unknown>, Out = unknown>(def: AggregateStage<Opts, In, Out>): AggregateStage<Opts, In, Out>;
export function defineStage<Opts, In, Out>(def: StageDefinition<Opts, In, Out>): StageDefinition<Opts, In, Out> {
  return def;
}

/** The keyed registry the CLI builds; keys are the `uses:` names. */
export type StageRegistry = Readonly<Record<string, StageDefinition>>;

/** The parsed `with:` of a stage definition. */
export type StageOptions<S> = S extends StageDefinition<infer Opts, any, any> ? Opts : never;
/** What a stage definition's `run` returns (resolved). */
export type StageOutput<S> = S extends StageDefinition<any, any, infer Out> ? Out : never;
