import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../engine/cache/memory.ts';
import type { ResolvedPipeline } from '../../engine/config/types.ts';
import { executeRun, SnapshotFiles } from '../../engine/run/index.ts';
import { loadStage } from '../../stages/load/index.ts';
import { normalizeStage, NormalizeOptions } from '../../stages/normalize/index.ts';
import type { Label } from '../../domain/session/model.ts';
import type { NetworkRequest, Step, Timeline } from '../../domain/session/timeline.ts';
import { repoRoot } from '../helpers/cli.ts';

/**
 * For every recorded fixture, the normalized timeline holds the evidence of each
 * labelled action: the API request carrying its parameters, the text exactly as
 * finally typed, and the click on the element that performs it. Stated from the
 * labels, never from a stored copy of our own output.
 */
const sessionsDir = join(repoRoot, 'fixtures/sessions');
const sessionIds = readdirSync(sessionsDir).sort();
const timelines = new Map<string, Timeline>();

beforeAll(async () => {
  const pipeline: ResolvedPipeline = {
    file: '<test>',
    dir: repoRoot,
    name: 'evidence',
    variant: null,
    sessions: { path: `${sessionsDir}/*` },
    concurrency: 4,
    outDir: '/nonexistent',
    cacheDir: mkdtempSync(join(tmpdir(), 'tp-evidence-')),
    models: {},
    actionToolMaps: {},
    stages: [
      { id: 'load', uses: 'load', needs: [], with: loadStage.options.parse({}) as Record<string, unknown> },
      { id: 'normalize', uses: 'normalize', needs: ['load'], with: NormalizeOptions.parse({ screenshots: { enabled: false } }) as Record<string, unknown> },
    ],
  };
  const store = new MemoryStore();
  const r = await executeRun({
    pipeline,
    registry: { load: loadStage, normalize: normalizeStage },
    store,
    files: new SnapshotFiles(new Map()),
    snapshot: {},
    env: process.env,
  });
  expect(r.summary.failures).toEqual([]);
  for (const id of sessionIds) timelines.set(id, JSON.parse(store.getOutput(store.latestResult('normalize', id)!.outputHash)!) as Timeline);
}, 120_000);

const requests = (t: Timeline): { step: Step; req: NetworkRequest }[] => t.steps.flatMap((step) => step.network.map((req) => ({ step, req })));
const path = (url: string) => new URL(url).pathname;
const query = (url: string, k: string) => new URL(url).searchParams.get(k);
const body = (r: NetworkRequest) => r.requestBody as Record<string, unknown>;
const typed = (t: Timeline, field: RegExp) =>
  t.steps.filter((s) => s.kind === 'type' && field.test(s.target?.name ?? s.target?.field ?? '')).map((s) => s.text ?? '');
const clicked = (t: Timeline, role: string, name: RegExp) =>
  t.steps.some((s) => s.kind === 'click' && s.target?.role === role && name.test(s.target?.name ?? ''));
const addresses = (text: string) => text.split(/[,;\s]+/).filter(Boolean);

/** The request each action must have caused, with its parameters. */
function requestEvidence(label: Label): (r: NetworkRequest) => boolean {
  const p = label.parameters as Record<string, any>;
  const id = p.message_id as string;
  switch (label.action) {
    case 'send_email':
      return (r) =>
        r.method === 'POST' &&
        path(r.url) === '/api/messages/send' &&
        sameJson(body(r).to, p.to) &&
        body(r).subject === p.subject &&
        body(r).body === p.body &&
        sameJson(body(r).cc ?? [], p.cc ?? []);
    case 'create_draft':
      return (r) =>
        r.method === 'POST' && path(r.url) === '/api/drafts' && sameJson(body(r).to, p.to) && body(r).subject === p.subject && body(r).body === p.body;
    case 'reply_email':
      return (r) => r.method === 'POST' && path(r.url) === `/api/messages/${id}/reply` && body(r).body === p.body;
    case 'forward_email':
      return (r) =>
        r.method === 'POST' && path(r.url) === `/api/messages/${id}/forward` && sameJson(body(r).to, p.to) && (body(r).body ?? '') === (p.body ?? '');
    case 'search_emails':
      return (r) => r.method === 'GET' && path(r.url) === '/api/messages' && query(r.url, 'q') === p.query;
    case 'read_email':
      return (r) => r.method === 'GET' && path(r.url) === `/api/messages/${id}`;
    case 'modify_labels':
      return (r) =>
        r.method === 'POST' &&
        path(r.url) === `/api/messages/${id}/modify` &&
        sameJson(body(r).addLabels ?? [], p.add_labels) &&
        sameJson(body(r).removeLabels ?? [], p.remove_labels);
    case 'delete_email':
      return (r) => r.method === 'DELETE' && path(r.url) === `/api/messages/${id}`;
    default:
      throw new Error(`no evidence rule for ${label.action}`);
  }
}

