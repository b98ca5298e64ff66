import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsCommand, statusCommand } from '../../cli/commands/runs.ts';
import type { Io } from '../../cli/io.ts';
import { formatRunEnd } from '../../cli/reporters/summary.ts';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import type { RunRecord } from '../../engine/cache/types.ts';
import { mountPages } from '../../web/pages/index.ts';
import { buildReport } from '../../web/report/build.ts';
import { startServer, type RunningServer } from '../../web/server.ts';
import { describeWithTool } from '../helpers/system-tools.ts';
import { launchChromium } from './browser-support.ts';

// One finished run with known numbers, read by the CLI, the report and the run page: each
// must write the same duration, cost and token count the same way (web/pages/assets/format.js).
const TOOK_MS = 65 * 60_000;
const METRICS = { 'llm.calls': 7, 'llm.promptTokens': 12_000, 'llm.completionTokens': 345, 'llm.costUsd': 0.0042, 'llm.latencyMs': 65_000 };
const SHOWN = { took: '1 h 5 min', tokens: '12,345', promptTokens: '12,000', cost: '$0.0042', latency: '1 min 5 s' };

const RUN: RunRecord = {
  id: '20261201-120000-format',
  pipelinePath: 'pipelines/gmail.yaml',
  pipelineName: 'gmail',
  variant: null,
  // Just what readers need: a pipeline with no stages, so the run has no items.
  snapshot: { version: 1, pipeline: { name: 'gmail', stages: [] }, raw: null, files: {} },
  status: 'succeeded',
  resumedFrom: null,
  startedAt: '2026-12-01T12:00:00.000Z',
  endedAt: new Date(Date.parse('2026-12-01T12:00:00.000Z') + TOOK_MS).toISOString(),
  pid: process.pid,
  summary: { items: 0, stages: [], total: 0, succeeded: 0, failed: 0, skipped: 0, cacheHits: 0, metrics: METRICS },
};

let dir: string;
const cacheFile = () => path.join(dir, 'cache.db');

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tp-formats-'));
  const store = new SqliteStore(cacheFile());
  try {
    store.createRun(RUN);
  } finally {
    store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cliOut(run: (io: Io) => number): string {
  let out = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (out += `${t}\n`), isTTY: false, env: {}, cwd: dir, registry: {} };
  expect(run(io)).toBe(0);
  return out;
}

describe('the same numbers read the same in the CLI and the report', () => {
  it('CLI: the end-of-run summary, `runs` and `status`', () => {
    const summary = formatRunEnd(RUN.id, 'succeeded', TOOK_MS, { stages: {}, failures: [], metrics: METRICS });
    expect(summary).toContain(`model calls 7, tokens ${SHOWN.tokens}, cost ${SHOWN.cost}`);
    expect(summary).toContain(`run ${RUN.id} succeeded in ${SHOWN.took}`);
    expect(cliOut((io) => runsCommand(io, { cache: dir })).split('\n')[1]).toMatch(new RegExp(`^${RUN.id}\\s.*\\s${SHOWN.took}$`));
    expect(cliOut((io) => statusCommand(io, RUN.id, { cache: dir })).split('\n')[0]).toMatch(new RegExp(`took ${SHOWN.took}$`));
  });

  it('report: took, and the usage row', () => {
    const store = new SqliteStore(cacheFile());
    let html: string;
    try {
      html = buildReport(store, store.getRun(RUN.id)!).html;
    } finally {
      store.close();
    }
    expect(html).toContain(` · took ${SHOWN.took}</p>`);
    expect(html).toContain(
      `<tr><th scope="row">paid by this run</th><td class="num">7</td><td class="num">${SHOWN.promptTokens}</td><td class="num">345</td><td class="num">${SHOWN.cost}</td><td class="num">${SHOWN.latency}</td></tr>`,
    );
  });
});

describeWithTool('chromium', 'the same numbers read the same on the run page', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ cacheFile: cacheFile(), pages: mountPages, registry: {} }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('run page: the cards and the time it took', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${server.url}/runs/${RUN.id}`);
    await page.locator('main[aria-busy="false"] .cards').waitFor();
    const cards = await page
      .locator('.card')
      .evaluateAll((els) => els.map((e) => `${e.querySelector('.l')?.textContent}=${e.querySelector('.n')?.textContent}`));
    expect(cards).toEqual(expect.arrayContaining([`tokens=${SHOWN.tokens}`, `cost=${SHOWN.cost}`, `model latency=${SHOWN.latency}`]));
    expect(await page.getByText(/^started .* · took /).textContent()).toMatch(new RegExp(` · took ${SHOWN.took}$`));
  });
});
