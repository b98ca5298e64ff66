import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyStage, ClassifyOptions, scoreSpans } from '../../stages/classify/index.ts';
import type { Classification } from '../../stages/session/classification.ts';
import { mapContext, diskFiles } from '../helpers/stage-context.ts';
import { fixtureSessionIds, fixtureTimeline } from './fixtures.ts';
import { SUITE } from './helpers.ts';

const ids = fixtureSessionIds();
const haveStages = ['../../stages/load/index.ts', '../../stages/normalize/index.ts'].every((p) => existsSync(fileURLToPath(new URL(p, import.meta.url))));

describe.skipIf(ids.length === 0 || !haveStages)('the rules provider on the recorded fixtures (fixtures/sessions, real load + normalize)', () => {
  it(`scores F1 >= 0.95 against the labels of all ${ids.length} sessions, with exact parameters`, async () => {
    const predicted: Classification['spans'] = [];
    const labels: { action: string; parameters: Record<string, unknown> }[] = [];
    const misses: string[] = [];
    for (const id of ids) {
      const timeline = await fixtureTimeline(id);
      const ctx = mapContext({
        options: ClassifyOptions.parse({}),
        item: { id },
        inputs: { normalize: timeline },
        node: { id: 'classify', uses: 'classify', needs: ['normalize'], model: { name: 'rules', config: { provider: 'rules' } } },
        pipeline: { suite: SUITE },
      });
      ctx.files = diskFiles([SUITE]);
      const out = (await classifyStage.run(ctx)) as Classification;
      // the labels straight from session.json, not through normalize
      const gold = (JSON.parse(readFileSync(`${fixturePath(id)}/session.json`, 'utf8')) as { labels?: typeof labels }).labels ?? [];
      const s = scoreSpans(out.spans, gold);
      if (s.exact.f1 < 1) misses.push(`${id}: predicted ${JSON.stringify(out.spans.map((x) => [x.action, x.parameters]))} labels ${JSON.stringify(gold.map((x: { action: string; parameters: unknown }) => [x.action, x.parameters]))}`);
      predicted.push(...out.spans);
      labels.push(...gold);
    }
    const score = scoreSpans(predicted, labels);
    expect(labels.length).toBeGreaterThan(0);
    expect(score.f1, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(score.exact.f1, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});

function fixturePath(id: string) {
  return fileURLToPath(new URL(`../../fixtures/sessions/${id}`, import.meta.url));
}
