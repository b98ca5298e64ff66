import { sha256 } from '../hash.ts';
import { Journal, JournaledMap } from './journal.ts';
import type { Annotation } from '../stage.ts';
import type { ItemQuery, ItemStats, ResultHit, RunItemRecord, RunRecord, StageResult, Store } from './types.ts';

/** The same contract as SqliteStore, in memory: for tests and throwaway runs. */
export class MemoryStore implements Store {
  private readonly journal = new Journal();
  private artifacts = new JournaledMap<string, { data: Uint8Array; mediaType: string }>(this.journal);
  private results = new JournaledMap<string, StageResult>(this.journal);
  private resultArtifacts = new JournaledMap<string, string[]>(this.journal);
  private latest = new JournaledMap<string, string>(this.journal);
  private memo = new JournaledMap<string, { value: string; runId: string }>(this.journal);
  private notes = new JournaledMap<string, Annotation[]>(this.journal);
  private stats = new JournaledMap<string, { size: number; mtimeMs: number; ino: number; hash: string }>(this.journal);
  private runs = new JournaledMap<string, RunRecord>(this.journal);
  private items = new JournaledMap<string, Map<string, RunItemRecord & { seq: number }>>(this.journal);
  private nextSeq = new JournaledMap<string, number>(this.journal);

  /** All the writes in `fn` land, or none: a throw undoes them (as SQLite's transactions do). */
  transaction<T>(fn: () => T): T {
    return this.journal.run(fn);
  }

  putArtifact(data: Uint8Array, mediaType: string): string {
    const hash = sha256(data);
    if (!this.artifacts.has(hash)) this.artifacts.set(hash, { data: new Uint8Array(data), mediaType });
    return hash;
  }

  getArtifact(hash: string) {
    return this.artifacts.get(hash);
  }

  getOutput(outputHash: string): string | undefined {
    const a = this.artifacts.get(outputHash);
    return a === undefined ? undefined : Buffer.from(a.data).toString('utf8');
  }

  getResult(key: string) {
    return clone(this.results.get(key));
  }

  hitOf(key: string): ResultHit | undefined {
    const r = this.results.get(key);
    if (r === undefined) return undefined;
    return r.reads === undefined ? { outputHash: r.outputHash } : { outputHash: r.outputHash, reads: clone(r.reads)! };
  }

  cacheReads(): string[] {
    const out = new Set<string>();
    for (const r of this.results.values()) for (const ref of Object.keys(r.reads ?? {})) if (ref.startsWith('cache:')) out.add(ref.slice('cache:'.length));
    return [...out].sort();
  }

  failedAttempts(key: string): number {
    let n = 0;
    for (const items of this.items.values()) for (const i of items.values()) if (i.key === key && i.status === 'failed') n++;
    return n;
  }

  annotationCount(): number {
    return [...this.notes.values()].reduce((n, l) => n + l.length, 0);
  }

  latestResult(stageId: string, item: string) {
    const key = this.latest.get(`${stageId}\u0000${item}`);
    return key === undefined ? undefined : clone(this.results.get(key));
  }

  putResult(result: StageResult, outputJson: string, artifacts: string[]): void {
    this.artifacts.set(result.outputHash, { data: Buffer.from(outputJson, 'utf8'), mediaType: 'application/json' });
    this.results.set(result.key, clone(result)!);
    this.resultArtifacts.set(result.key, [...artifacts]);
    this.latest.set(`${result.stageId}\u0000${result.item}`, result.key);
  }

  memoGet(namespace: string, key: string) {
    return this.memo.get(`${namespace}\u0000${key}`)?.value;
  }

  memoSet(namespace: string, key: string, value: string, runId: string): void {
    this.memo.set(`${namespace}\u0000${key}`, { value, runId });
  }

  annotations(subjectKey: string): Annotation[] {
    return clone(this.notes.get(subjectKey)) ?? [];
  }

  addAnnotation(a: Annotation): void {
    this.notes.set(a.subjectKey, [...(this.notes.get(a.subjectKey) ?? []), clone(a)!]);
  }

  statGet(path: string, size: number, mtimeMs: number, ino: number) {
    const s = this.stats.get(path);
    return s !== undefined && s.size === size && s.mtimeMs === mtimeMs && s.ino === ino ? s.hash : undefined;
  }

  statSet(path: string, size: number, mtimeMs: number, ino: number, hash: string): void {
    this.stats.set(path, { size, mtimeMs, ino, hash });
  }

  createRun(run: RunRecord): void {
    this.runs.set(run.id, clone(run)!);
    this.items.set(run.id, new JournaledMap(this.journal));
  }

