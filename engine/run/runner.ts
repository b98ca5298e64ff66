import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { inputError, TracepipeError, toErrorInfo, type ErrorInfo } from '../errors.ts';
import { canonicalJson, sha256 } from '../hash.ts';
import { discoverItems } from '../items.ts';
import type { RunItemRecord, RunStatus, RunSummary, Store } from '../cache/types.ts';
import type { ResolvedPipeline } from '../config/types.ts';
import type { AggregateEntry, Annotation, ArtifactStore, Item, Memo, StageRegistry } from '../stage.ts';
import { describeSkip, type RunEndSummary, type RunEvent, type RunListener, type SkipReason, type StageCounts } from './events.ts';
import type { SnapshotFiles } from './files.ts';
import { aggregateDynamicParts, mapDynamicParts, prepareNodes, resultKey, upstreamAnnotations, type PreparedNode } from './keys.ts';
import { levelsOf } from './levels.ts';
import { readsStillMatch, ReadRecorder } from './reads.ts';

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
}

export interface RunResult {
  runId: string;
  status: Exclude<RunStatus, 'running'>;
  summary: RunEndSummary;
}

/** What one (stage, item) came to; the output itself is loaded only when something needs it. */
type Outcome =
  | { status: 'ok'; key: string; outputHash: string; cacheHit: boolean; output?: unknown }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'skipped'; reason: SkipReason };

const AGGREGATE_ITEM = '*';
const RECORD_BATCH = 500;

/**
 * Runs a pipeline over every item: map stages per item (items flow independently,
 * `concurrency` at a time), aggregate stages once all items reached them. Each
 * finished item is committed with its run record at once, so a kill loses only
 * the items in flight.
 */
