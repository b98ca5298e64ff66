import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TracepipeError } from '../errors.ts';
import { sha256, canonicalJson } from '../hash.ts';
import type { Annotation } from '../stage.ts';
import type { ItemQuery, ItemStats, ItemStatus, Reads, ResultHit, RunItemRecord, RunRecord, StageResult, Store } from './types.ts';

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS artifacts(
  hash TEXT PRIMARY KEY, media_type TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS key_parts(hash TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  key TEXT PRIMARY KEY, stage_id TEXT NOT NULL, item TEXT NOT NULL, output_hash TEXT NOT NULL,
  static_hash TEXT NOT NULL, dynamic TEXT NOT NULL, created_at TEXT NOT NULL, reads TEXT);
CREATE INDEX IF NOT EXISTS results_by_stage_item ON results(stage_id, item);
CREATE TABLE IF NOT EXISTS result_artifacts(key TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY(key, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memo(
  namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, run_id TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY(namespace, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS annotations(
  id INTEGER PRIMARY KEY AUTOINCREMENT, subject_key TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS annotations_by_subject ON annotations(subject_key);
CREATE TABLE IF NOT EXISTS stat_cache(path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL, ino INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY, pipeline_path TEXT NOT NULL, pipeline_name TEXT NOT NULL, variant TEXT, snapshot TEXT NOT NULL,
  status TEXT NOT NULL, resumed_from TEXT, started_at TEXT NOT NULL, ended_at TEXT, pid INTEGER NOT NULL, summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_items(
  run_id TEXT NOT NULL, stage_id TEXT NOT NULL, item TEXT NOT NULL, status TEXT NOT NULL, cache_hit INTEGER NOT NULL,
  attempts INTEGER NOT NULL, started_at TEXT NOT NULL, duration_ms REAL NOT NULL, key TEXT, error TEXT, metrics TEXT NOT NULL,
  seq INTEGER,
  PRIMARY KEY(run_id, stage_id, item)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_items_by_key ON run_items(key);
`;

/** Run items got a recording order (`seq`) after schema 1 shipped: files made before it gain the column in place. */
const RUN_ITEMS_SEQ_INDEX = 'CREATE INDEX IF NOT EXISTS run_items_by_seq ON run_items(run_id, seq)';

interface ResultRow {
  key: string;
  stage_id: string;
  item: string;
  output_hash: string;
  static_hash: string;
  dynamic: string;
  reads: string | null;
  created_at: string;
}

interface RunRow {
  id: string;
  pipeline_path: string;
  pipeline_name: string;
  variant: string | null;
  snapshot: string;
  status: RunRecord['status'];
  resumed_from: string | null;
  started_at: string;
  ended_at: string | null;
  pid: number;
  summary: string;
}

interface RunItemRow {
  run_id: string;
  stage_id: string;
  item: string;
  status: ItemStatus;
  cache_hit: number;
  attempts: number;
  started_at: string;
  duration_ms: number;
  key: string | null;
  error: string | null;
  metrics: string;
}

/**
 * The cache and run records in one SQLite file (WAL). Several processes may use the
 * same file at once: writers wait on the busy timeout instead of failing.
 */
export class SqliteStore implements Store {
  readonly file: string;
  private readonly db: Database.Database;
  /** Static key parts already written by this process (every item of a stage shares one). */
  private readonly knownParts = new Set<string>();
  private readonly stmt;

  constructor(file: string, opts: { busyTimeoutMs?: number; readonly?: boolean } = {}) {
    this.file = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    try {
      this.db = new Database(file, { readonly: opts.readonly ?? false, timeout: opts.busyTimeoutMs ?? 15_000 });
      if (!opts.readonly) {
        const deadline = Date.now() + (opts.busyTimeoutMs ?? 15_000);
        // Switching to WAL can answer SQLITE_BUSY at once, without the busy handler, while
        // another process opens the same new file: wait it out like any other lock.
        whileBusy(deadline, () => this.db.pragma('journal_mode = WAL'));
        this.db.pragma('synchronous = NORMAL');
        // One write transaction taken up front: two processes creating or upgrading the same file
        // queue on it instead of one failing on a lock upgrade half-way through the schema.
        whileBusy(deadline, () =>
          this.db
            .transaction(() => {
              this.db.exec(SCHEMA);
              this.checkVersion();
              // Columns later versions added, on files made before them.
              this.addColumn('run_items', 'seq', 'INTEGER');
              this.db.exec(RUN_ITEMS_SEQ_INDEX);
              this.addColumn('results', 'reads', 'TEXT');
            })
            .immediate(),
        );
      }
    } catch (err) {
      if (err instanceof TracepipeError) throw err;
      throw new TracepipeError('TP_CACHE', `cannot open the cache file ${file}`, {
        cause: err,
        hint: 'Check that the path is writable and is a tracepipe cache, or point `cache:` / --cache at another folder. Do not delete it lightly: it also holds review decisions people made.',
      });
    }
    const db = this.db;
    this.stmt = {
      putArtifact: db.prepare('INSERT OR IGNORE INTO artifacts(hash, media_type, size, data, created_at) VALUES (?, ?, ?, ?, ?)'),
      getArtifact: db.prepare('SELECT media_type, data FROM artifacts WHERE hash = ?'),
      putParts: db.prepare('INSERT OR IGNORE INTO key_parts(hash, json) VALUES (?, ?)'),
      getParts: db.prepare('SELECT json FROM key_parts WHERE hash = ?'),
      getResult: db.prepare('SELECT * FROM results WHERE key = ?'),
      hitOf: db.prepare('SELECT output_hash, reads FROM results WHERE key = ?'),
      cacheReads: db.prepare("SELECT reads FROM results WHERE reads IS NOT NULL AND reads LIKE '%\"cache:%'"),
      annotationCount: db.prepare('SELECT COUNT(*) AS n FROM annotations'),
      failedAttempts: db.prepare("SELECT COUNT(*) AS n FROM run_items WHERE key = ? AND status = 'failed'"),
      latestResult: db.prepare('SELECT * FROM results WHERE stage_id = ? AND item = ? ORDER BY rowid DESC LIMIT 1'),
      putResult: db.prepare(
        'INSERT OR REPLACE INTO results(key, stage_id, item, output_hash, static_hash, dynamic, reads, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      putResultArtifact: db.prepare('INSERT OR IGNORE INTO result_artifacts(key, hash) VALUES (?, ?)'),
      memoGet: db.prepare('SELECT value FROM memo WHERE namespace = ? AND key = ?'),
      memoSet: db.prepare('INSERT OR REPLACE INTO memo(namespace, key, value, run_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      annotations: db.prepare('SELECT * FROM annotations WHERE subject_key = ? ORDER BY id'),
      addAnnotation: db.prepare('INSERT INTO annotations(subject_key, kind, payload, created_at) VALUES (?, ?, ?, ?)'),
      statGet: db.prepare('SELECT hash FROM stat_cache WHERE path = ? AND size = ? AND mtime = ? AND ino = ?'),
      statSet: db.prepare('INSERT OR REPLACE INTO stat_cache(path, size, mtime, ino, hash) VALUES (?, ?, ?, ?, ?)'),
      createRun: db.prepare(
        `INSERT INTO runs(id, pipeline_path, pipeline_name, variant, snapshot, status, resumed_from, started_at, ended_at, pid, summary)
         VALUES (@id, @pipeline_path, @pipeline_name, @variant, @snapshot, @status, @resumed_from, @started_at, @ended_at, @pid, @summary)`,
      ),
      getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
      listRuns: db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?'),
      recordItem: db.prepare(
        `INSERT OR REPLACE INTO run_items(run_id, stage_id, item, status, cache_hit, attempts, started_at, duration_ms, key, error, metrics, seq)
         VALUES (@run_id, @stage_id, @item, @status, @cache_hit, @attempts, @started_at, @duration_ms, @key, @error, @metrics,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_items WHERE run_id = @run_id))`,
      ),
      itemStats: db.prepare(
        `SELECT stage_id, status, cache_hit, COUNT(*) AS n, COALESCE(SUM(duration_ms), 0) AS duration_ms
         FROM run_items WHERE run_id = ? GROUP BY stage_id, status, cache_hit`,
      ),
      itemsAfter: db.prepare('SELECT * FROM run_items WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    };
  }

  /** Adds a column that later versions need to a file made before them (inside the open's write transaction). */
  private addColumn(table: string, column: string, type: string): void {
    const columns = this.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[];
    if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }

  private checkVersion(): void {
    const row = this.db.prepare('SELECT v FROM meta WHERE k = ?').get('schema') as { v: string } | undefined;
    if (row === undefined) {
      this.db.prepare('INSERT OR IGNORE INTO meta(k, v) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    } else if (row.v !== SCHEMA_VERSION) {
      throw new TracepipeError('TP_CACHE', `the cache file ${this.file} has schema ${row.v}, this tracepipe needs ${SCHEMA_VERSION}`, {
        hint: 'Point `cache:` / --cache at another folder to start a fresh cache; this one also holds review decisions people made, so keep it.',
      });
    }
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  putArtifact(data: Uint8Array, mediaType: string): string {
    const hash = sha256(data);
    this.stmt.putArtifact.run(hash, mediaType, data.byteLength, Buffer.from(data.buffer, data.byteOffset, data.byteLength), now());
    return hash;
  }

  getArtifact(hash: string) {
    const row = this.stmt.getArtifact.get(hash) as { media_type: string; data: Buffer } | undefined;
    return row === undefined ? undefined : { data: new Uint8Array(row.data), mediaType: row.media_type };
  }

  getOutput(outputHash: string): string | undefined {
    const row = this.stmt.getArtifact.get(outputHash) as { data: Buffer } | undefined;
    return row?.data.toString('utf8');
  }

  hitOf(key: string): ResultHit | undefined {
    const row = this.stmt.hitOf.get(key) as { output_hash: string; reads: string | null } | undefined;
    if (row === undefined) return undefined;
    return row.reads === null ? { outputHash: row.output_hash } : { outputHash: row.output_hash, reads: JSON.parse(row.reads) };
  }

  cacheReads(): string[] {
    const out = new Set<string>();
    for (const row of this.stmt.cacheReads.all() as { reads: string }[]) {
      for (const ref of Object.keys(JSON.parse(row.reads) as Reads)) if (ref.startsWith('cache:')) out.add(ref.slice('cache:'.length));
    }
    return [...out].sort();
  }

  failedAttempts(key: string): number {
    return (this.stmt.failedAttempts.get(key) as { n: number }).n;
  }

  annotationCount(): number {
    return (this.stmt.annotationCount.get() as { n: number }).n;
  }

  getResult(key: string): StageResult | undefined {
    return this.toResult(this.stmt.getResult.get(key) as ResultRow | undefined);
  }

  latestResult(stageId: string, item: string): StageResult | undefined {
    return this.toResult(this.stmt.latestResult.get(stageId, item) as ResultRow | undefined);
  }

  putResult(result: StageResult, outputJson: string, artifacts: string[]): void {
    let staticHash = result.staticHash;
    if (staticHash === undefined || !this.knownParts.has(staticHash)) {
      const staticJson = canonicalJson(result.parts.static);
      staticHash = sha256(staticJson);
      this.stmt.putParts.run(staticHash, staticJson);
      this.knownParts.add(staticHash);
    }
    const data = Buffer.from(outputJson, 'utf8');
    this.stmt.putArtifact.run(result.outputHash, 'application/json', data.byteLength, data, now());
    this.stmt.putResult.run(
      result.key,
      result.stageId,
      result.item,
      result.outputHash,
      staticHash,
      canonicalJson(result.parts.dynamic),
      result.reads === undefined ? null : canonicalJson(result.reads),
      result.createdAt,
    );
    for (const a of artifacts) this.stmt.putResultArtifact.run(result.key, a);
  }

  private toResult(row: ResultRow | undefined): StageResult | undefined {
    if (row === undefined) return undefined;
    const parts = this.stmt.getParts.get(row.static_hash) as { json: string } | undefined;
    return {
      key: row.key,
      stageId: row.stage_id,
      item: row.item,
      outputHash: row.output_hash,
      parts: { static: parts === undefined ? {} : JSON.parse(parts.json), dynamic: JSON.parse(row.dynamic) },
      ...(row.reads === null ? {} : { reads: JSON.parse(row.reads) as Reads }),
      createdAt: row.created_at,
    };
  }

  memoGet(namespace: string, key: string): string | undefined {
    return (this.stmt.memoGet.get(namespace, key) as { value: string } | undefined)?.value;
  }

  memoSet(namespace: string, key: string, value: string, runId: string): void {
    this.stmt.memoSet.run(namespace, key, value, runId, now());
  }

  annotations(subjectKey: string): Annotation[] {
    const rows = this.stmt.annotations.all(subjectKey) as { subject_key: string; kind: string; payload: string; created_at: string }[];
    return rows.map((r) => ({ subjectKey: r.subject_key, kind: r.kind, payload: JSON.parse(r.payload), createdAt: r.created_at }));
  }

  addAnnotation(a: Annotation): void {
    this.stmt.addAnnotation.run(a.subjectKey, a.kind, canonicalJson(a.payload), a.createdAt);
  }

  statGet(path: string, size: number, mtimeMs: number, ino: number): string | undefined {
    return (this.stmt.statGet.get(path, size, mtimeMs, ino) as { hash: string } | undefined)?.hash;
  }

  statSet(path: string, size: number, mtimeMs: number, ino: number, hash: string): void {
    this.stmt.statSet.run(path, size, mtimeMs, ino, hash);
  }

  createRun(run: RunRecord): void {
    this.stmt.createRun.run({
      id: run.id,
      pipeline_path: run.pipelinePath,
      pipeline_name: run.pipelineName,
      variant: run.variant,
      // In the order it was given: resume must rebuild the config exactly as exec had it.
      snapshot: JSON.stringify(run.snapshot),
      status: run.status,
      resumed_from: run.resumedFrom,
      started_at: run.startedAt,
      ended_at: run.endedAt,
      pid: run.pid,
      summary: JSON.stringify(run.summary),
    });
  }

  updateRun(id: string, patch: Partial<Pick<RunRecord, 'status' | 'endedAt' | 'summary'>>): void {
    const sets: string[] = [];
    const args: Record<string, unknown> = { id };
    if (patch.status !== undefined) (sets.push('status = @status'), (args.status = patch.status));
    if (patch.endedAt !== undefined) (sets.push('ended_at = @ended_at'), (args.ended_at = patch.endedAt));
    if (patch.summary !== undefined) (sets.push('summary = @summary'), (args.summary = JSON.stringify(patch.summary)));
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = @id`).run(args);
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.stmt.getRun.get(id) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  listRuns(limit = 1000): RunRecord[] {
    return (this.stmt.listRuns.all(limit) as RunRow[]).map(toRun);
  }

  recordItem(item: RunItemRecord): void {
    this.stmt.recordItem.run({
      run_id: item.runId,
      stage_id: item.stageId,
      item: item.item,
      status: item.status,
      cache_hit: item.cacheHit ? 1 : 0,
      attempts: item.attempts,
      started_at: item.startedAt,
      duration_ms: item.durationMs,
      key: item.key,
      error: item.error === null ? null : JSON.stringify(item.error),
      metrics: JSON.stringify(item.metrics),
    });
  }

  runItems(runId: string, q: ItemQuery = {}): RunItemRecord[] {
    const sql = `SELECT * FROM run_items WHERE ${itemWhere(q)} ORDER BY stage_id, item LIMIT @limit OFFSET @offset`;
    const rows = this.db
      .prepare(sql)
      .all({ runId, stageId: q.stageId, status: q.status, item: q.item, limit: q.limit ?? -1, offset: q.offset ?? 0 }) as RunItemRow[];
    return rows.map(toRunItem);
  }

  countRunItems(runId: string, q: ItemQuery = {}): number {
    const sql = `SELECT COUNT(*) AS n FROM run_items WHERE ${itemWhere(q)}`;
    return (this.db.prepare(sql).get({ runId, stageId: q.stageId, status: q.status, item: q.item }) as { n: number }).n;
  }

  itemStats(runId: string): ItemStats[] {
    const rows = this.stmt.itemStats.all(runId) as { stage_id: string; status: ItemStatus; cache_hit: number; n: number; duration_ms: number }[];
    return rows.map((r) => ({ stageId: r.stage_id, status: r.status, cacheHit: r.cache_hit === 1, n: r.n, durationMs: r.duration_ms }));
  }

  itemsAfter(runId: string, afterSeq: number, limit = 1000): { seq: number; item: RunItemRecord }[] {
    return (this.stmt.itemsAfter.all(runId, afterSeq, limit) as (RunItemRow & { seq: number })[]).map((r) => ({ seq: r.seq, item: toRunItem(r) }));
  }

  finishedRuns(): Pick<RunRecord, 'id' | 'pipelinePath' | 'variant'>[] {
    const rows = this.db.prepare(`SELECT id, pipeline_path, variant FROM runs WHERE status != 'running' ORDER BY started_at DESC, rowid DESC`).all() as {
      id: string;
      pipeline_path: string;
      variant: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, pipelinePath: r.pipeline_path, variant: r.variant }));
  }

  dropRuns(ids: readonly string[]): void {
    const dropRun = this.db.prepare('DELETE FROM runs WHERE id = ?');
    const dropItems = this.db.prepare('DELETE FROM run_items WHERE run_id = ?');
    for (const id of ids) (dropItems.run(id), dropRun.run(id));
  }

  dropUnreferencedResults(): number {
    const dropped = this.db.prepare('DELETE FROM results WHERE key NOT IN (SELECT key FROM run_items WHERE key IS NOT NULL)').run().changes;
    this.db.prepare('DELETE FROM result_artifacts WHERE key NOT IN (SELECT key FROM results)').run();
    this.db.prepare('DELETE FROM key_parts WHERE hash NOT IN (SELECT static_hash FROM results)').run();
    this.knownParts.clear();
    return dropped;
  }

  dropUnreferencedArtifacts(): { count: number; bytes: number } {
    const unreferenced = 'hash NOT IN (SELECT output_hash FROM results) AND hash NOT IN (SELECT hash FROM result_artifacts)';
    const bytes = (this.db.prepare(`SELECT COALESCE(SUM(size), 0) AS s FROM artifacts WHERE ${unreferenced}`).get() as { s: number }).s;
    return { count: this.db.prepare(`DELETE FROM artifacts WHERE ${unreferenced}`).run().changes, bytes };
  }

  dropMemoOfDroppedRuns(): number {
    return this.db.prepare('DELETE FROM memo WHERE run_id NOT IN (SELECT id FROM runs)').run().changes;
  }

  compact(): void {
    this.db.exec('VACUUM');
  }

  /** Runs SQLite's own consistency check; 'ok' when the file is sound. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  }

  close(): void {
    this.db.close();
  }
}

/** Runs `fn` again while SQLite answers SQLITE_BUSY, until `deadline`. */
function whileBusy<T>(deadline: number, fn: () => T): T {
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function itemWhere(q: ItemQuery): string {
  const where = ['run_id = @runId'];
  if (q.stageId !== undefined) where.push('stage_id = @stageId');
  if (q.status !== undefined) where.push('status = @status');
  if (q.item !== undefined) where.push('item = @item');
  return where.join(' AND ');
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    pipelinePath: row.pipeline_path,
    pipelineName: row.pipeline_name,
    variant: row.variant,
    snapshot: JSON.parse(row.snapshot),
    status: row.status,
    resumedFrom: row.resumed_from,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    pid: row.pid,
    summary: JSON.parse(row.summary),
  };
}

function toRunItem(row: RunItemRow): RunItemRecord {
  return {
    runId: row.run_id,
    stageId: row.stage_id,
    item: row.item,
    status: row.status,
    cacheHit: row.cache_hit === 1,
    attempts: row.attempts,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    key: row.key,
    error: row.error === null ? null : JSON.parse(row.error),
    metrics: JSON.parse(row.metrics),
  };
}

function now(): string {
  return new Date().toISOString();
}
