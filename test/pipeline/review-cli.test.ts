import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.ts';

/** `tracepipe review list|show|accept|fix|reject` from the command line, and what a rerun does with the decisions. */
const SESSIONS = ['send-lunch-thursday', 'reply-dana-offsite', 'search-offsite', 'delete-library-reminder'];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-review-cli-'));
  for (const d of ['pipelines', 'prompts']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
  for (const s of SESSIONS) cpSync(join(repoRoot, 'fixtures/sessions', s), join(dir, 'sessions', s), { recursive: true });
  return dir;
}

const datasetLines = (dir: string) =>
  ['dataset.jsonl', 'validation.jsonl'].flatMap((f) =>
    readFileSync(join(dir, 'out/gmail', f), 'utf8')
      .split('\n')
      .filter(Boolean),
  );

describe('tracepipe review', () => {
  it('lists flagged spans, and accept, fix and reject change the next run’s dataset without reclassifying', async () => {
    const dir = workspace();
    const args = ['pipelines/gmail.yaml', '--set', 'sessions.path=../sessions/*', '--set', 'stages.synthesize.thresholds.review=0.99'];
    const run = (extra: string[] = []) => cli(['exec', ...args, ...extra], { cwd: dir, builtin: true });
    expect((await run()).code).toBe(0);
    expect(datasetLines(dir)).toHaveLength(0);

    const list = JSON.parse((await cli(['review', 'list', '--json'], { cwd: dir, builtin: true })).out) as {
      queue: { exampleId: string; spanIndex: number; action: string }[];
    };
    expect(list.queue.map((q) => q.exampleId).sort()).toEqual([...SESSIONS].sort());
    const text = await cli(['review', 'list'], { cwd: dir, builtin: true });
    expect(text.out).toContain('4 spans to review');
    const show = await cli(['review', 'show', 'send-lunch-thursday'], { cwd: dir, builtin: true });
    expect(show.out).toContain('send_email');

    expect((await cli(['review', 'accept', 'send-lunch-thursday', '0'], { cwd: dir, builtin: true })).code).toBe(0);
    const fixed = await cli(['review', 'fix', 'search-offsite', '0', '--params', '{"query":"offsite agenda"}', '--note', 'the person meant the agenda'], {
      cwd: dir,
      builtin: true,
    });
    expect(fixed.code, fixed.err).toBe(0);
    expect((await cli(['review', 'reject', 'delete-library-reminder', '0'], { cwd: dir, builtin: true })).code).toBe(0);
    const badJson = await cli(['review', 'fix', 'reply-dana-offsite', '0', '--params', '{nope'], { cwd: dir, builtin: true });
    expect(badJson.code).toBe(2);
    expect(badJson.err).toContain('--params is not JSON');
    const unknown = await cli(['review', 'accept', 'no-such-example'], { cwd: dir, builtin: true });
    expect(unknown.code).toBe(2);
    // the CLI refuses what the API refuses, in the same words
    const noSpan = await cli(['review', 'accept', 'reply-dana-offsite', '7'], { cwd: dir, builtin: true });
    expect(noSpan.code).toBe(2);
    expect(noSpan.err).toContain('TP_INPUT example reply-dana-offsite has no span 7 (spans: 0)');
    const badAction = await cli(['review', 'fix', 'reply-dana-offsite', '0', '--action', 'reply_mail'], { cwd: dir, builtin: true });
    expect(badAction.code).toBe(2);
    expect(badAction.err).toContain('unknown action "reply_mail" (the suite has: send_email');
    const badParams = await cli(['review', 'fix', 'reply-dana-offsite', '0', '--params', '{"message_id": 7}'], { cwd: dir, builtin: true });
    expect(badParams.code).toBe(2);
    expect(badParams.err).toContain('parameters for reply_email:');
    const emptyFix = await cli(['review', 'fix', 'reply-dana-offsite', '0'], { cwd: dir, builtin: true });
    expect(emptyFix.code).toBe(2);
    expect(emptyFix.err).toMatch(/^TP_INPUT /);

    const rerun = await run(['--json']);
    const done = rerun.out
      .split('\n')
      .filter((l) => l.includes('"item:done"'))
      .map((l) => JSON.parse(l) as { stage: string; cacheHit: boolean });
    expect(done.filter((e) => e.stage === 'classify' && !e.cacheHit)).toHaveLength(0);
    expect(done.filter((e) => e.stage === 'synthesize' && !e.cacheHit)).toHaveLength(3);
    const lines = datasetLines(dir);
    expect(lines).toHaveLength(2);
    const text2 = lines.join('\n');
    expect(text2).toContain('offsite agenda');
    expect(text2).toContain('Lunch on Thursday');
    const called = lines.flatMap((l) =>
      (JSON.parse(l) as { messages: { tool_calls?: { function: { name: string } }[] }[] }).messages
        .flatMap((m) => m.tool_calls ?? [])
        .map((c) => c.function.name),
    );
    expect(called.sort()).toEqual(['gmail_search_messages', 'gmail_send_message']);
    const after = JSON.parse((await cli(['review', 'list', '--json'], { cwd: dir, builtin: true })).out) as { queue: { exampleId: string }[] };
    expect(after.queue.map((q) => q.exampleId)).toEqual(['reply-dana-offsite']);
  }, 60_000);
});
