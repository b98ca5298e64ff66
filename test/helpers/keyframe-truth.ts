import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../engine/hash.ts';
import { loadStage, LoadOptions, type LoadedSession } from '../../stages/load/index.ts';
import { normalizeStage, NormalizeOptions, regionDiff, signature } from '../../stages/normalize/index.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { mapContext } from './stage-context.ts';

/** The committed keyframe truth set (fixtures/README.md, "Keyframe truth set"). */
export const KEYFRAME_TRUTH_DIR = new URL('../../fixtures/keyframes/', import.meta.url).pathname;

/**
 * A keyframe matches its truth screenshot when their regionDiff is below this. Measured on the
 * set: a video frame and the screenshot of the same moment differ by <= 0.024 (compression,
 * the keyframe's WebP, the shot's 64-colour palette); the smallest real change between two
 * shots (one typed word in the search box) is 0.033.
 */
export const MATCH_THRESHOLD = 0.03;

export interface StepMatch {
  id: number;
  kind: string;
  t0: number;
  /** The screenshot taken right before this step's action, when the recorder took one. */
  truth?: { t: number; file: string };
  keyframeT?: number;
  /** regionDiff(keyframe, truth); `matched` = below MATCH_THRESHOLD. */
  diff?: number;
  matched: boolean;
  /** The truth shot of the step before with a shot differs from this one: a stale frame would fail here. */
  screenChanged: boolean;
}

export interface TruthResult {
  sessionId: string;
  steps: StepMatch[];
  /** Steps that have a truth screenshot. */
  judged: number;
  matched: number;
  videoFramesDecoded: number;
  videoDecodeMs: number;
  wallMs: number;
}

export function truthSessions(root = KEYFRAME_TRUTH_DIR): string[] {
  return readdirSync(root)
    .filter((n) => existsSync(join(root, n, 'truth.json')))
    .sort()
    .map((n) => join(root, n));
}

/**
 * Normalizes a truth session with the real load and normalize stages (keyframes from its
 * video.mp4) and compares each step's stored keyframe with the screenshot taken right before
 * its action: the last shot at or after the previous step's start and at or before this one's.
 * Steps with no shot of their own (a navigate or submit an action caused, a select made
 * through the page's API) are listed but not judged.
 */
export async function evaluateKeyframeTruth(dir: string, options: unknown = {}): Promise<TruthResult> {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { shots: { t: number; file: string }[] };
  const started = performance.now();
  // The real load and normalize stages, as the engine runs them (a native session needs no cache folder).
  const item = { id: dir, path: dir, fingerprint: sha256(dir) };
  const loaded = (await loadStage.run(mapContext({ options: LoadOptions.parse({}), item, pipeline: { cacheDir: '/nonexistent' } }))) as LoadedSession;
  const ctx = mapContext({
    options: NormalizeOptions.parse(options),
    item,
    upstream: { session: loaded },
    node: { id: 'normalize', uses: 'normalize', needs: ['load'] },
  });
  const timeline = (await normalizeStage.run(ctx)) as Timeline;
  const wallMs = performance.now() - started;
  const truthSig = new Map<string, Uint8Array>();
  for (const s of truth.shots) truthSig.set(s.file, await signature(join(dir, 'truth', s.file)));
  const steps: StepMatch[] = [];
  let prevT0 = -Infinity;
  let prevShot: string | undefined;
  for (const step of timeline.steps) {
    const shot = truth.shots.filter((s) => s.t <= step.t0 && s.t >= prevT0).at(-1);
    prevT0 = step.t0;
    const row: StepMatch = { id: step.id, kind: step.kind, t0: step.t0, matched: false, screenChanged: false };
    if (shot) {
      row.truth = { t: shot.t, file: shot.file };
      row.screenChanged = prevShot !== undefined && regionDiff(truthSig.get(prevShot)!, truthSig.get(shot.file)!) >= MATCH_THRESHOLD;
      prevShot = shot.file;
      const kf = step.keyframe;
      if (kf) {
        row.keyframeT = kf.t;
        const stored = ctx.artifacts.get(kf.artifact)!;
        row.diff = regionDiff(await signature(Buffer.from(stored.data)), truthSig.get(shot.file)!);
        row.matched = row.diff < MATCH_THRESHOLD;
      }
    }
    steps.push(row);
  }
  const judged = steps.filter((s) => s.truth);
  return {
    sessionId: timeline.sessionId,
    steps,
    judged: judged.length,
    matched: judged.filter((s) => s.matched).length,
    videoFramesDecoded: ctx.metricTotals.videoFramesDecoded ?? 0,
    videoDecodeMs: ctx.metricTotals.videoDecodeMs ?? 0,
    wallMs,
  };
}
