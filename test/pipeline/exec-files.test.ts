import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileProblem } from '../../engine/config/disk-files.ts';
import { ExecOptions, execStage } from '../../stages/exec/stage.ts';
import { testPipeline } from '../helpers/stage-context.ts';

/** An exec stage's declared files are judged by the rule every declared file is (fileProblem). */
const dir = mkdtempSync(join(tmpdir(), 'tp-exec-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exec files', () => {
  it('a missing file, a folder and a file under a file each say what is wrong', () => {
    writeFileSync(join(dir, 'score.py'), 'print(1)');
    mkdirSync(join(dir, 'data'));
    const files = ['score.py', 'gone.py', 'data', 'score.py/x'];
    const node = { id: 'score', uses: 'exec', needs: [], with: ExecOptions.parse({ run: 'python3 score.py', files }) };
    const issues = execStage.check!(node, testPipeline({ dir }), { read: () => '', paths: () => [] }, {});
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [['with', 'files', 1], 'exec file "gone.py" does not exist'],
      [['with', 'files', 2], `exec file "data" ${fileProblem(join(dir, 'data'))}`],
      [['with', 'files', 3], `exec file "score.py/x" ${fileProblem(join(dir, 'score.py/x'))}`],
    ]);
    expect(issues[1]!.message).toBe('exec file "data" is a folder, not a file');
  });
});
