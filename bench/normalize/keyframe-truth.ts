import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NormalizeOptions, videoFrames } from '../../stages/normalize/index.ts';
import { SettledFramePicker } from '../../stages/normalize/keyframes.ts';
import { evaluateKeyframeTruth, truthSessions } from '../../test/helpers/keyframe-truth.ts';
import { lavfiVideo } from '../../test/helpers/test-video.ts';

const OPTS = NormalizeOptions.parse({});

/**
 * Keyframes from video against the recorded truth set (fixtures/keyframes/): the match rate of
 * the chosen frames with the screenshot taken right before each action, and what decoding
 * cost per session (ffmpeg runs, video seconds and frames decoded, frames scanned, time).
 */
export async function benchKeyframeTruth(say: (s: string) => void): Promise<void> {
  let judged = 0;
  let matched = 0;
  say('keyframe truth set (fixtures/keyframes/): keyframes chosen from video.mp4 vs the screenshot right before each action');
  for (const dir of truthSessions()) {
    const r = await evaluateKeyframeTruth(dir);
    judged += r.judged;
    matched += r.matched;
    say(
      `  ${r.sessionId.padEnd(28)} ${r.matched}/${r.judged} steps match; normalize ${r.wallMs.toFixed(0)} ms, of which video decoding ${r.videoDecodeMs} ms (${r.videoFramesDecoded} frames decoded)`,
    );
    for (const s of r.steps)
      if (s.truth && !s.matched) say(`    MISS step ${s.id} ${s.kind} at ${s.t0} ms: keyframe ${s.keyframeT ?? 'none'} ms, diff ${s.diff?.toFixed(3) ?? '-'}`);
  }
  say(`keyframe match rate: ${matched}/${judged} = ${((100 * matched) / judged).toFixed(1)}% of steps (aim >= 95%)`);
}

/** Decoding cost on a long video with few steps: seeking keeps it near the spans looked at, not the video's length. */
export async function benchLongVideo(say: (s: string) => void, seconds: number, steps: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-video-'));
  try {
    const video = join(dir, 'video.mp4');
    let t = performance.now();
    lavfiVideo(video, 'testsrc2=size=1000x700:rate=25', seconds, ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50']);
    say(`long video: ${seconds} s, 1000x700, 25 fps, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const times = Array.from({ length: steps }, (_, i) => Math.round(((i + 1) * seconds * 1000) / (steps + 1)));
    const source = videoFrames(video, OPTS, process.env);
    const picker = new SettledFramePicker(times, OPTS.screenshots);
    t = performance.now();
    await source.scan(times, (f) => picker.push(f));
    const chosen = [...new Map(picker.finish().flatMap((p) => (p ? [[p.index, p] as const] : []))).values()];
    await source.encode(chosen, OPTS.screenshots);
    const wall = performance.now() - t;
    const s = source.stats;
    say(
      `long video: ${steps} steps -> ${s.runs} ffmpeg runs, ${s.decodedSeconds.toFixed(1)} s of ${seconds} s decoded (${s.decodedFrames} frames), ` +
        `${s.framesOut} frames scanned, ${chosen.length} keyframes; ${(wall / 1000).toFixed(2)} s wall, ffmpeg CPU ${(s.cpuMs / 1000).toFixed(2)} s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
