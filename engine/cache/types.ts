import type { Annotation } from '../stage.ts';
import type { ErrorInfo } from '../errors.ts';

/**
 * Everything that went into a stage result's cache key, stored so `plan` can say
 * which part changed. `static` is shared by all items of a stage node.
 */
export interface KeyParts {
  static: Record<string, unknown>;
  /** Per-item parts: the item fingerprint (root stages), upstream output hashes, annotations. */
  dynamic: Record<string, unknown>;
}

/**
 * The files a result was computed from that are not upstream outputs (the item's own files,
 * an import of them), and the files it wrote into the output folder, by location-independent
 * reference (`item:<rel>`, `cache:<rel>`, `out:<rel>`), each with the content hash of every
 * file under it. A result is reused only while they all match.
 */
export type Reads = Record<string, Readonly<Record<string, string>>>;

/** What a cache hit needs: the output's hash and the reads it must still match. */
export interface ResultHit {
  outputHash: string;
  reads?: Reads;
}

export interface StageResult {
  key: string;
  /** Hash of `parts.static` when the caller already has it (all items of a stage share it). */
  staticHash?: string;
  stageId: string;
  item: string;
  outputHash: string;
  parts: KeyParts;
  /** Files read through `ctx.source` and written through `ctx.outputs`, checked before the result is reused. */
  reads?: Reads;
  createdAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type ItemStatus = 'succeeded' | 'failed' | 'skipped';

export interface RunRecord {
  id: string;
  pipelinePath: string;
  pipelineName: string;
  variant: string | null;
  /** The resolved config and the text of every key file, enough to re-run it exactly. */
  snapshot: unknown;
  status: RunStatus;
  resumedFrom: string | null;
  startedAt: string;
  endedAt: string | null;
  pid: number;
  /** Totals by item status, cache hits and metrics, refreshed as the run goes. */
  summary: RunSummary;
}

export interface RunSummary {
  items: number;
  stages: string[];
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cacheHits: number;
  metrics: Record<string, number>;
}

export interface RunItemRecord {
  runId: string;
  stageId: string;
  item: string;
  status: ItemStatus;
  cacheHit: boolean;
  attempts: number;
  startedAt: string;
  durationMs: number;
  key: string | null;
  error: ErrorInfo | null;
  metrics: Record<string, number>;
}

export interface ItemQuery {
  stageId?: string;
  status?: ItemStatus;
  /** One item id (a session). */
  item?: string;
  limit?: number;
  offset?: number;
}

/**
 * Stage results by cache key, with the key parts and reads behind each, and the file-hash
 * cache fingerprints reuse. All of it can be recomputed: this is the only part that is cache.
 */
export interface ResultCache {
  getResult(key: string): StageResult | undefined;
  /** The output hash and recorded reads under a key: the cheap lookup a cache hit needs. */
  hitOf(key: string): ResultHit | undefined;
  /** Every `cache:` path some stored result read (e.g. `imports/<name>/<session>`): what gc must keep. */
  cacheReads(): string[];
  /** The newest result of a stage node for an item, under any key: what `plan` compares against. */
  latestResult(stageId: string, item: string): StageResult | undefined;
  /** Stores a result and its output (canonical JSON text); `artifacts` are hashes the output references. */
  putResult(result: StageResult, outputJson: string, artifacts: string[]): void;
  /** The output JSON text stored under a content hash. */
  getOutput(outputHash: string): string | undefined;
  /** Fingerprint cache: a file's content hash, trusted while size, mtime and inode are unchanged. */
  statGet(path: string, size: number, mtimeMs: number, ino: number): string | undefined;
  statSet(path: string, size: number, mtimeMs: number, ino: number, hash: string): void;
}

/** Binary outputs (keyframes) by content hash; results reference them by hash. */
export interface ArtifactBlobs {
  putArtifact(data: Uint8Array, mediaType: string): string;
  getArtifact(hash: string): { data: Uint8Array; mediaType: string } | undefined;
}

/** Replies to expensive requests (a model call) by request: what a resumed run finds instead of paying again. */
export interface ReplyMemo {
  memoGet(namespace: string, key: string): string | undefined;
  memoSet(namespace: string, key: string, value: string, runId: string): void;
}

/** Decisions people attached to results (review accept/fix/reject): durable data, never cache. */
export interface DecisionLog {
  annotations(subjectKey: string): Annotation[];
  /** How many annotations exist at all; a run with none skips looking them up per item. */
  annotationCount(): number;
  addAnnotation(a: Annotation): void;
}

/** What a run reads and writes besides its run records. */
export type Cache = ResultCache & ArtifactBlobs & ReplyMemo & DecisionLog;

/** Runs and their items, written as the run goes so others can watch it. */
export interface RunLog {
  createRun(run: RunRecord): void;
  updateRun(id: string, patch: Partial<Pick<RunRecord, 'status' | 'endedAt' | 'summary'>>): void;
  getRun(id: string): RunRecord | undefined;
  /** Newest first. */
  listRuns(limit?: number): RunRecord[];
  recordItem(item: RunItemRecord): void;
  /** How many earlier runs failed computing this key: a rerun's item is attempt n + 1. */
  failedAttempts(key: string): number;
  runItems(runId: string, query?: ItemQuery): RunItemRecord[];
  /** How many items match the query (its limit and offset are ignored): the total behind a page. */
  countRunItems(runId: string, query?: ItemQuery): number;
  /** Counts and summed durations by stage, status and cache hit: a run's per-stage table in one read. */
  itemStats(runId: string): ItemStats[];
  /**
   * Items recorded after `afterSeq`, in the order they were recorded, with their sequence
   * number: a cursor for watching a run. Re-recording an item gives it a new, later number.
   */
  itemsAfter(runId: string, afterSeq: number, limit?: number): { seq: number; item: RunItemRecord }[];
}

export interface ItemStats {
  stageId: string;
  status: ItemStatus;
  cacheHit: boolean;
  n: number;
  durationMs: number;
}

/**
 * The removals garbage collection is made of, each of what nothing refers to any more.
 * What goes and in which order is decided once, by collectGarbage (gc.ts), for every store.
 */
export interface GcSweeps {
  /** Every run that is not running, newest first (by start, then by when it was recorded). */
  finishedRuns(): Pick<RunRecord, 'id' | 'pipelinePath' | 'variant'>[];
  /** Removes these runs and their items. */
  dropRuns(ids: readonly string[]): void;
  /** Removes the results no run item refers to (with what only they referenced); returns how many. */
  dropUnreferencedResults(): number;
  /** Removes the artifacts no result refers to (as output or as a referenced blob); returns how many and their bytes. */
  dropUnreferencedArtifacts(): { count: number; bytes: number };
  /** Removes the memoized replies whose run is gone; returns how many. */
  dropMemoOfDroppedRuns(): number;
  /** Gives freed space back after a collection that was not a dry run (SQLite: VACUUM). */
  compact(): void;
}

/** Every part in one file (SQLite) or one process (memory); a multi-machine store may split them. */
export interface Store extends ResultCache, ArtifactBlobs, ReplyMemo, DecisionLog, RunLog, GcSweeps {
  /** Runs `fn` atomically: all its writes land or none do. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
