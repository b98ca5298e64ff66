import { toolCallParts, toolCallsOf, type ChatMessage, type Example, type ExampleSpan } from '../../domain/example/index.ts';
import type { Step } from '../../domain/session/timeline.ts';
import { formatDuration, formatSteps, formatTokens, formatUsd } from '../pages/assets/format.js';
import { esc, join } from './html.ts';
import { keyframesOf, type ReportData, type ReportExample, type ReportFailure, type ReportUsage } from './report-data.ts';
import { REPORT_CSS } from './style.ts';

/** Turns an artifact hash into a `data:` URL, or undefined when the artifact is gone. */
export type InlineImage = (hash: string) => string | undefined;

/**
 * The whole report as one HTML document: CSS and script inline, images as data:
 * URLs, and a Content-Security-Policy that forbids loading anything else.
 */
export function renderReport(data: ReportData, image: InlineImage): string {
  const { run } = data;
  const title = `tracepipe report: ${run.pipelineName}${run.variant ? ` (${run.variant})` : ''}, run ${run.id}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top">
<h1>${esc(run.pipelineName)}${run.variant ? ` <span class="muted">variant ${esc(run.variant)}</span>` : ''}</h1>
<p>run <code>${esc(run.id)}</code> · ${esc(run.status)} · started ${esc(run.startedAt.replace('T', ' ').slice(0, 19))} UTC${run.endedAt ? ` · took ${esc(formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)))}` : ''}</p>
</header>
<nav class="toc" aria-label="Sections"><a href="#summary">Summary</a><a href="#failures">Failures (${data.failures.length})</a><a href="#examples">Examples (${data.examples.length})</a></nav>
<main>
${summarySection(data)}
${failuresSection(data.failures)}
${examplesSection(data.examples, onceEach(image))}
</main>
<dialog id="zoom" aria-label="Screenshot"><form method="dialog"><button type="submit" aria-label="Close" style="position:absolute;right:4px;top:4px">×</button></form><img alt=""></dialog>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

function summarySection(data: ReportData): string {
  const statuses = new Map<string, number>();
  for (const { example } of data.examples) statuses.set(example.status, (statuses.get(example.status) ?? 0) + 1);
  const calls = data.examples.reduce((n, e) => n + toolCallsOf(e.example.messages).length, 0);
  const card = (n: string | number, label: string) => `<div class="card"><span class="n">${esc(n)}</span><span class="l">${esc(label)}</span></div>`;
  const s = data.run.summary;
  return `<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<div class="cards">
${card(s.items, 'sessions')}
${card(data.examples.length, 'examples')}
${[...statuses]
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([status, n]) => card(n, status))
  .join('\n')}
