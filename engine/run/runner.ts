import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { pipelineCauseRoots, type CauseRoots } from '../error-cause.ts';
import { TracepipeError, toErrorInfo, type ErrorInfo } from '../errors.ts';
import { removeStaleTempsUnder } from '../atomic-write.ts';
import { canonicalJson, sha256 } from '../hash.ts';
import { discoverItems } from '../items.ts';
import type { RunItemRecord, RunStatus, RunSummary, Store } from '../cache/types.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import type { AggregateEntry, AggregateStageFailure, Annotation, ArtifactStore, Env, Item, Memo, StageRegistry } from '../stage.ts';
import { describeSkip, type RunEndSummary, type RunEvent, type RunListener, type SkipReason, type StageCounts } from './events.ts';
import type { SnapshotFiles } from './files.ts';
import { upstreamFailure, aggregateDynamicParts, mapDynamicParts, prepareNodes, resultKey, upstreamAnnotations, type PreparedNode } from './keys.ts';
import { clashingItems } from './clashes.ts';
import { levelsOf } from './levels.ts';
import { readsStillMatch, ReadRecorder } from './reads.ts';
import { OutputRecorder } from './written.ts';
import { RecordBatcher } from './record-batch.ts';
import { Semaphore } from './semaphore.ts';
import { upstreamByRole } from './upstream.ts';

export interface RunOptions {
  pipeline: ResolvedPipeline;
  registry: StageRegistry;
  store: Store;
  /** Text of every key file, as read at the start (or from a resumed run's snapshot). */
  files: SnapshotFiles;
  /** What `resume` needs to re-run exactly this config; stored with the run. */
  snapshot: unknown;
  resumedFrom?: string | null;
  failFast?: boolean;
  signal?: AbortSignal;
  listeners?: RunListener[];
  runId?: string;
  /** The environment stages see as `ctx.env` (the CLI passes `io.env`). */
  env: Env;
}

export interface RunResult {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  summary: RunEndSummary;
}

/** What one (stage, item) came to; the output itself is loaded only when something needs it. */
type Outcome = Done | { status: 'failed'; error: ErrorInfo } | { status: 'skipped'; reason: SkipReason };
type Done = { status: 'ok'; key: string; outputHash: string; cacheHit: boolean; output?: unknown };

type Failure = AggregateStageFailure;

/** One unit of work for a stage: one item through a map stage, or every ready item through an aggregate. */
type Work =
  | { kind: 'map'; item: Item; inputs: Record<string, unknown>; upstreamKeys: Record<string, string>; annotations: Record<string, Annotation[]> }
  | { kind: 'aggregate'; entries: () => AggregateEntry[]; failures: Failure[] };

const AGGREGATE_ITEM = '*';

/**
 * Runs a pipeline over every item: map stages per item (items flow independently,
 * `concurrency` at a time), aggregate stages once all items reached them. Each
 * finished item is committed with its run record at once, so a kill loses only
 * the items in flight.
 */
export function executeRun(opts: RunOptions): Promise<RunResult> {
  return new RunExecution(opts).execute();
}

