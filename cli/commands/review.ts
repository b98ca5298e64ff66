import { inputError } from '../../engine/errors.ts';
import { formatReviewEntry, formatReviewQueue, reviewQueue, type ReviewDecision } from '../../domain/review/index.ts';
import { recordReviewDecision } from '../../app/review-decision.ts';
import { synthesizedExamples } from '../../app/run-examples.ts';
import { EXIT, type Io } from '../io.ts';
import { openRun } from '../run-ref.ts';

interface ReviewArgs {
  run?: string;
  cache?: string;
  json?: boolean;
}

/** `tracepipe review list|show|accept|fix|reject`: the low-confidence queue of a run (default: the latest). */
export function reviewCommand(
  io: Io,
  action: string,
  exampleId: string | undefined,
  span: string | undefined,
  args: ReviewArgs & { action?: string; params?: string; note?: string; reviewer?: string },
): number {
  // Deciding writes to an existing cache; with no cache there is no run to review, and none is created.
  const { store, run } = openRun(io, args.cache, args.run);
  try {
    const loaded = { runId: run.id, examples: synthesizedExamples(store, run) };
    const queue = reviewQueue(loaded.examples);
    if (action === 'list') {
      if (args.json) io.out(JSON.stringify({ runId: loaded.runId, queue }, null, 2));
      else
        io.out(
          queue.length === 0
            ? `nothing to review in run ${loaded.runId}`
            : `run ${loaded.runId}: ${queue.length} span${queue.length === 1 ? '' : 's'} to review\n${formatReviewQueue(queue)}`,
        );
      return EXIT.ok;
    }
    if (exampleId === undefined) throw inputError(`tracepipe review ${action} needs an example id (see \`tracepipe review list\`)`);
    const example = loaded.examples.find((e) => e.id === exampleId || e.sessionId === exampleId);
    if (example === undefined) throw inputError(`no example ${exampleId} in run ${loaded.runId}`);
    const entries = queue.filter((q) => q.exampleId === example.id);
    if (action === 'show') {
      if (args.json) io.out(JSON.stringify({ example, queue: entries }, null, 2));
      else
        io.out(
          entries.length === 0
            ? `example ${example.id} has no spans waiting for review (status ${example.status})`
            : entries.map((e) => formatReviewEntry(e, example)).join('\n\n'),
        );
      return EXIT.ok;
    }
    const index = span === undefined ? entries[0]?.spanIndex : Number(span);
    if (index === undefined || !Number.isInteger(index))
      throw inputError(`say which span of ${example.id} to ${action}: tracepipe review ${action} ${example.id} <span>`);
    const decision: ReviewDecision = { span: index, decision: action as ReviewDecision['decision'] };
    if (action === 'fix') {
      if (args.action) decision.action = args.action;
      if (args.params) {
        try {
          decision.parameters = JSON.parse(args.params);
        } catch {
          throw inputError(`--params is not JSON: ${args.params}`);
        }
      }
    }
    if (args.note) decision.note = args.note;
    if (args.reviewer) decision.reviewer = args.reviewer;
    recordReviewDecision(store, run, example, decision);
    io.out(`${action} recorded for ${example.id} span ${index}; run \`tracepipe exec\` again to rebuild the examples (classification is reused).`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
