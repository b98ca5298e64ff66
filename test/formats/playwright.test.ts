import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formats } from '../../domain/formats/index.ts';
import { loadAndNormalize } from '../normalize/run-stages.ts';
import { readWritten, realDir, rejection, tempDir } from './session-files.ts';

const pw = (name: string) => path.join(realDir, 'playwright', name);

describe('Playwright trace importer', () => {
  it('1.31: the click on the Submit button, by role and name, with its screencast frames', async () => {
    const out = tempDir();
    const ids = await formats.playwright.convert(pw('trace-1.31.zip'), out, {});
    expect(ids).toEqual(['trace-1.31']);
    const s = readWritten(out, 'trace-1.31');
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({
      id: 'trace.trace#call@13',
      type: 'click',
      count: 1,
      x: 36.74,
      y: 18.48,
      target: { selector: 'internal:role=button', role: 'button', name: 'Submit', tag: 'button' },
    });
    expect(s.meta).toMatchObject({
      suite: 'web',
      recorder: 'playwright-trace-v4',
      viewport: { width: 1280, height: 720 },
      startedAt: '2023-03-23T18:21:00.222Z',
    });
    expect(s.screenshots).toHaveLength(2);
    expect(s.screenshots.every((f) => /^\d{8}\.jpg$/.test(f))).toBe(true);
  });

  it('1.37: one browser context (the runner step trace is skipped), goto and its network', async () => {
    const out = tempDir();
    const ids = await formats.playwright.convert(pw('trace-1.37.zip'), out, { suite: 'docs' });
    expect(ids).toEqual(['trace-1.37']);
    const s = readWritten(out, 'trace-1.37');
    expect(s.events.map((e) => [e.type, e.type === 'navigate' ? e.url : ''])).toEqual([['navigate', 'https://playwright.dev/index.html']]);
    expect(s.meta.suite).toBe('docs');
    expect(s.har?.log.entries.map((e) => e.request.url)).toEqual(['https://playwright.dev/index.html', 'https://playwright.dev/style.css']);
  });

  it('test-trace1 (v6) and library 1.46 (v7) import', async () => {
    const out = tempDir();
    await formats.playwright.convert(pw('test-trace1.zip'), out, {});
    const s = readWritten(out, 'test-trace1');
    expect(s.events.map((e) => e.type)).toEqual(['navigate']);
    expect(s.har?.log.entries.length).toBeGreaterThan(10);
    await formats.playwright.convert(pw('trace-library-1.46.zip'), out, {});
    expect(readWritten(out, 'trace-library-1.46').meta.recorder).toBe('playwright-trace-v7');
  });

  it('maps fill, press, selectOption, check, dblclick and two contexts into two sessions', async () => {
    const ctx = (n: number) =>
      JSON.stringify({
        version: 8,
        type: 'context-options',
        wallTime: 1700000000000,
        monotonicTime: 100,
        options: { viewport: { width: 800, height: 600 } },
        title: `ctx ${n}`,
      });
    const call = (id: number, t: number, method: string, params: Record<string, unknown>, apiName = `locator.${method}`) =>
      JSON.stringify({ type: 'before', callId: `call@${id}`, startTime: t, apiName, class: 'Frame', method, params, pageId: 'page@1' });
    const trace0 = [
      ctx(0),
      call(1, 110, 'goto', { url: 'http://127.0.0.1:3000/' }, 'page.goto'),
      call(2, 200, 'fill', { selector: 'internal:label="To"i', value: 'bob@example.com' }),
      JSON.stringify({ type: 'log', callId: 'call@2', time: 201, message: '  locator resolved to <input id="to" name="to" type="email"/>' }),
      call(3, 300, 'press', { selector: '#subject', key: 'Control+A' }),
      call(4, 400, 'selectOption', { selector: 'select', options: [{ valueOrLabel: 'Work' }] }),
      call(5, 500, 'check', { selector: '#agree' }),
      call(6, 600, 'dblclick', { selector: 'text="Inbox"' }),
      call(7, 700, 'evaluate', { expression: '1' }),
    ].join('\n');
    const trace1 = [ctx(1), call(1, 150, 'click', { selector: 'internal:role=link[name="Sent"i]' })].join('\n');
    const zip = zipSync({ '0-trace.trace': strToU8(trace0), '1-trace.trace': strToU8(trace1), '0-trace.network': strToU8('') });
    const dir = tempDir();
    const file = path.join(dir, 'two.zip');
    writeFileSync(file, zip);
    const out = tempDir();
    expect(await formats.playwright.convert(file, out, {})).toEqual(['two-0-trace', 'two-1-trace']);
    const s0 = readWritten(out, 'two-0-trace');
    expect(s0.events.map((e) => [e.t, e.type, 'value' in e ? e.value : 'key' in e ? e.key : 'count' in e ? e.count : ''])).toEqual([
      [10, 'navigate', ''],
      [100, 'input', 'bob@example.com'],
      [200, 'keydown', 'Control'],
      [200, 'keydown', 'A'],
      [200, 'keyup', 'A'],
      [200, 'keyup', 'Control'],
      [300, 'select', 'Work'],
      [400, 'click', 1],
      [400, 'check', ''],
      [500, 'click', 2],
    ]);
    expect(s0.events[8]).toMatchObject({ type: 'check', checked: true, id: '0-trace.trace#call@5:check' });
    expect(s0.events[1]?.target).toMatchObject({ name: 'To', tag: 'input', id: 'to', field: 'to', inputType: 'email' });
    expect(s0.events[9]?.target).toMatchObject({ text: 'Inbox' });
    expect(s0.meta.startedAt).toBe(new Date(1700000000000).toISOString());
    const s1 = readWritten(out, 'two-1-trace');
    expect(s1.events[0]).toMatchObject({ type: 'click', target: { role: 'link', name: 'Sent' } });
  });

  it('tap is a touch click, check/uncheck a click and its check step (built the way Playwright writes `before` events)', async () => {
    const lines = [
      JSON.stringify({
        version: 8,
        type: 'context-options',
        wallTime: 1700000000000,
        monotonicTime: 100,
        options: { viewport: { width: 400, height: 800 }, hasTouch: true },
      }),
      JSON.stringify({
        type: 'before',
        callId: 'call@1',
        startTime: 200,
        apiName: 'locator.tap',
        class: 'Frame',
        method: 'tap',
        params: { selector: '#menu' },
        point: { x: 20, y: 30 },
      }),
      JSON.stringify({
        type: 'before',
        callId: 'call@2',
        startTime: 1200,
        apiName: 'locator.check',
        class: 'Frame',
        method: 'check',
        params: { selector: '#agree' },
        point: { x: 40, y: 300 },
      }),
      JSON.stringify({
        type: 'before',
        callId: 'call@3',
        startTime: 2200,
        apiName: 'locator.setChecked',
        class: 'Frame',
        method: 'setChecked',
        params: { selector: '#news', checked: false },
        point: { x: 40, y: 340 },
      }),
    ];
    const file = path.join(tempDir(), 'mobile.zip');
    writeFileSync(file, zipSync({ 'trace.trace': strToU8(lines.join('\n')) }));
    const { timeline } = await loadAndNormalize(file, { screenshots: { enabled: false } });
    expect(timeline.steps.map((s) => [s.kind, s.button, s.pointer ?? null, s.checked ?? null, s.target?.selector])).toEqual([
      ['click', 'left', 'touch', null, '#menu'],
      ['check', 'left', null, true, '#agree'],
      ['check', 'left', null, false, '#news'],
    ]);
  });

  it('reads v3 `action` events (metadata-wrapped calls)', async () => {
    const lines = [
      JSON.stringify({ version: 3, type: 'context-options', browserName: 'chromium', options: { viewport: { width: 1024, height: 768 } } }),
      JSON.stringify({
        type: 'action',
        metadata: {
          id: 'call@3',
          type: 'Frame',
          method: 'goto',
          apiName: 'page.goto',
          params: { url: 'http://x.test/' },
          startTime: 1000,
          endTime: 1100,
          wallTime: 1650000000000,
          log: [],
        },
      }),
      JSON.stringify({
        type: 'action',
        metadata: {
          id: 'call@4',
          type: 'Frame',
          method: 'click',
          apiName: 'page.click',
          params: { selector: 'text=Sign in' },
          startTime: 1500,
          endTime: 1600,
          point: { x: 5, y: 6 },
          log: ['  selector resolved to <a href="/login">Sign in</a>'],
        },
      }),
    ];
    const file = path.join(tempDir(), 'v3.zip');
    writeFileSync(file, zipSync({ 'trace.trace': strToU8(lines.join('\n')) }));
    const out = tempDir();
    await formats.playwright.convert(file, out, {});
    const s = readWritten(out, 'v3');
    expect(s.events.map((e) => [e.t, e.type])).toEqual([
      [0, 'navigate'],
      [500, 'click'],
    ]);
    expect(s.events[1]).toMatchObject({ x: 5, y: 6, url: 'http://x.test/', target: { selector: 'text=Sign in', text: 'Sign in', tag: 'a', name: 'Sign in' } });
    expect(s.meta.startedAt).toBe(new Date(1650000000000).toISOString());
  });

  it('rejects an unsupported version and a bad trace line with file and line', async () => {
    const dir = tempDir();
    const v2 = path.join(dir, 'old.zip');
    writeFileSync(v2, zipSync({ 'trace.trace': strToU8(JSON.stringify({ version: 2, type: 'context-options' })) }));
    const err = await rejection(formats.playwright.convert(v2, tempDir(), {}));
    expect(err.code).toBe('TP_INPUT');
    expect(err.location).toMatchObject({ file: `${v2}!trace.trace`, line: 1, field: 'version' });
    const bad = path.join(dir, 'bad.zip');
    writeFileSync(bad, zipSync({ 'trace.trace': strToU8(`${JSON.stringify({ version: 5, type: 'context-options' })}\n{oops`) }));
    const err2 = await rejection(formats.playwright.convert(bad, tempDir(), {}));
    expect(err2.location).toMatchObject({ file: `${bad}!trace.trace`, line: 2 });
  });
});
