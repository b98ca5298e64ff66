import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { loadPipelineFromText } from '../../engine/config/index.ts';
import { BASE, loadTree, printed, testRegistry } from './test-registry.ts';

describe('the resolved pipeline', () => {
  test('stages come in topological order, ties in file order', () => {
    const yaml = `name: order
sessions: {path: s/*}
models: {m: {provider: rules}}
stages:
  write: {uses: write, needs: [classifyB, classifyA]}
  classifyB: {uses: classify, needs: load, model: m}
  review: {uses: write}
  classifyA: {uses: classify, needs: [load], model: m}
  load: {uses: load}
`;
    const { result } = loadTree({ 'pipeline.yaml': yaml });
    expect(result.ok && result.pipeline.stages.map((s) => s.id)).toEqual(['review', 'load', 'classifyB', 'classifyA', 'write']);
  });

  test('paths are absolute, defaults applied, references resolved', () => {
    const yaml = `${BASE.replace('model: strong', 'model: strong\n    prompt: prompts/classify.hbs\n    actionToolMap: gmail\n    thresholds: {review: 0.6}\n    concurrency: 2')}suite: suites/gmail.yaml
cache: ../cache
actionToolMaps:
  gmail: maps/gmail.yaml
  inline: {compose: send_email}
`;
    const { dir, result } = loadTree({
      'pipeline.yaml': yaml,
      'prompts/classify.hbs': 'Classify {{steps}}',
      'suites/gmail.yaml': 'actions: []',
      'maps/gmail.yaml': 'compose:\n  tool: send_email\n',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const p = result.pipeline;
    expect(p.file).toBe(join(dir, 'pipeline.yaml'));
    expect(p.suite).toBe(join(dir, 'suites/gmail.yaml'));
    expect(p.cacheDir).toBe(join(dir, '../cache'));
    expect(p.outDir).toBe(join(dir, 'out/gmail'));
    expect(p.actionToolMaps).toEqual({
      gmail: { name: 'gmail', file: join(dir, 'maps/gmail.yaml'), value: { compose: { tool: 'send_email' } } },
      inline: { name: 'inline', value: { compose: 'send_email' } },
    });
    const classify = p.stages.find((s) => s.id === 'classify')!;
    expect(classify).toEqual({
      id: 'classify',
      uses: 'classify',
      needs: ['load'],
      with: { chunkSize: 40 },
      model: { name: 'strong', config: { provider: 'openai', model: 'gpt-4o' } },
      actionToolMap: p.actionToolMaps['gmail'],
      prompt: join(dir, 'prompts/classify.hbs'),
      thresholds: { review: 0.6 },
      concurrency: 2,
    });
  });

  test('a broken action-tool map file is reported in that file', () => {
    const yaml = `${BASE}actionToolMaps:\n  gmail: maps/gmail.yaml\n`;
    expect(printed({ 'pipeline.yaml': yaml, 'maps/gmail.yaml': 'compose:\n  tool: [send_email\n' })).toMatchInlineSnapshot(`
      "maps/gmail.yaml:2:9 "[" is never closed with "]"
        2 |   tool: [send_email
          |         ^
        hint: Close it, or indent the lines it continues on further than its key."
    `);
  });

  test('duplicate keys in an action-tool map file are reported there', () => {
    const yaml = `${BASE}actionToolMaps:\n  gmail: maps/gmail.json\n`;
    expect(printed({ 'pipeline.yaml': yaml, 'maps/gmail.json': '{"compose": {"tool": "a"},\n "compose": {"tool": "b"}}\n' })).toMatchInlineSnapshot(`
      "maps/gmail.json:2:2 duplicate key "compose" (first at line 1, column 2)
        2 |  "compose": {"tool": "b"}}
          |  ^^^^^^^^^"
    `);
  });

  test('raw re-loads as a snapshot to the same pipeline, without interpolating again', () => {
    const yaml = `${BASE.replace('gpt-4o-mini', '"${MINI}"')}variants:\n  v: {concurrency: 3}\n`;
    const { dir, result } = loadTree({ 'pipeline.yaml': yaml }, { variant: 'v', env: { MINI: 'literal $${x}' }, sets: ['models.small.temperature=0.5'] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const again = loadPipelineFromText(stringify(result.raw), join(dir, 'pipeline.yaml'), {
      registry: testRegistry,
      cwd: dir,
      env: {},
      snapshot: { variant: 'v' },
    });
    expect(again.ok && again.pipeline).toEqual(result.pipeline);
  });
});