  updateRun(id: string, patch: Partial<Pick<RunRecord, 'status' | 'endedAt' | 'summary'>>): void {
    const run = this.runs.get(id);
    if (run !== undefined) this.runs.set(id, { ...run, ...clone(patch) });
  }

  getRun(id: string) {
    return clone(this.runs.get(id));
  }

  listRuns(limit = 1000): RunRecord[] {
    return [...this.runs.values()]
      .map((r, i) => ({ r, i }))
      .sort((a, b) => b.r.startedAt.localeCompare(a.r.startedAt) || b.i - a.i)
      .slice(0, limit)
      .map(({ r }) => clone(r)!);
  }

  recordItem(item: RunItemRecord): void {
    const map = this.items.get(item.runId) ?? new JournaledMap<string, RunItemRecord & { seq: number }>(this.journal);
    const seq = (this.nextSeq.get(item.runId) ?? 0) + 1;
    this.nextSeq.set(item.runId, seq);
    const key = `${item.stageId}\u0000${item.item}`;
    map.delete(key); // a re-recorded item moves to the end of the recording order
    map.set(key, { ...clone(item)!, seq });
    this.items.set(item.runId, map);
  }

  private matching(runId: string, q: ItemQuery): RunItemRecord[] {
    return [...(this.items.get(runId)?.values() ?? [])].filter(
      (i) =>
        (q.stageId === undefined || i.stageId === q.stageId) &&
        (q.status === undefined || i.status === q.status) &&
        (q.item === undefined || i.item === q.item),
    );
  }

  runItems(runId: string, q: ItemQuery = {}): RunItemRecord[] {
    const all = this.matching(runId, q).sort((a, b) => cmp(a.stageId, b.stageId) || cmp(a.item, b.item));
    const offset = q.offset ?? 0;
    return all.slice(offset, q.limit === undefined ? undefined : offset + q.limit).map(withoutSeq);
  }

  countRunItems(runId: string, q: ItemQuery = {}): number {
    return this.matching(runId, q).length;
  }

  itemStats(runId: string): ItemStats[] {
    const stats = new Map<string, ItemStats>();
    for (const i of this.items.get(runId)?.values() ?? []) {
      const k = `${i.stageId}\u0000${i.status}\u0000${i.cacheHit}`;
      const s = stats.get(k) ?? { stageId: i.stageId, status: i.status, cacheHit: i.cacheHit, n: 0, durationMs: 0 };
      s.n++;
      s.durationMs += i.durationMs;
      stats.set(k, s);
    }
    return [...stats.values()];
  }

  itemsAfter(runId: string, afterSeq: number, limit = 1000): { seq: number; item: RunItemRecord }[] {
    return [...(this.items.get(runId)?.values() ?? [])]
      .filter((i) => i.seq > afterSeq)
      .slice(0, limit)
      .map((i) => ({ seq: i.seq, item: withoutSeq(i) }));
  }

  finishedRuns(): Pick<RunRecord, 'id' | 'pipelinePath' | 'variant'>[] {
    return this.listRuns(Infinity).filter((r) => r.status !== 'running');
  }

  dropRuns(ids: readonly string[]): void {
    for (const id of ids) (this.runs.delete(id), this.items.delete(id), this.nextSeq.delete(id));
  }

  dropUnreferencedResults(): number {
    const referenced = new Set<string | null>();
    for (const items of this.items.values()) for (const i of items.values()) referenced.add(i.key);
    const drop = [...this.results.keys()].filter((k) => !referenced.has(k));
    for (const k of drop) (this.results.delete(k), this.resultArtifacts.delete(k));
    for (const [k, key] of this.latest) if (!this.results.has(key)) this.latest.delete(k);
    return drop.length;
  }

  dropUnreferencedArtifacts(): { count: number; bytes: number } {
    const referenced = new Set<string>();
    for (const r of this.results.values()) referenced.add(r.outputHash);
    for (const hashes of this.resultArtifacts.values()) for (const h of hashes) referenced.add(h);
    let count = 0;
    let bytes = 0;
    for (const [h, a] of [...this.artifacts]) {
      if (referenced.has(h)) continue;
      count++;
      bytes += a.data.byteLength;
      this.artifacts.delete(h);
    }
    return { count, bytes };
  }

  dropMemoOfDroppedRuns(): number {
    const drop = [...this.memo].filter(([, v]) => !this.runs.has(v.runId)).map(([k]) => k);
    for (const k of drop) this.memo.delete(k);
    return drop.length;
  }

  compact(): void {}

  close(): void {}
}

function withoutSeq(i: RunItemRecord & { seq?: number }): RunItemRecord {
  const { seq: _seq, ...rest } = clone(i);
  return rest;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}
