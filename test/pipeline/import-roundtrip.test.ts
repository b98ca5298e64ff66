import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.ts';

/**
 * `tracepipe import` round-trips: the timeline of a recording read directly equals
 * the timeline of the native session `import` wrote for it.
 */
const SAMPLES = [
  'fixtures/formats/real/rrweb/rrweb_form_interactions.json',
  'fixtures/formats/real/playwright/trace-1.31.zip',
  'fixtures/formats/real/playwright/test-trace1.zip',
  'fixtures/formats/real/playwright/har-redirect.har',
  'fixtures/formats/real/chrome-recorder/benchmark.json',
  'fixtures/formats/real/clones-desktop/20250817_232256',
  'fixtures/formats/extension/compose-email',
  'fixtures/formats/opencua/episode-0001',
];

const timelineOf = async (path: string, cwd: string) => {
  const r = await cli(['inspect', path, '--json'], { cwd, builtin: true });
  expect(r.err, path).toBe('');
  const { sessionId: _id, ...timeline } = JSON.parse(r.out);
  return timeline;
};

describe('tracepipe import round-trips', () => {
  it.each(SAMPLES)('%s', async (sample) => {
    const out = mkdtempSync(join(tmpdir(), 'tp-import-'));
    const imported = await cli(['import', sample, '--out', out, '--json'], { cwd: repoRoot, builtin: true });
    expect(imported.code, imported.err).toBe(0);
    const { sessions } = JSON.parse(imported.out) as { sessions: string[] };
    expect(sessions).toHaveLength(1);
    expect(readdirSync(join(out, sessions[0]!))).toContain('session.json');
    const direct = await timelineOf(sample, repoRoot);
    const viaNative = await timelineOf(join(out, sessions[0]!), repoRoot);
    expect(direct.steps.length).toBeGreaterThan(0);
    expect(viaNative).toEqual(direct);
  });
});