export async function executeRun(opts: RunOptions): Promise<RunResult> {
  const { pipeline, store } = opts;
  const runId = opts.runId ?? newRunId();
  const listeners = opts.listeners ?? [];
  const emit = (e: RunEvent) => {
    for (const l of listeners) l(e);
  };
  const prepared = prepareNodes(pipeline, opts.registry, opts.files);
  const items = discoverItems(pipeline.sessions.path, store);
  const started = Date.now();
  const stop = new AbortController();
  // Every in-flight model call listens on this one signal.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  const counts: Record<string, StageCounts> = {};
  for (const p of prepared) {
    counts[p.node.id] = { total: p.def.kind === 'map' ? items.length : 1, done: 0, cached: 0, failed: 0, skipped: 0 };
  }
  const metrics: Record<string, number> = {};
  const failures: RunEndSummary['failures'] = [];
  const summary = (): RunSummary => {
    const all = Object.values(counts);
    return {
      items: items.length,
      stages: prepared.map((p) => p.node.id),
      total: all.reduce((n, c) => n + c.total, 0),
      succeeded: all.reduce((n, c) => n + c.done + c.cached, 0),
      failed: all.reduce((n, c) => n + c.failed, 0),
      skipped: all.reduce((n, c) => n + c.skipped, 0),
      cacheHits: all.reduce((n, c) => n + c.cached, 0),
      metrics: { ...metrics },
    };
  };

  store.createRun({
    id: runId,
    pipelinePath: pipeline.file,
    pipelineName: pipeline.name,
    variant: pipeline.variant,
    snapshot: opts.snapshot,
    status: 'running',
    resumedFrom: opts.resumedFrom ?? null,
    startedAt: new Date(started).toISOString(),
    endedAt: null,
    pid: process.pid,
    summary: summary(),
  });
  emit({ type: 'run:start', runId, pipeline: pipeline.file, variant: pipeline.variant, items: items.length, stages: prepared.map((p) => p.node.id), totals: Object.fromEntries(Object.entries(counts).map(([k, c]) => [k, c.total])), resumedFrom: opts.resumedFrom ?? null });

  // Cache hits and skips need no durability (losing one loses no work), so they are written in batches.
  let pendingRecords: RunItemRecord[] = [];
  const flushRecords = () => {
    if (pendingRecords.length === 0) return;
    const batch = pendingRecords;
    pendingRecords = [];
    store.transaction(() => batch.forEach((r) => store.recordItem(r)));
  };
  const deferRecord = (r: RunItemRecord) => {
    pendingRecords.push(r);
    if (pendingRecords.length >= RECORD_BATCH) flushRecords();
  };
  let lastSummaryWrite = 0;
  const touchSummary = () => {
    const now = Date.now();
    if (now - lastSummaryWrite < 1000) return;
    lastSummaryWrite = now;
    flushRecords();
    store.updateRun(runId, { summary: summary() });
  };

  const outcomes = new Map<string, Map<string, Outcome>>(); // node id -> item id -> outcome
  for (const p of prepared) outcomes.set(p.node.id, new Map());
  const byId = new Map(prepared.map((p) => [p.node.id, p]));
  /** An aggregate has one outcome for the whole run; a map stage one per item. */
  const outcomeOf = (nodeId: string, itemId: string) => outcomes.get(nodeId)!.get(byId.get(nodeId)!.def.kind === 'aggregate' ? AGGREGATE_ITEM : itemId);

  const memo: Memo = {
    get: (ns, key) => {
      const v = store.memoGet(ns, key);
      return v === undefined ? undefined : JSON.parse(v);
    },
    set: (ns, key, value) => store.memoSet(ns, key, canonicalJson(value), runId),
  };

  const loadOutput = (nodeId: string, itemId: string): unknown => {
    const o = outcomeOf(nodeId, itemId);
    if (o?.status !== 'ok') throw new TracepipeError('TP_INTERNAL', `no output of ${nodeId} for ${itemId}`);
    if (!('output' in o)) {
      const text = store.getOutput(o.outputHash);
      if (text === undefined) throw new TracepipeError('TP_CACHE', `the cache lost the output ${o.outputHash} of ${nodeId} for ${itemId}`, { hint: 'Run `tracepipe gc` or delete the cache folder.' });
      o.output = JSON.parse(text);
    }
    return o.output;
  };

  const record = (p: PreparedNode, item: string, startedAt: number, o: Outcome, cacheHit: boolean, itemMetrics: Record<string, number>, key: string | null = null, attempts = 1) => {
    const r: RunItemRecord = {
      runId,
      stageId: p.node.id,
      item,
      status: o.status === 'ok' ? 'succeeded' : o.status,
      cacheHit,
      attempts,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      key: o.status === 'ok' ? o.key : key,
      error: o.status === 'failed' ? o.error : o.status === 'skipped' ? { code: 'TP_ABORTED', message: describeSkip(o.reason) } : null,
      metrics: itemMetrics,
    };
    return r;
  };

  // Looking annotations up per item costs a query each; most caches have none at all.
  const anyAnnotations = store.annotationCount() > 0;
  const annotationsFor = (keys: Record<string, string>): Record<string, Annotation[]> => (anyAnnotations ? upstreamAnnotations(store, keys) : {});

  /** Runs (or finds in the cache) one stage for one item or, for an aggregate, for all. */
  const runOne = async (p: PreparedNode, item: Item | null, entries: (() => AggregateEntry[]) | null, dynamic: Record<string, unknown>, ctxExtra: { inputs?: Record<string, unknown>; upstreamKeys: Record<string, string>; annotations: Record<string, Annotation[]>; failures?: { item: Item; stage: string; code: string; message: string }[] }): Promise<Outcome> => {
    const itemId = item?.id ?? AGGREGATE_ITEM;
    const key = resultKey(p, dynamic);
    const startedAt = Date.now();
    const cacheable = p.def.cache !== false;
    const hit = cacheable ? store.hitOf(key) : undefined;
    const c = counts[p.node.id]!;
    if (hit !== undefined && readsStillMatch(hit, item, pipeline.cacheDir, store)) {
      const o: Outcome = { status: 'ok', key, outputHash: hit.outputHash, cacheHit: true };
      c.cached++;
      deferRecord(record(p, itemId, startedAt, o, true, {}));
      emit({ type: 'item:done', runId, stage: p.node.id, item: itemId, cacheHit: true, durationMs: 0, metrics: {} });
      return o;
    }
    emit({ type: 'item:start', runId, stage: p.node.id, item: itemId });
    const attempts = 1 + store.failedAttempts(key);
    const itemMetrics: Record<string, number> = {};
    const putArtifacts: string[] = [];
    const artifacts: ArtifactStore = {
      put: (data, mediaType) => {
        const h = store.putArtifact(data, mediaType);
        putArtifacts.push(h);
        return h;
      },
      get: (h) => store.getArtifact(h),
    };
    const base = {
      runId,
      node: p.node,
      options: p.node.with,
      pipeline,
      files: opts.files,
      artifacts,
      memo,
      metrics: { add: (name: string, n: number) => void (itemMetrics[name] = (itemMetrics[name] ?? 0) + n) },
      signal: stop.signal,
      emit: (name: string, data: Record<string, unknown> = {}) => emit({ type: 'stage:event', runId, stage: p.node.id, item: item?.id ?? null, name, data }),
    };
    let outcome: Outcome;
    const source = item === null ? undefined : new ReadRecorder(item, pipeline.cacheDir, store);
    try {
      const output =
        p.def.kind === 'map'
          ? await p.def.run({ ...base, item: item!, source: source!, inputs: ctxExtra.inputs ?? {}, upstreamKeys: ctxExtra.upstreamKeys, annotations: ctxExtra.annotations, key })
          : await p.def.run({ ...base, items: entries?.() ?? [], failures: ctxExtra.failures ?? [] });
      const reads = source?.reads();
      const json = canonicalJson(output ?? null);
      const outputHash = sha256(json);
      outcome = { status: 'ok', key, outputHash, cacheHit: false, output: JSON.parse(json) };
      const r = record(p, itemId, startedAt, outcome, false, itemMetrics, null, attempts);
      store.transaction(() => {
        if (cacheable) {
          store.putResult({ key, staticHash: p.staticHash, stageId: p.node.id, item: itemId, outputHash, parts: { static: p.staticParts, dynamic }, ...(reads === undefined ? {} : { reads }), createdAt: new Date().toISOString() }, json, putArtifacts);
        } else {
          store.putArtifact(Buffer.from(json, 'utf8'), 'application/json');
        }
        store.recordItem(r);
      });
      c.done++;
      emit({ type: 'item:done', runId, stage: p.node.id, item: itemId, cacheHit: false, durationMs: r.durationMs, metrics: itemMetrics });
    } catch (err) {
      if (stop.signal.aborted && !(err instanceof TracepipeError && err.code !== 'TP_ABORTED')) {
        outcome = { status: 'skipped', reason: { kind: 'aborted' } };
        c.skipped++;
        store.recordItem(record(p, itemId, startedAt, outcome, false, itemMetrics));
        emit({ type: 'item:skipped', runId, stage: p.node.id, item: itemId, reason: outcome.reason });
      } else {
        const error = toErrorInfo(err, 'TP_STAGE');
        outcome = { status: 'failed', error };
        c.failed++;
        failures.push({ stage: p.node.id, item: itemId, error });
        store.recordItem(record(p, itemId, startedAt, outcome, false, itemMetrics, key, attempts));
        emit({ type: 'item:failed', runId, stage: p.node.id, item: itemId, error, durationMs: Date.now() - startedAt });
        if (opts.failFast) stop.abort();
      }
    }
    for (const [k, v] of Object.entries(itemMetrics)) metrics[k] = (metrics[k] ?? 0) + v;
    touchSummary();
    return outcome;
  };

  const skip = (p: PreparedNode, itemId: string, reason: SkipReason): Outcome => {
    const o: Outcome = { status: 'skipped', reason };
    counts[p.node.id]!.skipped++;
    deferRecord(record(p, itemId, Date.now(), o, false, {}));
    emit({ type: 'item:skipped', runId, stage: p.node.id, item: itemId, reason });
    return o;
  };

  /** Upstream hashes, keys and (lazily) outputs of a node's needs for one item, or the first failed need. */
  const gatherNeeds = (p: PreparedNode, itemId: string) => {
    const upstream: Record<string, string> = {};
    const upstreamKeys: Record<string, string> = {};
    for (const need of p.node.needs) {
      const o = outcomeOf(need, itemId);
      if (o === undefined || o.status !== 'ok') return { failedNeed: need };
      upstream[need] = o.outputHash;
      upstreamKeys[need] = o.key;
    }
    return { upstream, upstreamKeys };
  };

  const runMapNode = async (p: PreparedNode, item: Item): Promise<void> => {
    const out = outcomes.get(p.node.id)!;
    if (stop.signal.aborted) return void out.set(item.id, skip(p, item.id, { kind: 'aborted' }));
    const needs = gatherNeeds(p, item.id);
    if ('failedNeed' in needs) return void out.set(item.id, skip(p, item.id, { kind: 'upstream-failed', stage: needs.failedNeed! }));
    const annotations = annotationsFor(needs.upstreamKeys);
    const dynamic = mapDynamicParts(p.node, item, needs.upstream, annotations);
    // Inputs are parsed only if the stage has to run (a cache hit never reads them).
    const inputs: Record<string, unknown> = {};
    for (const id of p.node.needs) Object.defineProperty(inputs, id, { enumerable: true, get: () => loadOutput(id, item.id) });
    await withLimit(p, () => runOne(p, item, null, dynamic, { inputs, upstreamKeys: needs.upstreamKeys, annotations })).then((o) => void out.set(item.id, o));
  };

  const limits = new Map<string, Semaphore>();
  const withLimit = <T>(p: PreparedNode, fn: () => Promise<T>): Promise<T> => {
    if (p.node.concurrency === undefined) return fn();
    let s = limits.get(p.node.id);
    if (s === undefined) limits.set(p.node.id, (s = new Semaphore(p.node.concurrency)));
    return s.run(fn);
  };

  const runAggregateNode = async (p: PreparedNode): Promise<void> => {
    const out = outcomes.get(p.node.id)!;
    if (stop.signal.aborted) return void out.set(AGGREGATE_ITEM, skip(p, AGGREGATE_ITEM, { kind: 'aborted' }));
    const ready: { item: Item; upstream: Record<string, string>; upstreamKeys: Record<string, string> }[] = [];
    const failed: { item: Item; stage: string; code: string; message: string }[] = [];
    for (const item of items) {
      const needs = gatherNeeds(p, item.id);
      if ('failedNeed' in needs) {
        const o = outcomes.get(needs.failedNeed!)?.get(item.id);
        const why = o?.status === 'failed' ? o.error : { code: 'TP_ABORTED', message: 'skipped upstream' };
        failed.push({ item, stage: needs.failedNeed!, code: why.code, message: why.message });
      } else ready.push({ item, upstream: needs.upstream!, upstreamKeys: needs.upstreamKeys! });
    }
    const withAnnotations = ready.map((r) => ({ ...r, annotations: annotationsFor(r.upstreamKeys) }));
    const dynamic = aggregateDynamicParts(withAnnotations, failed);
    const entries = (): AggregateEntry[] =>
      withAnnotations.map((r) => ({
        item: r.item,
        inputs: Object.fromEntries(p.node.needs.map((id) => [id, loadOutput(id, r.item.id)])),
        upstreamKeys: r.upstreamKeys,
        annotations: r.annotations,
      }));
    const o = await runOne(p, null, entries, dynamic, { upstreamKeys: {}, annotations: {}, failures: failed });
    out.set(AGGREGATE_ITEM, o);
  };

  /** Items whose outputs share what the stage says must be unique fail, each naming the others. */
  const failClashes = (p: PreparedNode) => {
    if (p.def.kind !== 'map' || p.def.uniqueBy === undefined) return;
    const byValue = new Map<string, Item[]>();
    for (const item of items) {
      if (outcomeOf(p.node.id, item.id)?.status !== 'ok') continue;
      const value = p.def.uniqueBy(loadOutput(p.node.id, item.id));
      if (value !== undefined) byValue.set(value, [...(byValue.get(value) ?? []), item]);
    }
    const c = counts[p.node.id]!;
    for (const [value, clash] of byValue) {
      if (clash.length < 2) continue;
      for (const item of clash) {
        const o = outcomeOf(p.node.id, item.id) as Extract<Outcome, { status: 'ok' }>;
        const others = clash.filter((x) => x !== item).map((x) => x.path);
        const error = toErrorInfo(
          inputError(`${item.path}: its id "${value}" is also the id of ${others.join(', ')}`, {
            location: { file: item.path },
            hint: 'Give each session its own id (two sessions with one id would overwrite each other\'s outputs); none of them was processed further.',
          }),
          'TP_INPUT',
        );
        if (o.cacheHit) c.cached--;
        else c.done--;
        c.failed++;
        const failed: Outcome = { status: 'failed', error };
        outcomes.get(p.node.id)!.set(item.id, failed);
        failures.push({ stage: p.node.id, item: item.id, error });
        store.recordItem(record(p, item.id, Date.now(), failed, false, {}, o.key));
        emit({ type: 'item:failed', runId, stage: p.node.id, item: item.id, error, durationMs: 0 });
      }
    }
  };

  let status: Exclude<RunStatus, 'running'> = 'succeeded';
  const levels = levelsOf(prepared);
  try {
    for (const [levelIndex, level] of levels.entries()) {
      // What a later level or this level's aggregates still read; the rest is dropped per item, so memory does not grow with items.
      const keep = new Set([...levels.slice(levelIndex + 1).flat(), ...level.filter((q) => q.def.kind === 'aggregate')].flatMap((q) => q.node.needs));
      const mapNodes = level.filter((p) => p.def.kind === 'map');
      if (mapNodes.length > 0) {
        let next = 0;
        const worker = async () => {
          while (next < items.length) {
            const item = items[next++]!;
            for (const p of mapNodes) await runMapNode(p, item);
            // Parsed outputs are dropped once an item is through its level; hashes stay.
            for (const p of mapNodes) {
              const perItem = outcomes.get(p.node.id)!;
              if (!keep.has(p.node.id)) perItem.delete(item.id);
              else {
                const o = perItem.get(item.id);
                if (o?.status === 'ok') delete o.output;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(pipeline.concurrency, items.length)) }, worker));
      }
      for (const p of mapNodes) failClashes(p);
      for (const p of level.filter((q) => q.def.kind === 'aggregate')) await runAggregateNode(p);
    }
    const anyFailed = Object.values(counts).some((c) => c.failed > 0);
    status = opts.signal?.aborted ? 'interrupted' : anyFailed ? 'failed' : 'succeeded';
  } catch (err) {
    status = 'failed';
    failures.push({ stage: '(engine)', item: AGGREGATE_ITEM, error: toErrorInfo(err, 'TP_INTERNAL') });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    flushRecords();
    store.updateRun(runId, { status, endedAt: new Date().toISOString(), summary: summary() });
  }
  const end: RunEndSummary = { stages: counts, failures, metrics: { ...metrics } };
  emit({ type: 'run:end', runId, status, durationMs: Date.now() - started, summary: end });
  return { runId, status, summary: end };
}

/** Sortable, unique enough for one cache: `20261122-031500-ab12cd`. */
export function newRunId(): string {
  const d = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${d}-${randomBytes(3).toString('hex')}`;
}

class Semaphore {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
