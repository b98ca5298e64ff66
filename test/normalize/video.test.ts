import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeWithTool } from '../helpers/system-tools.ts';
import { findFfmpeg, frameWindows, NormalizeOptions, videoFrames } from '../../stages/normalize/index.ts';
import { tempDir, writeSession } from '../load/fixture.ts';
import { loadAndNormalize } from './run-stages.ts';
import { rejectionOf } from '../helpers/rejection.ts';
import { greyStillsVideo, lavfiVideo } from '../helpers/test-video.ts';

const click = (t: number, x = 10) => [
  { type: 'mousedown', t, x, y: 10 },
  { type: 'mouseup', t: t + 30, x, y: 10 },
];

describeWithTool('ffmpeg', 'keyframes from video.mp4', () => {
  it('takes frames from the video when there are no screenshots, never after the action', async () => {
    const dir = writeSession(tempDir(), 's1', { events: [...click(1500), ...click(600, 200)].sort((a, b) => a.t - b.t) });
    lavfiVideo(join(dir, 'video.mp4'), 'testsrc=size=320x240:rate=10', 2);
    const opts = { video: { eventLagMs: 0 }, screenshots: { format: 'jpeg' } };
    const { loaded, timeline, ctx } = await loadAndNormalize(dir, opts);
    expect(loaded.hasVideo).toBe(true);
    const [first, second] = timeline.steps.map((s) => s.keyframe!);
    // testsrc changes every frame (a counter), so each step gets the real frame at its t0 (10 fps: 600, 1500).
    expect(first!.t).toBe(600);
    expect(second!.t).toBe(1500);
    expect(first!.artifact).not.toBe(second!.artifact);
    expect(second).toMatchObject({ width: 320, height: 240, mediaType: 'image/jpeg' });
    const meta = await sharp(ctx.artifacts.get(second!.artifact)!.data).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320 });
    // The decode cost is reported: the 1.5 s of 10 fps video up to the last step, read once to
    // scan and once more for the two chosen frames.
    expect(ctx.metricTotals.videoFramesDecoded).toBe(30);
    // With the default event lag (80 ms), the frame stamped at t0 is not used: the one 100 ms before is.
    const lagged = await loadAndNormalize(dir, { screenshots: { format: 'jpeg' } });
    expect(lagged.timeline.steps.map((s) => s.keyframe!.t)).toEqual([500, 1400]);
  });

  it('looks at every source frame in the second before a step and, of an unchanging screen, `fps` frames a second further back', async () => {
    expect(frameWindows([1900, 500, 600], 500)).toEqual([
      { from: 0, to: 600 },
      { from: 1400, to: 1900 },
    ]);
    const dir = writeSession(tempDir(), 's1', { events: [...click(2500), ...click(25000, 200)] });
    // A still screen at a constant 10 fps: further back than denseMs, repeated frames are sampled at `fps`.
    lavfiVideo(join(dir, 'video.mp4'), 'color=c=gray:size=320x240:rate=10', 30, ['-g', '20']);
    const opts = NormalizeOptions.parse({ video: { fps: 2, denseMs: 1000, lookbackMs: 2000 } });
    const source = videoFrames(join(dir, 'video.mp4'), opts, process.env);
    const seen: number[] = [];
    await source.scan([2500, 25000], (f) => seen.push(f.t));
    expect(seen).toEqual([
      0, // before any span, the first frame (and any frame that changes the screen)
      ...[500, 1000], // 2 fps from 2000 ms before the first step
      ...[1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200, 2300, 2400, 2500], // every frame in the last second
      22000, // the keyframe before the seek point (a frame every 2 s here), decoded from there
      ...[23000, 23500],
      ...[24000, 24100, 24200, 24300, 24400, 24500, 24600, 24700, 24800, 24900, 25000],
    ]);
    // The 20 s between the two spans are seeked over, not decoded: one run from the start to the
    // first step, one from the keyframe before the second span, 2.5 + 3 s of video, not 25.
    expect(source.stats).toMatchObject({ runs: 2, decodedSeconds: 5.5, decodedFrames: 55, framesOut: seen.length });
  });

  it('a variable-frame-rate video keeps every change: a frame shortly after a sampled one stays on screen until the next', async () => {
    // Frames only when the screen changed (as Playwright writes them): A at 0, B at 240 ms
    // (a menu opened; less than the sparse 250 ms after A), then nothing until C at 4 s. The step at 3 s acts on B.
    const dir = writeSession(tempDir(), 's1', { events: click(3000) });
    await greyStillsVideo(dir, [
      [60, 0.24],
      [200, 3.76],
      [120, 0.5],
    ]);
    const { timeline } = await loadAndNormalize(dir, { screenshots: { format: 'png' } });
    expect(timeline.steps[0]!.keyframe!.t).toBe(240);
  });

  it('a variable-frame-rate video still for longer than lookbackMs: the step gets the last change, not a frame from before the previous step', async () => {
    // A at 0; the first step at 1 s changes the screen to B at 1.5 s; nothing changes until the
    // second step at 12 s, so its look-back window (7-12 s) holds no frame at all.
    const dir = writeSession(tempDir(), 's1', { events: [...click(1000), ...click(12000, 200)] });
    await greyStillsVideo(dir, [
      [60, 1.5],
      [200, 11],
    ]);
    const { timeline } = await loadAndNormalize(dir, { screenshots: { format: 'png' } });
    const [first, second] = timeline.steps.map((s) => s.keyframe!);
    expect(first!.t).toBe(0);
    // B's frame (its time is 1.5 s on the encoder's time grid, 1520 ms here).
    expect(second!.t).toBeGreaterThanOrEqual(1500);
    expect(second!.t).toBeLessThan(1600);
    expect(second!.artifact).not.toBe(first!.artifact);
  });

  it("finds Debian's ffmpeg on PATH, else the binary bundled by @ffmpeg-installer/ffmpeg", () => {
    expect(findFfmpeg(process.env)).toMatch(/\/ffmpeg$/);
    const bundled = findFfmpeg({ PATH: '' });
    expect(bundled).toMatch(/@ffmpeg-installer/);
    expect(execFileSync(bundled, ['-version'], { encoding: 'utf8' })).toMatch(/^ffmpeg version/);
  });

  it('an unreadable video is TP_INPUT naming video.mp4', async () => {
    const dir = writeSession(tempDir(), 's1', { events: click(500) });
    writeFileSync(join(dir, 'video.mp4'), 'not a video');
    const err = await rejectionOf(loadAndNormalize(dir), 'TP_INPUT');
    expect(err.message).toMatch(/^video\.mp4: ffmpeg could not read frames/);
  });
});
