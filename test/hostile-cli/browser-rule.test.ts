import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';
import { bounded } from './workspace.ts';

/** A child vitest running the probe suite with a given browser path and CI setting. */
function probe(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(repoRoot, 'test/hostile-cli/probe/vitest.config.ts')],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    },
  );
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('browser suites on a machine without Chromium', () => {
  bounded('are skipped, and vitest prints why', 20_000, () => {
    const r = probe({ CHROMIUM_PATH: '/missing/chromium' });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(
      `SKIPPED "a browser suite": it needs chromium, and there is no Chromium at /missing/chromium (ENOENT); install Debian's chromium or set CHROMIUM_PATH. (Under CI=true this suite fails instead.)`,
    );
    expect(r.output).toMatch(/Tests +1 skipped \(1\)/);
  });

  bounded('fail under CI=true, naming what is missing', 20_000, () => {
    const r = probe({ CHROMIUM_PATH: '/missing/chromium', CI: 'true' });
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('Error: chromium is required under CI=true, but there is no Chromium at /missing/chromium (ENOENT)');
    expect(r.output).toMatch(/Tests +1 failed \(1\)/);
  });

  bounded('run where the browser path is an executable', 20_000, () => {
    const r = probe({ CHROMIUM_PATH: '/bin/true', CI: 'true' });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Tests +1 passed \(1\)/);
  });
});
