import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { bounded, mailWorkspace, tracepipe } from './workspace.ts';

describe('diff --rev hands git only a revision', () => {
  let dir: string;
  beforeAll(() => {
    dir = mailWorkspace(1);
    const git = (...argv: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...argv], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'pipeline');
  });

  bounded('a revision that reads as a git option is refused before git runs, and no file is written', 4000, async () => {
    const target = join(dir, 'pwned.txt');
    for (const argv of [['--rev', `--output=${target}`], [`--rev=--output=${target}`]]) {
      const r = await tracepipe(dir, ['diff', 'pipelines/gmail.yaml', ...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`TP_INPUT --rev "--output=${target}" is not a git revision
hint: Name a commit, branch or tag (HEAD~1, main, v1.2, a commit hash); it may not start with "-" or hold spaces or ":".
`);
      expect(existsSync(target)).toBe(false);
    }
  });

  bounded('a revision with a path or spaces in it is refused too', 4000, async () => {
    const r = await tracepipe(dir, ['diff', 'pipelines/gmail.yaml', '--rev', 'HEAD:../../etc/passwd']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^TP_INPUT --rev "HEAD:\.\.\/\.\.\/etc\/passwd" is not a git revision\n/);
  });

  bounded('a well-formed revision that names no commit is a clear error', 4000, async () => {
    const r = await tracepipe(dir, ['diff', 'pipelines/gmail.yaml', '--rev', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`TP_INPUT cannot read pipelines/gmail.yaml at git revision no-such-branch: no such commit
hint: Name a commit of the repository that holds the pipeline file.
`);
  });

  bounded('a real revision still diffs', 4000, async () => {
    const r = await tracepipe(dir, ['diff', 'pipelines/gmail.yaml', '--rev', 'HEAD~0']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('config (pipelines/gmail.yaml@HEAD~0 → pipelines/gmail.yaml (working tree)):\n  no changes');
    expect(existsSync(join(dir, '.tracepipe'))).toBe(false);
  });
});
