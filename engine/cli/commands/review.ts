import { SqliteStore } from '../../cache/sqlite.ts';
import type { Store } from '../../cache/types.ts';
import { formatReviewEntry, formatReviewQueue, reviewPayload, reviewQueue, REVIEW_KIND, type ReviewDecision } from '../../../stages/review/index.ts';
import type { Example } from '../../../stages/synthesize/index.ts';
import { EXIT, cacheFile, type Io } from '../io.ts';
import { synthesizedExamples } from './compare.ts';

interface ReviewArgs {
  run?: string;
  cache?: string;
  json?: boolean;
}

function examplesOf(store: SqliteStore, runId: string | undefined): { runId: string; examples: Example[] } | null {
  const id = runId ?? store.listRuns(1)[0]?.id;
  if (id === undefined) return null;
  return { runId: id, examples: synthesizedExamples(store, id) };
}

/**
 * Stores a review decision on the classification the example was built from (its review
 * subject), where the next `tracepipe exec` picks it up; returns the decision as stored.
 * Throws when the decision is malformed (see `reviewPayload`). Shared by the CLI and the HTTP API.
 */
export function recordReviewDecision(store: Store, example: Example, decision: ReviewDecision): ReviewDecision {
  const payload = reviewPayload(decision);
  store.addAnnotation({ subjectKey: example.provenance.reviewSubject.key, kind: REVIEW_KIND, payload, createdAt: new Date().toISOString() });
  return payload;
}

/** `tracepipe review list|show|accept|fix|reject`: the low-confidence queue of a run (default: the latest). */
export function reviewCommand(io: Io, action: string, exampleId: string | undefined, span: string | undefined, args: ReviewArgs & { action?: string; params?: string; note?: string; reviewer?: string }): number {
  const store = new SqliteStore(cacheFile(io, args.cache));
  try {
    const loaded = examplesOf(store, args.run);
    if (loaded === null) {
      io.err(`no runs yet in ${store.file}`);
      return EXIT.badInput;
    }
    const queue = reviewQueue(loaded.examples);
    if (action === 'list') {
      if (args.json) io.out(JSON.stringify({ runId: loaded.runId, queue }, null, 2));
      else io.out(queue.length === 0 ? `nothing to review in run ${loaded.runId}` : `run ${loaded.runId}: ${queue.length} span${queue.length === 1 ? '' : 's'} to review\n${formatReviewQueue(queue)}`);
      return EXIT.ok;
    }
    if (exampleId === undefined) {
      io.err(`tracepipe review ${action} needs an example id (see \`tracepipe review list\`)`);
      return EXIT.badInput;
    }
    const example = loaded.examples.find((e) => e.id === exampleId || e.sessionId === exampleId);
    if (example === undefined) {
      io.err(`no example ${exampleId} in run ${loaded.runId}`);
      return EXIT.badInput;
    }
    const entries = queue.filter((q) => q.exampleId === example.id);
    if (action === 'show') {
      if (args.json) io.out(JSON.stringify({ example, queue: entries }, null, 2));
      else io.out(entries.length === 0 ? `example ${example.id} has no spans waiting for review (status ${example.status})` : entries.map((e) => formatReviewEntry(e, example)).join('\n\n'));
      return EXIT.ok;
    }
    const index = span === undefined ? entries[0]?.spanIndex : Number(span);
    if (index === undefined || !Number.isInteger(index)) {
      io.err(`say which span of ${example.id} to ${action}: tracepipe review ${action} ${example.id} <span>`);
      return EXIT.badInput;
    }
    const decision: ReviewDecision = { span: index, decision: action as ReviewDecision['decision'] };
    if (action === 'fix') {
      if (args.action) decision.action = args.action;
      if (args.params) {
        try {
          decision.parameters = JSON.parse(args.params);
        } catch {
          io.err(`--params is not JSON: ${args.params}`);
          return EXIT.badInput;
        }
      }
    }
    if (args.note) decision.note = args.note;
    if (args.reviewer) decision.reviewer = args.reviewer;
    recordReviewDecision(store, example, decision);
    io.out(`${action} recorded for ${example.id} span ${index}; run \`tracepipe exec\` again to rebuild the examples (classification is reused).`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
