import { describe, expect, it } from 'vitest';
import { brief, timelineOf } from './run-stages.ts';

const down = (t: number, x: number, y: number, button = 'left') => ({ type: 'mousedown', t, x, y, button });
const up = (t: number, x: number, y: number, button = 'left') => ({ type: 'mouseup', t, x, y, button });
const move = (t: number, x: number, y: number) => ({ type: 'mousemove', t, x, y });

describe('pointer rules', () => {
  it('drops exact duplicate events (a recorder writing every line twice does not double the steps)', async () => {
    const events = [move(0, 1, 1), down(100, 10, 10), up(150, 10, 10), { type: 'wheel', t: 900, dy: 100 }];
    const doubled = events.flatMap((e) => [e, e]);
    const t = await timelineOf(doubled);
    expect(brief(t)).toEqual([{ kind: 'click' }, { kind: 'scroll' }]);
    expect(t.steps[0]!.sourceEvents).toEqual(['input_events.jsonl:3', 'input_events.jsonl:5']);
    expect(t.steps[1]!.dy).toBe(100);
  });

  it('keeps events that differ only in time (two real clicks are two steps)', async () => {
    const t = await timelineOf([down(0, 10, 10), up(50, 10, 10), down(2000, 10, 10), up(2050, 10, 10)]);
    expect(brief(t)).toEqual([{ kind: 'click' }, { kind: 'click' }]);
  });

  it('press and release within 5 px and 500 ms is a click, with pixel and normalized coordinates', async () => {
    const t = await timelineOf([down(100, 500, 250), move(120, 503, 252), up(180, 503, 253)]);
    expect(t.steps).toHaveLength(1);
    const s = t.steps[0]!;
    expect(s).toMatchObject({ id: 1, kind: 'click', t0: 100, t1: 180, x: 500, y: 250, xNorm: 0.5, yNorm: 0.5 });
    expect(s.sourceEvents).toEqual(['input_events.jsonl:1', 'input_events.jsonl:2', 'input_events.jsonl:3']);
  });

  it('omits normalized coordinates when the session has no viewport', async () => {
    const t = await timelineOf([down(0, 5, 5), up(10, 5, 5)], {}, { meta: { id: 's1', suite: 'mail', startedAt: '2026-01-01T00:00:00Z' } });
    expect(t.steps[0]!.x).toBe(5);
    expect(t.steps[0]).not.toHaveProperty('xNorm');
  });

  it('a press that moves further than 5 px is a drag with a resampled path', async () => {
    const moves = Array.from({ length: 100 }, (_, i) => move(101 + i, 10 + i * 3, 20));
    const t = await timelineOf([down(100, 10, 20), ...moves, up(300, 310, 20)]);
    expect(brief(t)).toEqual([{ kind: 'drag' }]);
    const s = t.steps[0]!;
    expect(s.path!.length).toBeLessThanOrEqual(16);
    expect(s.path![0]).toEqual({ x: 10, y: 20 });
    expect(s.path![s.path!.length - 1]).toEqual({ x: 310, y: 20 });
    expect(s.sourceEvents).toHaveLength(102);
  });

  it('a press held longer than 500 ms is a drag even in place', async () => {
    const t = await timelineOf([down(0, 10, 10), up(800, 10, 10)]);
    expect(brief(t)).toEqual([{ kind: 'drag' }]);
  });

  it('two clicks at one spot within the double-click time are a double click', async () => {
    const t = await timelineOf([down(0, 10, 10), up(60, 10, 10), down(200, 12, 11), up(260, 12, 11)]);
    expect(brief(t)).toEqual([{ kind: 'double_click' }]);
    expect(t.steps[0]!.sourceEvents).toHaveLength(4);
    expect(t.steps[0]).toMatchObject({ t0: 0, t1: 260 });
  });

  it('two clicks too far apart in space or time stay two clicks', async () => {
    const far = await timelineOf([down(0, 10, 10), up(60, 10, 10), down(200, 60, 10), up(260, 60, 10)]);
    expect(brief(far)).toEqual([{ kind: 'click' }, { kind: 'click' }]);
    const late = await timelineOf([down(0, 10, 10), up(60, 10, 10), down(900, 10, 10), up(960, 10, 10)]);
    expect(brief(late)).toEqual([{ kind: 'click' }, { kind: 'click' }]);
  });

  it('a right-button click is a right_click', async () => {
    const t = await timelineOf([down(0, 10, 10, 'right'), up(50, 10, 10, 'right')]);
    expect(brief(t)).toEqual([{ kind: 'right_click' }]);
  });

  it("a recorder's click event after mousedown/mouseup folds into the same step", async () => {
    const target = { selector: '#send', role: 'button', name: 'Send' };
    const t = await timelineOf([down(0, 10, 10), up(50, 10, 10), { type: 'click', t: 51, x: 10, y: 10, target }]);
    expect(brief(t)).toEqual([{ kind: 'click' }]);
    expect(t.steps[0]!.target).toEqual(target);
    expect(t.steps[0]!.sourceEvents).toHaveLength(3);
  });

  it('click events alone (already-reduced recorders) become steps; count 2 is a double click', async () => {
    const t = await timelineOf([
      { type: 'click', t: 0, x: 1, y: 1 },
      { type: 'click', t: 3000, x: 50, y: 50, count: 2 },
      { type: 'click', t: 6000, button: 'right' },
    ]);
    expect(brief(t)).toEqual([{ kind: 'click' }, { kind: 'double_click' }, { kind: 'right_click' }]);
  });

  it('consecutive wheel events merge into one scroll with summed deltas; a pause or another step splits them', async () => {
    const t = await timelineOf([
      move(0, 300, 200),
      { type: 'wheel', t: 10, dy: 100 },
      move(20, 301, 200),
      { type: 'wheel', t: 30, dy: 120, dx: 5 },
      { type: 'wheel', t: 60, dy: -20 },
      { type: 'wheel', t: 3000, dy: 40 },
      down(3100, 5, 5),
      up(3150, 5, 5),
      { type: 'wheel', t: 3200, dy: 7 },
    ]);
    expect(t.steps.map((s) => [s.kind, s.dx, s.dy])).toEqual([
      ['scroll', 5, 200],
      ['scroll', 0, 40],
      ['click', undefined, undefined],
      ['scroll', 0, 7],
    ]);
    expect(t.steps[0]).toMatchObject({ x: 300, y: 200, t0: 10, t1: 60 });
    expect(t.steps[0]!.sourceEvents).toEqual(['input_events.jsonl:2', 'input_events.jsonl:4', 'input_events.jsonl:5']);
  });

  it('keeps target info and the page URL on the step', async () => {
    const target = { selector: 'button#send', role: 'button', name: 'Send', text: 'Send', bbox: { x: 1, y: 2, width: 30, height: 10 } };
    const t = await timelineOf([{ ...down(0, 10, 10), target, url: 'http://mail.test/inbox' }, up(20, 10, 10)]);
    expect(t.steps[0]).toMatchObject({ target, url: 'http://mail.test/inbox' });
  });

  it('numbers steps 1.. in time order', async () => {
    const t = await timelineOf([down(0, 1, 1), up(10, 1, 1), { type: 'navigate', t: 2000, url: 'http://a/' }, { type: 'submit', t: 4000 }]);
    expect(t.steps.map((s) => s.id)).toEqual([1, 2, 3]);
  });
});

describe('duplicates regardless of key order', () => {
  it('the same event written with its fields in another order is still a duplicate', async () => {
    const t = await timelineOf(['{"type":"wheel","t":5,"dx":0,"dy":10}', '{"dy":10,"dx":0,"t":5,"type":"wheel"}']);
    expect(t.steps.map((s) => s.dy)).toEqual([10]);
  });
});
