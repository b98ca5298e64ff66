import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWrittenExamples, WriteOptions, writeExamplesStage, writeFileAtomic } from '../../stages/write/index.ts';
import { validateExample } from '../../stages/dataset/index.ts';
import type { Example } from '../../domain/example/index.ts';
import { sha256 } from '../../engine/hash.ts';
import { mapContext } from '../helpers/stage-context.ts';
import { classification, synthesizeExample } from '../synthesize/fixtures.ts';

function writeContext(example: unknown, outDir: string, runId = 'run-1') {
  const ctx = mapContext({ options: WriteOptions.parse({}), item: { id: 'sess-001' }, upstream: { example: example as Example }, pipeline: { outDir } });
  ctx.runId = runId;
  return ctx;
}

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

describe('write-examples stage', () => {
  it('writes messages.jsonl and example.json; a rerun leaves equal bytes alone and replaces different ones by rename', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-write-'));
    const ex = await synthesizeExample();
    const written = (await writeExamplesStage.run(writeContext(ex, out))) as Example;
    expect(listFiles(out)).toEqual(['examples/sess-001/example.json', 'examples/sess-001/messages.jsonl']);
    const dir = path.join(out, 'examples/sess-001');
    const lines = readFileSync(path.join(dir, 'messages.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(ex.messages);
    const record = JSON.parse(readFileSync(path.join(dir, 'example.json'), 'utf8')) as Example;
    expect(record).toEqual(written);
    // no run id in the files: the same inputs give the same bytes whichever run wrote them
    expect(JSON.stringify(record)).not.toMatch(/run-1/);
    expect(record).toMatchObject({
      sessionId: 'sess-001',
      modelId: 'gpt-4.1-mini',
      actionToolMapId: 'gmail-tools-v1',
      status: 'COMPLETED',
      confidences: [0.95, 0.9],
    });

    const before = readFileSync(path.join(dir, 'example.json'));
    const inode = statSync(path.join(dir, 'example.json')).ino;
    const again = writeContext(await synthesizeExample(), out);
    await writeExamplesStage.run(again);
    expect(readFileSync(path.join(dir, 'example.json'))).toEqual(before);
    expect(statSync(path.join(dir, 'example.json')).ino).toBe(inode); // the same bytes: not written at all
    // each file is recorded with the hash of the bytes written, relative to the output folder
    expect(again.outputs.written()).toEqual({
      'out:examples/sess-001/example.json': { '': sha256(before) },
      'out:examples/sess-001/messages.jsonl': { '': sha256(readFileSync(path.join(dir, 'messages.jsonl'))) },
    });
    writeFileSync(path.join(dir, 'example.json'), '{"edited": true}\n');
    await writeExamplesStage.run(writeContext(await synthesizeExample(), out));
    expect(readFileSync(path.join(dir, 'example.json'))).toEqual(before);
    expect(statSync(path.join(dir, 'example.json')).ino).not.toBe(inode); // replaced by rename, not rewritten in place
    expect(listFiles(out)).toEqual(['examples/sess-001/example.json', 'examples/sess-001/messages.jsonl']); // no temp files left
    expect(readWrittenExamples(out)).toEqual([written]);
  });

  it('writes FAILED examples too (their record says why), without requiring tool calls', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-write-'));
    const ex = await synthesizeExample({ classification: classification('sess-001', []) });
    await writeExamplesStage.run(writeContext(ex, out));
    expect(JSON.parse(readFileSync(path.join(out, 'examples/sess-001/example.json'), 'utf8')).statusReason).toBe('no actions were classified');
  });

  it('rejects a corrupted example, naming the example and the field, and writes nothing', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-write-'));
    const ex = await synthesizeExample();
    const assistant = ex.messages[2] as { tool_calls: { function: { arguments: string } }[] };
    assistant.tool_calls[0]!.function.arguments = '{"recipients": "ana@example.com", "subject": "x", "body": "y", "format": "text"}';
    let err: unknown;
    try {
      await writeExamplesStage.run(writeContext(ex, out));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'TP_STAGE', location: { field: 'messages[2].tool_calls[0].function.arguments.recipients' } });
    expect((err as Error).message).toBe(
      'example sess-001 is invalid:\nexample sess-001: messages[2].tool_calls[0].function.arguments.recipients: must be array (tool gmail_send_message)',
    );
    expect(listFiles(out)).toEqual([]);
  });

  it('writes an invalid NEEDS_REVIEW example with its issues (a reviewer fixes it; the dataset leaves it out)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tp-write-'));
    const emptyTo = { ...classification().spans[0]!, parameters: { to: [], subject: '', body: 'x' }, confidence: 0.3 };
    const ex = await synthesizeExample({ classification: classification('sess-001', [emptyTo]) });
    expect(ex.status).toBe('NEEDS_REVIEW');
    const ctx = writeContext(ex, out);
    const written = (await writeExamplesStage.run(ctx)) as Example;
    expect(written.validationIssues).toEqual([
      {
        exampleId: 'sess-001',
        path: 'messages[2].tool_calls[0].function.arguments.recipients',
        message: 'must NOT have fewer than 1 items (tool gmail_send_message)',
      },
    ]);
    expect(ctx.events).toContainEqual({ type: 'example.invalid', data: { exampleId: 'sess-001', status: 'NEEDS_REVIEW', issues: 1 } });
    expect(JSON.parse(readFileSync(path.join(out, 'examples/sess-001/example.json'), 'utf8')).validationIssues).toHaveLength(1);
  });

  it('writeFileAtomic replaces a file whole and leaves no temp file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-atomic-'));
    const file = path.join(dir, 'nested/a.txt');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(file))).toEqual(['a.txt']);
    expect(validateExample({ id: 'x', messages: [], tools: [] })).toEqual([
      { exampleId: 'x', path: 'messages', message: 'must be a non-empty array of messages' },
    ]);
  });
});
