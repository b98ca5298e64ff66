import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../helpers/system-tools.ts';
import { copyPrebuilt } from '../helpers/prebuilt.ts';
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { buildReport, loadReportData } from '../../web/report/index.ts';
import { artifactPath, launchChromium, setDescription, tracepipe } from './browser-support.ts';

const MARKUP = '<script>window.__pwned=1</script><img src="https://example.com/x.png"> Task text';

describeWithTool('chromium', 'tracepipe report', () => {
  let dir: string;
  let sessions: string[];
  let broken: string;
  let runId: string;
  let browser: Browser;

  beforeAll(async () => {
    // The finished rules run over every fixture session, copied; the edits below rerun only what they touch.
    dir = await copyPrebuilt('gmail', 'tp-report-');
    sessions = readdirSync(path.join(dir, 'fixtures/sessions')).sort();
    setDescription(dir, sessions[0]!, MARKUP);
    broken = sessions[sessions.length - 1]!;
    // The rules classifier is confident everywhere; a strict threshold gives the report NEEDS_REVIEW examples to filter.
    appendFileSync(path.join(dir, 'fixtures/sessions', broken, 'input_events.jsonl'), '{"t": 1, "type": \n');
    const [run, b] = await Promise.all([
      tracepipe(dir, ['exec', 'pipelines/gmail.yaml', '--set', 'stages.synthesize.thresholds.review=0.85']),
      launchChromium(),
    ]);
    browser = b;
    expect(run.code).toBe(1); // one session fails to load
    const store = new SqliteStore(path.join(dir, '.tracepipe/cache.db'));
    try {
      runId = store.listRuns(1)[0]!.id;
    } finally {
      store.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one HTML file that opens in Chromium with no requests but itself: summary, examples with images, failures', async () => {
    const r = await tracepipe(dir, ['report', runId, '--out', 'report/run.html']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(`^wrote report/run.html \\(\\d+\\.\\d [KM]iB\\): run ${runId}, ${sessions.length - 1} examples, \\d+ images, 1 failure\\n$`),
    );
    const file = path.join(dir, 'report/run.html');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!/^(data|file):/.test(req.url())) external.push(req.url());
    });
    await page.route(/^https?:/, (route) => route.abort());
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');

    const articles = page.locator('article.example');
    expect(await articles.count()).toBe(sessions.length - 1);
    const images = await page.evaluate(`(async () => {
      const imgs = [...document.querySelectorAll('.keyframes img')];
      for (const i of imgs) { i.loading = 'eager'; if (!i.complete) await new Promise((r) => { i.onload = i.onerror = r; }); }
      return { n: imgs.length, loaded: imgs.filter((i) => i.naturalWidth > 0).length, data: imgs.filter((i) => i.src.startsWith('data:image/')).length };
    })()`);
    expect(images).toMatchObject({ loaded: (images as { n: number }).n, data: (images as { n: number }).n });
    expect((images as { n: number }).n).toBeGreaterThan(0);

    // Tool calls with status and confidence, per example.
    const first = page.getByRole('table', { name: `Tool calls of ${sessions[1]}` });
    expect(await first.getByRole('row').count()).toBeGreaterThan(1);
    expect(await first.textContent()).toMatch(/\d\.\d\d/);
    // The per-stage counts over the copied cache: the session whose description changed loads again, the broken one fails, the rest are hits.
    const n = sessions.length;
    const stageTable = page.locator('#summary table').last();
    expect(await stageTable.getByRole('row').filter({ hasText: /^load/ }).locator('td.num').allTextContents()).toEqual([
      `${n}`,
      '1',
      `${n - 2}`,
      '1',
      '0',
      expect.any(String),
    ]);
    expect(await stageTable.textContent()).toContain('normalize');
    // The failure with its code.
    const failure = page.getByRole('group', { name: `load ${broken}` });
    expect(await failure.textContent()).toContain('TP_INPUT');
    expect(await failure.textContent()).toContain('input_events.jsonl');

    // Markup in trace text stays text.
    expect(await page.getByText('<script>window.__pwned=1</script>', { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');

    // The status filter (inline script) hides the other examples.
    await page.getByRole('button', { name: /^NEEDS_REVIEW/ }).click();
    const visible = await page.locator('article.example:visible').count();
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(sessions.length - 1);
    await page.getByRole('button', { name: /^all/ }).click();

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: artifactPath('report.png') });
    expect(external).toEqual([]);
    await page.close();
  });

  it('escapes trace text and inlines every image in the HTML itself', () => {
    const store = new SqliteStore(path.join(dir, '.tracepipe/cache.db'));
    try {
      const { html, examples, images } = buildReport(store, store.getRun(runId)!);
      expect(examples).toBe(sessions.length - 1);
      expect(images).toBeGreaterThan(0);
      expect(html).not.toContain('<script>window.__pwned');
      expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      expect(html.match(/<img [^>]*src="(?!data:image\/)/g)).toBeNull();
      expect(html.match(/data:image\//g)).toHaveLength(images); // each image once; repeats point at it
      expect(html).toContain(`default-src 'none'; img-src data:`);
      const n = sessions.length;
      const stages = loadReportData(store, store.getRun(runId)!).stages;
      expect(stages.map((s) => s.stage)).toEqual(['load', 'normalize', 'classify', 'synthesize', 'write', 'dataset']);
      expect(stages[0]).toMatchObject({ stage: 'load', total: n, ran: 1, cached: n - 2, failed: 1, skipped: 0 });
      expect(stages[1]).toMatchObject({ stage: 'normalize', ran: 1, cached: n - 2, failed: 0 });
    } finally {
      store.close();
    }
  });

  it('`latest` picks the newest run; an unknown run is exit 2 with a hint', async () => {
    const latest = await tracepipe(dir, ['report', 'latest', '--out', 'latest.html', '--json']);
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.out)).toMatchObject({ runId, examples: sessions.length - 1, failures: 1 });
    expect(readFileSync(path.join(dir, 'latest.html'), 'utf8')).toContain(runId);
    const missing = await tracepipe(dir, ['report', 'no-such-run', '--out', 'x.html']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^TP_INPUT no run no-such-run in .*cache\.db\nhint: list runs with `tracepipe runs`\.\n$/);
  });
});
