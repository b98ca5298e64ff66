import { describe, expect, it } from 'vitest';
import { formatTimelineTable } from '../../stages/normalize/index.ts';
import type { Timeline } from '../../stages/session/timeline.ts';

describe('formatTimelineTable', () => {
  it('prints one aligned row per step with target, text/keys, coords, network and keyframe', () => {
    const timeline: Timeline = {
      sessionId: 's1',
      suite: 'mail',
      preamble: [{ id: 'network.har#0', t: 1, method: 'GET', url: 'http://mail.test/api/messages?label=INBOX' }],
      steps: [
        {
          id: 1, kind: 'click', t0: 100, t1: 180, x: 500.4, y: 250, target: { role: 'button', name: 'Compose', selector: '#compose' },
          network: [{ id: 'network.har#1', t: 190, method: 'POST', url: 'http://mail.test/api/drafts' }],
          keyframe: { artifact: 'abc', mediaType: 'image/webp', t: 90, width: 10, height: 10 }, sourceEvents: ['a', 'b'],
        },
        { id: 2, kind: 'type', t0: 300, t1: 900, text: 'Hello "Bob"', target: { selector: '#subject' }, network: [], sourceEvents: ['c'] },
        { id: 3, kind: 'hotkey', t0: 1000, t1: 1000, keys: ['Control', 'Enter'], network: [], sourceEvents: ['d'] },
        { id: 4, kind: 'scroll', t0: 2000, t1: 2100, dx: 0, dy: 300, x: 1, y: 2, network: [], sourceEvents: ['e'] },
      ],
    };
    const out = formatTimelineTable(timeline).split('\n');
    expect(out[0]).toBe('s1 (mail) — 4 steps, 1 requests before the first step');
    expect(out[1]!.split(/\s{2,}/)).toEqual(['step', 'kind', 't (ms)', 'target', 'text/keys', 'x,y', 'network', 'keyframe']);
    expect(out[3]!.split(/\s{2,}/)).toEqual(['1', 'click', '100-180', 'button "Compose"', '500,250', 'POST /api/drafts', 'yes']);
    expect(out[4]!.split(/\s{2,}/)).toEqual(['2', 'type', '300-900', '#subject', '"Hello \\"Bob\\""', 'no']);
    expect(out[5]!.split(/\s{2,}/)).toEqual(['3', 'hotkey', '1000', 'Control+Enter', 'no']);
    expect(out[6]!.split(/\s{2,}/)).toEqual(['4', 'scroll', '2000-2100', 'dx=0 dy=300', '1,2', 'no']);
    // Columns line up: every row starts its kind at the same offset.
    expect(new Set(out.slice(3, 7).map((l) => l.indexOf(l.split(/\s{2,}/)[1]!)))).toEqual(new Set([6]));
  });
});
