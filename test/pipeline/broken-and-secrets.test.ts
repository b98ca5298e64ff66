import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engine/cache/sqlite.ts';
import { PLANTED_SECRET_VALUES } from '../../fixtures/broken/secrets.ts';
import { cli, repoRoot } from '../helpers/cli.ts';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const BROKEN: Record<string, RegExp> = {
  'truncated-jsonl': /input_events\.jsonl:\d+/,
  'png-is-text': /screenshots\/.*png/,
  'clock-backwards': /input_events\.jsonl:4 field "t"/,
  'path-traversal': /\.\.\/\.\.\/etc\/passwd|escapes|outside/,
  'missing-session-json': /session\.json/,
  'invalid-field-type': /session\.json.*viewport\.width|viewport\.width/,
};

describe('the gmail pipeline over broken sessions, secrets and good ones', () => {
  it('fails each broken session alone with file, line and field; the rest succeed; no secret reaches the cache, the logs or the outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-broken-'));
    for (const d of ['pipelines', 'prompts']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
    const sessions = join(dir, 'sessions');
    for (const name of [...Object.keys(BROKEN), 'secrets', 'prompt-injection'])
      cpSync(join(repoRoot, 'fixtures/broken', name), join(sessions, name), { recursive: true });
    for (const name of ['send-lunch-thursday', 'reply-dana-offsite', 'search-offsite'])
      cpSync(join(repoRoot, 'fixtures/sessions', name), join(sessions, name), { recursive: true });

    const r = await cli(['exec', 'pipelines/gmail.yaml', '--set', 'sessions.path=../sessions/*'], { cwd: dir, builtin: true, env: {} });
    expect(r.code).toBe(1);
    const status = JSON.parse((await cli(['status', '--json'], { cwd: dir, builtin: true })).out) as {
      failures: { stageId: string; item: string; error: { code: string; message: string; location?: { file: string; line?: number; field?: string } } }[];
      stages: { stage: string; ran: number; failed: number; skipped: number }[];
    };
    const failed = new Map(status.failures.map((f) => [f.item, f]));
    expect([...failed.keys()].sort()).toEqual(Object.keys(BROKEN).sort());
    for (const [name, pattern] of Object.entries(BROKEN)) {
      const f = failed.get(name)!;
      expect(f.stageId).toBe('load');
      expect(f.error.code).toBe('TP_INPUT');
      expect(`${f.error.message} ${JSON.stringify(f.error.location ?? {})}`, name).toMatch(pattern);
      expect(f.error.location?.file, name).toBeTruthy();
      expect(r.err).toContain(`✗ load ${name}: TP_INPUT`);
    }
    // the 5 sessions that are fine go all the way through
    expect(status.stages.find((s) => s.stage === 'write')).toMatchObject({ ran: 5, failed: 0, skipped: 6 });

    const haystacks: [string, Buffer][] = [
      ['stdout', Buffer.from(r.out)],
      ['stderr', Buffer.from(r.err)],
    ];
    for (const file of [...filesUnder(join(dir, '.tracepipe')), ...filesUnder(join(dir, 'out'))])
      if (statSync(file).isFile()) haystacks.push([file, readFileSync(file)]);
    expect(haystacks.some(([f]) => f.endsWith('cache.db'))).toBe(true);
    for (const [where, bytes] of haystacks) {
      for (const secret of [...PLANTED_SECRET_VALUES, 'tp-secret-']) expect(bytes.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
    // the secrets session itself produced an example
    expect(readdirSync(join(dir, 'out/gmail/examples'))).toContain('secrets');
    const store = new SqliteStore(join(dir, '.tracepipe/cache.db'));
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  }, 60_000);
});
