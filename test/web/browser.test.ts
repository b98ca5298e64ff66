import { builtinStages } from '../../stages/index.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../helpers/system-tools.ts';
import { copyPrebuilt } from '../helpers/prebuilt.ts';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { runOutputs } from '../../engine/run/index.ts';
import { reviewQueue, type ReviewQueueEntry } from '../../domain/review/index.ts';
import type { Example } from '../../domain/example/index.ts';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../web/api/app.ts';
import { startServer, type RunningServer } from '../../web/server.ts';
import { mountPages } from '../../web/pages/index.ts';
import { artifactPath, datasetLines, launchChromium, setDescription, tracepipe } from './browser-support.ts';

// Every span below 0.99 is flagged, so an example reaches the dataset only when a person decides its spans.
const EXEC = ['exec', 'pipelines/gmail.yaml', '--set', 'stages.synthesize.thresholds.review=0.99'];
const MARKUP = '<img src=x onerror="window.__pwned=1"> <b>bold?</b> reply to Sam';
const PARAMS_LABEL = 'Parameters (JSON; edit, then Fix)';

interface Picked {
  fix: ReviewQueueEntry;
  accept: ReviewQueueEntry;
  reject: ReviewQueueEntry;
}

describeWithTool('chromium', 'review in Chromium: decisions made on the page reach the next run', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let runId: string;
  let queue: ReviewQueueEntry[];
  let picked: Picked;
  let userTurn: Map<string, string>;
  let markupSession: string;
  const cacheFile = () => path.join(dir, '.tracepipe/cache.db');
  const outDir = () => path.join(dir, 'out/gmail');
  const userOf = (l: ReturnType<typeof datasetLines>[number]) => l.line.messages.find((m) => m.role === 'user')?.content;
  const sessionsInDataset = () => {
    const bySession = new Map([...userTurn].map(([s, u]) => [u, s]));
    return datasetLines(outDir()).map((l) => bySession.get(userOf(l) ?? '') ?? `unknown: ${userOf(l)}`);
  };

  beforeAll(async () => {
    // The finished rules run over every fixture session, copied; the edits below rerun only what they touch.
    dir = await copyPrebuilt('gmail', 'tp-browser-');
    markupSession = readdirSync(path.join(dir, 'fixtures/sessions')).sort()[0]!;
    setDescription(dir, markupSession, MARKUP);
    const first = await tracepipe(dir, EXEC);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const store = new SqliteStore(cacheFile());
    let examples: Example[];
    try {
      const run = store.listRuns(1)[0]!;
      runId = run.id;
      examples = runOutputs(store, run, 'synthesize').map((o) => o.output as Example);
    } finally {
      store.close();
    }
    userTurn = new Map(examples.map((ex) => [ex.sessionId, String(ex.messages.find((m) => m.role === 'user')?.content ?? '')]));
    queue = reviewQueue(examples);
    // Examples with exactly one span: deciding it decides the example (rejecting it leaves nothing to train on).
    const single = examples
      .filter((ex) => ex.spans.length === 1 && ex.spans[0]!.flagged && ex.sessionId !== markupSession)
      .map((ex) => queue.find((q) => q.exampleId === ex.id)!)
      .sort((a, b) => a.sessionId.localeCompare(b.sessionId));
    const fix = single.find((q) => typeof q.parameters.body === 'string');
    const rest = single.filter((q) => q !== fix);
    if (fix === undefined || rest.length < 2)
      throw new Error(`the fixtures need 3 single-span examples, one with a body parameter; got ${single.map((q) => q.sessionId).join(', ')}`);
    picked = { fix, accept: rest[0]!, reject: rest[1]! };
    [server, browser] = await Promise.all([startServer({ cacheFile: cacheFile(), pages: mountPages, registry: builtinStages }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the run page with per-stage counts', async () => {
    await page.goto(`${server.url}/runs/${runId}`);
    const stages = page.getByRole('table', { name: 'Stages' });
    await stages.waitFor();
    await expect.poll(() => stages.getByRole('row').count()).toBe(7); // header + 6 stages
    await expect
      .poll(() => stages.getByRole('rowheader').allTextContents())
      .toEqual(['load', 'normalize', 'classify', 'synthesize', 'write (write-examples)', 'dataset']);
    await page.getByRole('heading', { name: 'Failures (0)' }).waitFor();
    await page.screenshot({ path: artifactPath('run-page.png'), fullPage: true });
  });

  it('fixes one span, accepts one, rejects one; the rerun dataset has the fixed and accepted examples and not the rejected one', async () => {
    const before = sessionsInDataset();
    expect(before).not.toContain(picked.fix.sessionId);
    expect(before).not.toContain(picked.accept.sessionId);
    expect(before).not.toContain(picked.reject.sessionId);

    await page.goto(`${server.url}/review?run=${runId}`);
    const card = (q: ReviewQueueEntry) => page.getByRole('article', { name: `${q.sessionId} span ${q.spanIndex}` });
    // The page shows the queue 25 spans at a time.
    await page.getByRole('article').first().waitFor();
    const more = page.getByRole('button', { name: /^Show \d+ more$/ });
    while (await more.isVisible()) await more.click();
    await expect.poll(() => page.getByRole('article').count()).toBe(queue.length);

    const fix = card(picked.fix);
    const params = fix.getByLabel(PARAMS_LABEL);
    await params.waitFor();
    const shown = JSON.parse(await params.inputValue()) as Record<string, unknown>;
    expect(shown).toEqual(picked.fix.parameters);
    const fixedBody = `${String(shown.body)} (corrected in review)`;
    await params.fill(JSON.stringify({ ...shown, body: fixedBody }, null, 2));
    await fix.getByRole('combobox', { name: 'Action' }).selectOption(picked.fix.action);
    await fix.getByRole('button', { name: 'Fix' }).click();
    await fix.getByRole('status').getByText('Fixed').waitFor();

    const accept = card(picked.accept);
    await accept.getByRole('button', { name: 'Accept' }).click();
    await accept.getByRole('status').getByText('Accepted').waitFor();

    const reject = card(picked.reject);
    await reject.getByRole('button', { name: 'Reject' }).click();
    await reject.getByRole('status').getByText('Rejected').waitFor();

    // A fix the suite refuses is not saved, and the page says why.
    const other = queue.find((q) => ![picked.fix, picked.accept, picked.reject].includes(q))!;
    const bad = card(other);
    await bad.getByLabel(PARAMS_LABEL).fill('{"body": 42}');
    await bad.getByRole('button', { name: 'Fix' }).click();
    await expect.poll(() => bad.getByRole('alert').last().textContent()).toMatch(/^Not saved: parameters for /);
    await bad.getByLabel(PARAMS_LABEL).fill('{"body": ');
    await bad.getByRole('button', { name: 'Fix' }).click();
    await expect.poll(() => bad.getByRole('alert').last().textContent()).toMatch(/^Parameters are not valid JSON/);

    // Trace text is shown as text, never run as markup.
    await expect.poll(() => page.getByText(MARKUP).count()).toBeGreaterThan(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('main img[src="x"], main b').count()).toBe(0);

    await page.getByText(`${queue.length} spans flagged, 3 decided`).waitFor();
    // The review page as a person sees it, scrolled to the fixed span, and the three decided spans.
    await fix.scrollIntoViewIfNeeded();
    await page.evaluate(
      `Promise.all([...document.images].map((i) => { i.loading = 'eager'; return i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }); }))`,
    );
    await page.screenshot({ path: artifactPath('review-page.png') });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: artifactPath('review-page-top.png') });

    // Opened again, the page shows the stored decisions (the queue sends each span's latest).
    await page.reload();
    await page.getByText(`${queue.length} spans flagged, 3 decided`).waitFor();
    while (await more.isVisible()) await more.click();
    await expect
      .poll(() =>
        page
          .locator('article[data-decision]')
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label')}=${e.getAttribute('data-decision')}`).sort()),
      )
      .toEqual(
        [
          `${picked.fix.sessionId} span ${picked.fix.spanIndex}=fix`,
          `${picked.accept.sessionId} span ${picked.accept.spanIndex}=accept`,
          `${picked.reject.sessionId} span ${picked.reject.spanIndex}=reject`,
        ].sort(),
      );

    const rerun = await tracepipe(dir, EXEC);
    expect(rerun.code).toBe(0);
    const after = sessionsInDataset();
    expect(after.sort()).toEqual([...before, picked.fix.sessionId, picked.accept.sessionId].sort());
    const fixedLine = datasetLines(outDir()).find((l) => userOf(l) === userTurn.get(picked.fix.sessionId))!;
    const calls = fixedLine.line.messages.flatMap((m) => m.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.function.arguments)).toMatchObject({ body: fixedBody });
  });

  it('compares the first run with the rerun: the fixed and the rejected sessions differ, the accepted one does not', async () => {
    const store = new SqliteStore(cacheFile());
    const rerunId = store.listRuns(1)[0]!.id;
    store.close();
    expect(rerunId).not.toBe(runId);
    await page.goto(`${server.url}/compare?a=${runId}&b=${rerunId}`);
    await page.getByRole('table', { name: 'Scores' }).waitFor();
    const diffs = page.getByRole('group', { name: /^Tool calls A to B for / });
    const names = (await diffs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).map((n) => n!.replace('Tool calls A to B for ', ''));
    expect(names).toContain(picked.fix.sessionId);
    expect(names).toContain(picked.reject.sessionId);
    expect(names).not.toContain(picked.accept.sessionId);
    const fixed = page.getByRole('group', { name: `Tool calls A to B for ${picked.fix.sessionId}` });
    expect(await fixed.textContent()).toContain('(corrected in review)');
    await page.screenshot({ path: artifactPath('compare-page.png'), fullPage: true });
  });

  it('with a token, the pages take it from #token= and send it on every API call and image', async () => {
    const store = new SqliteStore(cacheFile());
    const app = createApp({ store, token: 'page-token', requireToken: true, pages: mountPages, registry: builtinStages });
    const guarded = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}`;
    const tab = await browser.newPage();
    try {
      const unauthorized: string[] = [];
      tab.on('response', (r) => {
        if (r.status() === 401) unauthorized.push(r.url());
      });
      await tab.goto(`${url}/examples/${picked.accept.exampleId}?run=${runId}#token=page-token`);
      await tab.getByRole('heading', { name: new RegExp(`^${picked.accept.sessionId}`) }).waitFor();
      expect(new URL(tab.url()).hash).toBe(''); // the token leaves the address bar
      const loaded = await tab.evaluate(`Promise.all([...document.querySelectorAll('.frames img')].map((i) => new Promise((r) => {
        const done = () => r(i.naturalWidth > 0 && i.src.startsWith('blob:'));
        i.loading = 'eager';
        if (i.complete && i.src) done(); else { i.onload = done; i.onerror = () => r(false); }
      })))`);
      expect((loaded as boolean[]).length).toBeGreaterThan(0);
      expect(loaded).not.toContain(false);
      expect(unauthorized).toEqual([]);
    } finally {
      await tab.close();
      await new Promise((r) => guarded.close(r));
      store.close();
    }
  });
});
