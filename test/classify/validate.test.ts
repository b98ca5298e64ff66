import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.ts';

// `tracepipe validate` on pipelines/gmail.yaml: a reasoning model with the file's temperature is refused before anything is paid.
describe('validate refuses sampling parameters for a reasoning model', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-validate-'));
    for (const d of ['pipelines', 'prompts']) cpSync(join(repoRoot, d), join(dir, d), { recursive: true });
    process.env.OPENROUTER_API_KEY = 'sk-or-test';
  });
  afterAll(() => void delete process.env.OPENROUTER_API_KEY);

  it('names the model and the field, at the classify node, with exit 2', async () => {
    const env = { OPENROUTER_API_KEY: 'sk-or-test', PATH: process.env.PATH };
    const ok = await cli(['validate', 'pipelines/gmail.yaml', '--variant', 'small'], { cwd: dir, env, builtin: true });
    expect(ok.code).toBe(0);
    const r = await cli(['validate', 'pipelines/gmail.yaml', '--variant', 'small', '--set', 'models.small.model=openai/o4-mini'], {
      cwd: dir,
      env,
      builtin: true,
    });
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(
      /^pipelines\/gmail\.yaml:\d+:\d+ model "small" \(openai\/o4-mini\) is a reasoning model \(o4-mini family\), which refuses sampling parameters, but temperature is configured$/m,
    );
    expect(r.out + r.err).toContain('hint: Remove them: the request then carries none, and the model samples at its fixed default.');
  });
});
