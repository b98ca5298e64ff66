import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { tempDir, writeSession } from '../load/fixture.ts';
import { loadAndNormalize } from './run-stages.ts';

/** A solid gray test frame; shades 1 apart are "near-identical", far apart are distinct. */
const frame = (shade: number, width = 320, height = 200) =>
  sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade, b: shade } } })
    .png()
    .toBuffer();

/** A grey screen with a lighter box on it (a menu, a tooltip), as a test frame. */
const screenWith = (box?: { left: number; top: number; width: number; height: number }) =>
  sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite(
      box
        ? [{ input: { create: { width: box.width, height: box.height, channels: 3, background: { r: 240, g: 240, b: 240 } } }, left: box.left, top: box.top }]
        : [],
    )
    .png()
    .toBuffer();
const MENU = { left: 300, top: 150, width: 90, height: 110 };
const TOOLTIP = { left: 400, top: 300, width: 30, height: 10 };

const click = (t: number, x = 10) => [
  { type: 'mousedown', t, x, y: 10 },
  { type: 'mouseup', t: t + 30, x, y: 10 },
];

async function run(events: object[], shots: Record<number, Buffer>, options: object = {}, har?: unknown) {
  const files: Record<string, Buffer> = {};
  for (const [t, data] of Object.entries(shots)) files[`screenshots/${String(t).padStart(6, '0')}.png`] = data;
  const dir = writeSession(tempDir(), 's1', { events: events as Record<string, unknown>[], files, ...(har ? { har } : {}) });
  return loadAndNormalize(dir, options);
}

