import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeWithTool } from '../helpers/system-tools.ts';
import { TracepipeError } from '../../engine/errors.ts';
import { findFfmpeg, frameWindows, NormalizeOptions, sessionFrames } from '../../stages/normalize/index.ts';
import { tempDir, writeSession } from '../load/fixture.ts';
import { loadAndNormalize } from './run-stages.ts';

const click = (t: number, x = 10) => [
  { type: 'mousedown', t, x, y: 10 },
  { type: 'mouseup', t: t + 30, x, y: 10 },
];

describeWithTool('ffmpeg', 'keyframes from video.mp4', () => {
  it('takes frames from the video when there are no screenshots, never after the action', async () => {
    const dir = writeSession(tempDir(), 's1', { events: [...click(1500), ...click(600, 200)].sort((a, b) => a.t - b.t) });
    execFileSync(findFfmpeg(), ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2', '-pix_fmt', 'yuv420p', join(dir, 'video.mp4')]);
    const { loaded, timeline, ctx } = await loadAndNormalize(dir, { video: { fps: 4 }, screenshots: { format: 'jpeg', distinctThreshold: 0 } });
    expect(loaded.hasVideo).toBe(true);
    const [first, second] = timeline.steps.map((s) => s.keyframe!);
    // At most 4 frames a second from a 10 fps source: real frames at 0, 300, 600, ... ms;
    // each step gets the last one at or before its t0.
    expect(first!.t).toBe(600);
    expect(second!.t).toBe(1500);
    expect(first!.artifact).not.toBe(second!.artifact);
    expect(second).toMatchObject({ width: 320, height: 240, mediaType: 'image/jpeg' });
    const meta = await sharp(ctx.artifacts.get(second!.artifact)!.data).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320 });
  });

  it('writes only frames in the windows before steps, so a long video costs no disk between them', async () => {
    expect(frameWindows([1900, 500, 600], 500)).toEqual([{ from: 0, to: 600 }, { from: 1400, to: 1900 }]);
    const dir = writeSession(tempDir(), 's1', { events: [...click(500), ...click(1900, 200)] });
    execFileSync(findFfmpeg(), ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '3', '-pix_fmt', 'yuv420p', join(dir, 'video.mp4')]);
    const { loaded } = await loadAndNormalize(dir, { screenshots: { enabled: false } });
    const opts = NormalizeOptions.parse({ video: { fps: 10 }, screenshots: { maxLookback: 2 } });
    const { frames, release } = await sessionFrames({ ...loaded, dir }, [500, 1900], opts);
    try {
      // (maxLookback + 1) frames at 10 fps = 300 ms before each step.
      expect(frames.map((f) => f.t)).toEqual([200, 300, 400, 500, 1600, 1700, 1800, 1900]);
    } finally {
      await release();
    }
  });

  it("finds Debian's ffmpeg on PATH, else the binary bundled by @ffmpeg-installer/ffmpeg", () => {
    expect(findFfmpeg()).toMatch(/\/ffmpeg$/);
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      const bundled = findFfmpeg();
      expect(bundled).toMatch(/@ffmpeg-installer/);
      expect(execFileSync(bundled, ['-version'], { encoding: 'utf8' })).toMatch(/^ffmpeg version/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('an unreadable video is TP_INPUT naming video.mp4', async () => {
    const dir = writeSession(tempDir(), 's1', { events: click(500) });
    writeFileSync(join(dir, 'video.mp4'), 'not a video');
    const err = await loadAndNormalize(dir).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TracepipeError);
    expect((err as TracepipeError).code).toBe('TP_INPUT');
    expect((err as TracepipeError).message).toMatch(/^video\.mp4: ffmpeg could not read frames/);
  });
});
