import { expect, test } from 'vitest';
import { loadTree } from './test-registry.ts';

/** Every feature of the pipeline file at once; the resolved result is pinned below. */
const EXAMPLE = `# yaml-language-server: $schema=../pipeline.schema.json
name: gmail
sessions:
  path: \${SESSIONS_DIR:-fixtures/sessions}/gmail-*
  format: native
suite: suites/gmail.yaml
concurrency: 4
models:
  strong: &openai
    provider: openai
    model: gpt-4o
    baseURL: \${OPENAI_BASE_URL:-https://api.openai.com/v1}
    apiKeyEnv: OPENAI_API_KEY
    temperature: 0
  small:
    <<: *openai
    model: gpt-4o-mini
  offline:
    provider: rules
actionToolMaps:
  gmail: maps/gmail.yaml
stages:
  load:
    uses: load
    with: {maxImages: 12}
  classify:
    uses: classify
    needs: load
    model: offline
    prompt: prompts/classify.hbs
    thresholds: {review: 0.6}
    concurrency: 2
    with:
      chunkSize: 30
      images: {max: 6}
  write:
    uses: write
    needs: [classify]
    actionToolMap: gmail
    with: {split: 0.2}
variants:
  llm:
    stages:
      classify: {model: strong}
  llm-cheap:
    stages:
      classify:
        model: small
        with: {images: null}
`;

test('the example pipeline resolves, with a variant and a --set on top', () => {
  const { dir, result } = loadTree(
    {
      'pipeline.yaml': EXAMPLE,
      'suites/gmail.yaml': 'actions: []\n',
      'maps/gmail.yaml': 'compose_email: {tool: send_email}\n',
      'prompts/classify.hbs': 'Which actions happened?\n',
    },
    { variant: 'llm-cheap', sets: ['models.small.temperature=0.2'] },
  );
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(JSON.parse(JSON.stringify(result.pipeline).replaceAll(dir, '<tmp>'))).toMatchInlineSnapshot(`
    {
      "actionToolMaps": {
        "gmail": {
          "file": "<tmp>/maps/gmail.yaml",
          "name": "gmail",
          "value": {
            "compose_email": {
              "tool": "send_email",
            },
          },
        },
      },
      "cacheDir": "<tmp>/.tracepipe",
      "concurrency": 4,
      "dir": "<tmp>",
      "file": "<tmp>/pipeline.yaml",
      "models": {
        "offline": {
          "provider": "rules",
        },
        "small": {
          "apiKeyEnv": "OPENAI_API_KEY",
          "baseURL": "https://api.openai.com/v1",
          "model": "gpt-4o-mini",
          "provider": "openai",
          "temperature": 0.2,
        },
        "strong": {
          "apiKeyEnv": "OPENAI_API_KEY",
          "baseURL": "https://api.openai.com/v1",
          "model": "gpt-4o",
          "provider": "openai",
          "temperature": 0,
        },
      },
      "name": "gmail",
      "outDir": "<tmp>/out/gmail-llm-cheap",
      "sessions": {
        "format": "native",
        "path": "<tmp>/fixtures/sessions/gmail-*",
      },
      "stages": [
        {
          "id": "load",
          "needs": [],
          "uses": "load",
          "with": {
            "format": "native",
            "maxImages": 12,
          },
        },
        {
          "concurrency": 2,
          "id": "classify",
          "model": {
            "config": {
              "apiKeyEnv": "OPENAI_API_KEY",
              "baseURL": "https://api.openai.com/v1",
              "model": "gpt-4o-mini",
              "provider": "openai",
              "temperature": 0.2,
            },
            "name": "small",
          },
          "needs": [
            "load",
          ],
          "prompt": "<tmp>/prompts/classify.hbs",
          "thresholds": {
            "review": 0.6,
          },
          "uses": "classify",
          "with": {
            "chunkSize": 30,
          },
        },
        {
          "actionToolMap": {
            "file": "<tmp>/maps/gmail.yaml",
            "name": "gmail",
            "value": {
              "compose_email": {
                "tool": "send_email",
              },
            },
          },
          "id": "write",
          "needs": [
            "classify",
          ],
          "uses": "write",
          "with": {
            "split": 0.2,
          },
        },
      ],
      "suite": "<tmp>/suites/gmail.yaml",
      "variant": "llm-cheap",
    }
  `);
});