describe('keyframes', () => {
  it('never uses a frame taken after the action', async () => {
    const { timeline } = await run(click(1000), { 0: await frame(0), 900: await frame(128), 1100: await frame(255) });
    expect(timeline.steps[0]!.keyframe).toMatchObject({ t: 900 });
  });

  it('a frame taken at the very moment of the action may be used', async () => {
    const { timeline } = await run(click(1000), { 0: await frame(0), 1000: await frame(128) });
    expect(timeline.steps[0]!.keyframe!.t).toBe(1000);
  });

  it('steps back from just before the action while frames stay near-identical', async () => {
    const shots = { 0: await frame(0), 500: await frame(128), 700: await frame(129), 900: await frame(128) };
    const { timeline } = await run(click(1000), shots);
    expect(timeline.steps[0]!.keyframe!.t).toBe(500);
  });

  it('a step whose frame matches the previous step reuses that image instead of storing another', async () => {
    const shots = { 0: await frame(0), 1500: await frame(1), 2500: await frame(200) };
    const { timeline, ctx } = await run([...click(1000), ...click(2000, 300), ...click(3000, 600)], shots);
    const [a, b, c] = timeline.steps.map((s) => s.keyframe!);
    expect(a!.artifact).toBe(b!.artifact);
    expect(a!.t).toBe(0);
    expect(c!.artifact).not.toBe(a!.artifact);
    expect((ctx.artifacts as unknown as { size(): number }).size()).toBe(2);
    expect(ctx.metricTotals.keyframes).toBe(2);
  });

  it("a context menu that opened after the previous step is in the next step's keyframe", async () => {
    // Right-click at 1000 opens a menu (on screen from 1100); the click at 3000 lands in it.
    const shots = { 0: await screenWith(), 1100: await screenWith(MENU), 2000: await screenWith(MENU) };
    const { timeline } = await run([...click(1000), ...click(3000, 320)], shots);
    expect(timeline.steps.map((s) => s.keyframe?.t)).toEqual([0, 1100]);
  });

  it("a step shares the previous step's frame only if nothing changed between them", async () => {
    // A tooltip came and went between the two steps: the screen looks as before, but the second
    // step gets the frame after the change, not the first step's frame.
    const shots = { 0: await screenWith(), 1500: await screenWith(TOOLTIP), 2500: await screenWith() };
    const { timeline, ctx } = await run([...click(1000), ...click(3000, 300)], shots);
    expect(timeline.steps.map((s) => s.keyframe?.t)).toEqual([0, 2500]);
    expect(ctx.metricTotals.keyframes).toBe(2);
    // Nothing in between: shared.
    const still = await run([...click(1000), ...click(3000, 300)], { 0: await screenWith(), 2500: await screenWith() });
    expect(still.timeline.steps.map((s) => s.keyframe?.t)).toEqual([0, 0]);
    expect(still.ctx.metricTotals.keyframes).toBe(1);
  });

  it('steps before the first frame get no keyframe', async () => {
    const { timeline } = await run([...click(100), ...click(2000, 300)], { 1000: await frame(50) });
    expect(timeline.steps.map((s) => s.keyframe?.t)).toEqual([undefined, 1000]);
  });

  it('resizes to the configured width keeping aspect, never enlarging, in the configured format', async () => {
    const big = await run(click(1000), { 0: await frame(90, 2000, 1000) }, { screenshots: { format: 'jpeg', width: 1280, quality: 70 } });
    const kf = big.timeline.steps[0]!.keyframe!;
    expect(kf).toMatchObject({ mediaType: 'image/jpeg', width: 1280, height: 640 });
    const stored = big.ctx.artifacts.get(kf.artifact)!;
    expect(stored.mediaType).toBe('image/jpeg');
    expect(await sharp(stored.data).metadata()).toMatchObject({ format: 'jpeg', width: 1280, height: 640 });

    const small = await run(click(1000), { 0: await frame(90, 800, 600) }, { screenshots: { format: 'webp', width: 1280 } });
    const kf2 = small.timeline.steps[0]!.keyframe!;
    expect(kf2).toMatchObject({ mediaType: 'image/webp', width: 800, height: 600 });
    expect(await sharp(small.ctx.artifacts.get(kf2.artifact)!.data).metadata()).toMatchObject({ format: 'webp' });

    const png = await run(click(1000), { 0: await frame(90, 640, 480) }, { screenshots: { format: 'png', width: 320 } });
    expect(png.timeline.steps[0]!.keyframe).toMatchObject({ mediaType: 'image/png', width: 320, height: 240 });
  });

  it('the cap keeps frames of steps with network requests, then pointer steps', async () => {
    const events = [{ type: 'wheel', t: 1000, dy: 50 }, ...click(2000), { type: 'keydown', t: 3000, key: 'a' }, { type: 'wheel', t: 4000, dy: 50 }];
    const shots = { 500: await frame(0), 1500: await frame(60), 2500: await frame(120), 3500: await frame(180) };
    const one = await run(events, shots, { screenshots: { maxPerSession: 1 } });
    expect(one.timeline.steps.map((s) => s.keyframe?.t)).toEqual([undefined, 1500, undefined, undefined]);
    const har = {
      log: {
        version: '1.2',
        creator: { name: 't', version: '1' },
        entries: [
          {
            startedDateTime: new Date(Date.parse('2026-01-01T00:00:00.000Z') + 4100).toISOString(),
            request: { method: 'POST', url: 'http://mail.test/api/messages/m-1/modify', headers: [] },
            response: { status: 200, headers: [], content: { mimeType: 'application/json' } },
          },
        ],
      },
    };
    const two = await run(events, shots, { screenshots: { maxPerSession: 2 } }, har);
    expect(two.timeline.steps.map((s) => s.keyframe?.t)).toEqual([undefined, 1500, undefined, 3500]);
  });

  it('screenshots.enabled: false stores nothing', async () => {
    const { timeline, ctx } = await run(click(1000), { 0: await frame(0) }, { screenshots: { enabled: false } });
    expect(timeline.steps[0]!.keyframe).toBeUndefined();
    expect((ctx.artifacts as unknown as { size(): number }).size()).toBe(0);
  });
});
