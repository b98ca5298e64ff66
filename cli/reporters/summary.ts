import { causeShown, formatLocation, unreachable, type ErrorInfo } from '../../engine/errors.ts';
import type { RunEndSummary } from '../../engine/run/events.ts';
import { formatDuration, formatTokens, formatUsd } from '../../web/pages/assets/format.js';
import { LLM_METRIC, usageFromMetrics } from '../../domain/session/llm-metrics.ts';

/** The table and failure list printed when a run ends, with what to do next. */
export function formatRunEnd(runId: string, status: string, durationMs: number, s: RunEndSummary): string {
  const rows = Object.entries(s.stages).map(([stage, c]) => [stage, String(c.total), String(c.done), String(c.cached), String(c.failed), String(c.skipped)]);
  const lines = [table(['stage', 'items', 'ran', 'cached', 'failed', 'skipped'], rows)];
  const m = s.metrics;
  if (m[LLM_METRIC.calls] !== undefined) {
    const usage = usageFromMetrics(m);
    lines.push(`model calls ${usage.calls}, tokens ${formatTokens(usage.promptTokens + usage.completionTokens)}, cost ${formatUsd(usage.costUsd)}`);
  }
  if (s.failures.length > 0) {
    lines.push('', `${s.failures.length} failed item${s.failures.length === 1 ? '' : 's'}:`);
    for (const f of s.failures.slice(0, 50)) lines.push(formatFailure(f.stage, f.item, f.error));
    if (s.failures.length > 50) lines.push(`  ... and ${s.failures.length - 50} more: tracepipe status ${runId}`);
  }
  lines.push('', `run ${runId} ${status} in ${formatDuration(durationMs)}`);
  if (status === 'failed') {
    lines.push('Fix the inputs or config named above and run the same command again: finished items are reused from the cache.');
    lines.push(`To re-run exactly this run's recorded config: tracepipe resume ${runId}`);
  } else if (status === 'interrupted') {
    lines.push(`Interrupted. Continue with: tracepipe resume ${runId}`);
  }
  return lines.join('\n');
}

export function formatFailure(stage: string, item: string, e: ErrorInfo): string {
  const out = [`  ✗ ${stage} ${item}: ${e.code} ${e.message}`];
  if (e.location !== undefined) out.push(`      at ${formatLocation(e.location)}`);
  if (e.hint !== undefined) out.push(`      hint: ${e.hint}`);
  out.push(...causeLines(e, '      '));
  return out.join('\n');
}

/**
 * An error's cause as lines under it (`cause: ...`, its frames indented below), as much
 * as `causeShown` says its code needs: all of it, its first line when the message does
 * not already hold it, or nothing.
 */
export function causeLines(e: ErrorInfo, indent: string): string[] {
  if (e.cause === undefined || e.cause === '') return [];
  const shown = causeShown(e.code);
  switch (shown) {
    case 'full':
      return e.cause.split('\n').map((line, i) => `${indent}${i === 0 ? 'cause: ' : '  '}${line}`);
    case 'line': {
      const first = e.cause.split('\n')[0]!;
      const colon = first.indexOf(': ');
      const said = colon === -1 ? first.slice(first.indexOf(' ') + 1) : first.slice(colon + 2);
      return e.message.includes(said) ? [] : [`${indent}cause: ${first}`];
    }
    case 'none':
      return [];
    default:
      return unreachable(shown);
  }
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const last = header.length - 1;
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || (i === last && last > 1 && isText(rows, i)) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

/** A column of words (reasons, paths) reads best left-aligned; numbers right-aligned. */
function isText(rows: string[][], i: number): boolean {
  return rows.some((r) => /[a-z]{3}/i.test(r[i] ?? ''));
}
