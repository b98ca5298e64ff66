import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCause, pipelineCauseRoots } from '../../engine/error-cause.ts';
import { INTERNAL_HINT, inputError, toErrorInfo, TracepipeError } from '../../engine/errors.ts';
import { repoRoot } from '../helpers/cli.ts';

const PIPELINE_DIR = '/home/ana/project/pipelines';
const CACHE_DIR = '/home/ana/project/.tracepipe';
const roots = pipelineCauseRoots({ dir: PIPELINE_DIR, cacheDir: CACHE_DIR });
const ours = join(repoRoot, 'engine/run/runner.ts');

/** An error with a stack as V8 writes it, frames given. */
function thrown(name: string, message: string, frames: string[], extra: Record<string, unknown> = {}): Error {
  const err = Object.assign(new Error(message), extra);
  err.name = name;
  err.stack = [`${name}: ${message}`, ...frames.map((f) => `    at ${f}`)].join('\n');
  return err;
}

describe('describeCause', () => {
  it("keeps the first frames in the pipeline's modules and tracepipe's code, by short names, without the loader's query", () => {
    const err = thrown('Error', `cannot read ${CACHE_DIR}/imports/ab12/session.json`, [
      'Array.map (<anonymous>)',
      `parse (${pathToFileURL(join(repoRoot, 'node_modules/zod/v4/core/parse.js')).href}:12:3)`,
      `explode (${pathToFileURL(join(PIPELINE_DIR, 'stages/boom.ts')).href}?tsx-namespace=tracepipe-stage-1b2c:5:9)`,
      `${pathToFileURL(join(PIPELINE_DIR, 'stages/boom.ts')).href}?tsx-namespace=tracepipe-stage-1b2c:13:17`,
      'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `RunExecution.#invoke (${ours}:316:20)`,
      `RunExecution.#handleRun (${ours}:260:30)`,
    ]);
    expect(describeCause(err, roots)).toBe(
      [
        'Error: cannot read <cache>/imports/ab12/session.json',
        '  at explode (stages/boom.ts:5:9)',
        '  at stages/boom.ts:13:17',
        '  at RunExecution.#invoke (tracepipe/engine/run/runner.ts:316:20)',
      ].join('\n'),
    );
  });

  it("names the error's code, follows its cause, and masks secrets", () => {
    const inner = thrown('Error', 'connect ECONNREFUSED 127.0.0.1:443', [], { code: 'ECONNREFUSED' });
    const outer = thrown('TypeError', 'fetch failed for https://user:hunter2secret@example.com/v1', [`post (${ours}:9:1)`], { cause: inner });
    expect(describeCause(outer, roots)).toBe(
      [
        'TypeError: fetch failed for https://user:[REDACTED]@example.com/v1',
        '  at post (tracepipe/engine/run/runner.ts:9:1)',
        'caused by: Error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:443',
      ].join('\n'),
    );
  });

  it('a TracepipeError cause is its code and message; a thrown non-Error says what it was', () => {
    expect(describeCause(inputError(`${PIPELINE_DIR}/sessions/s1: no events`), roots)).toBe('TP_INPUT sessions/s1: no events');
    expect(describeCause(42, roots)).toBe('a thrown number 42, not an Error');
    expect(describeCause(null, roots)).toBe('a thrown null, not an Error');
  });

  it('cuts a huge message after masking it, so no half token is left', () => {
    const key = `sk-proj-${'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9'}`;
    const message = `${'x'.repeat(1900)} ${key} ${'y'.repeat(5000)}`;
    const cause = describeCause(new Error(message), roots).split('\n')[0]!;
    expect(cause).not.toContain('sk-proj');
    // 1900 + ' [REDACTED] ' (12) + 88 = the 2000 characters kept, of 6912.
    expect(cause).toBe(`Error: ${'x'.repeat(1900)} [REDACTED] ${'y'.repeat(88)}… (4912 more characters)`);
  });
});

describe('toErrorInfo', () => {
  it('turns a plain throw at a stage boundary into TP_STAGE whose hint points at the cause it keeps', () => {
    const err = thrown('RangeError', `bad offset in ${PIPELINE_DIR}/data.bin`, [`read (${join(PIPELINE_DIR, 'stages/read.ts')}:3:7)`]);
    expect(toErrorInfo(err, 'TP_STAGE', roots)).toEqual({
      code: 'TP_STAGE',
      message: 'bad offset in data.bin',
      hint: 'The stage threw an unexpected error; see the cause.',
      cause: 'RangeError: bad offset in data.bin\n  at read (stages/read.ts:3:7)',
    });
  });

  it('a TP_INTERNAL tracepipe throws itself has where it was thrown as its cause, and the bug hint', () => {
    const info = toErrorInfo(new TracepipeError('TP_INTERNAL', 'stage all is an aggregate, given one item'), 'TP_STAGE', roots);
    expect(info).toEqual({
      code: 'TP_INTERNAL',
      message: 'stage all is an aggregate, given one item',
      hint: INTERNAL_HINT,
      cause: expect.stringMatching(
        /^TP_INTERNAL stage all is an aggregate, given one item\n {2}at (.+ \()?tracepipe\/test\/engine\/error-cause\.test\.ts:\d+:\d+\)?(\n|$)/,
      ),
    });
  });
});