/** What the person typed or clicked to do the action. */
function interactionEvidence(t: Timeline, label: Label): string[] {
  const p = label.parameters as Record<string, any>;
  const problems: string[] = [];
  const typedExactly = (field: RegExp, value: string, what: string) => {
    if (!typed(t, field).includes(value)) problems.push(`${what} ${JSON.stringify(value)} not typed exactly (typed: ${JSON.stringify(typed(t, field))})`);
  };
  const typedAddresses = (list: string[]) => {
    const all = typed(t, /^to$/i).flatMap(addresses);
    for (const a of list) if (!all.includes(a)) problems.push(`address ${a} not typed in To (typed: ${JSON.stringify(all)})`);
  };
  const click = (role: string, name: RegExp) => {
    if (!clicked(t, role, name)) problems.push(`no click on ${role} ${name}`);
  };
  switch (label.action) {
    case 'send_email':
    case 'create_draft':
      typedAddresses(p.to);
      if (p.cc?.length) for (const a of p.cc) if (!typed(t, /^cc$/i).flatMap(addresses).includes(a)) problems.push(`cc ${a} not typed`);
      typedExactly(/^subject$/i, p.subject, 'subject');
      typedExactly(/^message$/i, p.body, 'body');
      click('button', label.action === 'send_email' ? /^send$/i : /^save draft$/i);
      break;
    case 'reply_email':
      typedExactly(/^message$/i, p.body, 'body');
      click('button', /^reply$/i);
      click('button', /^send$/i);
      break;
    case 'forward_email':
      typedAddresses(p.to);
      if (p.body) typedExactly(/^message$/i, p.body, 'body');
      click('button', /^forward$/i);
      click('button', /^send$/i);
      break;
    case 'search_emails':
      typedExactly(/search/i, p.query, 'query');
      break;
    case 'read_email':
    case 'delete_email':
    case 'modify_labels':
      click('link', /./); // the message opened from the list
      if (label.action === 'delete_email') click('button', /^delete$/i);
      if (label.action === 'modify_labels') {
        const added = (p.add_labels as string[]).filter((l) => l !== 'STARRED');
        if ((p.remove_labels as string[]).includes('INBOX')) click('button', /^archive$/i);
        if ((p.add_labels as string[]).includes('STARRED')) click('button', /^star$/i);
        for (const l of added) if (!t.steps.some((s) => s.kind === 'select' && s.text === l)) problems.push(`label ${l} not selected`);
      }
      break;
  }
  return problems;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('every recorded fixture holds the evidence of its labels', () => {
  it('has fixtures to check', () => expect(sessionIds.length).toBeGreaterThanOrEqual(30));

  it.each(sessionIds)('%s', (id) => {
    const meta = JSON.parse(readFileSync(join(sessionsDir, id, 'session.json'), 'utf8')) as { labels: Label[] };
    const t = timelines.get(id)!;
    expect(meta.labels.length).toBeGreaterThan(0);
    for (const label of meta.labels) {
      const matching = requests(t).filter(({ req }) => requestEvidence(label)(req));
      expect(matching.length, `${label.action} ${JSON.stringify(label.parameters)}: no step carries its request`).toBeGreaterThan(0);
      expect(interactionEvidence(t, label), `${label.action}`).toEqual([]);
      // lineage: the step the request is attached to came from recorded events
      expect(matching[0]!.step.sourceEvents.length).toBeGreaterThan(0);
    }
  });
});
