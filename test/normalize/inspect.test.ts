import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { formatTimelineTable } from '../../stages/normalize/index.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { cli, repoRoot } from '../helpers/cli.ts';

describe('formatTimelineTable', () => {
  it('prints one aligned row per step with target, text/keys, coords, network and keyframe', () => {
    const timeline: Timeline = {
      sessionId: 's1',
      suite: 'mail',
      preamble: [{ id: 'network.har#0', t: 1, method: 'GET', url: 'http://mail.test/api/messages?label=INBOX' }],
      steps: [
        {
          id: 1,
          kind: 'click',
          t0: 100,
          t1: 180,
          x: 500.4,
          y: 250,
          target: { role: 'button', name: 'Compose', selector: '#compose' },
          network: [{ id: 'network.har#1', t: 190, method: 'POST', url: 'http://mail.test/api/drafts' }],
          keyframe: { artifact: 'abc', mediaType: 'image/webp', t: 90, width: 10, height: 10 },
          sourceEvents: ['a', 'b'],
          ...{ button: 'right', pointer: 'touch' },
        },
        { id: 2, kind: 'type', t0: 300, t1: 900, text: 'Hello "Bob"', target: { selector: '#subject' }, network: [], sourceEvents: ['c'] },
        { id: 3, kind: 'hotkey', t0: 1000, t1: 1000, keys: ['Control', 'Enter'], network: [], sourceEvents: ['d'] },
        { id: 4, kind: 'scroll', t0: 2000, t1: 2100, dx: 0, dy: 300, x: 1, y: 2, network: [], sourceEvents: ['e'] },
      ],
    };
    const out = formatTimelineTable(timeline, new Map([[1, '/tmp/kf/1.webp']])).split('\n');
    expect(out[0]).toBe('s1 (mail) — 4 steps, 1 requests before the first step');
    expect(out[1]!.split(/\s{2,}/)).toEqual(['step', 'kind', 't (ms)', 'target', 'text/keys', 'x,y', 'button', 'network', 'keyframe']);
    expect(out[3]!.split(/\s{2,}/)).toEqual(['1', 'click', '100-180', 'button "Compose"', '500,250', 'right (touch)', 'POST /api/drafts', '90 ms 1.webp']);
    expect(out[4]!.split(/\s{2,}/)).toEqual(['2', 'type', '300-900', '#subject', '"Hello \\"Bob\\""', 'no']);
    expect(out[5]!.split(/\s{2,}/)).toEqual(['3', 'hotkey', '1000', 'Control+Enter', 'no']);
    expect(out[6]!.split(/\s{2,}/)).toEqual(['4', 'scroll', '2000-2100', 'dx=0 dy=300', '1,2', 'no']);
    // Columns line up: every row starts its kind at the same offset.
    expect(new Set(out.slice(3, 7).map((l) => l.indexOf(l.split(/\s{2,}/)[1]!)))).toEqual(new Set([6]));
  });
});

describe('tracepipe inspect --keyframes', () => {
  it("normalizes as a pipeline does (keyframes from the video) and writes each step's keyframe to DIR/<step id>.<ext>", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tp-inspect-kf-')), 'frames');
    const session = 'fixtures/keyframes/search-star-delete';
    const r = await cli(['inspect', session, '--keyframes', dir, '--json'], { cwd: repoRoot, builtin: true });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const timeline = JSON.parse(r.out) as { steps: { id: number; kind: string; t0: number; button?: string; keyframe?: { t: number; file: string } }[] };
    const withFrame = timeline.steps.filter((s) => s.keyframe);
    // Every step has one: video.mp4 starts at the session's t = 0.
    expect(timeline.steps).toHaveLength(14);
    expect(withFrame).toHaveLength(14);
    for (const s of withFrame) {
      expect(Object.keys(s.keyframe!).sort()).toEqual(['file', 't']);
      expect(s.keyframe!.file).toBe(join(dir, `${s.id}.webp`));
      expect(s.keyframe!.t).toBeLessThanOrEqual(s.t0);
    }
    expect(readdirSync(dir).sort()).toEqual(withFrame.map((s) => `${s.id}.webp`).sort());
    expect(await sharp(join(dir, '11.webp')).metadata()).toMatchObject({ format: 'webp', width: 1000, height: 700 });

    const table = await cli(['inspect', session, '--keyframes', dir], { cwd: repoRoot, builtin: true });
    const row = table.out.split('\n').find((l) => l.startsWith('11 '))!;
    expect(row).toMatch(/ \d+ ms 11\.webp$/);
  }, 30_000);
});

describe('inspect --keyframes with a folder that cannot be one', () => {
  it('is one clear TP_INPUT (exit 2), not an internal error, and never hangs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-inspect-bad-'));
    const session = join(repoRoot, 'fixtures/sessions/reply-sam-lunch');
    const file = join(repoRoot, 'package.json');
    const notFolder = await cli(['inspect', session, '--keyframes', file], { cwd: dir, builtin: true });
    expect([notFolder.code, notFolder.err.split('\n')[0]]).toEqual([2, `TP_INPUT --keyframes ${file}: is not a folder`]);
    const underFile = await cli(['inspect', session, '--keyframes', join(file, 'x')], { cwd: dir, builtin: true });
    expect([underFile.code, underFile.err.split('\n')[0]]).toEqual([2, `TP_INPUT --keyframes ${join(file, 'x')}: its parent ${file} is not a folder`]);
    const proc = await cli(['inspect', session, '--keyframes', '/proc/tp-x'], { cwd: dir, builtin: true });
    expect(proc.code).toBe(2);
  }, 20_000);
});
