import { isRunStale } from '../../engine/run/liveness.ts';
import { stageRows, type StageRow } from '../../engine/run/index.ts';
import type { ItemStats, RunRecord, RunSummary } from '../../engine/cache/types.ts';
import type { StageRegistry } from '../../engine/stage.ts';
import { usageFromMetrics } from '../../domain/session/llm-metrics.ts';

/** A run as the API lists it: the record without its snapshot, plus progress and an ETA. */
export interface RunView {
  id: string;
  pipelineName: string;
  pipelinePath: string;
  variant: string | null;
  status: RunRecord['status'];
  resumedFrom: string | null;
  startedAt: string;
  endedAt: string | null;
  summary: RunSummary;
  /** Wall time from start to end, or to now while it runs. */
  elapsedMs: number | null;
  progress: Progress;
  /** Seconds left at the rate so far; null when the run is not running or nothing has finished yet. */
  etaSeconds: number | null;
  /** True when the run says `running` but the process that ran it is gone (killed): it will never finish. */
  stale: boolean;
}

export interface Progress {
  finished: number;
  total: number;
  fraction: number;
}

export interface StageView {
  stage: string;
  uses: string | null;
  total: number;
  ran: number;
  cached: number;
  failed: number;
  skipped: number;
  busyMs: number;
}

export interface RunDetail extends RunView {
  /** The merged config as written (after variant and --set), secrets removed. */
  config: unknown;
  stages: StageView[];
  tokens: number;
  costUsd: number;
  latencyMs: number;
  metrics: Record<string, number>;
}

/** From the run record alone (its summary is refreshed about once a second while it runs): cheap enough for lists. */
export function runView(run: RunRecord, finished = run.summary.succeeded + run.summary.failed + run.summary.skipped, now = Date.now()): RunView {
  const total = run.summary.total;
  const stale = isRunStale(run);
  return {
    id: run.id,
    pipelineName: run.pipelineName,
    pipelinePath: run.pipelinePath,
    variant: run.variant,
    status: run.status,
    resumedFrom: run.resumedFrom,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    summary: run.summary,
    elapsedMs: elapsed(run, now),
    progress: progressOf(run, finished),
    etaSeconds: run.status === 'running' && !stale ? eta(run.startedAt, finished, total, now) : null,
    stale,
  };
}

/** One run in full: per-stage counts from its recorded items, config, tokens and cost. */
export function runDetail(run: RunRecord, stats: ItemStats[], registry: StageRegistry): RunDetail {
  const finished = stats.reduce((n, s) => n + s.n, 0);
  const nodes = snapshotStages(run.snapshot);
  const stageIds = run.summary.stages.length > 0 ? run.summary.stages : nodes.map((n) => n.id);
  const m = run.summary.metrics;
  const usage = usageFromMetrics(m);
  return {
    ...runView(run, Math.max(finished, run.summary.succeeded + run.summary.failed + run.summary.skipped)),
    config: snapshotRaw(run.snapshot),
    stages: stageRows(stageIds, stats)
      .filter((row) => stageIds.includes(row.stage))
      .map((row) => stageView(row, nodes.find((n) => n.id === row.stage)?.uses ?? null, run, registry)),
    tokens: usage.promptTokens + usage.completionTokens,
    costUsd: usage.costUsd,
    latencyMs: usage.latencyMs,
    metrics: m,
  };
}

function stageView(row: StageRow, uses: string | null, run: RunRecord, registry: StageRegistry): StageView {
  const { recorded: _recorded, stage, ...counts } = row;
  // An aggregate stage has one item for the whole run (a stage this server does not know counts as a map stage).
  const aggregate = uses !== null && registry[uses]?.kind === 'aggregate';
  return { stage, uses, total: aggregate ? 1 : run.summary.items, ...counts };
}

function elapsed(run: RunRecord, now: number): number | null {
  const end = run.endedAt === null ? (run.status === 'running' ? now : NaN) : Date.parse(run.endedAt);
  const ms = end - Date.parse(run.startedAt);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : null;
}

function progressOf(run: RunRecord, finished: number): Progress {
  const total = run.summary.total;
  const done = Math.min(finished, total);
  return { finished: done, total, fraction: total > 0 ? done / total : run.status === 'running' ? 0 : 1 };
}

function eta(startedAt: string, finished: number, total: number, now: number): number | null {
  if (finished <= 0 || total <= 0) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(elapsed) || elapsed < 0) return null;
  return Math.max(0, Math.round((elapsed * (total - Math.min(finished, total))) / finished));
}

/** The stage nodes (id and `uses`) a run's snapshot records; none when the snapshot has no readable pipeline. */
export function snapshotStages(snapshot: unknown): { id: string; uses: string }[] {
  const stages = (snapshot as { pipeline?: { stages?: unknown } } | null)?.pipeline?.stages;
  return Array.isArray(stages) ? stages.filter((s): s is { id: string; uses: string } => typeof s?.id === 'string' && typeof s?.uses === 'string') : [];
}

function snapshotRaw(snapshot: unknown): unknown {
  return (snapshot as { raw?: unknown } | null)?.raw ?? null;
}
