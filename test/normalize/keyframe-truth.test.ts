import { describe, expect, it } from 'vitest';
import { evaluateKeyframeTruth, truthSessions, type TruthResult } from '../helpers/keyframe-truth.ts';

// The committed truth set (fixtures/keyframes/): real Chromium recordings made by the fixture
// recorder (five mail-app tasks and a desktop-like page with a context menu, a tooltip and a
// panel), with the page video and a screenshot right before every action.
describe('keyframes from video against the recorded truth set', () => {
  it('every judged step gets the screen its action acted on, never a frame from after it', async () => {
    const results: TruthResult[] = [];
    for (const dir of truthSessions()) results.push(await evaluateKeyframeTruth(dir));
    expect(results.map((r) => r.sessionId)).toEqual([
      'desktop-menu-tooltip-panel',
      'label-then-archive-flight',
      'reply-ben-after-scrolling',
      'search-star-delete',
      'search-then-forward-recipe',
      'send-trip-with-cc',
    ]);
    const judged = results.flatMap((r) => r.steps.filter((s) => s.truth));
    expect(judged).toHaveLength(46);
    // The set discriminates: for most steps the screen changed since the step before, so a
    // stale frame (the old global-mean chooser matched 5 of these 46) would fail.
    expect(judged.filter((s) => s.screenChanged)).toHaveLength(40);
    expect(judged.filter((s) => !s.matched).map((s) => `${s.id} ${s.kind} diff ${s.diff}`)).toEqual([]);
    for (const s of judged) expect(s.keyframeT).toBeLessThanOrEqual(s.t0);
    // Decoding cost, pinned: frames decoded per session (the scan up to the last step, plus the chosen frames again).
    expect(results.map((r) => r.videoFramesDecoded)).toEqual([71, 76, 150, 114, 236, 256]);
  }, 60_000);
});