/** Sortable, unique enough for one cache: `20261122-031500-ab12cd`. */
export function newRunId(): string {
  const d = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${d}-${randomBytes(3).toString('hex')}`;
}

/** One run, as named steps: lookup, cache hit, run, failure, skip; state is the run's own. */
class RunExecution {
  readonly #opts: RunOptions;
  readonly #store: Store;
  readonly #runId: string;
  readonly #prepared: PreparedNode[];
  readonly #byId: Map<string, PreparedNode>;
  readonly #items: Item[];
  readonly #stop = new AbortController();
  readonly #counts: Record<string, StageCounts> = {};
  readonly #metrics: Record<string, number> = {};
  readonly #failures: RunEndSummary['failures'] = [];
  /** node id -> item id (or '*') -> outcome */
  readonly #outcomes = new Map<string, Map<string, Outcome>>();
  readonly #records: RecordBatcher;
  readonly #limits = new Map<string, Semaphore>();
  readonly #memo: Memo;
  /** Failures are stored: their causes name the run's folders by short names, so they do not depend on where those lie. */
  readonly #causeRoots: CauseRoots;
  #anyAnnotations = false;
  #started = 0;

  constructor(opts: RunOptions) {
    this.#opts = opts;
    this.#store = opts.store;
    this.#runId = opts.runId ?? newRunId();
    this.#prepared = prepareNodes(opts.pipeline, opts.registry, opts.files);
    this.#byId = new Map(this.#prepared.map((p) => [p.node.id, p]));
    this.#items = discoverItems(opts.pipeline.sessions.path, opts.store);
    this.#records = new RecordBatcher(opts.store);
    this.#causeRoots = pipelineCauseRoots(opts.pipeline);
    // Every in-flight model call listens on this one signal.
    setMaxListeners(0, this.#stop.signal);
    for (const p of this.#prepared) {
      this.#counts[p.node.id] = { total: p.def.kind === 'map' ? this.#items.length : 1, done: 0, cached: 0, failed: 0, skipped: 0 };
      this.#outcomes.set(p.node.id, new Map());
    }
    this.#memo = {
      get: (ns, key) => {
        const v = this.#store.memoGet(ns, key);
        return v === undefined ? undefined : JSON.parse(v);
      },
      set: (ns, key, value) => this.#store.memoSet(ns, key, canonicalJson(value), this.#runId),
    };
  }

  async execute(): Promise<RunResult> {
    const onAbort = () => this.#stop.abort(this.#opts.signal?.reason);
    this.#opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (this.#opts.signal?.aborted) this.#stop.abort();
    this.#begin();
    let status: Exclude<RunStatus, 'running'> = 'succeeded';
    try {
      const levels = levelsOf(this.#prepared);
      for (const [index, level] of levels.entries()) await this.#runLevel(level, levels.slice(index + 1));
      const anyFailed = Object.values(this.#counts).some((c) => c.failed > 0);
      status = this.#opts.signal?.aborted ? 'interrupted' : anyFailed ? 'failed' : 'succeeded';
    } catch (err) {
      status = 'failed';
      this.#failures.push({ stage: '(engine)', item: AGGREGATE_ITEM, error: toErrorInfo(err, 'TP_INTERNAL', this.#causeRoots) });
    } finally {
      this.#opts.signal?.removeEventListener('abort', onAbort);
      this.#records.flush();
      this.#store.updateRun(this.#runId, { status, endedAt: new Date().toISOString(), summary: this.#summary() });
    }
    const end: RunEndSummary = { stages: this.#counts, failures: this.#failures, metrics: { ...this.#metrics } };
    this.#emit({ type: 'run:end', runId: this.#runId, status, durationMs: Date.now() - this.#started, summary: end });
    return { runId: this.#runId, status, summary: end };
  }

  #begin(): void {
    this.#started = Date.now();
    // Before any output is checked: a result whose files are intact rewrites nothing, so nothing else would sweep them.
    removeStaleTempsUnder(this.#opts.pipeline.outDir);
    this.#anyAnnotations = this.#store.annotationCount() > 0;
    const { pipeline } = this.#opts;
    this.#store.createRun({
      id: this.#runId,
      pipelinePath: pipeline.file,
      pipelineName: pipeline.name,
      variant: pipeline.variant,
      snapshot: this.#opts.snapshot,
      status: 'running',
      resumedFrom: this.#opts.resumedFrom ?? null,
      startedAt: new Date(this.#started).toISOString(),
      endedAt: null,
      pid: process.pid,
      summary: this.#summary(),
    });
    const stages = this.#prepared.map((p) => p.node.id);
    const totals = Object.fromEntries(Object.entries(this.#counts).map(([k, c]) => [k, c.total]));
    this.#emit({
      type: 'run:start',
      runId: this.#runId,
      pipeline: pipeline.file,
      variant: pipeline.variant,
      items: this.#items.length,
      stages,
      totals,
      resumedFrom: this.#opts.resumedFrom ?? null,
    });
  }

  /** A level's map stages per item, `concurrency` items at a time; then its uniqueness rules; then its aggregates. */
  async #runLevel(level: PreparedNode[], later: PreparedNode[][]): Promise<void> {
    const aggregates = level.filter((q) => q.def.kind === 'aggregate');
    // What a later level or this level's aggregates still read, and what the uniqueness rules below check;
    // the rest is dropped per item, so memory does not grow with items.
    const keep = new Set([...later.flat(), ...aggregates].flatMap((q) => q.node.needs));
    for (const p of level) if (p.def.kind === 'map' && p.def.uniqueBy !== undefined) keep.add(p.node.id);
    const mapNodes = level.filter((p) => p.def.kind === 'map');
    if (mapNodes.length > 0) {
      let next = 0;
      const worker = async () => {
        while (next < this.#items.length) {
          const item = this.#items[next++]!;
          for (const p of mapNodes) await this.#runMapNode(p, item);
          for (const p of mapNodes) this.#release(p, item, keep.has(p.node.id));
        }
      };
      const workers = Math.max(1, Math.min(this.#opts.pipeline.concurrency, this.#items.length));
      await Promise.all(Array.from({ length: workers }, worker));
    }
    for (const p of mapNodes) this.#failClashes(p);
    for (const p of aggregates) await this.#runAggregateNode(p);
  }

  /** Parsed outputs are dropped once an item is through its level; hashes stay while a later stage needs them. */
  #release(p: PreparedNode, item: Item, needed: boolean): void {
    const perItem = this.#outcomes.get(p.node.id)!;
    if (!needed) return void perItem.delete(item.id);
    const o = perItem.get(item.id);
    if (o?.status === 'ok') delete o.output;
  }

  async #runMapNode(p: PreparedNode, item: Item): Promise<void> {
    const out = this.#outcomes.get(p.node.id)!;
    if (this.#stop.signal.aborted) return void out.set(item.id, this.#skip(p, item.id, { kind: 'aborted' }));
    const needs = this.#gatherNeeds(p, item.id);
    if ('failedNeed' in needs) return void out.set(item.id, this.#skip(p, item.id, { kind: 'upstream-failed', stage: needs.failedNeed }));
    const annotations = this.#annotationsFor(needs.upstreamKeys);
    const dynamic = mapDynamicParts(p.node, item, needs.upstream, annotations);
    // Inputs are parsed only if the stage has to run (a cache hit never reads them).
    const inputs: Record<string, unknown> = {};
    for (const id of p.node.needs) Object.defineProperty(inputs, id, { enumerable: true, get: () => this.#loadOutput(id, item.id) });
    const work: Work = { kind: 'map', item, inputs, upstreamKeys: needs.upstreamKeys, annotations };
    out.set(item.id, await this.#withLimit(p, () => this.#runOne(p, work, dynamic)));
  }

  async #runAggregateNode(p: PreparedNode): Promise<void> {
    const out = this.#outcomes.get(p.node.id)!;
    if (this.#stop.signal.aborted) return void out.set(AGGREGATE_ITEM, this.#skip(p, AGGREGATE_ITEM, { kind: 'aborted' }));
    const ready: { item: Item; upstream: Record<string, string>; upstreamKeys: Record<string, string>; annotations: Record<string, Annotation[]> }[] = [];
    const failures: Failure[] = [];
    for (const item of this.#items) {
      const needs = this.#gatherNeeds(p, item.id);
      if ('failedNeed' in needs) {
        const o = this.#outcomes.get(needs.failedNeed)?.get(item.id);
        failures.push(upstreamFailure(item, needs.failedNeed, o?.status === 'failed' ? o.error : undefined));
      } else ready.push({ item, ...needs, annotations: this.#annotationsFor(needs.upstreamKeys) });
    }
    const dynamic = aggregateDynamicParts(ready, failures);
    const entries = (): AggregateEntry[] =>
      ready.map((r) => {
        const inputs = Object.fromEntries(p.node.needs.map((id) => [id, this.#loadOutput(id, r.item.id)]));
        return {
          item: r.item,
          upstream: upstreamByRole(p.roles, inputs, r.upstreamKeys, r.annotations),
          inputs,
          upstreamKeys: r.upstreamKeys,
          annotations: r.annotations,
        };
      });
    out.set(AGGREGATE_ITEM, await this.#runOne(p, { kind: 'aggregate', entries, failures }, dynamic));
  }

  /** Finds the result in the cache or runs the stage for it. */
  async #runOne(p: PreparedNode, work: Work, dynamic: Record<string, unknown>): Promise<Outcome> {
    const key = resultKey(p, dynamic);
    const startedAt = Date.now();
    const hit = this.#lookup(p, key, work);
    if (hit !== undefined) return this.#handleCacheHit(p, work, key, hit, startedAt);
    return this.#handleRun(p, work, key, dynamic, startedAt);
  }

  /** A stored result that may be served: same key, and every file it read still has the bytes it read. */
  #lookup(p: PreparedNode, key: string, work: Work): string | undefined {
    if (p.def.cache === false) return undefined;
    const hit = this.#store.hitOf(key);
    if (hit === undefined) return undefined;
    const { cacheDir, outDir } = this.#opts.pipeline;
    return readsStillMatch(hit, { item: work.kind === 'map' ? work.item : null, cacheDir, outDir }, this.#store) ? hit.outputHash : undefined;
  }

  #handleCacheHit(p: PreparedNode, work: Work, key: string, outputHash: string, startedAt: number): Outcome {
    const item = itemIdOf(work);
    const o: Outcome = { status: 'ok', key, outputHash, cacheHit: true };
    this.#counts[p.node.id]!.cached++;
    this.#records.defer(this.#record(p, item, startedAt, o, {}));
    this.#emit({ type: 'item:done', runId: this.#runId, stage: p.node.id, item, cacheHit: true, durationMs: 0, metrics: {} });
    return o;
  }

  async #handleRun(p: PreparedNode, work: Work, key: string, dynamic: Record<string, unknown>, startedAt: number): Promise<Outcome> {
    const item = itemIdOf(work);
    this.#emit({ type: 'item:start', runId: this.#runId, stage: p.node.id, item });
    const attempts = 1 + this.#store.failedAttempts(key);
    const itemMetrics: Record<string, number> = {};
    const putArtifacts: string[] = [];
    const source = work.kind === 'map' ? new ReadRecorder(work.item, this.#opts.pipeline.cacheDir, this.#store) : undefined;
    const written = new OutputRecorder(this.#opts.pipeline.outDir);
    let outcome: Outcome;
    try {
      const output = await this.#invoke(p, work, key, source, written, itemMetrics, putArtifacts);
      const json = canonicalJson(output ?? null);
      const outputHash = sha256(json);
      outcome = { status: 'ok', key, outputHash, cacheHit: false, output: JSON.parse(json) };
      const record = this.#record(p, item, startedAt, outcome, itemMetrics, null, attempts);
      const recorded = { ...source?.reads(), ...written.written() };
      const reads = Object.keys(recorded).length === 0 ? undefined : recorded;
      this.#store.transaction(() => {
        if (p.def.cache !== false) {
          const parts = { static: p.staticParts, dynamic };
          const stored = {
            key,
            staticHash: p.staticHash,
            stageId: p.node.id,
            item,
            outputHash,
            parts,
            ...(reads === undefined ? {} : { reads }),
            createdAt: new Date().toISOString(),
          };
          this.#store.putResult(stored, json, putArtifacts);
        } else {
          this.#store.putArtifact(Buffer.from(json, 'utf8'), 'application/json');
        }
        this.#store.recordItem(record);
      });
      this.#counts[p.node.id]!.done++;
      this.#emit({ type: 'item:done', runId: this.#runId, stage: p.node.id, item, cacheHit: false, durationMs: record.durationMs, metrics: itemMetrics });
    } catch (err) {
      outcome =
        this.#stop.signal.aborted && !(err instanceof TracepipeError && err.code !== 'TP_ABORTED')
          ? this.#handleAbort(p, item, startedAt, itemMetrics)
          : this.#handleFailure(p, item, key, toErrorInfo(err, 'TP_STAGE', this.#causeRoots), startedAt, itemMetrics, attempts);
    }
    for (const [k, v] of Object.entries(itemMetrics)) this.#metrics[k] = (this.#metrics[k] ?? 0) + v;
    this.#records.maybeRefresh(() => this.#store.updateRun(this.#runId, { summary: this.#summary() }));
    return outcome;
  }

  /** Calls the stage with its context; artifacts it stores are remembered so the result keeps them alive. */
  async #invoke(
    p: PreparedNode,
    work: Work,
    key: string,
    source: ReadRecorder | undefined,
    outputs: OutputRecorder,
    itemMetrics: Record<string, number>,
    putArtifacts: string[],
  ): Promise<unknown> {
    const artifacts: ArtifactStore = {
      put: (data, mediaType) => {
        const h = this.#store.putArtifact(data, mediaType);
        putArtifacts.push(h);
        return h;
      },
      get: (h) => this.#store.getArtifact(h),
    };
    const base = {
      runId: this.#runId,
      node: p.node,
      options: p.node.with,
      pipeline: this.#opts.pipeline,
      files: this.#opts.files,
      artifacts,
      outputs,
      memo: this.#memo,
      metrics: { add: (name: string, n: number) => void (itemMetrics[name] = (itemMetrics[name] ?? 0) + n) },
      signal: this.#stop.signal,
      env: this.#opts.env,
      emit: (name: string, data: Record<string, unknown> = {}) =>
        this.#emit({ type: 'stage:event', runId: this.#runId, stage: p.node.id, item: work.kind === 'map' ? work.item.id : null, name, data }),
    };
    if (work.kind === 'map') {
      if (p.def.kind !== 'map') throw new TracepipeError('TP_INTERNAL', `stage ${p.node.id} is an aggregate, given one item`);
      const upstream = upstreamByRole(p.roles, work.inputs, work.upstreamKeys, work.annotations);
      return p.def.run({
        ...base,
        item: work.item,
        source: source!,
        upstream,
        inputs: work.inputs,
        upstreamKeys: work.upstreamKeys,
        annotations: work.annotations,
        key,
      });
    }
    if (p.def.kind !== 'aggregate') throw new TracepipeError('TP_INTERNAL', `stage ${p.node.id} is a map stage, given every item`);
    return p.def.run({ ...base, items: work.entries(), failures: work.failures });
  }

  #handleAbort(p: PreparedNode, item: string, startedAt: number, itemMetrics: Record<string, number>): Outcome {
    const outcome: Outcome = { status: 'skipped', reason: { kind: 'aborted' } };
    this.#counts[p.node.id]!.skipped++;
    this.#store.recordItem(this.#record(p, item, startedAt, outcome, itemMetrics));
    this.#emit({ type: 'item:skipped', runId: this.#runId, stage: p.node.id, item, reason: outcome.reason });
    return outcome;
  }

  #handleFailure(
    p: PreparedNode,
    item: string,
    key: string,
    error: ErrorInfo,
    startedAt: number,
    itemMetrics: Record<string, number>,
    attempts: number,
  ): Outcome {
    const outcome: Outcome = { status: 'failed', error };
    this.#counts[p.node.id]!.failed++;
    this.#failures.push({ stage: p.node.id, item, error });
    this.#store.recordItem(this.#record(p, item, startedAt, outcome, itemMetrics, key, attempts));
    this.#emit({ type: 'item:failed', runId: this.#runId, stage: p.node.id, item, error, durationMs: Date.now() - startedAt });
    if (this.#opts.failFast) this.#stop.abort();
    return outcome;
  }

  #skip(p: PreparedNode, itemId: string, reason: SkipReason): Outcome {
    const o: Outcome = { status: 'skipped', reason };
    this.#counts[p.node.id]!.skipped++;
    this.#records.defer(this.#record(p, itemId, Date.now(), o, {}));
    this.#emit({ type: 'item:skipped', runId: this.#runId, stage: p.node.id, item: itemId, reason });
    return o;
  }

  /** Items whose outputs share what the stage says must be unique fail, each naming the others. */
  #failClashes(p: PreparedNode): void {
    if (p.def.kind !== 'map' || p.def.uniqueBy === undefined) return;
    const succeeded = this.#items.filter((item) => this.#outcomeOf(p.node.id, item.id)?.status === 'ok');
    const clashes = clashingItems(
      p.def.uniqueBy,
      succeeded.map((item) => ({ item, output: () => this.#loadOutput(p.node.id, item.id) })),
    );
    const c = this.#counts[p.node.id]!;
    for (const [item, err] of clashes) {
      const done = this.#outcomeOf(p.node.id, item.id) as Done;
      const error = err.toInfo();
      if (done.cacheHit) c.cached--;
      else c.done--;
      c.failed++;
      const failed: Outcome = { status: 'failed', error };
      this.#outcomes.get(p.node.id)!.set(item.id, failed);
      this.#failures.push({ stage: p.node.id, item: item.id, error });
      this.#records.flush(); // a deferred hit record must not land after this one
      this.#store.recordItem(this.#record(p, item.id, Date.now(), failed, {}, done.key));
      this.#emit({ type: 'item:failed', runId: this.#runId, stage: p.node.id, item: item.id, error, durationMs: 0 });
    }
  }

  /** Upstream hashes and keys of a node's needs for one item, or the first need that did not succeed. */
  #gatherNeeds(p: PreparedNode, itemId: string): { upstream: Record<string, string>; upstreamKeys: Record<string, string> } | { failedNeed: string } {
    const upstream: Record<string, string> = {};
    const upstreamKeys: Record<string, string> = {};
    for (const need of p.node.needs) {
      const o = this.#outcomeOf(need, itemId);
      if (o === undefined || o.status !== 'ok') return { failedNeed: need };
      upstream[need] = o.outputHash;
      upstreamKeys[need] = o.key;
    }
    return { upstream, upstreamKeys };
  }

  /** Looking annotations up per item costs a query each; most caches have none at all. */
  #annotationsFor(keys: Record<string, string>): Record<string, Annotation[]> {
    return this.#anyAnnotations ? upstreamAnnotations(this.#store, keys) : {};
  }

  /** An aggregate has one outcome for the whole run; a map stage one per item. */
  #outcomeOf(nodeId: string, itemId: string): Outcome | undefined {
    return this.#outcomes.get(nodeId)!.get(this.#byId.get(nodeId)!.def.kind === 'aggregate' ? AGGREGATE_ITEM : itemId);
  }

  #loadOutput(nodeId: string, itemId: string): unknown {
    const o = this.#outcomeOf(nodeId, itemId);
    if (o?.status !== 'ok') throw new TracepipeError('TP_INTERNAL', `no output of ${nodeId} for ${itemId}`);
    if (!('output' in o)) {
      const text = this.#store.getOutput(o.outputHash);
      if (text === undefined)
        throw new TracepipeError('TP_CACHE', `the cache lost the output ${o.outputHash} of ${nodeId} for ${itemId}`, {
          hint: 'Run `tracepipe gc`; the next run computes it again.',
        });
      o.output = JSON.parse(text);
    }
    return o.output;
  }

  #withLimit<T>(p: PreparedNode, fn: () => Promise<T>): Promise<T> {
    if (p.node.concurrency === undefined) return fn();
    let s = this.#limits.get(p.node.id);
    if (s === undefined) this.#limits.set(p.node.id, (s = new Semaphore(p.node.concurrency)));
    return s.run(fn);
  }

  #record(
    p: PreparedNode,
    item: string,
    startedAt: number,
    o: Outcome,
    itemMetrics: Record<string, number>,
    key: string | null = null,
    attempts = 1,
  ): RunItemRecord {
    return {
      runId: this.#runId,
      stageId: p.node.id,
      item,
      status: o.status === 'ok' ? 'succeeded' : o.status,
      cacheHit: o.status === 'ok' && o.cacheHit,
      attempts,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      key: o.status === 'ok' ? o.key : key,
      error: o.status === 'failed' ? o.error : o.status === 'skipped' ? { code: 'TP_ABORTED', message: describeSkip(o.reason) } : null,
      metrics: itemMetrics,
    };
  }

  #summary(): RunSummary {
    const all = Object.values(this.#counts);
    const sum = (f: (c: StageCounts) => number) => all.reduce((n, c) => n + f(c), 0);
    return {
      items: this.#items.length,
      stages: this.#prepared.map((p) => p.node.id),
      total: sum((c) => c.total),
      succeeded: sum((c) => c.done + c.cached),
      failed: sum((c) => c.failed),
      skipped: sum((c) => c.skipped),
      cacheHits: sum((c) => c.cached),
      metrics: { ...this.#metrics },
    };
  }

  #emit(e: RunEvent): void {
    for (const l of this.#opts.listeners ?? []) l(e);
  }
}

function itemIdOf(work: Work): string {
  return work.kind === 'map' ? work.item.id : AGGREGATE_ITEM;
}