${card(calls, 'tool calls')}
${card(s.failed, 'failed items')}
${card(s.cacheHits, 'cache hits')}
</div>
<h2>Model usage</h2>
<table>
<thead><tr><th></th><th class="num">calls</th><th class="num">prompt tokens</th><th class="num">completion tokens</th><th class="num">cost</th><th class="num">model latency</th></tr></thead>
<tbody>
${usageRow('paid by this run', data.usage.run)}
${usageRow('all examples (cached included)', data.usage.examples)}
</tbody>
</table>
<h2>Stages</h2>
<table>
<thead><tr><th>stage</th><th class="num">items</th><th class="num">ran</th><th class="num">cached</th><th class="num">failed</th><th class="num">skipped</th><th class="num">busy</th></tr></thead>
<tbody>
${data.stages
  .map(
    (r) =>
      `<tr><td>${esc(r.stage)}</td><td class="num">${r.total}</td><td class="num">${r.ran}</td><td class="num">${r.cached}</td><td class="num">${r.failed}</td><td class="num">${r.skipped}</td><td class="num">${esc(formatDuration(r.busyMs))}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
</section>`;
}

function usageRow(label: string, u: ReportUsage): string {
  return `<tr><th scope="row">${esc(label)}</th><td class="num">${u.calls}</td><td class="num">${esc(formatTokens(u.promptTokens))}</td><td class="num">${esc(formatTokens(u.completionTokens))}</td><td class="num">${esc(formatUsd(u.costUsd))}</td><td class="num">${esc(formatDuration(u.latencyMs))}</td></tr>`;
}

function failuresSection(failures: readonly ReportFailure[]): string {
  const body =
    failures.length === 0
      ? '<p class="muted">No item failed.</p>'
      : failures
          .map((f) => {
            const loc = f.error.location;
            const where = loc ? `${loc.file}${loc.line === undefined ? '' : `:${loc.line}`}${loc.field === undefined ? '' : ` (${loc.field})`}` : undefined;
            return `<div class="failure" role="group" aria-label="${esc(`${f.stage} ${f.item}`)}">
<div><strong>${esc(f.stage)}</strong> · ${esc(f.item)} · <span class="code">${esc(f.error.code)}</span></div>
<div>${esc(f.error.message)}</div>
${join([where && `<div class="muted">at ${esc(where)}</div>`, f.error.hint && `<div class="hint">hint: ${esc(f.error.hint)}</div>`, f.error.cause && `<details><summary>cause</summary><pre>${esc(f.error.cause)}</pre></details>`], '\n')}
</div>`;
          })
          .join('\n');
  return `<section id="failures" aria-labelledby="failures-h"><h2 id="failures-h">Failures (${failures.length})</h2>\n${body}\n</section>`;
}

/**
 * Where an image first appears it carries its data: URL; later uses of the same image
 * name it by hash and the inline script copies the URL, so each image is in the file once
 * (sessions of one app share many screens).
 */
type ImageRef = (hash: string) => { src: string; first: boolean } | undefined;

function onceEach(image: InlineImage): ImageRef {
  const seen = new Set<string>();
  return (hash) => {
    const src = image(hash);
    if (src === undefined) return undefined;
    const first = !seen.has(hash);
    seen.add(hash);
    return { src, first };
  };
}

function examplesSection(examples: readonly ReportExample[], image: ImageRef): string {
  const statuses = [...new Set(examples.map((e) => e.example.status))].sort();
  const filters = `<div class="filters" role="toolbar" aria-label="Filter examples by status"><button type="button" data-filter="" aria-pressed="true">all (${examples.length})</button>${statuses
    .map(
      (s) => `<button type="button" data-filter="${esc(s)}" aria-pressed="false">${esc(s)} (${examples.filter((e) => e.example.status === s).length})</button>`,
    )
    .join('')}</div>`;
  return `<section id="examples" aria-labelledby="examples-h"><h2 id="examples-h">Examples (${examples.length})</h2>
${examples.length === 0 ? '<p class="muted">This run produced no examples.</p>' : filters}
${examples.map((e) => exampleArticle(e, image)).join('\n')}
</section>`;
}

function exampleArticle({ example, steps }: ReportExample, image: ImageRef): string {
  const user = example.messages.find((m): m is Extract<ChatMessage, { role: 'user' }> => m.role === 'user');
  const frames = keyframesOf(steps)
    .map(({ firstStep, lastStep, keyframe }) => {
      const ref = image(keyframe.artifact);
      const caption = `${formatSteps(firstStep, lastStep)} · ${formatDuration(keyframe.t)}`;
      if (ref === undefined)
        return `<figure><div class="muted">(image ${esc(keyframe.artifact.slice(0, 12))} missing)</div><figcaption>${esc(caption)}</figcaption></figure>`;
      const source = ref.first ? `src="${esc(ref.src)}" data-hash="${esc(keyframe.artifact)}"` : `data-same="${esc(keyframe.artifact)}"`;
      return `<figure><img ${source} width="${keyframe.width}" height="${keyframe.height}" alt="${esc(`${example.sessionId} ${caption}`)}" loading="lazy"><figcaption>${esc(caption)}</figcaption></figure>`;
    })
    .join('');
  return `<article class="example" id="ex-${esc(example.id)}" data-status="${esc(example.status)}" aria-labelledby="ex-${esc(example.id)}-h">
<header><h3 id="ex-${esc(example.id)}-h">${esc(example.sessionId)}</h3><span class="badge s-${esc(example.status)}">${esc(example.status)}</span><span class="muted">${esc(example.modelId)} · ${esc(example.actionToolMapId)}</span></header>
${example.statusReason ? `<p class="muted">${esc(example.statusReason)}</p>` : ''}
${user ? `<p class="task"><strong>Task:</strong> ${esc(user.content)}</p>` : ''}
${frames ? `<div class="keyframes">${frames}</div>` : '<p class="muted">No keyframes.</p>'}
${callsTable(example, steps)}
<details><summary>Conversation (${example.messages.length} messages)</summary>${example.messages.map(messageBlock).join('')}</details>
${example.labels && example.labels.length > 0 ? `<details><summary>Labels (${example.labels.length})</summary><pre>${esc(example.labels.map((l) => `${l.action} ${JSON.stringify(l.parameters)}`).join('\n'))}</pre></details>` : ''}
${example.validationIssues && example.validationIssues.length > 0 ? `<details open><summary>Validation issues (${example.validationIssues.length})</summary><pre>${esc(example.validationIssues.map((i) => `${i.path}: ${i.message}`).join('\n'))}</pre></details>` : ''}
</article>`;
}

function spanState(span: ExampleSpan): string {
  if (span.review) return span.review.decision === 'fix' ? 'fixed' : 'accepted';
  return span.flagged ? 'flagged' : 'ok';
}

function callsTable(example: Example, steps: readonly Step[]): string {
  const calls = new Map(toolCallsOf(example.messages).map((c) => [c.id, toolCallParts(c)]));
  const byStep = new Map(steps.map((s) => [s.id, s]));
  const rows = example.spans.map((span) => {
    const prov = example.provenance.toolCalls.find((t) => t.spanIndex === span.index);
    const call = prov ? calls.get(prov.toolCallId) : undefined;
    const state = spanState(span);
    const kinds: string[] = [];
    for (let id = span.startStep; id <= span.endStep && kinds.length < 12; id++) {
      const s = byStep.get(id);
      if (s) kinds.push(s.kind);
    }
    return `<tr>
<td class="num">${span.index}</td>
<td><strong>${esc(span.action)}</strong>${call ? `<br><span class="muted tool">→ ${esc(call.name)}</span>` : ''}</td>
<td><pre>${esc(JSON.stringify(call ? call.arguments : span.parameters, null, 1))}</pre></td>
<td>${span.startStep === span.endStep ? span.startStep : `${span.startStep}–${span.endStep}`}${kinds.length > 0 ? `<br><span class="muted">${esc(kinds.join(', '))}</span>` : ''}</td>
<td class="num">${span.confidence.toFixed(2)}<span class="conf" aria-hidden="true"><i style="width:${Math.round(Math.max(0, Math.min(1, span.confidence)) * 100)}%"></i></span></td>
<td><span class="badge s-${state}">${state}</span>${span.review?.note ? `<br><span class="muted">${esc(span.review.note)}</span>` : ''}</td>
</tr>`;
  });
  const dropped = example.droppedSpans.map(
    (d) =>
      `<tr><td class="num">${d.index}</td><td><strong>${esc(d.action)}</strong></td><td class="muted">left out</td><td></td><td></td><td><span class="badge s-${esc(d.reason)}">${esc(d.reason === 'below_drop' ? 'dropped' : 'rejected')}</span></td></tr>`,
  );
  if (rows.length + dropped.length === 0) return '<p class="muted">No tool calls.</p>';
  return `<table class="calls" aria-label="${esc(`Tool calls of ${example.sessionId}`)}">
<thead><tr><th class="num">span</th><th>action → tool</th><th>arguments</th><th>steps</th><th class="num">confidence</th><th>status</th></tr></thead>
<tbody>${[...rows, ...dropped].join('\n')}</tbody>
</table>`;
}

function messageBlock(m: ChatMessage): string {
  let body: string;
  switch (m.role) {
    case 'system':
    case 'user':
      body = esc(m.content);
      break;
    case 'assistant':
      body = esc(
        join(
          [
            m.content ?? undefined,
            ...(m.tool_calls ?? []).map((c) => {
              const p = toolCallParts(c);
              return `${p.name}(${JSON.stringify(p.arguments)})`;
            }),
          ],
          '\n',
        ),
      );
      break;
    case 'tool':
      body = esc(`[${m.tool_call_id}] ${m.content}`);
      break;
  }
  return `<div class="msg"><div class="role">${esc(m.role)}</div><pre>${body}</pre></div>`;
}

/** Fill repeated images from their first use; zoom a keyframe in a <dialog>; filter examples by status. No network, no data in code. */
const REPORT_SCRIPT = `
(() => {
  for (const img of document.querySelectorAll('img[data-same]')) {
    const first = document.querySelector('img[data-hash="' + img.getAttribute('data-same') + '"]');
    if (first) img.src = first.getAttribute('src');
  }
  const zoom = document.getElementById('zoom');
  const big = zoom.querySelector('img');
  document.addEventListener('click', (e) => {
    const img = e.target.closest && e.target.closest('.keyframes img');
    if (img) { big.src = img.src; big.alt = img.alt; zoom.showModal(); return; }
    if (e.target === zoom) zoom.close();
    const btn = e.target.closest && e.target.closest('[data-filter]');
    if (!btn) return;
    const want = btn.getAttribute('data-filter');
    for (const b of document.querySelectorAll('[data-filter]')) b.setAttribute('aria-pressed', String(b === btn));
    for (const a of document.querySelectorAll('article.example')) a.hidden = want !== '' && a.getAttribute('data-status') !== want;
  });
})();
`;
