import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { realDir, tempDir } from './session-files.ts';

/**
 * One convention for every importer: a scroll step's dy > 0 means the view scrolled down (the
 * content moved up), as DOM WheelEvent.deltaY. Each case is "the person scrolled down", written
 * the way that recorder writes it.
 */
const options = { screenshots: { enabled: false } };
const scrollOf = async (p: string) => (await loadAndNormalize(p, options)).timeline.steps.filter((s) => s.kind === 'scroll').map((s) => Math.sign(s.dy ?? 0));

describe('scroll direction across importers', () => {
  it('clones (real sample): rdev wheel delta -1 (toward the user) scrolls down', async () => {
    const signs = await scrollOf(path.join(realDir, 'clones-desktop/20250817_232256'));
    expect(signs).toHaveLength(3);
    // The sample's first burst is all negative rdev deltas: the person scrolled down.
    expect(signs[0]).toBe(1);
  });

  it('rrweb: the scroll position growing', async () => {
    const file = path.join(tempDir(), 'r.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 4, timestamp: 1000, data: { href: 'http://x.test/', width: 800, height: 600 } },
        { type: 2, timestamp: 1001, data: { node: { type: 0, id: 1, childNodes: [] } } },
        { type: 3, timestamp: 2000, data: { source: 3, id: 1, x: 0, y: 120 } },
        { type: 3, timestamp: 2050, data: { source: 3, id: 1, x: 0, y: 400 } },
      ]),
    );
    expect(await scrollOf(file)).toEqual([1]);
  });

  it('extension: wheel deltaY > 0, and scrollY growing', async () => {
    const dir = path.join(tempDir(), 'ext');
    mkdirSync(path.join(dir, 'input'), { recursive: true });
    const ev = (ts: number, info: object) =>
      writeFileSync(
        path.join(dir, 'input', `${ts}-a.json`),
        JSON.stringify({ suite: 'mail', tab: 1, url: 'http://x.test/', timestamp: ts, action: 'scroll', selector: null, additional_info: info }),
      );
    ev(1000, { deltaY: 100 });
    ev(5000, { scrollY: 300 });
    expect(await scrollOf(dir)).toEqual([1, 1]);
  });

  it('chrome recorder: a scroll step to a larger y', async () => {
    const file = path.join(tempDir(), 'flow.json');
    writeFileSync(
      file,
      JSON.stringify({
        title: 't',
        steps: [
          { type: 'navigate', url: 'http://x.test/' },
          { type: 'scroll', x: 0, y: 500 },
        ],
      }),
    );
    expect(await scrollOf(file)).toEqual([1]);
  });

  it('playwright: mouse.wheel(0, deltaY > 0)', async () => {
    const lines = [
      JSON.stringify({ version: 8, type: 'context-options', wallTime: 1700000000000, monotonicTime: 100, options: { viewport: { width: 800, height: 600 } } }),
      JSON.stringify({
        type: 'before',
        callId: 'call@1',
        startTime: 200,
        apiName: 'mouse.wheel',
        class: 'Page',
        method: 'mouseWheel',
        params: { deltaX: 0, deltaY: 250 },
      }),
    ];
    const file = path.join(tempDir(), 'wheel.zip');
    writeFileSync(file, zipSync({ 'trace.trace': strToU8(lines.join('\n')) }));
    expect(await scrollOf(file)).toEqual([1]);
  });
});
