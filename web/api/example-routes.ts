import type { Store } from '../../engine/cache/types.ts';
import type { Timeline } from '../../domain/session/timeline.ts';
import { notFound } from './errors.ts';
import { findExample, itemOutput } from './outputs.ts';
import type { ExampleResponse, KeyframeView } from './responses.ts';
import { defineRoute } from './route.ts';
import { requireRun } from './run-routes.ts';
import { ArtifactParams, EmptyQuery, ExampleParams, RunChoiceQuery } from './schemas.ts';

/** Media types served as they are; anything else (JSON outputs, SVG, HTML) is not served from this origin. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);

export const getExampleRoute = defineRoute({
  method: 'get',
  path: '/api/examples/:id',
  summary: "One example: its messages and provenance, the session's timeline from the same run, and keyframe URLs",
  params: ExampleParams,
  query: RunChoiceQuery,
  responses: { 200: '{runId, item, example, messages, provenance, timeline, keyframes: [{step, t, url}]}', 404: 'no such run or example' },
  handle: (c, { params, query }, { store, memo }) => {
    const { run, example, item } = findExample(store, params.id, query.run === undefined ? undefined : requireRun(store, query.run), memo.examples);
    const timeline = (itemOutput(store, run, 'normalize', item) as Timeline | undefined) ?? null;
    const keyframes = (timeline?.steps ?? []).flatMap((s): KeyframeView[] =>
      s.keyframe
        ? [
            {
              step: s.id,
              t: s.keyframe.t,
              url: `/api/artifacts/${s.keyframe.artifact}`,
              mediaType: s.keyframe.mediaType,
              width: s.keyframe.width,
              height: s.keyframe.height,
            },
          ]
        : [],
    );
    return c.json({ runId: run.id, item, example, messages: example.messages, provenance: example.provenance, timeline, keyframes } satisfies ExampleResponse);
  },
});

export const getArtifactRoute = defineRoute({
  method: 'get',
  path: '/api/artifacts/:hash',
  summary: 'A keyframe image by its content hash',
  params: ArtifactParams,
  query: EmptyQuery,
  responses: { 200: { description: 'the image bytes', mediaType: 'image/*' }, 404: 'no such image' },
  handle: (c, { params }, { store }) => {
    const artifact = imageArtifact(store, params.hash);
    return c.body(artifact.data, 200, {
      'Content-Type': artifact.mediaType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  },
});

function imageArtifact(store: Store, hash: string): { data: Uint8Array<ArrayBuffer>; mediaType: string } {
  const a = store.getArtifact(hash);
  if (a === undefined || !IMAGE_TYPES.has(a.mediaType)) throw notFound(`no image artifact ${hash}`);
  return { data: new Uint8Array(a.data), mediaType: a.mediaType };
}
