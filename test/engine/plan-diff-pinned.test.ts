import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const BASE = `name: pinned
sessions: { path: sessions/* }
models:
  m: { provider: fake, temperature: 0 }
stages:
  read: { uses: read-text }
  shout: { uses: transform, needs: read, with: { upper: true } }
  say:
    uses: template
    needs: shout
    model: m
    prompt: prompts/say.txt
    with: { partials: prompts/partials }
`;

function setup() {
  const ws = makeWorkspace(4);
  mkdirSync(join(ws.dir, 'prompts/partials'), { recursive: true });
  writeFileSync(join(ws.dir, 'prompts/say.txt'), 'Say: {{text}}\n');
  writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'Be calm.\nBe brief.\n');
  writeFileSync(join(ws.dir, 'a.yaml'), BASE);
  return ws;
}

/** The exact text of `plan` and `diff` for the four kinds of change people make most. */
describe('plan and diff output, pinned', () => {
  it('an options change', async () => {
    const ws = setup();
    await cli(['exec', 'a.yaml'], { cwd: ws.dir });
    writeFileSync(join(ws.dir, 'b.yaml'), BASE.replace('upper: true', 'upper: true, suffix: "!"'));
    expect((await cli(['plan', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "stage  items  cached  run  why
      read       4       4    0
      shout      4       0    4  options.suffix "" -> ! (4)
      say        4       0    4  upstream shout will run (4)
      estimate say: nothing (+4 sessions not estimated: an upstream stage runs first)

      8 stage results would be computed
      "
    `);
    expect((await cli(['diff', 'a.yaml', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "config (a.yaml → b.yaml):
        stages.shout.with.suffix: (unset) -> !

      prompt templates:
        no changes

      invalidates:
        stage                 cached sessions  why
        shout                          4 of 4  options.suffix "" -> !
        say    4 (if upstream output changes)  upstream shout changed
      "
    `);
  });

  it('a prompt text change in a partial', async () => {
    const ws = setup();
    await cli(['exec', 'a.yaml'], { cwd: ws.dir });
    mkdirSync(join(ws.dir, 'v2/partials'), { recursive: true });
    writeFileSync(join(ws.dir, 'v2/say.txt'), 'Say: {{text}}\n');
    writeFileSync(join(ws.dir, 'v2/partials/tone.txt'), 'Be calm.\nBe warm.\n');
    writeFileSync(join(ws.dir, 'b.yaml'), BASE.replace('prompts/say.txt', 'v2/say.txt').replace('partials: prompts/partials', 'partials: v2/partials'));
    expect((await cli(['diff', 'a.yaml', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "config (a.yaml → b.yaml):
        stages.say.prompt: prompts/say.txt -> v2/say.txt
        stages.say.with.partials: prompts/partials -> v2/partials

      prompt templates:
      ===================================================================
      --- a/prompts/partials/tone.txt	a.yaml
      +++ b/v2/partials/tone.txt	b.yaml
      @@ -1,2 +1,2 @@
       Be calm.
      -Be brief.
      +Be warm.

      invalidates:
        stage  cached sessions  why
        say             4 of 4  options.partials prompts/partials -> v2/partials; partial prompts/partials/tone.txt -> v2/partials/tone.txt (text changed); prompt prompts/say.txt -> v2/say.txt (same text)
      "
    `);
    writeFileSync(join(ws.dir, 'prompts/partials/tone.txt'), 'Be calm.\nBe warm.\n');
    expect((await cli(['plan', 'a.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "stage  items  cached  run  why
      read       4       4    0
      shout      4       4    0
      say        4       0    4  partial prompts/partials/tone.txt changed (4)
      estimate say: llm.calls ~4, llm.inputTokens ~24

      4 stage results would be computed
      "
    `);
  });

  it('a model temperature change', async () => {
    const ws = setup();
    await cli(['exec', 'a.yaml'], { cwd: ws.dir });
    writeFileSync(join(ws.dir, 'b.yaml'), BASE.replace('temperature: 0 }', 'temperature: 0.2 }'));
    expect((await cli(['plan', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "stage  items  cached  run  why
      read       4       4    0
      shout      4       4    0
      say        4       0    4  model m.temperature 0 -> 0.2 (4)
      estimate say: llm.calls ~4, llm.inputTokens ~24

      4 stage results would be computed
      "
    `);
    expect((await cli(['diff', 'a.yaml', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "config (a.yaml → b.yaml):
        models.m.temperature: 0 -> 0.2

      prompt templates:
        no changes

      invalidates:
        stage  cached sessions  why
        say             4 of 4  model m.temperature 0 -> 0.2
      "
    `);
  });

  it('a new stage', async () => {
    const ws = setup();
    await cli(['exec', 'a.yaml'], { cwd: ws.dir });
    writeFileSync(join(ws.dir, 'b.yaml'), `${BASE}  again: { uses: transform, needs: say, with: { suffix: "?" } }\n`);
    expect((await cli(['plan', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "stage  items  cached  run  why
      read       4       4    0
      shout      4       4    0
      say        4       4    0
      again      4       0    4  never run (4)

      4 stage results would be computed
      "
    `);
    expect((await cli(['diff', 'a.yaml', 'b.yaml'], { cwd: ws.dir })).out).toMatchInlineSnapshot(`
      "config (a.yaml → b.yaml):
        stages.again: (unset) -> {"uses":"transform","needs":"say","with":{"suffix":"?"}}

      prompt templates:
        no changes

      invalidates:
        stage  cached sessions  why
        again           0 of 0  new stage
      "
    `);
  });
});
