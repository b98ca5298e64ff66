import { TracepipeError } from '../../engine/errors.ts';
import { defineStage, type MapContext } from '../../engine/stage.ts';
import { openLoaded, type OpenedSession } from '../../domain/session/loaded.ts';
import type { Consumes } from '../../domain/roles.ts';
import { readEventBatches } from '../../domain/session/read.ts';
import type { Step, Timeline } from '../../domain/session/timeline.ts';
import { attachKeyframes } from './keyframes.ts';
import { sessionFrames } from './frames.ts';
import { attachNetwork, loadNetwork } from './network.ts';
import { redactSteps } from './redact.ts';
import { NormalizeOptions } from './options.ts';
import { StepReducer, type DraftStep } from './reduce.ts';

/** The normalize stage: a loaded session's raw events, network and frames → a Timeline (DESIGN §3). */
export const normalizeStage = defineStage<NormalizeOptions, Consumes<'session'>, Timeline>({
  name: 'normalize',
  kind: 'map',
  version: '3',
  description: 'Reduces raw input events to numbered steps, attaches redacted network requests and keyframes.',
  options: NormalizeOptions,
  consumes: ['session'],
  produces: 'timeline',
  async run(ctx) {
    const session = openLoaded(ctx.source, ctx.upstream.session.output);
    return normalizeSession(session, ctx.options, ctx);
  },
});

type Services = Pick<MapContext<unknown>, 'artifacts' | 'metrics' | 'signal' | 'env'>;

/** Builds the timeline of one loaded session, opened through `ctx.source`; events are streamed from disk again. */
export async function normalizeSession(session: OpenedSession, opts: NormalizeOptions, ctx: Services): Promise<Timeline> {
  const { meta } = session;
  const reducer = new StepReducer(opts);
  for await (const batch of readEventBatches(session.dir)) {
    for (const ev of batch) reducer.push(ev);
    if (ctx.signal.aborted) throw new TracepipeError('TP_ABORTED', 'normalize was interrupted');
  }
  const drafts = reducer.finish();
  redactSteps(drafts);
  const preamble = session.hasNetwork ? attachNetwork(drafts, await loadNetwork(session.dir, opts.network, Date.parse(meta.startedAt), ctx.signal)) : [];
  let images = 0;
  if (opts.screenshots.enabled && drafts.length > 0) {
    const { frames, release } = await sessionFrames(
      session,
      drafts.map((d) => d.t0),
      opts,
      ctx.env,
    );
    try {
      images = await attachKeyframes(drafts, frames, opts.screenshots, ctx.artifacts);
      ctx.metrics.add('videoFramesDecoded', frames.stats.decodedFrames);
      ctx.metrics.add('videoDecodeMs', Math.round(frames.stats.wallMs));
    } finally {
      await release();
    }
  }
  ctx.metrics.add('events', reducer.counts.events);
  ctx.metrics.add('duplicateEvents', reducer.counts.duplicates);
  ctx.metrics.add('steps', drafts.length);
  ctx.metrics.add('keyframes', images);
  return {
    sessionId: meta.id,
    suite: meta.suite,
    ...(meta.app === undefined ? {} : { app: meta.app }),
    ...(meta.description === undefined ? {} : { description: meta.description }),
    ...(meta.viewport === undefined ? {} : { viewport: meta.viewport }),
    ...(meta.labels === undefined ? {} : { labels: meta.labels }),
    steps: drafts.map((d, i) => numberStep(d, i + 1, meta.viewport)),
    preamble,
  };
}

const norm = (v: number, size: number) => Math.round(Math.min(1, Math.max(0, v / size)) * 10000) / 10000;

function numberStep(d: DraftStep, id: number, viewport: { width: number; height: number } | undefined): Step {
  const { kind, t0, t1, x, y, ...rest } = d;
  const at = x === undefined || y === undefined ? {} : { x, y, ...(viewport ? { xNorm: norm(x, viewport.width), yNorm: norm(y, viewport.height) } : {}) };
  return { id, kind, t0, t1, ...at, ...rest };
}
