import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxConcurrency } from '../../engine/config/concurrency-cap.ts';
import { cli } from '../helpers/cli.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

describe('exec says when memory capped the concurrency asked for', () => {
  it('names the pipeline and the stage whose concurrency was capped, and the cap', async () => {
    const ws = makeWorkspace(2);
    const cap = maxConcurrency();
    writeFileSync(
      join(ws.dir, 'p.yaml'),
      `name: capped\nconcurrency: ${cap + 1000}\nsessions: {path: sessions/*}\nstages:\n  read: {uses: read-text, concurrency: ${cap + 5}}\n  up: {uses: transform, needs: read, concurrency: 2}\n`,
    );
    const r = await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    const notes = r.err.split('\n').filter((l) => l.startsWith('note: '));
    const why = "each item in flight may take 64 MiB, and the cap keeps them within half of this machine's memory";
    expect(notes).toEqual([`note: concurrency ${cap + 1000} capped to ${cap}: ${why}`, `note: stage read: concurrency ${cap + 5} capped to ${cap}: ${why}`]);
  });

  it('says nothing when nothing was capped', async () => {
    const ws = makeWorkspace(1);
    writeFileSync(join(ws.dir, 'p.yaml'), 'name: fine\nconcurrency: 2\nsessions: {path: sessions/*}\nstages:\n  read: {uses: read-text}\n');
    const r = await cli(['exec', 'p.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    expect(r.err).not.toContain('note: ');
  });
});
