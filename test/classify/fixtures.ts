import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timeline } from '../../domain/session/timeline.ts';
import { mapContext } from '../helpers/stage-context.ts';

export const FIXTURE_SESSIONS = fileURLToPath(new URL('../../fixtures/sessions', import.meta.url));
export const PROMPT_INJECTION_SESSION = fileURLToPath(new URL('../../fixtures/broken/prompt-injection', import.meta.url));

export function fixtureSessionIds(): string[] {
  if (!existsSync(FIXTURE_SESSIONS)) return [];
  return readdirSync(FIXTURE_SESSIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FIXTURE_SESSIONS, d.name, 'session.json')))
    .map((d) => d.name)
    .sort();
}

/** Loads and normalizes one recorded fixture session with the real load and normalize stages (no screenshots). */
export async function fixtureTimeline(id: string, dir = join(FIXTURE_SESSIONS, id)): Promise<Timeline> {
  const { loadStage, LoadOptions } = await import('../../stages/load/index.ts');
  const { normalizeStage, NormalizeOptions } = await import('../../stages/normalize/index.ts');
  const item = { id, path: dir, fingerprint: id };
  const loaded = await loadStage.run(mapContext({ options: LoadOptions.parse({}), item }));
  const options = NormalizeOptions.parse({ network: { include: ['**/api/**'] }, screenshots: { enabled: false } });
  return (await normalizeStage.run(mapContext({ options, item, upstream: { session: loaded } }))) as Timeline;
}
