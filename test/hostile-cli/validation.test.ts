import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect } from 'vitest';
import { bounded, editedPipeline, mailWorkspace, tracepipe } from './workspace.ts';

/** Problems that used to pass `validate` and then fail every item, or crash it: each is one located exit-2 error now. */
describe('validate refuses what would fail at run time', () => {
  let dir: string;
  beforeEach(() => {
    dir = mailWorkspace(1);
  });
  // The classify check reads the key from the environment the CLI was given.
  const LLM = { OPENROUTER_API_KEY: 'sk-test' };

  bounded('an unknown helper in a classify partial is an error at the prompt line', 4000, async () => {
    appendFileSync(join(dir, 'prompts/partials/step.hbs'), '{{shout kind}}\n');
    const r = await tracepipe(dir, ['validate', 'pipelines/gmail.yaml', '--variant', 'small'], LLM);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`variant small:
pipelines/gmail.yaml:59:13 prompt template ../prompts/partials/step.hbs:5:1: unknown helper "shout" (known: each, if, json, log, lookup, unless, with)
  59 |     prompt: ../prompts/classify.hbs
     |             ^^^^^^^^^^^^^^^^^^^^^^^
  hint: Fix the template: it would fail every item when the stage runs.
`);
  });

  bounded('an unclosed block in the classify template names the line that opens it', 4000, async () => {
    appendFileSync(join(dir, 'prompts/classify.hbs'), '{{#if suite.description}}\nnever closed\n');
    const r = await tracepipe(dir, ['validate', 'pipelines/gmail.yaml', '--variant', 'small'], LLM);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`variant small:
pipelines/gmail.yaml:59:13 prompt template ../prompts/classify.hbs:18:1: the block {{#if}} is never closed (no {{/if}})
  59 |     prompt: ../prompts/classify.hbs
     |             ^^^^^^^^^^^^^^^^^^^^^^^
  hint: Fix the template: it would fail every item when the stage runs.
`);
  });

  bounded('an unknown helper in the synthesize system prompt fails the offline pipeline too', 4000, async () => {
    appendFileSync(join(dir, 'prompts/system.hbs'), '{{#each tools}}{{upper name}}{{/each}}\n');
    const r = await tracepipe(dir, ['validate', 'pipelines/gmail.yaml']);
    expect(r.code).toBe(2);
    expect(r.err)
      .toBe(`pipelines/gmail.yaml:60:3 prompt template ../prompts/system.hbs:8:16: unknown helper "upper" (known: capitalize, each, if, is, join, log, lookup, unless, with)
  60 |   synthesize:
     |   ^^^^^^^^^^
  hint: Fix the template: it would fail every item when the stage runs.
`);
  });

  bounded('a cache path that is a file is an error at `cache:`', 4000, async () => {
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const file = editedPipeline(dir, 'cache-file.yaml', (y) => y.replace('concurrency: 8', 'concurrency: 8\ncache: ../not-a-folder'));
    const r = await tracepipe(dir, ['exec', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/cache-file.yaml:13:8 the cache folder "not-a-folder" is a file, not a folder
  13 | cache: ../not-a-folder
     |        ^^^^^^^^^^^^^^^
  hint: Point \`cache:\` at a folder (relative paths resolve against the pipeline file's folder).

1 problem in pipelines/cache-file.yaml; nothing was run.
`);
  });

  bounded('a file where the default cache folder goes is an error too', 4000, async () => {
    writeFileSync(join(dir, '.tracepipe'), 'x');
    const r = await tracepipe(dir, ['validate', 'pipelines/gmail.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/gmail.yaml:7:1 the cache folder ".tracepipe" is a file, not a folder
  7 | name: gmail
    | ^
  hint: Set \`cache:\` to a folder, or move the file away (the default is .tracepipe in the working folder).
`);
  });

  bounded('a self-referencing YAML alias is an error at the alias, not a stack overflow', 4000, async () => {
    const file = editedPipeline(dir, 'alias.yaml', (y) => y.replace('  load:\n    uses: load', '  load: &load\n    uses: load\n    with: { again: *load }'));
    const r = await tracepipe(dir, ['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/alias.yaml:44:20 the alias "*load" is inside the value it names, so it would expand forever
  44 |     with: { again: *load }
     |                    ^^^^^
  hint: Move *load out of the &load value, or copy the part you need.
`);
  });

  bounded('a mapping that merges itself (`<<: *self`) is the same error, not an alias-bomb warning', 4000, async () => {
    const file = editedPipeline(dir, 'merge.yaml', (y) => y.replace('  load:\n    uses: load', '  load: &load\n    uses: load\n    <<: *load'));
    const r = await tracepipe(dir, ['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/merge.yaml:44:9 the alias "*load" is inside the value it names, so it would expand forever
  44 |     <<: *load
     |         ^^^^^
  hint: Move *load out of the &load value, or copy the part you need.
`);
  });

  bounded('a folder where the suite file belongs', 4000, async () => {
    mkdirSync(join(dir, 'pipelines/suite-folder'));
    const file = editedPipeline(dir, 'suite-dir.yaml', (y) => y.replace('suite: suites/gmail.yaml', 'suite: suite-folder'));
    const r = await tracepipe(dir, ['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/suite-dir.yaml:11:8 suite file "suite-folder" is a folder, not a file
  11 | suite: suite-folder
     |        ^^^^^^^^^^^^
  hint: Looked for ${join(dir, 'pipelines/suite-folder')}; relative paths resolve against the pipeline file's folder.
`);
  });

  bounded('a folder where the prompt file belongs', 4000, async () => {
    mkdirSync(join(dir, 'prompts/prompt-folder'));
    const file = editedPipeline(dir, 'prompt-dir.yaml', (y) => y.replace('prompt: ../prompts/classify.hbs', 'prompt: ../prompts/prompt-folder'));
    const r = await tracepipe(dir, ['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/prompt-dir.yaml:59:13 prompt file "../prompts/prompt-folder" is a folder, not a file
  59 |     prompt: ../prompts/prompt-folder
     |             ^^^^^^^^^^^^^^^^^^^^^^^^
  hint: Looked for ${join(dir, 'prompts/prompt-folder')}; relative paths resolve against the pipeline file's folder.
`);
  });

  bounded('a folder where the action-tool map file belongs', 4000, async () => {
    mkdirSync(join(dir, 'pipelines/map-folder'));
    const file = editedPipeline(dir, 'map-dir.yaml', (y) => y.replace('gmail-tools: maps/gmail-tools.yaml', 'gmail-tools: map-folder'));
    const r = await tracepipe(dir, ['validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines/map-dir.yaml:39:16 action-tool map file "map-folder" is a folder, not a file
  39 |   gmail-tools: map-folder
     |                ^^^^^^^^^^
  hint: Looked for ${join(dir, 'pipelines/map-folder')}; relative paths resolve against the pipeline file's folder.
`);
  });

  bounded('a folder given as the pipeline file', 4000, async () => {
    const r = await tracepipe(dir, ['validate', 'pipelines']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`pipelines:1:1 is a folder, not a file
  hint: Name a YAML file, not the folder that holds it.
`);
  });
});
