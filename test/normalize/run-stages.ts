import { sha256 } from '../../engine/hash.ts';
import { loadStage, LoadOptions, type LoadedSession } from '../../stages/load/index.ts';
import { normalizeStage, NormalizeOptions } from '../../stages/normalize/index.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { mapContext } from '../helpers/stage-context.ts';
import { tempDir, writeSession, type SessionSpec } from '../load/fixture.ts';

/**
 * Runs the real load and normalize stages on one recording (a session folder or a file of any
 * format), like the engine would: both share the cache folder load imports into.
 */
export async function loadAndNormalize(dir: string, options: unknown = {}, where: { cacheDir?: string; id?: string } = {}) {
  const item = { id: where.id ?? 'item', path: dir, fingerprint: sha256(dir) };
  const cacheDir = where.cacheDir ?? tempDir('tracepipe-cache-');
  const loadCtx = mapContext({ options: LoadOptions.parse({}), item, pipeline: { cacheDir } });
  const loaded = (await loadStage.run(loadCtx)) as LoadedSession;
  const ctx = mapContext({
    options: NormalizeOptions.parse(options),
    item,
    upstream: { session: loaded },
    node: { id: 'normalize', uses: 'normalize', needs: ['load'] },
    pipeline: { cacheDir },
  });
  const timeline = (await normalizeStage.run(ctx)) as Timeline;
  return { loaded, timeline, ctx };
}

/** Writes a session with these events (plus the spec's extras) and normalizes it. */
export async function timelineOf(events: SessionSpec['events'], options: unknown = {}, spec: Omit<SessionSpec, 'events'> = {}) {
  const dir = writeSession(tempDir(), 's1', { ...spec, events });
  return (await loadAndNormalize(dir, options)).timeline;
}

/** The steps reduced to what the rule tests compare. */
export const brief = (t: Timeline) =>
  t.steps.map((s) => ({ kind: s.kind, ...(s.text === undefined ? {} : { text: s.text }), ...(s.keys === undefined ? {} : { keys: s.keys }) }));
